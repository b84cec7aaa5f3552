/**
 * One emulator per suite (or per `describe`), for the integration tests:
 *
 *   const emulator = useEmulator();                 // beforeAll: start, afterAll: close, beforeEach: reset
 *   it('…', async () => { expect(emulator.messages()).toEqual([]); });
 *
 * The returned handle stands for the emulator started by the `beforeAll` hook; it can be used in
 * hooks and tests (not while the suite is being collected, when nothing runs yet).
 */
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../emulator';

export interface UseEmulatorOptions extends StartEmulatorOptions {
	/**
	 * `emulator.reset()` before each test (default true): clears recorded requests and messages,
	 * webhook, faults, windows and media, and restores settings and templates. Turn it off when
	 * the tests share state set up in `beforeAll` (e.g. uploaded media).
	 */
	resetBeforeEach?: boolean;
}

/** Registers the emulator's lifecycle hooks in the current scope and returns its handle. */
export function useEmulator(options: UseEmulatorOptions = {}): Emulator {
	const { resetBeforeEach = true, ...startOptions } = options;
	let current: Emulator | undefined;

	beforeAll(async () => {
		current = await startEmulator(startOptions);
	});
	afterAll(async () => {
		await current?.close();
		current = undefined;
	});
	if (resetBeforeEach) {
		beforeEach(async () => {
			await started().reset();
		});
	}

	function started(): Emulator {
		if (!current) throw new Error('useEmulator: the emulator runs only between its beforeAll and afterAll hooks (use it inside a test or hook)');
		return current;
	}

	return new Proxy({} as Emulator, {
		get: (_target, key) => Reflect.get(started(), key),
		set: (_target, key, value) => Reflect.set(started(), key, value),
		has: (_target, key) => Reflect.has(started(), key),
		ownKeys: () => Reflect.ownKeys(started()),
		getOwnPropertyDescriptor: (_target, key) => {
			const descriptor = Reflect.getOwnPropertyDescriptor(started(), key);
			return descriptor && { ...descriptor, configurable: true };
		},
	});
}

/** The `dialog360Api` credential data that points a node at this emulator. */
export function emulatorCredential(emulator: Emulator, apiKey = emulator.apiKey) {
	return { apiKey, environment: 'custom', baseUrl: emulator.url };
}
