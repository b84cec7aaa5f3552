/**
 * The credential's own test request (as n8n's credential tester runs it): base URL expression per
 * environment, D360-API-KEY header, and the 401 rule's message, against the local emulator.
 */
import axios from 'axios';
import { Workflow, type ICredentialDataDecryptedObject, type INode } from 'n8n-workflow';

import { Dialog360Api } from '../../credentials/Dialog360Api.credentials';
import { emulatorCredential, useEmulator } from '../support/useEmulator';

const credentialType = new Dialog360Api();
// No reset between tests: the last one reads the requests of the others.
const emulator = useEmulator({ resetBeforeEach: false });

const noOpType = { description: { properties: [] } } as never;
const node: INode = { id: '1', name: 'Credential Test', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };
const workflow = new Workflow({
	nodes: [node],
	connections: {},
	active: false,
	nodeTypes: {
		getByName: () => noOpType,
		getByNameAndVersion: () => noOpType,
		getKnownTypes: () => ({}),
	},
});

/** Evaluates an expression of the credential's test request with `$credentials`, as n8n does. */
function evaluate(value: string, credentials: ICredentialDataDecryptedObject): string {
	return String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials } as never));
}

/** Runs the declarative test: request + rules. Returns n8n's verdict. */
async function testCredential(credentials: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const { request, rules = [] } = credentialType.test;
	const baseURL = evaluate(String(request.baseURL), credentials);
	const headers = { 'D360-API-KEY': evaluate(String(credentialType.authenticate.properties.headers?.['D360-API-KEY']), credentials) };
	const response = await axios.request({ baseURL, url: request.url, method: request.method, headers, validateStatus: () => true });
	if (response.status < 400) return { status: 'OK', message: 'Connection successful!' };
	for (const rule of rules) {
		if (rule.type === 'responseCode' && rule.properties.value === response.status) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'Error', message: `HTTP ${response.status}` };
}

describe('360dialog API credential', () => {
	it('resolves the base URL of each environment', () => {
		const baseURL = String(credentialType.test.request.baseURL);
		expect(evaluate(baseURL, { environment: 'production' })).toBe('https://waba-v2.360dialog.io');
		expect(evaluate(baseURL, { environment: 'sandbox' })).toBe('https://waba-sandbox.360dialog.io');
		expect(evaluate(baseURL, { environment: 'custom', baseUrl: 'http://127.0.0.1:4360/' })).toBe('http://127.0.0.1:4360');
	});

	it('passes with a good key', async () => {
		const result = await testCredential(emulatorCredential(emulator));
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const seen = emulator.requests().filter((request) => request.url === '/v1/configs/webhook');
		expect(seen.at(-1)).toMatchObject({ method: 'GET', statusCode: 200, headers: expect.objectContaining({ 'd360-api-key': 'REDACTED' }) });
	});

	it('fails with a bad key and says the key was rejected', async () => {
		const result = await testCredential(emulatorCredential(emulator, 'wrong-key'));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^The API key was rejected by 360dialog\./);
	});

	it('never records the key in the emulator log', () => {
		expect(JSON.stringify(emulator.requests())).not.toContain('wrong-key');
		expect(JSON.stringify(emulator.requests())).not.toContain(emulator.apiKey + '"');
	});
});
