/**
 * Webhook → Set: `POST /v1/configs/webhook` `{url, headers}`: the one webhook of this number, so it
 * replaces whatever was set (also a 360dialog Trigger's registration). 360dialog's URL rules (HTTPS,
 * no port, no "_" in the host: https://docs.360dialog.com/docs/hub/webhook-url) are checked unless the
 * credential points at a custom base URL (a local emulator).
 */
import type { INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { dialog360Request } from '../../../common/transport';
import { FieldError, httpsUrl, textOf, unique } from '../../../common/validation';
import type { AccountOperation } from '../types';

const description: INodeProperties[] = [
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://n8n.example.com/webhook/…',
		description: 'Where 360dialog delivers the events of this number. This replaces the current webhook, also one a 360dialog Trigger registered.',
	},
	{
		displayName: 'Headers',
		name: 'headers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Header',
		default: {},
		description: 'Sent with every delivery, e.g. a secret your endpoint checks',
		options: [
			{
				displayName: 'Header',
				name: 'header',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'X-My-Secret' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
];

/** The webhook body; `strict` applies 360dialog's URL rules. PURE. */
export function buildWebhookConfig(urlValue: unknown, headerEntries: Array<{ name?: unknown; value?: unknown }>, strict: boolean): { url: string; headers?: Record<string, string> } {
	const url = httpsUrl('URL', urlValue, { allowHttp: !strict });
	if (strict) {
		const parsed = new URL(url);
		if (parsed.port !== '') throw new FieldError('URL', `URL "${url}" has a port (:${parsed.port}); 360dialog accepts none: put n8n behind a reverse proxy on 443`);
		if (parsed.hostname.includes('_')) throw new FieldError('URL', `URL "${url}" has "_" in its host name, which 360dialog refuses`);
	}
	const headers: Record<string, string> = {};
	const names = headerEntries.map((entry, index) => {
		const name = textOf(`Header ${index + 1} Name`, entry.name).trim();
		if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new FieldError(`Header ${index + 1} Name`, `Header ${index + 1} Name "${name}" is not a valid HTTP header name`);
		headers[name] = textOf(`Header ${index + 1} Value`, entry.value);
		return { label: `Header ${index + 1}`, value: name.toLowerCase() };
	});
	unique(names, 'Name');
	return headerEntries.length > 0 ? { url, headers } : { url };
}

export const setWebhook: AccountOperation = {
	description,
	prepare(context, itemIndex, connection) {
		const raw: unknown = context.getNodeParameter('headers', itemIndex, {});
		const entries = isRecord(raw) && Array.isArray(raw.header) ? (raw.header as Array<{ name?: unknown; value?: unknown }>) : [];
		const body = buildWebhookConfig(context.getNodeParameter('url', itemIndex, ''), entries, connection.environment !== 'custom');
		return async (ctx, conn, index) => {
			await dialog360Request.call(ctx, { method: 'POST', path: '/v1/configs/webhook', body, itemIndex: index }, conn);
			return [{ url: body.url, set: true, headers: body.headers ?? {} }];
		};
	},
};
