import { showFor } from '../display';
import type { AccountResource } from '../types';
import { block } from './block.operation';
import { listBlocked } from './list.operation';
import { unblock } from './unblock.operation';

export const blockedUser: AccountResource = {
	operations: [
		{ name: 'Block', value: 'block', description: 'Block users who messaged this number in the last 24 hours', action: 'Block users' },
		{ name: 'Get Many', value: 'list', description: 'List the blocked users of this number', action: 'Get many blocked users' },
		{ name: 'Unblock', value: 'unblock', description: 'Unblock users', action: 'Unblock users' },
	],
	defaultOperation: 'list',
	byOperation: { block, list: listBlocked, unblock },
};

export const blockedUserFields = Object.entries(blockedUser.byOperation).flatMap(([operation, { description }]) => showFor('blockedUser', operation, description));
