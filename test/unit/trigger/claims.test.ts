/**
 * The claim protocol against a store that behaves like n8n's processed-data row: every call reads
 * the whole list, waits (the database round trip), and writes the whole list back, so concurrent
 * writers replace each other's values. Several "processes" (each with its own ClaimQueues, as
 * each n8n worker has) claim the same events at the same moment.
 */
import { ClaimQueues, claimKeys, type RecordValues } from '../../../nodes/Dialog360Trigger/claims';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One shared row; `latency()` ms between each call's read and its write. */
function racyRow(latency: () => number, maxEntries = 100_000) {
	let row: string[] = [];
	let writes = 0;
	const record: RecordValues = async (values) => {
		const data = [...row];
		await sleep(latency());
		const known = new Set(data);
		const recorded = new Set<string>();
		for (const value of values) {
			if (known.has(value)) recorded.add(value);
			else {
				data.push(value);
				known.add(value);
			}
		}
		row = data.slice(Math.max(0, data.length - maxEntries));
		writes++;
		return recorded;
	};
	return { record, has: (value: string) => row.includes(value), get writes() { return writes; } };
}

let claimantCount = 0;
async function claimIn(process: ClaimQueues, row: RecordValues, keys: string[], settleMs: number) {
	return await process.use('wf:node', row, (queued) => claimKeys(keys, queued, { claimant: `c${++claimantCount}`, settleMs, sleep }));
}

describe('claimKeys', () => {
	it('single process (settle 0): the queue alone gives each key to exactly one of many simultaneous executions', async () => {
		const row = racyRow(() => 3);
		const process = new ClaimQueues(sleep);
		const keys = Array.from({ length: 50 }, (_, i) => `m:${i}`);
		// every key claimed by 3 executions at once
		const results = await Promise.all(keys.flatMap((key) => [1, 2, 3].map(() => claimIn(process, row.record, [key], 0))));
		const won = results.flatMap((r) => [...r.won]);
		expect(won.sort()).toEqual([...keys].sort());
		expect(results.every((r) => r.rounds === 1)).toBe(true);
		for (const key of keys) expect(row.has(key)).toBe(true);
		// calls waiting together shared writes
		expect(row.writes).toBeLessThan(results.length);
	});

	it('without the queue the same row loses values and gives keys twice (what the queue and the tags are for)', async () => {
		const row = racyRow(() => 3);
		const keys = Array.from({ length: 20 }, (_, i) => `m:${i}`);
		const results = await Promise.all(keys.flatMap((key) => [1, 2].map(() => row.record([key]))));
		const firstSightings = results.filter((recorded) => recorded.size === 0).length;
		expect(firstSightings).toBeGreaterThan(keys.length);
		expect(keys.filter((key) => !row.has(key)).length).toBeGreaterThan(0);
	});

	it('three processes, each key delivered to two of them at the same moment: every key won exactly once and kept', async () => {
		const row = racyRow(() => 1 + Math.random() * 6);
		const processes = [new ClaimQueues(sleep), new ClaimQueues(sleep), new ClaimQueues(sleep)];
		const keys = Array.from({ length: 120 }, (_, i) => `m:${i}`);
		const results = await Promise.all(
			keys.flatMap((key, i) => [claimIn(processes[i % 3], row.record, [key], 40), claimIn(processes[(i + 1) % 3], row.record, [key], 40)]),
		);
		const won = results.flatMap((r) => [...r.won]);
		expect(won.length).toBe(keys.length);
		expect(new Set(won).size).toBe(keys.length);
		expect(results.every((r) => r.unconfirmed.size === 0)).toBe(true);
		// nothing a claim confirmed was lost afterwards: a later redelivery is a duplicate everywhere
		for (const key of keys) expect(row.has(key)).toBe(true);
		const again = await Promise.all(keys.map((key, i) => claimIn(processes[(i + 2) % 3], row.record, [key], 40)));
		expect(again.flatMap((r) => [...r.won])).toEqual([]);
	});

	it('a claim that is never confirmed is emitted after maxRounds rather than lost', async () => {
		// A store that forgets every write: nothing can be confirmed.
		const forgetful: RecordValues = async () => new Set();
		const result = await claimKeys(['m:1'], forgetful, { claimant: 'x', settleMs: 1, sleep, maxRounds: 3 });
		expect(result).toMatchObject({ rounds: 3 });
		expect([...result.won]).toEqual(['m:1']);
		expect([...result.unconfirmed]).toEqual(['m:1']);
	});

	it('an already recorded key is a duplicate at once, in either mode', async () => {
		const row = racyRow(() => 0);
		await row.record(['m:old']);
		for (const settleMs of [0, 5]) {
			const result = await claimKeys(['m:old', 'm:new'], row.record, { claimant: `y${settleMs}`, settleMs, sleep });
			expect([...result.duplicates]).toContain('m:old');
		}
	});
});

describe('failed writes', () => {
	it('a write that fails (two processes inserting the row at once) is retried and the claim still stands', async () => {
		const row = racyRow(() => 1);
		let failures = 1;
		const flaky: RecordValues = async (values) => {
			if (failures-- > 0) throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
			return await row.record(values);
		};
		const process = new ClaimQueues(sleep);
		const result = await process.use('wf:node', flaky, (queued) => claimKeys(['m:1'], queued, { claimant: 'f1', settleMs: 0, sleep }));
		expect([...result.won]).toEqual(['m:1']);
	});

	it('a write that happened although it reported an error is recognised by its tag, not taken for a duplicate', async () => {
		const row = racyRow(() => 1);
		let first = true;
		const wroteThenFailed: RecordValues = async (values) => {
			const recorded = await row.record(values);
			if (first) {
				first = false;
				throw new Error('connection reset after commit');
			}
			return recorded;
		};
		const process = new ClaimQueues(sleep);
		const result = await process.use('wf:node', wroteThenFailed, (queued) => claimKeys(['m:2'], queued, { claimant: 'f2', settleMs: 5, sleep }));
		expect([...result.won]).toEqual(['m:2']);
		expect(result.duplicates.size).toBe(0);
	});

	it('a write that keeps failing fails the execution (n8n records the error) instead of dropping the event silently', async () => {
		const broken: RecordValues = async () => {
			throw new Error('Database is not ready!');
		};
		const process = new ClaimQueues(sleep);
		await expect(process.use('wf:node', broken, (queued) => claimKeys(['m:3'], queued, { claimant: 'f3', settleMs: 0, sleep }))).rejects.toThrow('Database is not ready!');
	});
});
