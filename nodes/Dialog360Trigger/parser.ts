/**
 * Turns a 360dialog webhook body into a flat list of events: one per message, per status, per
 * value-level error and per template/account update. The body is Meta's webhook payload, not
 * wrapped by 360dialog: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
 * and https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples.
 *
 * Pure module (no n8n imports, no node globals). `parseWebhook` never throws: anything that does
 * not have the documented shape is skipped, never guessed at.
 *
 * Order of the output: entries in order, their changes in order, and within one change value
 * first `messages[]`, then `statuses[]`, then `errors[]`. The API guarantees no ordering across
 * deliveries (e.g. `read` can arrive before `delivered`), so this only keeps what one body says
 * in the order it says it.
 *
 * Change fields:
 * - Any change whose value carries `messages[]`, `statuses[]` or `errors[]` is read, whatever its
 *   `field` says (normally `messages`); the field is passed on in `field`.
 * - Template/account fields (`UPDATE_FIELDS`) give one `event: 'template'` item each.
 * - Every other field (coexistence `smb_message_echoes` / `smb_app_state_sync` / `history`, group
 *   and calling fields, anything new) is skipped. The fixtures README says to ignore unknown
 *   fields; echoes are the business's own messages, and a history sync can carry thousands of
 *   old messages that must not start workflows as if they were new.
 *
 * The legacy flat body (On-Premise: top-level `contacts` + `messages`, `statuses` or `errors`
 * without `entry[]`) is read like one change value without metadata. Assumption: the sandbox
 * (https://docs.360dialog.com/docs/waba-messaging/sandbox) may deliver this flat shape instead of
 * Meta's envelope; 360dialog does not say which, so both are read.
 */

import { guidanceFor } from '../common/errors';
import { isRecord } from '../common/json';

