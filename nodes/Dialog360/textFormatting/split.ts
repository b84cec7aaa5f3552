/**
 * Splits a WhatsApp text that is longer than one message into parts that each fit. Pure.
 *
 * Cuts go between paragraphs, else between lines, else after a sentence, else between words,
 * preferring the latest such cut in the second half of a part (so parts come out full), and never
 * inside formatting (`*…*`, `_…_`, `~…~`, `` `…` ``, ```` ```…``` ````) or a URL. The whitespace at a cut
 * is dropped. Only when one span or code block does not fit into a part at all is it cut: closed
 * at the end of the part and opened again at the start of the next. A word longer than a part
 * (no whitespace at all) is cut hard as a last resort, between code points, not inside a URL
 * when the URL starts later, not inside an emoji sequence.
 *
 * Length is counted in code points, as Meta counts text.body (`characterCount`). What counts as
 * formatting: docs/DEVELOPMENT.md, API assumption 32.
 */
import { charAt, charBefore, isSpace, isWordChar, urlEnd } from './scan';

export interface TextPart {
	/** What is sent: `opened + source.slice(start, end) + closed`. */
	text: string;
	start: number;
	end: number;
	/** Formatting opened again at the start, because the previous part had to cut through it. */
	opened: string;
	/** Formatting closed at the end, because the part cuts through it. */
	closed: string;
}

/** Smaller limits leave no room for closing and reopening a code block around a character. */
export const MIN_SPLIT_LIMIT = 16;

type Level = 0 | 1 | 2 | 3;
const PARAGRAPH: Level = 0;
const LINE: Level = 1;
const SENTENCE: Level = 2;
const WORD: Level = 3;

const CODE_OPEN = '```\n';
const CODE_CLOSE = '\n```';

interface Boundary {
	/** The dropped separator is `source.slice(cutStart, cutEnd)`. */
	cutStart: number;
	cutEnd: number;
	level: Level;
	/** Openers of the spans (and code block) the cut is inside, outermost first; empty for a clean cut. */
	markers: string[];
	/** Length of the longest span or code block the cut is inside (0 for a clean cut). */
	enclosingLength: number;
}

interface Span {
	start: number;
	end: number;
	marker: string;
}

interface CodeBlock {
	start: number;
	end: number;
	/** First and last non-whitespace characters of the content: a cut leaves some code on both sides. */
	firstCode: number;
	lastCode: number;
}

/**
 * Splits `text` into parts of at most `limit` code points. Text that fits comes back as one part,
 * unchanged; otherwise leading and trailing whitespace is dropped as well.
 */
export function splitText(text: string, limit: number): TextPart[] {
	if (!(limit >= MIN_SPLIT_LIMIT)) throw new RangeError(`limit must be at least ${MIN_SPLIT_LIMIT}`);
	const points = codePointOffsets(text);
	if (points[text.length] <= limit) return [{ text, start: 0, end: text.length, opened: '', closed: '' }];

	const blocks = codeBlocks(text);
	const { spans, urls } = inlineSpans(text, blocks);
	const boundaries = findBoundaries(text, blocks, spans, points);
	const length = (from: number, to: number) => points[to] - points[from];

	const parts: TextPart[] = [];
	let position = firstNonSpace(text, 0);
	const end = lastNonSpace(text) + 1;
	let opened = '';
	let next = 0;
	while (position < end) {
		const budget = limit - [...opened].length;
		if (length(position, end) <= budget) {
			parts.push({ text: opened + text.slice(position, end), start: position, end, opened, closed: '' });
			break;
		}
		while (next < boundaries.length && boundaries[next].cutStart <= position) next++;
		const fitting: Boundary[] = [];
		for (let i = next; i < boundaries.length && length(position, boundaries[i].cutStart) <= budget; i++) {
			const boundary = boundaries[i];
			if (boundary.cutEnd < end && length(position, boundary.cutStart) + closingLength(boundary.markers) <= budget) fitting.push(boundary);
		}
		const minimum = budget / 2;
		const atLeast = (boundary: Boundary) => length(position, boundary.cutStart) >= minimum;
		// Inside formatting only when that formatting is longer than a part: else the hard cut of a long word is better.
		const cut =
			choose(
				fitting.filter((boundary) => boundary.markers.length === 0),
				atLeast,
			) ??
			choose(
				fitting.filter((boundary) => boundary.enclosingLength > budget),
				atLeast,
			);
		if (cut) {
			const closed = closing(cut.markers);
			parts.push({ text: opened + text.slice(position, cut.cutStart) + closed, start: position, end: cut.cutStart, opened, closed });
			position = cut.cutEnd;
			opened = cut.markers.join('');
			continue;
		}
		const hard = hardCut(text, position, end, budget, points, spans, urls, blocks);
		const closed = closing(hard.markers);
		parts.push({ text: opened + text.slice(position, hard.at) + closed, start: position, end: hard.at, opened, closed });
		position = hard.at;
		opened = hard.markers.join('');
	}
	return parts;
}

