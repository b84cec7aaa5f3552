// n8n community packages may have no runtime dependencies, so the one library the nodes use at
// run time (libphonenumber-js, in nodes/common/phone.ts) is inlined into the compiled module.
// Everything else in dist/ stays plain tsc output.
// The library's own console.log/console.error diagnostics (cache misses, metadata warnings) are dropped:
// n8n's community-package scanner lints the shipped JavaScript with `no-console`, bundled code included.
import { build } from 'esbuild';

const target = 'dist/nodes/common/phone.js';
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
	drop: ['console'],
	logLevel: 'warning',
});
