/**
 * Acknowledgement latency and lost events of the 360dialog Trigger in a REAL n8n (pinned, scripts/n8n-env.sh),
 * next to n8n's own Webhook node on the same instance, under the same open-loop load.
 *
 *   npx tsx bench/trigger-ack.ts
 *
 * Setup: one `n8n start` (fresh SQLite DB, default execution saving: EXECUTIONS_DATA_SAVE_ON_SUCCESS=all) with the
 * package installed from its npm pack tarball, as scripts/e2e.sh does. Active workflows:
 *   ours        360dialog Trigger (Manual registration, so no 360dialog is needed; secret header set) -> No Op
 *   theirs      n8n Webhook node (POST, responseMode onReceived, no authentication)                   -> No Op
 *   theirsAuth  (BENCH_HEADER_AUTH=1) n8n Webhook node with Header Auth on the same secret header      -> No Op
 *               (the like-for-like feature: it also checks a secret header through a credential)
 * Load: BENCH_COUNT deliveries to EACH workflow at BENCH_RATE per second EACH, interleaved (ours, theirs, ours, ...)
 * on one fixed schedule, so all see the same machine. Open loop: a request leaves at its scheduled time whether or
 * not earlier ones were answered (axios, keep-alive agent, no socket limit). Latency = scheduled send time ->
 * response, so a client that falls behind cannot hide queueing. Every delivery is the shared fixture
 * webhooks/message-text.json with a unique wamid (the same kind of body goes to every workflow).
 *
 * Lost events: deliveries answered 200 minus executions once everything has settled (counted through the public
 * API, GET /api/v1/executions with paging; cross-checked in the SQLite DB). Then up to BENCH_DUPLICATES deliveries
 * ours already acknowledged are sent again, one at a time: each must be answered 200 and start nothing (dedupe).
 * Warm-up deliveries (one at a time, before the load) give the unloaded latency.
 *
 * Last line: `ack_p99_ratio=<ours p99 / theirs p99> lost=<ours: acknowledged - executions>`.
 *
 * Knobs (environment): BENCH_COUNT (300), BENCH_RATE (5 per second per workflow: what one n8n on SQLite sustains on 2 cores),
 * BENCH_MEMORY_LIMIT_GB (4: n8n and its task runner are stopped, and the run fails, past it), BENCH_TARGETS (ours and/or theirs alone), BENCH_WARMUP (20 per workflow),
 * BENCH_TIMEOUT_MS (600000: long, so queueing is measured rather than cut off; answers > 10 s are counted apart),
 * BENCH_DUPLICATES (50), BENCH_SETTLE_MS (600000: how long to wait for executions), BENCH_HEADER_AUTH=1,
 * BENCH_BUILD=0 (use the existing dist/), BENCH_PKG_DIR (package to install, default this repo),
 * BENCH_KEEP=1 (keep the n8n user folder and server log), BENCH_N8N_ENV (extra n8n env, `A=1,B=2`).
 * Under the environment scripts/e2e.sh prepares (N8N_BIN and E2E_NODES_DIR set) it uses that one.
 */
import axios, { type AxiosInstance } from 'axios';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

import { loadWebhookFixture } from '../test/support/fixtures';
import { envNumber } from './lib';
import { prepareRealN8n, reexecUnderNode24, REPO } from './lib/realN8n';
import { formatGiB, GIB, watchMemory, type MemoryGuard } from './lib/memoryGuard';
import { N8n, type N8nServer } from '../test/e2e/lib/n8n';

// Defaults the single-process stack sustains on 2 cores (one n8n on SQLite grew past 11 GB at 100/s).
const COUNT = Math.floor(envNumber('BENCH_COUNT', 300));
const RATE = envNumber('BENCH_RATE', 5);
const MEMORY_LIMIT_BYTES = envNumber('BENCH_MEMORY_LIMIT_GB', 4) * GIB;
const WARMUP = Math.max(2, Math.floor(envNumber('BENCH_WARMUP', 20)));
const TIMEOUT_MS = envNumber('BENCH_TIMEOUT_MS', 600_000);
const DUPLICATES = Math.floor(envNumber('BENCH_DUPLICATES', 50));
const SETTLE_MS = envNumber('BENCH_SETTLE_MS', 600_000);
const SLOW_MS = 10_000;
const SECRET_HEADER = 'X-360-Webhook-Secret';
const SECRET = `bench-${randomUUID()}`;

