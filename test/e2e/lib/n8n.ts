/**
 * Drive a REAL n8n (the pinned install prepared by scripts/n8n-env.sh) from end-to-end tests.
 *
 * Run through scripts/e2e.sh, which exports:
 *   N8N_BIN              the n8n CLI                                   (required)
 *   E2E_NODES_DIR        a prepared `<user folder>/.n8n/nodes` directory with this package installed
 *                        from its npm pack tarball; copied into every fresh user folder
 *   E2E_WORK_DIR         scratch root for fresh user folders (deleted by e2e.sh)   (default: os.tmpdir())
 *   E2E_KEEP=1           keep user folders and server logs for inspection
 * plus the isolating N8N_* variables (diagnostics off, 127.0.0.1, ...).
 *
 *   const n8n = await N8n.fresh();                       // fresh user folder + SQLite DB
 *   await n8n.importCredentials([{ id, name, type: 'dialog360Api', data: { apiKey: 'test-key', ... } }]);
 *   const wfId = await n8n.importWorkflow({ name, nodes, connections });
 *   const res = await n8n.execute(wfId);                 // res.run: IRun JSON, res.ok
 *   const srv = await n8n.startServer();                 // owner + API key ready
 *   await srv.activate(wfId);                            // resolves when n8n has published it (webhooks live)
 *   await srv.webhook('my-path', { hello: 1 });
 *   const executions = await srv.waitForExecutions(wfId, 1);
 *   await srv.stop(); await n8n.dispose();
 *
 * Every n8n process runs like a user's n8n started in its home folder: HOME = the user folder and the working
 * folder = the user folder, with `.n8n-files` in it (`n8n.filesDir`). So n8n 2.x's default file-access folder
 * (`~/.n8n-files`) is that folder and a relative path such as `.n8n-files/log.jsonl` (workflows/
 * delivery-status-log.json) lands in it, with no N8N_RESTRICT_FILE_ACCESS_TO override.
 *
 * Pitfalls handled here (numbered as in test/e2e/PITFALLS.md): P9 stdout has log lines before the
 * JSON and the CLI sometimes segfaults (139) AFTER printing it -> judge by the JSON; P10 every n8n process gets
 * its own task-broker port; P6 activation is asynchronous in n8n 2.x (activate() waits for the publication) and
 * webhook() still retries 404 briefly; P11 node-type list needs a login (we log in as owner).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

/** Fixed so that credentials imported with plaintext `data` can be decrypted by every process of a run. */
export const E2E_ENCRYPTION_KEY = 'n8n-nodes-360dialog-e2e-not-a-secret';
export const OWNER = {
	email: 'owner@e2e.n8n-nodes-360dialog.test',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-Passw0rd!',
};

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

/** Minimal view of n8n's IRun as printed by `n8n execute --rawOutput`. */
export interface IRunJson {
	status?: string;
	finished?: boolean;
	mode?: string;
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown>; binary?: unknown }> | null> }; error?: { message?: string; description?: string } }>>;
			error?: { message?: string; description?: string; node?: { name?: string } };
			lastNodeExecuted?: string;
		};
	};
	[key: string]: unknown;
}

export interface ExecuteResult extends CliResult {
	/** Parsed IRun: printed by the CLI, or read back from the SQLite DB (see `runSource`). */
	run?: IRunJson;
	/**
	 * 'stdout': parsed from `--rawOutput`. 'db': the CLI printed no run because of an n8n 2.41 race (an execution
	 * that fails within a few ms is finalised before `n8n execute` asks for its result: "No active execution
	 * found"), so the run was read from the execution tables instead. undefined: no run at all.
	 */
	runSource?: 'stdout' | 'db';
	/** Execution id in the DB (when known). */
	executionId?: string;
	/** true when the run JSON says success (exit code is not trusted, P9). */
	ok: boolean;
	/** Error message from the run or from the CLI output. */
	errorMessage?: string;
}

export interface CredentialInput {
	id?: string;
	name: string;
	type: string;
	/** Plaintext; `n8n import:credentials` encrypts objects with N8N_ENCRYPTION_KEY. */
	data: Record<string, unknown>;
}

