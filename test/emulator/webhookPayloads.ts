/**
 * Webhook payloads the emulator sends: Meta's envelope around inbound messages and outbound
 * statuses (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components), shaped
 * like the fixtures in test/fixtures/webhooks, plus loading those fixtures by name.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { MEDIA_FIXTURES_DIR } from '../support/fixtures';
import { WEBHOOK_FIXTURES_DIR } from '../support/metaSpec';

/** The emulated business number; the same fake IDs the fixtures use. */
export const BUSINESS = {
	wabaId: '102000000000001',
	phoneNumberId: '109000000000001',
	displayPhoneNumber: '4930123456789',
} as const;

type Json = Record<string, unknown>;

export interface WebhookPayload {
	object: 'whatsapp_business_account';
	entry: Array<{ id: string; changes: Array<{ field: string; value: Json }> }>;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function webhookEnvelope(value: Json): WebhookPayload {
	return {
		object: 'whatsapp_business_account',
		entry: [
			{
				id: BUSINESS.wabaId,
				changes: [
					{
						field: 'messages',
						value: {
							messaging_product: 'whatsapp',
							metadata: { display_phone_number: BUSINESS.displayPhoneNumber, phone_number_id: BUSINESS.phoneNumberId },
							...value,
						},
					},
				],
			},
		],
	};
}

/**
 * `message_template_status_update` for a template of the number's WABA
 * (https://developers.facebook.com/docs/whatsapp/business-management-api/webhooks/components#message_template_status_update).
 */
export function templateStatusPayload(input: { id: string; name: string; language: string; category: string; event: string; reason?: string }): WebhookPayload {
	return {
		object: 'whatsapp_business_account',
		entry: [
			{
				id: BUSINESS.wabaId,
				changes: [
					{
						field: 'message_template_status_update',
						value: {
							event: input.event,
							message_template_id: Number(input.id),
							message_template_name: input.name,
							message_template_language: input.language,
							message_template_category: input.category,
							reason: input.reason ?? 'NONE',
						},
					},
				],
			},
		],
	};
}

// -----------------------------------------------------------------------------------------------
// Statuses
// -----------------------------------------------------------------------------------------------

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed' | 'played';
/** Pricing categories of status webhooks; `marketing_lite` for messages sent through the Marketing Messages API. */
export type PricingCategory = 'service' | 'marketing' | 'marketing_lite' | 'utility' | 'authentication';

/** Texts of the asynchronous errors a `failed` status can carry (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). */
export const ASYNC_ERRORS: Record<number, { title: string; details: string }> = {
	131047: {
		title: 'Re-engagement message',
		details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
	},
	131026: { title: 'Message undeliverable', details: 'Message could not be delivered to the recipient.' },
	131049: {
		title: 'This message was not delivered to maintain healthy ecosystem engagement.',
		details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
	},
	131053: { title: 'Media upload error', details: 'Unable to download the media from the link provided.' },
};

export interface StatusInput {
	messageId: string;
	status: DeliveryStatus;
	/** Phone recipient; absent when the message went to a BSUID only. */
	waId?: string;
	/** BSUID recipient (`recipient_user_id`). */
	userId?: string;
	/** Group recipient: `recipient_id` is the group ID, with `recipient_type: "group"` (Meta's group messaging page). */
	groupId?: string;
	category: PricingCategory;
	conversationId: string;
	bizOpaqueCallbackData?: string;
	/** For `failed`; default 131047. */
	errorCode?: number;
}

export function statusPayload(input: StatusInput): WebhookPayload {
	const timestamp = nowSeconds();
	const status: Json = { id: input.messageId, status: input.status, timestamp: String(timestamp) };
	if (input.waId) status.recipient_id = input.waId;
	if (input.userId) status.recipient_user_id = input.userId;
	if (input.groupId) Object.assign(status, { recipient_id: input.groupId, recipient_type: 'group' });
	if (input.status === 'sent' || input.status === 'delivered') {
		const free = input.category === 'service';
		status.conversation = {
			id: input.conversationId,
			expiration_timestamp: String(timestamp + 24 * 60 * 60),
			origin: { type: input.category },
		};
		status.pricing = { billable: !free, pricing_model: 'PMP', category: input.category, type: free ? 'free_customer_service' : 'regular' };
	}
	if (input.status === 'failed') {
		const code = input.errorCode ?? 131047;
		const known = ASYNC_ERRORS[code] ?? { title: 'Message failed', details: `Injected failure ${code}.` };
		status.errors = [
			{
				code,
				title: known.title,
				message: known.title,
				error_data: { details: known.details },
				href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
			},
		];
	}
	if (input.bizOpaqueCallbackData !== undefined) status.biz_opaque_callback_data = input.bizOpaqueCallbackData;
	return webhookEnvelope({ statuses: [status] });
}

// -----------------------------------------------------------------------------------------------
// Inbound messages
// -----------------------------------------------------------------------------------------------

export interface InboundTextInput {
	/** Sender's wa_id. */
	from: string;
	text: string;
	/** Profile name; default "Max Mustermann". */
	name?: string;
	/** Sender's BSUID (adds `contacts[].user_id` and `messages[].from_user_id`). */
	userId?: string;
}

export function inboundTextPayload(input: InboundTextInput, messageId: string): WebhookPayload {
	const contact: Json = { profile: { name: input.name ?? 'Max Mustermann' }, wa_id: input.from };
	const message: Json = { from: input.from, id: messageId, timestamp: String(nowSeconds()), type: 'text', text: { body: input.text } };
	if (input.userId) {
		contact.user_id = input.userId;
		message.from_user_id = input.userId;
	}
	return webhookEnvelope({ contacts: [contact], messages: [message] });
}

function eachValue(payload: unknown, visit: (value: Json) => void): void {
	const entries = (payload as Json | null)?.entry;
	if (!Array.isArray(entries)) return;
	for (const entry of entries) {
		const changes = (entry as Json | null)?.changes;
		if (!Array.isArray(changes)) continue;
		for (const change of changes) {
			const value = (change as Json | null)?.value;
			if (value && typeof value === 'object') visit(value as Json);
		}
	}
}

const messagesOf = (value: Json): Json[] => (Array.isArray(value.messages) ? (value.messages as Json[]) : []);

/** wa_ids and BSUIDs of everyone who sent a message in this payload (they open a service window). */
export function inboundSenders(payload: unknown): string[] {
	const senders = new Set<string>();
	eachValue(payload, (value) => {
		for (const message of messagesOf(value)) {
			if (typeof message.from === 'string') senders.add(message.from);
			if (typeof message.from_user_id === 'string') senders.add(message.from_user_id);
		}
	});
	return [...senders];
}

/** A copy with new message IDs and current timestamps, so a replayed fixture is not a duplicate. */
export function freshenPayload(payload: unknown, newMessageId: (from: string) => string): unknown {
	const copy = structuredClone(payload);
	const timestamp = String(nowSeconds());
	eachValue(copy, (value) => {
		for (const message of messagesOf(value)) {
			message.id = newMessageId(String(message.from ?? message.from_user_id ?? ''));
			message.timestamp = timestamp;
		}
		if (Array.isArray(value.statuses)) for (const status of value.statuses as Json[]) status.timestamp = timestamp;
	});
	return copy;
}

// -----------------------------------------------------------------------------------------------
// Fixtures
// -----------------------------------------------------------------------------------------------

export function webhookFixtureNames(): string[] {
	return readdirSync(WEBHOOK_FIXTURES_DIR)
		.filter((file) => file.endsWith('.json'))
		.map((file) => file.slice(0, -'.json'.length))
		.sort();
}

/** `message-text` (or `message-text.json`) → the parsed fixture. */
export function loadWebhookFixture(name: string): unknown {
	const base = name.replace(/\.json$/, '');
	if (!/^[a-z0-9-]+$/.test(base) || !webhookFixtureNames().includes(base)) {
		throw new Error(`unknown webhook fixture "${name}"; available: ${webhookFixtureNames().join(', ')}`);
	}
	return JSON.parse(readFileSync(path.join(WEBHOOK_FIXTURES_DIR, `${base}.json`), 'utf8')) as unknown;
}

// -----------------------------------------------------------------------------------------------
// Media the fixtures refer to
// -----------------------------------------------------------------------------------------------

/** Message types whose object carries a media ID (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components): `message[type] = {id, mime_type, sha256, ...}`. */
const MEDIA_MESSAGE_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;

export interface FixtureMediaReference {
	/** Fixture name ("message-image"). */
	fixture: string;
	id: string;
	/** As the fixture declares it ("audio/ogg; codecs=opus"). */
	mimeType: string;
	/** As the fixture declares it (base64, like WhatsApp's webhooks). */
	sha256: string;
	/** Documents carry their file name. */
	filename?: string;
}

/** Every media object in the webhook fixtures (a media ID may appear in more than one fixture). */
export function fixtureMediaReferences(): FixtureMediaReference[] {
	const found: FixtureMediaReference[] = [];
	for (const fixture of webhookFixtureNames()) {
		eachValue(loadWebhookFixture(fixture), (value) => {
			for (const message of messagesOf(value)) {
				for (const type of MEDIA_MESSAGE_TYPES) {
					const media = message[type] as Json | undefined;
					if (message.type !== type || typeof media?.id !== 'string') continue;
					found.push({
						fixture,
						id: media.id,
						mimeType: String(media.mime_type ?? ''),
						sha256: String(media.sha256 ?? ''),
						...(typeof media.filename === 'string' ? { filename: media.filename } : {}),
					});
				}
			}
		});
	}
	return found;
}

export interface FixtureMediaFile {
	id: string;
	mimeType: string;
	filename: string;
	filePath: string;
}

/**
 * The files of test/fixtures/media (`<media id>.<ext>`) for the media IDs the fixtures use, with the MIME type
 * (and document file name) the fixture declares: what WhatsApp would hold for an inbound message, so a
 * workflow can download the media of a stock fixture. IDs without a file are left out (a test checks there
 * are none).
 */
export function fixtureMediaFiles(): FixtureMediaFile[] {
	let names: string[];
	try {
		names = readdirSync(MEDIA_FIXTURES_DIR);
	} catch {
		return [];
	}
	const files = new Map<string, FixtureMediaFile>();
	for (const reference of fixtureMediaReferences()) {
		if (files.has(reference.id)) continue;
		const name = names.find((file) => file.startsWith(`${reference.id}.`));
		if (!name) continue;
		files.set(reference.id, {
			id: reference.id,
			mimeType: reference.mimeType,
			filename: reference.filename ?? name,
			filePath: path.join(MEDIA_FIXTURES_DIR, name),
		});
	}
	return [...files.values()];
}
