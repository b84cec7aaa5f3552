/**
 * n8n 2.x in queue mode on loopback, for the queue e2e files (test/e2e/queue/) and `npm run start:queue`:
 *
 *   PostgreSQL ─┬─ main          `n8n start`    editor, REST/public API, activation (N8N_DISABLE_PRODUCTION_MAIN_PROCESS:
 *   Redis ──────┤                               serves no production webhook; OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS)
 *               ├─ webhook-1..N  `n8n webhook`  production webhooks, behind
 *   nginx ──────┘                               nginx (round robin; N8N_WEBHOOK_URL points at it: the ONE public URL)
 *               └─ worker-1..M   `n8n worker --concurrency=10` (health check on its own port) run every execution
 *
 *   const stack = await QueueStack.start();              // 2 webhook processors, 2 workers
 *   const srv = stack.main;                              // N8nServer: owner + API key, activate(), listExecutions()
 *   await srv.activate(id);                              // the Trigger registers `${stack.urls.webhookBase}/webhook/…`
 *   await srv.webhook('path', body);                     // through nginx
 *   stack.workerOf(executionId);                         // 'worker-2' (from the workers' logs)
 *   await stack.stop();                                  // everything, by PID, in reverse order
 *
 * The recipe (what worked for n8n 2.41.1 on a 2-core Debian machine):
 *  - PostgreSQL: `initdb` + `pg_ctl` as the `postgres` user when we are root (the server refuses root), data under
 *    `<folder>/postgres`, loopback TCP on a free port, max_connections 200, durability off (throwaway data), `createdb n8n`.
 *  - Redis: `redis-server --port P --bind 127.0.0.1 --save '' --appendonly no`.
 *  - nginx: its own config, pid file, logs and temp dirs in `<folder>/nginx`, `daemon off` (our child), listening on
 *    127.0.0.1:<free port>: round robin over the webhook processors, except test URLs (`/webhook-test/`, `/form-test/`,
 *    `/mcp-test/`), which only main serves (N8N_WEBHOOK_URL is the base of test URLs too).
 *  - n8n: ONE user folder (`<folder>/n8n`, the package installed by copying E2E_NODES_DIR as N8n.fresh does)
 *    shared by every process, the same encryption key, binary data mode `database` (said explicitly), and per process
 *    its own task-broker port (N8nServer does that, P10) and event-log basename. WEBHOOK_URL (exported by
 *    scripts/n8n-env.sh, deprecated in 2.41) is unset; N8N_WEBHOOK_URL is nginx.
 *
 * Start-up (~23 s on 2 cores): PostgreSQL and Redis together; the optional `beforeMain` hook; main alone (it migrates
 * the fresh database; owner + API key); then the webhook processors, the workers and nginx in parallel. Readiness:
 * `/healthz/readiness` (workers: on their health-check port), at last one request through nginx.
 * Failures name the process and show its last log lines. Every process runs in its own process group, is stopped by
 * PID (n8n's task runners with their n8n), in reverse order, by `stop()`, and also when the test process gets SIGINT/
 * SIGTERM or exits; and a watchdog process stops whatever is left if this process dies without stopping the stack.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort, N8n, type N8nServer, type ServerOptions } from './n8n';

export interface QueueStackOptions {
	/**
	 * Folder for everything of this stack (PostgreSQL data, Redis, nginx, the n8n user folder, logs). Default: a fresh
	 * one under E2E_WORK_DIR (else the OS temp folder), removed by stop() unless E2E_KEEP=1. A given folder is kept.
	 * As root, the `postgres` user must be able to traverse it (mode o+x on it and its parents).
	 */
	folder?: string;
	/** `n8n webhook` processors behind nginx (default 2). */
	webhookProcessors?: number;
	/** `n8n worker` processes (default 2). */
	workers?: number;
	/** `--concurrency` of every worker (default 10). */
	workerConcurrency?: number;
	/** Extra env for every n8n process, CLI calls included (undefined unsets). */
	env?: Record<string, string | undefined>;
	/** A prepared `.n8n/nodes` folder (the package installed from its tarball); default E2E_NODES_DIR. */
	nodesDir?: string;
	/** Fixed ports; free ones by default. */
	ports?: { main?: number; nginx?: number };
	/** Runs once the database is up, before main starts: `n8n import:*`, `publish:workflow` (main activates at start). */
	beforeMain?: (n8n: N8n) => Promise<void>;
	/** Per process (default 120 s). */
	readyTimeoutMs?: number;
	/** Progress lines (default: none). */
	log?: (line: string) => void;
	/** Stop the stack on SIGINT/SIGTERM and at exit of this process (default true). */
	stopOnExit?: boolean;
}

export interface StackProcess {
	/** `postgres`, `redis`, `nginx`, `main`, `webhook-1`, `worker-2`, … and for descendants `<parent>/<what>`. */
	name: string;
	pid: number;
	/** Set on descendants (n8n's task runners, nginx's worker, PostgreSQL's backends): the pid of the top process. */
	parentPid?: number;
	/** First 200 characters of its command line. */
	command: string;
}

