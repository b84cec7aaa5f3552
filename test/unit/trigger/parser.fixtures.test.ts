/**
 * Every shared webhook fixture, parsed, compared with items written out by hand from the
 * fixture files and Meta's webhook reference
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components). `toStrictEqual`
 * also fails on extra keys.
 */
import { guidanceFor } from '../../../nodes/common/errors';
import { parseWebhook, type WebhookEvent } from '../../../nodes/Dialog360Trigger/parser';
import { listWebhookFixtures, loadWebhookFixture } from '../../support/fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

const BUSINESS = {
	phoneNumberId: '109000000000001',
	displayPhoneNumber: '4930123456789',
	wabaId: '102000000000001',
	field: 'messages',
};
const MAX = { from: '4915112345678', waId: '4915112345678', contactName: 'Max Mustermann' };

const value = (body: Body, change = 0) => body.entry[0].changes[change].value;
const message = (body: Body, index = 0, change = 0) => value(body, change).messages[index];
const status = (body: Body, index = 0, change = 0) => value(body, change).statuses[index];

/** Expected items per fixture; `raw` is taken from the same body so it can be checked by reference. */
const EXPECTED: Record<string, (body: Body) => WebhookEvent[]> = {
	'message-text': (body) => [
		{
			event: 'message',
			type: 'text',
			timestamp: '2026-01-01T00:00:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD01AA==',
			...MAX,
			text: 'Hallo! Is my order 4711 already shipped?',
			forwarded: false,
		},
	],
	'message-text-referral-ctwa': (body) => [
		{
			event: 'message',
			type: 'text',
			timestamp: '2026-01-01T00:01:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD02AA==',
			...MAX,
			text: 'Hello! Can I get more info on this?',
			referral: {
				source_url: 'https://fb.me/fakeAd123',
				source_id: '120200000000000001',
				source_type: 'ad',
				body: 'Winter sale: 20% off all jackets',
				headline: 'Chat with us',
				media_type: 'image',
				image_url: 'https://scontent.example.invalid/fake-ad-image.jpg',
				ctwa_clid: 'FAKE-CTWA-CLID-0001',
				welcome_message: { text: 'Hi! How can we help you today?' },
			},
			forwarded: false,
		},
	],
	'message-image': (body) => [
		{
			event: 'message',
			type: 'image',
			timestamp: '2026-01-01T00:02:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD03AA==',
			...MAX,
			caption: 'Photo of the damaged parcel',
			mediaId: '1000000000000003',
			mimeType: 'image/jpeg',
			sha256: '6r0R0/0RuyRpZhuCfsTnVyS8y7WG5j+cRXsnB9JokbM=',
			forwarded: false,
		},
	],
	'message-audio': (body) => [
		{
			event: 'message',
			type: 'audio',
			timestamp: '2026-01-01T00:03:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD04AA==',
			...MAX,
			mediaId: '1000000000000004',
			mimeType: 'audio/ogg; codecs=opus',
			sha256: 'ygK8+F0TLcSYMQfe0zStcjRQZ1rvtMgFmtmESqlnXAs=',
			voice: true,
			forwarded: false,
		},
	],
	'message-video': (body) => [
		{
			event: 'message',
			type: 'video',
			timestamp: '2026-01-01T00:04:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD05AA==',
			...MAX,
			caption: 'Unboxing',
			mediaId: '1000000000000005',
			mimeType: 'video/mp4',
			sha256: 'FQnu+OC7fWzw/lSVFUIRAFfxBmi5E6os9VbWdsGRHbo=',
			forwarded: false,
		},
	],
	'message-document': (body) => [
		{
			event: 'message',
			type: 'document',
			timestamp: '2026-01-01T00:05:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD06AA==',
			...MAX,
			caption: 'Invoice as requested',
			filename: 'invoice-4711.pdf',
			mediaId: '1000000000000006',
			mimeType: 'application/pdf',
			sha256: 'BeshE4cNybjif9R+GjrriSyaRHFmpqXnJXoBodeNI+Q=',
			forwarded: false,
		},
	],
	'message-sticker': (body) => [
		{
			event: 'message',
			type: 'sticker',
			timestamp: '2026-01-01T00:06:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD07AA==',
			...MAX,
			mediaId: '1000000000000007',
			mimeType: 'image/webp',
			sha256: 'hr5SvbdUdBPK+z7RdagGp5jGXemLQISeC5dMR9GH3mU=',
			animated: false,
			forwarded: false,
		},
	],
	'message-location': (body) => [
		{
			event: 'message',
			type: 'location',
			timestamp: '2026-01-01T00:07:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD08AA==',
			...MAX,
			latitude: 52.521918,
			longitude: 13.413215,
			locationName: 'Fake Store Berlin',
			address: 'Alexanderplatz 1, 10178 Berlin',
			locationUrl: 'https://store.example.invalid/berlin',
			forwarded: false,
		},
	],
	'message-contacts': (body) => [
		{
			event: 'message',
			type: 'contacts',
			timestamp: '2026-01-01T00:08:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD09AA==',
			...MAX,
			contacts: [
				{
					name: { first_name: 'Erika', last_name: 'Musterfrau', formatted_name: 'Erika Musterfrau' },
					org: { company: 'Example GmbH' },
					phones: [{ phone: '+49 176 12345678', wa_id: '4917612345678', type: 'MOBILE' }],
					emails: [{ email: 'erika@example.invalid', type: 'WORK' }],
				},
			],
			forwarded: false,
		},
	],
	'message-interactive-button-reply': (body) => [
		{
			event: 'message',
			type: 'interactive.button_reply',
			timestamp: '2026-01-01T00:09:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD10AA==',
			...MAX,
			replyId: 'confirm-yes',
			replyTitle: 'Yes, confirm',
			contextMessageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD10AA==',
			contextFrom: '4930123456789',
			forwarded: false,
		},
	],
	'message-interactive-list-reply': (body) => [
		{
			event: 'message',
			type: 'interactive.list_reply',
			timestamp: '2026-01-01T00:10:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD11AA==',
			...MAX,
			replyId: 'ship_express',
			replyTitle: 'Express shipping',
			replyDescription: 'Delivery next working day',
			contextMessageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD11AA==',
			contextFrom: '4930123456789',
			forwarded: false,
		},
	],
	'message-interactive-nfm-reply': (body) => [
		{
			event: 'message',
			type: 'interactive.nfm_reply',
			timestamp: '2026-01-01T00:11:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD12AA==',
			...MAX,
			flowName: 'flow',
			flowResponse: {
				flow_token: 'FAKE-FLOW-TOKEN-0001',
				appointment_date: '2026-01-15',
				appointment_slot: '10:00',
			},
			flowToken: 'FAKE-FLOW-TOKEN-0001',
			contextMessageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD12AA==',
			contextFrom: '4930123456789',
			forwarded: false,
		},
	],
	'message-button-template-quick-reply': (body) => [
		{
			event: 'message',
			type: 'button',
			timestamp: '2026-01-01T00:12:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD13AA==',
			...MAX,
			buttonText: 'Stop promotions',
			buttonPayload: 'STOP_PROMOTIONS',
			contextMessageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD13AA==',
			contextFrom: '4930123456789',
			forwarded: false,
		},
	],
	'message-reaction': (body) => [
		{
			event: 'message',
			type: 'reaction',
			timestamp: '2026-01-01T00:13:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD14AA==',
			...MAX,
			reactionEmoji: '👍',
			reactionMessageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD14AA==',
			forwarded: false,
		},
	],
	'message-order': (body) => [
		{
			event: 'message',
			type: 'order',
			timestamp: '2026-01-01T00:14:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD15AA==',
			...MAX,
			order: {
				catalog_id: '300000000000001',
				text: '',
				product_items: [
					{ product_retailer_id: 'SKU-JACKET-M', quantity: 1, item_price: 89.9, currency: 'EUR' },
					{ product_retailer_id: 'SKU-SCARF-01', quantity: 2, item_price: 19.5, currency: 'EUR' },
				],
			},
			forwarded: false,
		},
	],
	// No value.contacts on system messages: waId falls back to `from`, no contactName.
	'message-system-user-changed-number': (body) => [
		{
			event: 'message',
			type: 'system',
			timestamp: '2026-01-01T00:15:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD16AA==',
			from: '4915112345678',
			waId: '4915112345678',
			system: {
				body: 'User Max Mustermann changed from 4915112345678 to 4915198765432',
				wa_id: '4915198765432',
				type: 'user_changed_number',
			},
			forwarded: false,
		},
	],
	'message-unsupported': (body) => [
		{
			event: 'message',
			type: 'unsupported',
			timestamp: '2026-01-01T00:16:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD17AA==',
			...MAX,
			errors: [
				{
					code: 131051,
					title: 'Message type unknown',
					message: 'Message type unknown',
					error_data: { details: 'Message type is currently not supported.' },
				},
			],
			forwarded: false,
		},
	],
	'status-sent': (body) => [
		{
			event: 'status',
			type: 'sent',
			timestamp: '2026-01-01T00:17:00.000Z',
			...BUSINESS,
			raw: status(body),
			status: 'sent',
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD18AA==',
			recipientId: '4915112345678',
			conversation: {
				id: 'FAKECONVERSATIONID0000000000001',
				expiration_timestamp: '1767312000',
				origin: { type: 'utility' },
			},
			pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
			bizOpaqueCallbackData: 'n8n-exec-1234',
		},
	],
	'status-delivered': (body) => [
		{
			event: 'status',
			type: 'delivered',
			timestamp: '2026-01-01T00:17:05.000Z',
			...BUSINESS,
			raw: status(body),
			status: 'delivered',
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD18AA==',
			recipientId: '4915112345678',
			conversation: {
				id: 'FAKECONVERSATIONID0000000000001',
				expiration_timestamp: '1767312000',
				origin: { type: 'utility' },
			},
			pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
			bizOpaqueCallbackData: 'n8n-exec-1234',
		},
	],
	'status-read': (body) => [
		{
			event: 'status',
			type: 'read',
			timestamp: '2026-01-01T00:18:20.000Z',
			...BUSINESS,
			raw: status(body),
			status: 'read',
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD18AA==',
			recipientId: '4915112345678',
			bizOpaqueCallbackData: 'n8n-exec-1234',
		},
	],
	'status-failed': (body) => [
		{
			event: 'status',
			type: 'failed',
			timestamp: '2026-01-01T00:19:20.000Z',
			...BUSINESS,
			raw: status(body),
			status: 'failed',
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD21AA==',
			recipientId: '4915112345678',
			errors: [
				{
					code: 131047,
					title: 'Re-engagement message',
					message: 'Re-engagement message',
					error_data: {
						details:
							'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
					},
					href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
				},
			],
			errorCode: 131047,
			errorTitle: 'Re-engagement message',
			errorDetails:
				'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
			guidance: guidanceFor(131047),
		},
	],
	// 3 changes: Max's text + reaction, Erika's text (with BSUID fields), then 2 statuses.
	'batch-3-messages-2-statuses': (body) => [
		{
			event: 'message',
			type: 'text',
			timestamp: '2026-01-01T00:20:00.000Z',
			...BUSINESS,
			raw: message(body, 0, 0),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD31AA==',
			...MAX,
			text: 'Second question: do you ship to Austria?',
			forwarded: false,
		},
		{
			event: 'message',
			type: 'reaction',
			timestamp: '2026-01-01T00:20:01.000Z',
			...BUSINESS,
			raw: message(body, 1, 0),
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD32AA==',
			...MAX,
			reactionEmoji: '❤️',
			reactionMessageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD30AA==',
			forwarded: false,
		},
		{
			event: 'message',
			type: 'text',
			timestamp: '2026-01-01T00:20:02.000Z',
			...BUSINESS,
			raw: message(body, 0, 1),
			messageId: 'wamid.HBgNNDkxNzYxMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMDMzAA==',
			from: '4917612345678',
			waId: '4917612345678',
			fromUserId: 'DE.1300000000000000000001',
			userId: 'DE.1300000000000000000001',
			username: '@erika.muster',
			contactName: 'Erika Musterfrau',
			text: "Hi, I'd like to book a table for two.",
			forwarded: false,
		},
		{
			event: 'status',
			type: 'delivered',
			timestamp: '2026-01-01T00:20:03.000Z',
			...BUSINESS,
			raw: status(body, 0, 2),
			status: 'delivered',
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD40AA==',
			recipientId: '5215512345678',
			conversation: {
				id: 'FAKECONVERSATIONID0000000000001',
				expiration_timestamp: '1767312000',
				origin: { type: 'service' },
			},
			pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
		},
		{
			event: 'status',
			type: 'read',
			timestamp: '2026-01-01T00:20:04.000Z',
			...BUSINESS,
			raw: status(body, 1, 2),
			status: 'read',
			messageId: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD41AA==',
			recipientId: '5215512345678',
		},
	],
};

