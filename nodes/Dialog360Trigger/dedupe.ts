/**
 * Dedupe keys of webhook events and the bounded window of keys a process has handed over.
 *
 * Pure module (no n8n imports, no clock: the caller passes `now`). Webhooks are delivered at
 * least once and retried for a day or more
 * (https://docs.360dialog.com/partner/messaging/receiving-messages-via-webhook), so the trigger
 * remembers what it has emitted. Assumption: 360dialog retries for about 24 hours (its Basics
 * page); its "Receiving messages" page, copied from Meta, says up to 7 days. The default window
 * (24 h) covers the first; a redelivery after that is emitted again.
 *
 * Keys (`dedupeKey`), one prefix per kind:
 * - message (`m:`): its `id` (wamids are unique); call permission replies are messages too;
 * - status (`s:`): `id:status` (statuses have no ID of their own; one message has several statuses);
 * - call (`c:`): call ID + call event (`connect`, `terminate`) or `status:` + the call status;
 * - echo (`o:`) and history message (`h:`): the message's `id`;
 *   a history chunk without messages: phase, chunk order and progress (it has no time of its own);
 * - preference (`p:`), group (`g:`), contact sync (`y:`): their content plus their own time;
 * - value-level error (`e:`), template (`t:`) and account (`a:`) update, unknown event (`u:`): built
 *   from their content plus the entry time. Without a time of their own or of the entry (their
 *   `timestamp` is then the receive time, `timestampSource: 'received'`) they are never deduped: two
 *   genuine, identical errors are then both emitted, which is better than silently dropping the
 *   second alert for a whole window.
 *
 * Two layers use the keys: this window, in the memory of the process that receives deliveries
 * (`processDedupeWindows`, select.ts), and the execution's claim in n8n's processed-data store
 * (claims.ts), which is the authority. Versions up to 0.1 kept the window in workflow static data;
 * that state is no longer read or written. Keys are stored as 64-bit hashes (14 characters instead of ~60 for a
 * wamid; a false match is about 1 in 10^11 at 10,000 entries) in parallel arrays, times as
 * seconds relative to the oldest entry. About 23 bytes per entry as JSON.
 *
 * Apply the event filters before deduping: otherwise statuses the user does not want would
 * fill the window and push out the message IDs that matter.
 */

import type { WebhookEvent } from './parser';
import { isRecord } from '../common/json';

export const DEFAULT_DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_DEDUPE_MAX_ENTRIES = 10_000;

const STATE_VERSION = 1;
/** Longer strings in a loaded state are not ours (our keys are 14 characters): skip them. */
const MAX_STORED_KEY_LENGTH = 64;

/** The JSON kept in static data. Entries are oldest first. */
export interface DedupeState {
	v: typeof STATE_VERSION;
	/** Epoch seconds that `t` is relative to (the oldest entry). */
	t0: number;
	/** Key hashes. */
	k: string[];
	/** Seconds after `t0` at which `k[i]` was first seen. */
	t: number[];
}

export interface DedupeOptions {
	/** Current time in epoch milliseconds (Date.now() of the caller). */
	now: number;
	/** How long a key is remembered after it was first seen. Default 24 h. */
	windowMs?: number;
	/** Most keys kept; the oldest go first. Default 10,000. */
	maxEntries?: number;
}

export interface DedupeStore {
	/** Whether `key` was seen inside the window; marks it as seen when it was not. */
	seen(key: string): boolean;
	/** Whether `key` was seen inside the window, without marking it. */
	has(key: string): boolean;
	readonly size: number;
	/** The state to write back to static data (expired entries left out). */
	toJSON(): DedupeState;
}

