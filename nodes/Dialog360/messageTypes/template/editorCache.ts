/**
 * The account's template pages for the editor, shared for a few seconds.
 *
 * Why: picking one template in the editor makes a burst of backend requests — the Template list
 * search, then the resource mapper's fields (loaded when the Template value changes, and again when
 * n8n checks whether the fields it has are stale) — and each of them listed the account's
 * templates again: three identical `GET /v1/configs/templates` for one pick. Each request gets a
 * fresh n8n context, so nothing but module state can carry the list from one to the next. Pages
 * are kept for EDITOR_CACHE_TTL_MS after they arrive, and a request that needs a page already on
 * its way waits for that one instead of sending its own. The lifetime is short so a template
 * approved or changed in the 360dialog hub shows up within seconds, and failures are never kept.
 * Executions do not use this: they load the list once per execution (lookup.ts).
 *
 * Keys name the credential by a SHA-256 hash of its base URL and API key, never by the key itself
 * (nothing here is logged or returned either); a credential whose key changed gets new pages.
 */
import { createHash } from 'crypto';

import type { Dialog360Connection, Dialog360Context } from '../../../common/transport';
import { apiPages, type TemplatePages } from '../../../common/templateList';

export const EDITOR_CACHE_TTL_MS = 15_000;
/** Pages kept at most (all credentials together); the oldest go first. */
const MAX_ENTRIES = 50;

interface Entry {
	/** Infinity while the request is under way. */
	expiresAt: number;
	value: Promise<unknown>;
}

/** Promises by key: shared while under way, kept `ttlMs` after they resolve, dropped when they reject. */
export class ExpiringCache {
	private readonly entries = new Map<string, Entry>();

	constructor(
		private readonly ttlMs: number,
		private readonly maxEntries: number,
		private readonly now: () => number = () => Date.now(),
	) {}

	async get<T>(key: string, load: () => Promise<T>): Promise<T> {
		const now = this.now();
		const known = this.entries.get(key);
		if (known && known.expiresAt > now) return await (known.value as Promise<T>);
		this.prune(now);
		const value = load();
		const entry: Entry = { expiresAt: Infinity, value };
		this.entries.set(key, entry);
		value.then(
			() => {
				entry.expiresAt = this.now() + this.ttlMs;
			},
			() => {
				if (this.entries.get(key) === entry) this.entries.delete(key);
			},
		);
		return await value;
	}

	/** The keys held now (for tests: they must not contain a credential). */
	keys(): string[] {
		return [...this.entries.keys()];
	}

	clear(): void {
		this.entries.clear();
	}

	private prune(now: number): void {
		for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
		for (const key of this.entries.keys()) {
			if (this.entries.size < this.maxEntries) break;
			this.entries.delete(key); // Map order is insertion order: the oldest first
		}
	}
}

export const editorTemplateCache = new ExpiringCache(EDITOR_CACHE_TTL_MS, MAX_ENTRIES);

/** Which credential a connection uses, without the key in it. */
function credentialKey(connection: Dialog360Connection): string {
	return createHash('sha256').update(`${connection.baseUrl}\n${String(connection.credentials.apiKey ?? '')}`).digest('hex');
}

/** The pages of the connection's account through the cache. */
export function editorPages(context: Dialog360Context, connection: Dialog360Connection): TemplatePages {
	const api = apiPages(context, connection);
	const credential = credentialKey(connection);
	return {
		first: async () => await editorTemplateCache.get(`${credential}|first`, api.first),
		page: async (source, cursor) => await editorTemplateCache.get(`${credential}|${source}:${cursor}`, async () => await api.page(source, cursor)),
	};
}
