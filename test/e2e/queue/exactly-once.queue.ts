/**
 * Exactly once across processes (issue #12 §3), in CI's size: distinct message events delivered through nginx to
 * two webhook processors, each delivered twice — a third at the same moment, a third 5 s later, a third 60 s later —
 * one webhook processor killed with SIGKILL halfway (whatever it had not answered is delivered again, as 360dialog
 * does), then both webhook processors restarted and a tenth of the events delivered a third time.
 * Every event must run the workflow exactly once: the workflow answers each with `Re: <wamid>` through the Send
 * node, and the emulator counts the answers. Executions that a duplicate delivery started and the Trigger stopped
 * (its claim found the event taken) are counted apart. The full-size load is `npm run bench:queue`.
 *
 * Knobs: QUEUE_E2E_EVENTS (150), QUEUE_E2E_RATE (10 events/s).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { startEmulator, type Emulator } from '../../emulator';
import { deliverUntilAcknowledged, runRedeliveryLoad, runsById } from '../../../bench/lib/redeliveryLoad';
import { QueueStack } from '../lib/queueStack';
import { sendNode, triggerNode, WorkflowBuilder } from '../lib/workflow';

const EVENTS = Number(process.env.QUEUE_E2E_EVENTS ?? 150);
const RATE = Number(process.env.QUEUE_E2E_RATE ?? 10);
const SECRET_HEADER = 'X-360-Webhook-Secret';
const SECRET = `queue-e2e-${randomUUID()}`;

describe('queue mode: every event runs the workflow exactly once across two webhook processors and two workers', () => {
	let emulator: Emulator;
	let stack: QueueStack;
	let workflowId = '';
	let url = '';

	before(async () => {
		emulator = await startEmulator();
		stack = await QueueStack.start({ log: (line) => console.log(`  [stack] ${line}`) });
		const credential = await stack.main.createCredential('360dialog (emulator)', 'dialog360Api', {
			apiKey: emulator.apiKey,
			environment: 'custom',
			baseUrl: emulator.url,
		});
		const trigger = triggerNode('360dialog Trigger', { registration: 'manual', webhookSecret: SECRET }, { credential });
		const wf = new WorkflowBuilder('queue e2e: exactly once');
		wf.add(trigger);
		wf.add(sendNode('Reply', { messageType: 'text', to: '={{ $json.from }}', textBody: '=Re: {{ $json.messageId }}' }, { credential }), trigger.name);
		workflowId = await stack.main.createWorkflow(wf.build());
		await stack.main.activate(workflowId);
		url = `${stack.urls.webhookBase}/webhook/${trigger.webhookId}/webhook`;
	});

	after(async () => {
		await stack?.stop();
		await emulator?.close();
	});

	/** The workflow's execution counts by status once they have settled (see QueueStack.settledExecutions). */
	const drained = async (): Promise<Record<string, number>> => (await stack.settledExecutions([workflowId]))[0];

	/** What failed executions say (the first few). */
	async function failures(): Promise<string[]> {
		const rows = await stack.sql<{ id: string; data: string }>(
			`SELECT e.id, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = $1 AND e.status IN ('error', 'crashed') LIMIT 3`,
			[workflowId],
		);
		return rows.map((r) => `${r.id}: ${/"message":"([^"]{0,300})/.exec(r.data)?.[1] ?? r.data.slice(0, 300)}`);
	}

	test(`${EVENTS} events, each delivered twice (same moment / 5 s / 60 s later), SIGKILL of a webhook processor halfway, a restart of both, a tenth delivered a third time: each ran once`, async () => {
		const target = { url, headers: { [SECRET_HEADER]: SECRET } };
		const sentBefore = emulator.messages().length;
		const load = await runRedeliveryLoad(target, {
			events: EVENTS,
			rate: RATE,
			laterMs: 5_000,
			muchLaterMs: 60_000,
			idPrefix: `q${Date.now().toString(36)}`,
			midway: { at: 0.5, run: () => stack.killWebhookProcessor(0, 'SIGKILL') },
		});
		assert.equal(load.unacknowledged, 0, 'every delivery was answered 200 in the end');
		await drained();
		await stack.restartWebhookProcessors();
		const third = load.ids.filter((_, i) => i % 10 === 0);
		const again = await Promise.all(third.map((id) => deliverUntilAcknowledged(target, id)));
		assert.ok(again.every((d) => d.acknowledged), 'the third deliveries were answered 200');
		const counts = await drained();

		const replies = emulator
			.messages()
			.slice(sentBefore)
			.map((m) => String((m.body as { text?: { body?: string } }).text?.body ?? ''));
		const { lost, duplicated } = runsById(replies, load.ids);
		const deliveries = load.deliveries.length + again.length;
		const executions = Object.values(counts).reduce((a, b) => a + b, 0);
		console.log(
			`  events=${EVENTS} deliveries=${deliveries} retried=${load.retried} executions=${executions} (${JSON.stringify(counts)}) ` +
				`ran_workflow=${EVENTS - lost.length} lost=${lost.length} duplicated=${duplicated.length}`,
		);
		assert.deepEqual(lost, [], 'every acknowledged event ran the workflow');
		assert.deepEqual(duplicated, [], 'no event ran the workflow twice');
		assert.equal((counts.error ?? 0) + (counts.crashed ?? 0), 0, `no execution failed: ${(await failures()).join(' | ')}`);
	});
});
