/**
 * Bulk pacing (nodes/common/rateLimiter.ts) on a virtual clock: the per-customer pair limit spaces
 * one customer's messages, keeps their order and one in flight, and never holds up other customers.
 * No real time is measured: every wait goes through the clock below.
 */
import { PairPacer, runPaced, TokenBucket } from '../../../nodes/common/rateLimiter';

/** Timers that fire only when every task is waiting, in time order: deterministic and instant. */
class VirtualClock {
	now = 0;
	private timers: Array<{ at: number; resolve: () => void }> = [];

	readonly time = () => this.now;

	readonly sleep = async (ms: number): Promise<void> =>
		await new Promise<void>((resolve) => this.timers.push({ at: this.now + Math.max(0, ms), resolve }));

	async run<T>(work: Promise<T>): Promise<T> {
		let settled = false;
		const result = work.finally(() => (settled = true));
		for (;;) {
			await new Promise((resolve) => setImmediate(resolve));
			if (settled) return await result;
			if (this.timers.length === 0) throw new Error('every task waits, but no timer is set');
			this.timers.sort((a, b) => a.at - b.at);
			const timer = this.timers.shift()!;
			this.now = Math.max(this.now, timer.at);
			timer.resolve();
		}
	}
}

interface Sent {
	index: number;
	customer: string;
	startedAt: number;
}

/** `customers[i]` is item i's customer; each send takes `latencyMs`. */
async function send(customers: string[], { intervalMs = 6000, burst = 45, latencyMs = 100, concurrency = 20, rate = 50, pace = true, failAt = -1, stopOnError = true } = {}) {
	const clock = new VirtualClock();
	const sent: Sent[] = [];
	const inFlight = new Map<string, number>();
	let mostInFlightPerCustomer = 0;
	const outcomes = await clock.run(
		runPaced(
			customers.length,
			async (index) => {
				const customer = customers[index];
				inFlight.set(customer, (inFlight.get(customer) ?? 0) + 1);
				mostInFlightPerCustomer = Math.max(mostInFlightPerCustomer, inFlight.get(customer)!);
				sent.push({ index, customer, startedAt: clock.now });
				await clock.sleep(latencyMs);
				inFlight.set(customer, inFlight.get(customer)! - 1);
				if (index === failAt) throw new Error(`item ${index} failed`);
				return index;
			},
			{
				concurrency,
				bucket: new TokenBucket(rate, 150, clock.time),
				sleep: clock.sleep,
				stopOnError,
				...(pace ? { pairs: new PairPacer(intervalMs, burst, clock.time), customerOf: (index: number) => customers[index] } : {}),
			},
		),
	);
	return { outcomes, sent, mostInFlightPerCustomer, clock };
}

/** 1,000 customers with one message each, and `heavy` messages to "busy" mixed in evenly. */
function mixed(others: number, heavy: number): string[] {
	const customers = Array.from({ length: others }, (_, i) => `4915100${String(i).padStart(6, '0')}`);
	const every = Math.floor(others / heavy);
	for (let k = heavy - 1; k >= 0; k--) customers.splice(k * every, 0, 'busy');
	return customers;
}

describe('PairPacer', () => {
	it('lets a burst through, then one message per interval', () => {
		let now = 0;
		const pacer = new PairPacer(6000, 3, () => now);
		expect([pacer.take('a'), pacer.take('a'), pacer.take('a')]).toEqual([0, 0, 0]);
		expect(pacer.waitMs('a')).toBe(6000);
		expect(pacer.waitMs('b')).toBe(0);
		now = 3000;
		expect(pacer.waitMs('a')).toBe(3000);
		now = 6000;
		expect(pacer.take('a')).toBe(0);
		expect(pacer.waitMs('a')).toBe(6000);
	});

	it('a 131056 empties the customer’s budget whatever the pacer counted', () => {
		let now = 0;
		const pacer = new PairPacer(6000, 45, () => now);
		pacer.take('a');
		pacer.exhaust('a');
		expect(pacer.waitMs('a')).toBe(6000);
		now = 6000;
		expect(pacer.waitMs('a')).toBe(0);
	});

	it('refills no higher than the burst', () => {
		let now = 0;
		const pacer = new PairPacer(1000, 2, () => now);
		now = 1_000_000;
		expect([pacer.take('a'), pacer.take('a'), pacer.take('a')]).toEqual([0, 0, 1000]);
	});
});