/** Message `type` values the parser emits. Interactive replies are split by their sub-type. */
export const MESSAGE_TYPES = [
	'text',
	'image',
	'video',
	'audio',
	'document',
	'sticker',
	'location',
	'contacts',
	'interactive.button_reply',
	'interactive.list_reply',
	'interactive.nfm_reply',
	'button',
	'reaction',
	'order',
	'system',
	'unsupported',
	'request_welcome',
	'unknown',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Cloud API statuses (`statuses[].status`). Other strings (`played`, …) are passed through as given. */
export const STATUS_TYPES = ['sent', 'delivered', 'read', 'failed'] as const;
export type StatusType = (typeof STATUS_TYPES)[number];

export const EVENT_KINDS = ['message', 'status', 'error', 'template'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Change fields about templates, quality and the account: emitted as `event: 'template'`. */
export const UPDATE_FIELDS = [
	'message_template_status_update',
	'message_template_quality_update',
	'message_template_components_update',
	'template_category_update',
	'phone_number_quality_update',
	'phone_number_name_update',
	'account_update',
	'account_review_update',
	'account_alerts',
	'business_capability_update',
] as const;

type JsonObject = Record<string, unknown>;

interface EventBase {
	event: EventKind;
	type: string;
	/** ISO 8601, from the Unix-seconds string of the API; undefined when absent or invalid. */
	timestamp?: string;
	/** `value.metadata.phone_number_id`; undefined in the legacy flat shape. */
	phoneNumberId?: string;
	displayPhoneNumber?: string;
	/** `entry[].id`: the WhatsApp Business Account ID. */
	wabaId?: string;
	/** `changes[].field` (normally `messages`); undefined in the legacy flat shape. */
	field?: string;
	/** The object the item was made from (message, status, error or change value), not a copy. */
	raw: JsonObject;
}

export interface MessageEvent extends EventBase {
	event: 'message';
	type: MessageType;
	/** The API's own type when `type` is `unknown` (e.g. `ephemeral`, `interactive.call_permission_reply`). */
	originalType?: string;
	messageId?: string;
	/** Sender's phone number (wa_id); can be missing for users who hide their number (BSUID only). */
	from?: string;
	/** `contacts[].wa_id` of the sender, else `from`. */
	waId?: string;
	/** Business-scoped user ID of the sender (`messages[].from_user_id`, else `contacts[].user_id`). */
	fromUserId?: string;
	userId?: string;
	parentUserId?: string;
	username?: string;
	contactName?: string;
	/** `text.body` of text messages only (button taps use `buttonText`). */
	text?: string;
	caption?: string;
	mediaId?: string;
	mimeType?: string;
	sha256?: string;
	filename?: string;
	voice?: boolean;
	animated?: boolean;
	latitude?: number;
	longitude?: number;
	locationName?: string;
	address?: string;
	locationUrl?: string;
	buttonText?: string;
	buttonPayload?: string;
	replyId?: string;
	replyTitle?: string;
	replyDescription?: string;
	/** `nfm_reply.response_json` parsed; the raw string when it is not valid JSON. */
	flowResponse?: unknown;
	flowToken?: string;
	flowName?: string;
	/** Absent or empty emoji means the customer removed the reaction. */
	reactionEmoji?: string;
	reactionMessageId?: string;
	referral?: JsonObject;
	/** ID of the message this one replies to / was tapped on. */
	contextMessageId?: string;
	contextFrom?: string;
	referredProduct?: JsonObject;
	/** `context.forwarded` or `context.frequently_forwarded`. */
	forwarded: boolean;
	order?: JsonObject;
	system?: JsonObject;
	/** Shared contact cards of a `contacts` message (not the sender: that is `contactName` etc.). */
	contacts?: unknown[];
	/** Message-level errors, e.g. on `unsupported` messages. */
	errors?: unknown[];
	/** `from_me` as given (echo setups); see `isEcho`. */
	fromMe?: boolean;
}

export interface StatusEvent extends EventBase {
	event: 'status';
	/** `sent` | `delivered` | `read` | `failed`, other strings as given, `unknown` when missing. */
	type: string;
	status?: string;
	messageId?: string;
	recipientId?: string;
	recipientUserId?: string;
	parentRecipientUserId?: string;
	conversation?: JsonObject;
	pricing?: JsonObject;
	bizOpaqueCallbackData?: string;
	errors?: unknown[];
	/** From the first entry of `errors[]` (failed statuses). */
	errorCode?: number;
	errorTitle?: string;
	errorDetails?: string;
	/** What to do about `errorCode`: the same text the Send node shows (common/errors.ts). */
	guidance?: string;
}

export interface ErrorEvent extends EventBase {
	event: 'error';
	type: 'error';
	errorCode?: number;
	errorTitle?: string;
	errorDetails?: string;
	guidance?: string;
}

export interface TemplateEvent extends EventBase {
	event: 'template';
	/** The change field, e.g. `message_template_status_update`. */
	type: string;
	/** `value.event`, e.g. `APPROVED`, `FLAGGED`. */
	updateEvent?: string;
	templateId?: string;
	templateName?: string;
	templateLanguage?: string;
	templateCategory?: string;
	reason?: string;
}

export type WebhookEvent = MessageEvent | StatusEvent | ErrorEvent | TemplateEvent;

/** Where an item came from: shared by every item of one change value. */
interface Origin {
	phoneNumberId: string | undefined;
	displayPhoneNumber: string | undefined;
	wabaId: string | undefined;
	field: string | undefined;
	/** `entry[].time` (template and account events carry it instead of per-item timestamps). */
	entryTime: unknown;
}

const UPDATE_FIELD_SET: ReadonlySet<string> = new Set(UPDATE_FIELDS);

/** Above this many sender contacts in one value, look them up through a Map instead of scanning. */
const CONTACT_SCAN_LIMIT = 8;

/** Largest epoch milliseconds a Date can hold; beyond it toISOString() throws. */
const MAX_DATE_MS = 8.64e15;

function asString(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

function asNumber(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function asBoolean(value: unknown): boolean | undefined {
	return typeof value === 'boolean' ? value : undefined;
}

/** IDs normally arrive as strings; numeric IDs (template IDs) are turned into strings. */
function asId(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function asCode(value: unknown): number | undefined {
	const n = typeof value === 'string' && value !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/** '00'…'59', for building ISO times without Date. */
const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));

/**
 * Memo of the last UTC day seen: Date#toISOString costs microseconds and dominated the parser
 * profile, while events of one delivery (and of one day) share their date part. Deterministic,
 * so the parser stays pure in effect.
 */
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

function isoFromWholeSeconds(seconds: number): string {
	const day = Math.floor(seconds / 86_400);
	if (day !== cachedDay) {
		const iso = new Date(day * 86_400_000).toISOString();
		// Up to the 'T'; years beyond 9999 have a longer, signed year part.
		cachedDayPrefix = iso.slice(0, iso.indexOf('T') + 1);
		cachedDay = day;
	}
	const secondOfDay = seconds - day * 86_400;
	const hours = Math.floor(secondOfDay / 3600);
	const minutes = Math.floor((secondOfDay - hours * 3600) / 60);
	return `${cachedDayPrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[secondOfDay % 60]}.000Z`;
}

/** Unix seconds (string or number) → ISO 8601; undefined for anything else. */
export function unixSecondsToIso(value: unknown): string | undefined {
	let seconds: number;
	if (typeof value === 'string') {
		if (value.trim() === '') return undefined;
		seconds = Number(value);
	} else if (typeof value === 'number') {
		seconds = value;
	} else {
		return undefined;
	}
	if (!Number.isFinite(seconds) || seconds < 0) return undefined;
	const ms = seconds * 1000;
	if (ms > MAX_DATE_MS) return undefined;
	return Number.isInteger(seconds) ? isoFromWholeSeconds(seconds) : new Date(ms).toISOString();
}

/** Reads one webhook body. Never throws; returns [] for anything that is not a webhook. */
export function parseWebhook(body: unknown): WebhookEvent[] {
	const events: WebhookEvent[] = [];
	try {
		collectEvents(body, events);
	} catch {
		// Safety net for non-JSON oddities (getters, proxies): JSON input never gets here, which
		// the property test checks on parseWebhookUnguarded. Keep what was read before.
	}
	return events;
}

/**
 * parseWebhook without the safety net. Only for tests that prove the net is never needed for
 * JSON input; the node uses parseWebhook.
 */
export function parseWebhookUnguarded(body: unknown): WebhookEvent[] {
	const events: WebhookEvent[] = [];
	collectEvents(body, events);
	return events;
}

function collectEvents(body: unknown, events: WebhookEvent[]): void {
	let root = body;
	// A body that reached us as text (wrong content type) is still JSON.
	if (typeof root === 'string') {
		try {
			root = JSON.parse(root);
		} catch {
			return;
		}
	}
	if (!isRecord(root)) return;
	const entries = root.entry;
	if (Array.isArray(entries)) {
		for (let e = 0; e < entries.length; e++) {
			const entry = entries[e];
			if (!isRecord(entry)) continue;
			const changes = entry.changes;
			if (!Array.isArray(changes)) continue;
			const wabaId = asId(entry.id);
			for (let c = 0; c < changes.length; c++) {
				const change = changes[c];
				if (!isRecord(change)) continue;
				const value = change.value;
				if (!isRecord(value)) continue;
				const metadata = isRecord(value.metadata) ? value.metadata : undefined;
				const origin: Origin = {
					phoneNumberId: metadata ? asId(metadata.phone_number_id) : undefined,
					displayPhoneNumber: metadata ? asId(metadata.display_phone_number) : undefined,
					wabaId,
					field: asString(change.field),
					entryTime: entry.time,
				};
				readValue(value, origin, events);
			}
		}
	} else if (
		root.entry === undefined &&
		(Array.isArray(root.messages) || Array.isArray(root.statuses) || Array.isArray(root.errors))
	) {
		readValue(root, NO_ORIGIN, events);
	}
}

/** Legacy flat bodies carry no envelope, so nothing is known about where they came from. */
const NO_ORIGIN: Origin = {
	phoneNumberId: undefined,
	displayPhoneNumber: undefined,
	wabaId: undefined,
	field: undefined,
	entryTime: undefined,
};

function readValue(value: JsonObject, origin: Origin, out: WebhookEvent[]): void {
	const messages = value.messages;
	const statuses = value.statuses;
	const errors = value.errors;
	const hasItems = Array.isArray(messages) || Array.isArray(statuses) || Array.isArray(errors);
	if (!hasItems) {
		if (origin.field !== undefined && UPDATE_FIELD_SET.has(origin.field)) {
			out.push(toTemplateEvent(value, origin, origin.field));
		}
		return;
	}
	if (Array.isArray(messages) && messages.length > 0) {
		const senders = new SenderIndex(value.contacts);
		for (let i = 0; i < messages.length; i++) {
			const message = messages[i];
			if (isRecord(message)) out.push(toMessageEvent(message, origin, senders));
		}
	}
	if (Array.isArray(statuses)) {
		for (let i = 0; i < statuses.length; i++) {
			const status = statuses[i];
			if (isRecord(status)) out.push(toStatusEvent(status, origin));
		}
	}
	if (Array.isArray(errors)) {
		for (let i = 0; i < errors.length; i++) {
			const error = errors[i];
			if (isRecord(error)) out.push(toErrorEvent(error, origin));
		}
	}
}

/** Finds the `value.contacts[]` entry of a message's sender, by wa_id or else by BSUID. */
class SenderIndex {
	private readonly contacts: JsonObject[] = [];
	private byWaId: Map<string, JsonObject> | undefined;
	private byUserId: Map<string, JsonObject> | undefined;

	constructor(contacts: unknown) {
		if (!Array.isArray(contacts)) return;
		for (let i = 0; i < contacts.length; i++) {
			const contact = contacts[i];
			if (isRecord(contact)) this.contacts.push(contact);
		}
	}

	find(waId: string | undefined, userId: string | undefined): JsonObject | undefined {
		const contacts = this.contacts;
		if (contacts.length === 0 || (waId === undefined && userId === undefined)) return undefined;
		if (contacts.length <= CONTACT_SCAN_LIMIT) {
			if (waId !== undefined) {
				for (let i = 0; i < contacts.length; i++) if (contacts[i].wa_id === waId) return contacts[i];
			}
			if (userId !== undefined) {
				for (let i = 0; i < contacts.length; i++) if (contacts[i].user_id === userId) return contacts[i];
			}
			return undefined;
		}
		if (this.byWaId === undefined || this.byUserId === undefined) {
			const byWaId = new Map<string, JsonObject>();
			const byUserId = new Map<string, JsonObject>();
			// First occurrence wins, like the linear scan.
			for (let i = contacts.length - 1; i >= 0; i--) {
				const contact = contacts[i];
				if (typeof contact.wa_id === 'string') byWaId.set(contact.wa_id, contact);
				if (typeof contact.user_id === 'string') byUserId.set(contact.user_id, contact);
			}
			this.byWaId = byWaId;
			this.byUserId = byUserId;
		}
		return (waId !== undefined ? this.byWaId.get(waId) : undefined) ??
			(userId !== undefined ? this.byUserId.get(userId) : undefined);
	}
}

const MEDIA_TYPES: ReadonlySet<string> = new Set(['image', 'video', 'audio', 'document', 'sticker']);

function toMessageEvent(message: JsonObject, origin: Origin, senders: SenderIndex): MessageEvent {
	const from = asString(message.from);
	const fromUserIdField = asString(message.from_user_id);
	const rawType = message.type;
	const event: MessageEvent = {
		event: 'message',
		type: 'unknown',
		timestamp: unixSecondsToIso(message.timestamp),
		phoneNumberId: origin.phoneNumberId,
		displayPhoneNumber: origin.displayPhoneNumber,
		wabaId: origin.wabaId,
		field: origin.field,
		raw: message,
		messageId: asString(message.id),
		from,
		forwarded: false,
	};

	const contact = senders.find(from, fromUserIdField);
	let waId = from;
	let userId: string | undefined;
	if (contact !== undefined) {
		waId = asString(contact.wa_id) ?? from;
		userId = asString(contact.user_id);
		const parentUserId = asString(contact.parent_user_id);
		if (parentUserId !== undefined) event.parentUserId = parentUserId;
		const profile = contact.profile;
		if (isRecord(profile)) {
			const name = asString(profile.name);
			if (name !== undefined) event.contactName = name;
			const username = asString(profile.username);
			if (username !== undefined) event.username = username;
		}
	}
	if (waId !== undefined) event.waId = waId;
	const fromUserId = fromUserIdField ?? userId;
	if (fromUserId !== undefined) event.fromUserId = fromUserId;
	if (userId !== undefined) event.userId = userId;

	if (typeof rawType === 'string') {
		readContent(message, rawType, event);
	}

	const context = message.context;
	if (isRecord(context)) {
		const contextId = asString(context.id);
		if (contextId !== undefined) event.contextMessageId = contextId;
		const contextFrom = asString(context.from);
		if (contextFrom !== undefined) event.contextFrom = contextFrom;
		if (context.forwarded === true || context.frequently_forwarded === true) event.forwarded = true;
		if (isRecord(context.referred_product)) event.referredProduct = context.referred_product;
	}
	if (isRecord(message.referral)) event.referral = message.referral;
	if (Array.isArray(message.errors)) event.errors = message.errors;
	const fromMe = asBoolean(message.from_me);
	if (fromMe !== undefined) event.fromMe = fromMe;
	return event;
}

/** Sets `type` and the flattened content fields; unknown types keep `type: 'unknown'`. */
function readContent(message: JsonObject, rawType: string, event: MessageEvent): void {
	if (MEDIA_TYPES.has(rawType) || rawType === 'voice') {
		// `voice` is the On-Premise name of a voice note (legacy flat shape).
		event.type = rawType === 'voice' ? 'audio' : (rawType as MessageType);
		const media = message[rawType];
		if (!isRecord(media)) return;
		const mediaId = asId(media.id);
		if (mediaId !== undefined) event.mediaId = mediaId;
		const mimeType = asString(media.mime_type);
		if (mimeType !== undefined) event.mimeType = mimeType;
		const sha256 = asString(media.sha256);
		if (sha256 !== undefined) event.sha256 = sha256;
		const caption = asString(media.caption);
		if (caption !== undefined) event.caption = caption;
		const filename = asString(media.filename);
		if (filename !== undefined) event.filename = filename;
		const voice = rawType === 'voice' ? true : asBoolean(media.voice);
		if (voice !== undefined) event.voice = voice;
		const animated = asBoolean(media.animated);
		if (animated !== undefined) event.animated = animated;
		return;
	}
	switch (rawType) {
		case 'text': {
			event.type = 'text';
			const text = message.text;
			if (isRecord(text)) {
				const body = asString(text.body);
				if (body !== undefined) event.text = body;
			}
			return;
		}
		case 'location': {
			event.type = 'location';
			const location = message.location;
			if (!isRecord(location)) return;
			const latitude = asNumber(location.latitude);
			if (latitude !== undefined) event.latitude = latitude;
			const longitude = asNumber(location.longitude);
			if (longitude !== undefined) event.longitude = longitude;
			const name = asString(location.name);
			if (name !== undefined) event.locationName = name;
			const address = asString(location.address);
			if (address !== undefined) event.address = address;
			const url = asString(location.url);
			if (url !== undefined) event.locationUrl = url;
			return;
		}
		case 'contacts':
			event.type = 'contacts';
			if (Array.isArray(message.contacts)) event.contacts = message.contacts;
			return;
		case 'interactive':
			readInteractive(message.interactive, event);
			return;
		case 'button': {
			event.type = 'button';
			const button = message.button;
			if (!isRecord(button)) return;
			const text = asString(button.text);
			if (text !== undefined) event.buttonText = text;
			const payload = asString(button.payload);
			if (payload !== undefined) event.buttonPayload = payload;
			return;
		}
		case 'reaction': {
			event.type = 'reaction';
			const reaction = message.reaction;
			if (!isRecord(reaction)) return;
			const emoji = asString(reaction.emoji);
			if (emoji !== undefined) event.reactionEmoji = emoji;
			const target = asString(reaction.message_id);
			if (target !== undefined) event.reactionMessageId = target;
			return;
		}
		case 'order':
			event.type = 'order';
			if (isRecord(message.order)) event.order = message.order;
			return;
		case 'system':
			event.type = 'system';
			if (isRecord(message.system)) event.system = message.system;
			return;
		case 'unsupported':
			event.type = 'unsupported';
			return;
		case 'request_welcome':
			event.type = 'request_welcome';
			return;
		default:
			event.originalType = rawType;
	}
}

function readInteractive(interactive: unknown, event: MessageEvent): void {
	if (!isRecord(interactive)) {
		event.originalType = 'interactive';
		return;
	}
	const subType = interactive.type;
	if (subType === 'button_reply' || subType === 'list_reply') {
		event.type = subType === 'button_reply' ? 'interactive.button_reply' : 'interactive.list_reply';
		const reply = interactive[subType];
		if (!isRecord(reply)) return;
		const id = asString(reply.id);
		if (id !== undefined) event.replyId = id;
		const title = asString(reply.title);
		if (title !== undefined) event.replyTitle = title;
		const description = asString(reply.description);
		if (description !== undefined) event.replyDescription = description;
		return;
	}
	if (subType === 'nfm_reply') {
		event.type = 'interactive.nfm_reply';
		const reply = interactive.nfm_reply;
		if (!isRecord(reply)) return;
		const name = asString(reply.name);
		if (name !== undefined) event.flowName = name;
		const response = reply.response_json;
		if (typeof response === 'string') {
			let parsed: unknown = response;
			try {
				parsed = JSON.parse(response);
			} catch {
				// Keep the string: the user can still see what the flow sent.
			}
			event.flowResponse = parsed;
			if (isRecord(parsed)) {
				const token = asString(parsed.flow_token);
				if (token !== undefined) event.flowToken = token;
			}
		} else if (response !== undefined) {
			event.flowResponse = response;
		}
		return;
	}
	event.originalType = typeof subType === 'string' ? `interactive.${subType}` : 'interactive';
}

interface ErrorFields {
	errorCode?: number;
	errorTitle?: string;
	errorDetails?: string;
	guidance?: string;
}

/** Copies code, title, details and guidance of one API error object onto an item. */
function readError(error: unknown, target: ErrorFields): void {
	if (!isRecord(error)) return;
	const code = asCode(error.code);
	if (code !== undefined) {
		target.errorCode = code;
		const guidance = guidanceFor(code);
		if (guidance !== undefined) target.guidance = guidance;
	}
	const title = asString(error.title) ?? asString(error.message);
	if (title !== undefined) target.errorTitle = title;
	const data = error.error_data;
	if (isRecord(data)) {
		const details = asString(data.details);
		if (details !== undefined) target.errorDetails = details;
	}
}

function toStatusEvent(status: JsonObject, origin: Origin): StatusEvent {
	const statusName = asString(status.status);
	const event: StatusEvent = {
		event: 'status',
		type: statusName ?? 'unknown',
		timestamp: unixSecondsToIso(status.timestamp),
		phoneNumberId: origin.phoneNumberId,
		displayPhoneNumber: origin.displayPhoneNumber,
		wabaId: origin.wabaId,
		field: origin.field,
		raw: status,
		status: statusName,
		messageId: asString(status.id),
	};
	const recipientId = asString(status.recipient_id);
	if (recipientId !== undefined) event.recipientId = recipientId;
	const recipientUserId = asString(status.recipient_user_id);
	if (recipientUserId !== undefined) event.recipientUserId = recipientUserId;
	const parentRecipientUserId = asString(status.parent_recipient_user_id);
	if (parentRecipientUserId !== undefined) event.parentRecipientUserId = parentRecipientUserId;
	if (isRecord(status.conversation)) event.conversation = status.conversation;
	if (isRecord(status.pricing)) event.pricing = status.pricing;
	const callbackData = asString(status.biz_opaque_callback_data);
	if (callbackData !== undefined) event.bizOpaqueCallbackData = callbackData;
	const errors = status.errors;
	if (Array.isArray(errors)) {
		event.errors = errors;
		if (errors.length > 0) readError(errors[0], event);
	}
	return event;
}

function toErrorEvent(error: JsonObject, origin: Origin): ErrorEvent {
	const event: ErrorEvent = {
		event: 'error',
		type: 'error',
		// Value-level errors carry no time of their own; the entry's `time` is the best there is.
		timestamp: unixSecondsToIso(origin.entryTime),
		phoneNumberId: origin.phoneNumberId,
		displayPhoneNumber: origin.displayPhoneNumber,
		wabaId: origin.wabaId,
		field: origin.field,
		raw: error,
	};
	readError(error, event);
	return event;
}

function toTemplateEvent(value: JsonObject, origin: Origin, field: string): TemplateEvent {
	const event: TemplateEvent = {
		event: 'template',
		type: field,
		timestamp: unixSecondsToIso(origin.entryTime),
		phoneNumberId: origin.phoneNumberId,
		// phone_number_quality_update carries the number in the value itself.
		displayPhoneNumber: origin.displayPhoneNumber ?? asId(value.display_phone_number),
		wabaId: origin.wabaId,
		field,
		raw: value,
	};
	const updateEvent = asString(value.event);
	if (updateEvent !== undefined) event.updateEvent = updateEvent;
	const templateId = asId(value.message_template_id);
	if (templateId !== undefined) event.templateId = templateId;
	const templateName = asString(value.message_template_name);
	if (templateName !== undefined) event.templateName = templateName;
	const templateLanguage = asString(value.message_template_language);
	if (templateLanguage !== undefined) event.templateLanguage = templateLanguage;
	const templateCategory = asString(value.message_template_category);
	if (templateCategory !== undefined) event.templateCategory = templateCategory;
	const reason = asString(value.reason);
	if (reason !== undefined) event.reason = reason;
	return event;
}

/** Digits of a phone number (drops `+`, spaces, dashes); no regex, this runs per message. */
function digitsOnly(value: string): string {
	let allDigits = true;
	for (let i = 0; i < value.length; i++) {
		const c = value.charCodeAt(i);
		if (c < 48 || c > 57) {
			allDigits = false;
			break;
		}
	}
	if (allDigits) return value;
	let digits = '';
	for (let i = 0; i < value.length; i++) {
		const c = value.charCodeAt(i);
		if (c >= 48 && c <= 57) digits += value[i];
	}
	return digits;
}

/**
 * Whether a message is the business's own (echo setups, or coexistence with the WhatsApp
 * Business app): `from_me: true`, or `from` equal to the business number
 * (`display_phone_number`, or `businessNumber` when the body has no metadata, e.g. the legacy
 * flat shape). Statuses, errors and updates never are.
 */
export function isEcho(event: WebhookEvent, businessNumber?: string): boolean {
	if (event.event !== 'message') return false;
	if (event.fromMe === true) return true;
	if (event.from === undefined) return false;
	const sender = digitsOnly(event.from);
	if (sender === '') return false;
	if (event.displayPhoneNumber !== undefined && digitsOnly(event.displayPhoneNumber) === sender) return true;
	return businessNumber !== undefined && digitsOnly(businessNumber) === sender;
}
