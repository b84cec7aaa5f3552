/**
 * Turns a 360dialog webhook body into a flat list of events: one item per event, whatever kind of
 * event it is. The body is Meta's webhook payload, not wrapped by 360dialog:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components and the per-field
 * references under https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/
 * (messages, calls, user_preferences, smb_message_echoes, history, smb_app_state_sync, the template and
 * account fields); the group fields are in Meta's OpenAPI spec (`/whatsapp/webhooks`, test/fixtures/spec).
 *
 * Pure module (no n8n imports, no node globals). The one thing it reads from outside is the clock,
 * and only for an event that carries no time of its own and whose entry has none either (its
 * `timestamp` is then the time the body was parsed, marked `timestampSource: 'received'`); tests
 * pass `receivedAt`. `parseWebhook` never throws: anything that does not have the documented shape
 * is skipped, never guessed at, and a change of a kind this parser does not know becomes one
 * `event: 'unknown'` item with its `raw` value, so nothing WhatsApp sends is silently lost.
 *
 * Event kinds (`event`) and what produces them:
 *   message     `messages[]` (every field; normally `messages`): customer messages, including edits
 *               (`type: 'edit'`) and deletions (`type: 'revoke'`) of earlier ones
 *   status      `statuses[]` of messages the business sent (not of calls)
 *   error       value-level `errors[]` (problems outside any message)
 *   call        `calls[]` (connect, terminate), `statuses[]` of calls (field `calls` or `type: 'call'`),
 *               and `interactive.call_permission_reply` messages (`type: 'permission_reply'`)
 *   preference  `user_preferences[]` (marketing messages stopped or resumed), and the equivalent
 *               `system` message of type `user_preference_changed`
 *   template    message_template_status_update, message_template_quality_update,
 *               message_template_components_update, template_category_update
 *   account     phone_number_quality_update, phone_number_name_update, account_update,
 *               account_review_update, account_alerts, business_capability_update, security
 *   group       `groups[]` (group_lifecycle_update, group_settings_update, group_participants_update)
 *   echo        `message_echoes[]` (smb_message_echoes: what the business sent from the WhatsApp Business app)
 *   history     `history[]` (chat history of the WhatsApp Business app, one item per message)
 *   app_state   `state_sync[]` (smb_app_state_sync: the app's contact book)
 *   unknown     any other change value that carries something: `type` is the change field
 *
 * Order of the output: entries in order, their changes in order, and within one change value
 * first `messages[]`, then `statuses[]`, `calls[]`, `user_preferences[]`, `message_echoes[]`,
 * `history[]`, `state_sync[]`, `groups[]`, and `errors[]` last. The API guarantees no ordering
 * across deliveries (e.g. `read` can arrive before `delivered`), so this only keeps what one body
 * says in the order it says it.
 *
 * Every item names the customer the same way where one is known: `waId` (their WhatsApp ID / phone
 * number), plus `from`, `fromUserId` / `userId` (BSUID), `username` and `contactName` where the
 * body gives them.
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
	'edit',
	'revoke',
	'unknown',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Cloud API statuses (`statuses[].status`). Other strings (`played`, …) are passed through as given. */
export const STATUS_TYPES = ['sent', 'delivered', 'read', 'failed'] as const;
export type StatusType = (typeof STATUS_TYPES)[number];

