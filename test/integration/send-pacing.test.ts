/**
 * Per-customer pacing through n8n-core's engine against the emulator with WhatsApp's pair rate
 * limit on (131056 when one customer gets too many messages too fast). The emulator's interval is
 * scaled down to 300 ms (Meta: 6 s) and the node is told the same, so the tests stay short.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

const INTERVAL_MS = 300;
const BURST = 3;
const busy = '+49 151 99999999';
const others = (count: number) => Array.from({ length: count }, (_, i) => `+49 151 ${String(10000000 + i)}`);

function input(phones: string[]): INodeExecutionData[] {
	return phones.map((phone, i) => ({ json: { phone, text: `Message ${i}` } }));
}

async function send(phones: string[], options: Record<string, unknown>, continueOnFail = false) {
	return await runSendNode(
		emulator,
		{ messageType: 'text', to: '={{ $json.phone }}', textBody: '={{ $json.text }}', options: { retryBaseDelayMs: 10, ...options } },
		input(phones),
		{ continueOnFail },
	);
}

/** The emulator's answers to /messages: how many were refused with 131056. */
function pairRefusals(): number {
	return emulator.requests().filter((request) => request.url === '/messages' && request.statusCode === 400).length;
}

describe('Send node: messages to one customer stay under the pair rate limit', () => {
	beforeEach(() => {
		emulator.injectFaults({ pairRateLimit: { intervalMs: INTERVAL_MS, burst: BURST } });
	});

	it('paced: 8 messages to one customer mixed with 8 to others → all sent, none refused, in order, spaced', async () => {
		const phones = others(8).flatMap((phone) => [phone, busy]);
		const { items, error } = await send(phones, { customerIntervalSeconds: INTERVAL_MS / 1000, customerBurst: BURST });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(16);
		expect(items.every((item, index) => item.pairedItem && (item.pairedItem as { item: number }).item === index && item.json.messageId)).toBe(true);
		expect(pairRefusals()).toBe(0);

		const toBusy = emulator.messages().filter((message) => message.waId === '4915199999999');
		// One after the other, in input order.
		expect(toBusy.map((message) => (message.body as { text: { body: string } }).text.body)).toEqual(
			phones.flatMap((phone, index) => (phone === busy ? [`Message ${index}`] : [])),
		);
		// A bucket of 3 refilled once per interval: message k no earlier than (k - 2) intervals after the first
		// (a little slack for timer rounding); single gaps may be shorter when the bucket had refilled a bit.
		const times = toBusy.map((message) => Date.parse(message.receivedAt));
		for (let k = BURST; k < times.length; k++) expect(times[k] - times[0]).toBeGreaterThanOrEqual((k - BURST + 1) * INTERVAL_MS - 30);
		// The others did not wait for the busy customer: all of them were in before its 4th message.
		const otherTimes = emulator.messages().filter((message) => message.waId !== '4915199999999').map((message) => Date.parse(message.receivedAt));
		expect(Math.max(...otherTimes)).toBeLessThan(times[BURST]);
	});

	it('not paced: WhatsApp refuses with 131056, and the node retries after the customer interval until it goes through', async () => {
		const phones = [busy, busy, busy, busy, busy];
		const { items, error } = await send(phones, { pacePerCustomer: false, customerIntervalSeconds: INTERVAL_MS / 1000, maxRetries: 6, maxConcurrent: 1 });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.messageId !== undefined)).toEqual([true, true, true, true, true]);
		expect(pairRefusals()).toBeGreaterThan(0);
		expect(items.slice(BURST).every((item) => Number(item.json.retries) >= 1)).toBe(true);
		expect(emulator.messages()).toHaveLength(5);
	});

	it('not paced and no retries left: the item fails with 131056 and says what to do; nothing is sent twice', async () => {
		const phones = [busy, busy, busy, busy];
		const { items, error } = await send(phones, { pacePerCustomer: false, maxRetries: 0, maxConcurrent: 1 }, true);
		expect(error).toBeUndefined();
		expect(items.slice(0, BURST).every((item) => typeof item.json.messageId === 'string')).toBe(true);
		const failed = items[BURST].json as { error?: string; description?: string };
		expect(failed.error).toMatch(/131056|same customer/);
		expect(JSON.stringify(items[BURST].json)).toContain('Pace Messages per Customer');
		expect(emulator.messages()).toHaveLength(BURST);
	});

	it('a customer who already used their budget in an earlier execution: the 131056 is retried, later messages wait too', async () => {
		// An earlier execution used up the burst without the node knowing.
		await send([busy, busy, busy], { customerIntervalSeconds: INTERVAL_MS / 1000, customerBurst: BURST });
		const { items, error } = await send([busy, busy], { customerIntervalSeconds: INTERVAL_MS / 1000, customerBurst: BURST, maxRetries: 3 });
		expect(error).toBeUndefined();
		expect(items.map((item) => typeof item.json.messageId)).toEqual(['string', 'string']);
		expect(Number(items[0].json.retries)).toBeGreaterThanOrEqual(1);
	});
});
