/**
 * Transport inside n8n-core's engine through a probe node, against a scripted local HTTP server:
 * the key in the D360-API-KEY header, retries only for answers that prove nothing was accepted,
 * Retry-After honoured, errors mapped, and the key never leaked. The pure error mapping and retry
 * policy: test/unit/transport.test.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { loadErrorFixture } from '../support/fixtures';
import { runNode } from '../support/n8nHarness';
import { TransportProbe } from '../support/transportProbeNode';

const API_KEY = 'super-secret-key-123';

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

async function probe(parameters: Record<string, string | boolean> = {}, baseUrl = server.url) {
	return await runNode({
		nodeType: new TransportProbe(),
		parameters: { method: 'POST', path: '/messages', body: '{"messaging_product":"whatsapp"}', ...parameters },
		credentials: { dialog360Api: { apiKey: API_KEY, environment: 'custom', baseUrl } },
	});
}

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
			{ status: 429, body: loadErrorFixture('graph-130429-rate-limit-hit.json'), headers: { 'retry-after': '1' } },
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

	it('a retry waits, then takes its turn in the caller\'s pacing (beforeRetry) before it goes out again', async () => {
		server.play({ status: 429, body: loadErrorFixture('graph-130429-rate-limit-hit.json') }, { status: 503, body: { error: 'busy' } }, { status: 200, body: { ok: 1 } });
		const { items, error } = await probe({ countPacing: true });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ attempts: 3, events: ['wait', 'pace', 'wait', 'pace'] });
		expect(server.seen).toHaveLength(3);
	});

	it('retries a 130429 rate-limit body even when it comes as HTTP 400', async () => {
		server.play({ status: 400, body: loadErrorFixture('graph-130429-rate-limit-hit.json') }, { status: 200, body: { ok: 1 } });
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
		['400 validation error', { status: 400, body: loadErrorFixture('graph-131009-parameter-value-not-valid.json') }, 'WhatsApp error 131009'],
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
		server.play({ status: 404, body: loadErrorFixture('graph-132001-template-does-not-exist.json') });
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
