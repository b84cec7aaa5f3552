/** Blocked User → Block: `POST /block_users` (see users.ts for Meta's limits). */
import type { AccountOperation } from '../types';
import { changeBlock, readUsers, usersField } from './users';

export const block: AccountOperation = {
	description: [usersField('block')],
	prepare(context, itemIndex) {
		const users = readUsers(context.getNodeParameter('users', itemIndex, ''));
		return async (ctx, connection, index) => await changeBlock(ctx, connection, index, 'POST', users);
	},
};