describe('runPaced with per-customer pacing', () => {
	it('200 messages to one customer mixed into 1,000 to others: the others go at the number’s rate, the one customer within the pair limit', async () => {
		const customers = mixed(1000, 200);
		const { outcomes, sent, mostInFlightPerCustomer } = await send(customers, { intervalMs: 6000, burst: 45 });
		expect(outcomes.every((outcome) => outcome?.ok)).toBe(true);
		const busy = sent.filter((entry) => entry.customer === 'busy');
		const others = sent.filter((entry) => entry.customer !== 'busy');
		// The others go at the number's rate: alone, 1,000 at 50/s with a burst of 150 start within
		// (1000 - 150) / 50 = 17 s; mixed, only the ~50 "busy" messages sent meanwhile (1 s at 50/s) come on top.
		const alone = await send(customers.filter((customer) => customer !== 'busy'));
		const lastAlone = Math.max(...alone.sent.map((entry) => entry.startedAt));
		expect(lastAlone).toBe(17_000);
		expect(Math.max(...others.map((entry) => entry.startedAt))).toBeLessThanOrEqual(lastAlone + 1000);
		// "busy": 45 at once, then one per 6 s: message k (0-based) no earlier than (k - 44) × 6 s.
		busy.forEach((entry, k) => expect(entry.startedAt).toBeGreaterThanOrEqual(Math.max(0, k - 44) * 6000));
		// …and not much slower: one per interval plus the 100 ms answer the interval counts from.
		expect(busy.at(-1)!.startedAt).toBeLessThan((200 - 44) * (6000 + 200));
		// In input order, one at a time.
		expect(busy.map((entry) => entry.index)).toEqual(customers.flatMap((customer, index) => (customer === 'busy' ? [index] : [])));
		expect(mostInFlightPerCustomer).toBe(1);
	});

	it('never sends two messages to one customer closer than the interval once the burst is used', async () => {
		const { sent } = await send(['a', 'a', 'a', 'a', 'b', 'a'], { intervalMs: 1000, burst: 2, latencyMs: 10 });
		const times = sent.filter((entry) => entry.customer === 'a').map((entry) => entry.startedAt);
		// The interval counts from each answer (10 ms after the send): what WhatsApp counts is arrivals.
		expect(times).toEqual([0, 10, 1020, 2030, 3040]);
		expect(sent.find((entry) => entry.customer === 'b')!.startedAt).toBe(0);
	});

	it('items without a customer (read receipts) are never held', async () => {
		const clock = new VirtualClock();
		const started: number[] = [];
		await clock.run(
			runPaced(
				4,
				async (index) => {
					started[index] = clock.now;
					await clock.sleep(10);
				},
				{ concurrency: 4, sleep: clock.sleep, stopOnError: true, pairs: new PairPacer(1000, 1, clock.time), customerOf: (index) => (index < 2 ? 'a' : undefined) },
			),
		);
		expect(started).toEqual([0, 1010, 0, 0]);
	});

	it('stops starting messages after a failure (no Continue On Fail), also those waiting for their customer', async () => {
		const { outcomes } = await send(['a', 'a', 'a', 'b'], { intervalMs: 1000, burst: 1, latencyMs: 10, concurrency: 1, failAt: 0 });
		expect(Array.from(outcomes, (outcome) => (outcome === undefined ? 'not started' : outcome.ok))).toEqual([false, 'not started', 'not started', 'not started']);
	});

	it('with Continue On Fail every item is tried', async () => {
		const { outcomes } = await send(['a', 'a', 'b'], { intervalMs: 1000, burst: 1, latencyMs: 10, failAt: 0, stopOnError: false });
		expect(outcomes.map((outcome) => outcome?.ok)).toEqual([false, true, true]);
	});

	it('switched off, one customer’s messages go as fast as everyone else’s (the earlier behaviour)', async () => {
		const { sent, mostInFlightPerCustomer } = await send(Array.from({ length: 60 }, () => 'a'), { pace: false, latencyMs: 100 });
		expect(Math.max(...sent.map((entry) => entry.startedAt))).toBeLessThan(1000);
		expect(mostInFlightPerCustomer).toBe(20);
	});
});
