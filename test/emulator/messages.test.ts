/**
 * POST /messages: every message type is accepted, answered like the live API (`contacts[0].wa_id`,
 * `messages[0].id`) and recorded exactly as sent; the API key is enforced; malformed bodies get the
 * documented Graph errors.
 */
import http from 'node:http';

import type { AxiosInstance } from 'axios';

import { validateSendBody } from '../support/metaSpec';
import { startEmulator, type Emulator } from './index';
import { apiClient, envelope, RECIPIENT } from './testUtils';

let emulator: Emulator;
let api: AxiosInstance;

beforeAll(async () => {
	emulator = await startEmulator({ apiKeys: ['test-key', 'second-key'] });
	api = apiClient(emulator);
});

afterAll(() => emulator.close());

beforeEach(() => emulator.reset());

const IMAGE_LINK = 'https://cdn.example.com/media/photo.jpg';

const VALID_BODIES: Record<string, Record<string, unknown>> = {
	text: envelope('text', { text: { body: 'Hi *there* https://example.com', preview_url: true } }),
	'text with context and callback data': envelope('text', {
		context: { message_id: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD01AA==' },
		biz_opaque_callback_data: 'n8n-exec-1234',
		text: { body: 'Replying to you' },
	}),
	'image by id': envelope('image', { image: { id: '1037543291543636', caption: 'Your invoice' } }),
	'image by link': envelope('image', { image: { link: IMAGE_LINK } }),
	'video by id': envelope('video', { video: { id: '1037543291543637', caption: 'Unboxing' } }),
	'video by link': envelope('video', { video: { link: 'https://cdn.example.com/media/clip.mp4' } }),
	'audio by id': envelope('audio', { audio: { id: '1037543291543638' } }),
	'audio by link': envelope('audio', { audio: { link: 'https://cdn.example.com/media/voice.ogg' } }),
	'document by id': envelope('document', { document: { id: '1037543291543639', filename: 'invoice.pdf', caption: 'Invoice 4711' } }),
	'document by link': envelope('document', { document: { link: 'https://cdn.example.com/media/invoice.pdf', filename: 'invoice.pdf' } }),
	'sticker by id': envelope('sticker', { sticker: { id: '1037543291543640' } }),
	'sticker by link': envelope('sticker', { sticker: { link: 'https://cdn.example.com/media/sticker.webp' } }),
	location: envelope('location', { location: { latitude: 52.5219, longitude: 13.4132, name: 'Store Berlin', address: 'Alexanderplatz 1, 10178 Berlin' } }),
	contacts: envelope('contacts', {
		contacts: [
			{
				name: { formatted_name: 'Erika Musterfrau', first_name: 'Erika', last_name: 'Musterfrau' },
				phones: [{ phone: '+49 176 12345678', type: 'CELL', wa_id: '4917612345678' }],
				emails: [{ email: 'erika@example.com', type: 'WORK' }],
				org: { company: 'Example GmbH', title: 'CEO' },
				urls: [{ url: 'https://example.com', type: 'WORK' }],
				birthday: '1990-01-31',
			},
		],
	}),
	reaction: envelope('reaction', { reaction: { message_id: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD01AA==', emoji: '👍' } }),
	'reaction removal': envelope('reaction', { reaction: { message_id: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD01AA==', emoji: '' } }),
	'interactive button': envelope('interactive', {
		interactive: {
			type: 'button',
			header: { type: 'image', image: { link: IMAGE_LINK } },
			body: { text: 'Did this answer your question?' },
			footer: { text: 'Example Shop' },
			action: {
				buttons: [
					{ type: 'reply', reply: { id: 'yes', title: 'Yes' } },
					{ type: 'reply', reply: { id: 'no', title: 'No' } },
					{ type: 'reply', reply: { id: 'agent', title: 'Talk to a human 👤' } },
				],
			},
		},
	}),
	'interactive list': envelope('interactive', {
		interactive: {
			type: 'list',
			header: { type: 'text', text: 'Our menu' },
			body: { text: 'What would you like?' },
			action: {
				button: 'Choose',
				sections: [
					{ title: 'Drinks', rows: [{ id: 'coffee', title: 'Coffee', description: 'Freshly brewed' }, { id: 'tea', title: 'Tea' }] },
					{ title: 'Food', rows: [{ id: 'cake', title: 'Cake', description: 'Cheesecake of the day' }] },
				],
			},
		},
	}),
	'interactive cta_url': envelope('interactive', {
		interactive: {
			type: 'cta_url',
			header: { type: 'text', text: 'Your order' },
			body: { text: 'Track your parcel online.' },
			action: { name: 'cta_url', parameters: { display_text: 'Track parcel', url: 'https://track.example.com/4711' } },
		},
	}),
	'interactive flow': envelope('interactive', {
		interactive: {
			type: 'flow',
			header: { type: 'text', text: 'Book a table' },
			body: { text: 'Reserve your table in a few taps.' },
			action: {
				name: 'flow',
				parameters: {
					flow_message_version: '3',
					flow_token: 'n8n-flow-token',
					flow_id: '2200000000000001',
					flow_cta: 'Book now',
					flow_action: 'navigate',
					flow_action_payload: { screen: 'WELCOME', data: { guests: 2 } },
					mode: 'published',
				},
			},
		},
	}),
	'interactive location_request_message': envelope('interactive', {
		interactive: { type: 'location_request_message', body: { text: 'Where should we deliver?' }, action: { name: 'send_location' } },
	}),
	'interactive product': envelope('interactive', {
		interactive: { type: 'product', body: { text: 'Our bestseller' }, action: { catalog_id: '3300000000000001', product_retailer_id: 'SKU-4711' } },
	}),
	'interactive product_list': envelope('interactive', {
		interactive: {
			type: 'product_list',
			header: { type: 'text', text: 'Summer picks' },
			body: { text: 'Hand-picked for you.' },
			action: {
				catalog_id: '3300000000000001',
				sections: [
					{ title: 'Shirts', product_items: [{ product_retailer_id: 'SKU-1' }, { product_retailer_id: 'SKU-2' }] },
					{ title: 'Hats', product_items: [{ product_retailer_id: 'SKU-3' }] },
				],
			},
		},
	}),
	'interactive catalog_message': envelope('interactive', {
		interactive: {
			type: 'catalog_message',
			body: { text: 'Hello! Ordering is easy: browse our catalog and add items.' },
			footer: { text: 'Best deals on WhatsApp' },
			action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'SKU-4711' } },
		},
	}),
	'interactive catalog_message without thumbnail': envelope('interactive', {
		interactive: { type: 'catalog_message', body: { text: 'Browse our catalog' }, action: { name: 'catalog_message' } },
	}),
	'interactive call_permission_request': envelope('interactive', {
		interactive: {
			type: 'call_permission_request',
			body: { text: 'We would like to call you about order ON-12853.' },
			action: { name: 'call_permission_request' },
		},
	}),
	template: envelope('template', { template: { name: 'hello_world', language: { code: 'en_US' } } }),
	'template with policy and parameters': envelope('template', {
		template: {
			name: 'order_update',
			language: { code: 'de', policy: 'deterministic' },
			components: [
				{ type: 'header', parameters: [{ type: 'image', image: { id: '1234' } }] },
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: 'Max' },
						{ type: 'currency', currency: { fallback_value: '€19.90', code: 'EUR', amount_1000: 19900 } },
						{ type: 'date_time', date_time: { fallback_value: '15 January 2026' } },
					],
				},
				{ type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'STOP_PROMOTIONS' }] },
				{ type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: '4711' }] },
			],
		},
	}),
};

