/**
 * Smoke e2e: the packed package loads in a real n8n (pinned 2.41.1) as an installed community package.
 * Run: bash scripts/e2e.sh   (or: bash scripts/e2e.sh test/e2e/smoke.e2e.ts)
 *
 * 1. headless (`n8n import:workflow` + `n8n execute`):
 *    - Manual Trigger -> NoOp succeeds (n8n itself works with this user folder / SQLite / task runner);
 *    - control: a made-up `n8n-nodes-360dialog.*` type gives "Unrecognized node type" (so the check is meaningful);
 *    - a workflow with `n8n-nodes-360dialog.dialog360` does NOT give "Unrecognized node type"
 *      (it may still fail for other reasons, e.g. missing credentials: that is the nodes' business, not this smoke).
 *    - a credential imported with plaintext data round-trips through n8n's encryption (fixed N8N_ENCRYPTION_KEY);
 * 2. server (`n8n start`): owner + API key; the editor's node/credential type lists contain every node and
 *    credential the package declares in package.json `n8n`; a base Webhook workflow created and activated through
 *    the public API runs when POSTed to, and its execution is listed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { N8n, packageLoadErrors, type WorkflowInput } from './lib/n8n';

const installedPkgJson = (): { name: string; n8n?: { nodes?: string[]; credentials?: string[] } } => {
	const nodesDir = process.env.E2E_NODES_DIR;
	const name = process.env.E2E_PACKAGE_NAME ?? 'n8n-nodes-360dialog';
	assert.ok(nodesDir, 'E2E_NODES_DIR not set: run through scripts/e2e.sh');
	return JSON.parse(fs.readFileSync(path.join(nodesDir, 'node_modules', name, 'package.json'), 'utf8'));
};

/** n8n convention used by this package: dist/nodes/Dialog360/Dialog360.node.js -> "dialog360". */
const typeNameFromFile = (file: string, suffix: string): string => {
	const base = path.basename(file, suffix);
	return base.charAt(0).toLowerCase() + base.slice(1);
};

