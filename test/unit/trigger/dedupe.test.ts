import {
	createDedupeStore,
	dedupeKey,
	DEFAULT_DEDUPE_MAX_ENTRIES,
	filterDuplicates,
	hashDedupeKey,
	type DedupeState,
} from '../../../nodes/Dialog360Trigger/dedupe';
import { parseWebhook, type WebhookEvent } from '../../../nodes/Dialog360Trigger/parser';
import { listWebhookFixtures, loadWebhookFixture } from '../../support/fixtures';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const HOUR = 60 * 60 * 1000;

/** What n8n does with static data between executions: it is stored as JSON. */
const persist = (state: DedupeState): unknown => JSON.parse(JSON.stringify(state));

const textMessage = (id: string) => ({ from: '4915112345678', id, timestamp: '1767225600', type: 'text', text: { body: id } });
const messagesBody = (ids: string[]) => ({
	object: 'whatsapp_business_account',
	entry: [{ id: 'W', changes: [{ field: 'messages', value: { metadata: { phone_number_id: 'P', display_phone_number: '1' }, messages: ids.map(textMessage) } }] }],
});
const messageIds = (events: WebhookEvent[]) => events.map((event) => (event.event === 'message' ? event.messageId : undefined));

describe('filterDuplicates across deliveries', () => {
	it('a second delivery of the same batch yields 0 fresh events', () => {
		const first = filterDuplicates(parseWebhook(loadWebhookFixture('batch-3-messages-2-statuses')), undefined, { now: T0 });
		expect(first.fresh).toHaveLength(5);
		expect(first.duplicates).toHaveLength(0);

		const second = filterDuplicates(parseWebhook(loadWebhookFixture('batch-3-messages-2-statuses')), persist(first.state), {
			now: T0 + 5 * 60 * 1000,
		});
		expect(second.fresh).toHaveLength(0);
		expect(second.duplicates).toHaveLength(5);
		expect([first.changed, second.changed]).toEqual([true, false]);
	});

	it('keys statuses on id + status: sent, delivered and read of one message are all fresh once', () => {
		const sent = parseWebhook(loadWebhookFixture('status-sent'));
		const delivered = parseWebhook(loadWebhookFixture('status-delivered'));
		const read = parseWebhook(loadWebhookFixture('status-read'));
		expect(dedupeKey(delivered[0])).toBe('s:wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEkZBS0VPVVRCT1VORDAwMDAwMD18AA==:delivered');

		let state: unknown;
		const freshCounts: number[] = [];
		for (const events of [sent, read, delivered, delivered, sent]) {
			const result = filterDuplicates(events, state, { now: T0 });
			freshCounts.push(result.fresh.length);
			state = persist(result.state);
		}
		// read before delivered (webhook order is not guaranteed) is fine; repeats are dropped.
		expect(freshCounts).toEqual([1, 1, 1, 0, 0]);
	});

	it('drops a message repeated inside one body', () => {
		const events = parseWebhook(messagesBody(['a', 'b', 'a']));
		const result = filterDuplicates(events, undefined, { now: T0 });
		expect(messageIds(result.fresh)).toEqual(['a', 'b']);
		expect(messageIds(result.duplicates)).toEqual(['a']);
	});

	it('keeps events in input order', () => {
		const result = filterDuplicates(parseWebhook(messagesBody(['c', 'a', 'b'])), undefined, { now: T0 });
		expect(messageIds(result.fresh)).toEqual(['c', 'a', 'b']);
	});
});

