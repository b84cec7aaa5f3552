/**
 * The 360dialog Trigger's webhook(), driven through n8n-core's real WebhookContext on a real
 * Workflow (test/support/webhookHarness.ts). Static data is saved and reloaded between
 * deliveries as n8n does, so dedupe is checked across executions. The node's description:
 * test/unit/trigger/description.test.ts; webhook registration: trigger-registration.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { MAX_BODY_BYTES } from '../../nodes/Dialog360Trigger/delivery';
import { EVENT_KINDS } from '../../nodes/Dialog360Trigger/parser';
import { WEBHOOK_HEADER } from '../../nodes/Dialog360Trigger/secret';
import { listWebhookFixtures, loadWebhookFixture } from '../support/fixtures';
import { emulatorCredential, useEmulator } from '../support/useEmulator';
import { DEFAULT_SETTLE_MS } from '../../nodes/Dialog360Trigger/claims';
import { processDedupeWindows } from '../../nodes/Dialog360Trigger/dedupe';
import { processedDataStore, type RacyProcessedData } from '../support/processedData';
import { FakeResponse, TriggerHarness, type Delivery, type FakeRequest } from '../support/webhookHarness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

const SECRET = 'test-secret-0123456789abcdef';
const AUTH = { [WEBHOOK_HEADER]: SECRET };
const ALL_EVENTS = [...EVENT_KINDS];
/** The fixtures of customer messages and message statuses (the others: OTHER_KINDS below). */
const MESSAGE_AND_STATUS_FIXTURES = listWebhookFixtures().filter((name) => /^(message|status)-|^batch-3-/.test(name));

/** Every other fixture: the items it gives, as `event:type`, written out from the fixture files. */
const OTHER_KINDS: Record<string, string[]> = {
	'account-alerts': ['account:account_alerts'],
	'account-business-capability': ['account:business_capability_update'],
	'account-phone-name': ['account:phone_number_name_update'],
	'account-phone-quality': ['account:phone_number_quality_update'],
	'account-review': ['account:account_review_update'],
	'account-update-restriction': ['account:account_update'],
	'app-state-contact-add': ['app_state:contact'],
	'batch-mixed-kinds': ['message:text', 'status:delivered', 'call:connect', 'preference:stop', 'template:message_template_status_update'],
	'call-connect': ['call:connect'],
	'call-permission-reply': ['call:permission_reply'],
	'call-status-ringing': ['call:status'],
	'call-terminate': ['call:terminate'],
	'echo-text': ['echo:text'],
	'error-value-level': ['error:error'],
	'group-lifecycle-create': ['group:group_create'],
	'group-participants-remove': ['group:group_remove_participants'],
	'group-settings-update': ['group:group_settings_update'],
	'history-chunk': ['history:text', 'history:text'],
	'history-declined': ['history:error'],
	'preference-marketing-resume': ['preference:resume'],
	'preference-marketing-stop': ['preference:stop'],
	'template-category': ['template:template_category_update'],
	'template-components': ['template:message_template_components_update'],
	'template-quality': ['template:message_template_quality_update'],
	'template-status-approved': ['template:message_template_status_update'],
	'unknown-future-field': ['unknown:message_ratings_update'],
};

function harness(parameters: IDataObject = {}, extra: ConstructorParameters<typeof TriggerHarness>[0] = {}): TriggerHarness {
	return new TriggerHarness({ ...extra, parameters: { webhookSecret: SECRET, ...parameters } as never });
}

const deliver = (h: TriggerHarness, body: unknown, more: Omit<Delivery, 'json'> = {}) => h.deliver({ headers: AUTH, json: body, ...more });

