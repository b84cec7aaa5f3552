/**
 * Every jest suite (ts-jest), by layer (details: docs/DEVELOPMENT.md, "Tests"):
 * - test/unit: pure, neither the emulator nor n8n-core's engine (test/unit/layers.test.ts checks it); npm run test:unit
 * - test/integration: the nodes inside n8n-core's engine or webhook context, against the in-process emulator
 *   (or a scripted HTTP server); npm run test:integration
 * - test/emulator, test/support: the emulator's own tests and the Meta spec validator's; npm run test:emulator
 * `npm run test:jest` (part of `npm test`) runs them all. End-to-end tests against real n8n live in test/e2e and run separately.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 30000,
	// Several suites start their own emulator on an ephemeral port; two workers fit a 2-core machine.
	maxWorkers: 2,
};
