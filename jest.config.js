/** Unit and integration tests (jest + ts-jest). End-to-end tests against real n8n live in test/e2e and run separately. */
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