export const EVENT_KINDS = [
	'message',
	'status',
	'error',
	'call',
	'preference',
	'template',
	'account',
	'group',
	'echo',
	'history',
	'app_state',
	'unknown',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Change fields about templates: emitted as `event: 'template'`, `type` = the field. */
export const TEMPLATE_FIELDS = [
	'message_template_status_update',
	'message_template_quality_update',
	'message_template_components_update',
	'template_category_update',
] as const;

/** Change fields about the number and the account: emitted as `event: 'account'`, `type` = the field. */
export const ACCOUNT_FIELDS = [
	'phone_number_quality_update',
	'phone_number_name_update',
	'account_update',
	'account_review_update',
	'account_alerts',
	'business_capability_update',
	'security',
] as const;

/** Template and account fields together (the update events that carry no array of items). */
export const UPDATE_FIELDS = [...TEMPLATE_FIELDS, ...ACCOUNT_FIELDS] as const;

/** Call `type` values: call events, call statuses and the call permission answer. */
export const CALL_TYPES = ['connect', 'terminate', 'status', 'permission_reply'] as const;

type JsonObject = Record<string, unknown>;

interface EventBase {
	event: EventKind;
	type: string;
	/**
	 * ISO 8601. The event's own time (Unix seconds in the body); when it has none, the entry's
	 * `time`, else the time the body was received; `timestampSource` then says which.
	 */
	timestamp?: string;
	/** Absent: the event's own time. `entry`: `entry[].time`. `received`: when the body was parsed. */
	timestampSource?: 'entry' | 'received';
	/** `value.metadata.phone_number_id`; undefined in the legacy flat shape and for WABA-level updates. */
	phoneNumberId?: string;
	displayPhoneNumber?: string;
	/** `entry[].id`: the WhatsApp Business Account ID. */
	wabaId?: string;
	/** `changes[].field` (normally `messages`); undefined in the legacy flat shape. */
	field?: string;
	/** The object the item was made from (message, status, call, error, change value, …), not a copy. */
	raw: JsonObject;
}

/** The customer, where the body names one. */
export interface Customer {
	/** The customer's WhatsApp ID (phone number); can be missing for users who hide their number (BSUID only). */
	waId?: string;
	/** Business-scoped user ID of the customer (`from_user_id`, else `contacts[].user_id`). */
	fromUserId?: string;
	userId?: string;
	parentUserId?: string;
	username?: string;
	/** Profile name (`contacts[].profile.name`). */
	contactName?: string;
}

/** The content of a message, flattened: shared by messages, echoes and history messages. */
export interface MessageContent {
	/** The API's own type when `type` is `unknown` (e.g. `ephemeral`, `media_placeholder`). */
	originalType?: string;
	/** `text.body` of text messages (and of edits to a text). */
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
	/** `context.forwarded` or `context.frequently_forwarded` (always set on messages, echoes and history messages). */
	forwarded?: boolean;
	order?: JsonObject;
	system?: JsonObject;
	/** Shared contact cards of a `contacts` message (not the sender: that is `contactName` etc.). */
	contacts?: unknown[];
	/** Message-level errors, e.g. on `unsupported` messages. */
	errors?: unknown[];
	/** `from_me` as given (echo setups); see `isEcho`. */
	fromMe?: boolean;
	/** Edits and deletions: the ID of the message that was edited or deleted. */
	originalMessageId?: string;
	/** Edits: the type of the new content (`text`, `image`, …), whose fields are flattened as usual. */
	editedType?: string;
	/** Group messages: the group's ID. */
	groupId?: string;
}

export interface MessageEvent extends EventBase, Customer, MessageContent {
	event: 'message';
	type: MessageType;
	messageId?: string;
	/** Sender's phone number (wa_id); can be missing for users who hide their number (BSUID only). */
	from?: string;
	forwarded: boolean;
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
	/** Group messages: the group's ID. */
	groupId?: string;
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

interface ErrorFields {
	errorCode?: number;
	errorTitle?: string;
	errorDetails?: string;
	guidance?: string;
}

export interface ErrorEvent extends EventBase, ErrorFields {
	event: 'error';
	type: 'error';
}

export interface CallEvent extends EventBase, Customer, ErrorFields {
	event: 'call';
	/** `connect`, `terminate`, `status`, `permission_reply`; other call events as given. */
	type: string;
	/** The call ID (`wacid.…`); absent for permission replies. */
	callId?: string;
	/** `USER_INITIATED` (the customer called) or `BUSINESS_INITIATED`. */
	direction?: string;
	/** Calls: the caller. Permission replies: the customer. */
	from?: string;
	/** Calls: the callee. */
	to?: string;
	/** Statuses: `RINGING`, `ACCEPTED`, `REJECTED`; terminate: `COMPLETED`, `FAILED`; as given. */
	status?: string;
	recipientId?: string;
	/** Terminate: start and end of the call (ISO 8601) and its length in seconds. */
	startTime?: string;
	endTime?: string;
	duration?: number;
	/** Connect: `offer` (the customer calls) or `answer` (the customer picked up); the SDP is in `raw`. */
	sdpType?: string;
	bizOpaqueCallbackData?: string;
	errors?: unknown[];
	/** Permission replies: the message's ID, and the question it answers. */
	messageId?: string;
	contextMessageId?: string;
	/** Permission replies: `accept` or `reject`. */
	permissionResponse?: string;
	/** Permission replies: until when calls are allowed (ISO 8601). */
	permissionExpiresAt?: string;
	/** Permission replies: `user_action` or `automatic` (as given). */
	permissionSource?: string;
	permissionPermanent?: boolean;
}

export interface PreferenceEvent extends EventBase, Customer {
	event: 'preference';
	/** `stop` or `resume` (the customer stopped or resumed marketing messages); other values as given. */
	type: string;
	/** `marketing_messages`. */
	category?: string;
	/** Meta's sentence, e.g. "User requested to stop marketing messages". */
	detail?: string;
	/** Only when the preference came as a `system` message. */
	messageId?: string;
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
	/** Quality updates: `GREEN`, `YELLOW`, `RED`, `UNKNOWN`. */
	previousQualityScore?: string;
	newQualityScore?: string;
	/** Category updates. */
	previousCategory?: string;
	newCategory?: string;
	correctCategory?: string;
	/** Components updates: the body text, header, footer and buttons as given. */
	templateElement?: string;
	templateTitle?: string;
	templateFooter?: string;
	templateButtons?: unknown[];
	/** Status updates: `other_info.title` / `.description`, `rejection_info`, `disable_info.disable_date`. */
	infoTitle?: string;
	infoDescription?: string;
	rejectionReason?: string;
	rejectionRecommendation?: string;
	disableDate?: string;
}

export interface AccountEvent extends EventBase {
	event: 'account';
	/** The change field, e.g. `phone_number_quality_update`. */
	type: string;
	/** `value.event`, e.g. `FLAGGED`, `THROUGHPUT_UPGRADE`, `ACCOUNT_RESTRICTION`. */
	updateEvent?: string;
	/** Messaging limits (phone number quality, business capability). */
	currentLimit?: string;
	oldLimit?: string;
	maxDailyConversationsPerBusiness?: string | number;
	maxDailyConversationPerPhone?: number;
	maxPhoneNumbersPerBusiness?: number;
	maxPhoneNumbersPerWaba?: number;
	/** Name updates and account reviews: `APPROVED`, `REJECTED`, `DEFERRED`, … */
	decision?: string;
	requestedVerifiedName?: string;
	rejectionReason?: string;
	/** Account alerts. */
	entityType?: string;
	entityId?: string;
	alertSeverity?: string;
	alertStatus?: string;
	alertType?: string;
	alertDescription?: string;
	/** Account updates: ban, restrictions, violations, country. */
	banState?: string;
	banDate?: string;
	restrictions?: unknown[];
	violationType?: string;
	country?: string;
}

export interface GroupEvent extends EventBase {
	event: 'group';
	/** `group_create`, `group_delete`, `group_settings_update`, `group_add_participants`, `group_remove_participants`, … */
	type: string;
	groupId?: string;
	requestId?: string;
	subject?: string;
	description?: string;
	addedParticipants?: unknown[];
	removedParticipants?: unknown[];
	profilePicture?: JsonObject;
}

export interface EchoEvent extends EventBase, Customer, MessageContent {
	event: 'echo';
	/** The message type, as for messages. */
	type: MessageType;
	messageId?: string;
	/** The business number that sent it. */
	from?: string;
	/** The customer it went to (also `waId`). */
	to?: string;
}

export interface HistoryEvent extends EventBase, Customer, MessageContent, ErrorFields {
	event: 'history';
	/** The message type; `progress` for a chunk without messages; `error` when sharing was declined. */
	type: string;
	messageId?: string;
	from?: string;
	/** The chat (the customer's number; also `waId`). */
	threadId?: string;
	/** `history_context.status` of the message (e.g. `READ`, `DELIVERED`). */
	historyStatus?: string;
	/** Sync phase (0: day 0–1, 1: day 1–90, 2: day 90–180), chunk order and overall progress (100: done). */
	phase?: number;
	chunkOrder?: number;
	progress?: number;
}

export interface AppStateEvent extends EventBase, Customer {
	event: 'app_state';
	/** `contact` (the only kind Meta documents). */
	type: string;
	/** `add` (added or edited) or `remove`. */
	action?: string;
	contactPhoneNumber?: string;
	contactFullName?: string;
	contactFirstName?: string;
}

export interface UnknownEvent extends EventBase {
	event: 'unknown';
	/** The change field, or `unknown` without one. */
	type: string;
}

export type WebhookEvent =
	| MessageEvent
	| StatusEvent
	| ErrorEvent
	| CallEvent
	| PreferenceEvent
	| TemplateEvent
	| AccountEvent
	| GroupEvent
	| EchoEvent
	| HistoryEvent
	| AppStateEvent
	| UnknownEvent;

export interface ParseOptions {
	/** Epoch milliseconds used for events without any time of their own (default: now, read lazily). */
	receivedAt?: number;
}

/** Where an item came from: shared by every item of one change value. */
interface Origin {
	phoneNumberId: string | undefined;
	displayPhoneNumber: string | undefined;
	wabaId: string | undefined;
	field: string | undefined;
	/** `entry[].time` (template and account events carry it instead of per-item timestamps). */
	entryTime: unknown;
	/** Per parse: the fallback time, computed once when first needed. */
	clock: Clock;
}

class Clock {
	private iso: string | undefined;
	constructor(private readonly receivedAt: number | undefined) {}

	/** The receive time as ISO 8601 (now, unless the caller gave one). */
	received(): string {
		if (this.iso === undefined) {
			const at = this.receivedAt ?? Date.now();
			this.iso = new Date(Number.isFinite(at) ? at : 0).toISOString();
		}
		return this.iso;
	}
}

const TEMPLATE_FIELD_SET: ReadonlySet<string> = new Set(TEMPLATE_FIELDS);
const ACCOUNT_FIELD_SET: ReadonlySet<string> = new Set(ACCOUNT_FIELDS);

/** Keys of a change value that are envelope, or item arrays this parser reads. Anything else is unknown content. */
const KNOWN_VALUE_KEYS: ReadonlySet<string> = new Set([
	'messaging_product',
	'metadata',
	'contacts',
	'messages',
	'statuses',
	'errors',
	'calls',
	'user_preferences',
	'message_echoes',
	'history',
	'state_sync',
	'groups',
]);

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

/** A number given as a number or a numeric string (`"120"`). */
function asCount(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '') {
		const n = Number(value);
		return Number.isFinite(n) ? n : undefined;
	}
	return undefined;
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

/**
 * Sets `timestamp` from the event's own time; when it has none, from the entry time, else from the
 * receive time, and says so in `timestampSource`.
 */
function stamp(event: EventBase, own: unknown, origin: Origin): void {
	const iso = own === undefined ? undefined : unixSecondsToIso(own);
	if (iso !== undefined) {
		event.timestamp = iso;
		return;
	}
	const entry = unixSecondsToIso(origin.entryTime);
	if (entry !== undefined) {
		event.timestamp = entry;
		event.timestampSource = 'entry';
	} else {
		event.timestamp = origin.clock.received();
		event.timestampSource = 'received';
	}
}

/** Reads one webhook body. Never throws; returns [] for anything that is not a webhook. */
export function parseWebhook(body: unknown, options: ParseOptions = {}): WebhookEvent[] {
	const events: WebhookEvent[] = [];
	try {
		collectEvents(body, events, new Clock(options.receivedAt));
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
export function parseWebhookUnguarded(body: unknown, options: ParseOptions = {}): WebhookEvent[] {
	const events: WebhookEvent[] = [];
	collectEvents(body, events, new Clock(options.receivedAt));
	return events;
}

function collectEvents(body: unknown, events: WebhookEvent[], clock: Clock): void {
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
					clock,
				};
				readValue(value, origin, events, true);
			}
		}
	} else if (
		root.entry === undefined &&
		(Array.isArray(root.messages) || Array.isArray(root.statuses) || Array.isArray(root.errors))
	) {
		readValue(root, { ...NO_ORIGIN, clock }, events, false);
	}
}

