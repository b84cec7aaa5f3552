/** Shared by the benchmarks: CLI flags, BENCH_* numbers and the emulator as a child process (so RSS figures measure n8n's side only). */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const args = process.argv.slice(2);

/** `--name N` as a number, or the fallback. */
/** A non-negative number from the environment (BENCH_*), or `fallback` when unset or empty. */
export function envNumber(name: string, fallback: number): number {
	const raw = process.env[name];
	const value = raw === undefined || raw === '' ? fallback : Number(raw);
	if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
	return value;
}

export function numberFlag(name: string, fallback: number): number {
	const index = args.indexOf(`--${name}`);
	return index >= 0 ? Number(args[index + 1]) : fallback;
}

/** Starts `test/emulator/cli.ts` on a free port and resolves with its URL once it listens. */
export async function startEmulatorProcess(): Promise<{ url: string; child: ChildProcess }> {
	const root = resolve(__dirname, '..', '..');
	const child = spawn(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'test/emulator/cli.ts', '--port', '0'], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise<string>((done, fail) => {
		let output = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
			if (match) done(match[1]);
		});
		child.once('exit', (code) => fail(new Error(`emulator exited with ${code}`)));
	});
	return { url, child };
}
