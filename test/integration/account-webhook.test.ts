/** 360dialog Account node, Webhook resource: get and set with headers; 360dialog's URL rules outside a custom host. */
import type { INodeParameters } from 'n8n-workflow';

import { buildWebhookConfig } from '../../nodes/Dialog360Account/actions/webhook/set.operation';
import { FieldError } from '../../nodes/common/validation';
import { runAccountNode } from '../support/accountNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

const account = (parameters: INodeParameters) => runAccountNode(emulator, { resource: 'webhook', ...parameters });

describe('Webhook', () => {
	it('reads "not set", sets URL and headers, reads them back', async () => {
		expect((await account({ operation: 'get' })).items[0].json).toEqual({ url: '', set: false, headers: {} });
		const set = await account({ operation: 'set', url: 'http://127.0.0.1:9/hook', headers: { header: [{ name: 'X-Secret', value: 's3cret' }] } });
		expect(set.error).toBeUndefined();
		expect(emulator.webhook()).toEqual({ url: 'http://127.0.0.1:9/hook', headers: { 'X-Secret': 's3cret' } });
		expect((await account({ operation: 'get' })).items[0].json).toEqual({ url: 'http://127.0.0.1:9/hook', set: true, headers: { 'X-Secret': 's3cret' } });
	});

	it('a 404 for "nothing set" reads as not set', async () => {
		emulator.configure({ unsetWebhookResponse: 'not-found' });
		expect((await account({ operation: 'get' })).items[0].json).toMatchObject({ set: false });
	});

	it.each<[string, INodeParameters, RegExp]>([
		['no URL', { url: '={{ "" }}' }, /URL is required/],
		['not a URL', { url: 'hook' }, /URL "hook" is not a valid URL/],
		['a bad header name', { url: 'https://x.example/h', headers: { header: [{ name: 'X Secret', value: 'v' }] } }, /Header 1 Name "X Secret" is not a valid HTTP header name/],
	])('refuses %s before any request', async (_title, parameters, message) => {
		const { error } = await account({ operation: 'set', ...parameters });
		expect(error?.message).toMatch(message);
		expect(emulator.requests()).toEqual([]);
	});

	it("production and sandbox credentials get 360dialog's URL rules (HTTPS, no port, no underscore)", () => {
		const rule = (url: string) => {
			try {
				buildWebhookConfig(url, [], true);
				return undefined;
			} catch (error) {
				return (error as FieldError).message;
			}
		};
		expect(rule('https://n8n.example.com/webhook/x')).toBeUndefined();
		expect(rule('http://n8n.example.com/webhook/x')).toMatch(/must start with https:\/\//);
		expect(rule('https://n8n.example.com:5678/webhook/x')).toMatch(/has a port/);
		expect(rule('https://my_host.example.com/x')).toMatch(/"_"/);
	});
});
