/**
 * The Send node's newer sending behaviour in a REAL n8n (pinned 2.41.1, package installed from its tarball by
 * scripts/e2e.sh), headless (`n8n execute`), against the in-process emulator:
 *
 *   - per-customer pacing: rows for one busy customer mixed with rows for others, the emulator enforcing
 *     WhatsApp's pair rate limit (131056) scaled down → every message sent, none refused, the busy customer's
 *     messages in input order;
 *   - a marketing template through the Marketing Messages API (MM Lite) → posted to /marketing_messages;
 *   - an object mapped into a text field → the run fails naming the field and the item, nothing is sent;
 *   - an AI-written Markdown answer of ~9,000 characters → converted to WhatsApp formatting and sent as 3 messages
 *     in order, one output item with their ids;
 *   - an Order Details payment request (form fields) and an Order Status update, each as the emulator checks them;
 *   - a text to a WhatsApp group by its group ID;
 *   - 6 image messages with 2 distinct https links (a local HTTPS server whose certificate n8n trusts through
 *     NODE_EXTRA_CA_CERTS) → 2 uploads to /media, every message sent by media ID.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { resolve } from 'node:path';

import { startEmulator, type Emulator } from '../emulator';
import { startLinkServer, type LinkServer } from '../support/linkServer';
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

/** A Markdown answer as an AI Agent writes it: headings, bold, lists, links; about 9,000 characters. */
function aiAnswer(): string {
	const section = (n: number) =>
		`## Step ${n}\n\nThis is **important** for step ${n}: read the [guide](https://example.com/guide/${n}) first. ` +
		'It explains the details thoroughly and gives examples that help. '.repeat(10) +
		`\n\n- check item ${n}.1\n- check item ${n}.2\n`;
	return Array.from({ length: 12 }, (_, n) => section(n + 1)).join('\n');
}

const GROUP_ID = 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD';
const JPEG = (fill: number) => Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(30_000, fill)]);