function positiveOr(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Local alias: one global lookup per character adds up (and is very slow in jest's VM sandbox). */
const imul = Math.imul;

/** MurmurHash3's 32-bit finaliser: spreads near-identical inputs over all bits. */
function mix32(h: number): number {
	h ^= h >>> 16;
	h = imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

function base36Fixed7(n: number): string {
	const s = n.toString(36);
	return s.length >= 7 ? s : '0000000'.slice(s.length) + s;
}

/**
 * 64-bit hash of a key as 14 base-36 characters: two independent 32-bit lanes (FNV-1a and a
 * multiply-xorshift lane with other constants), each finalised. Not cryptographic; it only has
 * to keep accidental collisions between a few thousand IDs negligible.
 */
export function hashDedupeKey(key: string): string {
	let a = 0x811c9dc5;
	let b = 0x9e3779b9 ^ key.length;
	for (let i = 0; i < key.length; i++) {
		const c = key.charCodeAt(i);
		a = imul(a ^ c, 0x01000193);
		b = imul(b ^ c, 0x5bd1e995);
		b ^= b >>> 15;
	}
	return base36Fixed7(mix32(a)) + base36Fixed7(mix32(b ^ imul(key.length, 0x27d4eb2f)));
}

/** The dedupe key of an event, or undefined when it must never be deduped (see module comment). */
export function dedupeKey(event: WebhookEvent): string | undefined {
	// Kinds with an ID of their own.
	switch (event.event) {
		case 'message':
			return event.messageId !== undefined ? `m:${event.messageId}` : undefined;
		case 'status':
			return event.messageId !== undefined ? `s:${event.messageId}:${event.type}` : undefined;
		case 'call':
			if (event.type === 'permission_reply') return event.messageId !== undefined ? `m:${event.messageId}` : undefined;
			if (event.callId === undefined) return undefined;
			return event.type === 'status' ? `c:${event.callId}:status:${event.status ?? ''}` : `c:${event.callId}:${event.type}`;
		case 'echo':
			return event.messageId !== undefined ? `o:${event.messageId}` : undefined;
		case 'history':
			if (event.messageId !== undefined) return `h:${event.messageId}`;
			if (event.type !== 'progress') return undefined;
			return `h:${event.phoneNumberId ?? ''}|${event.phase ?? ''}|${event.chunkOrder ?? ''}|${event.progress ?? ''}`;
		default:
			break;
	}
	// The others: content plus a time that is part of the event (its own or the entry's), never the receive time.
	if (event.timestampSource === 'received' || event.timestamp === undefined) return undefined;
	const time = event.timestamp;
	switch (event.event) {
		case 'preference':
			return `p:${event.phoneNumberId ?? ''}|${event.waId ?? event.userId ?? ''}|${event.type}|${event.category ?? ''}|${time}`;
		case 'group':
			return `g:${event.groupId ?? ''}|${event.type}|${event.requestId ?? ''}|${time}`;
		case 'app_state':
			return `y:${event.phoneNumberId ?? ''}|${event.type}|${event.action ?? ''}|${event.contactPhoneNumber ?? ''}|${event.contactFullName ?? ''}|${time}`;
		case 'error':
			return `e:${event.errorCode ?? ''}|${time}|${event.wabaId ?? ''}|${event.phoneNumberId ?? ''}|${event.errorTitle ?? ''}|${event.errorDetails ?? ''}`;
		case 'template':
			return `t:${event.type}|${time}|${event.wabaId ?? ''}|${event.templateId ?? event.templateName ?? ''}|${event.updateEvent ?? ''}|${event.newQualityScore ?? ''}|${event.newCategory ?? ''}|${event.templateLanguage ?? ''}`;
		case 'account':
			return `a:${event.type}|${time}|${event.wabaId ?? ''}|${event.displayPhoneNumber ?? ''}|${event.updateEvent ?? ''}|${event.decision ?? ''}|${event.alertType ?? ''}|${event.currentLimit ?? ''}|${event.maxDailyConversationsPerBusiness ?? ''}`;
		case 'unknown':
			return `u:${event.type}|${time}|${event.wabaId ?? ''}|${event.phoneNumberId ?? ''}|${JSON.stringify(event.raw)}`;
		default:
			return undefined;
	}
}

/**
 * Opens a dedupe window on a state read from static data. Any state that is not a valid
 * `DedupeState` (undefined, garbage, another package's shape) counts as empty; partly broken
 * states keep their valid entries.
 */
export function createDedupeStore(state: unknown, options: DedupeOptions): DedupeStore {
	const windowSeconds = positiveOr(options.windowMs, DEFAULT_DEDUPE_WINDOW_MS) / 1000;
	const maxEntries = Math.floor(positiveOr(options.maxEntries, DEFAULT_DEDUPE_MAX_ENTRIES)) || 1;
	const nowSeconds = Math.floor(positiveOr(options.now, 0) / 1000);
	// Map keeps insertion order, so its first key is always the oldest: O(1) eviction.
	const entries = new Map<string, number>();

	const live = (seenAt: number): boolean => nowSeconds - seenAt < windowSeconds;

	if (isRecord(state) && state.v === STATE_VERSION && Array.isArray(state.k) && Array.isArray(state.t)) {
		const base = state.t0;
		const keys = state.k;
		const times = state.t;
		if (typeof base === 'number' && Number.isFinite(base)) {
			const count = Math.min(keys.length, times.length);
			// Only the newest maxEntries can survive; don't walk a bloated state further back.
			for (let i = Math.max(0, count - maxEntries); i < count; i++) {
				const key = keys[i];
				const offset = times[i];
				if (typeof key !== 'string' || key.length === 0 || key.length > MAX_STORED_KEY_LENGTH) continue;
				if (typeof offset !== 'number' || !Number.isFinite(offset)) continue;
				const seenAt = base + offset;
				// Times far in the future are corrupt, not "remember forever".
				if (!live(seenAt) || seenAt > nowSeconds + windowSeconds) continue;
				entries.delete(key);
				entries.set(key, seenAt);
			}
		}
	}

	const has = (key: string): boolean => {
		const hash = hashDedupeKey(key);
		const seenAt = entries.get(hash);
		return seenAt !== undefined && live(seenAt);
	};

	return {
		has,
		seen(key: string): boolean {
			const hash = hashDedupeKey(key);
			const seenAt = entries.get(hash);
			if (seenAt !== undefined && live(seenAt)) return true;
			// The window counts from the first sighting, so re-insert at the end as new.
			entries.delete(hash);
			entries.set(hash, nowSeconds);
			if (entries.size > maxEntries) {
				const oldest = entries.keys().next();
				if (!oldest.done) entries.delete(oldest.value);
			}
			return false;
		},
		get size(): number {
			return entries.size;
		},
		toJSON(): DedupeState {
			const k: string[] = [];
			const seenAts: number[] = [];
			let t0 = Infinity;
			for (const [key, seenAt] of entries) {
				if (!live(seenAt)) continue;
				k.push(key);
				seenAts.push(seenAt);
				if (seenAt < t0) t0 = seenAt;
			}
			if (k.length === 0) return { v: STATE_VERSION, t0: nowSeconds, k, t: [] };
			const t = new Array<number>(seenAts.length);
			for (let i = 0; i < seenAts.length; i++) t[i] = seenAts[i] - t0;
			return { v: STATE_VERSION, t0, k, t };
		},
	};
}

export interface DedupeResult<T extends WebhookEvent> {
	/** Events not seen before (in input order); duplicates inside one body count too. */
	fresh: T[];
	duplicates: T[];
	/** New state for static data. */
	state: DedupeState;
	/**
	 * Whether a key was added. When false the node can leave static data alone (n8n then skips
	 * saving it); entries that merely expired are dropped again on the next load anyway.
	 */
	changed: boolean;
}

/** Splits events into fresh and already-seen ones and returns the updated state. */
export function filterDuplicates<T extends WebhookEvent>(
	events: readonly T[],
	state: unknown,
	options: DedupeOptions,
): DedupeResult<T> {
	const store = createDedupeStore(state, options);
	const fresh: T[] = [];
	const duplicates: T[] = [];
	let changed = false;
	for (let i = 0; i < events.length; i++) {
		const event = events[i];
		const key = dedupeKey(event);
		if (key === undefined) {
			fresh.push(event);
		} else if (store.seen(key)) {
			duplicates.push(event);
		} else {
			fresh.push(event);
			changed = true;
		}
	}
	return { fresh, duplicates, state: store.toJSON(), changed };
}

/**
 * The first dedupe layer: the keys this process handed to executions that n8n acknowledged, one
 * window per trigger (scope = workflow id + node id), so a redelivery reaching the same process
 * starts no execution at all. It is an optimisation: the authority is the execution's claim in
 * n8n's processed data (claims.ts), which also covers restarts and other processes. Bounded: the
 * least recently used trigger's window goes first.
 */
export class ProcessDedupeWindows {
	private readonly windows = new Map<string, DedupeState>();

	constructor(private readonly maxScopes: number) {}

	get(scope: string): DedupeState | undefined {
		return this.windows.get(scope);
	}

	/** Forgets every window (what a restart of the process does). */
	clear(): void {
		this.windows.clear();
	}

	set(scope: string, state: DedupeState): void {
		this.windows.delete(scope);
		this.windows.set(scope, state);
		if (this.windows.size > this.maxScopes) this.windows.delete(this.windows.keys().next().value as string);
	}
}

/** The one store of this process (module state: every Trigger node of every workflow shares it). */
export const processDedupeWindows = new ProcessDedupeWindows(100);
