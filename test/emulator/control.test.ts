/**
 * The control API and the programmatic handle: request log (key redacted, bounded), message log,
 * settings, reset, start options, and the CLI.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

import axios, { type AxiosInstance } from 'axios';

import { parseArgs } from './cli';
import { DEFAULT_API_KEY, startEmulator, type Emulator, type RecordedRequest } from './index';
import { apiClient, controlClient, envelope } from './testUtils';

let emulator: Emulator;
let api: AxiosInstance;
let control: AxiosInstance;

beforeAll(async () => {
	emulator = await startEmulator();
	api = apiClient(emulator);
	control = controlClient(emulator);
});

afterAll(() => emulator.close());

beforeEach(() => emulator.reset());

const text = envelope('text', { text: { body: 'hello' } });

describe('request log', () => {
	it('records every API request with method, url, redacted key, JSON body and status', async () => {
		await api.post('/messages', text);
		await api.get('/message_templates?limit=2');
		await apiClient(emulator, 'wrong-key').get('/health_status');

		const requests = (await control.get('/requests')).data as RecordedRequest[];
		expect(requests.map((r) => [r.method, r.url, r.statusCode])).toEqual([
			['POST', '/messages', 200],
			['GET', '/message_templates?limit=2', 200],
			['GET', '/health_status', 401],
		]);
		expect(requests[0].body).toEqual(text);
		expect(requests[1]).not.toHaveProperty('body');
		expect(requests.every((r) => r.headers['d360-api-key'] === 'REDACTED')).toBe(true);
		expect(JSON.stringify(requests)).not.toContain(emulator.apiKey);
		expect(JSON.stringify(requests)).not.toContain('wrong-key');
	});

	it('does not log control requests', async () => {
		await control.get('/messages');
		expect(emulator.requests()).toHaveLength(0);
	});

	it('keeps only the newest maxRecordedRequests, and ?limit gives the last N', async () => {
		emulator.configure({ maxRecordedRequests: 3 });
		for (let i = 0; i < 5; i++) await api.get(`/health_status?i=${i}`);

		expect(emulator.requests().map((r) => r.url)).toEqual(['/health_status?i=2', '/health_status?i=3', '/health_status?i=4']);
		expect((await control.get('/requests', { params: { limit: 1 } })).data.map((r: RecordedRequest) => r.url)).toEqual(['/health_status?i=4']);
	});
});

describe('message log', () => {
	it('lists accepted messages with their wamid, bodies exactly as received', async () => {
		const wamid = (await api.post('/messages', text)).data.messages[0].id;
		await api.post('/messages', { ...text, type: 'nonsense' });

		const messages = (await control.get('/messages')).data;
		expect(messages).toEqual([expect.objectContaining({ wamid, kind: 'message', body: text, waId: '4915112345678', statuses: [] })]);
	});
});

describe('settings', () => {
	it('reads and changes settings, rejecting unknown keys and wrong types', async () => {
		expect((await control.get('/settings')).data).toMatchObject({ autoStatuses: false, mediaUrlTtlMs: 300000, sha256Encoding: 'base64' });

		const changed = await control.post('/settings', { autoStatuses: true, webhookRetry: { maxAttempts: 2 } });
		expect(changed.data).toMatchObject({ autoStatuses: true, webhookRetry: { maxAttempts: 2, baseDelayMs: 100 } });

		expect((await control.post('/settings', { autoStatus: true })).data.error).toContain('unknown setting "autoStatus"');
		expect((await control.post('/settings', { mediaUrlTtlMs: 'soon' })).data.error).toBe('mediaUrlTtlMs must be a number');
		expect((await control.post('/settings', { sha256Encoding: 'base32' })).data.error).toBe('sha256Encoding must be one of base64, hex');
		expect((await control.post('/settings', { webhookRetry: { maxAttempts: 0 } })).status).toBe(400);
	});
});

describe('reset', () => {
	it('clears records, webhook, faults and windows, and restores settings and templates', async () => {
		await api.post('/messages', text);
		await api.post('/v1/configs/webhook', { url: 'https://example.com/hook' });
		emulator.configure({ autoStatuses: true });
		emulator.injectFaults({ latencyMs: 5, status: 500, count: 9 });
		emulator.templates.length = 0;
		emulator.openConversation('4915112345678');

		expect((await control.post('/reset')).data).toEqual({ reset: true });

		expect(emulator.messages()).toEqual([]);
		expect(emulator.requests()).toEqual([]);
		expect(emulator.webhook()).toBeUndefined();
		expect(emulator.settings.autoStatuses).toBe(false);
		expect(emulator.state.faults.snapshot()).toEqual({ statuses: [], drops: [], latencyMs: 0, rateLimit: null, pairRateLimit: null });
		expect(emulator.templates.length).toBeGreaterThanOrEqual(25);
		expect(emulator.state.hasOpenWindow('4915112345678')).toBe(false);
	});

	it('answers 404 for an unknown control endpoint', async () => {
		const response = await control.get('/nothing-here');
		expect(response.status).toBe(404);
		expect(response.data.error).toContain('no control endpoint');
	});
});

describe('startEmulator options', () => {
	it('listens on 127.0.0.1 only, on an ephemeral port, with key "test-key" by default', async () => {
		const other = await startEmulator();
		try {
			expect(other.url).toBe(`http://127.0.0.1:${other.port}`);
			expect(other.port).not.toBe(emulator.port);
			expect(other.state.apiKeys).toEqual(new Set([DEFAULT_API_KEY]));
			expect((await apiClient(other, 'test-key').get('/health_status')).status).toBe(200);
		} finally {
			await other.close();
		}
	});

	it('takes settings, templates and a webhook at start', async () => {
		const other = await startEmulator({ autoStatuses: true, templates: [], webhook: { url: 'https://example.com/hook' } });
		try {
			expect(other.settings.autoStatuses).toBe(true);
			expect(other.templates).toEqual([]);
			expect((await apiClient(other).get('/v1/configs/webhook')).data).toEqual({ url: 'https://example.com/hook' });
		} finally {
			await other.close();
		}
	});

	it('refuses other hosts and bad settings', async () => {
		await expect(startEmulator({ host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow('only listens on 127.0.0.1');
		await expect(startEmulator({ apiKeys: [] })).rejects.toThrow('apiKeys');
		await expect(startEmulator({ healthStatus: 'GREAT' as 'AVAILABLE' })).rejects.toThrow('healthStatus must be one of');
	});

	it('close() is idempotent and frees the port', async () => {
		const other = await startEmulator();
		await other.close();
		await other.close();
		await expect(axios.get(`${other.url}/health_status`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
	});
});

describe('CLI', () => {
	it('parses --port and repeated --key, with defaults', () => {
		expect(parseArgs([])).toEqual({ port: 4360, keys: ['test-key'], autoStatuses: false });
		expect(parseArgs(['--port', '0', '--key', 'a', '--key=b', '--auto-statuses'])).toEqual({ port: 0, keys: ['a', 'b'], autoStatuses: true });
		expect(() => parseArgs(['--port', 'x'])).toThrow('--port must be 0-65535');
		expect(() => parseArgs(['--key'])).toThrow('--key needs a value');
		expect(() => parseArgs(['--verbose'])).toThrow('unknown option --verbose');
	});

	it('starts, prints the URL and the keys, serves, and stops on SIGTERM', async () => {
		const root = path.resolve(__dirname, '../..');
		const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'test/emulator/cli.ts', '--port', '0', '--key', 'k1', '--key', 'k2'], {
			cwd: root,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		try {
			let output = '';
			const url = await new Promise<string>((resolve, reject) => {
				child.stdout.on('data', (chunk: Buffer) => {
					output += chunk.toString();
					const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
					if (match && output.includes('API keys:')) resolve(match[1]);
				});
				child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
				child.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${output}`)));
			});

			expect(output).toContain('API keys: k1, k2');
			const response = await axios.get(`${url}/health_status`, { headers: { 'D360-API-KEY': 'k2' }, validateStatus: () => true });
			expect(response.status).toBe(200);
		} finally {
			const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			expect(await exited).toBe(0);
		}
	});
});
