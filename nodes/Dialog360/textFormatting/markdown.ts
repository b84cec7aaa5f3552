/**
 * Markdown, as AI models write it, → WhatsApp's text formatting. Pure, no dependency.
 *
 * WhatsApp formats `*bold*`, `_italic_`, `~strikethrough~`, ```` ```monospace``` ````, `` `inline code` ``,
 * lists starting `* `/`- `/`1. ` and quotes starting `> `
 * (https://faq.whatsapp.com/539178204879377, https://developers.facebook.com/docs/whatsapp/cloud-api/messages/text-messages,
 * https://docs.360dialog.com/docs/messaging/message-types/text). Everything else is rendered as text:
 * headings as bold lines, links as `text (url)`, images as their URL, tables as rows of cells.
 *
 * Blocks are read line by line; inline text by a small tokenizer (code spans, links, URLs and
 * delimiter runs) with CommonMark's delimiter matching, except that `*`, `_` and `~` between two
 * letters or digits are text (`2*3*4`, `snake_case`), since WhatsApp formats only at word edges.
 * Code, URLs and link targets are copied as they are. Assumption (WhatsApp shows its rules by
 * example only): markers work at word edges and within one line; docs/DEVELOPMENT.md, API assumption 32.
 */
import { charAt, charBefore, isPunctuation, isSpace, isWordChar, urlEnd } from './scan';

/** What a horizontal rule (`---`) becomes: WhatsApp has none. */
export const RULE_LINE = '──────────';

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const BLANK = /^\s*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const BULLET = /^(\s*)[-*+][ \t]+(.*)$/;
const ORDERED = /^(\s*)(\d{1,9})[.)][ \t]+(.*)$/;
const TASK = /^\[([ xX])\][ \t]+/;
const TABLE_DELIMITER_ROW = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const REFERENCE_DEFINITION = /^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*<?([^\s>]+)>?(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^)]*\)))?[ \t]*$/;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

type References = ReadonlyMap<string, string>;

/** Converts Markdown to WhatsApp formatting. Text without Markdown comes back unchanged (up to trailing spaces and extra blank lines). */
export function markdownToWhatsApp(markdown: string): string {
	const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
	const { body, references } = takeReferenceDefinitions(lines);
	return trimBlankLines(convertBlocks(body, references)).join('\n');
}

/** Removes `[label]: url` lines (outside code blocks) and returns them by normalised label. */
function takeReferenceDefinitions(lines: string[]): { body: string[]; references: References } {
	const references = new Map<string, string>();
	const body: string[] = [];
	let fence: string | undefined;
	for (const line of lines) {
		const fenceMatch = FENCE.exec(line);
		if (fence !== undefined) {
			if (fenceMatch && closesFence(fenceMatch, fence)) fence = undefined;
		} else if (fenceMatch && opensFence(fenceMatch)) {
			fence = fenceMatch[2];
		} else {
			const definition = REFERENCE_DEFINITION.exec(line);
			if (definition) {
				const label = normalizeLabel(definition[1]);
				if (!references.has(label)) references.set(label, definition[2]);
				continue;
			}
		}
		body.push(line);
	}
	return { body, references };
}

/**
 * An opening fence carries at most a language name: "```python". With more on the line
 * ("~~~ about 5 ~~~", "```inline```") it is text, so that nothing is lost as an info string.
 */
function opensFence(match: RegExpExecArray): boolean {
	const info = match[3].trim();
	return !/\s/.test(info) && !(match[2][0] === '`' && info.includes('`'));
}

function closesFence(match: RegExpExecArray, opening: string): boolean {
	return match[2][0] === opening[0] && match[2].length >= opening.length && BLANK.test(match[3]);
}