export interface QueueStackUrls {
	/** main: editor, REST and public API. */
	editor: string;
	/** nginx: where production webhooks are called (N8N_WEBHOOK_URL, without the trailing slash). */
	webhookBase: string;
	/** Each webhook processor directly (bypassing nginx). */
	webhookProcessors: string[];
	/** Each worker's health-check server. */
	workers: string[];
	postgres: string;
	redis: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const PG_BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

/** Absolute path of a PostgreSQL program (Debian keeps initdb and pg_ctl off PATH). */
export function pgBinary(name: string): string {
	for (const dir of process.env.PG_BIN_DIR ? [process.env.PG_BIN_DIR] : PG_BIN_DIRS) {
		const file = path.join(dir, name);
		if (fs.existsSync(file)) return file;
	}
	const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
	if (found) return found;
	throw new Error(`PostgreSQL's ${name} not found (looked in ${PG_BIN_DIRS.join(', ')} and PATH; set PG_BIN_DIR): apt-get install postgresql`);
}

function tailOf(file: string, lines = 30): string {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return `(no ${file})`;
	}
}

/** Runs a command to completion (without blocking the event loop); throws with its output when it fails. */
async function run(argv: string[], what: string, opts: { cwd?: string; logFile?: string } = {}): Promise<string> {
	const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
	child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
	const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
	const result = await new Promise<string>((resolve) => {
		child.on('error', (error) => resolve(error.message));
		child.on('close', (code, signal) => resolve(code === 0 ? '' : `exit ${code ?? signal}`));
	});
	clearTimeout(timer);
	if (result) {
		const extra = opts.logFile ? `\n--- last lines of ${opts.logFile}:\n${tailOf(opts.logFile)}` : '';
		throw new Error(`${what} failed (${result}): ${argv.join(' ')}\n${out.trim()}${extra}`);
	}
	return out;
}

/** nginx lives in /usr/sbin on Debian, which a normal user's PATH may lack. */
function nginxBinary(): string {
	for (const file of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) if (fs.existsSync(file)) return file;
	return 'nginx';
}

function groupExists(name: string): boolean {
	return spawnSync('getent', ['group', name]).status === 0;
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(pid, signal);
	} catch {
		/* gone */
	}
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		/* gone */
	}
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
	const t0 = Date.now();
	while (Date.now() - t0 < ms) {
		if (!alive(pid)) return true;
		await sleep(50);
	}
	return !alive(pid);
}

async function tcpOpen(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

async function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			answer += d.toString();
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
		socket.once('error', () => done(false));
	});
}

/** Parent pid and command line of every process (Linux /proc). */
function processTable(): Map<number, { ppid: number; command: string }> {
	const table = new Map<number, { ppid: number; command: string }>();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
			table.set(Number(entry), { ppid, command });
		} catch {
			/* ended meanwhile */
		}
	}
	return table;
}

/** Short name of a descendant for `processes()`. */
function descendantName(command: string): string {
	if (/task-runner|runners?\/|task_runner/.test(command)) return /python/.test(command) ? 'task-runner-python' : 'task-runner';
	if (/^nginx: worker/.test(command)) return 'nginx-worker';
	if (/^postgres: /.test(command)) return command.replace(/^postgres: /, '').split(' ')[0] || 'backend';
	return path.basename(command.split(' ')[0] || '?');
}

/** A plain child process of the stack (Redis, nginx) in its own process group. */
interface Daemon {
	name: string;
	child: ChildProcess;
	pid: number;
	logFile: string;
	exited: Promise<void>;
	exitInfo?: string;
}

/**
 * The watchdog: a small detached node process per stack that waits for the process that started the stack to end and
 * then stops every process whose working folder is inside the stack folder (n8n and its task runners, Redis, nginx,
 * PostgreSQL and its backends) and removes the folder if the stack owned it. It is what cleans up when this process
 * cannot: killed with SIGKILL, or ended by node:test, whose harness turns an EPIPE on stdout into a fatal exit (code 7,
 * no 'exit' event) when Ctrl-C has already ended the test runner reading it. stop() ends the watchdog first.
 * argv: <pid to watch> <stack folder> <remove folder: 1|0>
 */
const WATCHDOG_SOURCE = String.raw`
const fs = require('node:fs');
const [watched, folder, remove] = process.argv.slice(1);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const signal = (pid, sig) => { try { process.kill(pid, sig); } catch {} };
function stackProcesses() {
	const found = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			const cwd = fs.readlinkSync('/proc/' + entry + '/cwd').replace(/ \(deleted\)$/, '');
			if (cwd !== folder && !cwd.startsWith(folder + '/')) continue;
			const cmd = fs.readFileSync('/proc/' + entry + '/cmdline', 'utf8').split('\0').join(' ');
			found.push({ pid: Number(entry), postmaster: / -D \S+\/postgres\/data/.test(cmd) && !/^postgres: /.test(cmd) });
		} catch {}
	}
	return found;
}
function cleanUp() {
	const first = stackProcesses();
	// PostgreSQL: SIGINT = fast shutdown (the postmaster ends its backends); everything else: SIGTERM
	for (const p of first) signal(p.pid, p.postmaster ? 'SIGINT' : 'SIGTERM');
	const t0 = Date.now();
	const poll = setInterval(() => {
		const left = stackProcesses();
		if (left.length > 0 && Date.now() - t0 < 10000) return;
		clearInterval(poll);
		for (const p of left) signal(p.pid, p.postmaster ? 'SIGQUIT' : 'SIGKILL');
		setTimeout(() => {
			for (const p of stackProcesses()) signal(p.pid, 'SIGKILL');
			if (remove === '1') { try { fs.rmSync(folder, { recursive: true, force: true }); } catch {} }
			process.exit(0);
		}, 1000);
	}, 250);
}
process.on('SIGTERM', () => process.exit(0)); // stop() did the work
process.on('SIGINT', () => undefined); // Ctrl-C reaches it only with its group; it acts when its process is gone
process.chdir('/');
const timer = setInterval(() => { if (!alive(Number(watched))) { clearInterval(timer); cleanUp(); } }, 500);
`;