describe('window expiry', () => {
	it('remembers a key for the window, counted from the first sighting', () => {
		const events = parseWebhook(loadWebhookFixture('message-text'));
		const first = filterDuplicates(events, undefined, { now: T0 });
		const justInside = filterDuplicates(events, persist(first.state), { now: T0 + 24 * HOUR - 1000 });
		expect(justInside.fresh).toHaveLength(0);
		// The repeat did not extend the window.
		const atEnd = filterDuplicates(events, persist(justInside.state), { now: T0 + 24 * HOUR });
		expect(atEnd.fresh).toHaveLength(1);
	});

	it('honours a custom window and prunes expired entries from the state', () => {
		const store = createDedupeStore(undefined, { now: T0, windowMs: 60_000 });
		expect(store.seen('m:a')).toBe(false);
		expect(store.seen('m:a')).toBe(true);
		const later = createDedupeStore(persist(store.toJSON()), { now: T0 + 59_000, windowMs: 60_000 });
		expect(later.has('m:a')).toBe(true);
		const expired = createDedupeStore(persist(store.toJSON()), { now: T0 + 60_000, windowMs: 60_000 });
		expect(expired.has('m:a')).toBe(false);
		expect(expired.size).toBe(0);
		expect(expired.toJSON().k).toEqual([]);
	});

	it('stores times relative to the oldest entry', () => {
		const store = createDedupeStore(undefined, { now: T0 });
		store.seen('m:a');
		const next = createDedupeStore(persist(store.toJSON()), { now: T0 + 90_000 });
		next.seen('m:b');
		expect(next.toJSON()).toEqual({ v: 1, t0: T0 / 1000, k: [hashDedupeKey('m:a'), hashDedupeKey('m:b')], t: [0, 90] });
	});
});

describe('bounded size', () => {
	it('keeps at most maxEntries after 100,000 distinct ids, evicting the oldest first', () => {
		let state: unknown;
		const batches = 100;
		for (let batch = 0; batch < batches; batch++) {
			const ids = Array.from({ length: 1_000 }, (_, i) => `wamid.${batch * 1_000 + i}`);
			const result = filterDuplicates(parseWebhook(messagesBody(ids)), state, { now: T0 + batch * 1000 });
			expect(result.fresh).toHaveLength(1_000);
			state = persist(result.state);
		}
		const final = state as DedupeState;
		expect(final.k).toHaveLength(DEFAULT_DEDUPE_MAX_ENTRIES);
		expect(final.t).toHaveLength(DEFAULT_DEDUPE_MAX_ENTRIES);
		// ~23 bytes per entry: 10,000 entries stay well under 300 kB of static data.
		expect(JSON.stringify(final).length).toBeLessThan(DEFAULT_DEDUPE_MAX_ENTRIES * 26);

		const store = createDedupeStore(state, { now: T0 + batches * 1000 });
		expect(store.size).toBe(DEFAULT_DEDUPE_MAX_ENTRIES);
		expect(store.has('m:wamid.99999')).toBe(true); // newest kept
		expect(store.has('m:wamid.90000')).toBe(true); // the 10,000th newest kept
		expect(store.has('m:wamid.89999')).toBe(false); // one older: evicted
		expect(store.has('m:wamid.0')).toBe(false);
	});

	it('honours a smaller maxEntries within one execution', () => {
		const store = createDedupeStore(undefined, { now: T0, maxEntries: 3 });
		for (const key of ['a', 'b', 'c', 'd']) store.seen(key);
		expect(store.size).toBe(3);
		expect(['a', 'b', 'c', 'd'].map((key) => store.has(key))).toEqual([false, true, true, true]);
	});

	it('trims a state that was saved with a larger maxEntries to the newest entries', () => {
		const big = createDedupeStore(undefined, { now: T0, maxEntries: 100 });
		for (let i = 0; i < 100; i++) big.seen(`k${i}`);
		const small = createDedupeStore(persist(big.toJSON()), { now: T0, maxEntries: 10 });
		expect(small.size).toBe(10);
		expect(small.has('k99')).toBe(true);
		expect(small.has('k89')).toBe(false);
	});
});