/** Expected (event, type) pairs of a body, read straight from the fixture (independent of the parser). */
function expectedEvents(body: Body): Array<{ event: string; type: string; id: string }> {
	const out: Array<{ event: string; type: string; id: string }> = [];
	for (const entry of body.entry) {
		for (const change of entry.changes) {
			for (const message of change.value.messages ?? []) {
				const type = message.type === 'interactive' ? `interactive.${message.interactive.type}` : message.type;
				out.push({ event: 'message', type, id: message.id });
			}
			for (const status of change.value.statuses ?? []) out.push({ event: 'status', type: status.status, id: status.id });
		}
	}
	return out;
}

/** A text message whose wamid and text differ per `n`. */
function textMessage(n: number, from = '4915112345678'): Body {
	const body = loadWebhookFixture('message-text');
	const message = body.entry[0].changes[0].value.messages[0];
	message.id = `wamid.unit-${n}`;
	message.from = from;
	message.text.body = `message ${n}`;
	return body;
}

describe('fixtures', () => {
	it('every fixture is checked by one of the two tests below', () => {
		expect([...MESSAGE_AND_STATUS_FIXTURES, ...Object.keys(OTHER_KINDS)].sort()).toEqual(listWebhookFixtures());
	});

	it.each(Object.keys(OTHER_KINDS))('%s → its kinds, one item each, in body order', async (name) => {
		const h = harness({ events: ALL_EVENTS });
		const result = await deliver(h, loadWebhookFixture(name));
		expect(result).toMatchObject({ status: 200, body: '', executionStarted: true });
		expect(result.items.map(({ json }) => `${json.event}:${json.type}`)).toEqual(OTHER_KINDS[name]);
		for (const item of result.items) {
			expect(typeof item.json.timestamp).toBe('string');
			expect(item.json.raw).toEqual(expect.any(Object));
		}
	});

	it('the WhatsApp Business app kinds start nothing unless selected, even with an empty selection', async () => {
		for (const events of [[], ['message', 'status', 'call']]) {
			const h = harness({ events });
			for (const name of ['echo-text', 'history-chunk', 'app-state-contact-add']) {
				expect(await deliver(h, loadWebhookFixture(name))).toMatchObject({ status: 200, executionStarted: false });
			}
		}
		const optedIn = harness({ events: ['echo'] });
		expect((await deliver(optedIn, loadWebhookFixture('echo-text'))).items.map(({ json }) => json.event)).toEqual(['echo']);
	});

	it('a call status reaches neither a workflow on message statuses nor is it emitted as one', async () => {
		const h = harness({ events: ['status'] });
		expect(await deliver(h, loadWebhookFixture('call-status-ringing'))).toMatchObject({ status: 200, executionStarted: false });
	});

	it.each(MESSAGE_AND_STATUS_FIXTURES)('%s → one item per event, with the raw object', async (name) => {
		const body = loadWebhookFixture(name);
		const expected = expectedEvents(body);
		expect(expected.length).toBeGreaterThan(0);
		const h = harness({ events: ALL_EVENTS });
		const result = await deliver(h, body);
		expect(result.status).toBe(200);
		expect(result.body).toBe('');
		expect(result.executionStarted).toBe(true);
		// n8n answers (200, empty: responseData noData) once it has created the execution.
		expect(result.result.noWebhookResponse).toBeUndefined();
		// The receipts execute() reads never reach the workflow.
		expect(result.handedOver.every((item) => '__dialog360Receipt' in item.json)).toBe(true);
		expect(result.items.some((item) => '__dialog360Receipt' in item.json)).toBe(false);
		expect(result.items.map((item) => item.pairedItem)).toEqual(result.items.map((_, i) => ({ item: i })));
		expect(result.items.map(({ json }) => ({ event: json.event, type: json.type, id: json.messageId }))).toEqual(expected);
		for (const item of result.items) {
			expect(item.json.raw).toEqual(expect.objectContaining({ id: item.json.messageId }));
			expect(item.binary).toBeUndefined();
		}
	});

	it('emits only messages by default, so status deliveries start nothing', async () => {
		const h = harness();
		expect(h.node.parameters.events).toEqual(['message']);
		const status = await deliver(h, loadWebhookFixture('status-read'));
		expect(status).toMatchObject({ status: 200, body: '', executionStarted: false, items: [] });
		const batch = await deliver(h, loadWebhookFixture('batch-3-messages-2-statuses'));
		expect(batch.items.map(({ json }) => json.event)).toEqual(['message', 'message', 'message']);
	});

	it('reads the legacy flat body (sandbox / On-Premise shape)', async () => {
		const h = harness();
		const result = await deliver(h, {
			contacts: [{ profile: { name: 'Max' }, wa_id: '4915112345678' }],
			messages: [{ from: '4915112345678', id: 'wamid.legacy-1', timestamp: '1767225600', type: 'text', text: { body: 'hi' } }],
		});
		expect(result.items.map(({ json }) => [json.type, json.text])).toEqual([['text', 'hi']]);
	});
});