function startWatchdog(folder: string, removeFolder: boolean): ChildProcess {
	const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, String(process.pid), folder, removeFolder ? '1' : '0'], {
		detached: true,
		stdio: 'ignore',
		cwd: '/',
	});
	child.unref(); // it must not keep this process alive
	return child;
}

type Timed = <T>(what: string, work: () => Promise<T>) => Promise<T>;

/**
 * Waits for ALL starts (none is left half-started behind a failure) and throws every failure at once. Each start is
 * already running; `timed` only records when it got ready.
 */
async function startAll(starts: Array<Promise<N8nServer>>, name: (i: number) => string, timed?: Timed): Promise<N8nServer[]> {
	const results = await Promise.allSettled(starts.map((p, i) => (timed ? timed(name(i), () => p) : p)));
	const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
	if (failed.length) throw new Error(failed.map((r) => (r.reason as Error).message).join('\n\n'));
	return results.map((r) => (r as PromiseFulfilledResult<N8nServer>).value);
}

const liveStacks = new Set<QueueStack>();
let exitHandlersInstalled = false;
let firstSignalAt = 0;

/**
 * After Ctrl-C the parent that reads this process's stdout/stderr may be gone already (node --test's runner exits at
 * once): a write then fails with EPIPE, and unhandled, that error ended the process silently in the middle of stop(),
 * leaving n8n, Redis and PostgreSQL behind. Called on the first signal: such write errors are ignored from then on.
 */
export function ignoreBrokenStdio(): void {
	for (const stream of [process.stdout, process.stderr]) if (stream.listenerCount('error') === 0) stream.on('error', () => undefined);
}

/** Stops every stack of this process, also one still starting (what a Ctrl-C handler calls). */
export async function stopAllStacks(): Promise<void> {
	await Promise.allSettled([...liveStacks].map((s) => s.stop()));
}

/** Synchronous last resort (process 'exit'): SIGKILL every process of every stack of this process. */
export function killAllStacksNow(): void {
	for (const stack of liveStacks) stack.killNow();
}

function installExitHandlers(): void {
	if (exitHandlersInstalled) return;
	exitHandlersInstalled = true;
	process.on('exit', killAllStacksNow);
	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
	] as const) {
		process.on(signal, () => {
			if (liveStacks.size === 0) process.exit(code);
			if (firstSignalAt) {
				// a second Ctrl-C (not one signal delivered twice, e.g. by a wrapper that relays it): kill at once
				if (Date.now() - firstSignalAt > 1000) process.exit(code);
				return;
			}
			firstSignalAt = Date.now();
			ignoreBrokenStdio();
			console.error(`\n${signal}: stopping the n8n queue-mode stack…`);
			void stopAllStacks().then(() => process.exit(code));
		});
	}
}

export class QueueStack {
	/** The n8n installation (user folder, CLI with the queue-mode env). */
	readonly n8n: N8n;
	readonly folder: string;
	readonly urls: QueueStackUrls;
	/** main (`n8n start`): owner, API key, activate(), listExecutions(); its webhook() posts through nginx. */
	main!: N8nServer;
	webhookProcessors: N8nServer[] = [];
	workers: N8nServer[] = [];
	/** How long each part took to become ready, in ms ('total' from start() to everything ready). */
	readonly timings: Record<string, number> = {};
	/** @internal */
	stopping = false;

	private postgresPid = 0;
	/** @internal The watchdog process (see WATCHDOG_SOURCE). */
	watchdog?: ChildProcess;
	private postgresStarting?: Promise<void>;
	private redis?: Daemon;
	private nginx?: Daemon;
	/** @internal */
	stopped = false;
	private readonly ownedFolder: boolean;
	private readonly log: (line: string) => void;
	private readonly ports: { main: number; nginx: number; postgres: number; redis: number; webhooks: number[]; workers: number[] };
	private readonly pgDir: string;
	private pgModule?: PgModule;

	private constructor(
		folder: string,
		owned: boolean,
		n8n: N8n,
		ports: QueueStack['ports'],
		private readonly opts: QueueStackOptions,
	) {
		this.folder = folder;
		this.ownedFolder = owned;
		this.n8n = n8n;
		this.ports = ports;
		this.pgDir = path.join(folder, 'postgres');
		this.log = opts.log ?? (() => undefined);
		this.urls = {
			editor: `http://127.0.0.1:${ports.main}`,
			webhookBase: `http://127.0.0.1:${ports.nginx}`,
			webhookProcessors: ports.webhooks.map((p) => `http://127.0.0.1:${p}`),
			workers: ports.workers.map((p) => `http://127.0.0.1:${p}`),
			postgres: `postgresql://postgres@127.0.0.1:${ports.postgres}/n8n`,
			redis: `redis://127.0.0.1:${ports.redis}`,
		};
	}