export interface WorkflowInput {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 16-character id in n8n's format (used for workflow and credential ids). */
export function newId(): string {
	const bytes = randomBytes(16);
	let id = '';
	for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
	return id;
}

/** A free TCP port on 127.0.0.1 (kernel-assigned). */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

const sleep = (ms: number, opts: { unref?: boolean } = {}) =>
	new Promise<void>((r) => {
		const t = setTimeout(r, ms);
		if (opts.unref) t.unref(); // a pending timeout must not keep the test process alive
	});

/** Parse the IRun JSON from `n8n execute --rawOutput` stdout: from the first line starting with `{`. */
export function parseRunOutput(stdout: string): IRunJson | undefined {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l.startsWith('{'));
	if (start < 0) return undefined;
	const text = lines.slice(start).join('\n');
	try {
		return JSON.parse(text) as IRunJson;
	} catch {
		// trailing log lines after the JSON: cut at the last closing brace at line start
		const end = text.lastIndexOf('\n}');
		if (end < 0) return undefined;
		try {
			return JSON.parse(text.slice(0, end + 2)) as IRunJson;
		} catch {
			return undefined;
		}
	}
}

function requireEnv(name: string): string {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set: run the e2e tests through scripts/e2e.sh`);
	return v;
}

export interface N8nOptions {
	/** Existing user folder to use (default: a fresh one under E2E_WORK_DIR). */
	userFolder?: string;
	/** Extra env for every n8n process of this instance (undefined unsets a variable, e.g. WEBHOOK_URL). */
	env?: Record<string, string | undefined>;
	/** Timeout for CLI commands (default 120 s). */
	cliTimeoutMs?: number;
}

/** One n8n "installation": a user folder (SQLite DB + .n8n/nodes) and the CLI to drive it. */
export class N8n {
	readonly bin: string;
	readonly userFolder: string;
	readonly env: NodeJS.ProcessEnv;
	private readonly cliTimeoutMs: number;
	private readonly owned: boolean;
	private servers = new Set<N8nServer>();
	/** Read-only access to this user folder's SQLite DB (executions). */
	readonly db: N8nDb;
	/**
	 * `<user folder>/.n8n-files`: n8n 2.x's default file-access folder for these processes (`~/.n8n-files`, with
	 * HOME = the user folder), and where a relative `.n8n-files/...` path lands (working folder = user folder).
	 */
	readonly filesDir: string;

	private constructor(userFolder: string, owned: boolean, opts: N8nOptions) {
		this.bin = requireEnv('N8N_BIN');
		this.userFolder = userFolder;
		this.owned = owned;
		this.cliTimeoutMs = opts.cliTimeoutMs ?? 120_000;
		this.db = new N8nDb(path.join(userFolder, '.n8n', 'database.sqlite'), this.bin);
		// n8n does not create it, and writes need the folder to exist
		this.filesDir = path.join(userFolder, '.n8n-files');
		fs.mkdirSync(this.filesDir, { recursive: true });
		this.env = {
			...process.env,
			// like a user's n8n started in its home folder (n8n's Docker image: HOME = working folder = /home/node)
			HOME: userFolder,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
			DB_TYPE: 'sqlite',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_SSRF_PROTECTION_ENABLED: 'false', // the emulator is on 127.0.0.1
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			...opts.env,
		};
	}

	/**
	 * A fresh user folder (empty SQLite DB) with this package installed: a copy of E2E_NODES_DIR
	 * (prepared once per run by scripts/e2e.sh from the npm pack tarball).
	 */
	static async fresh(opts: N8nOptions = {}): Promise<N8n> {
		if (opts.userFolder) return new N8n(opts.userFolder, false, opts);
		const root = process.env.E2E_WORK_DIR || os.tmpdir();
		fs.mkdirSync(root, { recursive: true });
		const folder = fs.mkdtempSync(path.join(root, 'n8n-user-'));
		const nodesDir = process.env.E2E_NODES_DIR;
		if (nodesDir) {
			fs.cpSync(nodesDir, path.join(folder, '.n8n', 'nodes'), { recursive: true, verbatimSymlinks: true });
		}
		return new N8n(folder, true, opts);
	}

	/** Run `n8n <args>` (fresh task-broker port per process, P10). */
	async cli(args: string[], opts: { timeoutMs?: number; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
		const brokerPort = await freePort();
		const t0 = Date.now();
		const child = spawn(this.bin, args, {
			env: { ...this.env, N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...opts.env },
			cwd: this.userFolder,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // own process group: the timeout kills n8n AND its task-runner child
		});
		let stdout = '';
		let stderr = '';
		child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		const timeoutMs = opts.timeoutMs ?? this.cliTimeoutMs;
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
			child.on('close', (c, s) => resolve({ code: c, signal: s })),
		);
		clearTimeout(timer);
		killGroup(child, 'SIGKILL'); // reap a task-runner child left behind by a crashed CLI (no-op normally)
		if (timedOut) throw new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${tail(stdout + stderr)}`);
		return { code, signal, stdout, stderr, ms: Date.now() - t0 };
	}

	private async cliOk(args: string[], what: string): Promise<CliResult> {
		const r = await this.cli(args);
		// P9: the CLI occasionally segfaults on exit AFTER doing its work; trust its success line then
		const crashedAfterSuccess = (r.signal === 'SIGSEGV' || r.code === 139) && /Successfully /.test(r.stdout + r.stderr);
		if (r.code !== 0 && !crashedAfterSuccess) {
			throw new Error(`${what} failed (exit ${r.code ?? r.signal}):\n${tail(r.stdout + r.stderr)}`);
		}
		return r;
	}

	private writeTemp(name: string, value: unknown): string {
		const dir = path.join(this.userFolder, 'e2e-input');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `${Date.now()}-${newId()}-${name}.json`);
		fs.writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	}

	/** `n8n import:credentials`. Plaintext `data` objects are encrypted with N8N_ENCRYPTION_KEY. Returns ids. */
	async importCredentials(creds: CredentialInput[]): Promise<string[]> {
		const withIds = creds.map((c) => ({ ...c, id: c.id ?? newId() }));
		await this.cliOk(['import:credentials', `--input=${this.writeTemp('credentials', withIds)}`], 'import:credentials');
		return withIds.map((c) => c.id);
	}

	/** `n8n export:credentials --all --decrypted`: what n8n stored, decrypted with N8N_ENCRYPTION_KEY. */
	async exportCredentials(): Promise<Array<CredentialInput & { id: string }>> {
		const file = path.join(this.userFolder, 'e2e-input', `export-${newId()}.json`);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		await this.cliOk(['export:credentials', '--all', '--decrypted', `--output=${file}`], 'export:credentials');
		try {
			return JSON.parse(fs.readFileSync(file, 'utf8'));
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** `n8n import:workflow` (one workflow or an array). Returns the workflow id(s) (16 chars, generated if absent). */
	async importWorkflow(wf: WorkflowInput): Promise<string>;
	async importWorkflow(wf: WorkflowInput[]): Promise<string[]>;
	async importWorkflow(wf: WorkflowInput | WorkflowInput[]): Promise<string | string[]> {
		const list = (Array.isArray(wf) ? wf : [wf]).map((w) => ({
			active: false,
			settings: { executionOrder: 'v1' },
			...w,
			id: w.id ?? newId(),
		}));
		await this.cliOk(['import:workflow', `--input=${this.writeTemp('workflows', list)}`], 'import:workflow');
		const ids = list.map((w) => w.id);
		return Array.isArray(wf) ? ids : ids[0];
	}

	/** `n8n publish:workflow --id` (activation without a server; takes effect at the next `n8n start`). */
	async publishWorkflow(id: string): Promise<void> {
		await this.cliOk(['publish:workflow', `--id=${id}`], 'publish:workflow');
	}

	/** `n8n execute --id=<id> --rawOutput`, judged by the printed IRun JSON (P9), not by the exit code. */
	async execute(id: string, opts: { timeoutMs?: number } = {}): Promise<ExecuteResult> {
		const before = await this.db.maxExecutionId();
		const r = await this.cli(['execute', `--id=${id}`, '--rawOutput'], opts);
		let run = parseRunOutput(r.stdout);
		let runSource: ExecuteResult['runSource'] = run ? 'stdout' : undefined;
		let executionId: string | undefined;
		const stored = await this.db.latestExecution(id, before);
		if (stored) {
			executionId = stored.id;
			if (!run) {
				run = stored.run;
				runSource = 'db';
			}
		}
		const runError = run?.data?.resultData?.error;
		const ok = !!run && run.status === 'success' && !runError;
		let errorMessage: string | undefined;
		if (!ok) {
			const out = r.stdout + '\n' + r.stderr;
			errorMessage =
				runError?.message ??
				firstMatch(out, /(Unrecognized node type[^\n]*)/) ??
				// `n8n execute` prints "Execution error:\n=====\n<message>\n<stack>" when the run could not start
				firstMatch(out, /Execution error:\s*\n=+\s*\n([^\n]+)/) ??
				firstMatch(out, /(Execution was NOT successful[^\n]*|Error[^\n]*)/) ??
				`exit ${r.code ?? r.signal}`;
		}
		return { ...r, run, runSource, executionId, ok, errorMessage };
	}

	/**
	 * Start `n8n start` on a free port, wait for readiness, set up the owner and an API key. With `command`, another
	 * long-running n8n process of this installation: `webhook` (a queue-mode webhook processor) or `worker` (its
	 * readiness is asked on `readinessUrl`, the worker's health-check port); those get no owner set-up.
	 */
	async startServer(opts: ServerOptions = {}): Promise<N8nServer> {
		const srv = new N8nServer(this, opts.port ?? (await freePort()), await freePort(), opts.env ?? {}, opts);
		this.servers.add(srv);
		try {
			await srv.start(opts.readyTimeoutMs ?? 120_000);
			if (opts.setupOwner ?? (opts.command ?? 'start') === 'start') await srv.setupOwnerAndApiKey();
		} catch (e) {
			await srv.stop();
			throw e;
		}
		return srv;
	}

	/** true once dispose() was called: no server starts any more. */
	disposed = false;

	/** Servers started (or starting) and not stopped yet. */
	liveServers(): N8nServer[] {
		return [...this.servers];
	}

	/** Stop any servers still running and delete the user folder (unless E2E_KEEP=1 or it was not ours). */
	async dispose(): Promise<void> {
		this.disposed = true;
		for (const s of this.servers) await s.stop();
		if (this.owned && process.env.E2E_KEEP !== '1') fs.rmSync(this.userFolder, { recursive: true, force: true });
	}

	/** @internal */
	forget(srv: N8nServer): void {
		this.servers.delete(srv);
	}
}

/**
 * Minimal read-only view of n8n's SQLite DB, using the sqlite3 and flatted modules of the n8n install itself
 * (so nothing is added to the package's dependencies). Only for reading executions back.
 */
export class N8nDb {
	private mods?: { sqlite3: Sqlite3Module; flatted: { parse(text: string): unknown } };

	constructor(
		readonly file: string,
		private readonly n8nBin: string,
	) {}

	private load() {
		if (!this.mods) {
			// N8N_BIN = <prefix>/node_modules/.bin/n8n -> resolve from <prefix>/node_modules/n8n
			const req = createRequire(path.join(path.dirname(path.dirname(this.n8nBin)), 'n8n', 'package.json'));
			this.mods = { sqlite3: req('sqlite3') as Sqlite3Module, flatted: req('flatted') as { parse(text: string): unknown } };
		}
		return this.mods;
	}

	async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
		if (!fs.existsSync(this.file)) return [];
		const { sqlite3 } = this.load();
		return new Promise((resolve, reject) => {
			const db = new sqlite3.Database(this.file, sqlite3.OPEN_READONLY, (err) => {
				if (err) return reject(err);
				db.all(sql, params, (e, rows) => {
					db.close();
					if (e) reject(e);
					else resolve(rows as T[]);
				});
			});
		});
	}

	async maxExecutionId(): Promise<number> {
		try {
			const rows = await this.query<{ m: number | null }>('SELECT MAX(CAST(id AS INTEGER)) AS m FROM execution_entity');
			return rows[0]?.m ?? 0;
		} catch {
			return 0; // no DB / tables yet
		}
	}

	/** Newest execution of `workflowId` with id > afterId, as an IRun-like object. */
	async latestExecution(workflowId: string, afterId = 0): Promise<{ id: string; run: IRunJson } | undefined> {
		const rows = await this.query<{ id: string; status: string; finished: number; mode: string; startedAt: string; stoppedAt: string; data: string }>(
			`SELECT e.id, e.status, e.finished, e.mode, e.startedAt, e.stoppedAt, d.data FROM execution_entity e
			 JOIN execution_data d ON d.executionId = e.id
			 WHERE e.workflowId = ? AND CAST(e.id AS INTEGER) > ? ORDER BY CAST(e.id AS INTEGER) DESC LIMIT 1`,
			[workflowId, afterId],
		);
		const row = rows[0];
		if (!row) return undefined;
		const data = this.load().flatted.parse(row.data) as IRunJson['data'];
		return {
			id: String(row.id),
			run: { status: row.status, finished: !!row.finished, mode: row.mode, startedAt: row.startedAt, stoppedAt: row.stoppedAt, data },
		};
	}
}