describe('secret header', () => {
	it('refuses a missing header with 401 and starts nothing', async () => {
		const h = harness();
		const result = await h.deliver({ json: loadWebhookFixture('message-text') });
		expect(result.status).toBe(401);
		expect(JSON.parse(result.body)).toEqual({ error: `Unauthorized: missing or wrong ${WEBHOOK_HEADER} header` });
		expect(result.executionStarted).toBe(false);
		expect(result.result).toEqual({ noWebhookResponse: true });
		expect(h.saves).toBe(0);
	});

	it.each([
		['a wrong secret', `${SECRET}x`],
		['a prefix of the secret', SECRET.slice(0, 10)],
		['an empty value', ''],
	])('refuses %s with 401', async (_, value) => {
		const h = harness();
		const result = await h.deliver({ headers: { [WEBHOOK_HEADER]: value }, json: loadWebhookFixture('message-text') });
		expect(result.status).toBe(401);
		expect(result.executionStarted).toBe(false);
	});

	it('refuses a header sent twice', async () => {
		const h = harness();
		const request: FakeRequest = {
			method: 'POST',
			headers: { [WEBHOOK_HEADER.toLowerCase()]: [SECRET, SECRET], 'content-type': 'application/json' },
			body: loadWebhookFixture('message-text'),
			query: {},
			params: {},
		};
		const response = new FakeResponse();
		const result = await h.handle(request, response);
		expect(response.statusCode).toBe(401);
		expect(result.workflowData).toBeUndefined();
	});

	it('checks the secret before the body, so a spoofed caller learns nothing about it', async () => {
		const h = harness();
		const result = await h.deliver({ headers: { [WEBHOOK_HEADER]: 'nope' }, raw: '{not json' });
		expect(result.status).toBe(401);
	});

	it('accepts any casing of the header name', async () => {
		const h = harness();
		const result = await h.deliver({ headers: { 'x-360-WEBHOOK-secret': SECRET }, json: loadWebhookFixture('message-text') });
		expect(result.status).toBe(200);
		expect(result.executionStarted).toBe(true);
	});

	it('uses the generated secret from static data when the field is empty', async () => {
		const generated = 'a'.repeat(64);
		const h = new TriggerHarness({ staticData: { 'node:360dialog Trigger': { secret: generated } } });
		expect((await h.deliver({ headers: { [WEBHOOK_HEADER]: generated }, json: loadWebhookFixture('message-text') })).executionStarted).toBe(true);
		expect((await h.deliver({ headers: { [WEBHOOK_HEADER]: SECRET }, json: textMessage(1) })).status).toBe(401);
	});

	it('refuses everything when no secret exists at all (fails closed)', async () => {
		const h = new TriggerHarness();
		const result = await h.deliver({ headers: { [WEBHOOK_HEADER]: '' }, json: loadWebhookFixture('message-text') });
		expect(result.status).toBe(401);
		expect(result.executionStarted).toBe(false);
	});
});

