/**
 * Text written by an AI model through the Send node inside n8n-core, against the emulator:
 * Markdown converted, a 10,000-character answer sent as 3 messages in order (one output item with
 * every id), Reply To on the first part only, and a failure in part 2 that names what was sent.
 * The converter and the splitter alone: test/unit/send/markdown.test.ts, split.test.ts, text.test.ts.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { characterCount } from '../../nodes/common/validation';
import { markdownToWhatsApp } from '../../nodes/Dialog360/textFormatting/markdown';
import { ENVELOPE, TO } from '../support/bodies';
import { validateSendBody } from '../support/metaSpec';
import { acceptedBodies, runSendNode, type SendNodeOptions } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

const AI_OPTIONS = { convertMarkdown: true, splitLongText: true };

function send(parameters: INodeParameters, input?: INodeExecutionData[], extra: SendNodeOptions = {}) {
	return runSendNode(emulator, { messageType: 'text', to: TO, ...parameters }, input, extra);
}

/** An answer as an AI Agent writes it: headings, bold, lists, links, a code block; about `length` characters. */
function aiAnswer(length: number): string {
	const sections: string[] = [];
	for (let n = 1; sections.join('\n\n').length < length; n++) {
		sections.push(
			[
				`## Step ${n}: check the **order** settings`,
				'',
				`In step ${n} you open the shop's *order* page and look at the settings one by one. The page lists every order with its status, its customer and the date it was placed.`,
				'',
				`- Open [the order page](https://shop.example/orders?step=${n}&sort=date_desc)`,
				'- Pick the order with the `order_id` you got by e-mail',
				`- Compare the total: 2*3*4 = 24 items at ~~€ 5~~ **€ 4** each`,
				'',
				'```json',
				`{ "order_id": "A-${n}", "status": "shipped" }`,
				'```',
				'',
				'> Tip: the page remembers your filters.',
			].join('\n'),
		);
	}
	return sections.join('\n\n');
}

const bodyText = (body: unknown) => (body as { text: { body: string } }).text.body;