interface Sqlite3Db {
	all(sql: string, params: unknown[], cb: (err: Error | null, rows: unknown[]) => void): void;
	close(): void;
}
interface Sqlite3Module {
	OPEN_READONLY: number;
	Database: new (file: string, mode: number, cb: (err: Error | null) => void) => Sqlite3Db;
}

/** Body of n8n 2.x's `GET /rest/workflows/{id}/publication-status`. */
export interface PublicationStatus {
	status: 'in_progress' | 'published' | 'partial' | 'failed' | 'not_published' | string;
	liveVersionId?: string | null;
	pendingVersionId?: string | null;
	triggers?: Array<{ nodeId: string; status: string; errorMessage?: string | null }>;
}

/** What activate() / deactivate() saw. */
export interface Publication {
	/** 'outbox': n8n 2.x published asynchronously and we waited for it; 'sync': the API call did it all (n8n 1.x). */
	mode: 'outbox' | 'sync';
	/** Final publication status ('published', 'not_published', ...; 'sync' without a publication service). */
	status: string;
	liveVersionId?: string | null;
	/** How long the public API call took. */
	apiMs: number;
	/** From the API's answer until the publication was done. */
	waitedMs: number;
	/** Statuses seen while waiting, in order (e.g. ['in_progress', 'published']). */
	seen: string[];
	triggers: NonNullable<PublicationStatus['triggers']>;
}

