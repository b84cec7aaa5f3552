/**
 * Trigger parser throughput (target: ≥ 500,000 events/s in-process).
 *
 *   npx tsx bench/trigger.ts
 *
 * Two workloads built from the shared webhook fixtures, which hold every event kind (messages,
 * statuses, calls, preferences, errors, template / account / group updates, echoes, history,
 * contact sync, unknown fields):
 * - one body carrying 1,000 events (10 entries × many changes, every kind mixed);
 * - 10,000 bodies with one event each (the common case: one POST per event), cycling through
 *   every single-event fixture.
 * Each is warmed up, then timed in 5 rounds of about 0.5 s; the median round is reported.
 * Dedupe and filter figures are printed for information. The last line is the lower of the two
 * parser figures: `parse_events_per_s=<n>`.
 */
import { filterDuplicates } from '../nodes/Dialog360Trigger/dedupe';
import { filterEvents } from '../nodes/Dialog360Trigger/filters';
import { parseWebhook } from '../nodes/Dialog360Trigger/parser';
import { listWebhookFixtures, loadWebhookFixture } from '../test/support/fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

const ROUNDS = 5;
const ROUND_MS = 500;

const ID_PREFIXES = ['wamid.', 'wacid.', 'FAKEREQUEST'];

/**
 * Gives every event of a change a unique identity (message, status and call IDs, group request IDs,
 * preference times) so the dedupe bench sees distinct events.
 */
function uniquify(change: Body, serial: number): Body {
	const copy = structuredClone(change);
	const walk = (node: unknown): void => {
		if (Array.isArray(node)) {
			for (const child of node) walk(child);
			return;
		}
		if (typeof node !== 'object' || node === null) return;
		const record = node as Record<string, unknown>;
		for (const [key, value] of Object.entries(record)) {
			if ((key === 'id' || key === 'request_id') && typeof value === 'string' && ID_PREFIXES.some((prefix) => value.startsWith(prefix))) {
				record[key] = `${value}.${serial}`;
			} else if (key === 'timestamp' && typeof value === 'number') {
				record[key] = value + serial;
			} else {
				walk(value);
			}
		}
	};
	walk(copy.value);
	return copy;
}

/** Events one change gives (every kind counts: the fuller event model). */
function countEvents(change: Body): number {
	return parseWebhook({ object: 'whatsapp_business_account', entry: [{ id: '102000000000001', changes: [change] }] }).length;
}

const fixtures: Body[] = listWebhookFixtures().map((name) => loadWebhookFixture(name));
const allChanges: Body[] = fixtures.flatMap((body) => body.entry.flatMap((entry: Body) => entry.changes));

function buildBatch(targetEvents: number): Body {
	const entries: Body[] = Array.from({ length: 10 }, (_, i) => ({ id: `10200000000000${i}`, changes: [] as Body[] }));
	let events = 0;
	for (let serial = 0; events < targetEvents; serial++) {
		let change = uniquify(allChanges[serial % allChanges.length], serial);
		if (events + countEvents(change) > targetEvents) {
			// Fill the last slot with a single-message change so the total is exact.
			change = uniquify(fixtures.find((body) => body.entry[0].changes[0].value.messages?.length === 1).entry[0].changes[0], serial);
		}
		entries[serial % entries.length].changes.push(change);
		events += countEvents(change);
	}
	return { object: 'whatsapp_business_account', entry: entries };
}

/** Every fixture that is one change with one event: each event kind, as one delivery each. */
function buildSingles(count: number): Body[] {
	const singles = fixtures.filter((body) => body.entry.length === 1 && body.entry[0].changes.length === 1 && countEvents(body.entry[0].changes[0]) === 1);
	return Array.from({ length: count }, (_, i) => {
		const body = structuredClone(singles[i % singles.length]);
		body.entry[0].changes[0] = uniquify(body.entry[0].changes[0], i);
		return body;
	});
}

/** Runs `work` (which handles `eventsPerCall` events) in timed rounds; returns the median events/s. */
function measure(label: string, eventsPerCall: number, work: () => void): number {
	const warmUntil = performance.now() + 300;
	while (performance.now() < warmUntil) work();
	const rates: number[] = [];
	for (let round = 0; round < ROUNDS; round++) {
		let calls = 0;
		const start = performance.now();
		let elapsed = 0;
		while (elapsed < ROUND_MS) {
			work();
			calls++;
			elapsed = performance.now() - start;
		}
		rates.push((calls * eventsPerCall) / (elapsed / 1000));
	}
	rates.sort((a, b) => a - b);
	const median = rates[Math.floor(rates.length / 2)];
	console.log(
		`${label.padEnd(44)} ${Math.round(median).toLocaleString('en-US').padStart(12)} events/s  ` +
			`(rounds: ${rates.map((rate) => Math.round(rate / 1000)).join(', ')} k)`,
	);
	return median;
}

const batch = buildBatch(1_000);
const batchEvents = parseWebhook(batch).length;
if (batchEvents !== 1_000) throw new Error(`batch has ${batchEvents} events, expected 1000`);

const singles = buildSingles(10_000);
const kinds = new Set(singles.flatMap((body) => parseWebhook(body).map((event) => event.event)));
const singleEvents = singles.reduce((sum, body) => sum + parseWebhook(body).length, 0);
if (singleEvents !== 10_000) throw new Error(`singles have ${singleEvents} events, expected 10000`);

console.log(`node ${process.version}, ${ROUNDS} rounds × ${ROUND_MS} ms after warm-up, median shown`);
console.log(`single-event bodies cover ${kinds.size} event kinds: ${[...kinds].sort().join(', ')}`);

let sink = 0; // keeps results alive so the work is not optimised away
const batchRate = measure('parseWebhook, 1 body × 1,000 events', batchEvents, () => {
	sink += parseWebhook(batch).length;
});
const singleRate = measure('parseWebhook, 10,000 bodies × 1 event', singleEvents, () => {
	for (let i = 0; i < singles.length; i++) sink += parseWebhook(singles[i]).length;
});

// For information: the rest of the per-delivery pipeline on the 1,000-event batch.
const parsed = parseWebhook(batch);
measure('filterEvents (defaults), 1,000 events', parsed.length, () => {
	sink += filterEvents(parsed).length;
});
const warmState = JSON.parse(JSON.stringify(filterDuplicates(parsed, undefined, { now: Date.now() }).state));
measure('filterDuplicates (1,000 seen, state reloaded)', parsed.length, () => {
	sink += filterDuplicates(parsed, warmState, { now: Date.now() }).duplicates.length;
});

if (sink === -1) console.log('unreachable');
const lower = Math.min(batchRate, singleRate);
console.log(`lower of the two parser figures: ${batchRate <= singleRate ? '1,000-event batch' : '10,000 single-event bodies'}`);
console.log(`parse_events_per_s=${Math.round(lower)}`);
