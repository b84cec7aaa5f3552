/**
 * Markdown (as AI models write it) → WhatsApp formatting: emphasis, code, headings, links, lists,
 * quotes, rules, tables, escapes, and the text that must stay as it is (2*3*4, snake_case, URLs).
 * The Text message type with the option: text.test.ts; through the node: send-text-split.test.ts.
 */
import { markdownToWhatsApp, RULE_LINE } from '../../../nodes/Dialog360/textFormatting/markdown';

const cases = (rows: Array<[string, string, string]>) => rows;

describe('markdownToWhatsApp', () => {
	it.each(
		cases([
			['bold with **', 'a **bold** word', 'a *bold* word'],
			['bold with __', 'a __bold__ word', 'a *bold* word'],
			['italic with *', 'an *italic* word', 'an _italic_ word'],
			['italic with _', 'an _italic_ word', 'an _italic_ word'],
			['strikethrough', 'was ~~5 €~~ now', 'was ~5 €~ now'],
			['inline code', 'run `npm test` now', 'run `npm test` now'],
			['bold and italic nested (***)', '***both***', '_*both*_'],
			['italic inside bold', '**bold _and italic_ inside**', '*bold _and italic_ inside*'],
			['bold inside italic', '*italic **bold** italic*', '_italic *bold* italic_'],
			['bold then italic inside one run', '***bold italic** only italic*', '_*bold italic* only italic_'],
			['two bold spans', '**a** and **b**', '*a* and *b*'],
			['bold next to punctuation', '**bold**,**bold**.', '*bold*,*bold*.'],
			['bold with emoji and umlauts', 'Die **Größe 😀**!', 'Die *Größe 😀*!'],
			['bold in a script without spaces', '这是**重要**的', '这是*重要*的'],
		]),
	)('%s', (_name, markdown, expected) => {
		expect(markdownToWhatsApp(markdown)).toBe(expected);
	});

	it.each(
		cases([
			['multiplication', '2*3*4 = 24', '2*3*4 = 24'],
			['multiplication with spaces', '5 * 3 * 2 = 30', '5 * 3 * 2 = 30'],
			['snake_case words', 'set max_retry_count and file_name_here.txt', 'set max_retry_count and file_name_here.txt'],
			['an e-mail address with _', 'write to john_doe@example.com', 'write to john_doe@example.com'],
			['a URL with _ and *', 'see https://example.com/a_b_c/*star*/_x_ now', 'see https://example.com/a_b_c/*star*/_x_ now'],
			['a URL in bold', '**https://example.com/a_b**', '*https://example.com/a_b*'],
			['a URL with parentheses, in parentheses', '(see https://en.wikipedia.org/wiki/Foo_(bar))', '(see https://en.wikipedia.org/wiki/Foo_(bar))'],
			['a www. URL', 'visit www.example.com/x_y_z!', 'visit www.example.com/x_y_z!'],
			['an unclosed bold', '**unclosed bold', '**unclosed bold'],
			['lone markers', 'a * ** b ~ c', 'a * ** b ~ c'],
			['a single tilde means about', 'takes ~5 minutes, ~10 at most', 'takes ~5 minutes, ~10 at most'],
			['tildes around spaces', '~~ not strike ~~', '~~ not strike ~~'],
			['a marker before a letter cannot close', '**Note:**The end', '**Note:**The end'],
			['a hashtag', '#hashtag is not a heading', '#hashtag is not a heading'],
			['seven hashes', '####### seven', '####### seven'],
			['a phone number', '+49 151 12345678', '+49 151 12345678'],
			['text without Markdown', 'Hello Max, your order 4711 has shipped.', 'Hello Max, your order 4711 has shipped.'],
			['a backslash before a letter', 'C:\\new\\table', 'C:\\new\\table'],
			['brackets that are no link', '[not a link] and [x]( and footnote[^1]', '[not a link] and [x]( and footnote[^1]'],
			['tildes with words inside a line', '~~~not a fence~~~ ok', '~~~not a fence~~~ ok'],
		]),
	)('leaves %s alone', (_name, markdown, expected) => {
		expect(markdownToWhatsApp(markdown)).toBe(expected);
	});

	it.each(
		cases([
			['escaped asterisks are plain asterisks', '\\*not italic\\* 2\\*3', '*not italic* 2*3'],
			['escaped underscores, hashes and brackets', '\\_x\\_ \\# \\[y\\]', '_x_ # [y]'],
			['an escaped backslash', 'a \\\\ b', 'a \\ b'],
			['an escaped backtick', 'a \\`b\\` c', 'a `b` c'],
		]),
	)('%s', (_name, markdown, expected) => {
		expect(markdownToWhatsApp(markdown)).toBe(expected);
	});

	describe('code', () => {
		it('keeps a fenced code block exactly, without the language, and converts nothing inside it', () => {
			const markdown = 'Before **b**\n\n```typescript\nconst x = a**2 * b_c; // *not* _italic_\n  indented   \n\n# not a heading\n```\n\nAfter';
			expect(markdownToWhatsApp(markdown)).toBe('Before *b*\n\n```\nconst x = a**2 * b_c; // *not* _italic_\n  indented   \n\n# not a heading\n```\n\nAfter');
		});

		it('reads ~~~ fences and longer fences, and runs an unclosed block to the end', () => {
			expect(markdownToWhatsApp('~~~\ncode ~~~\n~~~')).toBe('```\ncode ~~~\n```');
			expect(markdownToWhatsApp('````md\n```\ninner\n```\n````')).toBe('```\n```\ninner\n```\n```');
			expect(markdownToWhatsApp('```\nunclosed\n**stays**')).toBe('```\nunclosed\n**stays**\n```');
		});

		it('strips the indentation of a fence inside a list item from its lines only', () => {
			expect(markdownToWhatsApp('1. Run:\n   ```bash\n   npm test\n     --watch\n   ```')).toBe('1. Run:\n```\nnpm test\n  --watch\n```');
		});

		it('drops an empty code block', () => {
			expect(markdownToWhatsApp('a\n\n```\n\n```\n\nb')).toBe('a\n\nb');
		});

		it('keeps inline code as it is; one with a backtick becomes monospace', () => {
			expect(markdownToWhatsApp('`a*b*c` and `__x__`')).toBe('`a*b*c` and `__x__`');
			expect(markdownToWhatsApp('``code with ` tick`` and ``x`y``')).toBe('```code with ` tick``` and ```x`y```');
			expect(markdownToWhatsApp('an ` unclosed backtick')).toBe('an ` unclosed backtick');
		});

		it('treats WhatsApp monospace written on one line as text, not a fence', () => {
			expect(markdownToWhatsApp('```monospace``` ok')).toBe('```monospace``` ok');
		});
	});

	describe('headings', () => {
		it.each(
			cases([
				['# Title', '# Title', '*Title*'],
				['closing hashes', '## Title ##', '*Title*'],
				['level 6', '###### Small', '*Small*'],
				['bold inside is not doubled', '# The **big** news', '*The big news*'],
				['italic inside stays', '### A _new_ plan', '*A _new_ plan*'],
				['a link inside', '## See [docs](https://d.example)', '*See docs (https://d.example)*'],
				['setext =', 'Title\n=====\ntext', '*Title*\ntext'],
				['setext -', 'Title\n---\ntext', '*Title*\ntext'],
				['empty heading', 'a\n#\nb', 'a\nb'],
			]),
		)('%s', (_name, markdown, expected) => {
			expect(markdownToWhatsApp(markdown)).toBe(expected);
		});
	});

	describe('links and images', () => {
		it.each(
			cases([
				['text (url)', 'Read [the guide](https://example.com/guide).', 'Read the guide (https://example.com/guide).'],
				['the URL alone when the text is the URL', '[https://x.example/a](https://x.example/a)', 'https://x.example/a'],
				['the URL alone when the text is the URL without https:// or www.', '[www.example.com](https://www.example.com/)', 'https://www.example.com/'],
				['the URL alone for an empty text', '[](https://empty.example)', 'https://empty.example'],
				['formatting in the link text', '[**Buy now**](https://shop.example)', '*Buy now* (https://shop.example)'],
				['a title is dropped', '[a](https://a.example "The A")', 'a (https://a.example)'],
				['a URL in <>', '[a](<https://a.example/x y>)', 'a (https://a.example/x y)'],
				['parentheses in the URL', '[wiki](https://en.wikipedia.org/wiki/Foo_(bar)) ok', 'wiki (https://en.wikipedia.org/wiki/Foo_(bar)) ok'],
				['mailto', '[Mail us](mailto:hi@example.com)', 'Mail us (hi@example.com)'],
				['an image as its URL', 'Look: ![a chart](https://img.example/c_1.png "Chart")', 'Look: https://img.example/c_1.png'],
				['autolinks', '<https://auto.example/a_b> or <mailto:x@y.example> or <x@y.example>', 'https://auto.example/a_b or x@y.example or x@y.example'],
				['reference links', '[The docs][d], [d][] and [d].\n\n[d]: https://docs.example/x_y "Docs"', 'The docs (https://docs.example/x_y), d (https://docs.example/x_y) and d (https://docs.example/x_y).'],
			]),
		)('%s', (_name, markdown, expected) => {
			expect(markdownToWhatsApp(markdown)).toBe(expected);
		});

		it('keeps a reference definition inside a code block', () => {
			expect(markdownToWhatsApp('```\n[d]: https://x.example\n```')).toBe('```\n[d]: https://x.example\n```');
		});
	});

	describe('blocks', () => {
		it('turns every bullet into "- " (never "*", which could read as bold), keeping nesting and converting the items', () => {
			expect(markdownToWhatsApp('- one\n* **two**\n+ three\n  - nested _x_\n    * deeper')).toBe('- one\n- *two*\n- three\n  - nested _x_\n    - deeper');
		});

		it('keeps numbered lists as "1. "', () => {
			expect(markdownToWhatsApp('1. first\n2) second\n10. tenth')).toBe('1. first\n2. second\n10. tenth');
		});

		it('shows task lists as boxes', () => {
			expect(markdownToWhatsApp('- [ ] open\n- [x] done\n- [X] done too')).toBe('- ☐ open\n- ☑ done\n- ☑ done too');
		});

		it('keeps quotes, converts inside them, and flattens nested quotes (WhatsApp has one level)', () => {
			expect(markdownToWhatsApp('> **Note:** read\n>> nested\n>\n> - item')).toBe('> *Note:* read\n> nested\n\n> - item');
		});

		it.each([['---'], ['***'], ['___'], ['- - -'], ['* * *'], ['_____']])('draws %p as a rule', (rule) => {
			expect(markdownToWhatsApp(`above\n\n${rule}\n\nbelow`)).toBe(`above\n\n${RULE_LINE}\n\nbelow`);
		});

		it('writes a table as a bold header line and one line per row', () => {
			const markdown = 'Prices:\n\n| Product | Price |\n|:---|---:|\n| **Tea** | 3 € |\n| `a|b` | 5 \\| 6 |\n\nThanks';
			expect(markdownToWhatsApp(markdown)).toBe('Prices:\n\n*Product* | *Price*\n*Tea* | 3 €\n`a|b` | 5 | 6\n\nThanks');
		});

		it('ends hard line breaks, drops trailing spaces and extra blank lines, keeps tabs', () => {
			expect(markdownToWhatsApp('\n\nline  \nnext\\\nlast\t \n\n\n\n\nmore\ttab\n\n')).toBe('line\nnext\nlast\n\nmore\ttab');
		});

		it('reads Windows line ends', () => {
			expect(markdownToWhatsApp('# A\r\n\r\n**b**\r\n')).toBe('*A*\n\n*b*');
		});
	});

	it('converts a typical AI answer', () => {
		const answer = [
			'## Your order',
			'',
			'Thanks for asking! Here is what I found:',
			'',
			'1. **Order 4711** was shipped on *Monday*.',
			'2. The tracking link is [DHL](https://dhl.example/track?id=4711_a).',
			'',
			'> Delivery takes ~2 days.',
			'',
			'---',
			'',
			'Use `CODE_10` for 10 % off your next_order.',
		].join('\n');
		expect(markdownToWhatsApp(answer)).toBe(
			[
				'*Your order*',
				'',
				'Thanks for asking! Here is what I found:',
				'',
				'1. *Order 4711* was shipped on _Monday_.',
				'2. The tracking link is DHL (https://dhl.example/track?id=4711_a).',
				'',
				'> Delivery takes ~2 days.',
				'',
				RULE_LINE,
				'',
				'Use `CODE_10` for 10 % off your next_order.',
			].join('\n'),
		);
	});

	it('is stable: converting its own output again changes nothing for text without Markdown-only syntax', () => {
		const once = markdownToWhatsApp('Hello *there*, see https://a.example/b_c and `x_y`.\n- one\n1. two\n> three');
		expect(markdownToWhatsApp(once)).toBe(once.replace('*there*', '_there_'));
	});

	it('handles long and hostile input in linear-ish time', () => {
		const hostile = '*a '.repeat(20_000) + '[('.repeat(5_000) + '`'.repeat(3_000) + '_'.repeat(10_000);
		const started = Date.now();
		const out = markdownToWhatsApp(hostile);
		expect(out.length).toBeGreaterThan(0);
		expect(Date.now() - started).toBeLessThan(5_000);
	});
});