export interface ExecutionSummary {
	id: string | number;
	status?: string;
	finished?: boolean;
	mode?: string;
	workflowId?: string;
	data?: IRunJson['data'];
	[key: string]: unknown;
}

/** What `N8n.startServer()` takes. */
export interface ServerOptions {
	/** The port it listens on (`N8N_PORT`; for a worker the port `readinessUrl` is on). Default: a free one. */
	port?: number;
	/** Extra env for this process (undefined unsets a variable). */
	env?: Record<string, string | undefined>;
	readyTimeoutMs?: number;
	/** `n8n <command>`: `start` (default), `webhook` (queue-mode webhook processor) or `worker`. */
	command?: 'start' | 'webhook' | 'worker';
	/** Arguments after the command (e.g. `--concurrency=10`). */
	args?: string[];
	/** Owner set-up + API key once ready (default: only for `start`). */
	setupOwner?: boolean;
	/** A name for messages and the log file (`<name>.log` in the user folder; default `server-<port>`). */
	name?: string;
	/** Polled until 200 (default `<baseUrl>/healthz/readiness`). */
	readinessUrl?: string;
	/** Where callers reach production webhooks (default `baseUrl`; a load balancer in queue mode). */
	webhookBaseUrl?: string;
}

/** A running `n8n start` (logged in as owner, with a public-API key), or another long-running n8n process. */
export class N8nServer {
	readonly baseUrl: string;
	readonly logFile: string;
	/** `n8n start`, `n8n webhook` or `n8n worker`. */
	readonly command: 'start' | 'webhook' | 'worker';
	readonly name: string;
	/** Base of the production webhook URLs as callers reach them (`webhook()` posts there). */
	readonly webhookBaseUrl: string;
	private readonly readinessUrl: string;
	private readonly args: string[];
	apiKey = '';
	private cookie = '';
	private child?: ChildProcess;
	private exited?: Promise<void>;
	private exitInfo?: string;