function normalizeLabel(label: string): string {
	return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

function convertBlocks(lines: string[], references: References): string[] {
	const out: string[] = [];
	const blank = () => {
		if (out.length > 0 && out[out.length - 1] !== '') out.push('');
	};
	let i = 0;
	while (i < lines.length) {
		const line = lines[i];
		const fence = FENCE.exec(line);
		if (fence && opensFence(fence)) {
			i = codeBlock(lines, i, fence, out);
			continue;
		}
		if (BLANK.test(line)) {
			blank();
			i++;
			continue;
		}
		if (RULE.test(line)) {
			out.push(RULE_LINE);
			i++;
			continue;
		}
		const heading = ATX_HEADING.exec(line);
		if (heading) {
			const text = bold(convertInline(heading[2] ?? '', references, true));
			if (text !== '') out.push(text);
			i++;
			continue;
		}
		if (QUOTE.test(line)) {
			const inner: string[] = [];
			for (; i < lines.length && QUOTE.test(lines[i]); i++) inner.push((QUOTE.exec(lines[i]) as RegExpExecArray)[1]);
			for (const quoted of trimBlankLines(convertBlocks(inner, references))) {
				// WhatsApp has no nested quotes: `>> x` stays one quote.
				out.push(quoted === '' ? '' : quoted.startsWith('> ') ? quoted : `> ${quoted}`);
			}
			continue;
		}
		if (line.includes('|') && i + 1 < lines.length && TABLE_DELIMITER_ROW.test(lines[i + 1]) && lines[i + 1].includes('|')) {
			i = table(lines, i, references, out);
			continue;
		}
		const bullet = BULLET.exec(line);
		if (bullet) {
			const task = TASK.exec(bullet[2]);
			const rest = task ? bullet[2].slice(task[0].length) : bullet[2];
			const box = task ? (task[1] === ' ' ? '☐ ' : '☑ ') : '';
			out.push(`${bullet[1]}- ${box}${convertInline(rest, references)}`.trimEnd());
			i++;
			continue;
		}
		const ordered = ORDERED.exec(line);
		if (ordered) {
			out.push(`${ordered[1]}${ordered[2]}. ${convertInline(ordered[3], references)}`.trimEnd());
			i++;
			continue;
		}
		if (i + 1 < lines.length && SETEXT_UNDERLINE.test(lines[i + 1])) {
			const text = bold(convertInline(line.trim(), references, true));
			if (text !== '') out.push(text);
			i += 2;
			continue;
		}
		// A hard line break (two trailing spaces or a backslash) is a line break anyway.
		out.push(convertInline(line.replace(/(?:\\|[ \t]+)$/, ''), references).trimEnd());
		i++;
	}
	return out;
}

/** A fenced code block → ```` ``` ```` lines around the untouched content; returns the next line index. */
function codeBlock(lines: string[], start: number, fence: RegExpExecArray, out: string[]): number {
	const indent = fence[1].length;
	const content: string[] = [];
	let i = start + 1;
	for (; i < lines.length; i++) {
		const closing = FENCE.exec(lines[i]);
		if (closing && closesFence(closing, fence[2])) {
			i++;
			break;
		}
		// Content lines lose at most the fence's own indentation (a fence inside a list item).
		const line = lines[i];
		let strip = 0;
		while (strip < indent && (line[strip] === ' ' || line[strip] === '\t')) strip++;
		content.push(line.slice(strip));
	}
	if (content.some((line) => !BLANK.test(line))) out.push('```', ...content, '```');
	return i;
}

/** A pipe table → a bold header row and one line per row, cells separated by ` | `. */
function table(lines: string[], start: number, references: References, out: string[]): number {
	const header = cells(lines[start]).map((cell) => bold(convertInline(cell, references, true)));
	out.push(header.join(' | ').trim());
	let i = start + 2;
	for (; i < lines.length && lines[i].includes('|') && !BLANK.test(lines[i]); i++) {
		out.push(cells(lines[i]).map((cell) => convertInline(cell, references)).join(' | ').trim());
	}
	return i;
}

/** The cells of a table row: split at `|` outside code spans and not escaped. */
function cells(row: string): string[] {
	let text = row.trim();
	if (text.startsWith('|')) text = text.slice(1);
	if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
	const result: string[] = [];
	let cell = '';
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (char === '\\' && text[i + 1] === '|') {
			cell += '|';
			i++;
		} else if (char === '`') {
			const run = runLength(text, i, '`');
			const close = findBacktickRun(text, i + run, run);
			const end = close === -1 ? i + run : close + run;
			cell += text.slice(i, end);
			i = end - 1;
		} else if (char === '|') {
			result.push(cell.trim());
			cell = '';
		} else cell += char;
	}
	result.push(cell.trim());
	return result;
}

