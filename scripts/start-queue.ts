/**
 * `npm run start:queue` (through scripts/start-queue.sh, which prepares Node 24, n8n, PostgreSQL/Redis/nginx and the
 * packed package, then runs this file with `node --import tsx`): n8n 2.x in queue mode on this machine, with the local 360dialog
 * emulator and the echo-bot demo, until Ctrl-C.
 *
 *   1. the 360dialog emulator (in this process; API key test-key);
 *   2. the queue-mode stack of test/e2e/lib/queueStack.ts: PostgreSQL, Redis, n8n main (editor), 2 webhook processors
 *      behind nginx (the ONE public webhook URL), 2 workers;
 *   3. before main starts: `n8n import:credentials` (the demo's credential, pointed at the emulator) and
 *      `n8n import:workflow workflows/demo-echo-bot.json`, as `npm start` does; once main is up, the workflow is
 *      activated through the public API: its Trigger registers nginx's URL + a secret header with the emulator;
 *   4. prints every process (pid, port), the editor URL and login, and the curl command that delivers a test message
 *      (the emulator → nginx → a webhook processor → Redis → a worker → the reply back at the emulator).
 *
 * Ctrl-C (SIGINT) or SIGTERM stops everything it started, by PID, and removes the data folder.
 *
 * Arguments (set by start-queue.sh): --work-dir <dir> (data; removed at the end unless START_QUEUE_KEEP=1)
 * --nodes-dir <dir> (the prepared .n8n/nodes). Env: START_QUEUE_EDITOR_PORT (5678), START_QUEUE_WEBHOOK_PORT (5680,
 * nginx), EMULATOR_PORT (4360), START_QUEUE_WEBHOOK_PROCESSORS (2), START_QUEUE_WORKERS (2), START_DEMO=0 (no demo).
 * A busy preferred port is replaced by a free one (said in the output).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { startEmulator, type Emulator } from '../test/emulator';
import { freePort, OWNER, type N8n } from '../test/e2e/lib/n8n';
import { ignoreBrokenStdio, killAllStacksNow, QueueStack, stopAllStacks } from '../test/e2e/lib/queueStack';

const REPO = path.resolve(__dirname, '..');
const DEMO_FILE = path.join(REPO, 'workflows', 'demo-echo-bot.json');

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

const log = (line: string) => console.error(`>> [start:queue] ${line}`);

async function portFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

/** The preferred port when it is free, else a free one (and a note). */
async function pickPort(preferred: number, what: string): Promise<number> {
	if (await portFree(preferred)) return preferred;
	const port = await freePort();
	log(`127.0.0.1:${preferred} is in use: ${what} takes ${port} instead`);
	return port;
}

interface DemoWorkflow {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; webhookId?: string; credentials?: { dialog360Api?: { id: string; name: string } } }>;
	connections: Record<string, unknown>;
}

const workDir = arg('work-dir') ?? '';
const nodesDir = arg('nodes-dir') ?? '';
const keep = process.env.START_QUEUE_KEEP === '1';
let emulator: Emulator | undefined;
let stopping: Promise<void> | undefined;

function removeWorkDir(): void {
	if (!keep && workDir) fs.rmSync(workDir, { recursive: true, force: true });
}

/** Stops the stack (by PID, reverse order) and the emulator, removes the data folder. */
async function stopAll(why: string): Promise<void> {
	stopping ??= (async () => {
		log(`${why}: stopping everything (by PID)…`);
		await stopAllStacks(); // also a stack still starting
		await emulator?.close();
		removeWorkDir();
		log(keep ? `stopped; data kept in ${workDir}` : 'stopped; data folder removed');
	})();
	return stopping;
}

// last resort when the process ends any other way: nothing may outlive it
process.on('exit', () => {
	killAllStacksNow();
	removeWorkDir();
});
let firstSignalAt = 0;
for (const [signal, code] of [
	['SIGINT', 130],
	['SIGTERM', 143],
] as const) {
	process.on(signal, () => {
		if (firstSignalAt) {
			// a second Ctrl-C (not the same one delivered twice): the exit handler kills what is left at once
			if (Date.now() - firstSignalAt > 1000) process.exit(code);
			return;
		}
		firstSignalAt = Date.now();
		ignoreBrokenStdio(); // e.g. `npm run start:queue | tee log`: tee is gone after Ctrl-C
		void stopAll(signal).finally(() => process.exit(code));
	});
}

