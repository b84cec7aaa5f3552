/**
 * Server e2e against a REAL n8n (`n8n start`, ONE server for the whole file) and the local 360dialog
 * emulator (in-process). Workflows with a 360dialog Trigger in Automatic registration are activated
 * through n8n's public API, so n8n itself calls the Trigger's webhookMethods:
 *
 *   - activation registers n8n's production webhook URL + the secret header with the emulator
 *     (read back with `GET /v1/configs/webhook`, like any 360dialog client);
 *   - the emulator delivers EVERY fixture of test/fixtures/webhooks (`POST /_emulator/inbound`); each
 *     delivery with messages or statuses is one execution (the other kinds start nothing on that workflow),
 *     every inbound message gets a reply through the Send node (recorded by the emulator), every status
 *     reaches the status branch;
 *   - a Trigger on every event kind gets one delivery of each kind (calls, opt-outs, edits, template,
 *     account and group updates, echoes, history, contacts, unknown fields, a mixed batch) and emits one
 *     item per event with its kind, type and flattened fields;
 *   - a duplicate delivery starts no second execution, and the dedupe window is saved with the workflow
 *     (static data) so it would survive an n8n restart; a request without (or with a wrong) secret gets
 *     401 and starts nothing;
 *   - deactivation puts back the webhook config that was set before activation (pre-set here);
 *   - activation is asynchronous in n8n 2.x (the API answers before the webhooks are live; see
 *     N8nServer.activate()), and srv.activate() waits until n8n has published the workflow;
 *   - EVERY example workflow of workflows/ runs as shipped (only its credential reference is pointed at the
 *     test credential): the auto-reply bot, the delivery-status log (writes `.n8n-files/...` relative to
 *     n8n's working folder, the user folder here), inbound image → download → send back (fed the stock
 *     `message-image` fixture, whose media ID the emulator knows), the `npm start` demo, the CRM
 *     example's production Webhook called right after activation, and the marketing opt-out list (n8n Data
 *     Table, read back through the public API; n8n 2.x only); one after the other on the same number.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { EVENT_KINDS, parseWebhook } from '../../nodes/Dialog360Trigger/parser';
import { startEmulator, type Emulator, type RecordedMessage } from '../emulator';
import { WEBHOOK_FIXTURES_DIR } from '../support/metaSpec';
import { fixturePath, loadWebhookFixture } from '../support/fixtures';
import { N8n, type ExecutionSummary, type N8nServer } from './lib/n8n';
import { EXAMPLE_CREDENTIAL, exampleWorkflowFiles, loadExample, noOpNode, sendNode, switchNode, triggerNode, WorkflowBuilder, type WfNode } from './lib/workflow';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SECRET_HEADER = 'X-360-Webhook-Secret';
const PREVIOUS_WEBHOOK = { url: 'https://previous-receiver.example.com/whatsapp', headers: { 'X-Previous-Token': 'keep-me' } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** scripts/n8n-env.sh exports the n8n version the suite runs on (scripts/e2e-n8n1.sh: a 1.x one). */
const N8N_1 = (process.env.N8N_VERSION ?? '').startsWith('1.');

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

