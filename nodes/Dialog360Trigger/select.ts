/**
 * From a checked webhook body to the events one execution emits: parse → filter → dedupe.
 *
 * No n8n imports: the caller passes the node's options, the dedupe state read from static data and
 * the current time, and writes `dedupeState` back only when it is returned. With a `scope`, the
 * in-process window store of dedupe.ts (`processDedupeWindows`) is consulted and updated too.
 */
import { DEFAULT_DEDUPE_MAX_ENTRIES, filterDuplicates, processDedupeWindows, type DedupeState } from './dedupe';
import { filterEvents } from './filters';
import { parseWebhook, type WebhookEvent } from './parser';

export const DEFAULT_DEDUPE_WINDOW_HOURS = 24;

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
	/** Dropped as already emitted inside the window. */
	duplicates: number;
	/** New state for static data; undefined when it did not change (or dedupe is off). */
	dedupeState?: DedupeState;
}

function stringList(value: unknown): string[] | undefined {
	return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : undefined;
}

/** Normalises the raw parameter values (`events` plus the `options` collection). */
export function readSelectOptions(events: unknown, options: Record<string, unknown>): SelectOptions {
	const hours = options.dedupeWindowHours;
	return {
		events: stringList(events),
		messageTypes: stringList(options.messageTypes),
		statuses: stringList(options.statuses),
		ignoreOwnEchoes: options.ignoreOwnEchoes !== false,
		dedupeWindowHours: typeof hours === 'number' && Number.isFinite(hours) && hours >= 0 ? hours : DEFAULT_DEDUPE_WINDOW_HOURS,
	};
}

/**
 * Filters first, then dedupes, so unwanted events never take space in the window. `scope`
 * (workflow id + node id) turns on the in-process window as well.
 */
export function selectEvents(body: unknown, options: SelectOptions, dedupeState: unknown, now: number, scope?: string): Selection {
	const all = parseWebhook(body);
	const skip = options.skipMessageIds;
	const parsed = skip && skip.size > 0 ? all.filter((e) => !(e.event === 'message' && e.messageId !== undefined && skip.has(e.messageId))) : all;
	const wanted = filterEvents(parsed, {
		events: options.events,
		messageTypes: options.messageTypes,
		statuses: options.statuses,
		ignoreOwnEchoes: options.ignoreOwnEchoes,
	});
	const selection: Selection = { events: wanted, parsed: parsed.length, filtered: parsed.length - wanted.length, duplicates: 0 };
	const hours = options.dedupeWindowHours ?? DEFAULT_DEDUPE_WINDOW_HOURS;
	if (hours <= 0 || wanted.length === 0) return selection;
	const dedupeOptions = { now, windowMs: hours * 3_600_000, maxEntries: options.dedupeMaxEntries ?? DEFAULT_DEDUPE_MAX_ENTRIES };
	const result = filterDuplicates(wanted, dedupeState, dedupeOptions);
	let fresh = result.fresh;
	if (scope !== undefined) {
		const inProcess = filterDuplicates(fresh, processDedupeWindows.get(scope), dedupeOptions);
		processDedupeWindows.set(scope, inProcess.state);
		fresh = inProcess.fresh;
	}
	selection.events = fresh;
	selection.duplicates = wanted.length - fresh.length;
	if (result.changed) selection.dedupeState = result.state;
	return selection;
}