describe('accepted message bodies', () => {
	it.each(Object.entries(VALID_BODIES))('%s: accepted, answered with a fresh wamid and recorded as sent', async (_name, body) => {
		const response = await api.post('/messages', body);

		expect(response.status).toBe(200);
		expect(response.data).toEqual({
			messaging_product: 'whatsapp',
			contacts: [{ input: RECIPIENT, wa_id: RECIPIENT }],
			messages: [{ id: expect.stringMatching(/^wamid\./), message_status: 'accepted' }],
		});
		const recorded = emulator.messages();
		expect(recorded).toHaveLength(1);
		expect(recorded[0]).toMatchObject({ kind: 'message', wamid: response.data.messages[0].id, path: '/messages', waId: RECIPIENT });
		expect(recorded[0].body).toEqual(body);
		// The same bodies pass the spec validator other suites use.
		expect(validateSendBody(body).errors).toEqual([]);
	});

	it('gives every message its own wamid', async () => {
		const ids = new Set<string>();
		for (let i = 0; i < 20; i++) ids.add((await api.post('/messages', VALID_BODIES.text)).data.messages[0].id);
		expect(ids.size).toBe(20);
	});

	it('accepts the sandbox path /v1/messages and records which path was used', async () => {
		const response = await api.post('/v1/messages', VALID_BODIES.text);

		expect(response.status).toBe(200);
		expect(emulator.messages()[0].path).toBe('/v1/messages');
	});

	it('maps a Mexican 52… number to the 521… wa_id', async () => {
		const response = await api.post('/messages', { ...VALID_BODIES.text, to: '525512345678' });

		expect(response.data.contacts).toEqual([{ input: '525512345678', wa_id: '5215512345678' }]);
		expect(emulator.messages()[0].waId).toBe('5215512345678');
	});

	it('sends to a BSUID with "recipient" and answers with contacts[0].user_id', async () => {
		const { to: _to, ...withoutTo } = VALID_BODIES.text;
		const response = await api.post('/messages', { ...withoutTo, recipient: 'DE.1300000000000000000001' });

		expect(response.status).toBe(200);
		expect(response.data.contacts).toEqual([{ input: 'DE.1300000000000000000001', user_id: 'DE.1300000000000000000001' }]);
		expect(emulator.messages()[0]).toMatchObject({ userId: 'DE.1300000000000000000001', waId: undefined });
	});

	it('accepts a body without recipient_type (deviation recipient-type-optional)', async () => {
		const { recipient_type: _omitted, ...body } = VALID_BODIES.text;
		expect((await api.post('/messages', body)).status).toBe(200);
	});
});

