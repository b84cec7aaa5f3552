/** Blocked User → Unblock: `DELETE /block_users` with the same body as block. */
import type { AccountOperation } from '../types';
import { changeBlock, readUsers, usersField } from './users';

export const unblock: AccountOperation = {
	description: [usersField('unblock')],
	prepare(context, itemIndex) {
		const users = readUsers(context.getNodeParameter('users', itemIndex, ''));
		return async (ctx, connection, index) => await changeBlock(ctx, connection, index, 'DELETE', users);
	},
};
