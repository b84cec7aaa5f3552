/**
 * Transport: error mapping of both documented body shapes (and every error fixture), retries only
 * for answers that prove nothing was accepted, Retry-After honoured, and the key never leaked.
 * Runs inside n8n-core's engine through a probe node, against a scripted local HTTP server.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { backoffDelay, parseRetryAfter, resolveBaseUrl, apiPath, DEFAULT_RETRY_POLICY } from '../../nodes/shared/transport';
import { describeApiError, parseErrorBody } from '../../nodes/shared/errors';
import { ERROR_FIXTURES_DIR } from '../support/fixtures';
import { runNode } from '../support/n8nHarness';
import { TransportProbe } from '../support/transportProbeNode';

const API_KEY = 'super-secret-key-123';
const errorFixtureDir = ERROR_FIXTURES_DIR;

interface ScriptedAnswer {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Close the socket without answering (connection lost after the request was sent). */
	destroy?: boolean;
}

interface Seen {
	method: string;
	url: string;
	apiKey?: string;
	at: number;
}

/** A server that plays a script of answers, one per request, and records what it saw. */
class ScriptedServer {
	readonly seen: Seen[] = [];
	private script: ScriptedAnswer[] = [];
	private server!: Server;
	url = '';

	async start(): Promise<void> {
		this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
			req.resume();
			req.on('end', () => {
				this.seen.push({ method: req.method ?? '', url: req.url ?? '', apiKey: req.headers['d360-api-key'] as string, at: Date.now() });
				const answer = this.script.shift() ?? { status: 200, body: { ok: true } };
				if (answer.destroy) {
					req.socket.destroy();
					return;
				}
				res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
				res.end(answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
			});
		});
		await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	play(...answers: ScriptedAnswer[]): void {
		this.script = answers;
		this.seen.length = 0;
	}

	async stop(): Promise<void> {
		await new Promise<void>((done) => this.server.close(() => done()));
	}
}

const server = new ScriptedServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

async function probe(parameters: Record<string, string> = {}, baseUrl = server.url) {
	return await runNode({
		nodeType: new TransportProbe(),
		parameters: { method: 'POST', path: '/messages', body: '{"messaging_product":"whatsapp"}', ...parameters },
		credentials: { dialog360Api: { apiKey: API_KEY, environment: 'custom', baseUrl } },
	});
}

function fixture(name: string): unknown {
	return JSON.parse(readFileSync(join(errorFixtureDir, name), 'utf8'));
}

describe('error mapping (pure)', () => {
	const fixtures = readdirSync(errorFixtureDir).filter((file) => file.endsWith('.json'));

	it('covers every error fixture', () => {
		expect(fixtures.sort()).toEqual([
			'graph-130429-rate-limit-hit.json',
			'graph-131009-parameter-value-not-valid.json',
			'graph-132001-template-does-not-exist.json',
		]);
	});

	it.each([
		[
			'graph-131009-parameter-value-not-valid.json',
			400,
			'WhatsApp error 131009: Parameter value is not valid. A field value is not valid. The details say which one; fix the input and send again.',
			'Details: Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: 3',
		],
		[
			'graph-132001-template-does-not-exist.json',
			404,
			'WhatsApp error 132001: Template name does not exist in the translation. Template "order_update" does not exist in this language or is not approved. Check the exact name and the language code (for example "en" vs "en_US").',
			'Details: template name (order_update) does not exist in de',
		],
		[
			'graph-130429-rate-limit-hit.json',
			429,
			'WhatsApp error 130429: Rate limit hit. The WhatsApp rate limit was hit. Lower the send rate (Options → Messages per Second) or try again shortly.',
			'Details: Cloud API message throughput has been reached.',
		],
	])('%s maps to a message that names the code and says what to do', (file, status, message, details) => {
		const parsed = parseErrorBody(fixture(file), status);
		const described = describeApiError(parsed, { templateName: 'order_update' });
		expect(described.message).toBe(message);
		expect(described.description).toContain(details);
		expect(described.description).toContain(`HTTP status: ${status}`);
	});

	it.each([
		[{ error: 'Invalid api_key' }, 401, '360dialog error (HTTP 401): Invalid api_key. The API key was rejected. Check the key in the 360dialog credential (and that the environment, Production or Sandbox, matches the key).'],
		[{ meta: { httpCode: 401, developerMessage: 'Invalid api_key or token expired', success: false } }, 401, '360dialog error (HTTP 401): Invalid api_key or token expired. The API key was rejected. Check the key in the 360dialog credential (and that the environment, Production or Sandbox, matches the key).'],
		[{ meta: { http_code: 400, developer_message: 'You have exceeded the endpoint rate limit.', success: false } }, 400, '360dialog error (HTTP 400): You have exceeded the endpoint rate limit.'],
		[{ error: 'WhatsApp for Business API not available' }, 502, '360dialog error (HTTP 502): WhatsApp for Business API not available. 360dialog or WhatsApp had a server problem. Try again later; if it persists, check the 360dialog status page.'],
		['<html>Bad Gateway</html>', 502, '360dialog error (HTTP 502): <html>Bad Gateway</html>. 360dialog or WhatsApp had a server problem. Try again later; if it persists, check the 360dialog status page.'],
		['', 503, '360dialog error (HTTP 503): HTTP 503. 360dialog or WhatsApp had a server problem. Try again later; if it persists, check the 360dialog status page.'],
	])('gateway body %j (HTTP %i)', (body, status, message) => {
		expect(describeApiError(parseErrorBody(body, status)).message).toBe(message);
	});

	it.each([
		[131047, 'Send an approved template message instead'],
		[131026, 'could not be delivered'],
		[132000, 'number of parameters does not match template "welcome"'],
		[132012, 'A parameter of template "welcome"'],
		[100, 'A field value is not valid'],
		[131056, 'Too many messages to the same customer'],
	])('code %i gives its guidance', (code, fragment) => {
		const parsed = parseErrorBody({ error: { message: `(#${code}) x`, code } }, 400);
		expect(describeApiError(parsed, { templateName: 'welcome' }).message).toContain(fragment);
	});
});

