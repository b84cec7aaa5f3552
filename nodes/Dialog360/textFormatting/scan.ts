/**
 * Character classes and URL scanning shared by the Markdown converter and the splitter. Pure.
 */

/** Letters of scripts that write words without spaces between them: emphasis may touch them. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;
const PUNCTUATION = /[\p{P}\p{S}]/u;

/**
 * A letter or digit of a word in a space-separated script. A `*`, `_` or `~` between two of them
 * is part of the text (`2*3*4`, `snake_case_name`), never formatting: WhatsApp formats only at
 * word edges, and so does the converter.
 */
export function isWordChar(char: string | undefined): boolean {
	return char !== undefined && LETTER_OR_DIGIT.test(char) && !UNSPACED_SCRIPT.test(char);
}

/** Start and end of a line count as whitespace. */
export function isSpace(char: string | undefined): boolean {
	return char === undefined || /\s/u.test(char);
}

export function isPunctuation(char: string | undefined): boolean {
	return char !== undefined && PUNCTUATION.test(char);
}

/** The code point that ends just before `index` (a whole surrogate pair), or undefined at the start. */
export function charBefore(text: string, index: number): string | undefined {
	if (index <= 0) return undefined;
	const code = text.charCodeAt(index - 1);
	if (code >= 0xdc00 && code <= 0xdfff && index >= 2) return text.slice(index - 2, index);
	return text[index - 1];
}

/** The code point that starts at `index`, or undefined at the end. */
export function charAt(text: string, index: number): string | undefined {
	if (index >= text.length) return undefined;
	const point = text.codePointAt(index) as number;
	return String.fromCodePoint(point);
}

const URL_START = /^(?:https?:\/\/|www\.)[^\s<>]/i;
/** Trailing characters that end a sentence or close formatting rather than belong to the URL (as GitHub's autolinks). */
const URL_TRAILING = /[.,:;!?'"*_~]/;

/**
 * When a bare URL (`https://…`, `http://…`, `www.…`) starts at `index`, the index after it; else -1.
 * A URL starts a word and runs to whitespace or `<`/`>`; trailing punctuation and `*`, `_`, `~`
 * are left out, and so is a `)` without its `(` (a URL in parentheses).
 */
export function urlEnd(text: string, index: number): number {
	if (isWordChar(charBefore(text, index))) return -1;
	if (!URL_START.test(text.slice(index, index + 9))) return -1;
	let end = index;
	while (end < text.length && !/[\s<>]/.test(text[end])) end++;
	for (;;) {
		const last = text[end - 1];
		if (URL_TRAILING.test(last)) end--;
		else if (last === ')' && count(text, index, end, ')') > count(text, index, end, '(')) end--;
		else break;
	}
	// Nothing but the scheme left (`https://.`): not a URL.
	return URL_START.test(text.slice(index, end)) ? end : -1;
}

function count(text: string, start: number, end: number, char: string): number {
	let found = 0;
	for (let i = start; i < end; i++) if (text[i] === char) found++;
	return found;
}
