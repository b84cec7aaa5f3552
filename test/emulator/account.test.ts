/**
 * The account endpoints: template creation (Meta's rules, review, status webhook, listing and
 * sending the new template), deletion, blocked users, business profile, conversational components.
 */
import type { AxiosInstance } from 'axios';

import { startEmulator, type Emulator } from './index';
import { apiClient, controlClient, envelope, RECIPIENT, WebhookReceiver } from './testUtils';

let emulator: Emulator;
let api: AxiosInstance;
let receiver: WebhookReceiver;

beforeAll(async () => {
	emulator = await startEmulator();
	api = apiClient(emulator);
	receiver = await WebhookReceiver.start();
});

afterAll(async () => {
	await receiver.close();
	await emulator.close();
});

beforeEach(async () => {
	await emulator.reset();
	receiver.clear();
	emulator.setWebhook({ url: receiver.url });
});

const utility = (overrides: Record<string, unknown> = {}) => ({
	name: 'order_shipped',
	language: 'en_US',
	category: 'UTILITY',
	components: [{ type: 'BODY', text: 'Hi {{1}}, order {{2}} has shipped.', example: { body_text: [['Max', '4711']] } }],
	...overrides,
});

describe('POST /v1/configs/templates', () => {
	it('creates a PENDING template, approves it, delivers the status webhook, lists it and lets it be sent', async () => {
		const created = await api.post('/v1/configs/templates', utility());
		expect(created.status).toBe(200);
		expect(created.data).toMatchObject({ name: 'order_shipped', language: 'en_US', status: 'PENDING', category: 'UTILITY' });
		await emulator.idle();
		const [webhook] = await receiver.waitFor(1);
		expect(webhook.body).toMatchObject({
			entry: [{ changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_name: 'order_shipped', message_template_language: 'en_US', message_template_id: Number(created.data.id) } }] }],
		});
		const listed = await api.get('/v1/configs/templates', { params: { filters: JSON.stringify({ name: 'order_shipped' }) } });
		expect(listed.data.waba_templates).toEqual([expect.objectContaining({ id: created.data.id, status: 'APPROVED' })]);
		const sent = await api.post(
			'/messages',
			envelope('template', { template: { name: 'order_shipped', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Max' }, { type: 'text', text: '4711' }] }] } }),
		);
		expect(sent.status).toBe(200);
	});

	it('authentication templates get the preset texts and can be sent with the code', async () => {
		const created = await api.post('/v1/configs/templates', {
			name: 'login_code',
			language: 'en_US',
			category: 'AUTHENTICATION',
			components: [{ type: 'BODY', add_security_recommendation: true }, { type: 'FOOTER', code_expiration_minutes: 5 }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] }],
		});
		expect(created.status).toBe(200);
		await emulator.idle();
		const sent = await api.post(
			'/messages',
			envelope('template', {
				template: { name: 'login_code', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '123456' }] }, { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '123456' }] }] },
			}),
		);
		expect(sent.status).toBe(200);
	});

	it('manual review: stays PENDING until the control API decides', async () => {
		emulator.configure({ templateReview: 'manual' });
		await api.post('/v1/configs/templates', utility());
		await emulator.idle();
		expect(emulator.templates.find((t) => t.name === 'order_shipped')?.status).toBe('PENDING');
		const decided = await controlClient(emulator).post('/templates/status', { name: 'order_shipped', language: 'en_US', status: 'REJECTED', reason: 'TAG_CONTENT_MISMATCH' });
		expect(decided.status).toBe(200);
		expect(emulator.templates.find((t) => t.name === 'order_shipped')).toMatchObject({ status: 'REJECTED', rejected_reason: 'TAG_CONTENT_MISMATCH' });
		const [webhook] = await receiver.waitFor(1);
		expect(JSON.stringify(webhook.body)).toContain('TAG_CONTENT_MISMATCH');
	});

	it.each<[string, Record<string, unknown>, RegExp]>([
		['upper-case name', utility({ name: 'Order' }), /name: lowercase/],
		['unknown category', utility({ category: 'PROMO' }), /category must be/],
		['gap in variables', utility({ components: [{ type: 'BODY', text: 'Hi {{1}} and {{3}}.', example: { body_text: [['a', 'b']] } }] }), /sequential/],
		['missing examples', utility({ components: [{ type: 'BODY', text: 'Hi {{1}}, welcome.' }] }), /sample value/],
		['variable at the end', utility({ components: [{ type: 'BODY', text: 'Hi {{1}}', example: { body_text: [['a']] } }] }), /start or end/],
		['copy code in utility', utility({ components: [{ type: 'BODY', text: 'Hi.' }, { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'X' }] }] }), /only available in marketing/],
		['quick replies split', utility({ components: [{ type: 'BODY', text: 'Hi.' }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'a' }, { type: 'URL', text: 'b', url: 'https://x.example' }, { type: 'QUICK_REPLY', text: 'c' }] }] }), /grouped/],
		['a utility time-to-live over 12 hours', utility({ message_send_ttl_seconds: 86_400 }), /message_send_ttl_seconds: 86400 is outside 30–43200 seconds for UTILITY/],
		['a marketing time-to-live under 12 hours', utility({ category: 'MARKETING', message_send_ttl_seconds: 600 }), /outside 43200–2592000 seconds for MARKETING/],
		['auth with text', { name: 'a', language: 'en', category: 'AUTHENTICATION', components: [{ type: 'BODY', text: 'x' }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] }] }, /preset body/],
	])('refuses %s with a Graph 100 error', async (_title, body, details) => {
		const answer = await api.post('/v1/configs/templates', body);
		expect(answer.status).toBe(400);
		expect(answer.data.error.code).toBe(100);
		expect(answer.data.error.error_data.details).toMatch(details);
		expect(emulator.templates.some((t) => t.name === body.name && t.language === body.language && t.status === 'PENDING')).toBe(false);
	});

	it('refuses a name and language that exist', async () => {
		const answer = await api.post('/v1/configs/templates', utility({ name: 'hello_world' }));
		expect(answer.status).toBe(400);
		expect(answer.data.error.error_data.details).toMatch(/already exists/);
	});
});

