/**
 * 360dialog Account node in a REAL n8n (pinned 2.41.1, package installed from its tarball by scripts/e2e.sh),
 * headless (`n8n execute`), against the in-process emulator:
 *
 *   Manual → Account: Template Create (form) → Account: Template Get → 360dialog: send that template
 *
 * The emulator reviews the new template (approves it) and delivers `message_template_status_update` to the
 * number's webhook (a local receiver here); the Send node then finds the template approved in the account's
 * list and sends it. A second workflow with an invalid template fails naming field and item, sending nothing.
 *
 * Server mode (`n8n start`, public API): the example workflows/template-approval.json runs AS SHIPPED (only its
 * credential reference pointed at the test credential). Activated, its Trigger (Template Updates, Automatic
 * registration) points the number's webhook at n8n; a workflow with a production Webhook creates a template with
 * the Account node; the emulator approves it and delivers `message_template_status_update` to the Trigger; the
 * example sends the approved template (recorded by the emulator). A rejected template takes the other branch
 * (the reason as a field) and sends nothing. server.e2e.ts counts this example as run here (`runElsewhere`).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { startEmulator, type Emulator } from '../emulator';
import { WebhookReceiver } from '../emulator/testUtils';
import { N8n, type N8nServer } from './lib/n8n';
import { accountNode, EXAMPLE_CREDENTIAL, emulatorCredential, loadExample, manualTrigger, node, nodeOutput, readFileNode, sendNode, WorkflowBuilder, type WfNode } from './lib/workflow';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CREATE = {
	resource: 'template',
	operation: 'create',
	templateName: 'e2e_order_shipped',
	language: 'en_US',
	category: 'UTILITY',
	body: 'Hi {{1}}, your order {{2}} has shipped.',
	bodyExamples: { example: [{ variable: '1', example: 'Max' }, { variable: '2', example: '4711' }] },
	buttons: { button: [{ type: 'URL', text: 'Track', url: 'https://shop.example.com/t/{{1}}', urlSuffixExample: '4711' }] },
};

describe('e2e: 360dialog Account creates a template that is approved and sent', () => {
	let emulator: Emulator;
	let receiver: WebhookReceiver;
	let n8n: N8n;
	const ids = { chain: 'e2eAccountTemplateWf', bad: 'e2eAccountBadTplWf', photo: 'e2eAccountPhotoTplWf', carousel: 'e2eAccountCarouselWf' };
	/** A 1×1 PNG read from n8n's files folder by the Read/Write Files node. */
	const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

	before(async () => {
		emulator = await startEmulator();
		receiver = await WebhookReceiver.start();
		emulator.setWebhook({ url: receiver.url });
		n8n = await N8n.fresh({ env: {} });
		await n8n.importCredentials([emulatorCredential(emulator.url)]);

		const chain = new WorkflowBuilder('e2e: account template → approved → send', ids.chain);
		chain.add(manualTrigger('Start'));
		chain.add(accountNode('Create Template', CREATE), 'Start');
		chain.add(accountNode('Get Template', { resource: 'template', operation: 'get', templateName: '={{ $json.name }}', language: '={{ $json.language }}' }), 'Create Template');
		chain.add(
			sendNode('Send Template', {
				messageType: 'template',
				to: '+49 151 12345678',
				template: { __rl: true, mode: 'name', value: "={{ $json.name + '|' + $json.language }}" },
				templateParameterMode: 'json',
				templateParametersJson: '{"body.1": "Max", "body.2": "4711", "button.0.url": "4711"}',
			}),
			'Get Template',
		);
		const bad = new WorkflowBuilder('e2e: account invalid template', ids.bad);
		bad.add(manualTrigger('Start'));
		bad.add(accountNode('Create Template', { ...CREATE, templateName: 'e2e_bad', body: 'Hi {{1}}, your order is {{2}}' }), 'Start');
		// A header image read from disk by n8n, uploaded by the node (resumable upload) for Meta's review.
		fs.writeFileSync(path.join(n8n.filesDir, 'spring.png'), PNG);
		const photo = new WorkflowBuilder('e2e: account template with a header image from disk', ids.photo);
		photo.add(manualTrigger('Start'));
		photo.add(readFileNode('Read spring.png', path.join(n8n.filesDir, 'spring.png')), 'Start');
		photo.add(
			accountNode('Create Template', {
				resource: 'template',
				operation: 'create',
				templateName: 'e2e_spring_photo',
				language: 'en_US',
				category: 'MARKETING',
				headerType: 'IMAGE',
				headerMediaSource: 'binary',
				headerBinaryProperty: 'data',
				body: '=Hi {{1}}, our spring collection is here.',
				bodyExamples: { example: [{ variable: '1', example: 'Max' }] },
			}),
			'Read spring.png',
		);
		// A carousel from the Marketing form: nested card lists as n8n stores them, the card image read from disk.
		const carousel = new WorkflowBuilder('e2e: account carousel template from the form', ids.carousel);
		carousel.add(manualTrigger('Start'));
		carousel.add(readFileNode('Read spring.png', path.join(n8n.filesDir, 'spring.png')), 'Start');
		const card = (price: string) => ({
			headerFormat: 'IMAGE',
			binaryProperty: 'data',
			body: '=Rooms from {{1}} a night.',
			bodyExamples: { example: [{ variable: '1', example: price }] },
			buttons: { button: [{ type: 'QUICK_REPLY', text: 'More like this' }, { type: 'URL', text: 'Book', url: '=https://example.com/rooms/{{1}}', urlSuffixExample: 'seaview' }] },
		});
		carousel.add(
			accountNode('Create Carousel', {
				resource: 'template',
				operation: 'create',
				templateName: 'e2e_summer_cards',
				language: 'en_US',
				category: 'MARKETING',
				templateType: 'carousel',
				body: '=Hi {{1}}, our summer rooms:',
				bodyExamples: { example: [{ variable: '1', example: 'Max' }] },
				cards: { card: [card('€99'), card('€129')] },
			}),
			'Read spring.png',
		);
		await n8n.importWorkflow([chain.build(), bad.build(), photo.build(), carousel.build()]);
	});

	after(async () => {
		await n8n?.dispose();
		await receiver?.close();
		await emulator?.close();
	});

	test('create → status webhook APPROVED → get → send', async () => {
		const res = await n8n.execute(ids.chain);
		assert.ok(res.ok, `run failed: ${res.errorMessage}`);
		const [created] = nodeOutput(res.run, 'Create Template');
		assert.equal(created.status, 'PENDING');
		const [got] = nodeOutput(res.run, 'Get Template');
		assert.equal(got.status, 'APPROVED');
		const [sent] = nodeOutput(res.run, 'Send Template');
		assert.match(String(sent.messageId), /^wamid\./);

		await emulator.idle();
		const update = receiver.received.map((r) => r.body as { entry: Array<{ changes: Array<{ field: string; value: Record<string, unknown> }> }> }).find((body) => body.entry?.[0]?.changes?.[0]?.field === 'message_template_status_update');
		assert.ok(update, 'no message_template_status_update delivered');
		assert.deepEqual(
			{ event: update.entry[0].changes[0].value.event, name: update.entry[0].changes[0].value.message_template_name },
			{ event: 'APPROVED', name: 'e2e_order_shipped' },
		);
		const message = emulator.messages().at(-1)?.body as { template?: { name?: string } };
		assert.equal(message.template?.name, 'e2e_order_shipped');
	});

	test('a header image read from disk: uploaded (resumable upload), template created with its handle and {{1}} kept', async () => {
		const res = await n8n.execute(ids.photo);
		assert.ok(res.ok, `run failed: ${res.errorMessage}`);
		const [created] = nodeOutput(res.run, 'Create Template');
		assert.equal(created.status, 'PENDING');
		assert.match(String(created.headerHandle), /\S/);
		const lines = emulator.requests().map((r) => `${r.method} ${r.url.split('?')[0]}`);
		assert.ok(lines.includes('POST /uploads'), lines.join(', '));
		assert.ok(lines.some((line) => line.startsWith('POST /upload:')), lines.join(', '));
		const posted = emulator.requests().filter((r) => r.method === 'POST' && r.url === '/v1/configs/templates').at(-1)?.body as { components: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
		const header = posted.components.find((component) => component.type === 'HEADER');
		assert.deepEqual(header, { type: 'HEADER', format: 'IMAGE', example: { header_handle: [created.headerHandle] } });
		// typed as {{1}} in a field n8n treats as an expression: kept as the WhatsApp variable
		assert.equal(posted.components.find((component) => component.type === 'BODY')?.text, 'Hi {{1}}, our spring collection is here.');
	});

	test('a carousel from the form: the card image uploaded once, both cards with its handle, variables kept', async () => {
		const uploadsBefore = emulator.requests().filter((r) => r.method === 'POST' && r.url.startsWith('/uploads')).length;
		const res = await n8n.execute(ids.carousel);
		assert.ok(res.ok, `run failed: ${res.errorMessage}`);
		const [created] = nodeOutput(res.run, 'Create Carousel');
		assert.equal(created.status, 'PENDING');
		assert.equal(emulator.requests().filter((r) => r.method === 'POST' && r.url.startsWith('/uploads')).length - uploadsBefore, 1);
		const posted = emulator.requests().filter((r) => r.method === 'POST' && r.url === '/v1/configs/templates').at(-1)?.body as { components: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
		const cards = posted.components.find((component) => String(component.type).toUpperCase() === 'CAROUSEL')?.cards as Array<{ components: Array<Record<string, any>> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
		assert.equal(cards.length, 2);
		assert.deepEqual(cards.map((each) => each.components.find((component) => component.type === 'BODY')?.text), ['Rooms from {{1}} a night.', 'Rooms from {{1}} a night.']);
		assert.deepEqual(cards.map((each) => each.components.find((component) => component.type === 'HEADER')?.example?.header_handle?.[0]), (created.cardHandles as string[]).slice(0, 2));
		await emulator.idle();
		assert.equal(emulator.templates.find((template) => template.name === 'e2e_summer_cards')?.status, 'APPROVED');
	});

	test('an invalid template fails naming field and item; nothing is submitted', async () => {
		const before = emulator.requests().filter((r) => r.method === 'POST' && r.url === '/v1/configs/templates').length;
		const res = await n8n.execute(ids.bad);
		assert.equal(res.ok, false);
		assert.match(String(res.errorMessage), /Body may not end with a variable.*\[item 0\]/);
		assert.equal(emulator.requests().filter((r) => r.method === 'POST' && r.url === '/v1/configs/templates').length, before);
	});
});

describe('e2e (server): example template-approval.json — create, approved by Meta, sent', () => {
	let emulator: Emulator;
	let n8n: N8n;
	let srv: N8nServer;
	let credential: { id: string; name: string };
	let exampleId: string | undefined;
	let exampleActive = false;
	let creatorId: string;
	const CREATE_PATH = 'e2e-create-template';

	/** Points a workflow's 360dialog credential references at the test credential, nothing else. */
	const withTestCredential = (nodes: WfNode[]) => nodes.map((n) => (n.credentials?.dialog360Api ? { ...n, credentials: { dialog360Api: credential } } : n));

	before(async () => {
		emulator = await startEmulator();
		n8n = await N8n.fresh();
		srv = await n8n.startServer();
		credential = await srv.createCredential(EXAMPLE_CREDENTIAL.name, 'dialog360Api', { apiKey: emulator.apiKey, environment: 'custom', baseUrl: emulator.url });

		// The "create" side: production Webhook → Account: Template Create (form fields from the request body).
		const creator = new WorkflowBuilder('e2e: create a template through a webhook');
		creator.add(node('Create request', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: CREATE_PATH, responseMode: 'lastNode', options: {} }, { webhookId: randomUUID() }));
		creator.add(
			accountNode('Create Template', {
				resource: 'template',
				operation: 'create',
				templateName: '={{ $json.body.name }}',
				language: 'en_US',
				category: 'UTILITY',
				body: 'Your order has shipped. Thank you for shopping with us.',
			}),
			'Create request',
		);
		const built = creator.build();
		creatorId = await srv.createWorkflow({ ...built, nodes: withTestCredential(built.nodes as WfNode[]) });
		await srv.activate(creatorId);
	});

	after(async () => {
		if (exampleId && exampleActive) await srv.deactivate(exampleId).catch(() => undefined);
		await srv?.stop();
		await n8n?.dispose();
		await emulator?.close();
	});

	async function createTemplate(name: string): Promise<Json> {
		const res = await srv.webhook(CREATE_PATH, { name });
		const text = await res.text();
		assert.equal(res.status, 200, text);
		return JSON.parse(text) as Json;
	}

	test('activated as shipped, it sends a template once the status webhook says APPROVED, and keeps the reason of a rejection', async () => {
		const wf = loadExample('template-approval.json');
		const trigger = (wf.nodes as WfNode[]).find((n) => n.type.endsWith('.dialog360Trigger'));
		assert.ok(trigger, 'the example has a 360dialog Trigger');
		assert.deepEqual(trigger.parameters.events, ['template']);
		exampleId = await srv.createWorkflow({ ...wf, nodes: withTestCredential(wf.nodes as WfNode[]) });
		await srv.activate(exampleId);
		exampleActive = true;
		const config = (await (await fetch(`${emulator.url}/v1/configs/webhook`, { headers: { 'D360-API-KEY': emulator.apiKey } })).json()) as Json;
		assert.equal(config.url, `${srv.baseUrl}/webhook/${trigger.webhookId}/webhook`, 'activation pointed the number at the Trigger');

		// approved: created PENDING, the emulator approves it and tells the Trigger, the example sends it
		const sentBefore = emulator.messages().length;
		const created = await createTemplate('e2e_order_shipped_plain');
		assert.equal(created.status, 'PENDING', JSON.stringify(created));
		const [approved] = await srv.waitForExecutions(exampleId, 1, 60_000);
		assert.equal(approved.status, 'success', JSON.stringify(approved.data?.resultData.error));
		await emulator.idle();
		const sent = emulator.messages().slice(sentBefore);
		assert.equal(sent.length, 1, JSON.stringify(sent.map((m) => m.body)));
		const body = sent[0].body as Json;
		assert.equal(body.type, 'template');
		assert.equal(body.to, '4915112345678');
		assert.deepEqual([body.template.name, body.template.language.code], ['e2e_order_shipped_plain', 'en_US']);
		assert.equal(body.biz_opaque_callback_data, 'template-approved:e2e_order_shipped_plain');
		const [full] = (await srv.listExecutions(exampleId)).filter((e) => String(e.id) === String(approved.id));
		const [sendOut] = nodeOutput(full as never, 'Send the approved template');
		assert.match(String(sendOut?.messageId), /^wamid\./);

		// rejected: the other branch names template and reason; nothing is sent
		emulator.configure({ templateReview: 'reject' });
		await createTemplate('e2e_rejected_plain');
		const executions = await srv.waitForExecutions(exampleId, 2, 60_000);
		const rejected = executions.find((e) => String(e.id) !== String(approved.id));
		assert.ok(rejected);
		assert.equal(rejected.status, 'success');
		const [rejectedFull] = (await srv.listExecutions(exampleId)).filter((e) => String(e.id) === String(rejected.id));
		assert.deepEqual(nodeOutput(rejectedFull as never, 'Rejection reason'), [{ template: 'e2e_rejected_plain', language: 'en_US', reason: 'INVALID_FORMAT', recommendation: '' }]);
		assert.deepEqual(nodeOutput(rejectedFull as never, 'Send the approved template'), []);
		await emulator.idle();
		assert.equal(emulator.messages().length, sentBefore + 1, 'a rejected template is not sent');

		await srv.deactivate(exampleId);
		exampleActive = false;
	});
});
