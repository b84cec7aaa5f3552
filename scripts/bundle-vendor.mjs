// n8n community packages may have no runtime dependencies, so the one library the nodes use at
// run time (libphonenumber-js, in nodes/shared/phone.ts) is inlined into the compiled module.
// Everything else in dist/ stays plain tsc output.
import { build } from 'esbuild';

const target = 'dist/nodes/shared/phone.js';
await build({
	entryPoints: [target],
	outfile: target,
	allowOverwrite: true,
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node18',
	external: ['n8n-workflow'],
	sourcemap: false,
	minify: true,
	logLevel: 'warning',
});
