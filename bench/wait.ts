/**
 * npm run bench:wait — "Send and Wait for Reply" on a real n8n (pinned, SQLite) with the in-process emulator.
 *
 * 100 executions (Webhook → 360dialog Send and Wait (approval) → No Op) wait for an answer; the emulator then
 * delivers one button reply per question to the 360dialog Trigger at 20/s (open loop), plus 20 second taps
 * and 20 redeliveries. Measured per answer: from the moment its delivery starts to the resumed execution's
 * stoppedAt. Prints figures, never pass/fail; n8n's memory is watched (bench/lib/memoryGuard.ts).
 *
 *   last line: wait_resumed=<n> wait_double=<n> wait_resume_p99_ms=<x>
 *
 * Knobs: BENCH_COUNT (100), BENCH_RATE (20 answers/s), BENCH_BUILD=0 (use dist/ as it is), BENCH_KEEP=1.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';

import { startEmulator, type RecordedMessage } from '../test/emulator';
import { N8n, type N8nServer } from '../test/e2e/lib/n8n';
import { loadWebhookFixture } from '../test/support/fixtures';
import { decodeWaitId } from '../nodes/common/waitIds';
import { prepareRealN8n, reexecUnderNode24 } from './lib/realN8n';
import { formatGiB, GIB, watchMemory } from './lib/memoryGuard';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const COUNT = Math.floor(num('BENCH_COUNT', 100));
const RATE = num('BENCH_RATE', 20);
const EXTRA = Math.min(20, COUNT);
const MEMORY_LIMIT_BYTES = 4 * GIB;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);

function tap(question: RecordedMessage, reply: { id: string; title: string }, customer: string): Json {
	const payload = loadWebhookFixture<Json>('message-interactive-button-reply');
	const value = payload.entry[0].changes[0].value;
	value.contacts[0].wa_id = customer;
	const message = value.messages[0];
	message.from = customer;
	message.id = `wamid.bench${randomBytes(12).toString('hex')}`;
	message.timestamp = String(Math.floor(Date.now() / 1000));
	message.context.id = question.wamid;
	message.interactive = { type: 'button_reply', button_reply: reply };
	return payload;
}

async function main(): Promise<void> {
	const prepared = prepareRealN8n();
	if (reexecUnderNode24(__filename, prepared)) return;
	const emulator = await startEmulator();
	const n8n = await N8n.fresh();
	let srv: N8nServer | undefined;
	try {
		srv = await n8n.startServer();
		const server = srv;
		const guard = watchMemory([{ label: 'n8n', pid: server.pid! }], {
			limitBytes: MEMORY_LIMIT_BYTES,
			load: `${COUNT} waiting executions, answers at ${RATE}/s`,
			onTrip: (message) => {
				console.error(message);
				void server.stop();
			},
		});
		console.log(`n8n ${server.baseUrl} ready in ${(server.readyMs / 1000).toFixed(1)} s; ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
		const credential = await server.createCredential('bench emulator', 'dialog360Api', { apiKey: emulator.apiKey, environment: 'custom', baseUrl: emulator.url });
		const cred = { dialog360Api: credential };
		const triggerWebhookId = randomUUID();
		const triggerWf = await server.createWorkflow({
			name: 'bench wait: trigger',
			nodes: [
				{ id: randomUUID(), name: 'Trigger', type: 'n8n-nodes-360dialog.dialog360Trigger', typeVersion: 1, position: [0, 0], webhookId: triggerWebhookId, parameters: { registration: 'automatic', events: ['message'], options: {} }, credentials: cred },
				{ id: randomUUID(), name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
			],
			connections: { Trigger: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		const askPath = `bench-ask-${randomBytes(3).toString('hex')}`;
		const askWf = await server.createWorkflow({
			name: 'bench wait: ask',
			nodes: [
				{ id: randomUUID(), name: 'Ask', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path: askPath, responseMode: 'onReceived', options: {} } },
				{ id: randomUUID(), name: 'Wait', type: 'n8n-nodes-360dialog.dialog360', typeVersion: 1, position: [220, 0], parameters: { operation: 'sendAndWait', to: '={{ $json.body.to }}', waitMessage: 'Approve?', responseType: 'approval' }, credentials: cred },
				{ id: randomUUID(), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 0], parameters: {} },
			],
			connections: { Ask: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] }, Wait: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		await server.activate(triggerWf);
		await server.activate(askWf);
		const triggerUrl = `${server.baseUrl}/webhook/${triggerWebhookId}/webhook`;
		for (let t0 = Date.now(); emulator.webhook()?.url !== triggerUrl; await sleep(100)) if (Date.now() - t0 > 60_000) throw new Error('Trigger not registered');

		// 1. COUNT executions start and wait
		const customers = Array.from({ length: COUNT }, (_, i) => `49151${String(1_000_000 + i).padStart(8, '0')}`);
		for (const c of customers) emulator.openConversation(c);
		const tStart = Date.now();
		for (let i = 0; i < COUNT; i += 10) {
			await Promise.all(customers.slice(i, i + 10).map((to) => server.webhook(askPath, { to }).then((r) => r.arrayBuffer())));
		}
		const waiting = async () => (await server.listExecutions(askWf, { includeData: false, limit: 250 })).filter((e) => e.status === 'waiting').length;
		for (let t0 = Date.now(); (await waiting()) < COUNT; await sleep(500)) if (Date.now() - t0 > 300_000) throw new Error(`only ${await waiting()} of ${COUNT} waiting`);
		console.log(`${COUNT} executions waiting after ${((Date.now() - tStart) / 1000).toFixed(1)} s`);

		// 2. one answer per question at RATE/s (open loop), then second taps and redeliveries
		const questions = emulator.messages().filter((m) => m.kind === 'message');
		const answerAt = new Map<string, number>();
		const redeliveries: Json[] = [];
		const intervalMs = 1000 / RATE;
		const t0 = Date.now();
		await Promise.all(
			questions.map(async (question, i) => {
				await sleep(Math.max(0, t0 + i * intervalMs - Date.now()));
				const approve = ((question.body as Json).interactive.action.buttons[0] as Json).reply as { id: string; title: string };
				const executionId = decodeWaitId(approve.id)!.executionId;
				const payload = tap(question, approve, String((question.body as Json).to));
				if (i < EXTRA) redeliveries.push(payload);
				answerAt.set(executionId, Date.now());
				await emulator.deliverInbound({ payload } as never);
			}),
		);
		console.log(`answers delivered in ${((Date.now() - t0) / 1000).toFixed(1)} s (${(questions.length / ((Date.now() - t0) / 1000)).toFixed(1)}/s)`);
		for (const [i, question] of questions.slice(0, EXTRA).entries()) {
			const decline = ((question.body as Json).interactive.action.buttons[1] as Json).reply as { id: string; title: string };
			await emulator.deliverInbound({ payload: tap(question, decline, String((question.body as Json).to)) } as never);
			await emulator.deliverInbound({ payload: redeliveries[i] } as never);
		}
		await emulator.idle();

		// 3. settle and read the executions
		let list: Json[] = [];
		for (let tWait = Date.now(); Date.now() - tWait < 120_000; await sleep(1000)) {
			list = (await server.listExecutions(askWf, { includeData: true, limit: 250 })) as Json[];
			if (list.filter((e) => e.status === 'success').length >= COUNT) break;
		}
		await sleep(2000);
		list = (await server.listExecutions(askWf, { includeData: true, limit: 250 })) as Json[];
		const latencies: number[] = [];
		let resumed = 0;
		let double = 0;
		let declinedWins = 0;
		for (const e of list) {
			const done = e.data?.resultData?.runData?.Done as Json[] | undefined;
			if (!done || e.status !== 'success') continue;
			resumed++;
			double += Math.max(0, done.length - 1);
			if (done[0].data.main[0][0].json.approved !== true) declinedWins++;
			const start = answerAt.get(String(e.id));
			if (start !== undefined) latencies.push(new Date(e.stoppedAt).getTime() - start);
		}
		const triggerRuns = (await server.listExecutions(triggerWf, { includeData: false, limit: 250 })).length;
		const memory = guard.stop();
		latencies.sort((a, b) => a - b);
		const p50 = quantile(latencies, 0.5);
		const p99 = quantile(latencies, 0.99);
		console.log(`resumed ${resumed}/${COUNT}; answer delivery → execution finished: p50 ${p50} ms, p99 ${p99} ms, max ${latencies.at(-1)} ms`);
		console.log(`${EXTRA} second taps + ${EXTRA} redeliveries: ${double} extra resumes, ${declinedWins} executions took the later answer; Trigger executions started: ${triggerRuns} (want 0)`);
		console.log(`n8n peak RSS ${formatGiB(memory.peakBytes.n8n ?? 0)}${guard.tripped ? ` (guard tripped: ${guard.tripped})` : ''}`);
		console.log(`wait_resumed=${resumed} wait_double=${double + declinedWins} wait_resume_p99_ms=${p99}`);
	} finally {
		await srv?.stop();
		await n8n.dispose();
		await emulator.close();
		if (prepared && process.env.BENCH_KEEP !== '1') fs.rmSync(prepared, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
