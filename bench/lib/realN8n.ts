/**
 * The real n8n a benchmark runs against: the pinned n8n (scripts/n8n-env.sh) with this package installed from
 * its `npm pack` tarball, as scripts/e2e.sh prepares it for the e2e tests.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');

/**
 * Sets up n8n + the packed package unless scripts/e2e.sh already did (N8N_BIN and E2E_NODES_DIR set). Returns the
 * scratch folder it made (remove it when done), or undefined when it used the prepared environment.
 */
export function prepareRealN8n(pkgDir: string = REPO): string | undefined {
	if (process.env.N8N_BIN && process.env.E2E_NODES_DIR) return undefined;
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-360dialog-bench-'));
	// The queue-mode stack runs PostgreSQL as the postgres user inside it: traversable, nothing secret in it.
	fs.chmodSync(work, 0o711);
	const build = process.env.BENCH_BUILD !== '0' && pkgDir === REPO;
	const script = [
		'set -euo pipefail',
		`source ${JSON.stringify(path.join(REPO, 'scripts', 'n8n-env.sh'))}`,
		build ? '(cd "$PKG_DIR" && npm run build --silent) >&2' : 'true',
		`N8N_USER_FOLDER=${JSON.stringify(path.join(work, 'template'))} n8n_install_package pack ${JSON.stringify(pkgDir)} >&2`,
		'env -0',
	].join('\n');
	console.error(`>> preparing n8n + package in ${work}${build ? ' (npm run build first)' : ''}`);
	const out = execFileSync('bash', ['-c', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
	for (const entry of out.toString('utf8').split('\0')) {
		const eq = entry.indexOf('=');
		if (eq > 0) process.env[entry.slice(0, eq)] = entry.slice(eq + 1);
	}
	// chosen per server by test/e2e/lib/n8n.ts
	for (const name of ['N8N_USER_FOLDER', 'N8N_PORT', 'N8N_RUNNERS_BROKER_PORT', 'WEBHOOK_URL', 'N8N_EDITOR_BASE_URL']) delete process.env[name];
	process.env.E2E_NODES_DIR = path.join(work, 'template', '.n8n', 'nodes');
	process.env.E2E_WORK_DIR = work;
	return work;
}

/**
 * n8n's sqlite3 (read by the benchmarks for cross-checks) is built for the Node that runs n8n (>= 24) and crashes
 * an older one, so under an older Node (npm run on the system Node 20) `scriptFile` runs again with n8n-env.sh's
 * Node. Returns true when it did (the caller then stops).
 */
export function reexecUnderNode24(scriptFile: string, prepared: string | undefined): boolean {
	if (Number(process.versions.node.split('.')[0]) >= 24) return false;
	const tsx = path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs');
	const node = process.env.NODE_BIN || 'node';
	console.error(`>> node ${process.version} < 24: running again under ${node} (from scripts/n8n-env.sh)`);
	try {
		execFileSync(node, [tsx, scriptFile, ...process.argv.slice(2)], { stdio: 'inherit', env: process.env });
	} catch (error) {
		process.exitCode = (error as { status?: number }).status ?? 1;
	} finally {
		if (prepared && process.env.BENCH_KEEP !== '1') fs.rmSync(prepared, { recursive: true, force: true });
	}
	return true;
}