describe('DELETE /v1/configs/templates/:name', () => {
	it('deletes every language by name, or one by hsm_id', async () => {
		const german = emulator.templates.find((t) => t.name === 'order_update' && t.language === 'de');
		expect((await api.delete('/v1/configs/templates/order_update', { params: { hsm_id: german?.id } })).data).toEqual({ success: true });
		expect(emulator.templates.filter((t) => t.name === 'order_update').map((t) => t.language).sort()).toEqual(['en_US', 'fr']);
		expect((await api.delete('/v1/configs/templates/order_update')).status).toBe(200);
		expect(emulator.templates.some((t) => t.name === 'order_update')).toBe(false);
		expect((await api.delete('/v1/configs/templates/order_update')).status).toBe(400);
	});
});

describe('/block_users', () => {
	const body = (...users: string[]) => ({ messaging_product: 'whatsapp', block_users: users.map((user) => ({ user })) });

	it('blocks users who wrote in the last 24 hours; others fail with 139100', async () => {
		emulator.openConversation(RECIPIENT);
		const answer = await api.post('/block_users', body(RECIPIENT, '4915100000000'));
		expect(answer.status).toBe(400);
		expect(answer.data.error.code).toBe(139100);
		expect(answer.data.block_users.added_users).toEqual([{ input: RECIPIENT, wa_id: RECIPIENT }]);
		expect(answer.data.block_users.failed_users[0]).toMatchObject({ wa_id: '4915100000000' });
		const listed = await api.get('/block_users');
		expect(listed.data.data[0].block_users).toEqual([{ input: RECIPIENT, wa_id: RECIPIENT }]);
		expect((await api.delete('/block_users', { data: body(RECIPIENT) })).data.block_users.removed_users).toHaveLength(1);
		expect((await api.get('/block_users')).data.data[0].block_users).toEqual([]);
	});

	it('pages with cursors and refuses more than 1,000 users per call', async () => {
		for (let n = 0; n < 5; n++) emulator.state.account.block(`49151000000${n}`);
		const first = await api.get('/block_users', { params: { limit: 2 } });
		expect(first.data.data[0].block_users).toHaveLength(2);
		expect(first.data.paging.next).toBeDefined();
		const second = await api.get('/block_users', { params: { limit: 2, after: first.data.paging.cursors.after } });
		expect(second.data.data[0].block_users[0].wa_id).toBe('491510000002');
		const tooMany = await api.post('/block_users', body(...Array.from({ length: 1001 }, (_, n) => `4915100${String(n).padStart(5, '0')}`)));
		expect(tooMany.status).toBe(400);
		expect(tooMany.data.error.error_data.details).toMatch(/at most 1000/);
	});
});

describe('business profile and conversational components', () => {
	it('reads and updates the profile, refusing what Meta refuses', async () => {
		const before = await api.get('/whatsapp_business_profile', { params: { fields: 'about,vertical' } });
		expect(before.data.data[0]).toEqual({ messaging_product: 'whatsapp', about: 'Hello from the 360dialog emulator', vertical: 'RETAIL' });
		expect((await api.post('/whatsapp_business_profile', { messaging_product: 'whatsapp', about: 'New', websites: ['https://a.example'] })).data).toEqual({ success: true });
		expect((await api.get('/whatsapp_business_profile')).data.data[0]).toMatchObject({ about: 'New', websites: ['https://a.example'] });
		expect((await api.post('/whatsapp_business_profile', { messaging_product: 'whatsapp', vertical: 'SPACE' })).status).toBe(400);
		expect((await api.post('/whatsapp_business_profile', { messaging_product: 'whatsapp', about: 'x'.repeat(140) })).status).toBe(400);
	});

	it('sets and reads commands, ice breakers and the welcome message', async () => {
		const set = await api.post('/conversational_automation', { enable_welcome_message: true, prompts: ['Where is my order?'], commands: [{ command_name: 'status', command_description: 'Order status' }] });
		expect(set.data).toEqual({ success: true });
		const read = await api.get('/conversational_automation');
		expect(read.data.conversational_automation).toMatchObject({ enable_welcome_message: true, prompts: ['Where is my order?'], commands: [{ command_name: 'status', command_description: 'Order status' }] });
		expect((await api.post('/conversational_automation', { prompts: ['1', '2', '3', '4', '5'] })).status).toBe(400);
	});
});
