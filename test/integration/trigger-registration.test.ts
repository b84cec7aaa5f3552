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

describe('Automatic, as an additional webhook (/multi_webhook)', () => {
	const multi = async () => (await config().get('/multi_webhook')).data as { enabled: boolean; destinations: IDataObject[] };
	const multiRequests = () => emulator.requests().filter((request) => request.url.startsWith('/multi_webhook') && request.method !== 'GET');
	const CRM = { url: 'https://crm.example.com/whatsapp/in', headers: { 'X-Crm-Token': 'crm-secret' } };
	const OTHER = { name: 'analytics', url: 'https://analytics.example.com/wa', headers: { Authorization: 'Bearer other' } };
	const additional = (parameters: IDataObject = {}) => harness({ registration: 'additional', ...parameters });

	it('adds the trigger as an extra destination with the secret header, leaves the main webhook alone, and removes exactly its own', async () => {
		await setConfig(CRM);
		const h = additional();
		expect(await h.activate()).toBe(true);
		const stored = h.nodeStaticData as { secret: string; additional: IDataObject };
		expect(stored.secret).toMatch(/^[0-9a-f]{64}$/);
		expect(stored.additional).toEqual({ url: h.webhookUrl(), name: expect.stringMatching(/^n8n-[0-9a-z]{14}$/), enabledBefore: false, registeredAt: expect.any(String) });
		expect(await multi()).toEqual({
			enabled: true,
			destinations: [{ name: stored.additional.name, url: h.webhookUrl(), headers: { [WEBHOOK_HEADER]: stored.secret } }],
		});
		expect(emulator.webhook()).toEqual(CRM);

		// An n8n restart activates again: already registered, nothing is written.
		const writes = multiRequests().length;
		expect(await h.activate()).toBe(false);
		expect(multiRequests().length).toBe(writes);

		await h.deactivate();
		expect(await multi()).toEqual({ enabled: false, destinations: [] }); // off again, as before activation
		expect(emulator.webhook()).toEqual(CRM);
		expect(configRequests().filter((request) => request.method === 'POST')).toHaveLength(1); // only setConfig above
		expect(h.nodeStaticData.additional).toBeUndefined();
	});

	it('appends to destinations others set, and on deactivation puts exactly those back, headers included', async () => {
		await setConfig(CRM);
		expect((await config().post('/multi_webhook', { enabled: true, destinations: [OTHER] })).status).toBe(200);
		const h = additional();
		await h.activate();
		expect((await multi()).destinations.map((d) => d.name)).toEqual(['analytics', (h.nodeStaticData.additional as IDataObject).name]);
		expect(multiRequests().at(-1)).toMatchObject({ method: 'PUT' });
		await h.deactivate();
		expect(await multi()).toEqual({ enabled: true, destinations: [OTHER] });
		expect(emulator.webhook()).toEqual(CRM);
	});

	it('updates its own destination when the secret changed, keeping what it knew about before', async () => {
		await setConfig(CRM);
		const first = additional({ webhookSecret: 'first-secret-1234567890' });
		await first.activate();
		const second = new TriggerHarness({
			parameters: { registration: 'additional', webhookSecret: 'second-secret-1234567890' } as never,
			credentials: emulatorCredential(emulator),
			staticData: first.savedStaticData,
		});
		expect(await second.activate()).toBe(true);
		expect(multiRequests().at(-1)).toMatchObject({ method: 'PATCH' });
		expect((await multi()).destinations).toEqual([expect.objectContaining({ headers: { [WEBHOOK_HEADER]: 'second-secret-1234567890' } })]);
		expect(second.nodeStaticData.additional).toMatchObject({ enabledBefore: false });
		await second.deactivate();
		expect(await multi()).toEqual({ enabled: false, destinations: [] });
	});

	it('"Listen for test event" adds the test URL for that session and removes only it, in both modes', async () => {
		await setConfig(CRM);
		const h = additional();
		await h.activate();
		const production = await multi();

		// The editor's test listen: same hooks, the test URL, its own static data.
		const test = new TriggerHarness({ parameters: { registration: 'additional' } as never, credentials: emulatorCredential(emulator) });
		expect(await test.activate(true)).toBe(true);
		const during = await multi();
		expect(during.destinations.map((d) => d.url)).toEqual([h.webhookUrl(), test.webhookUrl(true)]);
		expect(new Set(during.destinations.map((d) => d.name)).size).toBe(2);
		await test.deactivate(true);
		expect(await multi()).toEqual(production);
		expect(emulator.webhook()).toEqual(CRM);

		await h.deactivate();
		expect(await multi()).toEqual({ enabled: false, destinations: [] });

		// Automatic mode: the test listen takes the main webhook for the session and gives it back.
		const automaticTest = new TriggerHarness({ credentials: emulatorCredential(emulator) });
		await automaticTest.activate(true);
		expect(emulator.webhook()?.url).toBe(automaticTest.webhookUrl(true));
		await automaticTest.deactivate(true);
		expect(emulator.webhook()).toEqual(CRM);
	});

	it('with its static data lost, still removes its own destination (found by URL) and keeps the others', async () => {
		await setConfig(CRM);
		await config().post('/multi_webhook', { enabled: true, destinations: [OTHER] });
		const h = additional();
		await h.activate();
		const amnesiac = new TriggerHarness({ parameters: { registration: 'additional' } as never, credentials: emulatorCredential(emulator) });
		await amnesiac.deactivate();
		expect(await multi()).toEqual({ enabled: true, destinations: [OTHER] });
	});

	it('leaves everything alone when its destination was removed meanwhile', async () => {
		await setConfig(CRM);
		const h = additional();
		await h.activate();
		await config().post('/multi_webhook', { enabled: false });
		await config().post('/multi_webhook', { enabled: true, destinations: [OTHER] });
		const writes = multiRequests().length;
		await h.deactivate();
		expect(multiRequests().length).toBe(writes);
		expect(await multi()).toEqual({ enabled: true, destinations: [OTHER] });
	});

	it('refuses to activate without a main webhook, or when the trigger is the main webhook itself', async () => {
		const h = additional();
		await expect(h.activate()).rejects.toThrow(/no main webhook/);
		await setConfig({ url: h.webhookUrl() });
		await expect(h.activate()).rejects.toThrow(/already the number's main webhook/);
		expect(multiRequests()).toHaveLength(0);
	});

	it("surfaces 360dialog's refusal when the number has no room for another webhook", async () => {
		await setConfig(CRM);
		const full = ['a', 'b', 'c'].map((name) => ({ name, url: `https://${name}.example.com/wa` }));
		await config().post('/multi_webhook', { enabled: true, destinations: full });
		const error = await additional().activate().then(
			() => undefined,
			(thrown: unknown) => thrown,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/at most 3/);
		expect((await multi()).destinations).toEqual(full);
	});

	/**
	 * The state remove() leaves when its second POST (on again with the others) fails: multi-webhook off, and the
	 * static data saying what to restore. Returns the trigger as n8n would load it next time, and its record.
	 */
	async function interruptedRemoval(): Promise<{ resumed: TriggerHarness; record: IDataObject & { name: string } }> {
		await setConfig(CRM);
		await config().post('/multi_webhook', { enabled: true, destinations: [OTHER] });
		const h = additional();
		await h.activate();
		const record = { ...(h.nodeStaticData.additional as IDataObject), restore: [OTHER] } as unknown as IDataObject & { name: string };
		await config().post('/multi_webhook', { enabled: false });
		const resumed = new TriggerHarness({
			parameters: { registration: 'additional' } as never,
			credentials: emulatorCredential(emulator),
			staticData: { [`node:${h.node.name}`]: { ...h.nodeStaticData, additional: record } },
		});
		return { resumed, record };
	}

	it('a removal that stopped after switching multi-webhook off is finished on the next activation: the others come back', async () => {
		const { resumed, record } = await interruptedRemoval();
		expect(await resumed.activate()).toBe(true); // a record with restore never counts as registered
		const after = await multi();
		expect(after.enabled).toBe(true);
		expect(after.destinations.map((d) => d.name)).toEqual(['analytics', record.name]);
		expect(resumed.nodeStaticData.additional).toMatchObject({ enabledBefore: true });
		expect(resumed.nodeStaticData.additional).not.toHaveProperty('restore');
		await resumed.deactivate();
		expect(await multi()).toEqual({ enabled: true, destinations: [OTHER] });
	});

	it('a removal interrupted in the same way is finished by the next deactivation', async () => {
		const { resumed } = await interruptedRemoval();
		await resumed.deactivate();
		expect(await multi()).toEqual({ enabled: true, destinations: [OTHER] });
		expect(resumed.nodeStaticData.additional).toBeUndefined();
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

	it('as an additional webhook: the main webhook gets the event first, then the trigger, once', async () => {
		const main = createServer((_incoming, response) => void response.writeHead(200).end());
		await new Promise<void>((resolve) => main.listen(0, '127.0.0.1', resolve));
		try {
			const mainUrl = `http://127.0.0.1:${(main.address() as AddressInfo).port}/crm`;
			await setConfig({ url: mainUrl });
			h = new TriggerHarness({ webhookBaseUrl: url, parameters: { registration: 'additional', events: ['message', 'preference'] } as never, credentials: emulatorCredential(emulator) });
			await h.activate();
			const before = executions.length;
			const { data } = await axios.post(`${emulator.url}/_emulator/inbound`, { fixture: 'preference-marketing-stop' });
			expect(data.delivery).toMatchObject({ url: mainUrl, delivered: true, extras: [{ url: `${url}/6f1c2d3e-0000-4000-8000-000000000001/webhook`, delivered: true }] });
			expect(executions.length).toBe(before + 1);
			expect(executions.at(-1)?.map((json) => [json.event, json.type, json.waId])).toEqual([['preference', 'stop', '4915112345678']]);
			await h.deactivate();
			expect(emulator.webhook()).toEqual({ url: mainUrl });
			expect(emulator.multiWebhook()).toEqual({ enabled: false, destinations: [] });
		} finally {
			await new Promise<void>((resolve) => main.close(() => resolve()));
		}
	});
});
