/**
 * Fault injection: statuses for the next N requests (with Retry-After and per-status bodies),
 * latency, dropped connections and the /messages token bucket.
 */
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';

import type { AxiosInstance } from 'axios';

import { startEmulator, type Emulator } from './index';
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

describe('status faults', () => {
	it('answers the status N times, then normally', async () => {
		expect((await control.post('/faults', { status: 503, count: 3 })).status).toBe(200);

		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) statuses.push((await api.post('/messages', text)).status);

		expect(statuses).toEqual([503, 503, 503, 200]);
		expect(emulator.messages()).toHaveLength(1);
	});

	it('uses a body that fits the status', async () => {
		emulator.injectFaults({ status: 503 });
		emulator.injectFaults({ status: 500 });
		emulator.injectFaults({ status: 429 });
		emulator.injectFaults({ status: 502 });

		const bodies = [];
		for (let i = 0; i < 4; i++) bodies.push((await api.post('/messages', text)).data);

		expect(bodies[0].error).toMatchObject({ code: 131016, message: '(#131016) Service unavailable' });
		expect(bodies[1].error).toMatchObject({ code: 131000, message: '(#131000) Something went wrong' });
		expect(bodies[2].error).toMatchObject({ code: 130429, message: '(#130429) Rate limit hit' });
		expect(bodies[3]).toEqual({ error: 'WhatsApp for Business API not available' });
	});

	it('answers a fault on a large upload streamed in chunks with the fault itself, and the next upload goes through', async () => {
		emulator.injectFaults({ status: 429, path: '/media' });
		const form = new FormData();
		form.append('messaging_product', 'whatsapp');
		form.append('file', new Blob([Buffer.alloc(8 * 1024 * 1024, 7)], { type: 'application/pdf' }), 'big.pdf');
		// The encoded form, sent in 64 KiB chunks as a streaming client does.
		const encoded = new Response(form);
		const contentType = encoded.headers.get('content-type')!;
		const bytes = Buffer.from(await encoded.arrayBuffer());
		// Node's HTTP client, as axios uses it: the body written chunk by chunk.
		const answer = await new Promise<{ status: number; body: string }>((done, fail) => {
			const request = httpRequest(`${emulator.url}/media`, {
				method: 'POST',
				headers: { 'D360-API-KEY': emulator.apiKey, 'content-type': contentType, 'content-length': String(bytes.length) },
			});
			request.on('error', fail);
			request.on('response', (response) => {
				const parts: Buffer[] = [];
				response.on('data', (chunk: Buffer) => parts.push(chunk));
				response.on('end', () => done({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
			});
			void (async () => {
				for (let offset = 0; offset < bytes.length; offset += 64 * 1024) {
					if (!request.write(bytes.subarray(offset, offset + 64 * 1024))) await once(request, 'drain');
				}
				request.end();
			})().catch(() => undefined);
		});
		expect(answer.status).toBe(429);
		expect((JSON.parse(answer.body) as { error: { code: number } }).error.code).toBe(130429);
		// The next upload goes through on the same emulator.
		expect((await api.post('/media', form)).status).toBe(200);
	});

	it('sends Retry-After when asked', async () => {
		await control.post('/faults', { status: 429, count: 1, retryAfter: 2 });

		const response = await api.post('/messages', text);

		expect(response.status).toBe(429);
		expect(response.headers['retry-after']).toBe('2');
	});

	it('can answer with a given body, only on the given path', async () => {
		await control.post('/faults', { status: 400, body: { error: 'You have exceeded the endpoint rate limit.' }, path: '/messages' });

		expect((await api.get('/health_status')).status).toBe(200);
		const response = await api.post('/messages', text);
		expect(response.status).toBe(400);
		expect(response.data).toEqual({ error: 'You have exceeded the endpoint rate limit.' });
	});

	it('applies before the key check, as the gateway would', async () => {
		await control.post('/faults', { status: 503 });

		expect((await apiClient(emulator, 'wrong').post('/messages', text)).status).toBe(503);
	});

	it('never touches the control API', async () => {
		await control.post('/faults', { status: 500, count: 5 });

		expect((await control.get('/messages')).status).toBe(200);
		expect((await control.get('/faults')).data.statuses).toEqual([expect.objectContaining({ status: 500, remaining: 5 })]);
	});

	it('with `after`, lets that many matching requests through first (fail the second message of a series)', async () => {
		expect((await control.post('/faults', { status: 500, path: '/messages', after: 1 })).status).toBe(200);

		expect((await api.get('/health_status')).status).toBe(200); // another path does not count
		const statuses: number[] = [];
		for (let i = 0; i < 3; i++) statuses.push((await api.post('/messages', text)).status);

		expect(statuses).toEqual([200, 500, 200]);
		expect(emulator.messages()).toHaveLength(2);
		expect((await control.post('/faults', { status: 500, after: -1 })).status).toBe(400);
	});

	it('is cleared by DELETE /_emulator/faults', async () => {
		await control.post('/faults', { status: 500, count: 5, latencyMs: 10, rateLimit: true, dropConnection: 1 });

		expect((await control.delete('/faults')).data).toEqual({ statuses: [], drops: [], latencyMs: 0, rateLimit: null, pairRateLimit: null });
		expect((await api.post('/messages', text)).status).toBe(200);
	});

	it('rejects a malformed fault request', async () => {
		const response = await control.post('/faults', { status: 'soon' });

		expect(response.status).toBe(400);
		expect(response.data.error).toContain('status');
	});
});

describe('latency', () => {
	it('delays every API request until reset to 0', async () => {
		await control.post('/faults', { latencyMs: 150 });
		let started = Date.now();
		await api.get('/health_status');
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);

		await control.post('/faults', { latencyMs: 0 });
		started = Date.now();
		await api.get('/health_status');
		expect(Date.now() - started).toBeLessThan(140);
	});
});

describe('dropped connections', () => {
	it('destroys the socket of the next N requests without answering', async () => {
		await control.post('/faults', { dropConnection: 2 });

		const outcomes: string[] = [];
		for (let i = 0; i < 3; i++) {
			try {
				outcomes.push(String((await api.post('/messages', text)).status));
			} catch (error) {
				outcomes.push((error as { code?: string }).code ?? 'error');
			}
		}

		expect(outcomes).toEqual(['ECONNRESET', 'ECONNRESET', '200']);
		expect(emulator.requests().map((r) => r.dropped ?? false)).toEqual([true, true, false]);
		expect(emulator.messages()).toHaveLength(1);
	});
});

describe('rate limit on /messages', () => {
	it('lets a burst of 150 through and answers 429 + 130429 beyond it, then refills', async () => {
		await control.post('/faults', { rateLimit: true });

		// Waves of 100 parallel requests until the bucket runs dry; any client faster than 50 rps
		// gets there, however slow the machine (so no timing assumption).
		let accepted = 0;
		const limited: Array<{ status: number; data: { error: { code: number; type: string } } }> = [];
		for (let wave = 0; wave < 10 && limited.length === 0; wave++) {
			const responses = await Promise.all(Array.from({ length: 100 }, () => api.post('/messages', text)));
			accepted += responses.filter((r) => r.status === 200).length;
			limited.push(...responses.filter((r) => r.status === 429));
			expect(responses.every((r) => r.status === 200 || r.status === 429)).toBe(true);
		}

		expect(limited.length).toBeGreaterThan(0);
		expect(accepted).toBeGreaterThanOrEqual(150);
		expect(limited[0].data.error).toMatchObject({ code: 130429, type: 'OAuthException' });
		expect(emulator.messages()).toHaveLength(accepted);
		// Other endpoints are not limited.
		expect((await api.get('/health_status')).status).toBe(200);

		await new Promise((wait) => setTimeout(wait, 100)); // 50 rps → about 5 tokens
		expect((await api.post('/messages', text)).status).toBe(200);
	});

	it('takes a custom rate', async () => {
		emulator.injectFaults({ rateLimit: { rps: 1, burst: 2 } });

		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await api.post('/v1/messages', text)).status);

		expect(statuses).toEqual([200, 200, 429]);
	});
});