describe('corrupted or foreign state', () => {
	const valid = (() => {
		const store = createDedupeStore(undefined, { now: T0 });
		store.seen('m:a');
		store.seen('m:b');
		return persist(store.toJSON()) as DedupeState;
	})();

	it.each<[string, unknown]>([
		['undefined', undefined],
		['null', null],
		['string', 'x'],
		['number', 5],
		['array', [1, 2]],
		['empty object', {}],
		['other version', { ...valid, v: 2 }],
		['keys not an array', { v: 1, t0: 0, k: 'x', t: [] }],
		['t0 not a number', { ...valid, t0: 'yesterday' }],
		['t0 infinite', { ...valid, t0: null }],
		['another package\'s shape', { seen: { 'wamid.1': 1767225600 }, order: ['wamid.1'] }],
	])('%s → empty store, no throw', (_label, state) => {
		const store = createDedupeStore(state, { now: T0 });
		expect(store.size).toBe(0);
		expect(store.seen('m:a')).toBe(false);
		expect(store.toJSON().k).toEqual([hashDedupeKey('m:a')]);
	});

	it('keeps the valid entries of a partly broken state', () => {
		const broken = {
			v: 1,
			t0: valid.t0,
			k: [valid.k[0], null, 42, '', 'x'.repeat(500), valid.k[1], 'extra-without-time'],
			t: [0, 0, 0, 0, 0, 'late', Number.NaN],
		};
		const store = createDedupeStore(broken, { now: T0 });
		expect(store.size).toBe(1);
		expect(store.has('m:a')).toBe(true);
		expect(store.has('m:b')).toBe(false);
	});

	it('drops entries dated far in the future instead of keeping them forever', () => {
		const store = createDedupeStore({ v: 1, t0: T0 / 1000 + 10 * 86_400, k: [hashDedupeKey('m:a')], t: [0] }, { now: T0 });
		expect(store.has('m:a')).toBe(false);
	});

	it('reads only the newest maxEntries of a bloated state', () => {
		const count = 1_000_000;
		const bloated = { v: 1, t0: T0 / 1000, k: new Array<string>(count).fill('aaaaaaaaaaaaaa'), t: new Array<number>(count).fill(0) };
		bloated.k[count - 1] = hashDedupeKey('m:last');
		const store = createDedupeStore(bloated, { now: T0 });
		expect(store.has('m:last')).toBe(true);
		expect(store.size).toBeLessThanOrEqual(DEFAULT_DEDUPE_MAX_ENTRIES);
	});

	it('does not modify the state it was given', () => {
		const before = JSON.stringify(valid);
		const store = createDedupeStore(valid, { now: T0 });
		store.seen('m:c');
		store.toJSON();
		expect(JSON.stringify(valid)).toBe(before);
	});

	it('falls back to the defaults for nonsense options', () => {
		const store = createDedupeStore(undefined, { now: T0, windowMs: -1, maxEntries: Number.NaN });
		store.seen('m:a');
		const later = createDedupeStore(persist(store.toJSON()), { now: T0 + 23 * HOUR, windowMs: 0, maxEntries: 0 });
		expect(later.has('m:a')).toBe(true);
	});
});

describe('dedupe keys of errors and updates', () => {
	const errorBody = (time?: number) => ({
		object: 'whatsapp_business_account',
		entry: [{ id: 'W', ...(time !== undefined ? { time } : {}), changes: [{ field: 'messages', value: { errors: [{ code: 131000, title: 'Something went wrong' }] } }] }],
	});

	it('dedupes a redelivered error that carries the entry time', () => {
		const first = filterDuplicates(parseWebhook(errorBody(1767225600)), undefined, { now: T0 });
		const again = filterDuplicates(parseWebhook(errorBody(1767225600)), persist(first.state), { now: T0 });
		const later = filterDuplicates(parseWebhook(errorBody(1767225700)), persist(first.state), { now: T0 });
		expect([first.fresh.length, again.fresh.length, later.fresh.length]).toEqual([1, 0, 1]);
	});

	it('never dedupes errors without a time: a second real alert must not be lost', () => {
		const [error] = parseWebhook(errorBody());
		expect(dedupeKey(error)).toBeUndefined();
		const first = filterDuplicates([error], undefined, { now: T0 });
		const second = filterDuplicates([error], persist(first.state), { now: T0 });
		expect(second.fresh).toHaveLength(1);
		expect(first.state.k).toHaveLength(0);
		expect(first.changed).toBe(false);
	});

	it('dedupes template updates on field, time, template and event', () => {
		const update = (event: string) => ({
			entry: [{ id: 'W', time: 1767226000, changes: [{ field: 'message_template_status_update', value: { event, message_template_id: 1 } }] }],
		});
		const approved = parseWebhook(update('APPROVED'));
		const first = filterDuplicates(approved, undefined, { now: T0 });
		expect(filterDuplicates(approved, persist(first.state), { now: T0 }).fresh).toHaveLength(0);
		expect(filterDuplicates(parseWebhook(update('PAUSED')), persist(first.state), { now: T0 }).fresh).toHaveLength(1);
	});

	it('never dedupes a message without an id', () => {
		const [event] = parseWebhook({ messages: [{ from: '1', type: 'text', text: { body: 'x' } }] });
		expect(dedupeKey(event)).toBeUndefined();
	});
});