describe('body checks (400, no execution)', () => {
	it.each<[string, Delivery]>([
		['malformed JSON', { raw: '{"object": "whatsapp_business_account", "entry": [' }],
		['an empty body', { raw: '' }],
		['only whitespace', { raw: '  \n ' }],
		['no body at all', {}],
		['a JSON array', { json: [loadWebhookFixture('message-text')] }],
		['a JSON string', { raw: '"hello"' }],
		['a JSON number', { json: 42 }],
		['an unparsed text body that is not JSON', { body: 'hello' }],
	])('%s', async (_, delivery) => {
		const h = harness();
		const result = await h.deliver({ headers: AUTH, ...delivery });
		expect(result.status).toBe(400);
		expect(JSON.parse(result.body).error).toMatch(/^The request body /);
		expect(result.executionStarted).toBe(false);
		expect(result.result).toEqual({ noWebhookResponse: true });
		expect(h.saves).toBe(0);
	});

	it('a 10 MB body', async () => {
		const h = harness();
		const body = { ...loadWebhookFixture('message-text'), padding: 'x'.repeat(10 * 1024 * 1024) };
		const result = await deliver(h, body);
		expect(result.status).toBe(400);
		expect(JSON.parse(result.body).error).toContain(`the limit is ${MAX_BODY_BYTES}`);
		expect(result.executionStarted).toBe(false);
	});

	it('accepts a body just under the limit', async () => {
		const h = harness();
		const body = loadWebhookFixture('message-text');
		const size = Buffer.byteLength(JSON.stringify(body));
		const result = await deliver(h, { ...body, padding: 'x'.repeat(MAX_BODY_BYTES - size - 20) });
		expect(result.status).toBe(200);
		expect(result.executionStarted).toBe(true);
	});

	it('reads a JSON body that n8n left unparsed (other content type)', async () => {
		const h = harness();
		const raw = `\ufeff${JSON.stringify(loadWebhookFixture('message-text'))}`;
		const result = await h.deliver({ headers: { ...AUTH, 'content-type': 'text/plain' }, raw, body: raw });
		expect(result.executionStarted).toBe(true);
		expect(result.items).toHaveLength(1);
	});

	it('answers 200 without an execution for an authenticated JSON object that carries no events', async () => {
		const h = harness({ events: ALL_EVENTS });
		const result = await deliver(h, { object: 'whatsapp_business_account', entry: [] });
		expect(result).toMatchObject({ status: 200, body: '', executionStarted: false });
	});
});

describe('filters', () => {
	it('drops everything → 200 with an empty body and no execution', async () => {
		const h = harness({ events: ['status'] });
		const result = await deliver(h, loadWebhookFixture('message-text'));
		expect(result.status).toBe(200);
		expect(result.body).toBe('');
		expect(result.executionStarted).toBe(false);
		expect(result.result).toEqual({ noWebhookResponse: true });
		// Filtered events never enter the dedupe window.
		expect(h.nodeStaticData.dedupe).toBeUndefined();
	});

	it('keeps only the chosen message types', async () => {
		const h = harness({ options: { messageTypes: ['image'] } });
		expect((await deliver(h, loadWebhookFixture('message-text'))).executionStarted).toBe(false);
		const image = await deliver(h, loadWebhookFixture('message-image'));
		expect(image.items.map(({ json }) => json.type)).toEqual(['image']);
	});

	it('keeps only the chosen statuses from a batch', async () => {
		const h = harness({ events: ['status'], options: { statuses: ['read'] } });
		const result = await deliver(h, loadWebhookFixture('batch-3-messages-2-statuses'));
		expect(result.items.map(({ json }) => [json.event, json.type])).toEqual([['status', 'read']]);
	});

	it('treats an empty event selection as all events', async () => {
		const h = harness({ events: [] });
		const result = await deliver(h, loadWebhookFixture('batch-3-messages-2-statuses'));
		expect(result.items).toHaveLength(5);
	});

	it('emits template/account updates and value-level errors when chosen', async () => {
		const h = harness({ events: ['template', 'error'] });
		const body = {
			object: 'whatsapp_business_account',
			entry: [
				{
					id: '102000000000001',
					time: 1767226000,
					changes: [
						{
							field: 'message_template_status_update',
							value: { event: 'APPROVED', message_template_id: 1234567890, message_template_name: 'order_update', message_template_language: 'de', reason: 'NONE' },
						},
						{
							field: 'messages',
							value: {
								messaging_product: 'whatsapp',
								metadata: { display_phone_number: '4930123456789', phone_number_id: '109000000000001' },
								errors: [{ code: 131000, title: 'Something went wrong', message: 'Something went wrong' }],
							},
						},
					],
				},
			],
		};
		const result = await deliver(h, body);
		expect(result.items.map(({ json }) => [json.event, json.type, json.updateEvent ?? json.errorCode])).toEqual([
			['template', 'message_template_status_update', 'APPROVED'],
			['error', 'error', 131000],
		]);
	});
});

