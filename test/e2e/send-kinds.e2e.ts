/**
 * The Send node's newer sending behaviour in a REAL n8n (pinned 2.41.1, package installed from its tarball by
 * scripts/e2e.sh), headless (`n8n execute`), against the in-process emulator:
 *
 *   - per-customer pacing: rows for one busy customer mixed with rows for others, the emulator enforcing
 *     WhatsApp's pair rate limit (131056) scaled down → every message sent, none refused, the busy customer's
 *     messages in input order;
 *   - a marketing template through the Marketing Messages API (MM Lite) → posted to /marketing_messages;
 *   - an object mapped into a text field → the run fails naming the field and the item, nothing is sent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { startEmulator, type Emulator } from '../emulator';
import { N8n } from './lib/n8n';
import { emulatorCredential, manualTrigger, node, nodeOutput, sendNode, setNode, WorkflowBuilder } from './lib/workflow';

const BUSY = '+49 151 99999999';
const BUSY_WA_ID = '4915199999999';
const INTERVAL_MS = 500;
const BURST = 2;

/** Manual → Set (a `rows` list) → Split Out → the given Send node. */
function rowsWorkflow(name: string, id: string, rows: Array<Record<string, unknown>>, send: ReturnType<typeof sendNode>) {
	const wf = new WorkflowBuilder(name, id);
	wf.add(manualTrigger('Start'));
	wf.add(setNode('Rows', { rows }), 'Start');
	wf.add(node('Each Row', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'rows', include: 'noOtherFields', options: {} }), 'Rows');
	wf.add(send, 'Each Row');
	return wf.build();
}

describe('e2e: sending — per-customer pacing, Marketing Messages API, values refused', () => {
	let emulator: Emulator;
	let n8n: N8n;
	const ids = { pacing: 'e2eSendPacingWf', marketing: 'e2eSendMarketingWf', values: 'e2eSendValuesWf' };
	const pacingRows = Array.from({ length: 6 }, (_, i) => [
		{ phone: `+49 151 ${String(10000000 + i)}`, text: `Other ${i}` },
		{ phone: BUSY, text: `Busy ${i}` },
	]).flat();

	before(async () => {
		emulator = await startEmulator();
		n8n = await N8n.fresh({ env: {} });
		await n8n.importCredentials([emulatorCredential(emulator.url)]);
		await n8n.importWorkflow([
			rowsWorkflow(
				'e2e: paced per customer',
				ids.pacing,
				pacingRows,
				sendNode('Send', {
					messageType: 'text',
					to: '={{ $json.phone }}',
					textBody: '={{ $json.text }}',
					options: { customerIntervalSeconds: INTERVAL_MS / 1000, customerBurst: BURST },
				}),
			),
			rowsWorkflow(
				'e2e: marketing messages api',
				ids.marketing,
				[{ phone: '+49 151 12345678', name: 'Erika' }],
				sendNode('Send', {
					messageType: 'template',
					to: '={{ $json.phone }}',
					template: { __rl: true, mode: 'name', value: 'welcome_customer|de' },
					templateParameterMode: 'json',
					templateParametersJson: '={{ JSON.stringify({ "body.first_name": $json.name, "body.shop_name": "Example Shop" }) }}',
					templateViaMarketingMessages: true,
					templateActivitySharing: 'on',
				}),
			),
			rowsWorkflow(
				'e2e: an object in a text field',
				ids.values,
				[
					{ phone: '+49 151 12345678', customer: { name: 'Max' } },
					{ phone: '+49 151 12345679', customer: { name: 'Erika' } },
				],
				sendNode('Send', { messageType: 'text', to: '={{ $json.phone }}', textBody: '={{ $json.customer }}' }),
			),
		]);
	});

	after(async () => {
		await n8n?.dispose();
		await emulator?.close();
	});

	test('one busy customer among others: all sent within the pair rate limit, in order, the others not held up', async () => {
		await emulator.reset();
		emulator.injectFaults({ pairRateLimit: { intervalMs: INTERVAL_MS, burst: BURST } });
		const res = await n8n.execute(ids.pacing);
		assert.ok(res.ok, `run failed: ${res.errorMessage}`);
		const out = nodeOutput(res.run, 'Send');
		assert.equal(out.length, pacingRows.length);
		assert.ok(out.every((item) => String(item.messageId).startsWith('wamid.')), JSON.stringify(out));
		assert.equal(emulator.requests().filter((request) => request.url === '/messages' && request.statusCode !== 200).length, 0, 'no 131056');

		const busy = emulator.messages().filter((message) => message.waId === BUSY_WA_ID);
		assert.deepEqual(
			busy.map((message) => (message.body as { text: { body: string } }).text.body),
			pacingRows.filter((row) => row.phone === BUSY).map((row) => row.text),
		);
		const times = busy.map((message) => Date.parse(message.receivedAt));
		// A bucket of BURST refilled once per interval: message k no earlier than (k - BURST + 1) intervals after the first.
		for (let k = BURST; k < times.length; k++) {
			assert.ok(times[k] - times[0] >= (k - BURST + 1) * INTERVAL_MS - 50, `busy message ${k} came ${times[k] - times[0]} ms after the first`);
		}
		const others = emulator.messages().filter((message) => message.waId !== BUSY_WA_ID).map((message) => Date.parse(message.receivedAt));
		assert.ok(Math.max(...others) < times[BURST], 'the others went out before the busy customer’s paced messages');
	});

	test('a marketing template through the Marketing Messages API goes to /marketing_messages', async () => {
		await emulator.reset();
		const res = await n8n.execute(ids.marketing);
		assert.ok(res.ok, `run failed: ${res.errorMessage}`);
		const [sent] = nodeOutput(res.run, 'Send');
		assert.equal(sent.sentVia, 'marketing_messages');
		const [message] = emulator.messages();
		assert.equal(message.path, '/marketing_messages');
		assert.equal((message.body as { message_activity_sharing?: boolean }).message_activity_sharing, true);
		assert.equal(message.wamid, sent.messageId);
	});

	test('an object mapped into Text stops the run, naming field and item; nothing is sent', async () => {
		await emulator.reset();
		const res = await n8n.execute(ids.values);
		assert.equal(res.ok, false);
		assert.match(String(res.errorMessage), /Text must be text, but the expression gave an object: \{"name":"Max"\}.*\[item 0\]/);
		assert.equal(emulator.messages().length, 0);
	});
});
