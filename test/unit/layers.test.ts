/**
 * Keeps test/unit honest: nothing it loads, directly or through other local modules, starts the
 * emulator's server or runs n8n-core's engine. Those tests belong in test/integration.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const UNIT_DIR = path.join(ROOT, 'test', 'unit');

/** Packages a unit test must not load: n8n's engine and the emulator's HTTP server. */
const FORBIDDEN_PACKAGES = ['n8n-core', '@n8n/di', 'fastify', '@fastify/multipart'];

/** Local modules a unit test must not load (repository-relative, without extension). */
const FORBIDDEN_MODULES = [
	'test/emulator/index',
	'test/support/n8nHarness',
	'test/support/webhookHarness',
	'test/support/sendNode',
	'test/support/useEmulator',
	'test/support/transportProbeNode',
];

function filesUnder(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return filesUnder(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

function specifiers(file: string): string[] {
	const source = fs.readFileSync(file, 'utf8');
	const found: string[] = [];
	for (const match of source.matchAll(/^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]/gm)) found.push(match[1]);
	for (const match of source.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1]);
	return found;
}

/** `from` → the local .ts file it names, or undefined for a package. */
function resolveLocal(from: string, specifier: string): string | undefined {
	if (!specifier.startsWith('.')) return undefined;
	const base = path.resolve(path.dirname(from), specifier);
	for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
		if (candidate.endsWith('.ts') && fs.existsSync(candidate)) return candidate;
	}
	return undefined;
}

/** Every forbidden package or module `file` loads, with the chain of imports that leads there. */
function violations(file: string): string[] {
	const found: string[] = [];
	const seen = new Set<string>();
	const visit = (current: string, chain: string[]) => {
		if (seen.has(current)) return;
		seen.add(current);
		for (const specifier of specifiers(current)) {
			const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
			if (FORBIDDEN_PACKAGES.includes(packageName)) {
				found.push([...chain, specifier].join(' → '));
				continue;
			}
			const local = resolveLocal(current, specifier);
			if (!local) continue;
			const relative = path.relative(ROOT, local).split(path.sep).join('/').replace(/\.ts$/, '');
			if (FORBIDDEN_MODULES.includes(relative)) {
				found.push([...chain, relative].join(' → '));
				continue;
			}
			visit(local, [...chain, relative]);
		}
	};
	visit(file, [path.relative(ROOT, file).split(path.sep).join('/')]);
	return found;
}

describe('test layers', () => {
	const files = filesUnder(UNIT_DIR);

	it('finds the unit tests', () => {
		expect(files.length).toBeGreaterThan(10);
	});

	it.each(files.map((file) => [path.relative(UNIT_DIR, file)]))('test/unit/%s needs neither the emulator nor n8n-core', (relative) => {
		expect(violations(path.join(UNIT_DIR, relative))).toEqual([]);
	});

	it('catches a unit test that would start the emulator (self-check)', () => {
		const probe = path.join(ROOT, 'test', 'integration', 'send-location.test.ts');
		expect(violations(probe)).toEqual(expect.arrayContaining([expect.stringContaining('test/support/useEmulator')]));
	});
});