/** Legacy flat bodies carry no envelope, so nothing is known about where they came from. */
const NO_ORIGIN = {
	phoneNumberId: undefined,
	displayPhoneNumber: undefined,
	wabaId: undefined,
	field: undefined,
	entryTime: undefined,
};

function base<E extends EventKind>(event: E, type: string, raw: JsonObject, origin: Origin) {
	return {
		event,
		type,
		timestamp: undefined as string | undefined,
		phoneNumberId: origin.phoneNumberId,
		displayPhoneNumber: origin.displayPhoneNumber,
		wabaId: origin.wabaId,
		field: origin.field,
		raw,
	};
}

function readValue(value: JsonObject, origin: Origin, out: WebhookEvent[], enveloped: boolean): void {
	const before = out.length;
	// Built when a kind that names a customer needs it (no closure: this runs once per change).
	let senders: SenderIndex | undefined;

	const messages = value.messages;
	if (Array.isArray(messages) && messages.length > 0) {
		senders = new SenderIndex(value.contacts);
		for (let i = 0; i < messages.length; i++) {
			const message = messages[i];
			if (isRecord(message)) out.push(fromMessage(message, origin, senders));
		}
	}
	const statuses = value.statuses;
	if (Array.isArray(statuses)) {
		const calls = origin.field === 'calls';
		for (let i = 0; i < statuses.length; i++) {
			const status = statuses[i];
			if (!isRecord(status)) continue;
			if (calls || status.type === 'call') {
				senders ??= new SenderIndex(value.contacts);
				out.push(toCallStatusEvent(status, origin, senders));
			} else {
				out.push(toStatusEvent(status, origin));
			}
		}
	}
	// The `messages` field carries messages, statuses and errors only (the hot path skips the rest).
	if (enveloped && origin.field !== 'messages') readOtherArrays(value, origin, out, senders);
	const errors = value.errors;
	if (Array.isArray(errors)) {
		for (let i = 0; i < errors.length; i++) {
			const error = errors[i];
			if (isRecord(error)) out.push(toErrorEvent(error, origin));
		}
	}
	if (out.length > before || !enveloped) return;

	const field = origin.field;
	if (field !== undefined && TEMPLATE_FIELD_SET.has(field)) {
		out.push(toTemplateEvent(value, origin, field));
	} else if (field !== undefined && ACCOUNT_FIELD_SET.has(field)) {
		out.push(toAccountEvent(value, origin, field));
	} else if (hasUnknownContent(value)) {
		const event: UnknownEvent = base('unknown', field ?? 'unknown', value, origin);
		stamp(event, undefined, origin);
		out.push(event);
	}
}