	/** Starts the whole stack; on failure stops what it started and throws with the failing process's last log lines. */
	static async start(opts: QueueStackOptions = {}): Promise<QueueStack> {
		const t0 = Date.now();
		const owned = !opts.folder;
		const folder = opts.folder ?? fs.mkdtempSync(path.join(process.env.E2E_WORK_DIR || os.tmpdir(), 'queue-stack-'));
		fs.mkdirSync(folder, { recursive: true });
		// PostgreSQL (as the postgres user) and nginx's workers (as nobody) must traverse it; nothing in it is secret
		fs.chmodSync(folder, 0o711);
		const webhookCount = opts.webhookProcessors ?? 2;
		const workerCount = opts.workers ?? 2;
		const ports = {
			main: opts.ports?.main ?? (await freePort()),
			nginx: opts.ports?.nginx ?? (await freePort()),
			postgres: await freePort(),
			redis: await freePort(),
			webhooks: await Promise.all(Array.from({ length: webhookCount }, () => freePort())),
			workers: await Promise.all(Array.from({ length: workerCount }, () => freePort())),
		};
		const nodesDir = opts.nodesDir ?? process.env.E2E_NODES_DIR;
		if (!nodesDir || !fs.existsSync(nodesDir)) {
			throw new Error('QueueStack: no prepared .n8n/nodes folder (E2E_NODES_DIR or opts.nodesDir): run through scripts/e2e-queue.sh');
		}
		// ONE user folder for every process, with the package installed as N8n.fresh() installs it (a copy of the
		// prepared nodes folder); inside the stack folder, so it goes with it
		const userFolder = path.join(folder, 'n8n');
		fs.mkdirSync(userFolder, { recursive: true });
		const nodesTarget = path.join(userFolder, '.n8n', 'nodes');
		if (!fs.existsSync(nodesTarget)) fs.cpSync(nodesDir, nodesTarget, { recursive: true, verbatimSymlinks: true });
		const n8n = await N8n.fresh({
			userFolder,
			env: {
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(ports.postgres),
				DB_POSTGRESDB_DATABASE: 'n8n',
				DB_POSTGRESDB_USER: 'postgres',
				DB_POSTGRESDB_PASSWORD: 'x', // trust authentication on loopback; n8n wants some password
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(ports.redis),
				N8N_WEBHOOK_URL: `http://127.0.0.1:${ports.nginx}/`,
				WEBHOOK_URL: undefined, // deprecated in 2.41 and exported by scripts/n8n-env.sh
				N8N_EDITOR_BASE_URL: `http://127.0.0.1:${ports.main}/`,
				N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
				OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
				N8N_DEFAULT_BINARY_DATA_MODE: 'database', // the queue-mode default; filesystem does not work across machines
				N8N_EVENTBUS_LOGWRITER_LOGBASENAME: 'n8nEventLog-cli',
				...opts.env,
			},
		});

		const stack = new QueueStack(folder, owned, n8n, ports, opts);
		stack.watchdog = startWatchdog(folder, owned && process.env.E2E_KEEP !== '1');
		liveStacks.add(stack);
		if (opts.stopOnExit ?? true) installExitHandlers();
		try {
			await stack.bringUp(t0);
		} catch (error) {
			const stoppedMeanwhile = stack.stopping || stack.stopped;
			await stack.stop();
			// processes that "died before ready" because stop() (Ctrl-C) ended them are no start-up failure
			throw stoppedMeanwhile ? new Error('the queue-mode stack was stopped during its start-up') : error;
		}
		return stack;
	}

