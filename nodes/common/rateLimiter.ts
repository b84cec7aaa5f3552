/**
 * Client-side pacing for bulk sends: a token bucket (messages per second with a burst) and a
 * bounded pool of requests in flight. Results come back in input order whatever the timing.
 */

export class TokenBucket {
	private tokens: number;
	private last: number;

	constructor(
		private readonly ratePerSecond: number,
		private readonly burst: number,
		private readonly now: () => number = Date.now,
	) {
		this.tokens = burst;
		this.last = now();
	}

	/**
	 * Reserves one token and returns how long the caller must wait before using it. Reserving
	 * (the balance may go negative) keeps concurrent callers fair without a lock.
	 */
	reserve(): number {
		const now = this.now();
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
		this.last = now;
		this.tokens -= 1;
		return this.tokens >= 0 ? 0 : (-this.tokens / this.ratePerSecond) * 1000;
	}
}

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface PoolOptions {
	concurrency: number;
	bucket?: TokenBucket;
	sleep: (ms: number) => Promise<void>;
	/** Stop starting new tasks after the first failure (the node fails unless Continue On Fail). */
	stopOnError: boolean;
}

/**
 * Runs `task` for every index with at most `concurrency` in flight, paced by `bucket`.
 * Indexes never started because of `stopOnError` are left undefined in the result.
 */
export async function runPaced<R>(
	count: number,
	task: (index: number) => Promise<R>,
	options: PoolOptions,
): Promise<Array<Outcome<R> | undefined>> {
	const results: Array<Outcome<R> | undefined> = new Array(count);
	let next = 0;
	let failed = false;
	const worker = async () => {
		while (next < count && !(failed && options.stopOnError)) {
			const index = next++;
			const wait = options.bucket?.reserve() ?? 0;
			if (wait > 0) await options.sleep(wait);
			try {
				results[index] = { ok: true, value: await task(index) };
			} catch (error) {
				results[index] = { ok: false, error };
				failed = true;
			}
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, count)) }, worker);
	await Promise.all(workers);
	return results;
}