/** The arrays of the other webhook fields (calls, preferences, coexistence, groups). */
function readOtherArrays(value: JsonObject, origin: Origin, out: WebhookEvent[], known: SenderIndex | undefined): void {
	let senders = known;
	const calls = value.calls;
	if (Array.isArray(calls)) {
		senders ??= new SenderIndex(value.contacts);
		for (let i = 0; i < calls.length; i++) {
			const call = calls[i];
			if (isRecord(call)) out.push(toCallEvent(call, origin, senders));
		}
	}
	const preferences = value.user_preferences;
	if (Array.isArray(preferences)) {
		senders ??= new SenderIndex(value.contacts);
		for (let i = 0; i < preferences.length; i++) {
			const preference = preferences[i];
			if (isRecord(preference)) out.push(toPreferenceEvent(preference, origin, senders));
		}
	}
	const echoes = value.message_echoes;
	if (Array.isArray(echoes)) {
		senders ??= new SenderIndex(value.contacts);
		for (let i = 0; i < echoes.length; i++) {
			const echo = echoes[i];
			if (isRecord(echo)) out.push(toEchoEvent(echo, origin, senders));
		}
	}
	const history = value.history;
	if (Array.isArray(history)) {
		for (let i = 0; i < history.length; i++) {
			const chunk = history[i];
			if (isRecord(chunk)) readHistoryChunk(chunk, origin, out);
		}
	}
	const stateSync = value.state_sync;
	if (Array.isArray(stateSync)) {
		for (let i = 0; i < stateSync.length; i++) {
			const state = stateSync[i];
			if (isRecord(state)) out.push(toAppStateEvent(state, origin));
		}
	}
	const groups = value.groups;
	if (Array.isArray(groups)) {
		for (let i = 0; i < groups.length; i++) {
			const group = groups[i];
			if (isRecord(group)) out.push(toGroupEvent(group, origin));
		}
	}
}

/** Whether a change value says something this parser has no kind for (envelope and empty values do not). */
function hasUnknownContent(value: JsonObject): boolean {
	for (const key of Object.keys(value)) if (!KNOWN_VALUE_KEYS.has(key)) return true;
	return false;
}

/** Finds the `value.contacts[]` entry of a customer, by wa_id or else by BSUID. */
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

/**
 * Sets the customer fields from `value.contacts[]`: `waId` (the contact's wa_id, else the number
 * given), BSUIDs, username and profile name.
 */
function readCustomer(target: Customer, senders: SenderIndex, waId: string | undefined, userIdGiven: string | undefined): void {
	const contact = senders.find(waId, userIdGiven);
	let resolvedWaId = waId;
	let userId: string | undefined;
	if (contact !== undefined) {
		resolvedWaId = asString(contact.wa_id) ?? waId;
		userId = asString(contact.user_id);
		const parentUserId = asString(contact.parent_user_id);
		if (parentUserId !== undefined) target.parentUserId = parentUserId;
		const profile = contact.profile;
		if (isRecord(profile)) {
			const name = asString(profile.name);
			if (name !== undefined) target.contactName = name;
			const username = asString(profile.username);
			if (username !== undefined) target.username = username;
		}
	}
	if (resolvedWaId !== undefined) target.waId = resolvedWaId;
	const fromUserId = userIdGiven ?? userId;
	if (fromUserId !== undefined) target.fromUserId = fromUserId;
	if (userId !== undefined) target.userId = userId;
}