	/** The pid of `n8n start` (the leader of its process group), for benchmarks that watch its memory. */
	get pid(): number | undefined {
		return this.child?.pid;
	}

	constructor(
		private readonly n8n: N8n,
		readonly port: number,
		readonly brokerPort: number,
		private readonly extraEnv: Record<string, string | undefined>,
		opts: Pick<ServerOptions, 'command' | 'args' | 'name' | 'readinessUrl' | 'webhookBaseUrl'> = {},
	) {
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.command = opts.command ?? 'start';
		this.args = opts.args ?? [];
		this.name = opts.name ?? `server-${port}`;
		this.logFile = path.join(n8n.userFolder, `${this.name}.log`);
		this.readinessUrl = opts.readinessUrl ?? `${this.baseUrl}/healthz/readiness`;
		this.webhookBaseUrl = (opts.webhookBaseUrl ?? this.baseUrl).replace(/\/$/, '');
	}

	/** true from spawn until the process has exited. */
	get running(): boolean {
		return !!this.child && !this.exitInfo;
	}

	/** @internal */
	async start(readyTimeoutMs: number): Promise<void> {
		if (this.n8n.disposed) throw new Error(`n8n ${this.command} (${this.name}) not started: the installation was disposed (stopping)`);
		const log = fs.openSync(this.logFile, 'a');
		const t0 = Date.now();
		this.child = spawn(this.n8n.bin, [this.command, ...this.args], {
			env: {
				...this.n8n.env,
				N8N_PORT: String(this.port),
				N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
				WEBHOOK_URL: `${this.baseUrl}/`,
				N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
				...this.extraEnv,
			},
			cwd: this.n8n.userFolder,
			stdio: ['ignore', log, log],
			detached: true, // own process group (n8n + its JS task runner) so stop() can end both
		});
		fs.closeSync(log);
		const child = this.child;
		this.exited = new Promise((resolve) =>
			child.on('exit', (code, signal) => {
				this.exitInfo = `exit ${code ?? signal}`;
				resolve();
			}),
		);
		while (Date.now() - t0 < readyTimeoutMs) {
			if (this.exitInfo) throw new Error(`n8n ${this.command} (${this.name}) died (${this.exitInfo}) before ready; last lines of ${this.logFile}:\n${this.logTail()}`);
			try {
				const res = await fetch(this.readinessUrl, { signal: AbortSignal.timeout(2000) });
				if (res.ok) {
					this.readyMs = Date.now() - t0;
					return;
				}
			} catch {
				/* not listening yet */
			}
			await sleep(250);
		}
		throw new Error(`n8n ${this.command} (${this.name}) not ready at ${this.readinessUrl} after ${readyTimeoutMs} ms; last lines of ${this.logFile}:\n${this.logTail()}`);
	}

