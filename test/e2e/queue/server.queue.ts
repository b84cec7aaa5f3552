/**
 * The server suite's cases (test/e2e/server.e2e.ts) on n8n 2.x in QUEUE MODE: ONE stack for the whole file
 * (test/e2e/lib/queueStack.ts: PostgreSQL, Redis, main with N8N_DISABLE_PRODUCTION_MAIN_PROCESS, 2 webhook processors
 * behind nginx, 2 workers, binary data mode `database`) and the local 360dialog emulator (in-process).
 *
 *   - activation (through main's public API) registers nginx's public URL + the secret header with the emulator;
 *   - the emulator delivers EVERY fixture through nginx: each delivery is one execution that a worker ran (the
 *     workers' logs name it; main cannot, it serves no production webhook), every message is answered through the
 *     Send node, every status seen; both webhook processors took deliveries;
 *   - a request without (or with a wrong) secret gets 401 through nginx and starts nothing;
 *   - deactivation puts back the webhook that was configured before;
 *   - inbound media: the Trigger's "Download Media" option puts the photo into binary data, stored in PostgreSQL
 *     (`database` mode, so whichever process downloads it, the worker that sends it reads it), and the Send node
 *     re-sends it as a new upload: same bytes;
 *   - a bulk send of 1,000 templates for one number, split over 4 concurrent executions that run on both workers,
 *     while the emulator rate-limits: 0 failed, every 429 retried (the node counts them), each execution's output in
 *     its input order, every recipient exactly once.
 *
 * Not here: the Trigger's deduplication (it is moving into an `execute` method that runs on the worker; another file
 * covers it), and nothing assumes the Trigger answers before the execution exists: executions are polled.
 * Run: npm run test:e2e:queue (scripts/e2e-queue.sh).
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startEmulator, type Emulator, type InboundRequest, type RecordedMessage } from '../../emulator';
import { parseWebhook } from '../../../nodes/Dialog360Trigger/parser';
import { WEBHOOK_FIXTURES_DIR } from '../../support/metaSpec';
import { fixturePath, loadWebhookFixture } from '../../support/fixtures';
import type { ExecutionSummary, N8nServer } from '../lib/n8n';
import { QueueStack } from '../lib/queueStack';
import { EXAMPLE_CREDENTIAL, node, noOpNode, sendNode, switchNode, triggerNode, WorkflowBuilder, type WfNode } from '../lib/workflow';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SECRET_HEADER = 'X-360-Webhook-Secret';
const PREVIOUS_WEBHOOK = { url: 'https://previous-receiver.example.com/whatsapp', headers: { 'X-Previous-Token': 'keep-me' } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every fixture file, with the inbound messages and statuses in it that a Trigger on Messages + Message Statuses
 * emits (the parser decides: call statuses, call permission answers, opt-outs and the other kinds are not messages
 * or message statuses, and a fixture of only those starts no execution of such a workflow).
 */
function fixtures(): Array<{ name: string; messages: Json[]; statuses: Json[] }> {
	return fs
		.readdirSync(WEBHOOK_FIXTURES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => {
			const payload = JSON.parse(fs.readFileSync(path.join(WEBHOOK_FIXTURES_DIR, file), 'utf8')) as Json;
			const events = parseWebhook(payload);
			return {
				name: file.replace(/\.json$/, ''),
				messages: events.filter((e) => e.event === 'message').map((e) => e.raw as Json),
				statuses: events.filter((e) => e.event === 'status').map((e) => e.raw as Json),
			};
		});
}