const MEDIA_TYPES: ReadonlySet<string> = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/** A `messages[]` entry: a message, or a call permission answer / preference change that arrives as one. */
function fromMessage(message: JsonObject, origin: Origin, senders: SenderIndex): WebhookEvent {
	const rawType = message.type;
	if (rawType === 'interactive') {
		const interactive = message.interactive;
		if (isRecord(interactive) && interactive.type === 'call_permission_reply') return toPermissionReplyEvent(message, interactive, origin, senders);
	} else if (rawType === 'system') {
		const system = message.system;
		if (isRecord(system) && system.type === 'user_preference_changed') return toSystemPreferenceEvent(message, system, origin, senders);
	}
	return toMessageEvent(message, origin, senders);
}

function toMessageEvent(message: JsonObject, origin: Origin, senders: SenderIndex): MessageEvent {
	const from = asString(message.from);
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
	if (event.timestamp === undefined) stamp(event, undefined, origin);
	readCustomer(event, senders, from, asString(message.from_user_id));
	readMessageBody(message, event);
	return event;
}

/** Type, content and the common message keys (context, referral, errors, from_me, group) onto `event`. */
function readMessageBody(message: JsonObject, event: MessageContent & { type: MessageType }): void {
	const rawType = message.type;
	if (typeof rawType === 'string') event.type = readContent(message, rawType, event);
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
	const groupId = asString(message.group_id);
	if (groupId !== undefined) event.groupId = groupId;
}

/** Sets the flattened content fields and returns the type; unknown types return `unknown` (with `originalType`). */
function readContent(message: JsonObject, rawType: string, event: MessageContent): MessageType {
	if (MEDIA_TYPES.has(rawType) || rawType === 'voice') {
		// `voice` is the On-Premise name of a voice note (legacy flat shape).
		const media = message[rawType];
		if (isRecord(media)) {
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
		}
		return rawType === 'voice' ? 'audio' : (rawType as MessageType);
	}
	switch (rawType) {
		case 'text': {
			const text = message.text;
			if (isRecord(text)) {
				const body = asString(text.body);
				if (body !== undefined) event.text = body;
			}
			return 'text';
		}
		case 'location': {
			const location = message.location;
			if (!isRecord(location)) return 'location';
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
			return 'location';
		}
		case 'contacts':
			if (Array.isArray(message.contacts)) event.contacts = message.contacts;
			return 'contacts';
		case 'interactive':
			return readInteractive(message.interactive, event);
		case 'button': {
			const button = message.button;
			if (!isRecord(button)) return 'button';
			const text = asString(button.text);
			if (text !== undefined) event.buttonText = text;
			const payload = asString(button.payload);
			if (payload !== undefined) event.buttonPayload = payload;
			return 'button';
		}
		case 'reaction': {
			const reaction = message.reaction;
			if (!isRecord(reaction)) return 'reaction';
			const emoji = asString(reaction.emoji);
			if (emoji !== undefined) event.reactionEmoji = emoji;
			const target = asString(reaction.message_id);
			if (target !== undefined) event.reactionMessageId = target;
			return 'reaction';
		}
		case 'order':
			if (isRecord(message.order)) event.order = message.order;
			return 'order';
		case 'system':
			if (isRecord(message.system)) event.system = message.system;
			return 'system';
		case 'unsupported':
			return 'unsupported';
		case 'request_welcome':
			return 'request_welcome';
		case 'edit':
			readEdit(message.edit, event);
			return 'edit';
		case 'revoke': {
			const revoke = message.revoke;
			if (isRecord(revoke)) {
				const original = asString(revoke.original_message_id);
				if (original !== undefined) event.originalMessageId = original;
			}
			return 'revoke';
		}
		default:
			event.originalType = rawType;
			return 'unknown';
	}
}

/**
 * An edit (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/edit):
 * `edit.original_message_id` and `edit.message`, the new content, shaped like a message of its own
 * type. The new content is flattened as that type would be; `editedType` says which.
 */
function readEdit(edit: unknown, event: MessageContent): void {
	if (!isRecord(edit)) return;
	const original = asString(edit.original_message_id);
	if (original !== undefined) event.originalMessageId = original;
	const inner = edit.message;
	if (!isRecord(inner)) return;
	const innerType = asString(inner.type);
	if (innerType === undefined || innerType === 'edit') return;
	event.editedType = innerType;
	readContent(inner, innerType, event);
	// The inner type's own name stays in editedType; originalType would repeat it.
	if (event.originalType === innerType) delete event.originalType;
}