describe('mark as read', () => {
	it.each([
		['plain', { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.inbound-1' }],
		['with typing indicator', { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.inbound-1', typing_indicator: { type: 'text' } }],
	])('%s: answers {"success": true} and is recorded', async (_name, body) => {
		const response = await api.post('/messages', body);

		expect(response.status).toBe(200);
		expect(response.data).toEqual({ success: true });
		expect(emulator.messages()).toEqual([expect.objectContaining({ kind: 'mark_read', wamid: null, body })]);
	});

	it('rejects an unknown typing indicator type', async () => {
		const response = await api.post('/messages', { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.x', typing_indicator: { type: 'audio' } });

		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe(131009);
		expect(response.data.error.error_data.details).toContain('typing_indicator.type');
	});

	it('rejects a status other than "read"', async () => {
		const response = await api.post('/messages', { messaging_product: 'whatsapp', status: 'delivered', message_id: 'wamid.x' });

		expect(response.data.error.code).toBe(131009);
		expect(response.data.error.error_data.details).toContain('only "read" can be set');
	});
});

describe('API key', () => {
	it('answers 401 with the gateway body when the key is missing', async () => {
		const response = await apiClient(emulator, null).post('/messages', VALID_BODIES.text);

		expect(response.status).toBe(401);
		expect(response.data).toEqual({ error: 'Invalid api_key' });
		expect(emulator.messages()).toHaveLength(0);
	});

	it('answers 401 for a wrong key, on every API path', async () => {
		const client = apiClient(emulator, 'wrong-key');
		for (const [method, path] of [
			['post', '/messages'],
			['get', '/v1/configs/webhook'],
			['get', '/health_status'],
			['get', '/message_templates'],
			['get', '/1234'],
		] as const) {
			expect((await client.request({ method, url: path, data: {} })).status).toBe(401);
		}
	});

	it('accepts every configured key', async () => {
		expect((await apiClient(emulator, 'second-key').post('/messages', VALID_BODIES.text)).status).toBe(200);
	});

	it.each([
		['meta', { meta: { success: false, httpCode: 401, developerMessage: 'Invalid api_key' } }],
		['meta-snake', { meta: { success: false, http_code: 401, developer_message: 'Invalid api_key' } }],
	] as const)('can answer in the older "%s" gateway shape', async (shape, body) => {
		emulator.configure({ gatewayErrorShape: shape });

		const response = await apiClient(emulator, 'wrong-key').post('/messages', VALID_BODIES.text);

		expect(response.status).toBe(401);
		expect(response.data).toEqual(body);
	});
});

describe('malformed bodies', () => {
	it('answers Graph 100 for a field the spec does not know, naming it', async () => {
		const response = await api.post('/messages', envelope('text', { text: { body: 'hi', bold: true } }));

		expect(response.status).toBe(400);
		expect(response.data.error).toMatchObject({ code: 100, message: '(#100) Invalid parameter', type: 'OAuthException' });
		expect(response.data.error.error_data).toEqual({ messaging_product: 'whatsapp', details: 'text.bold is not a known field here' });
		expect(response.data.error.fbtrace_id).toEqual(expect.any(String));
	});

	it('answers 131008 for a missing required parameter, naming it', async () => {
		const response = await api.post('/messages', envelope('text', { text: {} }));

		expect(response.status).toBe(400);
		expect(response.data.error).toMatchObject({ code: 131008, message: '(#131008) Required parameter is missing' });
		expect(response.data.error.error_data.details).toBe('text.body is required');
	});

	it('answers 131008 when neither "to" nor "recipient" is given', async () => {
		const { to: _to, ...body } = VALID_BODIES.text;
		const response = await api.post('/messages', body);

		expect(response.data.error.code).toBe(131008);
		expect(response.data.error.error_data.details).toContain('to is required');
	});

	it('answers 131008 when the object named by "type" is missing', async () => {
		const response = await api.post('/messages', { messaging_product: 'whatsapp', to: RECIPIENT, type: 'image' });

		expect(response.data.error.code).toBe(131008);
		expect(response.data.error.error_data.details).toContain('image is required');
	});

	it('answers 131009 for an unknown message type', async () => {
		const response = await api.post('/messages', envelope('carrier_pigeon', {}));

		expect(response.data.error.code).toBe(131009);
		expect(response.data.error.error_data.details).toContain('type is "carrier_pigeon"');
	});

	it('answers 131008 when a media object has neither id nor link, and 131009 when it has both', async () => {
		const neither = await api.post('/messages', envelope('image', { image: { caption: 'x' } }));
		const both = await api.post('/messages', envelope('image', { image: { id: '1', link: IMAGE_LINK } }));

		expect(neither.data.error.code).toBe(131008);
		expect(neither.data.error.error_data.details).toContain('image must have one of {id} | {link}');
		expect(both.data.error.code).toBe(131009);
		expect(both.data.error.error_data.details).toContain('image matches more than one allowed shape');
	});

	it('answers 131009 for a "to" that is not a phone number', async () => {
		const response = await api.post('/messages', { ...VALID_BODIES.text, to: '0151 1234' });

		expect(response.data.error.code).toBe(131009);
		expect(response.data.error.error_data.details).toContain('to is "0151 1234"');
	});

	it('answers Graph 100 for a body that is not JSON', async () => {
		const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			const request = http.request(`${emulator.url}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'D360-API-KEY': emulator.apiKey } }, (response) => {
				let body = '';
				response.on('data', (chunk) => (body += chunk));
				response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
			});
			request.on('error', reject);
			request.end('{"messaging_product": "whatsapp",');
		});

		expect(status.status).toBe(400);
		expect(JSON.parse(status.body).error.code).toBe(100);
		expect(emulator.messages()).toHaveLength(0);
	});
});
