/**
 * Which parsed webhook events the trigger emits.
 *
 * Pure module (no n8n imports). The option lists below feed both the node's UI (they have the
 * `{ name, value, description }` shape of n8n options, sorted by name as n8n's linter wants)
 * and this filter, so the two cannot drift apart.
 *
 * Run this before the dedupe window (see dedupe.ts), so unwanted events never take its space.
 */

import {
	EVENT_KINDS,
	isEcho,
	MESSAGE_TYPES,
	type EventKind,
	type MessageType,
	type WebhookEvent,
} from './parser';

export interface FilterOption<T extends string> {
	name: string;
	value: T;
	description: string;
}

/** Values of the status filter: the Cloud API statuses plus `played` (voice notes). */
export const STATUS_FILTER_VALUES = ['sent', 'delivered', 'read', 'failed', 'played'] as const;
export type StatusFilterValue = (typeof STATUS_FILTER_VALUES)[number];

export const EVENT_OPTIONS: ReadonlyArray<FilterOption<EventKind>> = [
	{ name: 'Account Updates', value: 'account', description: 'Phone number quality and messaging limit, display name decisions, account restrictions and reviews, account alerts, business capability' },
	{ name: 'Calls', value: 'call', description: 'WhatsApp calls: connect, terminate, ringing / accepted / rejected, and answers to call permission requests' },
	{ name: 'Errors', value: 'error', description: 'Account or system errors WhatsApp reports outside any message' },
	{ name: 'Groups', value: 'group', description: 'Groups of the number: created or deleted, settings changed, participants added or removed' },
	{ name: 'Marketing Opt-Outs and Opt-Ins', value: 'preference', description: 'A customer stopped or resumed marketing messages from the business' },
	{ name: 'Message Statuses', value: 'status', description: 'Sent, delivered, read and failed updates of messages the business sent' },
	{ name: 'Messages', value: 'message', description: 'Messages customers send to the business number, including edits and deletions' },
	{ name: 'Other (Unknown Events)', value: 'unknown', description: 'Webhook fields this node does not know yet, passed on as they came' },
	{ name: 'Template Updates', value: 'template', description: 'Template approval and status, quality, category and component changes' },
	{ name: 'WhatsApp Business App: Chat History', value: 'history', description: 'Past chats of a number that also uses the WhatsApp Business app, one item per message (only when selected)' },
	{ name: 'WhatsApp Business App: Contacts', value: 'app_state', description: 'Contacts added, changed or removed in the WhatsApp Business app (only when selected)' },
	{ name: 'WhatsApp Business App: Sent Messages', value: 'echo', description: 'Messages the business sent from the WhatsApp Business app or a linked device (only when selected)' },
];

/**
 * Kinds that start the workflow only when selected by name, also when the selection is empty ("all"):
 * they are the business's own messages and bulk synchronisation of a number that also uses the
 * WhatsApp Business app, which must not start workflows meant for customer events.
 */
export const OPT_IN_EVENT_KINDS: ReadonlySet<EventKind> = new Set<EventKind>(['echo', 'history', 'app_state']);