describe('dedupe keys of the other kinds', () => {
	/** Items of a fixture that have no key: only events without a time of their own or of their entry. */
	const NEVER_DEDUPED = new Set(['error-value-level', 'history-declined']);

	it.each(listWebhookFixtures())('%s: a redelivery of the same body gives 0 fresh events (or none has a key)', (name) => {
		const events = parseWebhook(loadWebhookFixture(name));
		const first = filterDuplicates(events, undefined, { now: T0 });
		const again = filterDuplicates(parseWebhook(loadWebhookFixture(name)), persist(first.state), { now: T0 + HOUR });
		expect(first.fresh).toHaveLength(events.length);
		if (NEVER_DEDUPED.has(name)) {
			expect(events.map(dedupeKey)).toEqual(events.map(() => undefined));
			expect(again.fresh).toHaveLength(events.length);
		} else {
			expect(again.fresh).toHaveLength(0);
		}
	});

	it('all keys of all fixtures are distinct', () => {
		const keys = listWebhookFixtures().flatMap((name) => parseWebhook(loadWebhookFixture(name)).map(dedupeKey));
		const defined = keys.filter((key): key is string => key !== undefined);
		// status-sent/-delivered/-read describe one message, but each status is keyed with its own name.
		expect(new Set(defined).size).toBe(defined.length);
	});

	it('keys calls by call and event, call statuses by call and status', () => {
		const call = (event: string, extra: Record<string, unknown> = {}) =>
			parseWebhook({ entry: [{ id: 'W', changes: [{ field: 'calls', value: { calls: [{ id: 'wacid.1', event, timestamp: '1767225600', from: '1', to: '2', ...extra }] } }] }] })[0];
		const status = (name: string) => parseWebhook({ entry: [{ id: 'W', changes: [{ field: 'calls', value: { statuses: [{ id: 'wacid.1', type: 'call', status: name, timestamp: '1767225600' }] } }] }] })[0];
		expect([dedupeKey(call('connect')), dedupeKey(call('terminate')), dedupeKey(status('RINGING')), dedupeKey(status('ACCEPTED'))]).toEqual([
			'c:wacid.1:connect',
			'c:wacid.1:terminate',
			'c:wacid.1:status:RINGING',
			'c:wacid.1:status:ACCEPTED',
		]);
		const [permission] = parseWebhook(loadWebhookFixture('call-permission-reply'));
		expect(dedupeKey(permission)).toMatch(/^m:wamid\./);
	});

	it('keys a preference by customer, value and time: a stop after a resume is new', () => {
		const preference = (value: string, timestamp: number) =>
			parseWebhook({ entry: [{ id: 'W', changes: [{ field: 'user_preferences', value: { user_preferences: [{ wa_id: '1', category: 'marketing_messages', value, timestamp }] } }] }] });
		let state: unknown;
		const fresh: number[] = [];
		for (const events of [preference('stop', 1), preference('stop', 1), preference('resume', 2), preference('stop', 3)]) {
			const result = filterDuplicates(events, state, { now: T0 });
			fresh.push(result.fresh.length);
			state = persist(result.state);
		}
		expect(fresh).toEqual([1, 0, 1, 1]);
	});
});

describe('hashDedupeKey', () => {
	it('gives 14 base-36 characters and no collisions over 100,000 wamid-like keys', () => {
		const hashes = new Set<string>();
		for (let i = 0; i < 50_000; i++) {
			const id = `wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5E${i.toString(36).padStart(8, '0')}AA==`;
			hashes.add(hashDedupeKey(`m:${id}`));
			hashes.add(hashDedupeKey(`s:${id}:read`));
		}
		expect(hashes.size).toBe(100_000);
		for (const hash of Array.from(hashes).slice(0, 100)) expect(hash).toMatch(/^[0-9a-z]{14}$/);
		expect(hashDedupeKey('')).toMatch(/^[0-9a-z]{14}$/);
	});
});
