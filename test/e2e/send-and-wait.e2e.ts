/**
 * "Send and Wait for Reply" on a REAL n8n (`n8n start`, one server for the file, restarted once)
 * with the local 360dialog emulator:
 *
 *   workflow A: Webhook → 360dialog (Send and Wait for Reply) → Done (NoOp)
 *   workflow B: 360dialog Trigger (Automatic registration against the emulator) → NoOp
 *
 * The emulator delivers the customer's answer (a button / list reply built from
 * test/fixtures/webhooks/message-interactive-button-reply.json, or a text quoting the question) to
 * B's Trigger, which hands it to A's waiting execution through n8n's signed waiting webhook. A must
 * resume once with the right answer; B must start no execution for it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { startEmulator, type Emulator, type RecordedMessage } from '../emulator';
import { loadWebhookFixture } from '../support/fixtures';
import { validateSendBody } from '../support/metaSpec';
import { N8n, type ExecutionSummary, type N8nServer } from './lib/n8n';
import { EXAMPLE_CREDENTIAL, loadExample, node, noOpNode, sendNode, triggerNode, WorkflowBuilder, type WfNode } from './lib/workflow';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CUSTOMER = '4915112345678';
const OTHER = '4915199999999';

describe('send and wait: real n8n + emulator', () => {
	let emulator: Emulator;
	let n8n: N8n;
	let srv: N8nServer;
	let credential: { id: string; name: string };
	let triggerId: string;
	const timings: string[] = [];

	async function create(wf: { name: string; nodes: unknown[]; connections: Json; settings?: Json }): Promise<string> {
		const nodes = (wf.nodes as WfNode[]).map((n) => (n.credentials?.dialog360Api ? { ...n, credentials: { dialog360Api: credential } } : n));
		return srv.createWorkflow({ ...wf, nodes });
	}

	/** Workflow A for one response type; returns its id and webhook path. */
	async function askingWorkflow(name: string, parameters: Json): Promise<{ id: string; path: string }> {
		const path = `ask-${randomBytes(4).toString('hex')}`;
		const wf = new WorkflowBuilder(`e2e wait: ${name}`);
		const hook = wf.add(node('Ask', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} }, { webhookId: randomBytes(16).toString('hex') }));
		const ask = wf.add(sendNode('360dialog', { operation: 'sendAndWait', to: '={{ $json.body.to }}', waitMessage: '={{ $json.body.question }}', ...parameters }), hook);
		wf.add(noOpNode('Done'), ask);
		const id = await create(wf.build());
		await srv.activate(id);
		return { id, path };
	}

	const executionsOf = async (workflowId: string) => srv.listExecutions(workflowId, { includeData: true, limit: 250 });

	async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
		const t0 = Date.now();
		while (Date.now() - t0 < timeoutMs) {
			const value = await probe();
			if (value !== undefined) return value;
			await sleep(200);
		}
		assert.fail(`${what}: nothing after ${timeoutMs} ms\n--- n8n log (tail)\n${srv.logTail(40)}`);
	}

	/** Starts A for `to`, waits for its execution to be waiting, returns it and the question sent. */
	async function ask(wf: { id: string; path: string }, to = CUSTOMER, question = 'Approve order #1042?'): Promise<{ execution: ExecutionSummary; message: RecordedMessage }> {
		const before = emulator.messages().length;
		const known = new Set((await executionsOf(wf.id)).map((e) => String(e.id)));
		const res = await srv.webhook(wf.path, { to, question });
		assert.equal(res.status, 200, await res.text());
		const execution = await waitFor('A waiting', async () => (await executionsOf(wf.id)).find((e) => !known.has(String(e.id)) && e.status === 'waiting'));
		const message = await waitFor('question sent', async () => emulator.messages().slice(before).find((m) => m.kind === 'message'));
		const check = validateSendBody(message.body);
		assert.deepEqual(check.errors, [], 'the question is a valid Cloud API message');
		return { execution, message };
	}

	/** The customer's tap: the fixture with this question, this reply and a fresh message id. */
	function tap(question: RecordedMessage, reply: { id: string; title: string }, kind: 'button_reply' | 'list_reply' = 'button_reply', from = CUSTOMER): Json {
		const payload = loadWebhookFixture<Json>('message-interactive-button-reply');
		const value = payload.entry[0].changes[0].value;
		value.contacts[0].wa_id = from;
		const message = value.messages[0];
		message.from = from;
		message.id = `wamid.e2e${randomBytes(12).toString('hex')}`;
		message.timestamp = String(Math.floor(Date.now() / 1000));
		message.context.id = question.wamid;
		message.interactive = { type: kind, [kind]: reply };
		return payload;
	}

	function textReply(question: RecordedMessage | undefined, text: string, from = CUSTOMER): Json {
		const payload = loadWebhookFixture<Json>('message-interactive-button-reply');
		const value = payload.entry[0].changes[0].value;
		value.contacts[0].wa_id = from;
		const message: Json = { from, id: `wamid.e2e${randomBytes(12).toString('hex')}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } };
		if (question) message.context = { from: '4930123456789', id: question.wamid };
		value.messages = [message];
		return payload;
	}

	async function deliver(payload: Json): Promise<void> {
		const result = await emulator.deliverInbound({ payload } as never);
		assert.ok(result, 'delivered');
	}

	const buttonsOf = (m: RecordedMessage): Array<{ id: string; title: string }> =>
		((m.body as Json).interactive.action.buttons as Json[]).map((b) => b.reply as { id: string; title: string });
	const rowsOf = (m: RecordedMessage): Array<{ id: string; title: string }> =>
		((m.body as Json).interactive.action.sections as Json[]).flatMap((s) => s.rows as Array<{ id: string; title: string }>);

	async function finishedExecution(workflowId: string, executionId: string | number, timeoutMs = 30_000): Promise<ExecutionSummary> {
		return waitFor(
			`execution ${executionId} finished`,
			async () => (await executionsOf(workflowId)).find((e) => String(e.id) === String(executionId) && !['waiting', 'running', 'new'].includes(String(e.status))),
			timeoutMs,
		);
	}

	const doneOutput = (execution: ExecutionSummary): Json[] =>
		((execution.data as Json)?.resultData?.runData?.Done?.[0]?.data?.main?.[0] ?? []).map((i: Json) => i.json);

	async function statusOf(workflowId: string, executionId: string | number): Promise<string> {
		return String((await executionsOf(workflowId)).find((e) => String(e.id) === String(executionId))?.status);
	}

	before(async () => {
		emulator = await startEmulator();
		n8n = await N8n.fresh();
		srv = await n8n.startServer();
		credential = await srv.createCredential(EXAMPLE_CREDENTIAL.name, 'dialog360Api', { apiKey: emulator.apiKey, environment: 'custom', baseUrl: emulator.url });
		const trigger = triggerNode('360dialog Trigger', { registration: 'automatic', events: ['message'] });
		const b = new WorkflowBuilder('e2e wait: trigger');
		b.add(trigger);
		b.add(noOpNode('Inbound'), trigger.name);
		triggerId = await create(b.build());
		await srv.activate(triggerId);
		const url = `${srv.baseUrl}/webhook/${trigger.webhookId}/webhook`;
		await waitFor('Trigger registered', async () => (emulator.webhook()?.url === url ? true : undefined));
		emulator.openConversation(CUSTOMER);
		emulator.openConversation(OTHER);
	});

	after(async () => {
		console.log(`  timings: ${timings.join('; ')}`);
		await srv?.stop();
		await n8n?.dispose();
		await emulator?.close();
	});

	test('approval: Approve tap resumes A with approved true; B starts nothing; a second tap and a redelivery do nothing', async () => {
		const wf = await askingWorkflow('approval', { responseType: 'approval', approveLabel: 'Yes', declineLabel: 'No' });
		const { execution, message } = await ask(wf);
		const [approve, decline] = buttonsOf(message);
		assert.deepEqual([approve.title, decline.title], ['Yes', 'No']);
		assert.match(approve.id, /^d360w:/);
		const t0 = Date.now();
		const answer = tap(message, approve);
		await deliver(answer);
		const done = await finishedExecution(wf.id, execution.id);
		timings.push(`approval answer → finished ${Date.now() - t0} ms`);
		assert.equal(done.status, 'success');
		const [out] = doneOutput(done);
		assert.equal(out.approved, true);
		assert.equal(out.answered, true);
		assert.equal(out.timedOut, false);
		assert.equal(out.from.waId, CUSTOMER);
		assert.equal(out.from.name, 'Max Mustermann');
		assert.equal(out.questionMessageId, message.wamid);

		// the same delivery again (redelivery) and a tap on Decline afterwards: nothing more
		await deliver(answer);
		await deliver(tap(message, decline));
		await emulator.idle();
		await sleep(1500);
		const all = await executionsOf(wf.id);
		assert.equal(all.length, 1, 'still one execution of A');
		assert.equal(doneOutput((await finishedExecution(wf.id, execution.id)))[0].approved, true);
		assert.equal((await executionsOf(triggerId)).length, 0, 'B started no execution for answers');
	});

	test('reply buttons: the chosen option (index, title, value); a forged ID and a tap by someone else do not resume', async () => {
		const wf = await askingWorkflow('buttons', {
			responseType: 'buttons',
			waitChoices: { option: [{ title: 'Monday', value: 'mon' }, { title: 'Tuesday', value: 'tue' }, { title: 'Never' }] },
		});
		const { execution, message } = await ask(wf, CUSTOMER, 'Which day?');
		const buttons = buttonsOf(message);
		// forged: another option with the signature of this one; and the right ID tapped by another customer
		const forged = { id: buttons[1].id.replace(/:1:/, ':2:'), title: 'Never' };
		await deliver(tap(message, forged));
		await deliver(tap(message, buttons[1], 'button_reply', OTHER));
		await emulator.idle();
		await sleep(1500);
		assert.equal(await statusOf(wf.id, execution.id), 'waiting', 'forged / foreign answers leave A waiting');

		await deliver(tap(message, buttons[1]));
		const done = await finishedExecution(wf.id, execution.id);
		const [out] = doneOutput(done);
		assert.deepEqual(out.option, { index: 1, title: 'Tuesday', value: 'tue' });
		assert.equal(out.answer, 'Tuesday');
		assert.equal((await executionsOf(triggerId)).length, 0, 'B started no execution for answers');
	});

	test('list: the chosen row', async () => {
		const wf = await askingWorkflow('list', {
			responseType: 'list',
			listButtonText: 'Pick a slot',
			waitChoices: { option: Array.from({ length: 10 }, (_, i) => ({ title: `Slot ${i + 1}`, value: `slot_${i + 1}`, description: `Day ${i + 1}` })) },
		});
		const { execution, message } = await ask(wf, CUSTOMER, 'When?');
		const rows = rowsOf(message);
		assert.equal(rows.length, 10);
		await deliver(tap(message, rows[7], 'list_reply'));
		const [out] = doneOutput(await finishedExecution(wf.id, execution.id));
		assert.deepEqual(out.option, { index: 7, title: 'Slot 8', value: 'slot_8', description: 'Day 8' });
	});

	test('two executions waiting on the same customer: each resumes with its own answer', async () => {
		const wf = await askingWorkflow('two waits', { responseType: 'approval' });
		const first = await ask(wf, CUSTOMER, 'First?');
		const second = await ask(wf, CUSTOMER, 'Second?');
		await deliver(tap(second.message, buttonsOf(second.message)[1]));
		const secondDone = await finishedExecution(wf.id, second.execution.id);
		assert.equal(doneOutput(secondDone)[0].approved, false);
		assert.equal(await statusOf(wf.id, first.execution.id), 'waiting', 'the other question still waits');
		await deliver(tap(first.message, buttonsOf(first.message)[0]));
		assert.equal(doneOutput(await finishedExecution(wf.id, first.execution.id))[0].approved, true);
	});

	test('free text: the next text quoting the question resumes A; a text without the quote does not', async () => {
		const wf = await askingWorkflow('free text', { responseType: 'freeText' });
		const { execution, message } = await ask(wf, CUSTOMER, 'Why?');
		assert.equal((message.body as Json).type, 'text');
		const bBefore = (await executionsOf(triggerId)).length;
		await deliver(textReply(undefined, 'unrelated hello'));
		await waitFor('the unrelated text starts B', async () => ((await executionsOf(triggerId)).length > bBefore ? true : undefined));
		assert.equal(await statusOf(wf.id, execution.id), 'waiting');
		await deliver(textReply(message, 'Because the budget is fine'));
		const [out] = doneOutput(await finishedExecution(wf.id, execution.id));
		assert.equal(out.text, 'Because the budget is fine');
		assert.equal(out.questionMessageId, message.wamid);
		await sleep(1000);
		assert.equal((await executionsOf(triggerId)).length, bBefore + 1, 'the answer itself started no B execution');
	});

	test('limit wait time: no answer → timedOut true, nothing sent again', async () => {
		const wf = await askingWorkflow('timeout', { responseType: 'approval', limitWaitTime: true, limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'seconds' });
		const { execution } = await ask(wf, CUSTOMER, 'Quick?');
		const sent = emulator.messages().length;
		// n8n's WaitTracker looks for due executions every 60 s
		const done = await finishedExecution(wf.id, execution.id, 100_000);
		assert.equal(done.status, 'success');
		const [out] = doneOutput(done);
		assert.equal(out.timedOut, true);
		assert.equal(out.answered, false);
		assert.equal(emulator.messages().length, sent, 'no second send');
	});

	test('example workflows/order-approval.json as shipped: approve → decision approved; a late tap gets the short answer', async () => {
		const example = loadExample('order-approval.json');
		const trigger = example.nodes.find((n) => String(n.type).endsWith('.dialog360Trigger'))!;
		const before = emulator.webhook()?.url;
		const id = await create(example);
		await srv.activate(id);
		const url = `${srv.baseUrl}/webhook/${trigger.webhookId}/webhook`;
		await waitFor('the example Trigger registered', async () => (emulator.webhook()?.url === url ? true : undefined));
		try {
			const res = await srv.webhook('order-approval', { orderId: 'A-1042', customer: 'ACME GmbH', amount: 1250, managerPhone: '+49 151 12345678' });
			assert.equal(res.status, 200);
			const second = await waitFor('the question waits', async () => (await executionsOf(id)).find((e) => e.status === 'waiting'));
			const question = emulator.messages().filter((m) => m.kind === 'message').at(-1)!;
			assert.match(String((question.body as Json).interactive.body.text), /A-1042 from ACME GmbH over € 1250/);
			const [approve, decline] = buttonsOf(question);
			await deliver(tap(question, approve));
			const done = await finishedExecution(id, second.id);
			const decision = ((done.data as Json).resultData.runData.Decision[0].data.main[0] as Json[])[0].json;
			assert.deepEqual({ ...decision, decidedAt: typeof decision.decidedAt }, { orderId: 'A-1042', decision: 'approved', decidedBy: 'Max Mustermann', decidedAt: 'string' });

			const sent = emulator.messages().length;
			await deliver(tap(question, decline));
			const late = await waitFor('late answer', async () => emulator.messages().slice(sent).find((m) => (m.body as Json).type === 'text'));
			assert.equal((late.body as Json).text.body, 'This request has already been answered.');
			const triggerRuns = (await executionsOf(id)).filter((e) => e.mode === 'webhook' && (e.data as Json)?.resultData?.runData?.['WhatsApp replies']);
			assert.equal(triggerRuns.length, 0, 'the answers started no execution from the Trigger');
		} finally {
			await srv.deactivate(id);
			await waitFor('webhook restored', async () => (emulator.webhook()?.url === before ? true : undefined));
		}
	});

	test('n8n restarted while A waits: the answer still resumes it', async () => {
		const wf = await askingWorkflow('restart', { responseType: 'approval' });
		const { execution, message } = await ask(wf, CUSTOMER, 'After restart?');
		const port = srv.port;
		await srv.stop();
		const t0 = Date.now();
		srv = await n8n.startServer({ port });
		timings.push(`restart ${Date.now() - t0} ms`);
		assert.equal(await statusOf(wf.id, execution.id), 'waiting');
		// the Trigger is active again after the restart (its webhook is served by the new process)
		await sleep(2000);
		await deliver(tap(message, buttonsOf(message)[0]));
		const [out] = doneOutput(await finishedExecution(wf.id, execution.id));
		assert.equal(out.approved, true);
	});
});
