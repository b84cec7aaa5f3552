/**
 * Splitting a long text into messages: limits counted in code points (emoji), the order of
 * boundaries (paragraph, line, sentence, word), never inside formatting or a URL, code blocks
 * closed and reopened, hard cuts, determinism, and a property loop over random texts.
 */
import { characterCount } from '../../../nodes/common/validation';
import { markdownToWhatsApp } from '../../../nodes/Dialog360/textFormatting/markdown';
import { MIN_SPLIT_LIMIT, splitText, type TextPart } from '../../../nodes/Dialog360/textFormatting/split';

const texts = (parts: TextPart[]) => parts.map((part) => part.text);

/** The source again from the parts: their slices with the dropped separators between them. */
function rejoin(source: string, parts: TextPart[]): string {
	let out = source.slice(0, parts[0].start);
	parts.forEach((part, index) => {
		out += source.slice(part.start, part.end);
		const next = parts[index + 1];
		out += source.slice(part.end, next ? next.start : source.length);
	});
	return out;
}

/** Checks every rule that holds for any text; returns the parts. */
function checkedSplit(source: string, limit: number): TextPart[] {
	const parts = splitText(source, limit);
	expect(parts.length).toBeGreaterThan(0);
	for (const [index, part] of parts.entries()) {
		expect(characterCount(part.text)).toBeLessThanOrEqual(limit);
		expect(part.text).toBe(part.opened + source.slice(part.start, part.end) + part.closed);
		expect(part.text.trim()).not.toBe('');
		const next = parts[index + 1];
		// What lies between two parts is the separator, which is only whitespace.
		if (next) expect(source.slice(part.end, next.start)).toMatch(/^\s*$/);
		if (next) expect(next.opened).toBe(openerOf(part.closed));
	}
	if (parts.length > 1) {
		expect(source.slice(0, parts[0].start)).toMatch(/^\s*$/);
		expect(source.slice(parts[parts.length - 1].end)).toMatch(/^\s*$/);
	}
	expect(rejoin(source, parts)).toBe(source);
	return parts;
}

/** The markers that reopen what `closed` closed: the same markers in opening order (code fences as "```\n"). */
function openerOf(closed: string): string {
	const markers: string[] = [];
	for (let rest = closed; rest !== ''; ) {
		if (rest.startsWith('\n```')) {
			markers.push('```\n');
			rest = rest.slice(4);
		} else if (rest.startsWith('```')) {
			markers.push('```');
			rest = rest.slice(3);
		} else {
			markers.push(rest[0]);
			rest = rest.slice(1);
		}
	}
	return markers.reverse().join('');
}

