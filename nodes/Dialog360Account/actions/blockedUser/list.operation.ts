/**
 * Blocked User → Get Many: `GET /block_users?limit=&after=` (cursor paging), one item per user.
 * Assumption: pages of 100 and `paging.next` present while more follow, as in Meta's Graph paging.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { dialog360Request } from '../../../common/transport';
import { readLimit, returnAllFields } from '../common';
import type { AccountOperation } from '../types';

export const BLOCK_PAGE_SIZE = 100;
const MAX_PAGES = 1000;

const description: INodeProperties[] = [
	...returnAllFields,
];

export const listBlocked: AccountOperation = {
	description,
	prepare(context, itemIndex) {
		const limit = readLimit(context, itemIndex);
		return async (ctx, connection, index) => {
			const users: IDataObject[] = [];
			let after: string | undefined;
			for (let page = 0; page < MAX_PAGES && users.length < limit; page++) {
				const answer = (await dialog360Request.call(
					ctx,
					{ method: 'GET', path: '/block_users', qs: { limit: BLOCK_PAGE_SIZE, ...(after ? { after } : {}) }, itemIndex: index },
					connection,
				)) as IDataObject | undefined;
				const data = Array.isArray(answer?.data) ? answer.data.filter(isRecord) : [];
				for (const entry of data) {
					for (const user of Array.isArray(entry.block_users) ? entry.block_users.filter(isRecord) : []) users.push({ waId: user.wa_id, input: user.input });
				}
				const paging = isRecord(answer?.paging) ? answer.paging : {};
				const cursors = isRecord(paging.cursors) ? paging.cursors : {};
				const next = typeof cursors.after === 'string' && paging.next ? cursors.after : undefined;
				if (!next || next === after) break;
				after = next;
			}
			return users.slice(0, limit);
		};
	},
};
