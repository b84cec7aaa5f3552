/**
 * Webhook side: the webhook config endpoint, health status, inbound delivery (headers, retries,
 * give-up) and status webhooks after sends (window rules, pricing, spec-valid payloads).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { AxiosInstance } from 'axios';

import { validateWebhookPayload, WEBHOOK_FIXTURES_DIR } from '../support/metaSpec';
import { startEmulator, type DeliveryResult, type Emulator } from './index';
import { apiClient, controlClient, envelope, RECIPIENT, WebhookReceiver } from './testUtils';

let emulator: Emulator;
let api: AxiosInstance;
let control: AxiosInstance;
let receiver: WebhookReceiver;

beforeAll(async () => {
	emulator = await startEmulator({ webhookRetry: { baseDelayMs: 5, maxDelayMs: 20 } });
	api = apiClient(emulator);
	control = controlClient(emulator);
	receiver = await WebhookReceiver.start();
});

afterAll(async () => {
	await emulator.close();
	await receiver.close();
});

beforeEach(async () => {
	await emulator.idle();
	await emulator.reset();
	emulator.configure({ webhookRetry: { baseDelayMs: 5, maxDelayMs: 20 } });
	receiver.clear();
});

const SECRET_HEADERS = { 'X-360-Webhook-Secret': 's3cr3t' };
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(WEBHOOK_FIXTURES_DIR, `${name}.json`), 'utf8'));
const text = envelope('text', { text: { body: 'Your order has shipped' }, biz_opaque_callback_data: 'n8n-exec-42' });

type StatusWebhook = { entry: Array<{ changes: Array<{ value: { statuses: Array<Record<string, unknown>> } }> }> };
const statusOf = (body: unknown): Record<string, unknown> => (body as StatusWebhook).entry[0].changes[0].value.statuses[0];

describe('GET/POST /v1/configs/webhook', () => {
	it('returns {"url": ""} while nothing is set', async () => {
		const response = await api.get('/v1/configs/webhook');

		expect(response.status).toBe(200);
		expect(response.data).toEqual({ url: '' });
	});

	it('can answer 404 instead while nothing is set (setting unsetWebhookResponse)', async () => {
		emulator.configure({ unsetWebhookResponse: 'not-found' });

		const response = await api.get('/v1/configs/webhook');
		expect(response.status).toBe(404);
		expect(response.data).toEqual({ error: 'Webhook URL not set' });
	});

	it('returns exactly what was set, headers included', async () => {
		const config = { url: 'https://n8n.example.com/webhook/abc', headers: SECRET_HEADERS };

		const set = await api.post('/v1/configs/webhook', config);
		expect(set.status).toBe(200);
		expect(set.data).toEqual(config);
		expect((await api.get('/v1/configs/webhook')).data).toEqual(config);
		expect(emulator.webhook()).toEqual(config);

		await api.post('/v1/configs/webhook', { url: 'https://n8n.example.com/webhook/other' });
		expect((await api.get('/v1/configs/webhook')).data).toEqual({ url: 'https://n8n.example.com/webhook/other' });
	});

	it('switches delivery off with an empty url', async () => {
		await api.post('/v1/configs/webhook', { url: receiver.url });
		expect((await api.post('/v1/configs/webhook', { url: '' })).data).toEqual({ url: '' });
		expect(emulator.webhook()).toBeUndefined();
	});

	it('rejects a missing or malformed url and non-string headers', async () => {
		for (const body of [{}, { url: 'not a url' }, { url: 'ftp://example.com/x' }, { url: 'https://example.com', headers: { n: 1 } }]) {
			const response = await api.post('/v1/configs/webhook', body);
			expect(response.status).toBe(400);
			expect(response.data.error).toEqual(expect.any(String));
		}
	});

	it("enforces 360dialog's URL rules when strictWebhookUrl is on", async () => {
		emulator.configure({ strictWebhookUrl: true });

		expect((await api.post('/v1/configs/webhook', { url: 'http://n8n.example.com/webhook' })).data.error).toBe('url must use HTTPS');
		expect((await api.post('/v1/configs/webhook', { url: 'https://n8n.example.com:5678/webhook' })).data.error).toBe('url must not contain a port');
		expect((await api.post('/v1/configs/webhook', { url: 'https://my_n8n.example.com/webhook' })).data.error).toBe('url host must not contain "_"');
		expect((await api.post('/v1/configs/webhook', { url: 'https://n8n.example.com/webhook' })).status).toBe(200);
	});

	it('needs the API key', async () => {
		expect((await apiClient(emulator, 'nope').get('/v1/configs/webhook')).status).toBe(401);
	});
});

describe('/multi_webhook (additional webhooks of the number)', () => {
	const destination = (name: string, extra: Record<string, unknown> = {}) => ({ name, url: `https://hooks.example.com/${name}`, ...extra });

	it('is off with no destinations until enabled; POST enables with the first destinations, PUT appends, GET lists them', async () => {
		expect((await api.get('/multi_webhook')).data).toEqual({ enabled: false, destinations: [] });
		const enabled = await api.post('/multi_webhook', { enabled: true, destinations: [destination('crm', { headers: { 'X-Token': 'a' } })] });
		expect(enabled.status).toBe(200);
		expect(enabled.data).toEqual({ message: expect.any(String) });
		expect((await api.put('/multi_webhook', { destinations: [destination('n8n')] })).status).toBe(200);
		expect((await api.get('/multi_webhook')).data).toEqual({
			enabled: true,
			destinations: [destination('crm', { headers: { 'X-Token': 'a' } }), destination('n8n')],
		});
	});

	it('PATCH changes the url or headers of one destination by name', async () => {
		await api.post('/multi_webhook', { enabled: true, destinations: [destination('crm'), destination('n8n')] });
		expect((await api.patch('/multi_webhook', { name: 'n8n', headers: { 'X-Secret': 'b' } })).status).toBe(200);
		expect((await api.patch('/multi_webhook', { name: 'crm', url: 'https://hooks.example.com/crm2' })).status).toBe(200);
		expect(emulator.multiWebhook().destinations).toEqual([
			{ name: 'crm', url: 'https://hooks.example.com/crm2' },
			destination('n8n', { headers: { 'X-Secret': 'b' } }),
		]);
		expect((await api.patch('/multi_webhook', { name: 'N8N', url: 'https://x.example.com' })).status).toBe(404); // names are case-sensitive
	});

	it('refuses what the docs rule out: PUT or PATCH before enabling, duplicate names, more than the maximum, bad URLs', async () => {
		expect((await api.put('/multi_webhook', { destinations: [destination('a')] })).status).toBe(400);
		expect((await api.patch('/multi_webhook', { name: 'a', url: 'https://x.example.com' })).status).toBe(400);
		expect((await api.post('/multi_webhook', {})).status).toBe(400);
		await api.post('/multi_webhook', { enabled: true, destinations: [destination('a'), destination('b')] });
		expect((await api.put('/multi_webhook', { destinations: [destination('a')] })).status).toBe(409);
		expect((await api.post('/multi_webhook', { enabled: true, destinations: [destination('c')] })).status).toBe(409);
		const tooMany = await api.put('/multi_webhook', { destinations: [destination('c'), destination('d')] });
		expect(tooMany.status).toBe(400);
		expect(tooMany.data.error).toMatch(/at most 3/);
		expect((await api.put('/multi_webhook', { destinations: [{ name: 'x', url: 'not a url' }] })).status).toBe(400);
		emulator.configure({ strictWebhookUrl: true });
		expect((await api.put('/multi_webhook', { destinations: [{ name: 'p', url: 'https://hooks.example.com:8443/p' }] })).data.error).toMatch(/port/);
		expect(emulator.multiWebhook().destinations.map((d) => d.name)).toEqual(['a', 'b']);
	});

	it('POST {enabled: false} switches the additional webhooks off (and forgets them)', async () => {
		await api.post('/multi_webhook', { enabled: true, destinations: [destination('a')] });
		expect((await api.post('/multi_webhook', { enabled: false })).status).toBe(200);
		expect((await api.get('/multi_webhook')).data).toEqual({ enabled: false, destinations: [] });
	});

	it('delivers to the additional webhooks, with their own headers, only after the main webhook answered 2xx', async () => {
		emulator.setWebhook({ url: `${receiver.url}/main`, headers: { 'X-Main': 'm' } });
		await api.post('/multi_webhook', { enabled: true, destinations: [{ name: 'n8n', url: `${receiver.url}/n8n`, headers: { 'X-Extra': 'e' } }] });
		receiver.answerWith(500); // the main webhook fails once, then answers 200
		const { data } = await control.post('/inbound', { fixture: 'message-text' });
		const delivery = data.delivery as DeliveryResult;
		expect(delivery.attempts.map((a) => a.status)).toEqual([500, 200]);
		expect(delivery.extras).toEqual([expect.objectContaining({ destination: 'n8n', url: `${receiver.url}/n8n`, delivered: true })]);
		expect(receiver.received.map((r) => r.path)).toEqual(['/webhook/main', '/webhook/main', '/webhook/n8n']);
		expect(receiver.received[2].headers['x-extra']).toBe('e');
		expect(receiver.received[2].headers['x-main']).toBeUndefined();
		expect(receiver.received[2].body).toEqual(fixture('message-text'));
	});

	it('sends the additional webhooks nothing when the main webhook never answers 2xx, or is not set', async () => {
		emulator.configure({ webhookRetry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
		await api.post('/multi_webhook', { enabled: true, destinations: [{ name: 'n8n', url: `${receiver.url}/n8n` }] });
		emulator.setWebhook({ url: `${receiver.url}/main` });
		receiver.answerWith(503, 503);
		const failed = (await control.post('/inbound', { fixture: 'message-text' })).data.delivery as DeliveryResult;
		expect(failed.delivered).toBe(false);
		expect(failed.extras).toBeUndefined();
		emulator.setWebhook(undefined);
		const unset = (await control.post('/inbound', { fixture: 'message-text' })).data.delivery as DeliveryResult;
		expect(unset.note).toBe('no webhook URL configured');
		expect(receiver.received.map((r) => r.path)).toEqual(['/webhook/main', '/webhook/main']);
	});

	it('is reset with the rest', async () => {
		await api.post('/multi_webhook', { enabled: true, destinations: [destination('a')] });
		await emulator.reset();
		expect(emulator.multiWebhook()).toEqual({ enabled: false, destinations: [] });
	});
});

describe('GET /health_status', () => {
	it('reports the documented shape', async () => {
		const response = await api.get('/health_status');

		expect(response.status).toBe(200);
		expect(response.data.health_status.can_send_message).toBe('AVAILABLE');
		expect(response.data.health_status.entities.map((e: { entity_type: string }) => e.entity_type)).toEqual(['PHONE_NUMBER', 'WABA', 'BUSINESS', 'APP']);
	});

	it('can report BLOCKED with an error and a possible solution', async () => {
		emulator.configure({ healthStatus: 'BLOCKED' });

		const phone = (await api.get('/health_status')).data.health_status.entities[0];
		expect(phone.can_send_message).toBe('BLOCKED');
		expect(phone.errors[0]).toEqual({ error_code: expect.any(Number), error_description: expect.any(String), possible_solution: expect.any(String) });
	});
});

describe('inbound delivery', () => {
	beforeEach(() => emulator.setWebhook({ url: receiver.url, headers: SECRET_HEADERS }));

	it('posts a fixture unchanged to the webhook URL with the configured headers', async () => {
		const response = await control.post('/inbound', { fixture: 'message-text' });

		expect(response.status).toBe(200);
		expect(response.data.delivery).toMatchObject({ kind: 'inbound', url: receiver.url, delivered: true, attempts: [{ attempt: 1, status: 200 }] });
		expect(receiver.received).toHaveLength(1);
		expect(receiver.received[0].body).toEqual(fixture('message-text'));
		expect(receiver.received[0].headers).toMatchObject({ 'x-360-webhook-secret': 's3cr3t', 'content-type': 'application/json' });
	});

	it('retries on 500 with backoff until the receiver answers 2xx', async () => {
		receiver.answerWith(500, 500);

		const { delivery } = await emulator.deliverInbound({ fixture: 'message-image' });

		expect(delivery.delivered).toBe(true);
		expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
		expect(receiver.received).toHaveLength(3);
		expect(receiver.received.every((r) => JSON.stringify(r.body) === JSON.stringify(fixture('message-image')))).toBe(true);
		const gaps = delivery.attempts.slice(1).map((a, i) => Date.parse(a.at) - Date.parse(delivery.attempts[i].at));
		expect(gaps[0]).toBeGreaterThanOrEqual(5);
		expect(gaps[1]).toBeGreaterThanOrEqual(10);
	});

	it('gives up after maxAttempts and reports every attempt', async () => {
		emulator.configure({ webhookRetry: { maxAttempts: 3 } });
		receiver.answerWith(500, 503, 502, 200);

		const { delivery } = await emulator.deliverInbound({ fixture: 'message-text' });

		expect(delivery.delivered).toBe(false);
		expect(delivery.attempts.map((a) => a.status)).toEqual([500, 503, 502]);
		expect(emulator.deliveries()).toEqual([delivery]);
	});

	it('retries on connection errors', async () => {
		emulator.configure({ webhookRetry: { maxAttempts: 2 } });
		emulator.setWebhook({ url: 'http://127.0.0.1:1/unreachable' });

		const { delivery } = await emulator.deliverInbound({ fixture: 'message-text' });

		expect(delivery.delivered).toBe(false);
		expect(delivery.attempts).toHaveLength(2);
		expect(delivery.attempts[0].error).toMatch(/ECONNREFUSED/);
	});

	it('reports that no webhook is configured', async () => {
		emulator.setWebhook(undefined);

		const response = await control.post('/inbound', { fixture: 'message-text' });

		expect(response.data.delivery).toMatchObject({ delivered: false, url: null, attempts: [], note: 'no webhook URL configured' });
	});

	it('delivers a given payload, a generated text message, and a fixture with fresh ids', async () => {
		const payload = fixture('status-read');
		await control.post('/inbound', { payload });
		const generated = (await control.post('/inbound', { text: { from: '4917612345678', text: 'Hallo!', name: 'Erika Musterfrau' } })).data.payload;
		const fresh = (await control.post('/inbound', { fixture: 'message-text', fresh: true })).data.payload;

		expect(receiver.received.map((r) => r.body)).toEqual([payload, generated, fresh]);
		expect(validateWebhookPayload(generated).errors).toEqual([]);
		expect(generated.entry[0].changes[0].value.messages[0]).toMatchObject({ from: '4917612345678', type: 'text', text: { body: 'Hallo!' } });
		const original = (fixture('message-text') as typeof fresh).entry[0].changes[0].value.messages[0];
		expect(fresh.entry[0].changes[0].value.messages[0].id).not.toBe(original.id);
		expect(validateWebhookPayload(fresh).errors).toEqual([]);
	});

	it('rejects a request without exactly one of payload, fixture, text, or with an unknown fixture', async () => {
		expect((await control.post('/inbound', {})).status).toBe(400);
		expect((await control.post('/inbound', { fixture: 'message-text', text: { from: '1', text: 'x' } })).status).toBe(400);
		const unknown = await control.post('/inbound', { fixture: '../../etc/passwd' });
		expect(unknown.status).toBe(400);
		expect(unknown.data.error).toContain('unknown webhook fixture');
	});

	it('delivers one at a time, in order', async () => {
		receiver.answerWith(500);
		const results = await Promise.all([
			emulator.deliverInbound({ fixture: 'message-text' }),
			emulator.deliverInbound({ fixture: 'message-reaction' }),
			emulator.deliverInbound({ fixture: 'message-location' }),
		]);

		expect(results.map((r) => r.delivery.delivered)).toEqual([true, true, true]);
		type InboundWebhook = { entry: Array<{ changes: Array<{ value: { messages: Array<{ type: string }> } }> }> };
		const typeOf = (body: unknown): string => (body as InboundWebhook).entry[0].changes[0].value.messages[0].type;
		expect(receiver.received.map((r) => typeOf(r.body))).toEqual([
			'text',
			'text',
			'reaction',
			'location',
		]);
	});
});

describe('status webhooks', () => {
	beforeEach(() => {
		emulator.setWebhook({ url: receiver.url });
		emulator.configure({ autoStatuses: true });
	});

	async function statusesAfterSend(body: Record<string, unknown>): Promise<{ wamid: string; statuses: Array<Record<string, unknown>> }> {
		const response = await api.post('/messages', body);
		expect(response.status).toBe(200);
		await emulator.idle();
		const wamid = response.data.messages[0].id as string;
		const statuses = receiver.received.map((r) => statusOf(r.body)).filter((s) => s.id === wamid);
		for (const received of receiver.received) expect(validateWebhookPayload(received.body).errors).toEqual([]);
		return { wamid, statuses };
	}

	it('sends sent → delivered → read for a free-form message inside the customer-service window', async () => {
		await emulator.deliverInbound({ text: { from: RECIPIENT, text: 'Where is my parcel?' } });
		receiver.clear();

		const { wamid, statuses } = await statusesAfterSend(text);

		expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
		const [sent, delivered, read] = statuses;
		expect(sent).toMatchObject({
			id: wamid,
			recipient_id: RECIPIENT,
			biz_opaque_callback_data: 'n8n-exec-42',
			conversation: { id: expect.any(String), expiration_timestamp: expect.stringMatching(/^\d+$/), origin: { type: 'service' } },
			pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
		});
		expect(delivered.conversation).toEqual(sent.conversation);
		expect(read).not.toHaveProperty('conversation');
		expect(read).not.toHaveProperty('pricing');
		expect(emulator.messages().find((m) => m.wamid === wamid)?.statuses).toEqual(['sent', 'delivered', 'read']);
	});

	it('sends failed with 131047 for a free-form message without an open window', async () => {
		const { statuses } = await statusesAfterSend(text);

		expect(statuses).toHaveLength(1);
		expect(statuses[0]).toMatchObject({ status: 'failed', recipient_id: RECIPIENT, errors: [{ code: 131047, title: 'Re-engagement message' }] });
		expect(statuses[0]).not.toHaveProperty('pricing');
	});

	it('treats a window opened more than 24 h ago as closed', async () => {
		await control.post('/conversations', { waId: RECIPIENT, openedAt: Date.now() - 25 * 60 * 60 * 1000 });

		const { statuses } = await statusesAfterSend(text);
		expect(statuses.map((s) => s.status)).toEqual(['failed']);
	});

	it('always delivers templates, priced in the template category', async () => {
		const { statuses } = await statusesAfterSend(envelope('template', { template: { name: 'hello_world', language: { code: 'en_US' } } }));

		expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
		expect(statuses[0].pricing).toEqual({ billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' });
	});

	it('keys the window on the canonical wa_id (Mexico 52… → 521…)', async () => {
		await control.post('/conversations', { waId: '5215512345678' });

		const { statuses } = await statusesAfterSend({ ...text, to: '525512345678' });
		expect(statuses.map((s) => [s.status, s.recipient_id])).toEqual([
			['sent', '5215512345678'],
			['delivered', '5215512345678'],
			['read', '5215512345678'],
		]);
	});

	it('addresses statuses of BSUID sends with recipient_user_id', async () => {
		const userId = 'DE.1300000000000000000001';
		await emulator.deliverInbound({ text: { from: '4917612345678', userId, text: 'Hi' } });
		receiver.clear();
		const { to: _to, ...withoutTo } = text;

		const { statuses } = await statusesAfterSend({ ...withoutTo, recipient: userId });
		expect(statuses[0]).toMatchObject({ status: 'sent', recipient_user_id: userId });
		expect(statuses[0]).not.toHaveProperty('recipient_id');
	});

	it('sends nothing while autoStatuses is off (the default)', async () => {
		emulator.configure({ autoStatuses: false });
		emulator.openConversation(RECIPIENT);

		await statusesAfterSend(text);
		expect(receiver.received).toHaveLength(0);
	});

	it('sends a chosen status on request', async () => {
		emulator.configure({ autoStatuses: false });
		const wamid = (await api.post('/messages', text)).data.messages[0].id as string;

		const delivered = await control.post('/statuses', { messageId: wamid, status: 'delivered' });
		const failed: DeliveryResult = await emulator.emitStatus(wamid, 'failed', 131026);

		expect(delivered.data.delivered).toBe(true);
		expect(failed.delivered).toBe(true);
		expect(receiver.received.map((r) => statusOf(r.body).status)).toEqual(['delivered', 'failed']);
		expect(statusOf(receiver.received[1].body).errors).toEqual([expect.objectContaining({ code: 131026, title: 'Message undeliverable' })]);
		expect((await control.post('/statuses', { messageId: 'wamid.unknown', status: 'read' })).status).toBe(404);
		expect((await control.post('/statuses', { messageId: wamid, status: 'deleted' })).status).toBe(400);
	});

	it('lists finished deliveries on GET /_emulator/deliveries', async () => {
		emulator.openConversation(RECIPIENT);
		await statusesAfterSend(text);

		const deliveries = (await control.get('/deliveries')).data as DeliveryResult[];
		expect(deliveries.map((d) => [d.kind, d.delivered])).toEqual([
			['status', true],
			['status', true],
			['status', true],
		]);
	});
});