describe('parseWebhook on the shared fixtures', () => {
	it('has an expectation for every fixture file (a new fixture must be added here)', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual(listWebhookFixtures());
	});

	it.each(listWebhookFixtures())('%s parses to the expected items', (name) => {
		const body = loadWebhookFixture(name);
		const expected = EXPECTED[name](body);
		const items = parseWebhook(body);
		expect(items).toStrictEqual(expected);
		// raw is the very object from the body, not a copy.
		items.forEach((item, i) => expect(item.raw).toBe(expected[i].raw));
	});

	it('the batch fixture gives 5 items in body order: 3 messages, then 2 statuses', () => {
		const items = parseWebhook(loadWebhookFixture('batch-3-messages-2-statuses'));
		expect(items.map((item) => `${item.event}:${item.type}`)).toEqual([
			'message:text',
			'message:reaction',
			'message:text',
			'status:delivered',
			'status:read',
		]);
	});

	it('the failed status explains the 24-hour window and says to send a template', () => {
		const [item] = parseWebhook(loadWebhookFixture('status-failed'));
		expect(item.event === 'status' && item.guidance).toMatch(/template/);
		expect(item.event === 'status' && item.guidance).toMatch(/24 hours/);
	});

	it('does not modify the body', () => {
		for (const name of listWebhookFixtures()) {
			const body = loadWebhookFixture(name);
			const before = JSON.stringify(body);
			parseWebhook(body);
			expect(JSON.stringify(body)).toBe(before);
		}
	});
});