function bold(text: string): string {
	return text.trim() === '' ? '' : `*${text.trim()}*`;
}

function trimBlankLines(lines: string[]): string[] {
	let start = 0;
	let end = lines.length;
	while (start < end && lines[start] === '') start++;
	while (end > start && lines[end - 1] === '') end--;
	return lines.slice(start, end);
}

function runLength(text: string, index: number, char: string): number {
	let end = index;
	while (text[end] === char) end++;
	return end - index;
}

/** The backtick runs of the text last searched, by length: positions in order. */
let backtickRuns: { text: string; byLength: Map<number, number[]> } | undefined;

/** Index of the next run of exactly `length` backticks at or after `from`, or -1. */
function findBacktickRun(text: string, from: number, length: number): number {
	if (backtickRuns?.text !== text) {
		const byLength = new Map<number, number[]>();
		for (let i = text.indexOf('`'); i !== -1; i = text.indexOf('`', i)) {
			const run = runLength(text, i, '`');
			const positions = byLength.get(run);
			if (positions) positions.push(i);
			else byLength.set(run, [i]);
			i += run;
		}
		backtickRuns = { text, byLength };
	}
	const positions = backtickRuns.byLength.get(length) ?? [];
	let low = 0;
	let high = positions.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (positions[middle] < from) low = middle + 1;
		else high = middle;
	}
	return low < positions.length ? positions[low] : -1;
}

// ---------------------------------------------------------------------------------------------
// Inline text

type Kind = 'strong' | 'em' | 'strike';
const MARKER: Readonly<Record<Kind, string>> = { strong: '*', em: '_', strike: '~' };

interface Delimiter {
	char: '*' | '_' | '~';
	/** Characters of the run not (yet) used as formatting. */
	length: number;
	readonly originalLength: number;
	canOpen: boolean;
	canClose: boolean;
	/** Formatting this run closes, innermost first, and opens, innermost first. */
	closes: Kind[];
	opens: Kind[];
}

type Piece = string | Delimiter;

/**
 * One line of inline Markdown → WhatsApp. `insideBold`: the line is already bold (a heading or
 * a table header), so bold inside it is dropped instead of nested.
 */
export function convertInline(text: string, references: References = new Map(), insideBold = false): string {
	const pieces: Piece[] = [];
	let buffer = '';
	const flush = () => {
		if (buffer !== '') pieces.push(buffer);
		buffer = '';
	};
	let i = 0;
	while (i < text.length) {
		const char = text[i];
		if (char === '\\' && i + 1 < text.length && ASCII_PUNCTUATION.test(text[i + 1])) {
			buffer += text[i + 1];
			i += 2;
			continue;
		}
		if (char === '`') {
			const run = runLength(text, i, '`');
			const close = findBacktickRun(text, i + run, run);
			if (close === -1) {
				buffer += text.slice(i, i + run);
				i += run;
			} else {
				buffer += codeSpan(text.slice(i + run, close), run);
				i = close + run;
			}
			continue;
		}
		if (char === '<') {
			const autolink = /^<([a-z][a-z0-9+.-]{1,31}:[^\s<>]*|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)>/i.exec(text.slice(i));
			if (autolink) {
				buffer += autolink[1].replace(/^mailto:/i, '');
				i += autolink[0].length;
				continue;
			}
		}
		if (char === '[' || (char === '!' && text[i + 1] === '[')) {
			const image = char === '!';
			const link = parseLink(text, image ? i + 1 : i, references);
			if (link) {
				buffer += image ? link.url : renderLink(link, references, insideBold);
				i = link.end;
				continue;
			}
		}
		if (char === 'h' || char === 'H' || char === 'w' || char === 'W') {
			const end = urlEnd(text, i);
			if (end !== -1) {
				buffer += text.slice(i, end);
				i = end;
				continue;
			}
		}
		if (char === '*' || char === '_' || char === '~') {
			const run = runLength(text, i, char);
			flush();
			pieces.push(delimiter(text, i, run, char));
			i += run;
			continue;
		}
		buffer += char;
		i++;
	}
	flush();
	matchDelimiters(pieces.filter((piece): piece is Delimiter => typeof piece !== 'string'));
	return render(pieces, insideBold);
}