async function main(): Promise<void> {
	if (!workDir || !nodesDir) throw new Error('run through scripts/start-queue.sh (npm run start:queue)');
	const demoOn = process.env.START_DEMO !== '0';
	const t0 = Date.now();

	// 1. the emulator
	const emulatorPort = await pickPort(Number(process.env.EMULATOR_PORT || 4360), 'the 360dialog emulator');
	const emu = await startEmulator({ port: emulatorPort });
	emulator = emu;
	log(`360dialog emulator on ${emu.url} (API key ${emu.apiKey})`);

	// 2.+3. the stack, with the demo imported before main starts
	const demo = JSON.parse(fs.readFileSync(DEMO_FILE, 'utf8')) as DemoWorkflow;
	const trigger = demo.nodes.find((n) => n.type.endsWith('.dialog360Trigger'));
	const credentialRef = demo.nodes.find((n) => n.credentials?.dialog360Api)?.credentials?.dialog360Api;
	if (!trigger?.webhookId || !credentialRef) throw new Error(`${DEMO_FILE}: no 360dialog Trigger with a webhookId / no credential reference`);
	const emulatorUrl = emu.url;
	const importDemo = async (n8n: N8n) => {
		log('importing the demo credential (emulator, API key test-key) and workflow (n8n import:credentials, import:workflow) …');
		const t = Date.now();
		await n8n.importCredentials([
			{ id: credentialRef.id, name: credentialRef.name, type: 'dialog360Api', data: { apiKey: 'test-key', environment: 'custom', baseUrl: emulatorUrl } },
		]);
		await n8n.importWorkflow({ ...demo, active: false });
		log(`  imported in ${((Date.now() - t) / 1000).toFixed(1)} s`);
	};
	const editorPort = await pickPort(Number(process.env.START_QUEUE_EDITOR_PORT || 5678), 'the editor (n8n main)');
	const webhookPort = await pickPort(Number(process.env.START_QUEUE_WEBHOOK_PORT || 5680), 'nginx (the public webhook URL)');
	const qs = await QueueStack.start({
		folder: path.join(workDir, 'stack'),
		nodesDir,
		ports: { main: editorPort, nginx: webhookPort },
		webhookProcessors: Number(process.env.START_QUEUE_WEBHOOK_PROCESSORS || 2),
		workers: Number(process.env.START_QUEUE_WORKERS || 2),
		beforeMain: demoOn ? importDemo : undefined,
		log: (line) => log(line),
		stopOnExit: false, // this file handles Ctrl-C (it also stops the emulator and removes the folder)
	});

	let demoLine = '';
	if (demoOn) {
		const publication = await qs.main.activate(demo.id);
		const registered = emu.webhook();
		const expected = `${qs.urls.webhookBase}/webhook/${trigger.webhookId}/webhook`;
		if (registered?.url !== expected) {
			throw new Error(`the demo's Trigger did not register ${expected} with the emulator (it has ${JSON.stringify(registered)}); main's log:\n${qs.main.logTail()}`);
		}
		log(`demo "${demo.name}" active (published in ${publication.apiMs + publication.waitedMs} ms); the emulator delivers to ${registered.url}`);
		demoLine = `
  Demo "${demo.name}" is active. Deliver a test WhatsApp message (emulator → nginx → webhook processor → worker):

    curl -X POST ${emu.url}/_emulator/inbound -H 'content-type: application/json' -d '{"fixture":"message-text","fresh":true}'

  and see what the workflow sent back (mark as read + echo reply):

    curl -s '${emu.url}/_emulator/messages?limit=2'
`;
	}

	console.log(`
n8n 2.x queue mode is ready in ${((Date.now() - t0) / 1000).toFixed(0)} s (stack ${((qs.timings.total ?? 0) / 1000).toFixed(0)} s):

  Editor (n8n main):     ${qs.urls.editor}   login ${OWNER.email} / ${OWNER.password}
  Public webhook URL:    ${qs.urls.webhookBase}/   (nginx, round robin over ${qs.urls.webhookProcessors.join(', ')})
  360dialog emulator:    ${emu.url}   (credential "${credentialRef.name}": environment custom, API key test-key)
  Data:                  ${workDir}${keep ? ' (kept: START_QUEUE_KEEP=1)' : ' (removed at the end)'}
  Logs:                  ${qs.n8n.userFolder}/{main,webhook-N,worker-N}.log, ${path.join(qs.folder, 'nginx')}/access.log

  Processes (this script: pid ${process.pid}):
${qs.describe()}
${demoLine}
  Ctrl-C stops everything.
`);
	// keep running until a signal
	await new Promise<never>(() => undefined);
}

main().catch(async (error: unknown) => {
	if (firstSignalAt) return; // Ctrl-C during the start-up: the signal handler is stopping everything and exits
	console.error(`start:queue failed: ${(error as Error).stack ?? String(error)}`);
	await stopAll('failed');
	process.exit(1);
});