type Target = 'ours' | 'theirs' | 'theirsAuth';
const ALL_TARGETS: Target[] = ['ours', 'theirs', 'theirsAuth'];
/** BENCH_TARGETS=ours (or theirs) runs one alone: whose memory grows under a load? Default: ours and theirs. */
const TARGETS: Target[] = process.env.BENCH_TARGETS
	? ALL_TARGETS.filter((t) => process.env.BENCH_TARGETS!.split(',').map((x) => x.trim()).includes(t))
	: process.env.BENCH_HEADER_AUTH === '1'
		? ['ours', 'theirs', 'theirsAuth']
		: ['ours', 'theirs'];
if (TARGETS.length === 0) throw new Error(`BENCH_TARGETS must name ours, theirs and/or theirsAuth; got "${process.env.BENCH_TARGETS}"`);
const LABEL_TEXT: Record<Target, string> = {
	ours: 'ours       (360dialog Trigger)',
	theirs: 'theirs     (n8n Webhook)',
	theirsAuth: 'theirsAuth (n8n Webhook + Header Auth)',
};
const LABEL = Object.fromEntries(Object.entries(LABEL_TEXT).map(([t, l]) => [t, l.padEnd(38)])) as Record<Target, string>;
const TAG: Record<Target, string> = { ours: 'O', theirs: 'T', theirsAuth: 'A' };
const sendsSecret = (t: Target) => t !== 'theirs';

interface Workflow {
	id: string;
	path: string;
}
type PerTarget<T> = Partial<Record<Target, T>>;

interface Sample {
	target: Target;
	serial: number;
	/** How late the request actually left (client lag). */
	lagMs: number;
	/** Scheduled send time -> answer. */
	latencyMs: number;
	status?: number;
	error?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Environment: the pinned n8n on Node 24 and a tarball install of the package (what scripts/e2e.sh prepares)
// ---------------------------------------------------------------------------------------------------------


// ---------------------------------------------------------------------------------------------------------
// Workflows
// ---------------------------------------------------------------------------------------------------------

const noOp = () => ({ id: randomUUID(), name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} });
const toNoOp = (from: string) => ({ [from]: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } });

async function createWorkflows(srv: N8nServer, pkg: string): Promise<Record<Target, Workflow>> {
	const wf: PerTarget<Workflow> = {};
	const credential = await srv.api<{ id: string; name: string }>('POST', '/credentials', {
		name: 'bench (not called: Manual registration)',
		type: 'dialog360Api',
		data: { apiKey: 'bench-key', environment: 'custom', baseUrl: 'http://127.0.0.1:9' },
	});
	const triggerWebhookId = randomUUID();
	wf.ours = {
		id: await srv.createWorkflow({
			name: 'bench ack: 360dialog Trigger',
			nodes: [
				{
					id: randomUUID(),
					name: '360dialog Trigger',
					type: `${pkg}.dialog360Trigger`,
					typeVersion: 1,
					position: [0, 0],
					webhookId: triggerWebhookId,
					parameters: { registration: 'manual', webhookSecret: SECRET, events: ['message'], options: {} },
					// required by the node (n8n refuses to activate without it), never used in Manual mode
					credentials: { dialog360Api: { id: credential.id, name: credential.name } },
				},
				noOp(),
			],
			connections: toNoOp('360dialog Trigger'),
		}),
		// the Trigger's webhook has path "webhook" without isFullPath: n8n serves it at <webhookId>/webhook
		path: `${triggerWebhookId}/webhook`,
	};
	const webhookWorkflow = async (target: Target, auth?: { id: string; name: string }): Promise<Workflow> => {
		const hookPath = `bench-ack-${target.toLowerCase()}-${randomUUID().slice(0, 8)}`;
		const id = await srv.createWorkflow({
			name: `bench ack: n8n Webhook${auth ? ' + Header Auth' : ''}`,
			nodes: [
				{
					id: randomUUID(),
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: randomUUID(),
					parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'onReceived', ...(auth ? { authentication: 'headerAuth' } : {}), options: {} },
					...(auth ? { credentials: { httpHeaderAuth: auth } } : {}),
				},
				noOp(),
			],
			connections: toNoOp('Webhook'),
		});
		return { id, path: hookPath };
	};
	wf.theirs = await webhookWorkflow('theirs');
	if (TARGETS.includes('theirsAuth')) {
		const auth = await srv.api<{ id: string; name: string }>('POST', '/credentials', {
			name: 'bench header auth',
			type: 'httpHeaderAuth',
			data: { name: SECRET_HEADER, value: SECRET },
		});
		wf.theirsAuth = await webhookWorkflow('theirsAuth', { id: auth.id, name: auth.name });
	}
	for (const t of TARGETS) await srv.activate(wf[t]!.id);
	return wf as Record<Target, Workflow>;
}