describe('echoes', () => {
	const echo = () => textMessage(7, '4930123456789'); // from = the business number (metadata.display_phone_number)

	it('ignores the business number’s own messages by default', async () => {
		const h = harness();
		const result = await deliver(h, echo());
		expect(result).toMatchObject({ status: 200, body: '', executionStarted: false });
	});

	it('ignores from_me echoes', async () => {
		const body = textMessage(8);
		body.entry[0].changes[0].value.messages[0].from_me = true;
		expect((await deliver(harness(), body)).executionStarted).toBe(false);
	});

	it('emits them when Ignore Own Messages is off', async () => {
		const h = harness({ options: { ignoreOwnEchoes: false } });
		const result = await deliver(h, echo());
		expect(result.items.map(({ json }) => json.from)).toEqual(['4930123456789']);
	});
});

describe('deduplication across deliveries', () => {
	let store: RacyProcessedData;
	beforeAll(async () => {
		store = await processedDataStore();
	});

	/** The values of this harness's processed-data row (hashes), as n8n's database would hold them. */
	const row = (h: TriggerHarness): string[] => {
		const value = store.rows.get(`${h.workflowId}|n:${h.node.id}`);
		return value === undefined ? [] : (JSON.parse(value) as { data: string[] }).data;
	};

	it('starts no execution for a redelivery once the first was acknowledged, and records the key in n8n’s processed data', async () => {
		const h = harness();
		const first = await deliver(h, loadWebhookFixture('message-text'));
		expect(first.executionStarted).toBe(true);
		expect(first.items).toHaveLength(1);
		expect(row(h)).toHaveLength(1);
		const second = await deliver(h, loadWebhookFixture('message-text'));
		expect(second).toMatchObject({ status: 200, body: '', executionStarted: false });
		// Nothing is written to static data for dedupe any more.
		expect(h.nodeStaticData.dedupe).toBeUndefined();
	});

	it('two deliveries at the same moment: both are handed over, one execution emits', async () => {
		const h = harness();
		const body = loadWebhookFixture('message-text');
		const [first, second] = await Promise.all([deliver(h, body), deliver(h, body)]);
		expect([first.executionStarted, second.executionStarted]).toEqual([true, true]);
		expect([first.items.length, second.items.length].sort()).toEqual([0, 1]);
	});

	it('after a restart (this process’s window gone) a redelivery starts an execution that emits nothing', async () => {
		const h = harness();
		expect((await deliver(h, textMessage(40))).items).toHaveLength(1);
		processDedupeWindows.clear();
		const again = await deliver(h, textMessage(40));
		expect(again.executionStarted).toBe(true);
		expect(again.items).toEqual([]);
	});

	it('an event received by another process (queue mode) is claimed with a tag and confirmed after the settle time', async () => {
		const h = harness();
		const body = textMessage(41);
		const handedOver = (await deliver(h, body)).handedOver;
		// The same delivery as a webhook processor elsewhere would hand it over, run twice at the same moment.
		const elsewhere = handedOver.map((item) => ({ json: { ...item.json, __dialog360Receipt: { ...(item.json.__dialog360Receipt as IDataObject), by: 'another-process' } } }));
		processDedupeWindows.clear();
		store.rows.delete(`${h.workflowId}|n:${h.node.id}`);
		const t0 = Date.now();
		const [a, b] = await Promise.all([h.runExecution(elsewhere), h.runExecution(elsewhere)]);
		expect([a.length, b.length].sort()).toEqual([0, 1]);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(DEFAULT_SETTLE_MS);
		// key + the winner's tag (+ the loser's tag, written in its confirming round)
		expect(row(h).length).toBeGreaterThanOrEqual(2);
	});

	it('a test event (manual mode) is emitted and not recorded, so the production delivery still runs', async () => {
		const h = harness();
		const handedOver = (await h.deliver({ headers: AUTH, json: textMessage(42) })).handedOver;
		store.rows.delete(`${h.workflowId}|n:${h.node.id}`);
		expect(await h.runExecution(handedOver, { mode: 'manual' })).toHaveLength(1);
		expect(row(h)).toHaveLength(0);
	});

	it('emits a message once when it comes twice in one body', async () => {
		const body = loadWebhookFixture('message-text');
		const value = body.entry[0].changes[0].value;
		value.messages.push({ ...value.messages[0] });
		const result = await deliver(harness(), body);
		expect(result.items).toHaveLength(1);
	});

	it('keys statuses on message ID and status', async () => {
		const h = harness({ events: ['status'] });
		const read = loadWebhookFixture('status-read');
		const id = read.entry[0].changes[0].value.statuses[0].id;
		const delivered = loadWebhookFixture('status-delivered');
		delivered.entry[0].changes[0].value.statuses[0].id = id;
		expect((await deliver(h, read)).items).toHaveLength(1);
		expect((await deliver(h, delivered)).items).toHaveLength(1);
		expect((await deliver(h, read)).executionStarted).toBe(false);
		expect((await deliver(h, delivered)).executionStarted).toBe(false);
	});

	it('passes only the new events of a partly repeated batch', async () => {
		const h = harness();
		await deliver(h, textMessage(1));
		const batch = textMessage(1);
		batch.entry[0].changes[0].value.messages.push(textMessage(2).entry[0].changes[0].value.messages[0]);
		const result = await deliver(h, batch);
		expect(result.items.map(({ json }) => json.messageId)).toEqual(['wamid.unit-2']);
	});

	it('is off with a window of 0 hours and records nothing', async () => {
		const h = harness({ options: { dedupeWindowHours: 0 } });
		expect((await deliver(h, loadWebhookFixture('message-text'))).items).toHaveLength(1);
		expect((await deliver(h, loadWebhookFixture('message-text'))).items).toHaveLength(1);
		expect(row(h)).toHaveLength(0);
		expect(h.saves).toBe(0);
	});

	it('forgets after the window in this process; the processed data still knows the event', async () => {
		const h = harness({ options: { dedupeWindowHours: 1 } });
		const now = jest.spyOn(Date, 'now');
		try {
			now.mockReturnValue(Date.UTC(2026, 0, 1, 12));
			expect((await deliver(h, loadWebhookFixture('message-text'))).executionStarted).toBe(true);
			now.mockReturnValue(Date.UTC(2026, 0, 1, 12, 59));
			expect((await deliver(h, loadWebhookFixture('message-text'))).executionStarted).toBe(false);
			now.mockReturnValue(Date.UTC(2026, 0, 1, 13, 1));
			const late = await deliver(h, loadWebhookFixture('message-text'));
			expect(late.executionStarted).toBe(true);
			expect(late.items).toEqual([]);
		} finally {
			now.mockRestore();
		}
	});

	it('keeps its memory bounded under a flood of distinct messages (Remembered Events)', async () => {
		const h = harness({ options: { rememberedEvents: 4000 } });
		for (let batch = 0; batch < 3; batch++) {
			const body = textMessage(batch * 3000);
			const value = body.entry[0].changes[0].value;
			const template = value.messages[0];
			value.messages = Array.from({ length: 3000 }, (_, i) => ({ ...template, id: `wamid.flood-${batch}-${i}` }));
			const result = await deliver(h, body);
			expect(result.items).toHaveLength(3000);
		}
		expect(row(h)).toHaveLength(4000);
	});
});