describe('Send node: text written by an AI model', () => {
	it('sends a 10,000-character Markdown answer as 3 WhatsApp messages in order, and outputs one item with the 3 ids', async () => {
		const answer = aiAnswer(10_000);
		expect(characterCount(answer)).toBeGreaterThan(10_000);
		const { items, error } = await send(
			{ textBody: '={{ $json.output }}', previewUrl: true, ...AI_OPTIONS, options: { replyToMessageId: 'wamid.QUESTION', bizOpaqueCallbackData: 'ticket-7' } },
			[{ json: { output: answer } }],
		);
		expect(error).toBeUndefined();

		const received = emulator.messages();
		expect(received).toHaveLength(3);
		const bodies = acceptedBodies(emulator);
		for (const [index, body] of bodies.entries()) {
			expect(validateSendBody(body)).toMatchObject({ valid: true, errors: [] });
			expect(body).toEqual({
				...ENVELOPE,
				// Reply To quotes the question with the first part only; the tracking data marks every part.
				...(index === 0 ? { context: { message_id: 'wamid.QUESTION' } } : {}),
				biz_opaque_callback_data: 'ticket-7',
				type: 'text',
				text: { body: expect.any(String), preview_url: true },
			});
			expect(characterCount(bodyText(body))).toBeLessThanOrEqual(4096);
			expect(bodyText(body)).not.toMatch(/\*\*|\[the order page\]|```json/);
		}
		// Cut between paragraphs only, in order: the messages one after the other are the whole converted answer.
		expect(bodies.map(bodyText).join('\n\n')).toBe(markdownToWhatsApp(answer));
		const steps = bodies.flatMap((body) => [...bodyText(body).matchAll(/^\*Step (\d+):/gm)].map((match) => Number(match[1])));
		expect(steps).toEqual(steps.map((_, index) => index + 1));
		expect(bodyText(bodies[0])).toContain('Open the order page (https://shop.example/orders?step=1&sort=date_desc)');
		expect(bodyText(bodies[0])).toContain('2*3*4 = 24 items at ~€ 5~ *€ 4* each');
		expect(bodyText(bodies[0])).toContain('```\n{ "order_id": "A-1", "status": "shipped" }\n```');

		expect(items).toEqual([
			{
				json: {
					messageId: received[0].wamid,
					messageIds: received.map((message) => message.wamid),
					parts: 3,
					messageStatus: 'accepted',
					waId: ENVELOPE.to,
					input: ENVELOPE.to,
					type: 'text',
					to: ENVELOPE.to,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('with Split on, a short answer is one message and still lists its id', async () => {
		const { items, error } = await send({ textBody: '**Yes**, it shipped.', ...AI_OPTIONS });
		expect(error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([{ ...ENVELOPE, type: 'text', text: { body: '*Yes*, it shipped.' } }]);
		expect(items[0].json).toMatchObject({ messageId: emulator.messages()[0].wamid, messageIds: [emulator.messages()[0].wamid], parts: 1 });
	});

	it('sends the parts of several items each in order to their own recipient, one output item per input item', async () => {
		const input = ['+49 151 10000001', '+49 151 10000002', '+49 151 10000003'].map((phone, n) => ({ json: { phone, output: aiAnswer([5_000, 6_000, 10_000][n]) } }));
		const { items, error } = await send({ to: '={{ $json.phone }}', textBody: '={{ $json.output }}', ...AI_OPTIONS, options: { maxConcurrent: 3 } }, input);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const [index, item] of items.entries()) {
			const to = `4915110000${String(index + 1).padStart(3, '0')}`;
			const mine = emulator.messages().filter((message) => (message.body as { to: string }).to === to);
			expect(item.json.messageIds).toEqual(mine.map((message) => message.wamid));
			expect(item.json.parts).toBe(mine.length);
			expect(item.json.messageId).toBe(mine[0].wamid);
			const steps = mine.flatMap((message) => [...bodyText(message.body).matchAll(/^\*Step (\d+):/gm)].map((match) => Number(match[1])));
			expect(steps).toEqual(steps.map((_, step) => step + 1));
		}
		expect(items.map((item) => item.json.parts)).toEqual([2, 2, 3]);
	});

	it('sends a code block longer than a message as monospace in every part, its lines untouched', async () => {
		const lines = Array.from({ length: 300 }, (_, n) => `  row_${n} = compute(a*${n}, b_${n});  // **not bold**`);
		const answer = `Here is the script:\n\n\`\`\`python\n${lines.join('\n')}\n\`\`\`\n\nRun it with *care*. 😀`;
		const { items, error } = await send({ textBody: answer, ...AI_OPTIONS });
		expect(error).toBeUndefined();
		const bodies = acceptedBodies(emulator);
		expect(bodies.length).toBeGreaterThan(3);
		expect(items[0].json.parts).toBe(bodies.length);
		const texts = bodies.map(bodyText);
		for (const [index, body] of bodies.entries()) {
			expect(validateSendBody(body)).toMatchObject({ valid: true, errors: [] });
			expect(characterCount(texts[index])).toBeLessThanOrEqual(4096);
			expect(texts[index].split('```').length % 2).toBe(1);
		}
		expect(texts[0]).toBe('Here is the script:');
		expect(texts[texts.length - 1].endsWith('```\n\nRun it with _care_. 😀')).toBe(true);
		const sentLines = texts.join('\n').split('\n');
		expect(sentLines.filter((line) => line.startsWith('  row_'))).toEqual(lines);
	});

	it('fails the item when part 2 fails, naming the item and the id of part 1, and sends no part 3', async () => {
		emulator.injectFaults({ status: 500, path: '/messages', after: 1 });
		const { items, error } = await send({ textBody: aiAnswer(10_000), ...AI_OPTIONS });
		expect(items).toEqual([]);
		const sent = emulator.messages();
		expect(sent).toHaveLength(1);
		expect(error?.message).toBe(
			`Part 2 of 3 failed; part 1 was sent (${sent[0].wamid}): WhatsApp error 131000: Something went wrong. WhatsApp had a temporary problem. Try again in a moment. [item 0]`,
		);
		expect(error?.description).toMatch(/^Item 0 was sent only in part: parts 2–3 were not sent\. Do not send the whole text again, or the customer gets the first part twice\./);
		expect(emulator.requests().filter((request) => request.url === '/messages')).toHaveLength(2);
	});

	it('with Continue On Fail, the failed item carries the ids already sent and the next item is sent whole', async () => {
		emulator.injectFaults({ status: 500, path: '/messages', after: 1 });
		const input = [{ json: { output: aiAnswer(10_000) } }, { json: { output: aiAnswer(6_000) } }];
		const { items, error } = await send({ textBody: '={{ $json.output }}', ...AI_OPTIONS, options: { maxConcurrent: 1 } }, input, { continueOnFail: true });
		expect(error).toBeUndefined();
		const sent = emulator.messages().map((message) => message.wamid);
		expect(sent).toHaveLength(3); // part 1 of item 0, both parts of item 1
		expect(items[0]).toEqual({
			json: {
				error: expect.stringContaining(`Part 2 of 3 failed; part 1 was sent (${sent[0]}): WhatsApp error 131000`),
				errorDescription: expect.stringContaining('parts 2–3 were not sent'),
				messageIds: [sent[0]],
				partsSent: 1,
				parts: 3,
			},
			pairedItem: { item: 0 },
		});
		expect(items[1]).toMatchObject({ json: { messageId: sent[1], messageIds: [sent[1], sent[2]], parts: 2 }, pairedItem: { item: 1 } });
	});

	it('without Split, a text over 4096 characters fails before anything is sent and names the option', async () => {
		const { error } = await send({ textBody: aiAnswer(5_000), convertMarkdown: true });
		expect(error?.message).toMatch(/^Text has \d+ characters; WhatsApp allows 4096\. Turn on "Split Long Text Into Several Messages" to send it as several messages \[item 0\]$/);
		expect(emulator.requests()).toHaveLength(0);
	});
});
