/**
 * From a checked webhook body to the events one delivery hands to an execution: parse → filter →
 * drop what this process already handed over (the first of the Trigger's two dedupe layers, see
 * dedupe.ts and claims.ts).
 *
 * No n8n imports and no storage writes: the in-process window (`processDedupeWindows`) is only
 * read here; `rememberDelivered` marks keys once the delivery was acknowledged after n8n queued
 * its execution, so a delivery whose execution could not be created is not mistaken for a
 * duplicate when 360dialog sends it again.
 */
import { DEFAULT_DEDUPE_MAX_ENTRIES, createDedupeStore, dedupeKey, filterDuplicates, processDedupeWindows } from './dedupe';
import { filterEvents } from './filters';
import { parseWebhook, type WebhookEvent } from './parser';

export const DEFAULT_DEDUPE_WINDOW_HOURS = 24;
export const DEFAULT_REMEMBERED_EVENTS = 5_000;

/** The node's filter and dedupe settings, as read from its parameters. */
export interface SelectOptions {
	/** Event kinds; empty means all. */
	events?: string[];
	messageTypes?: string[];
	statuses?: string[];
	ignoreOwnEchoes?: boolean;
	/** 0 turns deduplication off. Default 24. */
	dedupeWindowHours?: number;
	dedupeMaxEntries?: number;
	/** Latest events remembered across restarts and processes (n8n's processed-data store). Default 5,000. */
	rememberedEvents?: number;
	/** Messages handed to a waiting execution (send and wait): not emitted. */
	skipMessageIds?: ReadonlySet<string>;
}

export interface Selection {
	/** What the execution emits, in body order. */
	events: WebhookEvent[];
	/** Events in the body before filtering. */
	parsed: number;
	/** Dropped by the filters (kind, type, status, echoes). */
	filtered: number;
	/** Dropped as already handed over in this process, or repeated inside the body. */
	duplicates: number;
	/** Dedupe keys of `events` (undefined: never deduped, or dedupe is off). */
	keys: Array<string | undefined>;
}

function stringList(value: unknown): string[] | undefined {
	return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : undefined;
}

/** Normalises the raw parameter values (`events` plus the `options` collection). */
export function readSelectOptions(events: unknown, options: Record<string, unknown>): SelectOptions {
	const hours = options.dedupeWindowHours;
	const remembered = options.rememberedEvents;
	return {
		events: stringList(events),
		messageTypes: stringList(options.messageTypes),
		statuses: stringList(options.statuses),
		ignoreOwnEchoes: options.ignoreOwnEchoes !== false,
		dedupeWindowHours: typeof hours === 'number' && Number.isFinite(hours) && hours >= 0 ? hours : DEFAULT_DEDUPE_WINDOW_HOURS,
		rememberedEvents: typeof remembered === 'number' && Number.isFinite(remembered) && remembered >= 1 ? Math.floor(remembered) : DEFAULT_REMEMBERED_EVENTS,
	};
}

function windowOptions(options: SelectOptions, now: number) {
	const hours = options.dedupeWindowHours ?? DEFAULT_DEDUPE_WINDOW_HOURS;
	return { now, windowMs: hours * 3_600_000, maxEntries: options.dedupeMaxEntries ?? DEFAULT_DEDUPE_MAX_ENTRIES };
}

/** Whether deduplication is on (a window of 0 hours turns it off). */
export const dedupeEnabled = (options: SelectOptions): boolean => (options.dedupeWindowHours ?? DEFAULT_DEDUPE_WINDOW_HOURS) > 0;

/**
 * Filters first, then dedupes, so unwanted events never take space in a window. `scope`
 * (workflow id + node id) names this Trigger's in-process window.
 */
export function selectEvents(body: unknown, options: SelectOptions, now: number, scope?: string): Selection {
	return selectParsed(parseWebhook(body), options, now, scope);
}

/** selectEvents on events already parsed (the Trigger parses a delivery once). */
export function selectParsed(all: readonly WebhookEvent[], options: SelectOptions, now: number, scope?: string): Selection {
	const skip = options.skipMessageIds;
	const parsed = skip && skip.size > 0 ? all.filter((e) => !(e.event === 'message' && e.messageId !== undefined && skip.has(e.messageId))) : all;
	const wanted = filterEvents(parsed, {
		events: options.events,
		messageTypes: options.messageTypes,
		statuses: options.statuses,
		ignoreOwnEchoes: options.ignoreOwnEchoes,
	});
	const selection: Selection = { events: wanted, parsed: parsed.length, filtered: parsed.length - wanted.length, duplicates: 0, keys: [] };
	if (!dedupeEnabled(options) || wanted.length === 0) {
		selection.keys = wanted.map(() => undefined);
		return selection;
	}
	const window = createDedupeStore(scope === undefined ? undefined : processDedupeWindows.get(scope), windowOptions(options, now));
	// Repeats inside one body count as duplicates too (an empty state, so only the body itself).
	const inBody = filterDuplicates(wanted, undefined, windowOptions(options, now)).fresh;
	const fresh = inBody.filter((event) => {
		const key = dedupeKey(event);
		return key === undefined || !window.has(key);
	});
	selection.events = fresh;
	selection.keys = fresh.map(dedupeKey);
	selection.duplicates = wanted.length - fresh.length;
	return selection;
}

/** Marks keys as handed over in this process's window for `scope`. */
export function rememberDelivered(scope: string, keys: ReadonlyArray<string | undefined>, options: SelectOptions, now: number): void {
	const defined = keys.filter((key): key is string => key !== undefined);
	if (defined.length === 0 || !dedupeEnabled(options)) return;
	const window = createDedupeStore(processDedupeWindows.get(scope), windowOptions(options, now));
	for (const key of defined) window.seen(key);
	processDedupeWindows.set(scope, window.toJSON());
}
