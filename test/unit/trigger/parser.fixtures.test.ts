/**
 * Every shared webhook fixture, parsed, compared with items written out by hand from the
 * fixture files and Meta's webhook reference
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components). `toStrictEqual`
 * also fails on extra keys.
 */
import { guidanceFor } from '../../../nodes/common/errors';
import { EVENT_KINDS, parseWebhook, type WebhookEvent } from '../../../nodes/Dialog360Trigger/parser';
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

/** The receive time handed to the parser: events without any time of their own or of their entry get it. */
const RECEIVED_AT = Date.UTC(2026, 0, 3, 12, 0, 0);
const RECEIVED = '2026-01-03T12:00:00.000Z';
/** Template and account updates are WABA-level: no metadata, the entry's time. */
const WABA_LEVEL = { phoneNumberId: undefined, displayPhoneNumber: undefined, wabaId: '102000000000001', timestampSource: 'entry' as const };
const ERIKA = { waId: '4917612345678', contactName: 'Erika Musterfrau' };
const CALL_1 = 'wacid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VDQUxMMDAwMDAwMDAwMD01AA==';
const GROUP = 'Y2FwaV9ncm91cDo0OTMwMTIzNDU2Nzg5OkZBS0VHUk9VUDAwMDE=';
const TEMPLATE = { templateId: '1234567890', templateName: 'order_update', templateLanguage: 'de' };
const inbound = (n: string) => `wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD${n}AA==`;
const outbound = (n: string) => `wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD${n}AA==`;
const at = (field: string) => ({ ...BUSINESS, field });

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
	// Edits and deletions: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/edit
	'message-edit': (body) => [
		{
			event: 'message',
			type: 'edit',
			timestamp: '2026-01-02T00:00:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: inbound('50'),
			...MAX,
			originalMessageId: inbound('01'),
			editedType: 'text',
			text: 'Hallo! Is my order 4712 already shipped?',
			forwarded: false,
		},
	],
	'message-revoke': (body) => [
		{
			event: 'message',
			type: 'revoke',
			timestamp: '2026-01-02T00:01:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: inbound('51'),
			...MAX,
			originalMessageId: inbound('07'),
			forwarded: false,
		},
	],
	// Calls: https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/user-initiated-calls
	'call-connect': (body) => [
		{
			event: 'call',
			type: 'connect',
			timestamp: '2026-01-02T00:02:00.000Z',
			...at('calls'),
			raw: value(body).calls[0],
			callId: CALL_1,
			direction: 'USER_INITIATED',
			from: '4915112345678',
			to: '4930123456789',
			waId: '4915112345678',
			contactName: 'Max Mustermann',
			sdpType: 'offer',
		},
	],
	'call-terminate': (body) => [
		{
			event: 'call',
			type: 'terminate',
			timestamp: '2026-01-02T00:04:05.000Z',
			...at('calls'),
			raw: value(body).calls[0],
			callId: CALL_1,
			direction: 'USER_INITIATED',
			from: '4915112345678',
			to: '4930123456789',
			waId: '4915112345678',
			contactName: 'Max Mustermann',
			status: 'COMPLETED',
			startTime: '2026-01-02T00:02:05.000Z',
			endTime: '2026-01-02T00:04:05.000Z',
			duration: 120,
			bizOpaqueCallbackData: 'n8n-call-42',
		},
	],
	// A call status is not a message status: the call's ID, the call's state.
	'call-status-ringing': (body) => [
		{
			event: 'call',
			type: 'status',
			timestamp: '2026-01-02T00:05:00.000Z',
			...at('calls'),
			raw: status(body),
			callId: 'wacid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VDQUxMMDAwMDAwMDAwMD02AA==',
			status: 'RINGING',
			recipientId: '4915112345678',
			waId: '4915112345678',
			bizOpaqueCallbackData: 'n8n-call-43',
		},
	],
	'call-permission-reply': (body) => [
		{
			event: 'call',
			type: 'permission_reply',
			timestamp: '2026-01-02T00:06:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: inbound('52'),
			from: '4915112345678',
			waId: '4915112345678',
			contactName: 'Max Mustermann',
			permissionResponse: 'accept',
			permissionExpiresAt: '2026-01-09T00:06:00.000Z',
			permissionSource: 'user_action',
			contextMessageId: outbound('50'),
		},
	],
	// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/user_preferences
	'preference-marketing-stop': (body) => [
		{
			event: 'preference',
			type: 'stop',
			timestamp: '2026-01-02T00:07:00.000Z',
			...at('user_preferences'),
			raw: value(body).user_preferences[0],
			waId: '4915112345678',
			contactName: 'Max Mustermann',
			category: 'marketing_messages',
			detail: 'User requested to stop marketing messages',
		},
	],
	'preference-marketing-resume': (body) => [
		{
			event: 'preference',
			type: 'resume',
			timestamp: '2026-01-02T00:08:00.000Z',
			...at('user_preferences'),
			raw: value(body).user_preferences[0],
			...ERIKA,
			category: 'marketing_messages',
			detail: 'User requested to resume marketing messages',
		},
	],
	// No time of its own and no entry time (as in Meta's example): the receive time, marked as such.
	'error-value-level': (body) => [
		{
			event: 'error',
			type: 'error',
			timestamp: RECEIVED,
			timestampSource: 'received',
			...BUSINESS,
			raw: value(body).errors[0],
			errorCode: 131000,
			errorTitle: 'Something went wrong',
			errorDetails: 'Message failed to send due to an unknown error. Please try again.',
			guidance: guidanceFor(131000),
		},
	],
	// Coexistence: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/smb_message_echoes
	'echo-text': (body) => [
		{
			event: 'echo',
			type: 'text',
			timestamp: '2026-01-02T00:10:00.000Z',
			...at('smb_message_echoes'),
			raw: value(body).message_echoes[0],
			messageId: outbound('51'),
			from: '4930123456789',
			to: '4915112345678',
			waId: '4915112345678',
			text: 'Your parcel left our warehouse today.',
			forwarded: false,
		},
	],
	// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/history
	'history-chunk': (body) => {
		const thread = value(body).history[0].threads[0];
		const progress = { phase: 0, chunkOrder: 1, progress: 100 };
		return [
			{
				event: 'history',
				type: 'text',
				timestamp: '2025-12-31T00:00:00.000Z',
				...at('history'),
				raw: thread.messages[0],
				messageId: inbound('53'),
				from: '4915112345678',
				threadId: '4915112345678',
				waId: '4915112345678',
				text: 'Do you also sell gift cards?',
				historyStatus: 'READ',
				forwarded: false,
				...progress,
			},
			{
				event: 'history',
				type: 'text',
				timestamp: '2025-12-31T00:01:00.000Z',
				...at('history'),
				raw: thread.messages[1],
				messageId: outbound('52'),
				from: '4930123456789',
				threadId: '4915112345678',
				waId: '4915112345678',
				text: 'Yes, in the shop and online.',
				historyStatus: 'DELIVERED',
				fromMe: true,
				forwarded: false,
				...progress,
			},
		];
	},
	'history-declined': (body) => [
		{
			event: 'history',
			type: 'error',
			timestamp: RECEIVED,
			timestampSource: 'received',
			...at('history'),
			raw: value(body).history[0].errors[0],
			errorCode: 2593109,
			errorTitle: 'History sharing declined',
			errorDetails: 'The business declined to share the chat history of the WhatsApp Business app.',
		},
	],
	// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/smb_app_state_sync
	'app-state-contact-add': (body) => [
		{
			event: 'app_state',
			type: 'contact',
			timestamp: '2026-01-02T00:15:00.000Z',
			...at('smb_app_state_sync'),
			raw: value(body).state_sync[0],
			action: 'add',
			contactPhoneNumber: '4917612345678',
			waId: '4917612345678',
			contactFullName: 'Erika Musterfrau',
			contactFirstName: 'Erika',
		},
	],
	'template-status-approved': (body) => [
		{
			event: 'template',
			type: 'message_template_status_update',
			timestamp: '2026-01-02T00:16:40.000Z',
			...WABA_LEVEL,
			field: 'message_template_status_update',
			raw: value(body),
			updateEvent: 'APPROVED',
			...TEMPLATE,
			templateCategory: 'UTILITY',
			reason: 'NONE',
		},
	],
	'template-quality': (body) => [
		{
			event: 'template',
			type: 'message_template_quality_update',
			timestamp: '2026-01-02T00:17:40.000Z',
			...WABA_LEVEL,
			field: 'message_template_quality_update',
			raw: value(body),
			...TEMPLATE,
			previousQualityScore: 'GREEN',
			newQualityScore: 'YELLOW',
		},
	],
	'template-category': (body) => [
		{
			event: 'template',
			type: 'template_category_update',
			timestamp: '2026-01-02T00:18:40.000Z',
			...WABA_LEVEL,
			field: 'template_category_update',
			raw: value(body),
			...TEMPLATE,
			previousCategory: 'UTILITY',
			newCategory: 'MARKETING',
		},
	],
	'template-components': (body) => [
		{
			event: 'template',
			type: 'message_template_components_update',
			timestamp: '2026-01-02T00:19:40.000Z',
			...WABA_LEVEL,
			field: 'message_template_components_update',
			raw: value(body),
			...TEMPLATE,
			templateElement: 'Hallo {{1}}, your order {{2}} is on its way.',
			templateTitle: 'Order update',
			templateFooter: 'Example Shop',
			templateButtons: [
				{ message_template_button_type: 'URL', message_template_button_text: 'Track parcel', message_template_button_url: 'https://shop.example.invalid/track/{{1}}' },
			],
		},
	],
	// The number's quality update carries its display number in the value.
	'account-phone-quality': (body) => [
		{
			event: 'account',
			type: 'phone_number_quality_update',
			timestamp: '2026-01-02T00:20:40.000Z',
			...WABA_LEVEL,
			displayPhoneNumber: '4930123456789',
			field: 'phone_number_quality_update',
			raw: value(body),
			updateEvent: 'UPGRADE',
			oldLimit: 'TIER_250',
			currentLimit: 'TIER_2K',
			maxDailyConversationsPerBusiness: 'TIER_2K',
		},
	],
	'account-phone-name': (body) => [
		{
			event: 'account',
			type: 'phone_number_name_update',
			timestamp: '2026-01-02T00:21:40.000Z',
			...WABA_LEVEL,
			displayPhoneNumber: '4930123456789',
			field: 'phone_number_name_update',
			raw: value(body),
			decision: 'APPROVED',
			requestedVerifiedName: 'Example Shop',
		},
	],
	'account-update-restriction': (body) => [
		{
			event: 'account',
			type: 'account_update',
			timestamp: '2026-01-02T00:22:40.000Z',
			...WABA_LEVEL,
			field: 'account_update',
			raw: value(body),
			updateEvent: 'ACCOUNT_RESTRICTION',
			restrictions: [{ restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: 1767916800 }],
		},
	],
	'account-review': (body) => [
		{
			event: 'account',
			type: 'account_review_update',
			timestamp: '2026-01-02T00:23:40.000Z',
			...WABA_LEVEL,
			field: 'account_review_update',
			raw: value(body),
			decision: 'APPROVED',
		},
	],
	'account-alerts': (body) => [
		{
			event: 'account',
			type: 'account_alerts',
			timestamp: '2026-01-02T00:24:40.000Z',
			...WABA_LEVEL,
			field: 'account_alerts',
			raw: value(body),
			entityType: 'BUSINESS',
			entityId: '103000000000001',
			alertSeverity: 'WARNING',
			alertStatus: 'ACTIVE',
			alertType: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
			alertDescription: 'Limits cannot be increased yet. Keep messaging customers who want your messages and try again in a few days.',
		},
	],
	'account-business-capability': (body) => [
		{
			event: 'account',
			type: 'business_capability_update',
			timestamp: '2026-01-02T00:25:40.000Z',
			...WABA_LEVEL,
			field: 'business_capability_update',
			raw: value(body),
			maxDailyConversationsPerBusiness: 2000,
			maxPhoneNumbersPerWaba: 25,
		},
	],
	// Groups: the webhook section of Meta's OpenAPI spec (schemas GroupValue, Groups).
	'group-lifecycle-create': (body) => [
		{
			event: 'group',
			type: 'group_create',
			timestamp: '2026-01-02T00:26:40.000Z',
			...at('group_lifecycle_update'),
			raw: value(body).groups[0],
			groupId: GROUP,
			requestId: 'FAKEREQUEST0000000000000000000001',
			subject: 'Example Shop VIP',
			description: 'Early access to new collections',
			addedParticipants: [
				{ input: '4915112345678', wa_id: '4915112345678' },
				{ input: '4917612345678', wa_id: '4917612345678' },
			],
		},
	],
	'group-settings-update': (body) => [
		{
			event: 'group',
			type: 'group_settings_update',
			timestamp: '2026-01-02T00:27:40.000Z',
			...at('group_settings_update'),
			raw: value(body).groups[0],
			groupId: GROUP,
			requestId: 'FAKEREQUEST0000000000000000000002',
			profilePicture: { mime_type: 'image/jpeg', sha256: '6r0R0/0RuyRpZhuCfsTnVyS8y7WG5j+cRXsnB9JokbM=' },
		},
	],
	'group-participants-remove': (body) => [
		{
			event: 'group',
			type: 'group_remove_participants',
			timestamp: '2026-01-02T00:28:40.000Z',
			...at('group_participants_update'),
			raw: value(body).groups[0],
			groupId: GROUP,
			requestId: 'FAKEREQUEST0000000000000000000003',
			removedParticipants: [{ input: '4917612345678', wa_id: '4917612345678' }],
		},
	],
	// A field this package does not know: one item, the value in raw, nothing guessed.
	'unknown-future-field': (body) => [
		{
			event: 'unknown',
			type: 'message_ratings_update',
			timestamp: '2026-01-02T00:29:40.000Z',
			timestampSource: 'entry',
			...at('message_ratings_update'),
			raw: value(body),
		},
	],
	// Several kinds in one body: one item each, in body order.
	'batch-mixed-kinds': (body) => [
		{
			event: 'message',
			type: 'text',
			timestamp: '2026-01-02T00:30:00.000Z',
			...BUSINESS,
			raw: message(body),
			messageId: inbound('54'),
			from: '4917612345678',
			...ERIKA,
			fromUserId: 'DE.1300000000000000000001',
			userId: 'DE.1300000000000000000001',
			username: '@erika.muster',
			text: 'Can you call me back?',
			forwarded: false,
		},
		{
			event: 'status',
			type: 'delivered',
			timestamp: '2026-01-02T00:30:01.000Z',
			...BUSINESS,
			raw: status(body),
			status: 'delivered',
			messageId: outbound('54'),
			recipientId: '4917612345678',
		},
		{
			event: 'call',
			type: 'connect',
			timestamp: '2026-01-02T00:30:02.000Z',
			...at('calls'),
			raw: value(body, 1).calls[0],
			callId: 'wacid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VDQUxMMDAwMDAwMDAwMD03AA==',
			direction: 'USER_INITIATED',
			from: '4915112345678',
			to: '4930123456789',
			waId: '4915112345678',
			contactName: 'Max Mustermann',
			sdpType: 'offer',
		},
		{
			event: 'preference',
			type: 'stop',
			timestamp: '2026-01-02T00:30:03.000Z',
			...at('user_preferences'),
			raw: value(body, 2).user_preferences[0],
			waId: '4915112345678',
			contactName: 'Max Mustermann',
			category: 'marketing_messages',
			detail: 'User requested to stop marketing messages',
		},
		{
			event: 'template',
			type: 'message_template_status_update',
			timestamp: '2026-01-02T00:30:04.000Z',
			...WABA_LEVEL,
			field: 'message_template_status_update',
			raw: body.entry[1].changes[0].value,
			updateEvent: 'PAUSED',
			...TEMPLATE,
			reason: 'NONE',
			infoTitle: 'FIRST_PAUSE',
			infoDescription: 'Your template has been paused for 3 hours due to low quality.',
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
		const items = parseWebhook(body, { receivedAt: RECEIVED_AT });
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

	it('the mixed batch gives one item per kind, in body order', () => {
		const items = parseWebhook(loadWebhookFixture('batch-mixed-kinds'));
		expect(items.map((item) => `${item.event}:${item.type}`)).toEqual([
			'message:text',
			'status:delivered',
			'call:connect',
			'preference:stop',
			'template:message_template_status_update',
		]);
	});

	it('every event kind has a fixture, and every fixture parses to at least one item', () => {
		const kinds = new Set<string>();
		for (const name of listWebhookFixtures()) {
			const items = parseWebhook(loadWebhookFixture(name));
			expect(items.length).toBeGreaterThan(0);
			for (const item of items) kinds.add(item.event);
		}
		expect([...kinds].sort()).toEqual([...EVENT_KINDS].sort());
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
