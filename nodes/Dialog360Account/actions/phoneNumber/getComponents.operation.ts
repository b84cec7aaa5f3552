/** Phone Number → Get Conversational Components: `GET /conversational_automation` (see components.ts). */
import { dialog360Request } from '../../../common/transport';
import type { AccountOperation } from '../types';
import { readComponents } from './components';

export const getComponents: AccountOperation = {
	description: [],
	prepare() {
		return async (ctx, connection, index) => [readComponents(await dialog360Request.call(ctx, { method: 'GET', path: '/conversational_automation', itemIndex: index }, connection))];
	},
};
