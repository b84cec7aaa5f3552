/**
 * Text: the exact body, the 4,096 limit, and the two options for text written by AI models
 * (Markdown → WhatsApp formatting, splitting into several messages), every body checked against
 * Meta's spec. Through the node: test/integration/send-text-split.test.ts.
 */
import { characterCount } from '../../../nodes/common/validation';
import { TEXT_BODY_LIMIT, textMessage } from '../../../nodes/Dialog360/messageTypes/text';
import { envelope } from '../../support/bodies';
import { validateSendBody } from '../../support/metaSpec';
import { build, fieldError } from './stubBuildContext';

const bodyText = (body: unknown) => (body as { text: { body: string } }).text.body;

describe('text message', () => {
	it('sends the text as it is by default, Markdown included', async () => {
		const built = await build(textMessage, { textBody: 'Hi **Max**', previewUrl: true });
		expect(built).toEqual({ body: { type: 'text', text: { body: 'Hi **Max**', preview_url: true } } });
		expect(validateSendBody(envelope(built.body)).errors).toEqual([]);
	});

	it('refuses more than 4096 characters (emoji count once) and names the Split option', async () => {
		expect(bodyText((await build(textMessage, { textBody: '😀'.repeat(TEXT_BODY_LIMIT) })).body)).toHaveLength(2 * TEXT_BODY_LIMIT);
		const error = await fieldError(() => build(textMessage, { textBody: '😀'.repeat(TEXT_BODY_LIMIT + 1) }));
		expect([error.field, error.message]).toEqual([
			'Text',
			'Text has 4097 characters; WhatsApp allows 4096. Turn on "Split Long Text Into Several Messages" to send it as several messages',
		]);
	});

	it('requires text, also after the conversion', async () => {
		expect((await fieldError(() => build(textMessage, { textBody: '  ' }))).message).toBe('Text is required');
		expect((await fieldError(() => build(textMessage, { textBody: '[x]: https://only.a.definition', convertMarkdown: true }))).message).toBe('Text is required');
	});

	it('converts Markdown when asked', async () => {
		const built = await build(textMessage, { textBody: '# Hello\n\n**Max**, see [the shop](https://shop.example).', convertMarkdown: true });
		expect(built).toEqual({ body: { type: 'text', text: { body: '*Hello*\n\n*Max*, see the shop (https://shop.example).' } } });
		expect(validateSendBody(envelope(built.body)).errors).toEqual([]);
	});

	it('checks the limit after the conversion: Markdown that shrinks below 4096 is sent as one message', async () => {
		const markdown = `**${'a'.repeat(TEXT_BODY_LIMIT - 2)}**`; // 4098 characters, 4096 once converted
		const built = await build(textMessage, { textBody: markdown, convertMarkdown: true });
		expect(characterCount(bodyText(built.body))).toBe(TEXT_BODY_LIMIT);
		expect(built.followUps).toBeUndefined();
	});

	it('with Split on, a text that fits is one message with an empty list of further parts', async () => {
		const built = await build(textMessage, { textBody: 'short', splitLongText: true });
		expect(built).toEqual({ body: { type: 'text', text: { body: 'short' } }, followUps: [] });
	});

	it('with Split on, a long text becomes parts in order, each within the limit, each with the link preview', async () => {
		const paragraphs = Array.from({ length: 36 }, (_, i) => `Paragraph ${i} with a link https://example.com/p_${i} and more words to fill the line. `.repeat(3).trim());
		const text = paragraphs.join('\n\n');
		const built = await build(textMessage, { textBody: text, splitLongText: true, previewUrl: true });
		const bodies = [built.body, ...(built.followUps ?? [])];
		expect(characterCount(text)).toBeGreaterThan(2 * TEXT_BODY_LIMIT);
		expect(bodies.length).toBe(3);
		expect(bodies.map(bodyText).join('\n\n')).toBe(text);
		for (const body of bodies) {
			expect(body).toEqual({ type: 'text', text: { body: expect.any(String), preview_url: true } });
			expect(characterCount(bodyText(body))).toBeLessThanOrEqual(TEXT_BODY_LIMIT);
			expect(validateSendBody(envelope(body)).errors).toEqual([]);
		}
	});

	it('converts first, then splits the converted text', async () => {
		const markdown = Array.from({ length: 200 }, (_, i) => `## Step ${i}\n\n**Do** the _thing_ number ${i}, see [docs](https://docs.example/s_${i}).`).join('\n\n');
		const built = await build(textMessage, { textBody: markdown, convertMarkdown: true, splitLongText: true });
		const parts = [built.body, ...(built.followUps ?? [])].map(bodyText);
		expect(parts.length).toBeGreaterThan(1);
		expect(parts[0].startsWith('*Step 0*\n\n*Do* the _thing_ number 0, see docs (https://docs.example/s_0).')).toBe(true);
		for (const part of parts) {
			expect(characterCount(part)).toBeLessThanOrEqual(TEXT_BODY_LIMIT);
			expect(part).not.toContain('**');
			expect(part).toMatch(/^\*(?:Step \d+|Do)\*/); // every part starts with a paragraph
		}
	});

	it('refuses a text that would need more messages than Maximum Messages per Text (default 5), sending none', async () => {
		const word = 'lorem ipsum dolor sit amet. ';
		const sixParts = word.repeat(Math.ceil((5 * TEXT_BODY_LIMIT + 100) / word.length));
		const error = await fieldError(() => build(textMessage, { textBody: sixParts, splitLongText: true }));
		expect(error.field).toBe('Maximum Messages per Text');
		expect(error.message).toMatch(/^Text would be sent as 6 messages \(\d+ characters\); Maximum Messages per Text is 5\. Shorten the text/);
		const allowed = await build(textMessage, { textBody: sixParts, splitLongText: true, maxParts: 6 });
		expect(1 + (allowed.followUps?.length ?? 0)).toBe(6);
	});
});