describe('queue mode: main + 2 webhook processors behind nginx + 2 workers (PostgreSQL, Redis), Trigger in Automatic registration', () => {
	let emulator: Emulator;
	let stack: QueueStack;
	let srv: N8nServer;
	let credential: { id: string; name: string };
	const timings: string[] = [];

	async function api(method: string, urlPath: string, body?: unknown): Promise<Json> {
		const res = await fetch(emulator.url + urlPath, {
			method,
			headers: { 'D360-API-KEY': emulator.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		assert.ok(res.ok, `${method} ${urlPath} -> ${res.status} ${text}`);
		return JSON.parse(text) as Json;
	}

	/** The emulator delivers a webhook to the registered URL (nginx) and answers with what happened. */
	async function deliver(request: InboundRequest): Promise<{ delivery: Json }> {
		const { delivery } = await emulator.deliverInbound(request);
		return { delivery: delivery as unknown as Json };
	}

	const executionsOf = async (workflowId: string) => srv.listExecutions(workflowId, { includeData: false, limit: 250 });

	async function create(wf: { name: string; nodes: unknown[]; connections: Json; settings?: Json }): Promise<string> {
		const nodes = (wf.nodes as WfNode[]).map((n) => (n.credentials?.dialog360Api ? { ...n, credentials: { dialog360Api: credential } } : n));
		return srv.createWorkflow({ ...wf, nodes });
	}

	/** The production URL of a Trigger as 360dialog must call it: through nginx, the one public URL. */
	const publicUrlOf = (trigger: WfNode) => `${stack.urls.webhookBase}/webhook/${trigger.webhookId}/webhook`;

	async function waitForWebhookConfig(expected: (config: Json) => boolean, what: string, timeoutMs = 30_000): Promise<Json> {
		const t0 = Date.now();
		let config: Json = {};
		while (Date.now() - t0 < timeoutMs) {
			config = await api('GET', '/v1/configs/webhook');
			if (expected(config)) return config;
			await sleep(100);
		}
		assert.fail(`${what}: after ${timeoutMs} ms the webhook config is ${JSON.stringify(config)}\n--- main's log (tail)\n${srv.logTail(60)}`);
	}

	const stillActive = new Set<string>();

	async function activate(workflowId: string, trigger: WfNode): Promise<string> {
		const publication = await srv.activate(workflowId);
		stillActive.add(workflowId);
		timings.push(`activate: API ${publication.apiMs} ms + published ${publication.waitedMs} ms`);
		const config = await api('GET', '/v1/configs/webhook');
		assert.equal(config.url, publicUrlOf(trigger), `the number points at nginx once activate() resolved (${JSON.stringify(publication)})`);
		assert.deepEqual(Object.keys(config.headers ?? {}), [SECRET_HEADER], 'only the secret header is registered');
		const secret = config.headers[SECRET_HEADER];
		assert.match(String(secret), /^[0-9a-f]{64}$/, 'a generated 256-bit secret');
		return String(secret);
	}

	async function deactivateAndExpectRestored(workflowId: string): Promise<void> {
		const publication = await srv.deactivate(workflowId);
		stillActive.delete(workflowId);
		timings.push(`deactivate: API ${publication.apiMs} ms + done ${publication.waitedMs} ms`);
		const config = await api('GET', '/v1/configs/webhook');
		assert.deepEqual(config, PREVIOUS_WEBHOOK, `once deactivate() resolved, the previous webhook is back (${JSON.stringify(publication)})`);
	}

	/** Waits for `count` finished executions, then checks none failed and a worker ran each. */
	async function finished(workflowId: string, count: number, timeoutMs = 90_000): Promise<ExecutionSummary[]> {
		const list = await srv.waitForExecutions(workflowId, count, timeoutMs);
		const failed = list.filter((e) => e.status !== 'success');
		assert.deepEqual(
			failed.map((e) => ({ id: e.id, status: e.status, error: e.data?.resultData.error?.message, worker: stack.workerOf(e.id) })),
			[],
			'failed executions',
		);
		expectRunByWorkers(list);
		return list;
	}

	/** Every execution was started by exactly one worker (its log says "Worker started execution <id>"). */
	function expectRunByWorkers(list: ExecutionSummary[]): Map<string, string> {
		const byWorker = stack.executionsByWorker();
		const ran = new Map<string, string>();
		for (const e of list) {
			const workers = byWorker.get(String(e.id)) ?? [];
			assert.equal(workers.length, 1, `execution ${e.id} (${e.mode}) was started by exactly one worker: ${JSON.stringify(workers)}`);
			assert.ok(stack.workers.some((w) => w.name === workers[0]));
			ran.set(String(e.id), workers[0]);
		}
		return ran;
	}

	const messagesSince = (n: number): RecordedMessage[] => emulator.messages().slice(n);

	/** The first line of nginx's access log that matches (nginx writes it just after answering). */
	async function accessLogEntry(match: (line: ReturnType<QueueStack['nginxAccessLog']>[number]) => boolean, timeoutMs = 3_000) {
		const t0 = Date.now();
		for (;;) {
			const line = stack.nginxAccessLog().find(match);
			if (line || Date.now() - t0 > timeoutMs) return line;
			await sleep(50);
		}
	}

	afterEach(async () => {
		const leftovers = [...stillActive].filter((workflowId) => workflowId !== echoId);
		if (leftovers.length === 0) return;
		for (const workflowId of leftovers) {
			await srv.deactivate(workflowId);
			stillActive.delete(workflowId);
		}
		await waitForWebhookConfig((c) => c.url === PREVIOUS_WEBHOOK.url, 'clean-up after a failed test');
	});

	before(async () => {
		const t0 = Date.now();
		emulator = await startEmulator({ maxRecordedRequests: 20_000 });
		stack = await QueueStack.start({ log: (line) => console.log(`  [stack] ${line}`) });
		srv = stack.main;
		timings.push(`stack ready ${stack.timings.total} ms (${Object.entries(stack.timings).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${v}`).join(', ')})`);
		console.log(`  [stack] processes:\n${stack.describe()}`);
		credential = await srv.createCredential(EXAMPLE_CREDENTIAL.name, 'dialog360Api', {
			apiKey: emulator.apiKey,
			environment: 'custom',
			baseUrl: emulator.url,
		});
		await api('POST', '/v1/configs/webhook', PREVIOUS_WEBHOOK);
		timings.push(`before() ${Date.now() - t0} ms`);
	});

	after(async () => {
		console.log(`  timings: ${timings.join('; ')}`);
		if (stack) {
			const rss = stack.processes().filter((p) => !p.name.startsWith('postgres/'));
			console.log(`  processes at the end: ${rss.map((p) => `${p.name} ${p.pid}`).join(', ')}`);
		}
		await stack?.stop();
		await emulator?.close();
	});

	// ---------------------------------------------------------------------------------------------
	// The e2e workflow: Trigger (messages + statuses) → Switch on event → reply / status branch
	// ---------------------------------------------------------------------------------------------

	const trigger = triggerNode('360dialog Trigger', { registration: 'automatic', events: ['message', 'status'] });
	const echo = new WorkflowBuilder('queue e2e: reply to every message');
	echo.add(trigger);
	echo.add(switchNode('By event', '={{ $json.event }}', ['message', 'status']), trigger.name);
	echo.add(
		sendNode('Reply', {
			messageType: 'text',
			to: '={{ $json.from || $json.fromUserId }}',
			textBody: '=Re: {{ $json.type }}',
			options: { replyToMessageId: '={{ $json.messageId }}' },
		}),
		['By event', 0],
	);
	echo.add(noOpNode('Status seen'), ['By event', 1]);
	let echoId = '';
	let secret = '';

	test('activation (through main) registers nginx’s public URL and a secret header with 360dialog', async () => {
		echoId = await create(echo.build());
		secret = await activate(echoId, trigger);
	});

	test('every fixture delivered through nginx: one execution each, run by a worker, every message answered, every status seen', async () => {
		assert.ok(secret, 'activation failed');
		const all = fixtures();
		const sentBefore = emulator.messages().length;
		const accessBefore = stack.nginxAccessLog().length;
		const t0 = Date.now();
		for (const f of all) {
			const { delivery } = await deliver({ fixture: f.name });
			assert.ok(delivery.delivered, `${f.name}: ${JSON.stringify(delivery.attempts)}`);
			assert.equal(delivery.attempts.at(-1).status, 200, `${f.name}: ${JSON.stringify(delivery.attempts)}`);
		}
		// A delivery of only other kinds (calls, opt-outs, updates, …) starts nothing on a Messages + Statuses workflow.
		const reacting = all.filter((f) => f.messages.length + f.statuses.length > 0);
		const executions = await finished(echoId, reacting.length);
		timings.push(`${all.length} fixtures delivered through nginx, ${reacting.length} executed ${Date.now() - t0} ms`);
		await sleep(500);
		assert.equal((await executionsOf(echoId)).length, reacting.length, 'one execution per delivery with messages or statuses, none for the rest');
		for (const e of executions) assert.equal(e.mode, 'webhook');

		// nginx spread the deliveries over both webhook processors (round robin)
		const hooks = stack.nginxAccessLog().slice(accessBefore).filter((l) => l.request.includes(`/webhook/${trigger.webhookId}/`));
		assert.equal(hooks.length, all.length, 'every delivery went through nginx');
		assert.ok(hooks.every((l) => l.status === 200), JSON.stringify(hooks.filter((l) => l.status !== 200)));
		const upstreams = new Set(hooks.map((l) => l.upstream));
		assert.deepEqual([...upstreams].sort(), stack.urls.webhookProcessors.map((u) => u.replace('http://', '')).sort(), 'both webhook processors answered deliveries');
		const byWorker = expectRunByWorkers(executions);
		timings.push(`fixtures per worker: ${JSON.stringify(countBy([...byWorker.values()]))}`);

		const replies = messagesSince(sentBefore);
		const inbound = all.flatMap((f) => f.messages);
		assert.equal(replies.length, inbound.length, 'one reply per inbound message');
		for (const message of inbound) {
			const reply = replies.filter((r) => (r.body as Json).context?.message_id === message.id);
			assert.equal(reply.length, 1, `reply to ${message.type} ${message.id}`);
			const body = reply[0].body as Json;
			assert.equal(body.to, message.from);
			assert.equal(body.type, 'text');
			assert.match(body.text.body, /^Re: \S+/);
		}

		const statusItems = executions.flatMap((e) => e.data?.resultData.runData['Status seen']?.[0]?.data?.main?.[0] ?? []).map((i) => i.json);
		const statuses = all.flatMap((f) => f.statuses);
		assert.equal(statusItems.length, statuses.length, JSON.stringify(statusItems.map((s) => [s.messageId, s.type])));
		for (const status of statuses) {
			assert.ok(
				statusItems.some((s) => s.event === 'status' && s.messageId === status.id && s.type === status.status),
				`status ${status.status} of ${status.id} not emitted`,
			);
		}
	});

	test('main serves no production webhook (N8N_DISABLE_PRODUCTION_MAIN_PROCESS), only test URLs, which nginx sends to main', async () => {
		const payload = loadWebhookFixture<Json>('message-text');
		const res = await fetch(`${srv.baseUrl}/webhook/${trigger.webhookId}/webhook`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', [SECRET_HEADER]: secret },
			body: JSON.stringify(payload),
		});
		const text = await res.text();
		assert.notEqual(res.status, 200, `main answered a production webhook: ${res.status} ${text}`);
		// and a test URL through nginx reaches main, the only process with test webhooks (none is listening: 404 from n8n)
		const testUrl = await fetch(`${stack.urls.webhookBase}/webhook-test/${trigger.webhookId}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		const testText = await testUrl.text();
		timings.push(`main on a production URL: ${res.status}; nginx → /webhook-test/: ${testUrl.status} ${testText.slice(0, 120)}`);
		assert.equal(testUrl.status, 404, testText);
		assert.match(testText, /test/i, 'n8n’s answer for an unregistered test webhook');
		// nginx writes the access-log line after the answer went out: poll briefly
		const toMain = await accessLogEntry((l) => l.request.includes('/webhook-test/'));
		assert.equal(toMain?.upstream, new URL(srv.baseUrl).host, `nginx sent the test URL to main: ${JSON.stringify(toMain)}`);
	});

	/** Delivers a fresh text message and waits for its execution: everything delivered before it is done. */
	async function barrier(expectedTotal: number): Promise<void> {
		await deliver({ fixture: 'message-text', fresh: true });
		await finished(echoId, expectedTotal);
	}

	test('a delivery through nginx without the secret header (or with a wrong one) gets 401 and starts nothing', async () => {
		const before = (await executionsOf(echoId)).length;
		const payload = loadWebhookFixture<Json>('message-location');
		payload.entry[0].changes[0].value.messages[0].id = 'wamid.QUEUE-NEVER-RUN-0001';
		const post = (headers: Record<string, string>) => srv.webhook(`${trigger.webhookId}/webhook`, payload, { headers });
		// twice each: round robin puts one on each webhook processor
		for (let i = 0; i < 2; i++) {
			const none = await post({});
			assert.equal(none.status, 401, await none.text());
			const wrong = await post({ [SECRET_HEADER]: 'x'.repeat(64) });
			assert.equal(wrong.status, 401, await wrong.text());
		}
		await barrier(before + 1);
		await sleep(500);
		assert.equal((await executionsOf(echoId)).length, before + 1);
		assert.ok(!emulator.messages().some((m) => (m.body as Json).context?.message_id === 'wamid.QUEUE-NEVER-RUN-0001'));
		const ok = await post({ [SECRET_HEADER]: secret });
		assert.equal(ok.status, 200, await ok.text());
		await finished(echoId, before + 2);
	});

	test('deactivation restores the webhook that was configured before activation', async () => {
		await deactivateAndExpectRestored(echoId);
	});

	// ---------------------------------------------------------------------------------------------
	// Inbound media: the Trigger's download → binary data in PostgreSQL → re-sent by the Send node
	// ---------------------------------------------------------------------------------------------

	test('inbound image: the Trigger’s Download Media puts it into binary data (database mode) and the Send node re-sends the same bytes', async () => {
		const imageTrigger = triggerNode('Image received', {
			registration: 'automatic',
			events: ['message'],
			options: { messageTypes: ['image'], downloadMedia: true, binaryPropertyName: 'data' },
		});
		const wf = new WorkflowBuilder('queue e2e: inbound image re-sent');
		wf.add(imageTrigger);
		wf.add(
			sendNode('Send it back', {
				messageType: 'image',
				to: '={{ $json.from || $json.fromUserId }}',
				mediaSource: 'binary',
				mediaBinaryProperty: 'data',
				mediaCaption: '=Got it: {{ $json.caption }}',
				options: { replyToMessageId: '={{ $json.messageId }}' },
			}),
			imageTrigger.name,
		);
		const id = await create(wf.build());
		await activate(id, imageTrigger);
		const fixture = loadWebhookFixture<Json>('message-image');
		const message = fixture.entry[0].changes[0].value.messages[0];
		const photo = fs.readFileSync(fixturePath('media', `${message.image.id}.jpg`));
		const sentBefore = emulator.messages().length;
		const binaryRowsBefore = await stack.sql<{ n: string }>('SELECT count(*) AS n FROM binary_data');

		const { delivery } = await deliver({ fixture: 'message-image' });
		assert.equal(delivery.attempts.at(-1).status, 200, JSON.stringify(delivery.attempts));
		const [execution] = await finished(id, 1);

		const sent = messagesSince(sentBefore);
		assert.equal(sent.length, 1, JSON.stringify(sent.map((m) => m.body)));
		const body = sent[0].body as Json;
		assert.equal(body.type, 'image');
		assert.equal(body.to, message.from);
		assert.equal(body.context?.message_id, message.id);
		assert.equal(body.image.caption, 'Got it: Photo of the damaged parcel');
		assert.notEqual(body.image.id, message.image.id, 'sent as a new upload');
		const resent = emulator.state.media.get(String(body.image.id));
		assert.ok(resent, 'the re-sent image was uploaded to the emulator');
		assert.ok(resent.sha256.equals(createHash('sha256').update(photo).digest()), 'same bytes as the customer’s photo');

		// the Trigger's item carried the photo as binary data kept in PostgreSQL ("database:<fileId>")
		const [triggerItem] = (execution.data?.resultData.runData[imageTrigger.name]?.[0]?.data?.main?.[0] ?? []) as Array<{ json: Json; binary?: Json }>;
		const binary = triggerItem?.binary?.data as Json | undefined;
		assert.ok(binary, `the Trigger emitted binary data: ${JSON.stringify(triggerItem?.json)}`);
		assert.match(String(binary.id), /^database:/, `binary data mode database: ${JSON.stringify({ ...binary, data: undefined })}`);
		const fileId = String(binary.id).slice('database:'.length);
		const [row] = await stack.sql<{ fileSize: number; data: Buffer }>('SELECT "fileSize", data FROM binary_data WHERE "fileId" = $1', [fileId]);
		assert.ok(row, `binary_data has the file ${fileId}`);
		assert.ok(createHash('sha256').update(row.data).digest().equals(createHash('sha256').update(photo).digest()), 'PostgreSQL holds the photo’s bytes');
		const [{ n }] = await stack.sql<{ n: string }>('SELECT count(*) AS n FROM binary_data');
		timings.push(`binary_data rows ${binaryRowsBefore[0].n} → ${n}`);
		await deactivateAndExpectRestored(id);
	});

	// ---------------------------------------------------------------------------------------------
	// Bulk: 1,000 templates, 4 concurrent executions on both workers, the emulator rate-limiting
	// ---------------------------------------------------------------------------------------------

	test('bulk send: 1,000 templates over 4 concurrent executions on both workers, rate-limited (429) → 0 failed, 429s retried, order kept', async () => {
		const BATCHES = 4;
		const PER_BATCH = 250;
		const ref = (batch: number, i: number) => `bulk-${batch}-${String(i).padStart(3, '0')}`;
		const wf = new WorkflowBuilder('queue e2e: bulk template send');
		const hookPath = `queue-bulk-${Date.now()}`;
		wf.add(node('Bulk request', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: hookPath, responseMode: 'onReceived', options: {} }, { webhookId: randomUUID() }));
		wf.add(node('One item per recipient', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.recipients', include: 'noOtherFields', options: {} }), 'Bulk request');
		wf.add(
			sendNode('Send template', {
				messageType: 'template',
				to: '={{ $json.phone }}',
				template: { __rl: true, mode: 'list', value: 'welcome_customer|de' },
				templateParameterMode: 'fields',
				templateFields: {
					mappingMode: 'defineBelow',
					value: { 'body.first_name': '={{ $json.name }}', 'body.shop_name': 'Queue Shop' },
					matchingColumns: [],
					schema: [],
				},
				// each execution sends at 30/s, the 4 together at 120/s; the number takes 100/s → 429s
				options: { bizOpaqueCallbackData: '={{ $json.ref }}', messagesPerSecond: 30, burst: 20, maxRetries: 10, retryBaseDelayMs: 250 },
			}),
			'One item per recipient',
		);
		const id = await create(wf.build());
		await srv.activate(id);
		stillActive.add(id);

		const requestsBefore = emulator.requests().length;
		const sentBefore = emulator.messages().length;
		emulator.injectFaults({ rateLimit: { rps: 100, burst: 20 } });
		const t0 = Date.now();
		try {
			const answers = await Promise.all(
				Array.from({ length: BATCHES }, (_, batch) =>
					srv.webhook(hookPath, {
						batch,
						recipients: Array.from({ length: PER_BATCH }, (_, i) => ({
							phone: `+4915${String(100000000 + batch * PER_BATCH + i)}`,
							name: `Customer ${batch}/${i}`,
							ref: ref(batch, i),
						})),
					}),
				),
			);
			for (const res of answers) assert.equal(res.status, 200, await res.text());
			const executions = await finished(id, BATCHES, 240_000);
			const seconds = (Date.now() - t0) / 1000;

			// concurrent, on both workers
			const ran = expectRunByWorkers(executions);
			const workersUsed = new Set(ran.values());
			assert.equal(workersUsed.size, stack.workers.length, `the ${BATCHES} executions ran on both workers: ${JSON.stringify(Object.fromEntries(ran))}`);
			const spans = executions.map((e) => [Date.parse(String(e.startedAt)), Date.parse(String(e.stoppedAt))] as const);
			const overlapping = spans.filter(([start]) => spans.every(([, stop]) => start < stop)).length;
			assert.equal(overlapping, BATCHES, `all ${BATCHES} executions ran at the same time: ${JSON.stringify(executions.map((e) => [e.id, e.startedAt, e.stoppedAt]))}`);

			// 0 failed, every recipient exactly once, 429s seen and retried
			const requests = emulator.requests().slice(requestsBefore).filter((r) => r.method === 'POST' && /\/messages$/.test(r.url));
			const rejected = requests.filter((r) => r.statusCode === 429).length;
			const sent = messagesSince(sentBefore);
			assert.equal(sent.length, BATCHES * PER_BATCH, 'every template accepted once');
			const refs = sent.map((m) => (m.body as Json).biz_opaque_callback_data as string);
			assert.equal(new Set(refs).size, BATCHES * PER_BATCH, 'no recipient twice');
			assert.ok(rejected > 0, 'the emulator rate-limited (429) some sends');
			const byWamid = new Map(sent.map((m) => [m.wamid, m.body as Json]));

			let retriesCounted = 0;
			for (const e of executions) {
				const output = (e.data?.resultData.runData['Send template']?.[0]?.data?.main?.[0] ?? []).map((i) => i.json);
				const batch = Number((e.data?.resultData.runData['Bulk request']?.[0]?.data?.main?.[0]?.[0]?.json.body as Json | undefined)?.batch);
				assert.equal(output.length, PER_BATCH, `execution ${e.id}: one output item per recipient`);
				output.forEach((item, i) => {
					assert.equal(item.error, undefined, `execution ${e.id} item ${i}: ${String(item.error)}`);
					const body = byWamid.get(String(item.messageId));
					assert.ok(body, `execution ${e.id} item ${i}: ${String(item.messageId)} reached the emulator`);
					// order kept: output item i is the message the emulator received for input item i
					assert.equal(body.biz_opaque_callback_data, ref(batch, i), `execution ${e.id} (batch ${batch}) item ${i}`);
					assert.equal(body.template.name, 'welcome_customer');
					retriesCounted += Number(item.retries ?? 0);
				});
			}
			assert.equal(retriesCounted, rejected, 'every 429 was retried (the items count their retries)');
			timings.push(
				`bulk: ${BATCHES * PER_BATCH} templates in ${seconds.toFixed(1)} s (${((BATCHES * PER_BATCH) / seconds).toFixed(0)}/s), ${rejected} × 429 retried, per worker ${JSON.stringify(countBy([...ran.values()]))}`,
			);
		} finally {
			emulator.clearFaults();
		}
		await srv.deactivate(id);
		stillActive.delete(id);
	});

	// ---------------------------------------------------------------------------------------------
	// The stack's fault helpers (for the kill -9 files): a dead webhook processor, restarts
	// ---------------------------------------------------------------------------------------------

	test('stack helpers: with one webhook processor killed (-9) nginx still delivers; restartWebhookProcessors() and restartWorkers() bring everything back', async () => {
		const wf = new WorkflowBuilder('queue e2e: stack helpers');
		const hookPath = `queue-helpers-${Date.now()}`;
		wf.add(node('Ping', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: hookPath, responseMode: 'onReceived', options: {} }, { webhookId: randomUUID() }));
		wf.add(noOpNode('Seen'), 'Ping');
		const id = await create(wf.build());
		await srv.activate(id);
		stillActive.add(id);
		const ping = async (n: number) => {
			for (let i = 0; i < n; i++) {
				const res = await srv.webhook(hookPath, { i });
				assert.equal(res.status, 200, await res.text());
			}
		};
		await ping(2);
		await finished(id, 2);

		const killed = stack.webhookProcessors[0];
		await stack.killWebhookProcessor(0, 'SIGKILL');
		assert.equal(killed.running, false);
		const accessBefore = stack.nginxAccessLog().length;
		await ping(4); // nginx: connection refused on the dead one → the next upstream
		await finished(id, 6);
		const served = stack.nginxAccessLog().slice(accessBefore).filter((l) => l.request.includes(hookPath));
		const alive = stack.urls.webhookProcessors[1].replace('http://', '');
		assert.ok(served.length === 4 && served.every((l) => l.status === 200 && l.upstream === alive), JSON.stringify(served));
		assert.ok(served.some((l) => l.tried.length === 2), `nginx tried the dead one first at least once: ${JSON.stringify(served)}`);

		let t = Date.now();
		await stack.restartWebhookProcessors();
		timings.push(`restartWebhookProcessors ${Date.now() - t} ms`);
		t = Date.now();
		await stack.restartWorkers();
		timings.push(`restartWorkers ${Date.now() - t} ms`);
		assert.ok(stack.webhookProcessors.every((w) => w.running) && stack.workers.every((w) => w.running));
		const afterRestart = stack.nginxAccessLog().length;
		// nginx keeps a server it saw fail out of rotation for fail_timeout (10 s by default): ping until both serve.
		const upstreamsSince = () => new Set(stack.nginxAccessLog().slice(afterRestart).filter((l) => l.request.includes(hookPath)).map((l) => l.upstream));
		let pings = 0;
		for (const t0 = Date.now(); Date.now() - t0 < 30_000 && (pings < 4 || upstreamsSince().size < 2); pings++) {
			await ping(1);
			if (pings >= 3) await sleep(500);
		}
		const executions = await finished(id, 6 + pings);
		await sleep(200); // the access-log line trails the answer
		const upstreams = upstreamsSince();
		assert.equal(upstreams.size, 2, `both webhook processors serve again within 30 s: ${[...upstreams].join(', ')}`);
		expectRunByWorkers(executions);
		const names = stack.processes().map((p) => p.name);
		for (const name of ['postgres', 'redis', 'main', 'webhook-1', 'webhook-2', 'worker-1', 'worker-2', 'nginx']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
		assert.ok(names.some((n) => /^worker-\d\/task-runner$/.test(n)), `the workers' task runners are listed: ${names.join(', ')}`);
		await srv.deactivate(id);
		stillActive.delete(id);
	});
});

function countBy(values: string[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const v of values) out[v] = (out[v] ?? 0) + 1;
	return out;
}
