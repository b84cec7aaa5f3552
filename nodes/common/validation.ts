/**
 * Field validation shared by the message-type modules. Pure: a failed rule throws FieldError,
 * which the Send node turns into a NodeOperationError naming the item and the field.
 */

export class FieldError extends Error {
	constructor(
		/** The field as the user sees it in the form, e.g. "Button 2 Title". */
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'FieldError';
	}
}

/**
 * Counts characters as Meta's schema does (`maxLength` counts Unicode code points), so an emoji with
 * a skin tone counts 2. Stricter than what the eye sees, and never looser than the API.
 */
export function characterCount(text: string): number {
	// Fast path: without surrogate pairs, code points equal UTF-16 units.
	if (!/[\uD800-\uDFFF]/.test(text)) return text.length;
	return Array.from(text).length;
}

/**
 * A text field's value as text. Numbers and booleans become text (what the user plainly meant); an
 * object or array mapped by an expression is refused, naming what came in, instead of being sent as
 * "[object Object]" or "a,b".
 */
export function textOf(field: string, value: unknown): string {
	if (typeof value === 'string') return value;
	if (value === undefined || value === null) return '';
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	throw new FieldError(
		field,
		`${field} must be text, but the expression gave ${describeValue(value)}. Map one of its fields (for example {{ $json.customer.name }}) or join the list.`,
	);
}

/** A value as error messages show it: `a list: [1,2]`, `an object: {"a":1}`, or the JSON of a scalar, cut at 80 characters. */
export function describeValue(value: unknown): string {
	let preview: string;
	try {
		preview = JSON.stringify(value) ?? String(value);
	} catch {
		preview = String(value);
	}
	if (preview.length > 80) preview = `${preview.slice(0, 77)}...`;
	if (Array.isArray(value)) return `a list: ${preview}`;
	return value !== null && typeof value === 'object' ? `an object: ${preview}` : preview;
}

/** Optional single-line text, trimmed; undefined when empty. Objects and lists are refused as in `textOf`. */
export function optionalTrimmed(field: string, value: unknown): string | undefined {
	const text = textOf(field, value).trim();
	return text === '' ? undefined : text;
}

export function requireText(field: string, value: unknown): string {
	const text = textOf(field, value);
	if (text.trim() === '') throw new FieldError(field, `${field} is required`);
	return text;
}

export function maxLength(field: string, text: string, limit: number): string {
	const length = characterCount(text);
	if (length > limit) {
		throw new FieldError(field, `${field} has ${length} characters; WhatsApp allows ${limit}`);
	}
	return text;
}

/** Required text within a limit. */
export function requiredText(field: string, value: unknown, limit: number): string {
	return maxLength(field, requireText(field, value), limit);
}

/** Optional text within a limit; returns undefined for empty input. */
export function optionalText(field: string, value: unknown, limit: number): string | undefined {
	const text = textOf(field, value);
	if (text.trim() === '') return undefined;
	return maxLength(field, text, limit);
}

export function numberInRange(field: string, value: unknown, min: number, max: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) {
		const got = value !== null && typeof value === 'object' ? describeValue(value) : `"${String(value)}"`;
		throw new FieldError(field, `${field} must be a number, got ${got}`);
	}
	if (number < min || number > max) {
		throw new FieldError(field, `${field} must be between ${min} and ${max}, got ${number}`);
	}
	return number;
}

export function countInRange(field: string, count: number, min: number, max: number, noun: string): void {
	if (count < min) throw new FieldError(field, `${field} needs at least ${min} ${noun}; got ${count}`);
	if (count > max) throw new FieldError(field, `${field} has ${count} ${noun}; WhatsApp allows ${max}`);
}

/**
 * Rejects duplicates, naming both entries as the form shows them. The error belongs to the later
 * entry: field "Row 3 ID", message `Row 3 ID repeats "r1" of Row 1; each must be unique`.
 */
export function unique(entries: ReadonlyArray<{ label: string; value: string }>, what: string): void {
	const first = new Map<string, string>();
	for (const { label, value } of entries) {
		const earlier = first.get(value);
		if (earlier !== undefined) {
			throw new FieldError(`${label} ${what}`, `${label} ${what} repeats "${value}" of ${earlier}; each must be unique`);
		}
		first.set(value, label);
	}
}

export function httpsUrl(field: string, value: unknown, { allowHttp = false } = {}): string {
	const text = requireText(field, value).trim();
	const url = URL.canParse(text) ? new URL(text) : undefined;
	if (!url) throw new FieldError(field, `${field} "${text}" is not a valid URL`);
	if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
		throw new FieldError(field, `${field} must start with https://${allowHttp ? ' or http://' : ''}; got "${text}"`);
	}
	return text;
}

/** Parses the JSON text of a field; invalid JSON becomes a FieldError naming the field. */
export function parseJsonText(field: string, text: string): unknown {
	// The parse error is kept and thrown after the catch, so the FieldError carries the field name.
	let problem: string | undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		problem = (error as Error).message;
	}
	if (problem !== undefined) throw new FieldError(field, `${field} is not valid JSON: ${problem}`);
	return parsed;
}

/** Parses a JSON field that may already be an object (expressions) or a JSON string. */
export function jsonObject(field: string, value: unknown): Record<string, unknown> | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const parsed = typeof value === 'string' ? parseJsonText(field, value) : value;
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new FieldError(field, `${field} must be a JSON object`);
	}
	return parsed as Record<string, unknown>;
}

/** A WhatsApp message ID (wamid) typed or mapped into a field; one word, no spaces. */
export function messageIdField(field: string, value: unknown): string {
	const id = requireText(field, value).trim();
	if (/\s/.test(id)) {
		throw new FieldError(field, `${field} "${id}" contains spaces; a message ID is one word like wamid.HBgN…`);
	}
	return id;
}