// ---------------------------------------------------------------------------------------------------------
// Deliveries
// ---------------------------------------------------------------------------------------------------------

const fixture = loadWebhookFixture('message-text');
const runTag = randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase();

/** The fixture with a unique wamid (serial < 0: warm-up) and a numbered text. Same serial, same bytes. */
function delivery(target: Target, serial: number): string {
	const body = structuredClone(fixture);
	const message = body.entry[0].changes[0].value.messages[0];
	message.id = `wamid.BENCH${runTag}${TAG[target]}${serial < 0 ? 'W' : 'L'}${String(Math.abs(serial)).padStart(7, '0')}`;
	message.text.body = `${message.text.body} #${serial}`;
	return JSON.stringify(body);
}

function makeClient(baseUrl: string): AxiosInstance {
	return axios.create({
		baseURL: `${baseUrl}/webhook/`,
		httpAgent: new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 }),
		timeout: TIMEOUT_MS,
		validateStatus: () => true,
		responseType: 'text',
		transformResponse: (data: unknown) => data,
		maxRedirects: 0,
	});
}

const headersFor = (target: Target): Record<string, string> => (sendsSecret(target) ? { [SECRET_HEADER]: SECRET } : {});

function post(client: AxiosInstance, wf: Record<Target, Workflow>, target: Target, body: string) {
	return client.post(wf[target].path, body, { headers: { 'content-type': 'application/json', ...headersFor(target) } });
}