/**
 * The best cut: the latest paragraph, line or sentence end (in that order) that still fills half a
 * part; else the latest of them anywhere; only without any of them the latest space between words.
 */
function choose(candidates: Boundary[], fillsHalf: (boundary: Boundary) => boolean): Boundary | undefined {
	for (const level of [PARAGRAPH, LINE, SENTENCE]) {
		for (let i = candidates.length - 1; i >= 0 && fillsHalf(candidates[i]); i--) {
			if (candidates[i].level === level) return candidates[i];
		}
	}
	const structural = candidates.filter((candidate) => candidate.level !== WORD);
	return structural[structural.length - 1] ?? candidates[candidates.length - 1];
}

function closing(markers: string[]): string {
	return [...markers]
		.reverse()
		.map((marker) => (marker === CODE_OPEN ? CODE_CLOSE : marker))
		.join('');
}

function closingLength(markers: string[]): number {
	return markers.reduce((sum, marker) => sum + marker.length, 0);
}

/** `points[i]`: code points in `text.slice(0, i)`. */
function codePointOffsets(text: string): Int32Array {
	const points = new Int32Array(text.length + 1);
	let count = 0;
	for (let i = 0; i < text.length; i++) {
		points[i] = count;
		if (!isLowSurrogateAfterHigh(text, i)) count++;
	}
	points[text.length] = count;
	return points;
}

function isLowSurrogateAfterHigh(text: string, index: number): boolean {
	const code = text.charCodeAt(index);
	if (code < 0xdc00 || code > 0xdfff || index === 0) return false;
	const previous = text.charCodeAt(index - 1);
	return previous >= 0xd800 && previous <= 0xdbff;
}

function firstNonSpace(text: string, from: number): number {
	let i = from;
	while (i < text.length && /\s/.test(text[i])) i++;
	return i;
}

function lastNonSpace(text: string): number {
	let i = text.length - 1;
	while (i >= 0 && /\s/.test(text[i])) i--;
	return i;
}

/** ```` ``` ```` fences paired in order; a pair around a line break is a code block. */
function codeBlocks(text: string): CodeBlock[] {
	const fences: Array<{ start: number; end: number }> = [];
	for (let i = text.indexOf('```'); i !== -1; i = text.indexOf('```', i)) {
		let end = i;
		while (text[end] === '`') end++;
		fences.push({ start: i, end });
		i = end;
	}
	const blocks: CodeBlock[] = [];
	for (let f = 0; f + 1 < fences.length; f += 2) {
		const open = fences[f];
		const close = fences[f + 1];
		const content = text.slice(open.end, close.start);
		const firstOffset = content.search(/\S/);
		blocks.push({
			start: open.start,
			end: close.end,
			firstCode: firstOffset === -1 ? close.start : open.end + firstOffset,
			lastCode: firstOffset === -1 ? open.end : open.end + content.trimEnd().length - 1,
		});
	}
	return blocks;
}

const isMultiLine = (text: string, block: CodeBlock) => text.slice(block.start, block.end).includes('\n');

/**
 * Formatting spans and URLs outside code blocks. Spans follow WhatsApp's rules as far as they are
 * known: a marker opens before a non-space character and not inside a word, closes after a
 * non-space character and not before a word, on the same line (the converter never writes
 * formatting across lines). A ```` ```…``` ```` pair on one line is a span too.
 */