describe('splitText', () => {
	it('returns a text that fits as one part, unchanged (whitespace included)', () => {
		const text = '  Hello *there*!\n\n';
		expect(splitText(text, 4096)).toEqual([{ text, start: 0, end: text.length, opened: '', closed: '' }]);
		expect(texts(splitText('x'.repeat(4096), 4096))).toEqual(['x'.repeat(4096)]);
	});

	it('refuses a limit too small to close and reopen a code block', () => {
		expect(() => splitText('a b c', MIN_SPLIT_LIMIT - 1)).toThrow(RangeError);
	});

	describe('counting', () => {
		it('counts an emoji outside the Basic Multilingual Plane as one character, as Meta does', () => {
			expect(texts(splitText('😀'.repeat(4096), 4096))).toEqual(['😀'.repeat(4096)]);
			const parts = checkedSplit('😀'.repeat(5000), 4096);
			expect(parts.map((part) => characterCount(part.text))).toEqual([4096, 904]);
		});

		it('counts every code point of an emoji sequence, and never cuts one in half', () => {
			const thumbs = '👍🏽'; // 2 code points
			const parts = checkedSplit(thumbs.repeat(20), 17);
			for (const part of parts) expect(part.text).toMatch(/^(?:👍🏽)+$/u);
			const flags = checkedSplit('🇩🇪'.repeat(20), 17);
			for (const part of flags) expect(part.text).toMatch(/^(?:🇩🇪)+$/u);
			const family = checkedSplit('👨‍👩‍👧'.repeat(6), 16);
			for (const part of family) expect(part.text).toMatch(/^(?:👨‍👩‍👧)+$/u);
		});

		it('fills a part to exactly the limit when the words allow it', () => {
			const text = `${'a'.repeat(10)} ${'b'.repeat(9)} ${'c'.repeat(5)}`;
			expect(texts(checkedSplit(text, 20))).toEqual(['a'.repeat(10) + ' ' + 'b'.repeat(9), 'c'.repeat(5)]);
		});
	});

	describe('boundaries', () => {
		it('prefers a paragraph break to a line break, a line break to a sentence end, a sentence end to a space', () => {
			const paragraph = 'First paragraph, one line.\nIts second line. Its end\n\nSecond paragraph that goes on.';
			expect(texts(checkedSplit(paragraph, 60))).toEqual(['First paragraph, one line.\nIts second line. Its end', 'Second paragraph that goes on.']);
			const lines = 'One line that is long. Still line one\nLine two goes on and on.';
			expect(texts(checkedSplit(lines, 45))).toEqual(['One line that is long. Still line one', 'Line two goes on and on.']);
			const sentences = 'First sentence here. Second sentence goes on and on';
			expect(texts(checkedSplit(sentences, 40))).toEqual(['First sentence here.', 'Second sentence goes on and on']);
			const words = 'no sentence end anywhere in this text at all';
			expect(texts(checkedSplit(words, 20))).toEqual(['no sentence end', 'anywhere in this', 'text at all']);
		});

		it('prefers a later line break to an early paragraph break that would leave a part less than half full', () => {
			const text = 'Hi!\n\nline one is here\nline two is here\nline three';
			expect(texts(checkedSplit(text, 45))).toEqual(['Hi!\n\nline one is here\nline two is here', 'line three']);
		});

		it('takes an early paragraph break rather than a space between words', () => {
			const text = `Hi!\n\n${'word '.repeat(30).trim()}`;
			expect(texts(checkedSplit(text, 100))[0]).toBe('Hi!');
		});

		it('does not take an abbreviation followed by a lower-case word for a sentence end', () => {
			const text = 'Bring fruit, e.g. apples. Pears are fine too.';
			expect(texts(checkedSplit(text, 30))).toEqual(['Bring fruit, e.g. apples.', 'Pears are fine too.']);
		});

		it('keeps the indentation of the line a part starts with, dropping only the line break', () => {
			const text = `${'x'.repeat(20)}\n  - nested item`;
			expect(texts(checkedSplit(text, 20))).toEqual(['x'.repeat(20), '  - nested item']);
		});
	});

	describe('formatting and URLs', () => {
		it.each([
			['bold', 'Some text before *a bold phrase here* and after'],
			['italic', 'Some text before _an italic phrase_ and after'],
			['strikethrough', 'Some text before ~struck out words~ and after'],
			['inline code', 'Some text before `npm run test` and after'],
			['monospace', 'Some text before ```mono space``` and after'],
			['nested', 'Some text before *bold _and italic_ too* and after'],
		])('never cuts inside %s when it fits into a part', (_name, text) => {
			const parts = checkedSplit(text, 34);
			const span = /[*_~`]+[^*_~`].*[^*_~`][*_~`]+/.exec(text) as RegExpExecArray;
			expect(parts.some((part) => part.text.includes(span[0]))).toBe(true);
			for (const part of parts) expect([part.opened, part.closed]).toEqual(['', '']);
		});

		it('treats markers between letters or digits as text, not as formatting', () => {
			const text = 'compute 2*3*4 and snake_case_name then more words';
			expect(texts(checkedSplit(text, 20))).toEqual(['compute 2*3*4 and', 'snake_case_name then', 'more words']);
		});

		it('closes and reopens a span longer than a part, at a space inside it', () => {
			const text = `Intro *${'bold words '.repeat(6).trim()}* end`;
			const parts = checkedSplit(text, 40);
			expect(parts[0].text).toBe('Intro');
			expect(parts[1].text).toMatch(/^\*bold words .*\*$/);
			expect(parts[1].closed).toBe('*');
			expect(parts[2].opened).toBe('*');
			expect(parts[parts.length - 1].text).toMatch(/\* end$/);
		});

		it('never cuts a URL that fits: it moves to the next part whole', () => {
			const url = 'https://example.com/path_with_under*scores*?q=1&x=y_z';
			const text = `See the page at ${url} for details.`;
			const parts = checkedSplit(text, 60);
			expect(parts.some((part) => part.text.includes(url))).toBe(true);
		});

		it('cuts a URL longer than a part hard, as a last resort', () => {
			const url = `https://example.com/${'a'.repeat(60)}`;
			const parts = checkedSplit(`Link: ${url}`, 30);
			expect(parts[0].text).toBe('Link:');
			expect(parts.slice(1).map((part) => part.text).join('')).toBe(url);
		});

		it('does not start a cut inside a URL that starts later in a long word', () => {
			const text = `${'x'.repeat(10)}(https://e.example/${'y'.repeat(10)})`;
			// no whitespace at all: a hard cut, but before the URL
			expect(texts(checkedSplit(text, 20))[0]).toBe(`${'x'.repeat(10)}(`);
		});
	});

	describe('code blocks', () => {
		it('moves a code block that fits into a part to the next part whole', () => {
			const code = '```\nconst a = 1;\nconst b = 2;\n```';
			const text = `${'Intro words. '.repeat(3).trim()}\n\n${code}`;
			const parts = checkedSplit(text, 45);
			expect(parts[parts.length - 1].text).toBe(code);
		});

		it('closes and reopens a code block longer than a part, between its lines, keeping them untouched', () => {
			const lines = Array.from({ length: 12 }, (_, i) => `  line_${i} = **${i}**;`);
			const text = `Code:\n\`\`\`\n${lines.join('\n')}\n\`\`\`\nDone.`;
			const parts = checkedSplit(text, 80);
			expect(parts.length).toBeGreaterThan(2);
			for (const part of parts) expect(part.text.split('```').length % 2).toBe(1); // fences balanced
			const inner = parts.filter((part) => part.opened === '```\n');
			expect(inner.length).toBeGreaterThan(0);
			for (const part of parts.slice(0, -1)) if (part.closed) expect(part.closed).toBe('\n```');
			// every code line arrives whole
			const sent = parts.map((part) => part.text).join('\n');
			for (const line of lines) expect(sent).toContain(`\n${line}\n`);
		});

		it('cuts a code line longer than a part, still closing and reopening the block', () => {
			const text = '```\n' + 'x'.repeat(50) + '\n```';
			const parts = checkedSplit(text, 24);
			for (const part of parts) expect(part.text).toMatch(/^```[\s\S]*```$/);
		});
	});

	it('cuts a single word longer than a part hard', () => {
		expect(texts(checkedSplit('a'.repeat(45), 20))).toEqual(['a'.repeat(20), 'a'.repeat(20), 'a'.repeat(5)]);
	});

	it('is deterministic', () => {
		const text = randomText(mulberry32(7), 3000);
		expect(splitText(text, 200)).toEqual(splitText(text, 200));
	});

	it('splits a 10,000-character AI answer into 3 parts of at most 4,096 characters, at paragraph ends', () => {
		const paragraph = (n: number) => `Paragraph ${n}: ${'The answer explains one more detail of the order. '.repeat(6).trim()}`;
		const text = Array.from({ length: 32 }, (_, n) => paragraph(n)).join('\n\n');
		expect(characterCount(text)).toBeGreaterThan(10_000);
		const parts = checkedSplit(text, 4096);
		expect(parts).toHaveLength(3);
		for (const part of parts) expect(part.text).toMatch(/^Paragraph \d+: [\s\S]*order\.$/);
	});

	describe('property: random texts', () => {
		const limits = [16, 23, 40, 97, 300, 4096];
		it.each(limits)('every part fits limit %p, and the parts with the dropped separators give back the text', (limit) => {
			const random = mulberry32(limit);
			for (let round = 0; round < 40; round++) {
				const { text, spans } = randomTextWithSpans(random, Math.floor(random() * Math.max(limit * 6, 400)) + 1);
				let parts: TextPart[] = [];
				try {
					// Markdown-ish as it comes, and as the converter turns it into WhatsApp text.
					for (const part of checkedSplit(markdownToWhatsApp(text), limit)) expect(part.text.split('```').length % 2).toBe(1);
					parts = checkedSplit(text, limit);
					for (const part of parts) expect(part.text.split('```').length % 2).toBe(1);
				} catch (error) {
					// Name the input, so that a failure can be replayed.
					throw new Error(`${(error as Error).message}\nlimit ${limit}, text ${JSON.stringify(text)}\nparts ${JSON.stringify(texts(splitText(text, limit)))}`);
				}
				// A span or URL that fits into half a part is never cut.
				for (const span of spans.filter((candidate) => candidate.length <= limit / 2 - 8)) {
					for (const [index, part] of parts.entries()) {
						const next = parts[index + 1];
						if (!next) continue;
						const cutInside = span.start < part.end && next.start < span.end;
						if (cutInside) throw new Error(`cut inside ${JSON.stringify(text.slice(span.start, span.end))} at limit ${limit}`);
					}
				}
			}
		});
	});
});