/** One delivery at a time to each workflow: n8n warms up, and the latencies show the unloaded figure. */
async function warmUp(srv: N8nServer, client: AxiosInstance, wf: Record<Target, Workflow>): Promise<PerTarget<number[]>> {
	const latencies: PerTarget<number[]> = {};
	for (const target of TARGETS) {
		// the first call right after activation may 404 for a moment (P6): lib's webhook() retries that
		const res = await srv.webhook(wf[target].path, undefined, { rawBody: delivery(target, -1), headers: headersFor(target) });
		if (res.status !== 200) throw new Error(`warm-up ${target}: HTTP ${res.status} ${await res.text()}`);
		latencies[target] = [];
	}
	for (let i = 1; i < WARMUP; i++) {
		for (const target of TARGETS) {
			const body = delivery(target, -1 - i);
			const t0 = performance.now();
			const r = await post(client, wf, target, body);
			latencies[target]!.push(performance.now() - t0);
			if (r.status !== 200) throw new Error(`warm-up ${target}: HTTP ${r.status} ${String(r.data).slice(0, 300)}`);
		}
	}
	return latencies;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Open loop: request k (targets in turn) leaves at start + k * interval, answered or not. */
async function openLoop(client: AxiosInstance, wf: Record<Target, Workflow>, guard: MemoryGuard): Promise<Sample[]> {
	const total = COUNT * TARGETS.length;
	const intervalMs = 1000 / (RATE * TARGETS.length);
	const bodies = Array.from({ length: total }, (_, k) => delivery(TARGETS[k % TARGETS.length], Math.floor(k / TARGETS.length)));
	const samples: Sample[] = [];
	const inflight: Promise<void>[] = [];
	const start = performance.now() + 50;
	let lastProgress = start;
	for (let k = 0; k < total; k++) {
		if (guard.tripped) break; // n8n was stopped: no more load
		const due = start + k * intervalMs;
		const wait = due - performance.now();
		if (wait > 1) await sleep(wait);
		const target = TARGETS[k % TARGETS.length];
		const serial = Math.floor(k / TARGETS.length);
		const lagMs = performance.now() - due;
		inflight.push(
			post(client, wf, target, bodies[k]).then(
				(res) => {
					samples.push({ target, serial, lagMs, latencyMs: performance.now() - due, status: res.status });
				},
				(error: Error & { code?: string }) => {
					samples.push({ target, serial, lagMs, latencyMs: performance.now() - due, error: error.code ?? error.message });
				},
			),
		);
		if (performance.now() - lastProgress > 5000) {
			lastProgress = performance.now();
			console.error(`   sent ${k + 1}/${total}, answered ${samples.length}`);
		}
	}
	const sentIn = performance.now() - start;
	console.error(`   all ${total} sent in ${(sentIn / 1000).toFixed(1)} s (${((total / sentIn) * 1000).toFixed(1)} req/s offered); waiting for answers`);
	let done = false;
	const progress = (async () => {
		while (!done) {
			await sleep(10_000);
			if (!done) console.error(`   answered ${samples.length}/${total}`);
		}
	})();
	await Promise.all(inflight);
	done = true;
	await progress.catch(() => undefined);
	return samples;
}

// ---------------------------------------------------------------------------------------------------------
// Executions
// ---------------------------------------------------------------------------------------------------------

/** Every execution of a workflow through the public API (paged: 250 per page, nextCursor). */
async function apiExecutions(srv: N8nServer, workflowId: string): Promise<Array<{ id: string; status?: string }>> {
	const all: Array<{ id: string; status?: string }> = [];
	let cursor: string | undefined;
	do {
		const q = new URLSearchParams({ workflowId, limit: '250', includeData: 'false' });
		if (cursor) q.set('cursor', cursor);
		const page = await srv.api<{ data: Array<{ id: string; status?: string }>; nextCursor?: string | null }>('GET', `/executions?${q}`);
		all.push(...page.data);
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return all;
}

async function dbCounts(n8n: N8n, workflowId: string): Promise<Record<string, number>> {
	const rows = await n8n.db.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM execution_entity WHERE workflowId = ? GROUP BY status', [workflowId]);
	return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

const UNSETTLED = new Set(['new', 'running', 'waiting']);
const settled = (counts: Record<string, number>) => Object.entries(counts).reduce((sum, [s, n]) => sum + (UNSETTLED.has(s) ? 0 : n), 0);
const pending = (counts: Record<string, number>) => Object.entries(counts).reduce((sum, [s, n]) => sum + (UNSETTLED.has(s) ? n : 0), 0);

/**
 * Until no workflow has unfinished executions and each has its expected count, or nothing moved for 30 s
 * (an overloaded n8n can leave executions "running" for good: their final DB write failed), or BENCH_SETTLE_MS.
 */
async function waitForSettle(n8n: N8n, wf: Record<Target, Workflow>, expected: PerTarget<number>): Promise<number> {
	const t0 = performance.now();
	let last = '';
	let stableSince = performance.now();
	for (;;) {
		const counts: PerTarget<Record<string, number>> = {};
		for (const t of TARGETS) counts[t] = await dbCounts(n8n, wf[t].id);
		const idle = TARGETS.every((t) => pending(counts[t]!) === 0);
		const complete = TARGETS.every((t) => settled(counts[t]!) >= (expected[t] ?? 0));
		const key = JSON.stringify(counts);
		if (key !== last) {
			last = key;
			stableSince = performance.now();
		}
		const still = performance.now() - stableSince;
		if ((idle && complete) || (idle && still > 15_000) || still > 30_000 || performance.now() - t0 > SETTLE_MS) return performance.now() - t0;
		await sleep(1000);
	}
}

// ---------------------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');

interface Figures {
	sent: number;
	ok: number;
	statuses: Record<string, number>;
	p50: number;
	p90: number;
	p99: number;
	max: number;
	slow: number;
	lagP99: number;
	/** Answers per second while the load ran (first scheduled send -> last answer). */
	throughput: number;
}

function figures(samples: Sample[], loadMs: number): Figures {
	const statuses: Record<string, number> = {};
	for (const s of samples) {
		const key = s.error ? `error ${s.error}` : `HTTP ${s.status}`;
		statuses[key] = (statuses[key] ?? 0) + 1;
	}
	const ok = samples.filter((s) => s.status === 200);
	const lat = ok.map((s) => s.latencyMs).sort((a, b) => a - b);
	return {
		sent: samples.length,
		ok: ok.length,
		statuses,
		p50: percentile(lat, 50),
		p90: percentile(lat, 90),
		p99: percentile(lat, 99),
		max: lat[lat.length - 1] ?? NaN,
		slow: lat.filter((v) => v > SLOW_MS).length,
		lagP99: percentile(samples.map((s) => s.lagMs).sort((a, b) => a - b), 99),
		throughput: (samples.length / loadMs) * 1000,
	};
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const prepared = prepareRealN8n(path.resolve(process.env.BENCH_PKG_DIR ?? REPO));
	if (reexecUnderNode24(__filename, prepared)) return;
	const pkg = process.env.E2E_PACKAGE_NAME ?? 'n8n-nodes-360dialog';
	const extraEnv = Object.fromEntries(
		(process.env.BENCH_N8N_ENV ?? '')
			.split(',')
			.filter(Boolean)
			.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
	);
	const n8n = await N8n.fresh({ env: extraEnv });
	let srv: N8nServer | undefined;
	try {
		srv = await n8n.startServer();
		const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
		console.log(`n8n ${srv.baseUrl} ready in ${(srv.readyMs / 1000).toFixed(1)} s; ${os.cpus().length} cores, load average ${load()}`);
		console.log(`execution saving: EXECUTIONS_DATA_SAVE_ON_SUCCESS=${n8n.env.EXECUTIONS_DATA_SAVE_ON_SUCCESS ?? '(default: all)'}${Object.keys(extraEnv).length ? `; extra env ${JSON.stringify(extraEnv)}` : ''}`);
		const wf = await createWorkflows(srv, pkg);
		const client = makeClient(srv.baseUrl);

		const warm = await warmUp(srv, client, wf);
		const warmLine = TARGETS.map((t) => {
			const sorted = [...warm[t]!].sort((a, b) => a - b);
			return `${t} p50 ${ms(percentile(sorted, 50))} p90 ${ms(percentile(sorted, 90))}`;
		});
		console.log(`unloaded (warm-up, one request at a time, ${WARMUP - 1} each after the first): ${warmLine.join('; ')}`);

		console.log(`load: ${COUNT} deliveries to each of ${TARGETS.length} workflows at ${RATE}/s each, interleaved (${RATE * TARGETS.length}/s in all), open loop`);
		const guard = watchMemory([{ label: 'n8n', pid: srv.pid! }], {
			limitBytes: MEMORY_LIMIT_BYTES,
			load: `${RATE * TARGETS.length} deliveries/s`,
			onTrip: (message, watched) => {
				console.error(`!! ${message}`);
				try {
					process.kill(-watched.pid, 'SIGKILL'); // its process group: n8n and its task runner
				} catch {
					// already gone
				}
			},
		});
		const t0 = performance.now();
		const samples = await openLoop(client, wf, guard);
		const loadMs = performance.now() - t0;
		const memory = guard.stop();
		if (memory.tripped) throw new Error(memory.tripped);
		console.log(`all answered after ${(loadMs / 1000).toFixed(1)} s (load average ${load()}); n8n peak RSS ${formatGiB(memory.peakBytes.n8n ?? 0)} (limit ${formatGiB(MEMORY_LIMIT_BYTES)})`);

		const by: PerTarget<Figures> = {};
		const expected: PerTarget<number> = {};
		for (const t of TARGETS) {
			by[t] = figures(samples.filter((s) => s.target === t), loadMs);
			expected[t] = WARMUP + by[t]!.ok;
		}
		const settleMs = await waitForSettle(n8n, wf, expected);
		console.log(`executions settled ${(settleMs / 1000).toFixed(1)} s after the last answer`);

		const lost: PerTarget<number> = {};
		for (const t of TARGETS) {
			const f = by[t]!;
			const executions = await apiExecutions(srv, wf[t].id);
			const statusCounts: Record<string, number> = {};
			for (const e of executions) statusCounts[String(e.status)] = (statusCounts[String(e.status)] ?? 0) + 1;
			lost[t] = expected[t]! - executions.length;
			console.log(
				`${LABEL[t]}: sent ${f.sent}, answered 200: ${f.ok} ${JSON.stringify(f.statuses)}; ack p50 ${ms(f.p50)}, p90 ${ms(f.p90)}, p99 ${ms(f.p99)}, ` +
					`max ${ms(f.max)}, > ${SLOW_MS / 1000} s: ${f.slow}; ${f.throughput.toFixed(1)} answers/s; client lag p99 ${ms(f.lagP99)}`,
			);
			console.log(
				`${' '.repeat(LABEL[t].length)}  executions (public API): ${executions.length} ${JSON.stringify(statusCounts)} (DB: ${JSON.stringify(await dbCounts(n8n, wf[t].id))}) ` +
					`for ${expected[t]} acknowledged (${WARMUP} warm-up + ${f.ok}) -> lost ${lost[t]}${lost[t]! < 0 ? ' (more executions than 200 answers: timed-out requests still ran)' : ''}`,
			);
		}

		// Duplicates: re-send deliveries ours acknowledged, one at a time; each must be answered 200 and start nothing.
		// Two sets: warm-up deliveries (acknowledged one at a time before the load) and deliveries of the load.
		if (DUPLICATES > 0 && TARGETS.includes('ours')) {
			const sets: Array<[string, number[]]> = [
				['warm-up deliveries (acknowledged one at a time)', Array.from({ length: Math.min(DUPLICATES, WARMUP) }, (_, i) => -1 - i)],
				[
					'load deliveries (acknowledged while many were in flight)',
					samples
						.filter((s) => s.target === 'ours' && s.status === 200)
						.slice(0, DUPLICATES)
						.map((s) => s.serial),
				],
			];
			for (const [label, serials] of sets) {
				const before = (await apiExecutions(srv, wf.ours.id)).length;
				let answered = 0;
				for (const serial of serials) if ((await post(client, wf, 'ours', delivery('ours', serial))).status === 200) answered++;
				await sleep(3000);
				await waitForSettle(n8n, wf, {});
				const started = (await apiExecutions(srv, wf.ours.id)).length - before;
				console.log(`duplicates: ${serials.length} ${label} re-sent to ours -> ${answered} answered 200, ${started} new executions (want 0)`);
			}
		}

		const ours = by.ours;
		const theirs = by.theirs;
		if (!ours || !theirs) {
			const [only] = TARGETS;
			console.log(`${only} alone: ack_p99_ms=${by[only]!.p99.toFixed(1)} lost=${lost[only]} peak_rss_gb=${((memory.peakBytes.n8n ?? 0) / GIB).toFixed(2)}`);
			return;
		}
		const ratio = ours.p99 / theirs.p99;
		const authRatio = by.theirsAuth ? `; vs Webhook+HeaderAuth p50 ${(ours.p50 / by.theirsAuth.p50).toFixed(2)}, p99 ${(ours.p99 / by.theirsAuth.p99).toFixed(2)}` : '';
		console.log(`ratio ours/theirs: p50 ${(ours.p50 / theirs.p50).toFixed(2)}, p99 ${ratio.toFixed(2)} (goal <= 1.2)${authRatio}; lost: ours ${lost.ours} (goal 0), theirs ${lost.theirs}`);
		console.log(`ack_p99_ratio=${ratio.toFixed(2)} lost=${lost.ours}`);
	} finally {
		await srv?.stop();
		if (process.env.BENCH_KEEP === '1') console.error(`kept ${n8n.userFolder}`);
		else await n8n.dispose();
		if (prepared && process.env.BENCH_KEEP !== '1') fs.rmSync(prepared, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
