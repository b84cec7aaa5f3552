import { showFor } from '../display';
import type { AccountResource } from '../types';
import { getWebhook } from './get.operation';
import { setWebhook } from './set.operation';

export const webhook: AccountResource = {
	operations: [
		{ name: 'Get', value: 'get', description: 'Get the webhook URL and headers of this number', action: 'Get the webhook' },
		{ name: 'Set', value: 'set', description: 'Set the webhook URL and headers of this number', action: 'Set the webhook' },
	],
	defaultOperation: 'get',
	byOperation: { get: getWebhook, set: setWebhook },
};

export const webhookFields = Object.entries(webhook.byOperation).flatMap(([operation, { description }]) => showFor('webhook', operation, description));