/** A small seeded generator, so the property loop is the same on every run. */
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function randomText(random: () => number, length: number): string {
	return randomTextWithSpans(random, length).text;
}

interface GeneratedSpan {
	start: number;
	end: number;
	length: number;
}

/** Markdown- and WhatsApp-ish text: words, emoji, sentences, lines, paragraphs, lists, spans, URLs and code blocks; returns where the spans and URLs are. */
function randomTextWithSpans(random: () => number, length: number): { text: string; spans: GeneratedSpan[] } {
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
	const words = ['the', 'order', 'shipped', 'Größe', 'naïve', '😀', '👍🏽', '🇩🇪', '2*3*4', 'snake_case_name', 'x', 'über', '東京', 'e.g.', '#1', '~5'];
	const word = () => (random() < 0.02 ? 'w'.repeat(1 + Math.floor(random() * 120)) : pick(words));
	const phrase = () => Array.from({ length: 1 + Math.floor(random() * 4) }, word).join(' ').replace(/[*_~]/g, '');
	let text = '';
	const spans: GeneratedSpan[] = [];
	const span = (value: string) => {
		spans.push({ start: text.length, end: text.length + value.length, length: characterCount(value) });
		text += value;
	};
	while (text.length < length) {
		const roll = random();
		if (roll < 0.5) text += word();
		else if (roll < 0.58) {
			const marker = pick(['*', '_', '~']);
			span(`${marker}${phrase()}${marker}`);
		}
		else if (roll < 0.61) span(pick([`*_${phrase()}_*`, `**${phrase()}**`]));
		// A Markdown link is no WhatsApp formatting: its text may be cut like any other (its URL is not).
		else if (roll < 0.62) text += `[${phrase()}](https://example.com/l_${Math.floor(random() * 99)})`;
		else if (roll < 0.64) span(`\`${phrase()}\``);
		else if (roll < 0.68) span(`https://example.com/${pick(['a_b', 'x*y*z', 'p(1)', 'q?x=1&y=_2_'])}/${Math.floor(random() * 1000)}`);
		else if (roll < 0.7) {
			const lines = Array.from({ length: 1 + Math.floor(random() * 8) }, () => `  ${phrase()} *x* _y_`);
			text += `\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n`;
			continue;
		} else if (roll < 0.78) text += pick(['.', '!', '?', ':', ',']);
		else if (roll < 0.86) text += '\n';
		else if (roll < 0.9) text += '\n\n';
		else if (roll < 0.93) text += `\n${pick(['- ', '* ', '1. ', '> ', '# ', '---\n'])}`;
		text += ' ';
	}
	return { text, spans };
}