describe('pair rate limit on /messages (one recipient)', () => {
	const to = (number: string) => ({ ...text, to: number });

	it('is off by default: many messages to one number all go through', async () => {
		const statuses = await Promise.all(Array.from({ length: 60 }, () => api.post('/messages', text)));
		expect(statuses.every((response) => response.status === 200)).toBe(true);
	});

	it('on with Meta’s figures: a burst of 45 to one recipient, then 131056; other recipients are not affected', async () => {
		expect(emulator.injectFaults({ pairRateLimit: true }).pairRateLimit).toEqual({ intervalMs: 6000, burst: 45 });
		const first = await Promise.all(Array.from({ length: 46 }, () => api.post('/messages', to('4915100000001'))));
		const refused = first.filter((response) => response.status !== 200);
		expect(first.filter((response) => response.status === 200)).toHaveLength(45);
		expect(refused).toHaveLength(1);
		expect(refused[0].status).toBe(400);
		expect(refused[0].data.error).toMatchObject({ code: 131056, type: 'OAuthException', error_data: { messaging_product: 'whatsapp' } });
		expect((await api.post('/messages', to('4915100000002'))).status).toBe(200);
		expect(emulator.messages()).toHaveLength(46);
	});

	it('counts "+49…" and "49…" as one recipient and frees one slot per interval', async () => {
		emulator.injectFaults({ pairRateLimit: { intervalMs: 200, burst: 1 } });
		expect((await api.post('/messages', to('+4915100000003'))).status).toBe(200);
		expect((await api.post('/messages', to('4915100000003'))).status).toBe(400);
		await new Promise((wait) => setTimeout(wait, 250));
		expect((await api.post('/messages', to('4915100000003'))).status).toBe(200);
	});

	it('refuses bad settings', async () => {
		expect(() => emulator.injectFaults({ pairRateLimit: { intervalMs: 0 } })).toThrow('at least 1');
	});
});
