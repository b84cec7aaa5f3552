/**
 * 360dialog Account node in a REAL n8n (pinned 2.41.1, package installed from its tarball by scripts/e2e.sh),
 * headless (`n8n execute`), against the in-process emulator:
 *
 *   Manual → Account: Template Create (form) → Account: Template Get → 360dialog: send that template
 *
 * The emulator reviews the new template (approves it) and delivers `message_template_status_update` to the
 * number's webhook (a local receiver here); the Send node then finds the template approved in the account's
 * list and sends it. A second workflow with an invalid template fails naming field and item, sending nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { startEmulator, type Emulator } from '../emulator';
import { WebhookReceiver } from '../emulator/testUtils';
import { N8n } from './lib/n8n';
import { accountNode, emulatorCredential, manualTrigger, nodeOutput, sendNode, WorkflowBuilder } from './lib/workflow';

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
	const ids = { chain: 'e2eAccountTemplateWf', bad: 'e2eAccountBadTplWf' };

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
		await n8n.importWorkflow([chain.build(), bad.build()]);
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

	test('an invalid template fails naming field and item; nothing is submitted', async () => {
		const before = emulator.requests().filter((r) => r.method === 'POST' && r.url === '/v1/configs/templates').length;
		const res = await n8n.execute(ids.bad);
		assert.equal(res.ok, false);
		assert.match(String(res.errorMessage), /Body may not end with a variable.*\[item 0\]/);
		assert.equal(emulator.requests().filter((r) => r.method === 'POST' && r.url === '/v1/configs/templates').length, before);
	});
});