describe('media download option', () => {
	// No reset between tests: they share the media uploaded once below.
	const emulator = useEmulator({ resetBeforeEach: false });
	let mediaId: string;
	const bytes = Buffer.from('\xff\xd8\xff\xe0 fake jpeg bytes for the trigger test', 'latin1');

	beforeAll(async () => {
		const form = new FormData();
		form.append('messaging_product', 'whatsapp');
		form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'parcel.jpg');
		const response = await fetch(`${emulator.url}/media`, { method: 'POST', headers: { 'D360-API-KEY': emulator.apiKey }, body: form });
		expect(response.status).toBe(200);
		mediaId = ((await response.json()) as { id: string }).id;
	});

	const mediaHarness = (options: IDataObject = {}) =>
		harness(
			{ events: ALL_EVENTS, options: { downloadMedia: true, ...options } },
			{ credentials: emulatorCredential(emulator) },
		);

	function imageMessage(id: string, n: number): Body {
		const body = loadWebhookFixture('message-image');
		const message = body.entry[0].changes[0].value.messages[0];
		message.id = `wamid.media-${n}`;
		message.image.id = id;
		return body;
	}

	/** Records how many requests the emulator had seen when the 200 was written. */
	class AckRecorder extends FakeResponse {
		requestsAtAck = -1;

		end(body?: string): this {
			this.requestsAtAck = emulator.requests().length;
			return super.end(body);
		}
	}

	it('acknowledges first, then downloads into binary data in the execution', async () => {
		const h = mediaHarness({ binaryPropertyName: 'photo' });
		const before = emulator.requests().length;
		const response = new AckRecorder();
		const request: FakeRequest = { method: 'POST', headers: { ...lower(AUTH), 'content-type': 'application/json' }, body: imageMessage(mediaId, 1), query: {}, params: {} };
		const result = await h.handle(request, response);
		expect(response.statusCode).toBe(200);
		expect(response.body).toBe('');
		expect(response.requestsAtAck).toBe(before); // no media request before the ack
		expect(emulator.requests().length).toBe(before); // nor in webhook(): the download belongs to the execution
		const items = await h.runExecution(result.workflowData![0]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ event: 'message', type: 'image', mediaId });
		expect(items[0].json.mediaDownloadError).toBeUndefined();
		const binary = items[0].binary!.photo;
		expect(binary.mimeType).toBe('image/jpeg');
		expect(Buffer.from(binary.data, 'base64')).toEqual(bytes);
		expect(emulator.requests().length).toBeGreaterThan(before);
	});

	it('keeps the event with mediaDownloadError when the download fails', async () => {
		const h = mediaHarness();
		const result = await deliver(h, imageMessage('1000000000000999', 2));
		expect(result.status).toBe(200);
		expect(result.executionStarted).toBe(true);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].binary).toBeUndefined();
		expect(result.items[0].json.mediaDownloadError).toEqual(expect.stringContaining('1000000000000999'));
	});

	it('downloads nothing for events without media', async () => {
		const h = mediaHarness();
		const before = emulator.requests().length;
		const result = await deliver(h, textMessage(3));
		expect(result).toMatchObject({ status: 200, body: '', executionStarted: true });
		expect(result.items[0].binary).toBeUndefined();
		expect(emulator.requests().length).toBe(before);
	});
});

function lower(headers: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