/** A code span → inline code; one written with three backticks (WhatsApp's own monospace) stays monospace. */
function codeSpan(content: string, run: number): string {
	// CommonMark strips one space on each side (`` `` `x` `` ``).
	let code = content.replace(/\n/g, ' ');
	if (code.length >= 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
	if (code.trim() === '') return '`' + content + '`';
	// WhatsApp's inline code cannot hold a backtick; its monospace can.
	return run >= 3 || code.includes('`') ? '```' + code + '```' : '`' + code + '`';
}

function delimiter(text: string, start: number, length: number, char: '*' | '_' | '~'): Delimiter {
	const before = charBefore(text, start);
	const after = charAt(text, start + length);
	const leftFlanking = !isSpace(after) && (!isPunctuation(after) || isSpace(before) || isPunctuation(before));
	const rightFlanking = !isSpace(before) && (!isPunctuation(before) || isSpace(after) || isPunctuation(after));
	// Only runs of exactly two tildes strike through: a single `~` means "about" (`~5 min`).
	const usable = char !== '~' || length === 2;
	return {
		char,
		length,
		originalLength: length,
		canOpen: usable && leftFlanking && !isWordChar(before),
		canClose: usable && rightFlanking && !isWordChar(after),
		closes: [],
		opens: [],
	};
}

/** CommonMark's "process emphasis": each closer takes the nearest fitting opener before it. */
function matchDelimiters(delimiters: Delimiter[]): void {
	// Where the search for an opener found nothing, a later closer of the same kind finds nothing either (linear time).
	const bottom = new Map<string, number>();
	for (let c = 0; c < delimiters.length; c++) {
		const closer = delimiters[c];
		if (!closer.canClose) continue;
		const key = `${closer.char}${closer.originalLength % 3}${closer.canOpen}`;
		while (closer.length > 0) {
			const o = findOpener(delimiters, c, bottom.get(key) ?? -1);
			if (o === -1) {
				bottom.set(key, c - 1);
				break;
			}
			const opener = delimiters[o];
			const use = closer.char === '~' || (opener.length >= 2 && closer.length >= 2) ? 2 : 1;
			const kind: Kind = closer.char === '~' ? 'strike' : use === 2 ? 'strong' : 'em';
			opener.length -= use;
			closer.length -= use;
			opener.opens.push(kind);
			closer.closes.push(kind);
			// Runs between the pair can no longer pair with anything outside it.
			for (let k = o + 1; k < c; k++) {
				delimiters[k].canOpen = false;
				delimiters[k].canClose = false;
			}
		}
	}
}

function findOpener(delimiters: Delimiter[], closerIndex: number, bottom: number): number {
	const closer = delimiters[closerIndex];
	for (let o = closerIndex - 1; o > bottom; o--) {
		const opener = delimiters[o];
		if (opener.char !== closer.char || !opener.canOpen || opener.length === 0) continue;
		// CommonMark's rule of three: `*foo**bar*` is one emphasis, not two.
		const bothWays = opener.canClose || closer.canOpen;
		const sum = opener.originalLength + closer.originalLength;
		if (bothWays && sum % 3 === 0 && !(opener.originalLength % 3 === 0 && closer.originalLength % 3 === 0)) continue;
		return o;
	}
	return -1;
}

function render(pieces: Piece[], insideBold: boolean): string {
	const depth: Record<Kind, number> = { strong: insideBold ? 1 : 0, em: 0, strike: 0 };
	// Nested formatting of one kind (bold in bold) has no meaning in WhatsApp: only the outer pair is written.
	const open = (kind: Kind) => (depth[kind]++ === 0 ? MARKER[kind] : '');
	const close = (kind: Kind) => (--depth[kind] === 0 ? MARKER[kind] : '');
	let out = '';
	for (const piece of pieces) {
		if (typeof piece === 'string') {
			out += piece;
			continue;
		}
		for (const kind of piece.closes) out += close(kind);
		out += piece.char.repeat(piece.length);
		for (const kind of [...piece.opens].reverse()) out += open(kind);
	}
	return out;
}

interface Link {
	text: string;
	url: string;
	/** Index after the link. */
	end: number;
}

/** `[text](url "title")`, `[text][label]`, `[label][]` or `[label]` starting at `start` (a `[`). */
function parseLink(text: string, start: number, references: References): Link | undefined {
	const close = closingBracket(text, start);
	if (close === -1) return undefined;
	const label = text.slice(start + 1, close);
	let i = close + 1;
	if (text[i] === '(') {
		const destination = inlineDestination(text, i + 1);
		return destination && { text: label, url: destination.url, end: destination.end };
	}
	if (text[i] === '[') {
		const refClose = text.indexOf(']', i + 1);
		if (refClose !== -1) {
			const refLabel = text.slice(i + 1, refClose);
			const url = references.get(normalizeLabel(refLabel === '' ? label : refLabel));
			if (url !== undefined) return { text: label, url, end: refClose + 1 };
		}
		i = close + 1;
	}
	const url = references.get(normalizeLabel(label));
	return url === undefined ? undefined : { text: label, url, end: i };
}

const MAX_LINK_TEXT = 1000;

/** Index of the `]` that closes the `[` at `start` (nesting, escapes and code spans respected), or -1. */
function closingBracket(text: string, start: number): number {
	let depth = 0;
	// A link text longer than this is not one; the bound keeps a line full of "[" linear.
	const stop = Math.min(text.length, start + MAX_LINK_TEXT);
	for (let i = start; i < stop; i++) {
		const char = text[i];
		if (char === '\\') i++;
		else if (char === '`') {
			const run = runLength(text, i, '`');
			const close = findBacktickRun(text, i + run, run);
			i = (close === -1 ? i + run : close + run) - 1;
		} else if (char === '[') depth++;
		else if (char === ']' && --depth === 0) return i;
	}
	return -1;
}

/** The `url "title")` part of an inline link, from just after `(`. */
function inlineDestination(text: string, from: number): { url: string; end: number } | undefined {
	let i = from;
	while (text[i] === ' ' || text[i] === '\t') i++;
	let url: string;
	if (text[i] === '<') {
		const close = text.indexOf('>', i);
		if (close === -1) return undefined;
		url = text.slice(i + 1, close);
		i = close + 1;
	} else {
		const start = i;
		let parens = 0;
		for (; i < text.length && !/\s/.test(text[i]); i++) {
			if (text[i] === '\\') i++;
			else if (text[i] === '(') parens++;
			else if (text[i] === ')' && --parens < 0) break;
		}
		url = text.slice(start, i);
	}
	while (text[i] === ' ' || text[i] === '\t') i++;
	const title = /^(?:"[^"]*"|'[^']*'|\([^)]*\))/.exec(text.slice(i));
	if (title) i += title[0].length;
	while (text[i] === ' ' || text[i] === '\t') i++;
	return text[i] === ')' ? { url, end: i + 1 } : undefined;
}

/** `text (url)`, or only the URL when the text is the URL (with or without https://, www. or a final /). */
function renderLink(link: Link, references: References, insideBold: boolean): string {
	const url = link.url.replace(/^mailto:/i, '');
	const text = convertInline(link.text, references, insideBold).trim();
	if (url === '') return text;
	const bare = (value: string) =>
		value
			.replace(/^[`*_~]+|[`*_~]+$/g, '')
			.replace(/^(?:https?:\/\/|mailto:)/i, '')
			.replace(/^www\./i, '')
			.replace(/\/$/, '')
			.toLowerCase();
	if (text === '' || bare(text) === bare(url)) return url;
	return `${text} (${url})`;
}
