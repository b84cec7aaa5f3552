/** Small helpers for JSON-shaped values that every node reads (webhook bodies, API answers, parameters). */
/** A plain JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A URL without its trailing slashes, so "https://host/" and "https://host" compare and join alike. */
export function trimTrailingSlashes(url: string): string {
	return url.replace(/\/+$/, '');
}

/**
 * `container` with the value at `path` replaced by `replace(value)`. Copies along the path only, so
 * the original is left as it was (a prepared body stays as phase 1 built it).
 */
export function replaceAt(container: unknown, path: ReadonlyArray<string | number>, replace: (value: unknown) => unknown): unknown {
	if (path.length === 0) return replace(container);
	const [key, ...rest] = path;
	if (Array.isArray(container)) {
		const copy = [...container];
		copy[key as number] = replaceAt(copy[key as number], rest, replace);
		return copy;
	}
	const record = isRecord(container) ? container : {};
	return { ...record, [key]: replaceAt(record[key], rest, replace) };
}