describe('server: real n8n + emulator, Trigger in Automatic registration', () => {
	let emulator: Emulator;
	let n8n: N8n;
	let srv: N8nServer;
	let credential: { id: string; name: string };
	const timings: string[] = [];
	/** Example files run (as shipped) by this file's tests. */
	const examplesRun = new Set<string>();

	/** An example of workflows/, exactly as shipped. */
	function example(file: string) {
		examplesRun.add(file);
		return loadExample(file);
	}

	/** 360dialog's API on the emulator, as a client with the API key would call it. */
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

	async function deliver(request: Json): Promise<Json> {
		const res = await fetch(`${emulator.url}/_emulator/inbound`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(request),
		});
		const result = (await res.json()) as Json;
		assert.equal(res.status, 200, JSON.stringify(result));
		return result;
	}

	/** Every execution of a workflow (finished or not). */
	const executionsOf = async (workflowId: string) => srv.listExecutions(workflowId, { includeData: false, limit: 250 });

	/** Creates a workflow through the public API (credential references pointed at the test credential). */
	async function create(wf: { name: string; nodes: unknown[]; connections: Json; settings?: Json }): Promise<string> {
		const nodes = (wf.nodes as WfNode[]).map((n) => (n.credentials?.dialog360Api ? { ...n, credentials: { dialog360Api: credential } } : n));
		return srv.createWorkflow({ ...wf, nodes });
	}

	const webhookUrlOf = (trigger: WfNode) => `${srv.baseUrl}/webhook/${trigger.webhookId}/webhook`;

	/** Polls the number's config (only for the clean-up after a failed test: srv.deactivate() waits itself). */
	async function waitForWebhookConfig(expected: (config: Json) => boolean, what: string, timeoutMs = 30_000): Promise<Json> {
		const t0 = Date.now();
		let config: Json = {};
		while (Date.now() - t0 < timeoutMs) {
			config = await api('GET', '/v1/configs/webhook');
			if (expected(config)) return config;
			await sleep(100);
		}
		assert.fail(`${what}: after ${timeoutMs} ms the webhook config is ${JSON.stringify(config)}\n--- n8n log (tail)\n${srv.logTail(60)}`);
	}

	/** Workflows a test activated and has not deactivated yet: a failed test must not leave the number pointing at it. */
	const stillActive = new Set<string>();

	/**
	 * srv.activate() resolves once n8n has published the workflow, so the Trigger's registration is done by then:
	 * the number's config is read once, not polled.
	 */
	async function activate(workflowId: string, trigger: WfNode): Promise<string> {
		const publication = await srv.activate(workflowId);
		stillActive.add(workflowId);
		timings.push(`activate: API ${publication.apiMs} ms + published ${publication.waitedMs} ms`);
		const config = await api('GET', '/v1/configs/webhook');
		assert.equal(config.url, webhookUrlOf(trigger), `once activate() resolved, the number points at n8n (${JSON.stringify(publication)})`);
		assert.deepEqual(Object.keys(config.headers ?? {}), [SECRET_HEADER], 'only the secret header is registered');
		const secret = config.headers[SECRET_HEADER];
		assert.match(String(secret), /^[0-9a-f]{64}$/, 'a generated 256-bit secret');
		return String(secret);
	}

	/** srv.deactivate() resolves once n8n has taken the workflow down, the Trigger's delete() included. */
	async function deactivateAndExpectRestored(workflowId: string): Promise<void> {
		const publication = await srv.deactivate(workflowId);
		stillActive.delete(workflowId);
		timings.push(`deactivate: API ${publication.apiMs} ms + done ${publication.waitedMs} ms`);
		const config = await api('GET', '/v1/configs/webhook');
		assert.deepEqual(config, PREVIOUS_WEBHOOK, `once deactivate() resolved, the previous webhook is back, headers included (${JSON.stringify(publication)})`);
	}

	/** Waits for `count` finished executions, then checks none failed. */
	async function finished(workflowId: string, count: number): Promise<ExecutionSummary[]> {
		const list = await srv.waitForExecutions(workflowId, count, 60_000);
		const failed = list.filter((e) => e.status !== 'success');
		assert.deepEqual(
			failed.map((e) => ({ id: e.id, status: e.status, error: e.data?.resultData.error?.message })),
			[],
			'failed executions',
		);
		return list;
	}

	const messagesSince = (n: number): RecordedMessage[] => emulator.messages().slice(n);

	afterEach(async () => {
		// The echo workflow stays active across the first tests on purpose; the examples clean up after themselves.
		const leftovers = [...stillActive].filter((workflowId) => workflowId !== echoId);
		if (leftovers.length === 0) return;
		for (const workflowId of leftovers) {
			await srv.deactivate(workflowId);
			stillActive.delete(workflowId);
		}
		// Let the Trigger's delete() restore the previous webhook before the next test activates.
		await waitForWebhookConfig((c) => c.url === PREVIOUS_WEBHOOK.url, 'clean-up after a failed test');
	});

	before(async () => {
		emulator = await startEmulator();
		n8n = await N8n.fresh();
		// no N8N_RESTRICT_FILE_ACCESS_TO: n8n runs in its user folder (HOME and working folder), see lib/n8n.ts
		srv = await n8n.startServer();
		timings.push(`n8n start ready ${srv.readyMs} ms`);
		credential = await srv.createCredential(EXAMPLE_CREDENTIAL.name, 'dialog360Api', {
			apiKey: emulator.apiKey,
			environment: 'custom',
			baseUrl: emulator.url,
		});
		// someone else's webhook is configured on the number before any workflow is activated
		await api('POST', '/v1/configs/webhook', PREVIOUS_WEBHOOK);
	});

	after(async () => {
		console.log(`  timings: ${timings.join('; ')}`);
		await srv?.stop();
		await n8n?.dispose();
		await emulator?.close();
	});

	// ---------------------------------------------------------------------------------------------
	// The e2e workflow: Trigger (messages + statuses) → Switch on event → reply / status branch
	// ---------------------------------------------------------------------------------------------

	const trigger = triggerNode('360dialog Trigger', { registration: 'automatic', events: ['message', 'status'] });
	const echo = new WorkflowBuilder('e2e: reply to every message');
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

	test('activation registers n8n’s production webhook URL and a secret header with 360dialog', async () => {
		echoId = await create(echo.build());
		secret = await activate(echoId, trigger);
	});

	test('the emulator delivers every fixture: one execution each, every message answered, every status seen', async () => {
		assert.ok(secret, 'activation failed');
		const all = fixtures();
		const sentBefore = emulator.messages().length;
		const t0 = Date.now();
		for (const f of all) {
			const { delivery } = await deliver({ fixture: f.name });
			assert.ok(delivery.delivered, `${f.name}: ${JSON.stringify(delivery.attempts)}`);
			assert.equal(delivery.attempts.at(-1).status, 200, `${f.name}: ${JSON.stringify(delivery.attempts)}`);
		}
		// A delivery of only other kinds (calls, opt-outs, updates, …) starts nothing on a Messages + Statuses workflow.
		const reacting = all.filter((f) => f.messages.length + f.statuses.length > 0);
		assert.ok(reacting.length < all.length && reacting.length > 20, `${reacting.length} of ${all.length} fixtures carry messages or statuses`);
		const executions = await finished(echoId, reacting.length);
		timings.push(`${all.length} fixtures delivered, ${reacting.length} executed ${Date.now() - t0} ms`);
		await sleep(500);
		assert.equal((await executionsOf(echoId)).length, reacting.length, 'one execution per delivery with messages or statuses, none for the rest');

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

	/** Delivers a fresh text message and waits for its execution: everything delivered before it is done. */
	async function barrier(expectedTotal: number): Promise<void> {
		await deliver({ fixture: 'message-text', fresh: true });
		await finished(echoId, expectedTotal);
	}

	test('a duplicate delivery starts no second execution', async () => {
		const before = (await executionsOf(echoId)).length;
		const sentBefore = emulator.messages().length;
		const { delivery } = await deliver({ fixture: 'message-text' }); // same message id as before
		assert.equal(delivery.attempts.at(-1).status, 200, 'a duplicate is acknowledged (or 360dialog retries it)');
		await barrier(before + 1);
		assert.equal((await executionsOf(echoId)).length, before + 1, 'only the fresh message ran');
		const replies = messagesSince(sentBefore);
		assert.equal(replies.length, 1, `replies: ${JSON.stringify(replies.map((r) => r.body))}`);
	});

	test('the event is recorded in n8n’s processed data (its database), so a retry after an n8n restart emits nothing', async () => {
		// 360dialog retries for hours; an n8n restart (deploy, crash) in between must not turn a retry into a second
		// reply. The Trigger's execute() claims every event in n8n's processed-data store (table processed_data, one
		// row per Trigger node: context "n:<node id>", values as MD5/base64 hashes), which outlives the process.
		const before = (await executionsOf(echoId)).length;
		const payload = loadWebhookFixture<Json>('message-text');
		const id = 'wamid.E2E-SAVED-WINDOW-0001';
		payload.entry[0].changes[0].value.messages[0].id = id;
		await deliver({ payload });
		await finished(echoId, before + 1);
		const expected = createHash('md5').update(`m:${id}`).digest('base64');
		const rows = await n8n.db.query<{ context: string; value: string }>('SELECT context, value FROM processed_data WHERE workflowId = ?', [echoId]);
		const row = rows.find((r) => r.context === `n:${trigger.id}`);
		assert.ok(row, `a processed_data row for the Trigger node (rows: ${JSON.stringify(rows.map((r) => r.context))})`);
		const value = JSON.parse(row.value) as { mode: string; data: string[] };
		assert.equal(value.mode, 'entries');
		assert.ok(value.data.includes(expected), `the row holds the hash of m:${id}`);
		// Nothing of the dedupe lives in static data any more (it was rewritten whole by every request).
		const [wf] = await n8n.db.query<{ staticData: string | null }>('SELECT staticData FROM workflow_entity WHERE id = ?', [echoId]);
		const nodeData = (JSON.parse(wf?.staticData ?? '{}') as Json)[`node:${trigger.name}`] as Json | undefined;
		assert.equal(nodeData?.dedupe, undefined);
	});

	test('a delivery without the secret header (or with a wrong one) gets 401 and starts nothing', async () => {
		const before = (await executionsOf(echoId)).length;
		const payload = JSON.parse(fs.readFileSync(path.join(WEBHOOK_FIXTURES_DIR, 'message-location.json'), 'utf8')) as Json;
		payload.entry[0].changes[0].value.messages[0].id = 'wamid.NEVER-RUN-0001';
		const post = (headers: Record<string, string>) => srv.webhook(`${trigger.webhookId}/webhook`, payload, { headers });
		const none = await post({});
		assert.equal(none.status, 401, await none.text());
		const wrong = await post({ [SECRET_HEADER]: 'x'.repeat(64) });
		assert.equal(wrong.status, 401, await wrong.text());
		await barrier(before + 1);
		assert.equal((await executionsOf(echoId)).length, before + 1);
		assert.ok(!emulator.messages().some((m) => (m.body as Json).context?.message_id === 'wamid.NEVER-RUN-0001'));
		// control: the same request WITH the secret does run
		const ok = await post({ [SECRET_HEADER]: secret });
		assert.equal(ok.status, 200, await ok.text());
		await finished(echoId, before + 2);
	});

	test('deactivation restores the webhook that was configured before activation', async () => {
		await deactivateAndExpectRestored(echoId);
	});

	// ---------------------------------------------------------------------------------------------
	// One of each event kind, on a Trigger that selects every kind
	// ---------------------------------------------------------------------------------------------

	test('one delivery of each event kind: one item per event, with its kind, type and flattened fields', async () => {
		const every = triggerNode('360dialog Trigger', { registration: 'automatic', events: [...EVENT_KINDS] });
		const wf = new WorkflowBuilder('e2e: every event kind');
		wf.add(every);
		wf.add(noOpNode('Seen'), every.name);
		const id = await create(wf.build());
		await activate(id, every);
		/** Per fixture, the items the workflow must see, in order (fields checked with partial equality). */
		const kinds: Array<[string, Json[]]> = [
			['message-edit', [{ event: 'message', type: 'edit', editedType: 'text', originalMessageId: loadWebhookFixture<Json>('message-text').entry[0].changes[0].value.messages[0].id, text: 'Hallo! Is my order 4712 already shipped?' }]],
			['message-revoke', [{ event: 'message', type: 'revoke', waId: '4915112345678' }]],
			['status-read', [{ event: 'status', type: 'read', recipientId: '4915112345678' }]],
			['call-connect', [{ event: 'call', type: 'connect', direction: 'USER_INITIATED', waId: '4915112345678', contactName: 'Max Mustermann', sdpType: 'offer' }]],
			['call-terminate', [{ event: 'call', type: 'terminate', status: 'COMPLETED', duration: 120 }]],
			['call-status-ringing', [{ event: 'call', type: 'status', status: 'RINGING', waId: '4915112345678' }]],
			['call-permission-reply', [{ event: 'call', type: 'permission_reply', permissionResponse: 'accept' }]],
			['preference-marketing-stop', [{ event: 'preference', type: 'stop', waId: '4915112345678', category: 'marketing_messages', timestamp: '2026-01-02T00:07:00.000Z' }]],
			['error-value-level', [{ event: 'error', type: 'error', errorCode: 131000, timestampSource: 'received' }]],
			['template-quality', [{ event: 'template', type: 'message_template_quality_update', templateName: 'order_update', newQualityScore: 'YELLOW', timestampSource: 'entry' }]],
			['account-alerts', [{ event: 'account', type: 'account_alerts', alertType: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED' }]],
			['group-lifecycle-create', [{ event: 'group', type: 'group_create', subject: 'Example Shop VIP' }]],
			['echo-text', [{ event: 'echo', type: 'text', to: '4915112345678', text: 'Your parcel left our warehouse today.' }]],
			['history-chunk', [{ event: 'history', type: 'text', historyStatus: 'READ' }, { event: 'history', type: 'text', fromMe: true }]],
			['app-state-contact-add', [{ event: 'app_state', type: 'contact', action: 'add', contactPhoneNumber: '4917612345678' }]],
			['unknown-future-field', [{ event: 'unknown', type: 'message_ratings_update' }]],
			['batch-mixed-kinds', ['message', 'status', 'call', 'preference', 'template'].map((event) => ({ event }))],
		];
		const seen = new Set<string>();
		for (const [fixture, expected] of kinds) {
			const { delivery } = await deliver({ fixture });
			assert.equal(delivery.attempts.at(-1).status, 200, `${fixture}: ${JSON.stringify(delivery.attempts)}`);
			const list = await finished(id, seen.size + 1);
			const execution = list.find((e) => !seen.has(String(e.id)));
			assert.ok(execution, `${fixture}: an execution`);
			seen.add(String(execution.id));
			const items = (execution.data?.resultData.runData['Seen']?.[0]?.data?.main?.[0] ?? []).map((i) => i.json as Json);
			assert.equal(items.length, expected.length, `${fixture}: ${JSON.stringify(items.map((i) => [i.event, i.type]))}`);
			expected.forEach((fields, i) => {
				for (const [key, value] of Object.entries(fields)) assert.deepEqual(items[i][key], value, `${fixture} item ${i}: ${key}`);
				assert.equal(typeof items[i].timestamp, 'string', `${fixture} item ${i}: timestamp`);
				assert.equal(typeof items[i].raw, 'object', `${fixture} item ${i}: raw`);
			});
		}
		timings.push(`${kinds.length} deliveries of every kind executed`);
		await deactivateAndExpectRestored(id);
	});

	// ---------------------------------------------------------------------------------------------
	// Activation timing (PITFALLS.md P6): what POST /activate promises, and what srv.activate() adds
	// ---------------------------------------------------------------------------------------------

	test('activation timing: n8n 2.x’s POST /activate answers before the workflow is published (outbox), srv.activate() waits for it; n8n 1.x activates inside the call', async () => {
		// A Trigger whose registration takes a while (every 360dialog API call answered after REGISTRATION_DELAY_MS), so
		// "the API answered first" is not a race the test can lose: the publication runs for at least that long.
		const REGISTRATION_DELAY_MS = 1500;
		const slowTrigger = triggerNode('360dialog Trigger', { registration: 'automatic', events: ['message'] });
		const wf = new WorkflowBuilder('e2e: activation timing');
		wf.add(slowTrigger);
		wf.add(noOpNode('Seen'), slowTrigger.name);
		const id = await create(wf.build());
		emulator.injectFaults({ latencyMs: REGISTRATION_DELAY_MS });
		try {
			const t0 = Date.now();
			await srv.api('POST', `/workflows/${id}/activate`); // the public API alone, as any client calls it
			const apiMs = Date.now() - t0;
			stillActive.add(id);
			const status = await srv.publicationStatus(id);
			const registeredWhenAnswered = emulator.webhook()?.url === webhookUrlOf(slowTrigger);
			if (status === undefined) {
				// n8n 1.x (no publication service): the Trigger registers inside the API call
				assert.ok(registeredWhenAnswered, `n8n 1.x registers before the API answers (${apiMs} ms)`);
				timings.push(`activation synchronous (1.x): API ${apiMs} ms`);
			} else {
				assert.equal(status.status, 'in_progress', `right after the API answered (${apiMs} ms) n8n is still publishing: ${JSON.stringify(status)}`);
				assert.equal(registeredWhenAnswered, false, 'and the Trigger has not registered yet');
				assert.ok(apiMs < REGISTRATION_DELAY_MS, `the API answered without waiting for the Trigger (${apiMs} ms)`);
				const publication = await srv.waitForPublication(id);
				const publishedAfter = Date.now() - t0;
				assert.equal(publication.status, 'published', JSON.stringify(publication));
				assert.equal(emulator.webhook()?.url, webhookUrlOf(slowTrigger), 'once published, the Trigger has registered');
				assert.ok(publishedAfter >= REGISTRATION_DELAY_MS, `published only after the Trigger's registration (${publishedAfter} ms)`);
				timings.push(`activation asynchronous (2.x): API answered in ${apiMs} ms, published after ${publishedAfter} ms`);
			}
		} finally {
			emulator.clearFaults();
		}
		await deactivateAndExpectRestored(id);
	});

	// ---------------------------------------------------------------------------------------------
	// The example workflows, one after the other on the same number
	// ---------------------------------------------------------------------------------------------

	const triggerOf = (wf: { nodes: WfNode[] }) => {
		const t = wf.nodes.find((n) => n.type.endsWith('.dialog360Trigger'));
		assert.ok(t?.webhookId);
		return t;
	};

	test('example auto-reply bot: text → buttons, button tap → answer, anything else → mark as read', async () => {
		const wf = example('auto-reply-bot.json');
		const id = await create(wf);
		await activate(id, triggerOf(wf));
		const sentBefore = emulator.messages().length;
		for (const fixture of ['message-text', 'message-interactive-button-reply', 'message-image', 'status-read']) await deliver({ fixture });
		await finished(id, 3); // the status is filtered out by the trigger (messages only)
		await sleep(300);
		assert.equal((await executionsOf(id)).length, 3);
		const sent = messagesSince(sentBefore);
		assert.equal(sent.length, 3, JSON.stringify(sent.map((m) => m.body)));
		// Executions of back-to-back deliveries overlap, so the replies can come in any order.
		const bodies = sent.map((m) => m.body as Json);
		const buttons = bodies.find((b) => b.type === 'interactive') as Json;
		const answer = bodies.find((b) => b.type === 'text') as Json;
		const read = bodies.find((b) => b.status === 'read') as Json;
		assert.equal(buttons.type, 'interactive');
		assert.equal(buttons.to, '4915112345678');
		assert.deepEqual(
			buttons.interactive.action.buttons.map((b: Json) => b.reply.id),
			['order_status', 'talk_to_human'],
		);
		assert.match(buttons.interactive.body.text, /^Hi Max Mustermann!/);
		assert.equal(answer.type, 'text');
		assert.match(answer.text.body, /colleague/);
		assert.deepEqual(read, { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD03AA==' });
		await deactivateAndExpectRestored(id);
	});

	test('example delivery-status log: statuses only, one JSON line per status appended to .n8n-files/ (as shipped)', async () => {
		const wf = example('delivery-status-log.json');
		// relative to n8n's working folder (the user folder here, /home/node in Docker, $HOME with npm start)
		const logFile = path.join(n8n.filesDir, 'whatsapp-status-log.jsonl');
		assert.ok(!fs.existsSync(logFile));
		const id = await create(wf);
		await activate(id, triggerOf(wf));
		const statusFixtures = ['status-sent', 'status-delivered', 'status-read', 'status-failed'];
		for (const fixture of [...statusFixtures, 'message-text']) await deliver({ fixture });
		await finished(id, statusFixtures.length);
		await sleep(300);
		assert.equal((await executionsOf(id)).length, statusFixtures.length, 'the message must not start the workflow');
		const lines = fs.readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Json);
		// One line per status. Their order is not fixed: the Trigger answers each delivery at once, so
		// executions of back-to-back deliveries overlap (and WhatsApp does not promise order either).
		assert.deepEqual(lines.map((l) => l.status).sort(), ['delivered', 'failed', 'read', 'sent']);
		const expected = fixtures().filter((f) => statusFixtures.includes(f.name)).flatMap((f) => f.statuses);
		for (const line of lines) assert.ok(expected.some((s) => s.id === line.messageId && s.status === line.status), JSON.stringify(line));
		const failedLine = lines.find((l) => l.status === 'failed');
		assert.ok(failedLine?.errorCode, `failed status carries its error: ${JSON.stringify(failedLine)}`);
		assert.equal(lines.find((l) => l.status === 'sent')?.tracking, expected.find((s) => s.status === 'sent')?.biz_opaque_callback_data, 'tracking data logged');
		await deactivateAndExpectRestored(id);
	});

	test('example inbound image: the stock message-image fixture, downloaded with the Media node and sent back as a new upload', async () => {
		const wf = example('inbound-image-resend.json');
		const id = await create(wf);
		await activate(id, triggerOf(wf));
		// the customer's photo, as WhatsApp holds it: the emulator knows the fixture's media ID (test/fixtures/media)
		const fixture = loadWebhookFixture<Json>('message-image');
		const message = fixture.entry[0].changes[0].value.messages[0];
		const photo = fs.readFileSync(fixturePath('media', `${message.image.id}.jpg`));
		assert.equal(createHash('sha256').update(photo).digest('base64'), message.image.sha256, 'the fixture declares the real sha256');

		const sentBefore = emulator.messages().length;
		await deliver({ fixture: 'message-image' });
		const [execution] = await finished(id, 1);
		const sent = messagesSince(sentBefore);
		assert.equal(sent.length, 1);
		const body = sent[0].body as Json;
		assert.equal(body.type, 'image');
		assert.equal(body.to, message.from);
		assert.equal(body.context?.message_id, message.id);
		assert.equal(body.image.caption, 'Got it, thanks! (your caption: Photo of the damaged parcel)');
		assert.notEqual(body.image.id, message.image.id, 'sent as a new upload');
		const [downloaded] = execution.data?.resultData.runData['Download the image']?.[0]?.data?.main?.[0] ?? [];
		assert.equal(downloaded?.json.sha256Verified, true, `the download was checked against the fixture's sha256: ${JSON.stringify(downloaded?.json)}`);
		const resent = emulator.state.media.get(String(body.image.id));
		assert.ok(resent, 'the re-sent image was uploaded to the emulator');
		assert.equal(resent.mimeType, 'image/jpeg');
		assert.ok(resent.sha256.equals(createHash('sha256').update(photo).digest()), 'same bytes as the customer’s photo');
		await deactivateAndExpectRestored(id);
	});

	test('the `npm start` demo workflow: mark as read with typing indicator, then an echo reply', async () => {
		const wf = example('demo-echo-bot.json');
		const id = await create(wf);
		await activate(id, triggerOf(wf));
		const sentBefore = emulator.messages().length;
		await deliver({ fixture: 'message-text', fresh: true });
		await finished(id, 1);
		const [read, reply] = messagesSince(sentBefore).map((m) => m.body as Json);
		assert.equal(read.status, 'read');
		assert.deepEqual(read.typing_indicator, { type: 'text' });
		assert.equal(reply.text.body, 'You wrote: Hallo! Is my order 4711 already shipped?');
		assert.equal(reply.context.message_id, read.message_id);
		await deactivateAndExpectRestored(id);
	});

	test('example CRM lead: its production Webhook answers the first call right after activate() (no retry) and sends the welcome template', async () => {
		const wf = example('crm-lead-welcome-template.json');
		const hook = (wf.nodes as WfNode[]).find((n) => n.type === 'n8n-nodes-base.webhook');
		assert.ok(hook, 'the CRM example has a Webhook node');
		const hookPath = String(hook.parameters.path); // isFullPath: /webhook/crm-new-lead
		const id = await create(wf);
		const publication = await srv.activate(id);
		stillActive.add(id);
		const sentBefore = emulator.messages().length;
		const lead = { leadId: 'CRM-20001', firstName: '  Max ', phone: '+49 151 12345678' };
		const t0 = Date.now();
		const res = await srv.webhook(hookPath, lead, { retryMs: 0 }); // ONE call: a 404 here fails the test
		const firstCallMs = Date.now() - t0;
		assert.equal(res.status, 200, `first call right after activate(): ${res.status} ${await res.text()} (${JSON.stringify(publication)})`);
		assert.ok(firstCallMs < 5_000, `answered in ${firstCallMs} ms`);
		timings.push(`CRM webhook: activate API ${publication.apiMs} ms + publication ${publication.waitedMs} ms (${publication.seen.join(' → ') || publication.mode}), first call 200 in ${firstCallMs} ms`);

		const [execution] = await finished(id, 1);
		assert.equal(execution.mode, 'webhook');
		const sent = messagesSince(sentBefore);
		assert.equal(sent.length, 1, JSON.stringify(sent.map((m) => m.body)));
		const body = sent[0].body as Json;
		assert.equal(body.type, 'template');
		assert.equal(body.to, '4915112345678');
		assert.equal(body.biz_opaque_callback_data, 'CRM-20001');
		assert.deepEqual([body.template.name, body.template.language.code], ['welcome_customer', 'de']);
		assert.deepEqual((body.template.components as Json[]).find((c) => c.type === 'body')?.parameters, [
			{ type: 'text', parameter_name: 'first_name', text: 'Max' },
			{ type: 'text', parameter_name: 'shop_name', text: 'Example Shop' },
		]);

		await srv.deactivate(id);
		stillActive.delete(id);
		const gone = await srv.webhook(hookPath, lead, { retryMs: 0 });
		assert.equal(gone.status, 404, `once deactivate() resolved, the webhook is gone: ${await gone.text()}`);
	});

	test('example marketing opt-out list: opt-outs and opt-ins land in a Data Table, the broadcast skips who stopped', { skip: N8N_1 && 'Data tables with table operations need n8n 2.x' }, async () => {
		const wf = example('marketing-opt-out-list.json');
		const hook = (wf.nodes as WfNode[]).find((n) => n.type === 'n8n-nodes-base.webhook');
		assert.ok(hook, 'the example has a Webhook node for the broadcast');
		const id = await create(wf);
		await activate(id, triggerOf(wf));

		// Max stops, Erika resumes: the workflow creates the table on its first run and keeps one row per customer.
		await deliver({ fixture: 'preference-marketing-stop' });
		await deliver({ fixture: 'preference-marketing-resume' });
		await finished(id, 2);
		const tables = await srv.api<{ data: Array<{ id: string; name: string }> }>('GET', `/data-tables?filter=${encodeURIComponent(JSON.stringify({ name: 'whatsapp_marketing_opt_outs' }))}`);
		assert.equal(tables.data.length, 1, JSON.stringify(tables));
		const rows = async () =>
			(await srv.api<{ data: Json[] }>('GET', `/data-tables/${tables.data[0].id}/rows?sortBy=${encodeURIComponent('waId:asc')}`)).data.map((r) => ({
				waId: r.waId,
				status: r.status,
				contactName: r.contactName,
				changedAt: new Date(r.changedAt).toISOString(),
			}));
		assert.deepEqual(await rows(), [
			{ waId: '4915112345678', status: 'stop', contactName: 'Max Mustermann', changedAt: '2026-01-02T00:07:00.000Z' },
			{ waId: '4917612345678', status: 'resume', contactName: 'Erika Musterfrau', changedAt: '2026-01-02T00:08:00.000Z' },
		]);

		// The broadcast: Max (stopped) is skipped, Erika (resumed) and Tom (never asked) get the template.
		const audience = {
			customers: [
				{ phone: '+49 151 12345678', firstName: 'Max' },
				{ phone: '+49 176 12345678', firstName: 'Erika' },
				{ phone: '+49 160 5550123', firstName: 'Tom' },
			],
			shopName: 'Example Shop Berlin',
		};
		const broadcast = async (expectedExecutions: number): Promise<Json[]> => {
			const sentBefore = emulator.messages().length;
			const res = await srv.webhook(String(hook.parameters.path), audience);
			assert.equal(res.status, 200, await res.text());
			await finished(id, expectedExecutions);
			await emulator.idle();
			return messagesSince(sentBefore).map((m) => m.body as Json);
		};
		const first = await broadcast(3);
		assert.deepEqual(first.map((b) => b.to).sort(), ['491605550123', '4917612345678']);
		for (const body of first) {
			assert.equal(body.type, 'template');
			assert.deepEqual([body.template.name, body.template.language.code], ['welcome_customer', 'de']);
			assert.equal(body.biz_opaque_callback_data, 'marketing-broadcast');
		}
		assert.deepEqual((first.find((b) => b.to === '4917612345678')?.template.components as Json[]).find((c) => c.type === 'body')?.parameters, [
			{ type: 'text', parameter_name: 'first_name', text: 'Erika' },
			{ type: 'text', parameter_name: 'shop_name', text: 'Example Shop Berlin' },
		]);

		// Max resumes later: his row is updated, not duplicated, and the next broadcast reaches him too.
		const resume = loadWebhookFixture<Json>('preference-marketing-stop');
		Object.assign(resume.entry[0].changes[0].value.user_preferences[0], { value: 'resume', detail: 'User requested to resume marketing messages', timestamp: 1767400000 });
		await deliver({ payload: resume });
		await finished(id, 4);
		assert.deepEqual((await rows()).map((r) => [r.waId, r.status]), [
			['4915112345678', 'resume'],
			['4917612345678', 'resume'],
		]);
		const second = await broadcast(5);
		assert.deepEqual(second.map((b) => b.to).sort(), ['4915112345678', '491605550123', '4917612345678']);
		await deactivateAndExpectRestored(id);
	});

	test('every workflows/*.json example ran as shipped, here or in the file named for it', () => {
		// examples whose subject has its own e2e file run there, as shipped too
		const runElsewhere: Record<string, string> = { 'order-approval.json': 'send-and-wait.e2e.ts', 'template-approval.json': 'account.e2e.ts' };
		for (const [example, file] of Object.entries(runElsewhere)) {
			assert.match(fs.readFileSync(path.join(__dirname, file), 'utf8'), new RegExp(`loadExample\\('${example.replace('.', '\\.')}'\\)`), `${file} runs ${example}`);
		}
		// n8n 1.x has no Data table operations on tables: that example runs on 2.x only (its test says so when skipped).
		const needs2x = N8N_1 ? ['marketing-opt-out-list.json'] : [];
		assert.deepEqual([...examplesRun].sort(), exampleWorkflowFiles().filter((file) => !(file in runElsewhere) && !needs2x.includes(file)));
	});
});
