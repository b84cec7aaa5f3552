/**
 * Group recipients (Groups API): `recipient_type: "group"` with the group ID in `to`. Text, media and
 * templates are accepted and reported with statuses whose recipient is the group; every other type,
 * and a `to` that is not a group ID, is refused with 131009 (assumption 31).
 */
import type { AxiosInstance } from 'axios';

import { validateSendBody, validateWebhookPayload } from '../support/metaSpec';
import { startEmulator, type Emulator } from './index';
import { apiClient, WebhookReceiver } from './testUtils';

let emulator: Emulator;
let api: AxiosInstance;
let receiver: WebhookReceiver;

beforeAll(async () => {
	emulator = await startEmulator();
	api = apiClient(emulator);
	receiver = await WebhookReceiver.start();
});

afterAll(async () => {
	await emulator.close();
	await receiver.close();
});

beforeEach(async () => {
	await emulator.idle();
	await emulator.reset();
	receiver.clear();
});

const GROUP_ID = 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD';
const toGroup = (type: string, content: Record<string, unknown>, to: string = GROUP_ID) => ({
	messaging_product: 'whatsapp',
	recipient_type: 'group',
	to,
	type,
	...content,
});

describe('group recipients', () => {
	const allowed: Array<[string, Record<string, unknown>]> = [
		['text', toGroup('text', { text: { body: 'Hello group' } })],
		['image', toGroup('image', { image: { link: 'https://example.com/a.jpg', caption: 'Look' } })],
		['video', toGroup('video', { video: { id: '1234' } })],
		['audio', toGroup('audio', { audio: { id: '1234' } })],
		['document', toGroup('document', { document: { id: '1234', filename: 'menu.pdf' } })],
		['sticker', toGroup('sticker', { sticker: { id: '1234' } })],
		['template', toGroup('template', { template: { name: 'hello_world', language: { code: 'en_US' } } })],
		['a group ID with base64 padding', toGroup('text', { text: { body: 'Hi' } }, 'Y2FwaV9ncm91cDo0OTMwMTIzNDU2Nzg5OkZBS0VHUk9VUDAwMDE=')],
	];

	it.each(allowed)('accepts %s and answers with the group as the contact', async (_name, body) => {
		expect(validateSendBody(body).errors).toEqual([]);
		const response = await api.post('/messages', body);
		expect(response.status).toBe(200);
		expect(response.data.contacts).toEqual([{ input: body.to }]);
		expect(emulator.messages()[0]).toMatchObject({ groupId: body.to, waId: undefined });
	});

	it.each([
		['interactive', { interactive: { type: 'button', body: { text: 'x' }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }] } } }],
		['location', { location: { latitude: 52.5, longitude: 13.4 } }],
		['contacts', { contacts: [{ name: { formatted_name: 'Ana B', first_name: 'Ana' } }] }],
		['reaction', { reaction: { message_id: 'wamid.x', emoji: '👍' } }],
	])('refuses %s with 131009, naming the type', async (type, content) => {
		const response = await api.post('/messages', toGroup(type, content));
		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe(131009);
		expect(response.data.error.error_data.details).toContain(`type "${type}" cannot be sent to a group`);
		expect(emulator.messages()).toHaveLength(0);
	});

	it.each([['4915112345678'], ['not a group'], ['a#b']])('refuses the group ID %j with 131009', async (to) => {
		const response = await api.post('/messages', toGroup('text', { text: { body: 'Hi' } }, to));
		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe(131009);
		expect(response.data.error.error_data.details).toContain('expected a group ID from the Groups API');
	});

	it('reports sent → delivered → read with the group as recipient, without a customer-service window', async () => {
		emulator.setWebhook({ url: receiver.url });
		emulator.configure({ autoStatuses: true });
		const response = await api.post('/messages', toGroup('text', { text: { body: 'Hello group' } }));
		await emulator.idle();
		type StatusWebhook = { entry: Array<{ changes: Array<{ value: { statuses: Array<Record<string, unknown>> } }> }> };
		const statuses = receiver.received.map((r) => (r.body as StatusWebhook).entry[0].changes[0].value.statuses[0]);
		expect(statuses.map((s) => [s.id, s.status, s.recipient_id, s.recipient_type])).toEqual(
			['sent', 'delivered', 'read'].map((status) => [response.data.messages[0].id, status, GROUP_ID, 'group']),
		);
		for (const received of receiver.received) expect(validateWebhookPayload(received.body).errors).toEqual([]);
	});
});