const manualTrigger = { id: randomUUID(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
const chainFromStart = (next: string) => ({ Start: { main: [[{ node: next, type: 'main', index: 0 }]] } });

describe('smoke: package loads in real n8n', () => {
	let n8n: N8n;
	const pkg = installedPkgJson();
	const nodeTypes = (pkg.n8n?.nodes ?? []).map((f) => `${pkg.name}.${typeNameFromFile(f, '.node.js')}`);
	const credentialTypes = (pkg.n8n?.credentials ?? []).map((f) => typeNameFromFile(f, '.credentials.js'));
	const shipped = (f: string) => fs.existsSync(path.join(process.env.E2E_NODES_DIR!, 'node_modules', pkg.name, f));
	// types n8n must list: those whose files exist (a missing file is reported once, by its own test)
	const loadableNodeTypes = (pkg.n8n?.nodes ?? []).filter(shipped).map((f) => `${pkg.name}.${typeNameFromFile(f, '.node.js')}`);
	const loadableCredentialTypes = (pkg.n8n?.credentials ?? []).filter(shipped).map((f) => typeNameFromFile(f, '.credentials.js'));

	before(async () => {
		n8n = await N8n.fresh();
	});
	after(async () => {
		await n8n?.dispose();
	});

	test('package.json declares the expected node types', () => {
		assert.ok(nodeTypes.includes(`${pkg.name}.dialog360`), `declared nodes: ${nodeTypes.join(', ')}`);
	});

	test('every file declared in package.json "n8n" is in the installed tarball', () => {
		const root = path.join(process.env.E2E_NODES_DIR!, 'node_modules', pkg.name);
		const missing = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])].filter((f) => !fs.existsSync(path.join(root, f)));
		assert.deepEqual(missing, [], 'declared but not shipped (n8n cannot load them)');
	});

	test('headless: NoOp runs; our node type is recognised; an unknown type is not', async () => {
		const noop: WorkflowInput = {
			name: 'smoke noop',
			nodes: [manualTrigger, { id: randomUUID(), name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} }],
			connections: chainFromStart('No Op'),
		};
		const ours: WorkflowInput = {
			name: 'smoke dialog360 loaded',
			nodes: [manualTrigger, { id: randomUUID(), name: '360dialog', type: `${pkg.name}.dialog360`, typeVersion: 1, position: [200, 0], parameters: {} }],
			connections: chainFromStart('360dialog'),
		};
		const bogus: WorkflowInput = {
			name: 'smoke control: unknown type',
			nodes: [manualTrigger, { id: randomUUID(), name: 'Bogus', type: `${pkg.name}.doesNotExist`, typeVersion: 1, position: [200, 0], parameters: {} }],
			connections: chainFromStart('Bogus'),
		};
		let t0 = Date.now();
		const [noopId, oursId, bogusId] = await n8n.importWorkflow([noop, ours, bogus]);
		console.log(`  import:workflow (3 workflows, fresh DB): ${Date.now() - t0} ms`);

		const r1 = await n8n.execute(noopId);
		console.log(`  execute noop: ${r1.ms} ms (exit ${r1.code ?? r1.signal})`);
		assert.ok(r1.ok, `noop run failed: ${r1.errorMessage}\n${r1.stdout.slice(-2000)}\n${r1.stderr.slice(-2000)}`);
		assert.equal(r1.run!.data.resultData.runData['No Op']?.[0]?.data?.main?.[0]?.length, 1);

		const r3 = await n8n.execute(bogusId);
		console.log(`  execute unknown type: ${r3.ms} ms -> ${r3.errorMessage}`);
		assert.equal(r3.ok, false);
		assert.match(r3.stdout + r3.stderr, /Unrecognized node type/);

		t0 = Date.now();
		const r2 = await n8n.execute(oursId);
		console.log(
			`  execute ${pkg.name}.dialog360: ${r2.ms} ms -> ${r2.ok ? 'success' : `error (fine here: no parameters/credentials): ${r2.errorMessage?.split('\n')[0]}`} [run from ${r2.runSource}]`,
		);
		const out2 = r2.stdout + r2.stderr;
		assert.ok(
			!/Unrecognized node type/.test(out2),
			`${pkg.name}.dialog360 is not loaded by n8n. ${packageLoadErrors(out2).join(' | ') || r2.errorMessage}`,
		);
		assert.ok(r2.run, `no run JSON printed:\n${r2.stdout.slice(-2000)}\n${r2.stderr.slice(-2000)}`);
	});

	test('headless: credentials imported as plaintext are stored encrypted and decrypt back', async () => {
		const credType = credentialTypes[0] ?? 'dialog360Api';
		const [credId] = await n8n.importCredentials([{ name: 'smoke credential', type: credType, data: { apiKey: 'test-key' } }]);
		const exported = await n8n.exportCredentials();
		const mine = exported.find((c) => c.id === credId);
		assert.ok(mine, `credential ${credId} not exported`);
		assert.equal(mine.type, credType);
		assert.deepEqual(mine.data, { apiKey: 'test-key' });
	});

	test('server: types listed, webhook workflow activated via public API runs', async () => {
		const srv = await n8n.startServer();
		try {
			console.log(`  n8n start ready in ${srv.readyMs} ms on ${srv.baseUrl}`);
			const names = await srv.nodeTypeNames();
			console.log(`  our types in /types/nodes.json: ${names.filter((n) => n.startsWith(`${pkg.name}.`)).join(', ') || '(none)'}`);
			const why = () => packageLoadErrors(srv.logTail(400)).join(' | ');
			for (const t of loadableNodeTypes) assert.ok(names.includes(t), `node type ${t} missing from /types/nodes.json. ${why()}`);
			const creds = await srv.credentialTypeNames();
			for (const c of loadableCredentialTypes) assert.ok(creds.includes(c), `credential type ${c} missing from /types/credentials.json`);

			const hookPath = `smoke-${randomUUID().slice(0, 8)}`;
			const wfId = await srv.createWorkflow({
				name: 'smoke webhook',
				nodes: [
					{ id: randomUUID(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'onReceived', options: {} } },
					{ id: randomUUID(), name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
				],
				connections: { Webhook: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
			});
			await srv.activate(wfId);
			const t0 = Date.now();
			const res = await srv.webhook(hookPath, { hello: 'smoke' });
			assert.equal(res.status, 200, await res.text());
			const [exec] = await srv.waitForExecutions(wfId, 1);
			console.log(`  webhook -> execution ${exec.id} (${exec.status}) in ${Date.now() - t0} ms`);
			assert.equal(exec.status, 'success');
			const out = exec.data?.resultData.runData['No Op']?.[0]?.data?.main?.[0]?.[0]?.json as { body?: unknown } | undefined;
			assert.deepEqual(out?.body, { hello: 'smoke' });
		} finally {
			await srv.stop();
		}
	});
});
