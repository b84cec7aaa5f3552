/**
 * Exactly-once claims of webhook events in n8n's processed-data store, across n8n processes.
 *
 * Pure logic (only n8n-workflow's sleep, for the module's own queues): the caller passes the store (n8n's `checkProcessedAndRecord` with
 * scope 'node' and mode 'entries'), a sleep and a claimant id. It runs in the Trigger's `execute`,
 * that is where the execution runs: the main process on a single n8n, a worker in queue mode.
 *
 * The store is one database row per Trigger node holding a list of hashed values; n8n reads it,
 * adds the new values and writes the whole row back, without a lock. So
 * - two writers in one process would lose each other's values: every call for one scope goes
 *   through one queue here (`ClaimQueue`), and calls waiting together share one write;
 * - two processes (queue mode: workers) can still interleave, and two executions of one event
 *   (a redelivery that reached the other webhook processor) can both find it new. Against that a
 *   claim writes the event key together with a value only this execution writes (its tag) and,
 *   after `settleMs`, writes both again: the tag still there means the claim stood; the key there
 *   without the tag means another execution's write replaced ours and that execution owns the
 *   event; neither there means an unrelated write replaced ours, so the claim is made again.
 *   This holds as long as no read-modify-write of the row takes longer than `settleMs` (an older
 *   read written back later could still replace a claim that was already confirmed).
 * With `settleMs` 0 (the event was received by this same process, so no other process writes
 * this row: single-process n8n) the queue alone is exact and no tag is written.
 */

import { sleep } from 'n8n-workflow';

/** n8n's processed-data call, reduced to what a claim needs: which of `values` were already recorded (the rest now are). */
export type RecordValues = (values: string[]) => Promise<Set<string>>;

export interface ClaimOptions {
	/** Unique to this execution (execution id + random): makes the tag values. */
	claimant: string;
	/** Wait before confirming a claim; 0 when no other process writes the same row. */
	settleMs: number;
	sleep: (ms: number) => Promise<void>;
	/** Rounds before an unconfirmed claim is emitted anyway (never lose). Default 5. */
	maxRounds?: number;
}

export interface ClaimResult {
	/** Keys this execution owns: emit these events. */
	won: Set<string>;
	/** Keys already recorded before (redeliveries) or owned by another execution. */
	duplicates: Set<string>;
	/** Keys emitted after `maxRounds` without a confirmation (possible duplicate). */
	unconfirmed: Set<string>;
	rounds: number;
}

export const DEFAULT_SETTLE_MS = 1_000;

const tagOf = (key: string, claimant: string): string => `${key}#${claimant}`;

/**
 * One queue per processed-data row (workflow id + node id) in this process: calls run one after
 * the other, and calls waiting together go out as one write.
 */
export class ClaimQueue {
	private pending: Array<{ values: string[]; resolve: (recorded: Set<string>) => void; reject: (error: unknown) => void }> = [];
	private running = false;

	constructor(
		private readonly write: RecordValues,
		private readonly pause: (ms: number) => Promise<void>,
		private readonly attempts = 4,
	) {}

	record(values: string[]): Promise<Set<string>> {
		return new Promise((resolve, reject) => {
			this.pending.push({ values, resolve, reject });
			if (!this.running) void this.drain();
		});
	}

	/**
	 * n8n inserts the row on the first write; two processes doing that at once make one fail on the
	 * primary key (and a busy database can refuse a call). The retry then reads the row the other
	 * process wrote. A claim the failed call did write is recognised by its tag (see claimKeys).
	 */
	private async writeWithRetries(values: string[]): Promise<Set<string>> {
		let lastError: unknown;
		for (let attempt = 1; attempt <= this.attempts; attempt++) {
			try {
				return await this.write(values);
			} catch (error) {
				lastError = error;
				if (attempt < this.attempts) await this.pause(100 * attempt);
			}
		}
		return await Promise.reject(lastError);
	}

	private async drain(): Promise<void> {
		this.running = true;
		while (this.pending.length > 0) {
			const batch = this.pending;
			this.pending = [];
			const values = [...new Set(batch.flatMap((call) => call.values))];
			try {
				const before = await this.writeWithRetries(values);
				// Within one shared write the earlier call records a value first; later calls see it recorded.
				const claimed = new Set<string>();
				for (const call of batch) {
					const recorded = new Set<string>();
					for (const value of call.values) {
						if (before.has(value) || claimed.has(value)) recorded.add(value);
					}
					for (const value of call.values) claimed.add(value);
					call.resolve(recorded);
				}
			} catch (error) {
				for (const call of batch) call.reject(error);
			}
		}
		this.running = false;
	}
}

/**
 * The queues of this process, by scope. The store function comes from the execution that uses
 * the queue; an idle queue is dropped, so a later execution brings its own.
 */
export class ClaimQueues {
	private readonly queues = new Map<string, { queue: ClaimQueue; users: number }>();

	/** `pause` waits between retries of a failed write (n8n-workflow's sleep in the node). */
	constructor(private readonly pause: (ms: number) => Promise<void>) {}

	async use<T>(scope: string, write: RecordValues, run: (record: RecordValues) => Promise<T>): Promise<T> {
		let entry = this.queues.get(scope);
		if (!entry) {
			entry = { queue: new ClaimQueue(write, this.pause), users: 0 };
			this.queues.set(scope, entry);
		}
		entry.users++;
		try {
			return await run((values) => entry.queue.record(values));
		} finally {
			entry.users--;
			if (entry.users === 0) this.queues.delete(scope);
		}
	}
}

/** The queues of this process (module state, shared by every Trigger node). */
export const claimQueues = new ClaimQueues(sleep);

/** Claims `keys` for one execution (see the module comment). */
export async function claimKeys(keys: readonly string[], record: RecordValues, options: ClaimOptions): Promise<ClaimResult> {
	const result: ClaimResult = { won: new Set(), duplicates: new Set(), unconfirmed: new Set(), rounds: 0 };
	const unique = [...new Set(keys)];
	if (unique.length === 0) return result;
	if (options.settleMs <= 0) {
		const recorded = await record(unique);
		result.rounds = 1;
		for (const key of unique) (recorded.has(key) ? result.duplicates : result.won).add(key);
		return result;
	}
	const maxRounds = Math.max(2, options.maxRounds ?? 5);
	let open = unique;
	for (let round = 1; open.length > 0; round++) {
		result.rounds = round;
		const recorded = await record(open.flatMap((key) => [key, tagOf(key, options.claimant)]));
		const next: string[] = [];
		for (const key of open) {
			const keyThere = recorded.has(key);
			const tagThere = recorded.has(tagOf(key, options.claimant));
			if (round > 1 && tagThere) result.won.add(key);
			// Round 1 with our tag there: a write that reported an error had happened; confirm it like a fresh one.
			else if (keyThere && !tagThere) result.duplicates.add(key);
			else next.push(key); // just written (again): confirm after the settle time
		}
		open = next;
		if (open.length === 0) break;
		if (round >= maxRounds) {
			for (const key of open) {
				result.won.add(key);
				result.unconfirmed.add(key);
			}
			break;
		}
		await options.sleep(options.settleMs);
	}
	return result;
}
