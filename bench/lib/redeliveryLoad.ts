/**
 * The "exactly once across processes" load of issue #12 §3, playing 360dialog: distinct message
 * events delivered through the load balancer, every one a second time — a third at the same moment
 * as the first delivery, a third `laterMs` later, a third `muchLaterMs` later — and anything not
 * answered 200 delivered again (as 360dialog retries), until it is. Hooks let the caller kill or
 * restart processes in the middle. Used by bench/queue.ts and test/e2e/queue/exactly-once.queue.ts.
 *
 * Every event is the message-text fixture with its own wamid, so the workflow's reply (the Send
 * node's text `Re: <wamid>`, recorded by the emulator) tells which events ran and how often.
 */
import { performance } from 'node:perf_hooks';

import { loadWebhookFixture } from '../../test/support/fixtures';

export interface DeliveryTarget {
	/** The Trigger's production URL through the load balancer. */
	url: string;
	headers: Record<string, string>;
}

export interface RedeliveryLoadOptions {
	events: number;
	/** First deliveries per second. */
	rate: number;
	laterMs: number;
	muchLaterMs: number;
	/** Prefix of the wamids (unique per run). */
	idPrefix: string;
	/** Called once when this share (0..1) of the first deliveries has left. */
	midway?: { at: number; run: () => Promise<void> | void };
	/** Per-request timeout; a timeout counts as not acknowledged. Default 30 s. */
	timeoutMs?: number;
	/** Pause before delivering again what was not answered 200. Default 1 s. */
	retryPauseMs?: number;
	/** Give up on a delivery after this many attempts. Default 30. */
	maxAttempts?: number;
	/** Stops the load (no new deliveries, no retries): e.g. when a memory guard stopped the stack. */
	signal?: AbortSignal;
}

export interface DeliveryLog {
	id: string;
	/** Attempts per delivery slot (first, second, …). */
	attempts: number;
	/** Whether some attempt was answered 200. */
	acknowledged: boolean;
	/** Latency of the acknowledged attempt (ms). */
	ackMs?: number;
	statuses: number[];
}

export interface RedeliveryLoadResult {
	ids: string[];
	deliveries: DeliveryLog[];
	/** Deliveries never answered 200 after maxAttempts. */
	unacknowledged: number;
	/** Answers other than 200 (or errors) that were retried. */
	retried: number;
	ms: number;
}

export const wamidOf = (prefix: string, i: number): string => `wamid.${prefix}-${String(i).padStart(5, '0')}`;

/** The message-text fixture as one event with this wamid. */
export function eventBody(id: string): unknown {
	const body = loadWebhookFixture<{ entry: Array<{ changes: Array<{ value: { messages: Array<{ id: string; text: { body: string } }> } }> }> }>('message-text');
	const message = body.entry[0].changes[0].value.messages[0];
	message.id = id;
	message.text.body = `load ${id}`;
	return body;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One delivery, retried like 360dialog until answered 200. */
export async function deliverUntilAcknowledged(
	target: DeliveryTarget,
	id: string,
	options: { timeoutMs?: number; retryPauseMs?: number; maxAttempts?: number; signal?: AbortSignal } = {},
): Promise<DeliveryLog> {
	const log: DeliveryLog = { id, attempts: 0, acknowledged: false, statuses: [] };
	const body = JSON.stringify(eventBody(id));
	const maxAttempts = options.maxAttempts ?? 30;
	while (log.attempts < maxAttempts && !options.signal?.aborted) {
		log.attempts++;
		const t0 = performance.now();
		let status = 0;
		try {
			const res = await fetch(target.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...target.headers },
				body,
				signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
			});
			status = res.status;
			await res.arrayBuffer();
		} catch {
			status = 0;
		}
		log.statuses.push(status);
		if (status === 200) {
			log.acknowledged = true;
			log.ackMs = performance.now() - t0;
			return log;
		}
		await sleep(options.retryPauseMs ?? 1_000);
	}
	return log;
}

export async function runRedeliveryLoad(target: DeliveryTarget, options: RedeliveryLoadOptions): Promise<RedeliveryLoadResult> {
	const t0 = performance.now();
	const ids = Array.from({ length: options.events }, (_, i) => wamidOf(options.idPrefix, i));
	const pending: Array<Promise<DeliveryLog>> = [];
	const deliver = (id: string) => {
		const promise = deliverUntilAcknowledged(target, id, options);
		pending.push(promise);
		return promise;
	};
	const intervalMs = 1000 / options.rate;
	const midwayIndex = options.midway ? Math.floor(options.events * options.midway.at) : -1;
	const timers: Array<Promise<void>> = [];
	for (let i = 0; i < ids.length && !options.signal?.aborted; i++) {
		const due = t0 + i * intervalMs;
		const wait = due - performance.now();
		if (wait > 0) await sleep(wait);
		if (i === midwayIndex && options.midway) await options.midway.run();
		const id = ids[i];
		void deliver(id);
		switch (i % 3) {
			case 0:
				void deliver(id); // the same moment
				break;
			case 1:
				timers.push(sleep(options.laterMs).then(() => void deliver(id)));
				break;
			default:
				timers.push(sleep(options.muchLaterMs).then(() => void deliver(id)));
		}
	}
	await Promise.all(timers);
	const deliveries = await Promise.all(pending);
	return {
		ids,
		deliveries,
		unacknowledged: deliveries.filter((d) => !d.acknowledged).length,
		retried: deliveries.reduce((n, d) => n + d.statuses.filter((s) => s !== 200).length, 0),
		ms: performance.now() - t0,
	};
}

/** How often each id ran, from the replies the emulator recorded (`Re: <wamid>`). */
export function runsById(replyTexts: readonly string[], ids: readonly string[]): { runs: Map<string, number>; lost: string[]; duplicated: string[] } {
	const runs = new Map<string, number>(ids.map((id) => [id, 0]));
	for (const text of replyTexts) {
		const match = /^Re: (wamid\.\S+)$/.exec(text);
		if (match && runs.has(match[1])) runs.set(match[1], (runs.get(match[1]) ?? 0) + 1);
	}
	return {
		runs,
		lost: ids.filter((id) => runs.get(id) === 0),
		duplicated: ids.filter((id) => (runs.get(id) ?? 0) > 1),
	};
}