	private async bringUp(t0: number): Promise<void> {
		const timeout = this.opts.readyTimeoutMs ?? 120_000;
		const timed: Timed = async (what, work) => {
			const t = Date.now();
			const value = await work();
			this.timings[what] = Date.now() - t;
			this.log(`${what} ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
			return value;
		};
		this.log(`starting PostgreSQL (127.0.0.1:${this.ports.postgres}) and Redis (127.0.0.1:${this.ports.redis}) in ${this.folder}`);
		this.postgresStarting = this.startPostgres();
		await Promise.all([timed('postgres', () => this.postgresStarting!), timed('redis', () => this.startRedis())]);
		this.checkNotStopping();
		if (this.opts.beforeMain) await timed('beforeMain', () => this.opts.beforeMain!(this.n8n));
		this.checkNotStopping();

		// main first, alone: it migrates the fresh database. (n8n takes an advisory lock for migrations on PostgreSQL, so
		// starting everything at once is safe too, but 5 n8n processes on 2 cores were ready later: 26 s instead of 23 s.)
		this.log(`starting n8n main on ${this.urls.editor} (it runs the database migrations)`);
		this.main = await timed('main', () =>
			this.n8n.startServer({ ...this.processOptions('main'), port: this.ports.main, webhookBaseUrl: this.urls.webhookBase, readyTimeoutMs: timeout }),
		);
		this.checkNotStopping();
		this.log(`starting ${this.ports.webhooks.length} webhook processor(s), ${this.ports.workers.length} worker(s) and nginx (${this.urls.webhookBase}) in parallel`);
		const all = await Promise.allSettled([this.startWebhookProcessors(timed), this.startWorkers(timed), timed('nginx', () => this.startNginx())]);
		const failed = all.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		if (failed.length) throw new Error(failed.map((r) => (r.reason as Error).message).join('\n\n'));
		// nginx answers for a webhook processor once one is up: the whole path works
		await this.waitFor(`${this.urls.webhookBase}/healthz/readiness`, 'nginx → webhook processor', 30_000, () => tailOf(path.join(this.folder, 'nginx', 'error.log')));
		this.timings.total = Date.now() - t0;
		this.log(`queue-mode stack ready in ${(this.timings.total / 1000).toFixed(1)} s`);
	}

	private checkNotStopping(): void {
		if (this.stopping || this.stopped) throw new Error('the queue-mode stack was stopped during its start-up');
	}

	/** Options of one long-running n8n process of the stack. */
	private processOptions(name: string): ServerOptions {
		return {
			name,
			env: {
				N8N_EVENTBUS_LOGWRITER_LOGBASENAME: `n8nEventLog-${name}`,
				// N8nServer sets these two to the process's own URL; in queue mode N8N_WEBHOOK_URL (nginx) and main's URL apply
				WEBHOOK_URL: undefined,
				N8N_EDITOR_BASE_URL: `${this.urls.editor}/`,
			},
			readyTimeoutMs: this.opts.readyTimeoutMs ?? 120_000,
		};
	}

	private webhookOptions(i: number): ServerOptions {
		const base = this.processOptions(`webhook-${i + 1}`);
		return {
			...base,
			command: 'webhook',
			port: this.ports.webhooks[i],
			// behind nginx: trust one proxy hop for X-Forwarded-For (else express warns per request)
			env: { ...base.env, N8N_PROXY_HOPS: '1' },
			webhookBaseUrl: this.urls.webhookBase,
		};
	}

	private workerOptions(i: number): ServerOptions {
		const base = this.processOptions(`worker-${i + 1}`);
		const port = this.ports.workers[i];
		return {
			...base,
			command: 'worker',
			args: [`--concurrency=${this.opts.workerConcurrency ?? 10}`],
			port,
			readinessUrl: `http://127.0.0.1:${port}/healthz/readiness`,
			env: { ...base.env, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' },
		};
	}

	private async startWebhookProcessors(timed?: Timed): Promise<void> {
		this.webhookProcessors = await startAll(this.ports.webhooks.map((_, i) => this.n8n.startServer(this.webhookOptions(i))), (i) => `webhook-${i + 1}`, timed);
	}

	private async startWorkers(timed?: Timed): Promise<void> {
		this.workers = await startAll(this.ports.workers.map((_, i) => this.n8n.startServer(this.workerOptions(i))), (i) => `worker-${i + 1}`, timed);
	}

	// ---------------------------------------------------------------------------------------------
	// PostgreSQL, Redis, nginx
	// ---------------------------------------------------------------------------------------------

	/** argv prefix that runs a PostgreSQL program as the `postgres` user when we are root (the server refuses root). */
	private asPostgres(argv: string[]): string[] {
		return isRoot() ? ['runuser', '-u', 'postgres', '--', ...argv] : argv;
	}

	private async startPostgres(): Promise<void> {
		const data = path.join(this.pgDir, 'data');
		const logFile = path.join(this.pgDir, 'postgres.log');
		fs.mkdirSync(this.pgDir, { recursive: true, mode: 0o700 });
		if (isRoot()) {
			const r = spawnSync('chown', ['-R', 'postgres:', this.pgDir]);
			if (r.status !== 0) throw new Error(`chown postgres ${this.pgDir} failed: ${r.stderr}`);
			const reach = spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-w', this.pgDir]);
			if (reach.status !== 0) {
				throw new Error(
					`PostgreSQL runs as the postgres user, which cannot reach ${this.pgDir}: a folder above it is not traversable ` +
						`(mode o+x). Give the stack a folder under /tmp (QueueStackOptions.folder) or chmod o+x its parents.`,
				);
			}
		}
		await run(this.asPostgres([pgBinary('initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']), 'initdb', { cwd: this.pgDir });
		const serverOptions = [
			`-p ${this.ports.postgres}`,
			`-k ${this.pgDir}`,
			'-c listen_addresses=127.0.0.1',
			'-c max_connections=200',
			// throwaway data: no durability, faster on a small machine
			'-c fsync=off',
			'-c synchronous_commit=off',
			'-c full_page_writes=off',
		].join(' ');
		// pg_ctl forks the postmaster and returns once it accepts connections (-w)
		this.checkNotStopping();
		await run(this.asPostgres([pgBinary('pg_ctl'), '-D', data, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']), 'pg_ctl start', {
			cwd: this.pgDir,
			logFile,
		});
		this.postgresPid = readPostmasterPid(data);
		await run([pgBinary('createdb'), '-h', '127.0.0.1', '-p', String(this.ports.postgres), '-U', 'postgres', 'n8n'], 'createdb n8n', { logFile });
	}

	private spawnDaemon(name: string, argv: string[], logFile: string): Daemon {
		const log = fs.openSync(logFile, 'a');
		const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', log, log], detached: true, cwd: this.folder });
		fs.closeSync(log);
		const daemon: Daemon = { name, child, pid: child.pid ?? 0, logFile, exited: Promise.resolve() };
		daemon.exited = new Promise((resolve) => {
			child.on('exit', (code, signal) => {
				daemon.exitInfo = `exit ${code ?? signal}`;
				resolve();
			});
			child.on('error', (error) => {
				daemon.exitInfo = error.message;
				resolve();
			});
		});
		return daemon;
	}

	private async startRedis(): Promise<void> {
		this.checkNotStopping();
		const dir = path.join(this.folder, 'redis');
		fs.mkdirSync(dir, { recursive: true });
		this.redis = this.spawnDaemon(
			'redis',
			['redis-server', '--port', String(this.ports.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
			path.join(dir, 'redis.log'),
		);
		await this.waitForDaemon(this.redis, () => redisPing(this.ports.redis), 30_000);
	}

	private async startNginx(): Promise<void> {
		this.checkNotStopping();
		const dir = path.join(this.folder, 'nginx');
		const tmp = path.join(dir, 'tmp');
		fs.mkdirSync(tmp, { recursive: true });
		fs.chmodSync(dir, 0o711);
		const conf = path.join(dir, 'nginx.conf');
		const upstreams = this.ports.webhooks.map((p) => `    server 127.0.0.1:${p};`).join('\n');
		fs.writeFileSync(
			conf,
			`# n8n queue-mode stack: the one public URL in front of the webhook processors (round robin)
${isRoot() ? `user nobody ${groupExists('nogroup') ? 'nogroup' : 'nobody'};\n` : ''}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  log_format upstream '$remote_addr [$time_local] "$request" $status $body_bytes_sent upstream=$upstream_addr upstream_status=$upstream_status rt=$request_time';
  access_log ${dir}/access.log upstream;
  client_body_temp_path ${tmp}/client_body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  client_max_body_size 100m;
  client_body_buffer_size 1m;
  upstream n8n_webhook_processors {
${upstreams}
    keepalive 16;
  }
  upstream n8n_main {
    server 127.0.0.1:${this.ports.main};
  }
  server {
    listen 127.0.0.1:${this.ports.nginx};
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_buffering off;
    proxy_read_timeout 300s;
    # test URLs (the editor's "Listen for test event") live in main only; N8N_WEBHOOK_URL is their base too
    location ~ ^/(webhook-test|form-test|mcp-test)/ {
      proxy_pass http://n8n_main;
    }
    # production webhooks, waiting webhooks (Send and Wait), forms: the webhook processors
    location / {
      proxy_pass http://n8n_webhook_processors;
    }
  }
}
`,
		);
		await run([nginxBinary(), '-t', '-p', `${dir}/`, '-c', conf, '-e', path.join(dir, 'error.log')], 'nginx -t (config check)');
		this.checkNotStopping();
		this.nginx = this.spawnDaemon('nginx', [nginxBinary(), '-p', `${dir}/`, '-c', conf, '-e', path.join(dir, 'error.log')], path.join(dir, 'nginx.out'));
		await this.waitForDaemon(this.nginx, () => tcpOpen(this.ports.nginx), 30_000, path.join(dir, 'error.log'));
	}

	private async waitForDaemon(daemon: Daemon, ready: () => Promise<boolean>, timeoutMs: number, logFile = daemon.logFile): Promise<void> {
		const t0 = Date.now();
		while (Date.now() - t0 < timeoutMs) {
			if (daemon.exitInfo) throw new Error(`${daemon.name} died (${daemon.exitInfo}) at start; last lines of ${logFile}:\n${tailOf(logFile)}`);
			if (await ready()) return;
			await sleep(100);
		}
		throw new Error(`${daemon.name} not ready after ${timeoutMs} ms; last lines of ${logFile}:\n${tailOf(logFile)}`);
	}

	private async waitFor(url: string, what: string, timeoutMs: number, tail: () => string): Promise<void> {
		const t0 = Date.now();
		let last = '';
		while (Date.now() - t0 < timeoutMs) {
			try {
				const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
				last = `${res.status}`;
				await res.arrayBuffer();
				if (res.ok) return;
			} catch (error) {
				last = (error as Error).message;
			}
			await sleep(100);
		}
		throw new Error(`${what}: ${url} not ready after ${timeoutMs} ms (last: ${last})\n${tail()}`);
	}

	// ---------------------------------------------------------------------------------------------
	// What runs
	// ---------------------------------------------------------------------------------------------

	/** Every process of the stack with its pid, and their descendants (n8n's task runners, nginx's worker, PG backends). */
	processes(): StackProcess[] {
		const table = processTable();
		const tops: Array<{ name: string; pid: number }> = [];
		if (this.postgresPid) tops.push({ name: 'postgres', pid: this.postgresPid });
		if (this.redis?.pid) tops.push({ name: 'redis', pid: this.redis.pid });
		for (const srv of [this.main, ...this.webhookProcessors, ...this.workers]) if (srv?.pid && srv.running) tops.push({ name: srv.name, pid: srv.pid });
		if (this.nginx?.pid) tops.push({ name: 'nginx', pid: this.nginx.pid });
		if (this.watchdog?.pid && this.watchdog.exitCode === null) tops.push({ name: 'watchdog', pid: this.watchdog.pid });
		const children = new Map<number, number[]>();
		for (const [pid, { ppid }] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
		const out: StackProcess[] = [];
		for (const top of tops) {
			const info = table.get(top.pid);
			if (!info) continue;
			out.push({ name: top.name, pid: top.pid, command: info.command.slice(0, 200) });
			const queue = [...(children.get(top.pid) ?? [])];
			while (queue.length) {
				const pid = queue.shift()!;
				const child = table.get(pid);
				if (!child) continue;
				out.push({ name: `${top.name}/${descendantName(child.command)}`, pid, parentPid: top.pid, command: child.command.slice(0, 200) });
				queue.push(...(children.get(pid) ?? []));
			}
		}
		return out;
	}

	/** Worker names by execution id, from the workers' logs ("Worker started execution <id> (job <n>)"). */
	executionsByWorker(): Map<string, string[]> {
		const found = new Map<string, string[]>();
		for (const file of fs.readdirSync(this.n8n.userFolder).filter((f) => /^worker-\d+\.log$/.test(f))) {
			const worker = file.replace(/\.log$/, '');
			const text = fs.readFileSync(path.join(this.n8n.userFolder, file), 'utf8');
			for (const m of text.matchAll(/Worker started execution (\d+) \(job /g)) found.set(m[1], [...(found.get(m[1]) ?? []), worker]);
		}
		return found;
	}

	/** The worker that ran an execution (undefined: none logged it). */
	workerOf(executionId: string | number): string | undefined {
		return this.executionsByWorker().get(String(executionId))?.[0];
	}

	/**
	 * nginx's access log: which n8n process (upstream address) answered each request. `upstream` is the one that
	 * answered; `tried` every one nginx tried, in order (a dead webhook processor first, then the next).
	 */
	nginxAccessLog(): Array<{ request: string; status: number; upstream: string; tried: string[] }> {
		const file = path.join(this.folder, 'nginx', 'access.log');
		if (!fs.existsSync(file)) return [];
		return fs
			.readFileSync(file, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((line) => {
				const m = /"([^"]*)" (\d+) \d+ upstream=(.*?) upstream_status=/.exec(line);
				const tried = (m?.[3] ?? '').split(/[,:]\s+|,\s*/).filter((a) => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(a));
				return { request: m?.[1] ?? line, status: Number(m?.[2] ?? 0), upstream: tried.at(-1) ?? '', tried };
			});
	}

	/** SQL on n8n's database (n8n's own `pg` module; nothing added to the package). */
	async sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
		if (!this.pgModule) {
			const req = createRequire(path.join(path.dirname(path.dirname(this.n8n.bin)), 'n8n', 'package.json'));
			this.pgModule = req('pg') as PgModule;
		}
		const client = new this.pgModule.Client({ host: '127.0.0.1', port: this.ports.postgres, user: 'postgres', database: 'n8n' });
		await client.connect();
		try {
			return (await client.query(text, params)).rows as T[];
		} finally {
			await client.end();
		}
	}

	/** Executions of a workflow by status (`success`, `new`, `running`, …), from n8n's database. */
	async executionCounts(workflowId: string): Promise<Record<string, number>> {
		const rows = await this.sql<{ status: string; n: string }>('SELECT status, count(*) AS n FROM execution_entity WHERE "workflowId" = $1 GROUP BY status', [workflowId]);
		return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
	}

	/**
	 * The execution counts of these workflows once nothing runs and the counts stood still for three polls. An
	 * execution can stay `new` for good: a webhook processor killed with SIGKILL had created it but not queued it
	 * (and had not answered, so the delivery came again and ran elsewhere); n8n does not pick those up, so they are
	 * reported, not waited for. `stop()` returning a reason ends the wait with that reason.
	 */
	async settledExecutions(workflowIds: string[], opts: { timeoutMs?: number; pollMs?: number; stop?: () => string | undefined } = {}): Promise<Array<Record<string, number>>> {
		const timeoutMs = opts.timeoutMs ?? 180_000;
		const t0 = Date.now();
		let last = '';
		let stable = 0;
		while (Date.now() - t0 < timeoutMs) {
			const reason = opts.stop?.();
			if (reason) throw new Error(reason);
			const all = await Promise.all(workflowIds.map((id) => this.executionCounts(id)));
			const running = all.reduce((n, c) => n + (c.running ?? 0), 0);
			const key = JSON.stringify(all);
			stable = key === last && running === 0 ? stable + 1 : 0;
			if (stable >= 3) return all;
			last = key;
			await sleep(opts.pollMs ?? 2_000);
		}
		throw new Error(`executions did not settle in ${timeoutMs} ms: ${last}`);
	}

	/** A one-line-per-process summary: name, pid, port. */
	describe(): string {
		const port = (name: string): string => {
			if (name === 'postgres') return `127.0.0.1:${this.ports.postgres}`;
			if (name === 'redis') return `127.0.0.1:${this.ports.redis}`;
			if (name === 'nginx') return `127.0.0.1:${this.ports.nginx} → ${this.ports.webhooks.map((p) => `:${p}`).join(', ')}`;
			if (name === 'main') return `127.0.0.1:${this.ports.main} (editor, API)`;
			const w = /^webhook-(\d+)$/.exec(name);
			if (w) return `127.0.0.1:${this.ports.webhooks[Number(w[1]) - 1]}`;
			const k = /^worker-(\d+)$/.exec(name);
			if (k) return `127.0.0.1:${this.ports.workers[Number(k[1]) - 1]} (health check)`;
			return '';
		};
		return this.processes()
			.filter((p) => !p.name.startsWith('postgres/'))
			.map((p) => `  ${p.name.padEnd(24)} pid ${String(p.pid).padEnd(8)} ${port(p.name)}`)
			.join('\n');
	}

	// ---------------------------------------------------------------------------------------------
	// Faults and restarts
	// ---------------------------------------------------------------------------------------------

	/** Sends `signal` to webhook processor `index` (0-based; its task runner too) and waits until it has exited. */
	async killWebhookProcessor(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
		const srv = this.webhookProcessors[index];
		if (!srv) throw new Error(`no webhook processor ${index} (have ${this.webhookProcessors.length})`);
		this.log(`${signal} → ${srv.name} (pid ${srv.pid})`);
		await srv.kill(signal);
	}

	/** Stops every webhook processor (dead ones included) and starts them again on the same ports; resolves once all are ready. */
	async restartWebhookProcessors(): Promise<void> {
		const t = Date.now();
		await Promise.all(this.webhookProcessors.map((s) => s.stop()));
		await this.startWebhookProcessors();
		this.timings.restartWebhookProcessors = Date.now() - t;
		this.log(`webhook processors restarted in ${((Date.now() - t) / 1000).toFixed(1)} s`);
	}

	/** Stops every worker (SIGTERM: n8n waits for running jobs, SIGKILL after 10 s) and starts them again; resolves once ready. */
	async restartWorkers(): Promise<void> {
		const t = Date.now();
		await Promise.all(this.workers.map((s) => s.stop()));
		await this.startWorkers();
		this.timings.restartWorkers = Date.now() - t;
		this.log(`workers restarted in ${((Date.now() - t) / 1000).toFixed(1)} s`);
	}

	// ---------------------------------------------------------------------------------------------
	// Stop
	// ---------------------------------------------------------------------------------------------

	/** Stops everything by PID in reverse start order (nginx, workers and webhook processors, main, Redis, PostgreSQL). */
	async stop(): Promise<void> {
		if (this.stopped || this.stopping) return;
		this.stopping = true;
		this.n8n.disposed = true; // no n8n process starts from now on (also not one of a start-up in progress)
		try {
			if (this.nginx) await this.stopDaemon(this.nginx, 'SIGQUIT', 5_000);
			// workers and webhook processors (also any still starting), then main
			await Promise.all(this.n8n.liveServers().filter((s) => s !== this.main).map((s) => s.stop()));
			await this.main?.stop();
			await Promise.all(this.n8n.liveServers().map((s) => s.stop()));
			if (this.redis) await this.stopDaemon(this.redis, 'SIGTERM', 5_000);
			await this.postgresStarting?.catch(() => undefined); // pg_ctl in progress: let it finish, then stop the server
			const pgPid = this.postgresPid || readPostmasterPid(path.join(this.pgDir, 'data'));
			if (pgPid && alive(pgPid)) {
				// SIGINT = PostgreSQL's fast shutdown (the postmaster ends its backends)
				signalPid(pgPid, 'SIGINT');
				if (!(await waitGone(pgPid, 15_000))) signalPid(pgPid, 'SIGKILL');
			}
			this.postgresPid = 0;
			await this.n8n.dispose();
			if (this.watchdog?.pid) signalPid(this.watchdog.pid, 'SIGTERM'); // everything is stopped: nothing left to watch
			const remove = this.ownedFolder && process.env.E2E_KEEP !== '1';
			if (remove) fs.rmSync(this.folder, { recursive: true, force: true });
			this.log(remove ? 'stack stopped and its folder removed' : this.ownedFolder ? `stack stopped (kept ${this.folder}: E2E_KEEP=1)` : 'stack stopped');
		} catch (error) {
			this.killNow(); // whatever is left: SIGKILL
			throw error;
		} finally {
			this.stopped = true;
			this.stopping = false;
			liveStacks.delete(this);
		}
	}

	private async stopDaemon(daemon: Daemon, signal: NodeJS.Signals, graceMs: number): Promise<void> {
		if (daemon.exitInfo) return;
		signalGroup(daemon.pid, signal);
		const timedOut = await Promise.race([daemon.exited.then(() => false), sleep(graceMs).then(() => true)]);
		if (timedOut) {
			signalGroup(daemon.pid, 'SIGKILL');
			await daemon.exited;
		}
		signalGroup(daemon.pid, 'SIGKILL'); // nginx's worker, if it outlived its master
	}

	/** @internal Synchronous last resort (process exit): SIGKILL every process group still running, PostgreSQL's immediate shutdown. */
	killNow(): void {
		for (const srv of this.n8n.liveServers()) if (srv.running && srv.pid) signalGroup(srv.pid, 'SIGKILL');
		for (const daemon of [this.nginx, this.redis]) if (daemon && !daemon.exitInfo) signalGroup(daemon.pid, 'SIGKILL');
		// also a postmaster whose pid was not read yet (pg_ctl had just started it)
		const pgPid = this.postgresPid || readPostmasterPid(path.join(this.pgDir, 'data'));
		if (pgPid && alive(pgPid)) signalPid(pgPid, 'SIGQUIT'); // immediate shutdown: the postmaster takes its backends along
		this.stopped = true;
		liveStacks.delete(this);
	}
}

function readPostmasterPid(dataDir: string): number {
	try {
		return Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || 0;
	} catch {
		return 0;
	}
}

interface PgModule {
	Client: new (config: { host: string; port: number; user: string; database: string }) => {
		connect(): Promise<void>;
		query(text: string, params: unknown[]): Promise<{ rows: unknown[] }>;
		end(): Promise<void>;
	};
}
