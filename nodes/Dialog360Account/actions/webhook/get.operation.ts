/**
 * Webhook → Get: `GET /v1/configs/webhook` (https://docs.360dialog.com/docs/messaging-api/api-reference/webhooks).
 * A 404, `{}` or an empty url all mean "no webhook set" (docs/DEVELOPMENT.md, API assumption 3).
 * The header values are returned as set (they are the user's own configuration, e.g. the Trigger's secret).
 */
import { NodeApiError, type IDataObject } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { dialog360Request } from '../../../common/transport';
import type { AccountOperation } from '../types';

export const getWebhook: AccountOperation = {
	description: [],
	prepare() {
		return async (ctx, connection, index) => {
			let answer: unknown;
			let failure: unknown;
			try {
				answer = await dialog360Request.call(ctx, { method: 'GET', path: '/v1/configs/webhook', itemIndex: index }, connection);
			} catch (error) {
				failure = error;
			}
			// Thrown after the catch block: only "not set" (404) is an answer, any other error goes to the user.
			if (failure !== undefined) {
				if (!(failure instanceof NodeApiError && String(failure.httpCode) === '404')) throw failure as Error;
				answer = {};
			}
			const config = (isRecord(answer) ? answer : {}) as IDataObject;
			const url = typeof config.url === 'string' ? config.url : '';
			return [{ url, set: url !== '', headers: isRecord(config.headers) ? config.headers : {} }];
		};
	},
};