describe('e2e: sending — per-customer pacing, Marketing Messages API, values refused, AI text, orders, groups, media reuse', () => {
	let emulator: Emulator;
	let links: LinkServer;
	let n8n: N8n;
	const ids = {
		pacing: 'e2eSendPacingWf',
		marketing: 'e2eSendMarketingWf',
		values: 'e2eSendValuesWf',
		aiText: 'e2eSendAiTextWf',
		orders: 'e2eSendOrdersWf',
		group: 'e2eSendGroupWf',
		reuse: 'e2eSendReuseWf',
	};
	const pacingRows = Array.from({ length: 6 }, (_, i) => [
		{ phone: `+49 151 ${String(10000000 + i)}`, text: `Other ${i}` },
		{ phone: BUSY, text: `Busy ${i}` },
	]).flat();

	before(async () => {
		emulator = await startEmulator();
		links = await startLinkServer({ '/a.jpg': { body: JPEG(1), contentType: 'image/jpeg' }, '/b.jpg': { body: JPEG(2), contentType: 'image/jpeg' } });
		// n8n downloads the links itself (Reuse Uploaded Media): it trusts the test server's certificate.
		n8n = await N8n.fresh({ env: { NODE_EXTRA_CA_CERTS: resolve(__dirname, '../fixtures/tls/loopback-cert.pem') } });
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
			rowsWorkflow(
				'e2e: AI answer converted and split',
				ids.aiText,
				[{ phone: '+49 151 12345678', answer: aiAnswer() }],
				sendNode('Send', { messageType: 'text', to: '={{ $json.phone }}', textBody: '={{ $json.answer }}', convertMarkdown: true, splitLongText: true }),
			),
			rowsWorkflow(
				'e2e: order details and status',
				ids.orders,
				[{ phone: '+91 98765 43210', ref: 'ORDER-4711' }],
				sendNode('Send', {
					messageType: 'interactive',
					to: '={{ $json.phone }}',
					interactiveType: 'order_details',
					interactiveBodyText: '=Your order {{ $json.ref }}',
					interactiveOrderReferenceId: '={{ $json.ref }}',
					interactiveOrderGoodsType: 'physical-goods',
					interactiveOrderPaymentMethod: 'upi',
					interactiveOrderPaymentConfiguration: 'upi-main',
					interactiveOrderItems: { item: [{ retailerId: 'SKU-1', name: 'Coffee beans', price: 499, quantity: 2, salePrice: 0 }] },
					interactiveOrderTax: 18,
				}),
			),
			rowsWorkflow(
				'e2e: text to a group',
				ids.group,
				[{ group: GROUP_ID }],
				sendNode('Send', { recipientType: 'group', messageType: 'text', to: '={{ $json.group }}', textBody: 'Hello group' }),
			),
			rowsWorkflow(
				'e2e: media reused across messages',
				ids.reuse,
				Array.from({ length: 6 }, (_, i) => ({ phone: `+49 151 ${String(20000000 + i)}`, link: links.url(i % 2 === 0 ? '/a.jpg' : '/b.jpg') })),
				sendNode('Send', { messageType: 'image', to: '={{ $json.phone }}', mediaSource: 'url', mediaUrl: '={{ $json.link }}' }),
			),
		]);
		// Order Status for the same order, after the payment request (a second node in the orders workflow would
		// need the item order; one workflow per message keeps the assertions simple).
		await n8n.importWorkflow([
			rowsWorkflow(
				'e2e: order status',
				'e2eSendOrderStatusWf',
				[{ phone: '+91 98765 43210', ref: 'ORDER-4711' }],
				sendNode('Send', {
					messageType: 'interactive',
					to: '={{ $json.phone }}',
					interactiveType: 'order_status',
					interactiveBodyText: 'Your order has shipped',
					interactiveOrderReferenceId: '={{ $json.ref }}',
					interactiveOrderStatus: 'shipped',
				}),
			),
		]);
	});

	after(async () => {
		await n8n?.dispose();
		await links?.close();
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

	test('an AI answer in Markdown: converted to WhatsApp formatting and sent as several messages, in order', async () => {
		await emulator.reset();
		const res = await n8n.execute(ids.aiText);
		assert.ok(res.ok, `run failed: ${res.errorMessage}`);
		const [sent] = nodeOutput(res.run, 'Send');
		const bodies = emulator.messages().map((message) => (message.body as { text: { body: string } }).text.body);
		assert.ok(bodies.length >= 3, `${bodies.length} parts`);
		assert.deepEqual(sent.messageIds, emulator.messages().map((message) => message.wamid));
		assert.equal(sent.parts, bodies.length);
		assert.ok(bodies.every((body) => [...body].length <= 4096));
		assert.ok(bodies[0].startsWith('*Step 1*'), bodies[0].slice(0, 40));
		assert.ok(bodies[0].includes('This is *important* for step 1: read the guide (https://example.com/guide/1) first.'));
		assert.ok(!bodies.join('').includes('**'), 'no Markdown bold left');
		assert.ok(bodies.at(-1)!.includes('check item 12.2'));
	});

	test('an Order Details payment request and an Order Status update, as WhatsApp takes them', async () => {
		await emulator.reset();
		const res = await n8n.execute(ids.orders);
		assert.ok(res.ok, `run failed: ${res.errorMessage}`);
		const status = await n8n.execute('e2eSendOrderStatusWf');
		assert.ok(status.ok, `run failed: ${status.errorMessage}`);
		const [details, update] = emulator.messages().map((message) => message.body as { interactive: { type: string; action: { name: string; parameters: Record<string, any> } } }); // eslint-disable-line @typescript-eslint/no-explicit-any
		assert.equal(details.interactive.type, 'order_details');
		assert.equal(details.interactive.action.name, 'review_and_pay');
		// 2 × 499.00 + 18.00 tax = 1,016.00 rupees, in paise
		assert.deepEqual(details.interactive.action.parameters.total_amount, { value: 101600, offset: 100 });
		assert.equal(update.interactive.type, 'order_status');
		assert.deepEqual(update.interactive.action.parameters.order.status, 'shipped');
	});

	test('a text to a WhatsApp group by its group ID', async () => {
		await emulator.reset();
		const res = await n8n.execute(ids.group);
		assert.ok(res.ok, `run failed: ${res.errorMessage}`);
		const [message] = emulator.messages();
		assert.deepEqual({ recipient_type: (message.body as Record<string, unknown>).recipient_type, to: (message.body as Record<string, unknown>).to }, { recipient_type: 'group', to: GROUP_ID });
		assert.equal(nodeOutput(res.run, 'Send')[0].to, GROUP_ID);
	});

	test('6 image messages with 2 distinct links: 2 uploads, every message by media ID', async () => {
		await emulator.reset();
		links.resetHits();
		const res = await n8n.execute(ids.reuse);
		assert.ok(res.ok, `run failed: ${res.errorMessage}`);
		const out = nodeOutput(res.run, 'Send');
		assert.deepEqual(out.map((item) => item.mediaReuse), Array(6).fill('id'), JSON.stringify(out.map((item) => item.mediaReuseError)));
		assert.equal(emulator.mediaUploads(), 2);
		const images = emulator.messages().map((message) => (message.body as { image: { id?: string; link?: string } }).image);
		assert.ok(images.every((image) => typeof image.id === 'string' && image.link === undefined), JSON.stringify(images));
		assert.equal(new Set(images.map((image) => image.id)).size, 2);
		assert.equal(links.hits('/a.jpg') + links.hits('/b.jpg'), 2);
	});
});