	/** Time from spawn to /healthz/readiness 200. */
	readyMs = 0;

	logTail(lines = 40): string {
		try {
			return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return '';
		}
	}

	/** @internal Owner setup on the fresh DB (returns the auth cookie), then an API key with all scopes. */
	async setupOwnerAndApiKey(): Promise<void> {
		// n8n 1.x answers /healthz/readiness before the REST routes are mounted: 404 for a few seconds
		const t0 = Date.now();
		let setup: Response;
		for (;;) {
			setup = await fetch(`${this.baseUrl}/rest/owner/setup`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(OWNER),
			});
			if (setup.status !== 404 || Date.now() - t0 > 60_000) break;
			await setup.arrayBuffer();
			await sleep(250);
		}
		if (!setup.ok) {
			// not a fresh DB (owner exists already): log in instead
			const login = await fetch(`${this.baseUrl}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
			if (!login.ok) throw new Error(`owner setup ${setup.status} and login ${login.status} failed: ${await login.text()}`);
			this.cookie = cookieFrom(login);
		} else {
			this.cookie = cookieFrom(setup);
		}
		const scopes = (await this.rest<{ data: string[] }>('GET', '/rest/api-keys/scopes')).data;
		const key = await this.rest<{ data: { rawApiKey: string } }>('POST', '/rest/api-keys', {
			label: `e2e-${newId()}`,
			scopes,
			expiresAt: null,
		});
		this.apiKey = key.data.rawApiKey;
		if (!this.apiKey) throw new Error('API key creation returned no rawApiKey');
	}

	/** Internal REST API (what the editor uses), authenticated with the owner cookie. */
	async rest<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const res = await fetch(this.baseUrl + urlPath, {
			method,
			headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} ${urlPath} -> ${res.status}: ${text.slice(0, 500)}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** Public API (/api/v1), authenticated with the API key. */
	async api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const res = await fetch(`${this.baseUrl}/api/v1${urlPath}`, {
			method,
			headers: { 'X-N8N-API-KEY': this.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /api/v1${urlPath} -> ${res.status}: ${text.slice(0, 500)}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** Node types the editor sees (P11: needs login). Names are `<package>.<node>`. */
	async nodeTypeNames(): Promise<string[]> {
		const types = await this.rest<Array<{ name: string }>>('GET', '/types/nodes.json');
		return types.map((t) => t.name);
	}

	/** Credential types the editor sees. */
	async credentialTypeNames(): Promise<string[]> {
		const types = await this.rest<Array<{ name: string }>>('GET', '/types/credentials.json');
		return types.map((t) => t.name);
	}

	/**
	 * Create a credential as the editor does (`POST /rest/credentials`, owner cookie); returns its id and name.
	 * Not the public API: n8n 1.x's public-API schema wants extra fields for generic-auth credentials
	 * ("requires property allowedDomains").
	 */
	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<{ id: string; name: string }> {
		const created = await this.rest<{ data: { id: string; name: string } }>('POST', '/rest/credentials', { name, type, data });
		return { id: created.data.id, name: created.data.name };
	}

	/** Create a workflow through the public API; returns its id. */
	async createWorkflow(wf: WorkflowInput): Promise<string> {
		const { name, nodes, connections } = wf;
		const created = await this.api<{ id: string }>('POST', '/workflows', {
			name,
			nodes,
			connections,
			settings: wf.settings ?? { executionOrder: 'v1' },
		});
		return created.id;
	}

	/**
	 * Activates (publishes) a workflow through the public API and resolves once n8n has put it live: its webhooks
	 * answer and its triggers' webhookMethods (e.g. the 360dialog Trigger's registration) have run.
	 *
	 * Why the wait (P6): in n8n 2.x `POST /api/v1/workflows/{id}/activate` only records the publication. The
	 * public controller (n8n/dist/public-api/v1/controllers/workflows.public.controller.js, activateWorkflow →
	 * publishWorkflow) calls WorkflowService.activateWorkflow (n8n/dist/workflows/workflow.service.js), which with
	 * `N8N_USE_WORKFLOW_PUBLICATION_SERVICE` (default true in 2.41) goes through `_publishViaOutbox`: one DB
	 * transaction sets `active`/`activeVersionId` and enqueues a `workflow_publication_outbox` record, then
	 * `WorkflowPublicationNotifier.requestDrain()` wakes the consumer WITHOUT awaiting it and the API answers. The
	 * webhook rows are written later by WorkflowPublicationOutboxConsumer → WorkflowPublicationApplier.publish →
	 * WorkflowTriggerActivator.activate → ActiveWorkflowManager.addWebhooks (storeWebhook, then the node's
	 * webhookMethods), and PublicationStatusReporter marks the record completed afterwards. Until then the
	 * production webhook answers 404 "not registered", and `active` is already true, so polling it proves nothing.
	 * What does: `GET /rest/workflows/{id}/publication-status` (the editor's, WorkflowPublicationStatusService),
	 * "in_progress" while the outbox record is pending or running, then "published" / "partial" / "failed".
	 * n8n 1.x (and 2.x with the publication service off) activates inside the API call and has no such route:
	 * then there is nothing to wait for.
	 */
	async activate(workflowId: string, opts: { timeoutMs?: number } = {}): Promise<Publication> {
		const t0 = Date.now();
		await this.api('POST', `/workflows/${workflowId}/activate`);
		const apiMs = Date.now() - t0;
		const publication = await this.waitForPublication(workflowId, opts.timeoutMs);
		if (publication.status === 'failed' || publication.status === 'partial') {
			const errors = publication.triggers.filter((t) => t.status === 'failed').map((t) => `${t.nodeId}: ${t.errorMessage ?? '?'}`);
			throw new Error(`activating ${workflowId}: n8n reports the publication ${publication.status} (${errors.join('; ')})\n${this.logTail()}`);
		}
		return { ...publication, apiMs };
	}

	/** Deactivates (unpublishes) through the public API; resolves once n8n has taken it down (triggers' delete() ran). */
	async deactivate(workflowId: string, opts: { timeoutMs?: number } = {}): Promise<Publication> {
		const t0 = Date.now();
		await this.api('POST', `/workflows/${workflowId}/deactivate`);
		const apiMs = Date.now() - t0;
		return { ...(await this.waitForPublication(workflowId, opts.timeoutMs)), apiMs };
	}

	/**
	 * n8n 2.x's publication status of a workflow (`GET /rest/workflows/{id}/publication-status`), or undefined where
	 * n8n has none (1.x, or the publication service turned off): there activation happens inside the API call.
	 */
	async publicationStatus(workflowId: string): Promise<PublicationStatus | undefined> {
		const res = await fetch(`${this.baseUrl}/rest/workflows/${workflowId}/publication-status`, { headers: { cookie: this.cookie } });
		const text = await res.text();
		if (!res.ok) return undefined;
		try {
			const body = JSON.parse(text) as { data?: PublicationStatus };
			return typeof body.data?.status === 'string' ? body.data : undefined;
		} catch {
			return undefined; // an HTML page: no such route
		}
	}

	/** Polls the publication status until it is no longer "in_progress" (see activate()). */
	async waitForPublication(workflowId: string, timeoutMs = 60_000): Promise<Omit<Publication, 'apiMs'>> {
		const t0 = Date.now();
		const seen: string[] = [];
		for (;;) {
			const status = await this.publicationStatus(workflowId);
			if (status === undefined) return { mode: 'sync', status: 'sync', waitedMs: Date.now() - t0, seen, triggers: [] };
			if (seen.at(-1) !== status.status) seen.push(status.status);
			if (status.status !== 'in_progress') {
				return { mode: 'outbox', status: status.status, liveVersionId: status.liveVersionId, waitedMs: Date.now() - t0, seen, triggers: status.triggers ?? [] };
			}
			if (Date.now() - t0 > timeoutMs) {
				throw new Error(`the publication of ${workflowId} is still in progress after ${timeoutMs} ms\n${this.logTail()}`);
			}
			await sleep(25);
		}
	}

	async listExecutions(workflowId?: string, opts: { includeData?: boolean; limit?: number } = {}): Promise<ExecutionSummary[]> {
		const q = new URLSearchParams();
		if (workflowId) q.set('workflowId', workflowId);
		if (opts.includeData ?? true) q.set('includeData', 'true');
		q.set('limit', String(opts.limit ?? 100));
		const res = await this.api<{ data: ExecutionSummary[] }>('GET', `/executions?${q}`);
		return res.data;
	}

	/** Poll until at least `count` finished executions (any status but running/new/waiting) exist. */
	async waitForExecutions(workflowId: string, count = 1, timeoutMs = 30_000): Promise<ExecutionSummary[]> {
		const t0 = Date.now();
		let last: ExecutionSummary[] = [];
		while (Date.now() - t0 < timeoutMs) {
			last = (await this.listExecutions(workflowId)).filter((e) => !['running', 'new', 'waiting'].includes(String(e.status)));
			if (last.length >= count) return last;
			await sleep(250);
		}
		throw new Error(`only ${last.length}/${count} executions of ${workflowId} after ${timeoutMs} ms`);
	}

	/** POST (or other method) to a production webhook, retrying 404 briefly right after activation (P6). */
	async webhook(
		webhookPath: string,
		body?: unknown,
		opts: { method?: string; headers?: Record<string, string>; retryMs?: number; rawBody?: string } = {},
	): Promise<Response> {
		const url = `${this.webhookBaseUrl}/webhook/${webhookPath.replace(/^\//, '')}`;
		const t0 = Date.now();
		for (;;) {
			const res = await fetch(url, {
				method: opts.method ?? 'POST',
				headers: { ...(body !== undefined || opts.rawBody ? { 'content-type': 'application/json' } : {}), ...opts.headers },
				body: opts.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
			});
			if (res.status !== 404 || Date.now() - t0 > (opts.retryMs ?? 10_000)) return res;
			await res.arrayBuffer();
			await sleep(200);
		}
	}

	/** Sends `signal` to the process group (n8n + task runner) and resolves once n8n has exited (e.g. SIGKILL: a crash). */
	async kill(signal: NodeJS.Signals): Promise<void> {
		const child = this.child;
		if (!child || this.exitInfo) return;
		killGroup(child, signal);
		await this.exited;
		killGroup(child, 'SIGKILL'); // a task runner that outlived its parent
		this.n8n.forget(this);
	}

	/**
	 * SIGTERM the process group (n8n + task runner), SIGKILL after 10 s. It stays in `N8n.liveServers()` until it has
	 * exited, so a last-resort kill at process exit still finds one that is stopping.
	 */
	async stop(): Promise<void> {
		const child = this.child;
		try {
			if (!child || this.exitInfo) return;
			killGroup(child, 'SIGTERM');
			const timedOut = await Promise.race([this.exited!.then(() => false), sleep(10_000, { unref: true }).then(() => true)]);
			if (timedOut) {
				killGroup(child, 'SIGKILL');
				await this.exited;
			}
			// the task runner may outlive its parent for a moment: make sure the whole group is gone
			killGroup(child, 'SIGKILL');
		} finally {
			this.n8n.forget(this);
		}
	}
}

/**
 * Package-load problems n8n reports on stdout/stderr/server log (n8n loads a package all-or-nothing: one declared
 * file that is missing or throws on require makes every node of the package "Unrecognized").
 */
export function packageLoadErrors(output: string): string[] {
	const lines = output.split('\n');
	const found: string[] = [];
	lines.forEach((l, i) => {
		if (/Failed to load package|Error loading package|Cannot find module .*\.n8n\/nodes/.test(l)) {
			found.push(i + 1 < lines.length && /Failed to load package/.test(l) ? `${l.trim()}: ${lines[i + 1].trim()}` : l.trim());
		}
	});
	return [...new Set(found)].slice(0, 5);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (!child.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		/* group already gone */
	}
}

function cookieFrom(res: Response): string {
	const raw = res.headers.get('set-cookie') ?? '';
	const m = /n8n-auth=[^;]+/.exec(raw);
	if (!m) throw new Error('no n8n-auth cookie in response');
	return m[0];
}

function firstMatch(text: string, re: RegExp): string | undefined {
	const m = re.exec(text);
	return m ? m[1] : undefined;
}

function tail(text: string, lines = 40): string {
	return text.trim().split('\n').slice(-lines).join('\n');
}
