/** Small helpers for JSON-shaped values that every node reads (webhook bodies, API answers, parameters). */
/** A plain JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A URL without its trailing slashes, so "https://host/" and "https://host" compare and join alike. */
export function trimTrailingSlashes(url: string): string {
	return url.replace(/\/+$/, '');
}