function inlineSpans(text: string, blocks: CodeBlock[]): { spans: Span[]; urls: Span[] } {
	const spans: Span[] = [];
	const urls: Span[] = [];
	const blockAt = new Map(blocks.map((block) => [block.start, block]));
	let lineStart = 0;
	for (let i = 0; i <= text.length; ) {
		const block = blockAt.get(i);
		if (block) {
			if (!isMultiLine(text, block)) spans.push({ start: block.start, end: block.end, marker: '```' });
			i = block.end;
			continue;
		}
		if (i === text.length || text[i] === '\n') {
			scanLine(text, lineStart, i, spans, urls);
			lineStart = i + 1;
		}
		i++;
	}
	return { spans: spans.sort((a, b) => a.start - b.start || b.end - a.end), urls };
}

/**
 * The spans and URLs of one line (or the part of a line between code blocks). Markers inside a URL
 * or inline code are text. Each opener takes the first closer of its character after it, found
 * through per-character lists of closers, so a line full of markers stays linear.
 */
function scanLine(text: string, start: number, end: number, spans: Span[], urls: Span[]): void {
	const openers: number[] = [];
	const closers: Record<string, number[]> = { '*': [], _: [], '~': [] };
	for (let i = start; i < end; ) {
		const char = text[i];
		if (char === 'h' || char === 'H' || char === 'w' || char === 'W') {
			const stop = urlEnd(text, i);
			if (stop !== -1) {
				urls.push({ start: i, end: Math.min(stop, end), marker: '' });
				i = Math.min(stop, end);
				continue;
			}
		}
		if (char === '`') {
			const close = text.indexOf('`', i + 1);
			if (close !== -1 && close < end && close > i + 1) {
				spans.push({ start: i, end: close + 1, marker: '`' });
				i = close + 1;
				continue;
			}
		} else if (char === '*' || char === '_' || char === '~') {
			if (!isSpace(charBefore(text, i)) && !isWordChar(charAt(text, i + 1))) closers[char].push(i);
			if (!isWordChar(charBefore(text, i)) && !isSpace(charAt(text, i + 1))) openers.push(i);
		}
		i++;
	}
	const next: Record<string, number> = { '*': 0, _: 0, '~': 0 };
	const used = new Set<number>();
	for (const open of openers) {
		if (used.has(open)) continue;
		const char = text[open];
		const list = closers[char];
		while (next[char] < list.length && list[next[char]] < open + 2) next[char]++;
		const close = list[next[char]];
		if (close === undefined) continue;
		spans.push({ start: open, end: close + 1, marker: char });
		used.add(close);
	}
}

/** Every whitespace run where a part may end, with its level and the spans it is inside. */
function findBoundaries(text: string, blocks: CodeBlock[], spans: Span[], points: Int32Array): Boundary[] {
	const boundaries: Array<Omit<Boundary, 'markers' | 'enclosingLength'> & { block?: CodeBlock }> = [];
	const multiLine = blocks.filter((block) => isMultiLine(text, block));
	let blockIndex = 0;
	let i = 0;
	while (i < text.length) {
		const block = multiLine[blockIndex];
		if (block && i >= block.start) {
			for (let k = Math.max(i, block.firstCode + 1); k <= block.lastCode; k++) {
				if (text[k] === '\n') boundaries.push({ cutStart: k, cutEnd: k + 1, level: LINE, block });
				else if (text[k] === ' ' || text[k] === '\t') boundaries.push({ cutStart: k, cutEnd: k + 1, level: WORD, block });
			}
			i = block.end;
			blockIndex++;
			continue;
		}
		if (!/\s/.test(text[i])) {
			i++;
			continue;
		}
		const runStart = i;
		const stop = block ? block.start : text.length;
		while (i < stop && /\s/.test(text[i])) i++;
		if (runStart === 0 || i === text.length) continue;
		const run = text.slice(runStart, i);
		const newlines = run.split('\n').length - 1;
		if (newlines > 0) {
			boundaries.push({ cutStart: runStart, cutEnd: runStart + run.lastIndexOf('\n') + 1, level: newlines > 1 ? PARAGRAPH : LINE });
		} else {
			boundaries.push({ cutStart: runStart, cutEnd: i, level: endsSentence(text, runStart, i) ? SENTENCE : WORD });
		}
	}
	return withMarkers(boundaries, spans, points);
}

