/**
 * The Trigger's webhook lifecycle (checkExists → create on activation, delete on deactivation)
 * against the local 360dialog emulator, through n8n-core's real HookContext, plus one delivery
 * from the emulator to a local HTTP server that runs the node's webhook().
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import axios from 'axios';
import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { WEBHOOK_HEADER } from '../../nodes/Dialog360Trigger/secret';
import { loadWebhookFixture } from '../support/fixtures';
import { emulatorCredential, useEmulator } from '../support/useEmulator';
import { TriggerHarness, type FakeRequest } from '../support/webhookHarness';

const emulator = useEmulator();

const config = () => axios.create({ baseURL: emulator.url, headers: { 'D360-API-KEY': 'test-key' }, validateStatus: () => true });
const readConfig = async () => {
	const response = await config().get('/v1/configs/webhook');
	return { status: response.status, data: response.data as IDataObject };
};
const setConfig = async (body: IDataObject) => expect((await config().post('/v1/configs/webhook', body)).status).toBe(200);
const configRequests = () => emulator.requests().filter((request) => request.url.startsWith('/v1/configs/webhook'));

const PREVIOUS = { url: 'https://old-crm.example.com/whatsapp/in', headers: { 'X-Old-Token': 'keep-me-exactly', Authorization: 'Basic b2xkOnNlY3JldA==' } };

function harness(parameters: IDataObject = {}, credentials: IDataObject = {}): TriggerHarness {
	return new TriggerHarness({
		parameters: parameters as never,
		credentials: { ...emulatorCredential(emulator), ...credentials },
	});
}

describe('Automatic registration', () => {
	it('saves the previous config, registers URL + secret header, and restores the previous config exactly', async () => {
		await setConfig(PREVIOUS);
		const before = await readConfig();
		expect(before.data).toEqual(PREVIOUS);

		const h = harness();
		expect(await h.activate()).toBe(true); // checkExists said false, create ran
		const stored = h.nodeStaticData as { secret: string; registration: IDataObject };
		expect(stored.secret).toMatch(/^[0-9a-f]{64}$/);
		expect(stored.registration).toEqual({ url: h.webhookUrl(), previous: PREVIOUS, registeredAt: expect.any(String) });
		expect((await readConfig()).data).toEqual({ url: h.webhookUrl(), headers: { [WEBHOOK_HEADER]: stored.secret } });

		// A restart of n8n activates again: the config is already ours, nothing is posted.
		const posts = configRequests().filter((request) => request.method === 'POST').length;
		expect(await h.activate()).toBe(false);
		expect(configRequests().filter((request) => request.method === 'POST').length).toBe(posts);

		await h.deactivate();
		const after = await readConfig();
		expect(after).toStrictEqual(before);
		expect(emulator.webhook()).toEqual(PREVIOUS);
		expect(h.nodeStaticData.registration).toBeUndefined();
		expect(h.nodeStaticData.secret).toBe(stored.secret); // kept for the next activation
	});

	it('restores the unset state when nothing was set before', async () => {
		const before = await readConfig();
		expect(before).toEqual({ status: 200, data: { url: '' } });
		const h = harness();
		await h.activate();
		expect((await readConfig()).data.url).toBe(h.webhookUrl());
		await h.deactivate();
		expect(await readConfig()).toStrictEqual(before);
		expect(emulator.webhook()).toBeUndefined();
	});

	it('treats a 404 from GET as "not set" and restores it', async () => {
		emulator.configure({ unsetWebhookResponse: 'not-found' });
		expect((await readConfig()).status).toBe(404);
		const h = harness();
		await h.activate();
		expect(h.nodeStaticData.registration).toMatchObject({ previous: null });
		await h.deactivate();
		expect((await readConfig()).status).toBe(404);
		expect(emulator.webhook()).toBeUndefined();
	});

	it('registers the secret typed into the node instead of a generated one', async () => {
		const h = harness({ webhookSecret: 'my-own-secret-1234567890' });
		await h.activate();
		expect((await readConfig()).data.headers).toEqual({ [WEBHOOK_HEADER]: 'my-own-secret-1234567890' });
		expect(h.nodeStaticData.secret).toBeUndefined();
	});

	it('re-registers when the secret changed while the URL stayed, keeping the saved previous config', async () => {
		await setConfig(PREVIOUS);
		const first = harness({ webhookSecret: 'first-secret-1234567890' });
		await first.activate();
		// Same workflow, new secret in the node (n8n re-activates with the saved static data).
		const second = new TriggerHarness({
			parameters: { webhookSecret: 'second-secret-1234567890' } as never,
			credentials: { apiKey: 'test-key', environment: 'custom', baseUrl: emulator.url },
			staticData: first.savedStaticData,
		});
		expect(await second.activate()).toBe(true);
		expect((await readConfig()).data.headers).toEqual({ [WEBHOOK_HEADER]: 'second-secret-1234567890' });
		await second.deactivate();
		expect(emulator.webhook()).toEqual(PREVIOUS);
	});

	it('leaves a webhook alone that someone else set after activation', async () => {
		await setConfig(PREVIOUS);
		const h = harness();
		await h.activate();
		const newer = { url: 'https://someone-else.example.com/hook' };
		await setConfig(newer);
		await h.deactivate();
		expect(emulator.webhook()).toEqual(newer);
		expect(h.nodeStaticData.registration).toBeUndefined();
	});

	it('a test listen while the workflow is active hands the number back to the production URL', async () => {
		await setConfig(PREVIOUS);
		const h = harness();
		await h.activate();
		const production = emulator.webhook();
		expect(production?.url).toBe(h.webhookUrl());

		// "Listen for test event": n8n runs the same hooks with the test URL and separate static data.
		const test = new TriggerHarness({ credentials: emulatorCredential(emulator) });
		await test.activate(true);
		expect(emulator.webhook()?.url).toBe(test.webhookUrl(true));
		await test.deactivate(true);
		expect(emulator.webhook()).toEqual(production);

		await h.deactivate();
		expect(emulator.webhook()).toEqual(PREVIOUS);
	});

	it('with its static data lost, switches delivery off on deactivation instead of leaving a dead URL', async () => {
		const h = harness();
		await h.activate();
		const amnesiac = new TriggerHarness({ credentials: emulatorCredential(emulator) });
		await amnesiac.deactivate();
		expect(emulator.webhook()).toBeUndefined();
	});
});

describe('activation errors surface', () => {
	it('a 500 on reading the config fails the activation and changes nothing', async () => {
		await setConfig(PREVIOUS);
		emulator.injectFaults({ status: 500, count: 1, path: '/v1/configs/webhook' });
		const h = harness();
		await expect(h.activate()).rejects.toBeInstanceOf(NodeApiError);
		expect(emulator.webhook()).toEqual(PREVIOUS);
		expect(h.nodeStaticData.registration).toBeUndefined();
	});

	it('a rejected POST fails the activation with 360dialog’s reason', async () => {
		// The node's own URL check is off for the custom environment, so the emulator's rule answers.
		emulator.configure({ strictWebhookUrl: true });
		await setConfig(PREVIOUS);
		const h = new TriggerHarness({ webhookBaseUrl: 'http://127.0.0.1:5678/webhook', credentials: emulatorCredential(emulator) });
		const error = await h.activate().then(
			() => undefined,
			(thrown: unknown) => thrown,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('400');
		expect((error as NodeApiError).message).toMatch(/HTTPS/);
		expect(emulator.webhook()).toEqual(PREVIOUS);
		expect(h.nodeStaticData.registration).toBeUndefined();
	});

	it('a 500 on deactivation fails the deactivation', async () => {
		const h = harness();
		await h.activate();
		emulator.injectFaults({ status: 500, count: 1, path: '/v1/configs/webhook' });
		await expect(h.deactivate()).rejects.toBeInstanceOf(NodeApiError);
		expect(h.nodeStaticData.registration).toBeDefined(); // a later retry can still restore
	});

	it.each([
		['http://n8n.example.com/webhook', /HTTPS/],
		['https://n8n.example.com:5678/webhook', /a port in the webhook URL \(:5678/],
		['https://my_n8n.example.com/webhook', /"_"/],
		['https://localhost/webhook', /cannot reach localhost/],
	])('refuses %s with production credentials before any request', async (webhookBaseUrl, message) => {
		const h = new TriggerHarness({ webhookBaseUrl, credentials: { apiKey: 'live-key', environment: 'production' } });
		expect(await h.hook('checkExists')).toBe(false);
		const error = await h.hook('create').then(
			() => undefined,
			(thrown: unknown) => thrown,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(message);
		expect(h.nodeStaticData.secret).toBeUndefined();
	});

	it('accepts http://127.0.0.1:port with the custom environment (emulator or proxy)', async () => {
		const h = new TriggerHarness({ webhookBaseUrl: 'http://127.0.0.1:5678/webhook', credentials: emulatorCredential(emulator) });
		await h.activate();
		expect(emulator.webhook()?.url).toBe('http://127.0.0.1:5678/webhook/6f1c2d3e-0000-4000-8000-000000000001/webhook');
	});

	it('refuses a Webhook Secret that is too short', async () => {
		const h = harness({ webhookSecret: 'short' });
		await expect(h.activate()).rejects.toThrow(/at least 16 characters/);
		expect(configRequests()).toHaveLength(0);
	});
});

describe('Manual registration', () => {
	it('makes no request on activation or deactivation', async () => {
		await setConfig(PREVIOUS);
		const requests = emulator.requests().length;
		const h = harness({ registration: 'manual', webhookSecret: 'manual-secret-1234567890' });
		expect(await h.activate()).toBe(false); // checkExists true → create never runs
		expect(await h.hook('create')).toBe(true);
		await h.deactivate();
		expect(emulator.requests().length).toBe(requests);
		expect(emulator.webhook()).toEqual(PREVIOUS);
		expect(h.nodeStaticData).toEqual({});
	});

	it('needs a Webhook Secret', async () => {
		const h = harness({ registration: 'manual' });
		await expect(h.activate()).rejects.toThrow(/needs a Webhook Secret/);
	});

	it('accepts deliveries carrying the secret typed into the node', async () => {
		const h = harness({ registration: 'manual', webhookSecret: 'manual-secret-1234567890' });
		const ok = await h.deliver({ headers: { [WEBHOOK_HEADER]: 'manual-secret-1234567890' }, json: loadWebhookFixture('message-text') });
		expect(ok.executionStarted).toBe(true);
		const spoofed = await h.deliver({ json: loadWebhookFixture('message-text') });
		expect(spoofed.status).toBe(401);
	});
});

describe('delivery from the emulator to a local server running webhook()', () => {
	let server: Server;
	let url: string;
	let h: TriggerHarness;
	const executions: IDataObject[][] = [];

	/** Reads the body like n8n's rawBodyReader + parseBody: raw bytes, JSON parsed for application/json (422 when broken). */
	async function toFakeRequest(incoming: IncomingMessage): Promise<FakeRequest | undefined> {
		const chunks: Buffer[] = [];
		for await (const chunk of incoming) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		let body: unknown;
		if (rawBody.length > 0 && String(incoming.headers['content-type']).startsWith('application/json')) {
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch {
				return undefined;
			}
		}
		return { method: incoming.method ?? 'POST', headers: incoming.headers, body, rawBody, query: {}, params: {} };
	}

	beforeAll(async () => {
		server = createServer((incoming, response) => {
			void (async () => {
				const request = await toFakeRequest(incoming);
				if (!request) {
					response.writeHead(422).end();
					return;
				}
				const result = await h.handle(request, response);
				if (result.workflowData) executions.push(result.workflowData[0].map((item) => item.json));
			})().catch((error: Error) => {
				response.writeHead(500).end(error.message);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('receives a registered delivery once, and refuses a spoofed one', async () => {
		h = new TriggerHarness({ webhookBaseUrl: url, credentials: emulatorCredential(emulator) });
		await h.activate();
		expect(emulator.webhook()?.url).toBe(`${url}/6f1c2d3e-0000-4000-8000-000000000001/webhook`);

		const first = await axios.post(`${emulator.url}/_emulator/inbound`, { fixture: 'batch-3-messages-2-statuses' });
		expect(first.data.delivery).toMatchObject({ delivered: true, attempts: [{ attempt: 1, status: 200 }] });
		// At-least-once: the same body again is acknowledged but starts nothing.
		const again = await axios.post(`${emulator.url}/_emulator/inbound`, { fixture: 'batch-3-messages-2-statuses' });
		expect(again.data.delivery).toMatchObject({ delivered: true, attempts: [{ attempt: 1, status: 200 }] });
		expect(executions).toHaveLength(1);
		expect(executions[0].map((json) => json.type)).toEqual(['text', 'reaction', 'text']);

		const spoofed = await axios.post(emulator.webhook()!.url, loadWebhookFixture('message-text'), { validateStatus: () => true });
		expect(spoofed.status).toBe(401);
		expect(executions).toHaveLength(1);

		await h.deactivate();
		expect(emulator.webhook()).toBeUndefined();
	});
});
