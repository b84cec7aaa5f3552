/**
 * `npm run bench:queue`: the 360dialog Trigger on n8n's queue mode (issue #12 §3 and §4), on one stack
 * (test/e2e/lib/queueStack.ts: PostgreSQL, Redis, main, 2 webhook processors behind nginx, 2 workers) with the
 * emulator as 360dialog.
 *
 * 1. Exactly once: BENCH_EVENTS (2,000) distinct events through nginx at BENCH_LOAD_RATE (5/s), each delivered a
 *    second time — a third at the same moment, a third 5 s later, a third 60 s later —, webhook processor 1 killed
 *    with SIGKILL halfway (what it did not answer is delivered again), then both webhook processors restarted and
 *    BENCH_THIRD (300) events delivered a third time. The workflow (Trigger → Send `Re: <wamid>`) answers each event;
 *    the emulator counts the answers: lost = events never answered, duplicates = events answered twice or more.
 * 2. Acknowledgement latency at BENCH_ACK_RATES (10,20,50 deliveries per second), BENCH_ACK_SECONDS (15) per target
 *    and rate, open loop, in blocks of BENCH_ACK_BLOCK_S (5 s) taking turns (so each target meets the stack at that
 *    rate and all share the same minutes of the machine), over three workflows on the same stack: ours (Trigger → No Op), n8n's Webhook node at
 *    typeVersion 1 (the fair peer: like every non-core trigger it gets an expression isolate per request) and at
 *    typeVersion 2 (isolate-free: the floor). p50/p99 from the scheduled send time; lost = answered 200 − executions.
 *
 * Every n8n process's memory (its task runner included) is watched; past BENCH_MEMORY_LIMIT_GB (3) the stack is
 * stopped and the run fails with a message naming the process and the load.
 *
 * Last line: queue_events=<n> queue_executions=<n> queue_lost=<n> queue_duplicates=<n> ack_p99_ratio=<ours/v1 at 20/s>
 * where queue_executions counts executions that ran the workflow (the Trigger emitted the event); executions a
 * duplicate delivery started and the Trigger stopped at once are printed beside it.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { startEmulator, type Emulator } from '../test/emulator';
import { QueueStack } from '../test/e2e/lib/queueStack';
import { noOpNode, sendNode, triggerNode, WorkflowBuilder } from '../test/e2e/lib/workflow';
import { envNumber } from './lib';
import { formatGiB, GIB, watchMemory } from './lib/memoryGuard';
import { prepareRealN8n, reexecUnderNode24 } from './lib/realN8n';
import { deliverUntilAcknowledged, eventBody, runRedeliveryLoad, runsById } from './lib/redeliveryLoad';


const EVENTS = envNumber('BENCH_EVENTS', 2000);
// 5 events/s = about 10 deliveries/s: what two webhook processors on 2 cores answer without queueing (n8n's
// per-request expression isolate dominates from about 15/s).
const LOAD_RATE = envNumber('BENCH_LOAD_RATE', 5);
const THIRD = envNumber('BENCH_THIRD', 300);
const MUCH_LATER_MS = envNumber('BENCH_MUCH_LATER_MS', 60_000);
const ACK_RATES = (process.env.BENCH_ACK_RATES ?? '10,20,50').split(',').map(Number).filter((n) => n > 0);
const ACK_SECONDS = envNumber('BENCH_ACK_SECONDS', 15);
const BLOCK_S = envNumber('BENCH_ACK_BLOCK_S', 5);
const PAUSE_MS = envNumber('BENCH_ACK_PAUSE_MS', 2000);
const MEMORY_LIMIT = envNumber('BENCH_MEMORY_LIMIT_GB', 3) * GIB;
const SECRET_HEADER = 'X-360-Webhook-Secret';
const SECRET = `bench-${randomUUID()}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Target = 'ours' | 'webhookV1' | 'webhookV2';
const TARGETS: Target[] = ['ours', 'webhookV1', 'webhookV2'];

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function main(): Promise<void> {
	let stack: QueueStack | undefined;
	let emulator: Emulator | undefined;
	let tripped: string | undefined;
	const abort = new AbortController();
	try {
		emulator = await startEmulator();
		stack = await QueueStack.start({ log: (line) => console.error(`  [stack] ${line}`) });
		const s = stack;
		console.log(`stack ready in ${((s.timings.total ?? 0) / 1000).toFixed(1)} s:\n${s.describe()}`);
		const guard = watchMemory(
			s.processes().filter((p) => p.parentPid === undefined && !['postgres', 'redis', 'nginx'].includes(p.name)).map((p) => ({ label: p.name, pid: p.pid })),
			{
				limitBytes: MEMORY_LIMIT,
				load: 'bench:queue',
				onTrip: (message) => {
					tripped = message;
					abort.abort();
					console.error(`\n!! ${message}: stopping the stack`);
					void s.stop();
				},
			},
		);

		const credential = await s.main.createCredential('360dialog (emulator)', 'dialog360Api', { apiKey: emulator.apiKey, environment: 'custom', baseUrl: emulator.url });
		// 1. the workflow of the exactly-once load
		const replyTrigger = triggerNode('360dialog Trigger', { registration: 'manual', webhookSecret: SECRET }, { credential });
		const replyWf = new WorkflowBuilder('bench: exactly once');
		replyWf.add(replyTrigger);
		replyWf.add(sendNode('Reply', { messageType: 'text', to: '={{ $json.from }}', textBody: '=Re: {{ $json.messageId }}' }, { credential }), replyTrigger.name);
		const replyId = await s.main.createWorkflow(replyWf.build());
		// 2. the acknowledgement comparison
		const ackTrigger = triggerNode('360dialog Trigger', { registration: 'manual', webhookSecret: SECRET }, { credential });
		const ackWf = new WorkflowBuilder('bench: ours');
		ackWf.add(ackTrigger);
		ackWf.add(noOpNode('No Op'), ackTrigger.name);
		const webhookWf = (version: 1 | 2) => {
			const wf = new WorkflowBuilder(`bench: Webhook v${version}`);
			const hookPath = `bench-v${version}-${randomUUID().slice(0, 8)}`;
			wf.add({ id: randomUUID(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: version, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'onReceived', options: {} } });
			wf.add(noOpNode('No Op'), 'Webhook');
			return { wf, hookPath };
		};
		const v1 = webhookWf(1);
		const v2 = webhookWf(2);
		const ids: Record<Target, string> = {
			ours: await s.main.createWorkflow(ackWf.build()),
			webhookV1: await s.main.createWorkflow(v1.wf.build()),
			webhookV2: await s.main.createWorkflow(v2.wf.build()),
		};
		for (const id of [replyId, ...Object.values(ids)]) await s.main.activate(id);
		const base = s.urls.webhookBase;
		const urls: Record<Target, string> = {
			ours: `${base}/webhook/${ackTrigger.webhookId}/webhook`,
			webhookV1: `${base}/webhook/${v1.hookPath}`,
			webhookV2: `${base}/webhook/${v2.hookPath}`,
		};

		const drained = (workflowIds: string[]) => s.settledExecutions(workflowIds, { timeoutMs: 900_000, pollMs: 3_000, stop: () => tripped });

		// ---- 1. exactly once ----
		console.log(`\n== exactly once: ${EVENTS} events at ${LOAD_RATE}/s, each twice (same moment / 5 s / ${MUCH_LATER_MS / 1000} s), SIGKILL of webhook-1 halfway, restart, ${THIRD} a third time`);
		const target = { url: `${base}/webhook/${replyTrigger.webhookId}/webhook`, headers: { [SECRET_HEADER]: SECRET } };
		const sentBefore = emulator.messages().length;
		const load = await runRedeliveryLoad(target, {
			events: EVENTS,
			rate: LOAD_RATE,
			laterMs: 5_000,
			muchLaterMs: MUCH_LATER_MS,
			idPrefix: `b${Date.now().toString(36)}`,
			midway: { at: 0.5, run: () => s.killWebhookProcessor(0, 'SIGKILL') },
			signal: abort.signal,
		});
		if (tripped) throw new Error(tripped);
		await drained([replyId]);
		await s.restartWebhookProcessors();
		const thirdIds = load.ids.filter((_, i) => i % Math.max(1, Math.floor(EVENTS / THIRD)) === 0).slice(0, THIRD);
		const third: Awaited<ReturnType<typeof deliverUntilAcknowledged>>[] = [];
		for (let i = 0; i < thirdIds.length; i += 10) third.push(...(await Promise.all(thirdIds.slice(i, i + 10).map((id) => deliverUntilAcknowledged(target, id, { signal: abort.signal })))));
		const [counts] = await drained([replyId]);
		const replies = emulator.messages().slice(sentBefore).map((m) => String((m.body as { text?: { body?: string } }).text?.body ?? ''));
		const { runs, lost, duplicated } = runsById(replies, load.ids);
		const ranWorkflow = [...runs.values()].reduce((a, b) => a + b, 0);
		const executionsTotal = Object.values(counts).reduce((a, b) => a + b, 0);
		const acked = load.deliveries.filter((d) => d.acknowledged).length + third.filter((d) => d.acknowledged).length;
		console.log(
			`deliveries ${load.deliveries.length + third.length} (acknowledged ${acked}, ${load.retried} answers other than 200 retried, unacknowledged ${load.unacknowledged}) in ${(load.ms / 1000).toFixed(0)} s\n` +
				`executions ${executionsTotal} ${JSON.stringify(counts)}: ${ranWorkflow} ran the workflow, ${executionsTotal - ranWorkflow} stopped at the Trigger (duplicate claims)\n` +
				`lost ${lost.length} ${lost.slice(0, 5).join(' ')}  duplicated ${duplicated.length} ${duplicated.slice(0, 5).join(' ')}`,
		);

		// ---- 2. acknowledgement latency ----
		console.log(`\n== acknowledgement latency through nginx, open loop, interleaved (${ACK_SECONDS} s per rate)`);
		const ratioAt: Record<number, number> = {};
		for (const rate of ACK_RATES) {
			if (tripped) break;
			const before = await Promise.all(TARGETS.map((t) => s.executionCounts(ids[t])));
			// Blocks of BLOCK_S seconds, one target at a time, round after round (ours, v1, v2, ours, …): each target
			// sees the stack at `rate`, and all three share the same minutes of the machine.
			const rounds = Math.max(1, Math.round(ACK_SECONDS / BLOCK_S));
			const perBlock = Math.max(1, Math.round(rate * BLOCK_S));
			const count = rounds * perBlock;
			const latencies: Record<Target, number[]> = { ours: [], webhookV1: [], webhookV2: [] };
			const ok: Record<Target, number> = { ours: 0, webhookV1: 0, webhookV2: 0 };
			const pending: Promise<void>[] = [];
			for (let round = 0; round < rounds && !tripped; round++) {
				for (const t of TARGETS) {
					const t0 = performance.now();
					for (let i = 0; i < perBlock && !tripped; i++) {
						const due = t0 + (i * 1000) / rate;
						const wait = due - performance.now();
						if (wait > 0) await sleep(wait);
						const body = JSON.stringify(eventBody(`wamid.ack-${rate}-${t}-${round}-${i}-${randomUUID().slice(0, 6)}`));
						pending.push(
							fetch(urls[t], { method: 'POST', headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET }, body, signal: AbortSignal.timeout(120_000) })
								.then(async (res) => {
									await res.arrayBuffer();
									latencies[t].push(performance.now() - due);
									if (res.status === 200) ok[t]++;
								})
								.catch(() => {
									latencies[t].push(performance.now() - due);
								}),
						);
					}
					await sleep(PAUSE_MS);
				}
			}
			await Promise.all(pending);
			const after = await drained(TARGETS.map((t) => ids[t]));
			const row = TARGETS.map((t, k) => {
				const sorted = latencies[t].sort((a, b) => a - b);
				const executions = Object.values(after[k]).reduce((a, b) => a + b, 0) - Object.values(before[k]).reduce((a, b) => a + b, 0);
				return { t, p50: percentile(sorted, 50), p99: percentile(sorted, 99), ok: ok[t], lost: ok[t] - executions };
			});
			ratioAt[rate] = row[0].p99 / row[1].p99;
			console.log(
				`${String(rate).padStart(3)}/s  ` +
					row.map((r) => `${r.t} p50 ${r.p50.toFixed(0)} ms p99 ${r.p99.toFixed(0)} ms (200: ${r.ok}/${count}, lost ${r.lost})`).join(' | ') +
					`  ratio ours/v1 ${ratioAt[rate].toFixed(2)}, ours/v2 ${(row[0].p99 / row[2].p99).toFixed(2)}`,
			);
		}
		const report = guard.stop();
		console.log(`\npeak RSS per process tree: ${Object.entries(report.peakBytes).map(([l, b]) => `${l} ${formatGiB(b)}`).join(', ')}`);
		if (tripped) throw new Error(tripped);
		const ratio = ratioAt[20] ?? ratioAt[ACK_RATES[0]];
		console.log(`queue_events=${EVENTS} queue_executions=${ranWorkflow} queue_lost=${lost.length} queue_duplicates=${duplicated.length} ack_p99_ratio=${ratio.toFixed(2)}`);
		if (lost.length > 0 || duplicated.length > 0) process.exitCode = 1;
	} finally {
		await stack?.stop();
		await emulator?.close();
	}
}

const prepared = prepareRealN8n();
if (!reexecUnderNode24(__filename, prepared)) {
	main().catch((error) => {
		console.error(error);
		process.exitCode = 1;
	});
}