function readInteractive(interactive: unknown, event: MessageContent): MessageType {
	if (!isRecord(interactive)) {
		event.originalType = 'interactive';
		return 'unknown';
	}
	const subType = interactive.type;
	if (subType === 'button_reply' || subType === 'list_reply') {
		const reply = interactive[subType];
		if (isRecord(reply)) {
			const id = asString(reply.id);
			if (id !== undefined) event.replyId = id;
			const title = asString(reply.title);
			if (title !== undefined) event.replyTitle = title;
			const description = asString(reply.description);
			if (description !== undefined) event.replyDescription = description;
		}
		return subType === 'button_reply' ? 'interactive.button_reply' : 'interactive.list_reply';
	}
	if (subType === 'nfm_reply') {
		const reply = interactive.nfm_reply;
		if (!isRecord(reply)) return 'interactive.nfm_reply';
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
		return 'interactive.nfm_reply';
	}
	event.originalType = typeof subType === 'string' ? `interactive.${subType}` : 'interactive';
	return 'unknown';
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

/** An item's `errors[]` as given, and the first one flattened (statuses and calls). */
function readErrors(errors: unknown, target: ErrorFields & { errors?: unknown[] }): void {
	if (!Array.isArray(errors)) return;
	target.errors = errors;
	if (errors.length > 0) readError(errors[0], target);
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
	if (event.timestamp === undefined) stamp(event, undefined, origin);
	const recipientId = asString(status.recipient_id);
	if (recipientId !== undefined) event.recipientId = recipientId;
	const recipientUserId = asString(status.recipient_user_id);
	if (recipientUserId !== undefined) event.recipientUserId = recipientUserId;
	const parentRecipientUserId = asString(status.parent_recipient_user_id);
	if (parentRecipientUserId !== undefined) event.parentRecipientUserId = parentRecipientUserId;
	const groupId = asString(status.group_id);
	if (groupId !== undefined) event.groupId = groupId;
	if (isRecord(status.conversation)) event.conversation = status.conversation;
	if (isRecord(status.pricing)) event.pricing = status.pricing;
	const callbackData = asString(status.biz_opaque_callback_data);
	if (callbackData !== undefined) event.bizOpaqueCallbackData = callbackData;
	readErrors(status.errors, event);
	return event;
}

function toErrorEvent(error: JsonObject, origin: Origin): ErrorEvent {
	const event: ErrorEvent = base('error', 'error', error, origin) as ErrorEvent;
	// Value-level errors carry no time of their own: the entry's `time`, else the receive time.
	stamp(event, undefined, origin);
	readError(error, event);
	return event;
}

// -----------------------------------------------------------------------------------------------
// Calls (https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/user-initiated-calls,
// .../business-initiated-calls and .../calling/reference)
// -----------------------------------------------------------------------------------------------

function digitsEqual(a: string | undefined, b: string | undefined): boolean {
	if (a === undefined || b === undefined) return false;
	const left = digitsOnly(a);
	return left !== '' && left === digitsOnly(b);
}

/** A `calls[]` entry: connect (with an SDP offer or answer) or terminate (status, times, duration). */
function toCallEvent(call: JsonObject, origin: Origin, senders: SenderIndex): CallEvent {
	const event = base('call', asString(call.event) ?? 'unknown', call, origin) as CallEvent;
	stamp(event, call.timestamp, origin);
	const callId = asString(call.id);
	if (callId !== undefined) event.callId = callId;
	const direction = asString(call.direction);
	if (direction !== undefined) event.direction = direction;
	const from = asString(call.from);
	if (from !== undefined) event.from = from;
	const to = asString(call.to);
	if (to !== undefined) event.to = to;
	// The customer is the caller of a user-initiated call and the callee of a business-initiated one.
	let customer: string | undefined;
	if (direction === 'BUSINESS_INITIATED') customer = to;
	else if (direction === 'USER_INITIATED') customer = from;
	else customer = from !== undefined && !digitsEqual(from, origin.displayPhoneNumber) ? from : to;
	readCustomer(event, senders, customer, asString(call.from_user_id) ?? asString(call.to_user_id));
	const status = asString(call.status);
	if (status !== undefined) event.status = status;
	const startTime = unixSecondsToIso(call.start_time);
	if (startTime !== undefined) event.startTime = startTime;
	const endTime = unixSecondsToIso(call.end_time);
	if (endTime !== undefined) event.endTime = endTime;
	const duration = asCount(call.duration);
	if (duration !== undefined) event.duration = duration;
	const session = call.session;
	if (isRecord(session)) {
		const sdpType = asString(session.sdp_type);
		if (sdpType !== undefined) event.sdpType = sdpType;
	}
	const callbackData = asString(call.biz_opaque_callback_data);
	if (callbackData !== undefined) event.bizOpaqueCallbackData = callbackData;
	readErrors(call.errors, event);
	return event;
}

/** A `statuses[]` entry of a call the business placed: RINGING, ACCEPTED, REJECTED. */
function toCallStatusEvent(status: JsonObject, origin: Origin, senders: SenderIndex): CallEvent {
	const event = base('call', 'status', status, origin) as CallEvent;
	stamp(event, status.timestamp, origin);
	const callId = asString(status.id);
	if (callId !== undefined) event.callId = callId;
	const statusName = asString(status.status);
	if (statusName !== undefined) event.status = statusName;
	const recipientId = asString(status.recipient_id);
	if (recipientId !== undefined) event.recipientId = recipientId;
	readCustomer(event, senders, recipientId, asString(status.recipient_user_id));
	const callbackData = asString(status.biz_opaque_callback_data);
	if (callbackData !== undefined) event.bizOpaqueCallbackData = callbackData;
	readErrors(status.errors, event);
	return event;
}

/**
 * The customer's answer to a call permission request: a message of `interactive.type:
 * call_permission_reply` (https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/user-call-permissions).
 */
function toPermissionReplyEvent(message: JsonObject, interactive: JsonObject, origin: Origin, senders: SenderIndex): CallEvent {
	const event = base('call', 'permission_reply', message, origin) as CallEvent;
	stamp(event, message.timestamp, origin);
	const messageId = asString(message.id);
	if (messageId !== undefined) event.messageId = messageId;
	const from = asString(message.from);
	if (from !== undefined) event.from = from;
	readCustomer(event, senders, from, asString(message.from_user_id));
	const reply = interactive.call_permission_reply;
	if (isRecord(reply)) {
		const response = asString(reply.response);
		if (response !== undefined) event.permissionResponse = response;
		const expires = unixSecondsToIso(reply.expiration_timestamp);
		if (expires !== undefined) event.permissionExpiresAt = expires;
		const source = asString(reply.response_source);
		if (source !== undefined) event.permissionSource = source;
		const permanent = asBoolean(reply.is_permanent);
		if (permanent !== undefined) event.permissionPermanent = permanent;
	}
	const context = message.context;
	if (isRecord(context)) {
		const contextId = asString(context.id);
		if (contextId !== undefined) event.contextMessageId = contextId;
	}
	return event;
}

// -----------------------------------------------------------------------------------------------
// Marketing preferences (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/user_preferences)
// -----------------------------------------------------------------------------------------------

function toPreferenceEvent(preference: JsonObject, origin: Origin, senders: SenderIndex): PreferenceEvent {
	const event = base('preference', asString(preference.value) ?? 'unknown', preference, origin) as PreferenceEvent;
	stamp(event, preference.timestamp, origin);
	readCustomer(event, senders, asString(preference.wa_id), asString(preference.user_id));
	const category = asString(preference.category);
	if (category !== undefined) event.category = category;
	const detail = asString(preference.detail);
	if (detail !== undefined) event.detail = detail;
	return event;
}

/** The same change as a `system` message (`system.type: user_preference_changed`, `system.marketing`). */
function toSystemPreferenceEvent(message: JsonObject, system: JsonObject, origin: Origin, senders: SenderIndex): PreferenceEvent {
	const event = base('preference', asString(system.marketing) ?? 'unknown', message, origin) as PreferenceEvent;
	stamp(event, message.timestamp, origin);
	readCustomer(event, senders, asString(message.from), asString(message.from_user_id));
	event.category = 'marketing_messages';
	const detail = asString(system.body);
	if (detail !== undefined) event.detail = detail;
	const messageId = asString(message.id);
	if (messageId !== undefined) event.messageId = messageId;
	return event;
}

// -----------------------------------------------------------------------------------------------
// Coexistence with the WhatsApp Business app: echoes, history, contact sync
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/smb_message_echoes,
// .../history and .../smb_app_state_sync)
// -----------------------------------------------------------------------------------------------

function toEchoEvent(echo: JsonObject, origin: Origin, senders: SenderIndex): EchoEvent {
	const event = base('echo', 'unknown', echo, origin) as EchoEvent;
	event.forwarded = false;
	stamp(event, echo.timestamp, origin);
	const messageId = asString(echo.id);
	if (messageId !== undefined) event.messageId = messageId;
	const from = asString(echo.from);
	if (from !== undefined) event.from = from;
	const to = asString(echo.to);
	if (to !== undefined) event.to = to;
	readCustomer(event, senders, to, asString(echo.to_user_id));
	readMessageBody(echo, event);
	return event;
}

interface Progress {
	phase: number | undefined;
	chunkOrder: number | undefined;
	progress: number | undefined;
}

function withProgress(event: HistoryEvent, progress: Progress): HistoryEvent {
	if (progress.phase !== undefined) event.phase = progress.phase;
	if (progress.chunkOrder !== undefined) event.chunkOrder = progress.chunkOrder;
	if (progress.progress !== undefined) event.progress = progress.progress;
	return event;
}

function readHistoryChunk(chunk: JsonObject, origin: Origin, out: WebhookEvent[]): void {
	const before = out.length;
	const metadata = isRecord(chunk.metadata) ? chunk.metadata : undefined;
	const progress: Progress = {
		phase: metadata ? asCount(metadata.phase) : undefined,
		chunkOrder: metadata ? asCount(metadata.chunk_order) : undefined,
		progress: metadata ? asCount(metadata.progress) : undefined,
	};
	const threads = chunk.threads;
	if (Array.isArray(threads)) {
		const noContacts = new SenderIndex(undefined);
		for (let t = 0; t < threads.length; t++) {
			const thread = threads[t];
			if (!isRecord(thread) || !Array.isArray(thread.messages)) continue;
			const threadId = asString(thread.id);
			for (let m = 0; m < thread.messages.length; m++) {
				const message = thread.messages[m];
				if (!isRecord(message)) continue;
				const event = base('history', 'unknown', message, origin) as HistoryEvent;
				event.forwarded = false;
				stamp(event, message.timestamp, origin);
				const messageId = asString(message.id);
				if (messageId !== undefined) event.messageId = messageId;
				const from = asString(message.from);
				if (from !== undefined) event.from = from;
				if (threadId !== undefined) event.threadId = threadId;
				readCustomer(event, noContacts, threadId, undefined);
				readMessageBody(message, event as HistoryEvent & { type: MessageType });
				const context = message.history_context;
				if (isRecord(context)) {
					const status = asString(context.status);
					if (status !== undefined) event.historyStatus = status;
				}
				if (event.fromMe === undefined && digitsEqual(from, origin.displayPhoneNumber)) event.fromMe = true;
				out.push(withProgress(event, progress));
			}
		}
	}
	const errors = chunk.errors;
	if (Array.isArray(errors)) {
		for (let i = 0; i < errors.length; i++) {
			const error = errors[i];
			if (!isRecord(error)) continue;
			const event = base('history', 'error', error, origin) as HistoryEvent;
			stamp(event, undefined, origin);
			readError(error, event);
			out.push(withProgress(event, progress));
		}
	}
	if (out.length === before) {
		// A chunk without messages still reports how far the sync is (progress 100: done).
		const event = base('history', 'progress', chunk, origin) as HistoryEvent;
		stamp(event, undefined, origin);
		out.push(withProgress(event, progress));
	}
}

function toAppStateEvent(state: JsonObject, origin: Origin): AppStateEvent {
	const event = base('app_state', asString(state.type) ?? 'unknown', state, origin) as AppStateEvent;
	const metadata = isRecord(state.metadata) ? state.metadata : undefined;
	stamp(event, metadata?.timestamp, origin);
	const action = asString(state.action);
	if (action !== undefined) event.action = action;
	const contact = state.contact;
	if (isRecord(contact)) {
		const phone = asString(contact.phone_number);
		if (phone !== undefined) {
			event.contactPhoneNumber = phone;
			event.waId = phone;
		}
		const fullName = asString(contact.full_name);
		if (fullName !== undefined) event.contactFullName = fullName;
		const firstName = asString(contact.first_name);
		if (firstName !== undefined) event.contactFirstName = firstName;
	}
	return event;
}

// -----------------------------------------------------------------------------------------------
// Groups (Meta's OpenAPI spec, schema `Groups`)
// -----------------------------------------------------------------------------------------------

function toGroupEvent(group: JsonObject, origin: Origin): GroupEvent {
	const event = base('group', asString(group.type) ?? 'unknown', group, origin) as GroupEvent;
	stamp(event, group.timestamp, origin);
	const groupId = asString(group.group_id);
	if (groupId !== undefined) event.groupId = groupId;
	const requestId = asString(group.request_id);
	if (requestId !== undefined) event.requestId = requestId;
	const subject = asString(group.subject);
	if (subject !== undefined) event.subject = subject;
	const description = asString(group.description);
	if (description !== undefined) event.description = description;
	if (Array.isArray(group.added_participants)) event.addedParticipants = group.added_participants;
	if (Array.isArray(group.removed_participants)) event.removedParticipants = group.removed_participants;
	if (isRecord(group.profile_picture)) event.profilePicture = group.profile_picture;
	return event;
}

// -----------------------------------------------------------------------------------------------
// Template and account updates (one per change; the time is the entry's)
// -----------------------------------------------------------------------------------------------

/** Sets `key` when a value was found (no closure: these run per event). */
function put<T extends object, K extends keyof T>(target: T, key: K, found: T[K] | undefined): void {
	if (found !== undefined) target[key] = found;
}

function toTemplateEvent(value: JsonObject, origin: Origin, field: string): TemplateEvent {
	const event = base('template', field, value, origin) as TemplateEvent;
	stamp(event, undefined, origin);
	put(event, 'updateEvent', asString(value.event));
	put(event, 'templateId', asId(value.message_template_id));
	put(event, 'templateName', asString(value.message_template_name));
	put(event, 'templateLanguage', asString(value.message_template_language));
	put(event, 'templateCategory', asString(value.message_template_category));
	put(event, 'reason', asString(value.reason));
	put(event, 'previousQualityScore', asString(value.previous_quality_score));
	put(event, 'newQualityScore', asString(value.new_quality_score));
	put(event, 'previousCategory', asString(value.previous_category));
	put(event, 'newCategory', asString(value.new_category));
	put(event, 'correctCategory', asString(value.correct_category));
	put(event, 'templateElement', asString(value.message_template_element));
	put(event, 'templateTitle', asString(value.message_template_title));
	put(event, 'templateFooter', asString(value.message_template_footer));
	if (Array.isArray(value.message_template_buttons)) event.templateButtons = value.message_template_buttons;
	const other = value.other_info;
	if (isRecord(other)) {
		put(event, 'infoTitle', asString(other.title));
		put(event, 'infoDescription', asString(other.description));
	}
	const rejection = value.rejection_info;
	if (isRecord(rejection)) {
		put(event, 'rejectionReason', asString(rejection.reason));
		put(event, 'rejectionRecommendation', asString(rejection.recommendation));
	}
	const disable = value.disable_info;
	if (isRecord(disable)) put(event, 'disableDate', unixSecondsToIso(disable.disable_date) ?? asString(disable.disable_date));
	return event;
}

function toAccountEvent(value: JsonObject, origin: Origin, field: string): AccountEvent {
	const event = base('account', field, value, origin) as AccountEvent;
	// phone_number_quality_update and phone_number_name_update carry the number in the value itself.
	event.displayPhoneNumber = origin.displayPhoneNumber ?? asId(value.display_phone_number) ?? asId(value.phone_number);
	stamp(event, undefined, origin);
	put(event, 'updateEvent', asString(value.event));
	put(event, 'currentLimit', asString(value.current_limit));
	put(event, 'oldLimit', asString(value.old_limit));
	const perBusiness = value.max_daily_conversations_per_business;
	put(event, 'maxDailyConversationsPerBusiness', typeof perBusiness === 'string' ? perBusiness : asNumber(perBusiness));
	put(event, 'maxDailyConversationPerPhone', asNumber(value.max_daily_conversation_per_phone));
	put(event, 'maxPhoneNumbersPerBusiness', asNumber(value.max_phone_numbers_per_business));
	put(event, 'maxPhoneNumbersPerWaba', asNumber(value.max_phone_numbers_per_waba));
	put(event, 'decision', asString(value.decision));
	put(event, 'requestedVerifiedName', asString(value.requested_verified_name));
	put(event, 'rejectionReason', asString(value.rejection_reason));
	put(event, 'entityType', asString(value.entity_type));
	put(event, 'entityId', asId(value.entity_id));
	const alert = isRecord(value.alert_info) ? value.alert_info : value;
	put(event, 'alertSeverity', asString(alert.alert_severity));
	put(event, 'alertStatus', asString(alert.alert_status));
	put(event, 'alertType', asString(alert.alert_type));
	put(event, 'alertDescription', asString(alert.alert_description));
	const ban = value.ban_info;
	if (isRecord(ban)) {
		put(event, 'banState', asString(ban.waba_ban_state));
		put(event, 'banDate', asString(ban.waba_ban_date));
	}
	if (Array.isArray(value.restriction_info)) event.restrictions = value.restriction_info;
	const violation = value.violation_info;
	if (isRecord(violation)) put(event, 'violationType', asString(violation.violation_type));
	put(event, 'country', asString(value.country));
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
 * flat shape). Only `message` events can be; `echo` events are the business's by definition and
 * have their own kind.
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
