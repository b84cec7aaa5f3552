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

/**
 * WhatsApp's pair rate limit, one token bucket per customer: Meta allows about one message every
 * 6 s from a business number to the same user, and a burst of up to 45 that is borrowed from the
 * following seconds (https://developers.facebook.com/docs/whatsapp/cloud-api/overview#pair-rate-limits).
 * Going over answers error 131056. Buckets are per execution: messages sent by earlier executions
 * are not known here, which is why 131056 is still retried (see transport.ts).
 */
export class PairPacer {
	private readonly buckets = new Map<string, { tokens: number; last: number }>();

	constructor(
		private readonly intervalMs: number,
		private readonly burst: number,
		private readonly now: () => number = Date.now,
	) {}

	private bucket(customer: string): { tokens: number; last: number } {
		const now = this.now();
		let bucket = this.buckets.get(customer);
		if (!bucket) {
			bucket = { tokens: this.burst, last: now };
			this.buckets.set(customer, bucket);
		}
		bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.last) / this.intervalMs);
		bucket.last = now;
		return bucket;
	}

	/** How long a message to this customer must wait from now (0: it may go now). */
	waitMs(customer: string): number {
		const { tokens } = this.bucket(customer);
		return tokens >= 1 ? 0 : Math.ceil((1 - tokens) * this.intervalMs);
	}

	/** Takes the customer's next slot and returns how long to wait for it (0 when it is free now). */
	take(customer: string): number {
		const wait = this.waitMs(customer);
		this.bucket(customer).tokens -= 1;
		return wait;
	}

	/**
	 * The customer's message got its answer. The interval counts from here, not from when it left:
	 * WhatsApp counts arrivals, and a message that took longer on the way than the next one would
	 * otherwise arrive closer to it than the interval.
	 */
	answered(customer: string): void {
		const bucket = this.buckets.get(customer);
		if (bucket) bucket.last = Math.max(bucket.last, this.now());
	}

	/** WhatsApp answered 131056: whatever this pacer thought, the customer's budget is used up. */
	exhaust(customer: string): void {
		this.bucket(customer).tokens = Math.min(0, this.bucket(customer).tokens);
	}
}

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface PoolOptions {
	concurrency: number;
	bucket?: TokenBucket;
	sleep: (ms: number) => Promise<void>;
	/** Stop starting new tasks after the first failure (the node fails unless Continue On Fail). */
	stopOnError: boolean;
	/**
	 * Per-customer pacing: with both set, tasks of one customer run one at a time, in input order,
	 * when the customer's bucket has a slot; a task whose customer must wait is passed over, so
	 * tasks of other customers are not held up. Tasks without a customer run as before.
	 */
	pairs?: PairPacer;
	customerOf?: (index: number) => string | undefined;
}

type Pick = { index: number; customer?: string } | { waitMs: number };

/**
 * Runs `task` for every index with at most `concurrency` in flight, paced by `bucket` (and per
 * customer by `pairs`). Indexes never started because of `stopOnError` are left undefined in the result.
 */
export async function runPaced<R>(
	count: number,
	task: (index: number) => Promise<R>,
	options: PoolOptions,
): Promise<Array<Outcome<R> | undefined>> {
	const results: Array<Outcome<R> | undefined> = new Array(count);
	const pending = Array.from({ length: count }, (_, index) => index);
	const busy = new Set<string>();
	let failed = false;
	let wakeUp: Array<() => void> = [];
	const { pairs, customerOf } = options;

	/** The first task that may start now; otherwise how long until one may (Infinity: until a task ends). */
	const pick = (): Pick | undefined => {
		if (pending.length === 0) return undefined;
		if (!pairs || !customerOf) return { index: pending.shift() as number };
		const seen = new Set<string>();
		let soonest = Infinity;
		for (let position = 0; position < pending.length; position++) {
			const index = pending[position];
			const customer = customerOf(index);
			if (customer === undefined) {
				pending.splice(position, 1);
				return { index };
			}
			// Only a customer's first waiting task may start, so one customer's messages keep their order.
			if (seen.has(customer)) continue;
			seen.add(customer);
			if (busy.has(customer)) continue;
			const wait = pairs.waitMs(customer);
			if (wait === 0) {
				pending.splice(position, 1);
				return { index, customer };
			}
			soonest = Math.min(soonest, wait);
		}
		return { waitMs: soonest };
	};

	const waitForChange = async (ms: number) => {
		const woken = new Promise<void>((resolve) => wakeUp.push(resolve));
		await (Number.isFinite(ms) ? Promise.race([woken, options.sleep(ms)]) : woken);
	};
	const notify = () => {
		const waiting = wakeUp;
		wakeUp = [];
		for (const resolve of waiting) resolve();
	};

	const worker = async () => {
		while (!(failed && options.stopOnError)) {
			const next = pick();
			if (next === undefined) return;
			if ('waitMs' in next) {
				await waitForChange(next.waitMs);
				continue;
			}
			const { index, customer } = next;
			if (customer !== undefined) {
				busy.add(customer);
				pairs?.take(customer);
			}
			const wait = options.bucket?.reserve() ?? 0;
			if (wait > 0) await options.sleep(wait);
			try {
				results[index] = { ok: true, value: await task(index) };
			} catch (error) {
				results[index] = { ok: false, error };
				failed = true;
			} finally {
				if (customer !== undefined) {
					pairs?.answered(customer);
					busy.delete(customer);
				}
				notify();
			}
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, count)) }, worker);
	await Promise.all(workers);
	notify();
	return results;
}