describe('retry policy (pure)', () => {
	it('reads Retry-After as seconds or an HTTP date', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('2', now)).toBe(2000);
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
	});

	it('backs off exponentially with jitter and caps waits', () => {
		for (let attempt = 1; attempt <= 6; attempt++) {
			const ceiling = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1));
			const delay = backoffDelay(attempt, DEFAULT_RETRY_POLICY);
			expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
			expect(delay).toBeLessThanOrEqual(ceiling);
		}
		expect(backoffDelay(1, DEFAULT_RETRY_POLICY, 120_000)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
	});

	it('resolves the base URL and the sandbox messages path', () => {
		expect(resolveBaseUrl({ environment: 'production' })).toBe('https://waba-v2.360dialog.io');
		expect(resolveBaseUrl({ environment: 'sandbox' })).toBe('https://waba-sandbox.360dialog.io');
		expect(resolveBaseUrl({ environment: 'custom', baseUrl: 'http://127.0.0.1:4360//' })).toBe('http://127.0.0.1:4360');
		expect(apiPath('sandbox', '/messages')).toBe('/v1/messages');
		expect(apiPath('production', '/messages')).toBe('/messages');
		expect(apiPath('sandbox', '/media')).toBe('/media');
	});
});

describe('transport inside n8n', () => {
	it('sends the key in the D360-API-KEY header and returns the body', async () => {
		server.play({ status: 200, body: { messages: [{ id: 'wamid.1' }] } });
		const { items, error } = await probe();
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ body: { messages: [{ id: 'wamid.1' }] }, attempts: 1, retryDelays: [] });
		expect(server.seen).toHaveLength(1);
		expect(server.seen[0]).toMatchObject({ method: 'POST', url: '/messages', apiKey: API_KEY });
	});

	it('retries 429 and 503, honouring Retry-After', async () => {
		server.play(
			{ status: 429, body: fixture('graph-130429-rate-limit-hit.json'), headers: { 'retry-after': '1' } },
			{ status: 503, body: { error: 'busy' } },
			{ status: 200, body: { ok: 1 } },
		);
		const { items, error } = await probe();
		expect(error).toBeUndefined();
		expect(server.seen).toHaveLength(3);
		expect(items[0].json.attempts).toBe(3);
		// The first wait follows Retry-After (1 s), measured on the server side too.
		expect(items[0].json.retryDelays).toEqual([1000, expect.any(Number)]);
		expect(server.seen[1].at - server.seen[0].at).toBeGreaterThanOrEqual(950);
	});

	it('retries a 130429 rate-limit body even when it comes as HTTP 400', async () => {
		server.play({ status: 400, body: fixture('graph-130429-rate-limit-hit.json') }, { status: 200, body: { ok: 1 } });
		const { items } = await probe();
		expect(server.seen).toHaveLength(2);
		expect(items[0].json.attempts).toBe(2);
	});

	it('gives up after the attempt limit with the mapped error', async () => {
		server.play(...Array.from({ length: 5 }, () => ({ status: 503, body: { error: 'Service Unavailable' } })));
		const { error } = await probe({ retry: '{"baseDelayMs":1,"maxAttempts":3}' });
		expect(server.seen).toHaveLength(3);
		expect(error?.message).toBe(
			'360dialog error (HTTP 503): Service Unavailable. 360dialog or WhatsApp had a server problem. Try again later; if it persists, check the 360dialog status page.',
		);
	});

	it.each([
		['400 validation error', { status: 400, body: fixture('graph-131009-parameter-value-not-valid.json') }, 'WhatsApp error 131009'],
		['500 with a body', { status: 500, body: { error: { message: '(#131000) Something went wrong', code: 131000 } } }, 'WhatsApp error 131000'],
		['401 key rejected', { status: 401, body: { meta: { success: false, http_code: 401, developer_message: 'Invalid api_key' } } }, 'The API key was rejected'],
	])('does not retry a %s', async (_label, answer, fragment) => {
		server.play(answer as ScriptedAnswer, { status: 200, body: { ok: 1 } });
		const { error } = await probe();
		expect(server.seen).toHaveLength(1);
		expect(error?.message).toContain(fragment);
		expect(JSON.stringify(error)).not.toContain(API_KEY);
		expect(String(error?.description ?? '')).not.toContain(API_KEY);
	});

	it('names the template on 132xxx errors', async () => {
		server.play({ status: 404, body: fixture('graph-132001-template-does-not-exist.json') });
		const { error } = await probe({ templateName: 'order_update' });
		expect(error?.message).toContain('Template "order_update" does not exist in this language');
		expect(error?.description).toContain('template name (order_update) does not exist in de');
	});

	it('does not retry a connection lost after sending (it may have been accepted)', async () => {
		server.play({ status: 0, destroy: true }, { status: 200, body: { ok: 1 } });
		const { error } = await probe();
		expect(server.seen).toHaveLength(1);
		expect(error?.message).toContain('It may or may not have been processed, so it is not retried automatically');
		expect(JSON.stringify(error)).not.toContain(API_KEY);
	});

	it('retries a refused connection (nothing was sent) up to the limit', async () => {
		const { error } = await probe({ retry: '{"baseDelayMs":1,"maxAttempts":3}' }, 'http://127.0.0.1:1');
		expect(error?.message).toBe('360dialog refused the connection at http://127.0.0.1:1 (3 attempts)');
	});
});
