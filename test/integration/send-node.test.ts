/**
 * The Send node as a whole, executed by n8n-core's engine against the local emulator:
 * envelope and output shape, validation before any request, Continue On Fail, input order under
 * concurrency, and a 429 storm that still ends with every message sent exactly once.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { ENVELOPE, TO_WA_ID } from '../support/bodies';
import { validateSendBody } from '../support/metaSpec';
import { runSendNode, type SendNodeOptions } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

/** A text message unless the test says otherwise. */
function send(parameters: INodeParameters, input?: INodeExecutionData[], extra: SendNodeOptions = {}) {
	return runSendNode(emulator, { messageType: 'text', ...parameters }, input, extra);
}

const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ json: { phone: `+49 151 ${String(10000000 + i)}`, name: `Customer ${i}` } }));

describe('Send node: text through n8n', () => {
	it('sends the exact body and outputs messageId, waId, input, type and recipient', async () => {
		const { items, error } = await send(
			{
				to: '={{ $json.phone }}',
				textBody: '=Hello {{ $json.name }} *bold*',
				previewUrl: true,
				options: { replyToMessageId: 'wamid.QUOTED', bizOpaqueCallbackData: 'crm-42' },
			},
			[{ json: { phone: '+49 (151) 1234-5678', name: 'Max' } }],
		);
		expect(error).toBeUndefined();
		const expectedBody = {
			...ENVELOPE,
			context: { message_id: 'wamid.QUOTED' },
			biz_opaque_callback_data: 'crm-42',
			type: 'text',
			text: { body: 'Hello Max *bold*', preview_url: true },
		};
		expect(emulator.messages().map((message) => message.body)).toEqual([expectedBody]);
		expect(validateSendBody(expectedBody)).toMatchObject({ valid: true, errors: [] });
		const sent = emulator.messages()[0];
		expect(items).toEqual([
			{
				json: { messageId: sent.wamid, messageStatus: 'accepted', waId: TO_WA_ID, input: TO_WA_ID, type: 'text', to: TO_WA_ID },
				pairedItem: { item: 0 },
			},
		]);
		expect(JSON.stringify(items)).not.toContain(emulator.apiKey);
	});

	it('sends to a BSUID with `recipient` instead of `to`', async () => {
		const { items, error } = await send({ to: 'DE.1300ABCdef123', textBody: 'hi' });
		expect(error).toBeUndefined();
		expect(emulator.messages()[0].body).toMatchObject({ recipient: 'DE.1300ABCdef123', type: 'text' });
		expect(emulator.messages()[0].body).not.toHaveProperty('to');
		expect(items[0].json).toMatchObject({ recipient: 'DE.1300ABCdef123', messageId: emulator.messages()[0].wamid });
	});

	it('fails a bad item before ANY request is made, naming the item and the field', async () => {
		const input = rows(3);
		input[2].json.name = 'x'.repeat(4100);
		const { error } = await send({ to: '={{ $json.phone }}', textBody: '={{ $json.name }}' }, input);
		expect(error?.message).toBe('Text has 4100 characters; WhatsApp allows 4096. Turn on "Split Long Text Into Several Messages" to send it as several messages [item 2]');
		expect(error?.description).toBe('Field "Text" of item 2. This item was not sent.');
		expect(emulator.requests()).toHaveLength(0);
	});

	it('refuses an object or a list mapped into a text field, naming the field, the item and what came in', async () => {
		const input = rows(3);
		input[1].json.name = { first: 'Max', last: 'Mustermann' } as never;
		const { error } = await send({ to: '={{ $json.phone }}', textBody: '={{ $json.name }}' }, input);
		expect(error?.message).toBe(
			'Text must be text, but the expression gave an object: {"first":"Max","last":"Mustermann"}. Map one of its fields (for example {{ $json.customer.name }}) or join the list. [item 1]',
		);
		expect(emulator.requests()).toHaveLength(0);

		const list = rows(1);
		list[0].json.name = ['a', 'b'] as never;
		const listed = await send({ to: '={{ $json.phone }}', textBody: '={{ $json.name }}', options: { bizOpaqueCallbackData: '={{ $json.name }}' } }, list);
		expect(listed.error?.message).toMatch(/^Text must be text, but the expression gave a list: \["a","b"\]/);

		// a number is plainly meant as text
		const numbers = rows(1);
		numbers[0].json.name = 4711 as never;
		const sent = await send({ to: '={{ $json.phone }}', textBody: '={{ $json.name }}' }, numbers);
		expect(sent.error).toBeUndefined();
		expect((emulator.messages().at(-1)?.body as { text: { body: string } }).text.body).toBe('4711');
	});

	it('reports an impossible phone number with the input and the reason', async () => {
		const { error } = await send({ to: '+49 123', textBody: 'hi' });
		expect(error?.message).toBe('"+49 123" is not a valid phone number: too short for Germany (DE) [item 0]');
		expect(emulator.requests()).toHaveLength(0);
	});

	it('with Continue On Fail, sends the good items and marks the bad one', async () => {
		const input = rows(4);
		input[1].json.phone = 'not a phone';
		const { items, error } = await send({ to: '={{ $json.phone }}', textBody: '=Hi {{ $json.name }}' }, input, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(4);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[1].json.error).toMatch(/^"not a phone" is not a valid phone number.*\[item 1\]$/);
		expect(emulator.messages().map((message) => (message.body as { text: { body: string } }).text.body)).toEqual([
			'Hi Customer 0',
			'Hi Customer 2',
			'Hi Customer 3',
		]);
		for (const index of [0, 2, 3]) expect(items[index].json.messageId).toMatch(/^wamid\./);
	});

	it('with Continue On Fail, an API error fails only its item', async () => {
		emulator.injectFaults({ status: 400, count: 1, body: { error: { message: '(#131026) Message undeliverable', code: 131026 } } });
		const { items } = await send({ to: '={{ $json.phone }}', textBody: 'hi', options: { maxConcurrent: 1 } }, rows(3), { continueOnFail: true });
		expect(items[0].json.error).toMatch(/^WhatsApp error 131026: Message undeliverable\. The message could not be delivered/);
		expect(items[1].json.messageId).toMatch(/^wamid\./);
		expect(items[2].json.messageId).toMatch(/^wamid\./);
		expect(emulator.messages()).toHaveLength(2);
	});

	it('keeps input order under concurrency', async () => {
		emulator.injectFaults({ latencyMs: 30 });
		const input = rows(40);
		const { items, error } = await send({ to: '={{ $json.phone }}', textBody: '=Hi {{ $json.name }}', options: { maxConcurrent: 10 } }, input);
		expect(error).toBeUndefined();
		const wamidByText = new Map(emulator.messages().map((message) => [(message.body as { text: { body: string } }).text.body, message.wamid]));
		expect(items.map((item) => item.json.messageId)).toEqual(input.map((row) => wamidByText.get(`Hi ${row.json.name}`)));
		expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
	});

	it('a 429 storm ends with every message sent exactly once', async () => {
		emulator.injectFaults({ status: 429, count: 60, retryAfter: 0, path: '/messages' });
		const input = rows(30);
		const { items, error } = await send(
			{ to: '={{ $json.phone }}', textBody: '=Hi {{ $json.name }}', options: { maxRetries: 10, retryBaseDelayMs: 5, maxConcurrent: 10 } },
			input,
		);
		expect(error).toBeUndefined();
		const texts = emulator.messages().map((message) => (message.body as { text: { body: string } }).text.body);
		expect(texts.sort()).toEqual(input.map((row) => `Hi ${row.json.name}`).sort());
		expect(new Set(items.map((item) => item.json.messageId)).size).toBe(30);
		const answered429 = emulator.requests().filter((request) => request.statusCode === 429);
		expect(answered429).toHaveLength(60);
		expect(items.reduce((sum, item) => sum + Number(item.json.retries ?? 0), 0)).toBe(60);
	});

	it('stops and fails when retries run out, without resending accepted messages', async () => {
		emulator.injectFaults({ status: 503, count: 100, path: '/messages' });
		const { error } = await send({ to: '+4915112345678', textBody: 'hi', options: { maxRetries: 2, retryBaseDelayMs: 1 } });
		expect(error?.message).toBe('WhatsApp error 131016: Service unavailable. WhatsApp had a temporary problem. Try again in a moment.');
		expect(emulator.requests().filter((request) => request.url === '/messages')).toHaveLength(3);
		expect(emulator.messages()).toHaveLength(0);
	});
});