/** A sentence ends before the whitespace (closing quotes and markers aside) and the next word does not start in lower case. */
function endsSentence(text: string, runStart: number, runEnd: number): boolean {
	let i = runStart - 1;
	while (i >= 0 && /[)"'”’»*_~]/.test(text[i])) i--;
	return /[.!?…]/.test(text[i] ?? '') && !/\p{Ll}/u.test(charAt(text, runEnd) ?? '');
}

function withMarkers(
	boundaries: Array<Omit<Boundary, 'markers' | 'enclosingLength'> & { block?: CodeBlock }>,
	spans: Span[],
	points: Int32Array,
): Boundary[] {
	const lengthOf = (range: { start: number; end: number }) => points[range.end] - points[range.start];
	const result: Boundary[] = [];
	let spanIndex = 0;
	let active: Span[] = [];
	for (const boundary of boundaries) {
		while (spanIndex < spans.length && spans[spanIndex].start < boundary.cutStart) active.push(spans[spanIndex++]);
		active = active.filter((span) => span.end > boundary.cutEnd);
		const { block, ...rest } = boundary;
		result.push(
			block
				? { ...rest, markers: [CODE_OPEN], enclosingLength: lengthOf(block) }
				: { ...rest, markers: active.map((span) => span.marker), enclosingLength: Math.max(0, ...active.map(lengthOf)) },
		);
	}
	return result;
}

/**
 * The last resort inside a "word" longer than a part: as many code points as fit, but not inside
 * a URL that starts later, nor inside an emoji sequence; spans and code blocks it cuts through
 * are closed and reopened.
 */
function hardCut(
	text: string,
	position: number,
	end: number,
	budget: number,
	points: Int32Array,
	spans: Span[],
	urls: Span[],
	blocks: CodeBlock[],
): { at: number; markers: string[] } {
	const markersAt = (at: number) => {
		const block = blocks.find((candidate) => candidate.start < at && at < candidate.end && isMultiLine(text, candidate));
		if (block) return [CODE_OPEN];
		return spans.filter((span) => span.start < at && at < span.end).map((span) => span.marker);
	};
	const fits = (at: number) => points[at] - points[position] + closingLength(markersAt(at)) <= budget;
	let at = position;
	while (at < end && points[at + 1] - points[position] <= budget) at++;
	while (at > position + 1 && (isLowSurrogateAfterHigh(text, at) || !fits(at))) at--;
	const url = urls.find((candidate) => candidate.start < at && at < candidate.end && candidate.start > position);
	if (url && text.slice(position, url.start).trim() !== '') at = url.start;
	while (at > position + 1 && joinsPrevious(text, at)) at--;
	if (at <= position) at = position + (isLowSurrogateAfterHigh(text, position + 1) ? 2 : 1);
	const markers = markersAt(at);
	return { at, markers: points[at] - points[position] + closingLength(markers) <= budget ? markers : [] };
}

/**
 * The code point at `at` belongs to the one before it: a mark, a joiner, a variation selector, a
 * skin tone, the second letter of a flag.
 */
function joinsPrevious(text: string, at: number): boolean {
	if (isLowSurrogateAfterHigh(text, at)) return true;
	const char = charAt(text, at) ?? '';
	const before = charBefore(text, at) ?? '';
	const point = char.codePointAt(0) ?? 0;
	const joining = point === 0x200d || point === 0xfe0e || point === 0xfe0f || (point >= 0x1f3fb && point <= 0x1f3ff);
	if (joining || /^\p{M}/u.test(char) || before === '\u200d') return true;
	if (!REGIONAL_INDICATOR.test(char)) return false;
	// Flags are pairs of regional indicators: count the ones before to know which half this is.
	let count = 0;
	for (let i = at; REGIONAL_INDICATOR.test(charBefore(text, i) ?? ''); i -= 2) count++;
	return count % 2 === 1;
}

const REGIONAL_INDICATOR = /^[\u{1f1e6}-\u{1f1ff}]$/u;
