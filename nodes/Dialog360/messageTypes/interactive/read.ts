/**
 * Reading interactive parameters: values come from form fields, expressions or JSON, so text may
 * arrive as a number and collections as `{ key: [...] }`. Every reader names the field it reads.
 */
import { isRecord } from '../../../common/json';
import { FieldError, maxLength, optionalText, parseJsonText, requiredText, textOf } from '../../../common/validation';

/** A value as it appears in an error message: "a list", "an object", or the JSON of a scalar. */
export function describe(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : JSON.stringify(value);
}


/** Required single-line text within a limit, trimmed. */
export function requiredLabel(field: string, value: unknown, limit: number): string {
	return requiredText(field, textOf(field, value).trim(), limit);
}

/** Optional single-line text within a limit, trimmed; undefined when empty. */
export function optionalLabel(field: string, value: unknown, limit: number): string | undefined {
	return optionalText(field, textOf(field, value).trim(), limit);
}

/** A required identifier (catalog, product, Flow): trimmed. */
export function requiredId(field: string, value: unknown): string {
	const id = textOf(field, value).trim();
	if (id === '') throw new FieldError(field, `${field} is required`);
	return id;
}

/**
 * A button or row ID: trimmed, because WhatsApp rejects leading/trailing spaces; an empty ID
 * falls back to the title, so simple forms need no IDs.
 */
export function idOrTitle(field: string, value: unknown, title: string, limit: number): string {
	const id = textOf(field, value).trim();
	return maxLength(field, id === '' ? title : id, limit);
}

/** A JSON input that must hold an array (or `{ [key]: [...] }`, as an expression may return it). */
export function jsonArray(field: string, value: unknown, key: string): unknown[] {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') throw new FieldError(field, `${field} is required`);
		parsed = parseJsonText(field, value);
	}
	if (parsed === undefined || parsed === null) throw new FieldError(field, `${field} is required`);
	if (isRecord(parsed) && Array.isArray(parsed[key])) parsed = parsed[key];
	if (!Array.isArray(parsed)) {
		throw new FieldError(field, `${field} must be an array of ${key}, not ${describe(parsed)}`);
	}
	return parsed;
}

/** For JSON input: each entry must be an object with only the known keys, so typos do not vanish. */
export function checkEntry(field: string, label: string, entry: unknown, known: string[]): Record<string, unknown> {
	const keys = known.map((key) => `"${key}"`).join(', ');
	if (!isRecord(entry)) throw new FieldError(field, `${label} must be an object with ${keys}; got ${describe(entry)}`);
	const unknown = Object.keys(entry).find((key) => !known.includes(key));
	if (unknown !== undefined) throw new FieldError(field, `${label} has an unknown field "${unknown}"; use ${keys}`);
	return entry;
}

/** Entries of a multipleValues fixedCollection, e.g. `{ button: [...] }` → `[...]`. */
export function collectionEntries(value: unknown, key: string): Array<Record<string, unknown>> {
	if (!isRecord(value)) return [];
	const entries = value[key];
	if (Array.isArray(entries)) return entries.filter(isRecord);
	return isRecord(entries) ? [entries] : [];
}
