/** The editor's short-lived cache (ExpiringCache): sharing, lifetime, failures, size bound. */
import { ExpiringCache } from '../../../nodes/Dialog360/messageTypes/template/editorCache';

function setup(ttlMs = 1000, maxEntries = 3) {
	let now = 0;
	const cache = new ExpiringCache(ttlMs, maxEntries, () => now);
	let loads = 0;
	const load = (value: string) => async () => {
		loads++;
		return value;
	};
	return { cache, load, loads: () => loads, advance: (ms: number) => (now += ms) };
}

describe('ExpiringCache', () => {
	it('shares a value under way and a value that arrived, until its lifetime is over', async () => {
		const { cache, load, loads, advance } = setup();
		const [a, b] = await Promise.all([cache.get('k', load('one')), cache.get('k', load('two'))]);
		expect([a, b, loads()]).toEqual(['one', 'one', 1]);
		advance(999);
		expect(await cache.get('k', load('three'))).toBe('one');
		advance(1);
		expect(await cache.get('k', load('four'))).toBe('four');
		expect(loads()).toBe(2);
	});

	it('the lifetime starts when the value arrives, not when it was asked for', async () => {
		const { cache, loads, advance } = setup();
		let resolve: (value: string) => void = () => undefined;
		const slow = cache.get('k', async () => await new Promise<string>((done) => (resolve = done)));
		advance(5000); // longer than the lifetime, still under way: shared
		const waiting = cache.get('k', async () => 'other');
		resolve('slow');
		expect([await slow, await waiting]).toEqual(['slow', 'slow']);
		advance(999);
		expect(await cache.get('k', async () => 'other')).toBe('slow');
		expect(loads()).toBe(0);
	});

	it('a failure reaches everyone waiting for it and is not kept', async () => {
		const { cache, load } = setup();
		const failing = async () => {
			throw new Error('401');
		};
		await expect(Promise.all([cache.get('k', failing), cache.get('k', load('unused'))])).rejects.toThrow('401');
		expect(cache.keys()).toEqual([]);
		expect(await cache.get('k', load('ok'))).toBe('ok');
	});

	it('keeps at most maxEntries, dropping expired ones first and then the oldest', async () => {
		const { cache, load, advance } = setup(1000, 3);
		await cache.get('a', load('a'));
		advance(600);
		await cache.get('b', load('b'));
		await cache.get('c', load('c'));
		await cache.get('d', load('d'));
		expect(cache.keys()).toEqual(['b', 'c', 'd']);
		await cache.get('e', load('e')); // nothing expired yet: the oldest goes
		expect(cache.keys()).toEqual(['c', 'd', 'e']);
		advance(1000); // c, d and e have expired
		await cache.get('f', load('f'));
		expect(cache.keys()).toEqual(['f']);
		cache.clear();
		expect(cache.keys()).toEqual([]);
	});
});