export const MESSAGE_TYPE_OPTIONS: ReadonlyArray<FilterOption<MessageType>> = [
	{ name: 'Audio', value: 'audio', description: 'Voice notes and audio files' },
	{ name: 'Button Reply (Interactive)', value: 'interactive.button_reply', description: 'Tap on a reply button of an interactive message' },
	{ name: 'Chat Opened', value: 'request_welcome', description: 'The customer opened the chat for the first time' },
	{ name: 'Contacts', value: 'contacts', description: 'Shared contact cards' },
	{ name: 'Deleted by the Customer', value: 'revoke', description: 'The customer deleted an earlier message (originalMessageId)' },
	{ name: 'Document', value: 'document', description: 'Files such as PDFs' },
	{ name: 'Edited by the Customer', value: 'edit', description: 'The customer edited an earlier message (originalMessageId and the new content)' },
	{ name: 'Flow Reply (Interactive)', value: 'interactive.nfm_reply', description: 'A submitted WhatsApp Flow' },
	{ name: 'Image', value: 'image', description: 'Photos and pictures' },
	{ name: 'List Reply (Interactive)', value: 'interactive.list_reply', description: 'Row picked from a list message' },
	{ name: 'Location', value: 'location', description: 'Shared locations' },
	{ name: 'Order', value: 'order', description: 'Carts sent from a catalog' },
	{ name: 'Other (Unknown Type)', value: 'unknown', description: 'Message types this node does not know yet' },
	{ name: 'Reaction', value: 'reaction', description: 'Emoji reactions (also removed reactions)' },
	{ name: 'Sticker', value: 'sticker', description: 'Stickers' },
	{ name: 'System', value: 'system', description: 'System notices, e.g. the customer changed their number' },
	{ name: 'Template Quick Reply', value: 'button', description: 'Tap on a quick-reply button of a template message' },
	{ name: 'Text', value: 'text', description: 'Plain text messages' },
	{ name: 'Unsupported', value: 'unsupported', description: 'Messages WhatsApp cannot pass on to the API' },
	{ name: 'Video', value: 'video', description: 'Videos' },
];

export const STATUS_OPTIONS: ReadonlyArray<FilterOption<StatusFilterValue>> = [
	{ name: 'Delivered', value: 'delivered', description: "The message reached the customer's phone" },
	{ name: 'Failed', value: 'failed', description: 'The message could not be delivered (with the reason and what to do)' },
	{ name: 'Played', value: 'played', description: 'The customer played a voice message' },
	{ name: 'Read', value: 'read', description: 'The customer opened the message' },
	{ name: 'Sent', value: 'sent', description: 'WhatsApp accepted the message' },
];

export interface EventFilterOptions {
	/** Event kinds to emit. Undefined or empty: all kinds except the opt-in ones (OPT_IN_EVENT_KINDS). */
	events?: readonly string[];
	/** Message types to emit (values of MESSAGE_TYPES). Undefined or empty: all types. */
	messageTypes?: readonly string[];
	/** Statuses to emit. Undefined or empty: all, including statuses not listed above. */
	statuses?: readonly string[];
	/** Drop the business's own messages (see `isEcho`). Default true. */
	ignoreOwnEchoes?: boolean;
	/** Business number for echo detection when the body has no metadata (legacy/sandbox). */
	businessNumber?: string;
}

/** Empty or missing lists mean "no restriction": an empty multi-select must not silence the trigger. */
function toSet(values: readonly string[] | undefined): ReadonlySet<string> | undefined {
	if (!Array.isArray(values) || values.length === 0) return undefined;
	const set = new Set<string>();
	for (const value of values) if (typeof value === 'string') set.add(value);
	return set.size > 0 ? set : undefined;
}

/** Builds the predicate once per execution; it is then called for each event. */
export function createEventFilter(options: EventFilterOptions = {}): (event: WebhookEvent) => boolean {
	const events = toSet(options.events);
	const messageTypes = toSet(options.messageTypes);
	const statuses = toSet(options.statuses);
	const ignoreEchoes = options.ignoreOwnEchoes !== false;
	const businessNumber = typeof options.businessNumber === 'string' && options.businessNumber !== ''
		? options.businessNumber
		: undefined;
	return (event: WebhookEvent): boolean => {
		if (events === undefined ? OPT_IN_EVENT_KINDS.has(event.event) : !events.has(event.event)) return false;
		if (event.event === 'message') {
			if (messageTypes !== undefined && !messageTypes.has(event.type)) return false;
			if (ignoreEchoes && isEcho(event, businessNumber)) return false;
		} else if (event.event === 'status') {
			if (statuses !== undefined && !statuses.has(event.type)) return false;
		}
		return true;
	};
}

/** The events the options ask for, in input order. */
export function filterEvents<T extends WebhookEvent>(events: readonly T[], options: EventFilterOptions = {}): T[] {
	const keep = createEventFilter(options);
	const out: T[] = [];
	for (let i = 0; i < events.length; i++) if (keep(events[i])) out.push(events[i]);
	return out;
}

/** Re-exported so the node can import every list it shows from one place. */
export { EVENT_KINDS, MESSAGE_TYPES };
