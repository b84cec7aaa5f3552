/**
 * Assembles the fastify app: the gate every API request passes (log, latency, dropped
 * connections, injected statuses, rate limit, API key; in that order), the routes, and error
 * answers in the API's own shapes.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

import { registerAccountRoutes } from './accountRoutes';
import { registerConfigRoutes } from './configRoutes';
import { registerControlRoutes } from './controlRoutes';
import { faultReply, gatewayError, GATEWAY_MESSAGES, graphError, type ErrorReply } from './errors';
import { registerMediaRoutes } from './mediaRoutes';
import { MAX_MEDIA_BYTES } from './mediaStore';
import { registerMarketingMessagesRoute } from './marketingMessagesRoute';
import { registerMessagesRoute } from './messagesRoute';
import type { EmulatorState, RecordedRequest } from './state';
import { registerUploadRoutes } from './uploadRoutes';

const CONTROL_PREFIX = '/_emulator';

/** The request log entry of each API request, filled in as the request goes on. */
const records = new WeakMap<FastifyRequest, RecordedRequest>();

function send(reply: FastifyReply, error: ErrorReply): FastifyReply {
	return reply.code(error.status).headers(error.headers ?? {}).send(error.body);
}

/**
 * Answers given before a route runs (injected statuses, rate limit, wrong key) first read the
 * request body to its end and drop it, as a gateway that buffers request bodies does (nginx reads
 * the whole body before the upstream answers). A client streaming an upload then always gets the
 * answer after its body: answering mid-body let a test run end in a broken pipe (EPIPE) instead.
 */
async function discardBody(request: FastifyRequest): Promise<void> {
	const raw = request.raw;
	if (raw.readableEnded || (raw.headers['content-length'] === undefined && raw.headers['transfer-encoding'] === undefined)) return;
	await new Promise<void>((done) => {
		raw.once('end', done).once('close', done).once('error', done);
		raw.resume();
	});
}

const pathOf = (url: string): string => {
	const query = url.indexOf('?');
	return query === -1 ? url : url.slice(0, query);
};

export function buildApp(state: EmulatorState, baseUrl: () => string): FastifyInstance {
	const app = Fastify({
		logger: false,
		routerOptions: { ignoreTrailingSlash: true },
		// Close keep-alive sockets on close(), so tests end promptly.
		forceCloseConnections: true,
		bodyLimit: 4 * 1024 * 1024,
	});

	// Bodiless POSTs (curl -X POST, axios.post(url)) may carry any content type; only a body needs JSON.
	app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body: string, done) => {
		if (body === '') return done(null, undefined);
		done(Object.assign(new Error('Unsupported Media Type: send JSON (application/json)'), { statusCode: 415 }), undefined);
	});

	void app.register(multipart, {
		// Per-kind limits are checked while streaming (mediaStore.ts); this is only the overall cap.
		throwFileSizeLimit: false,
		limits: { fileSize: MAX_MEDIA_BYTES, files: 1, fields: 10, parts: 12 },
	});

	app.addHook('onRequest', async (request, reply) => {
		const path = pathOf(request.url);
		if (path.startsWith(CONTROL_PREFIX)) return;
		records.set(request, state.recordRequest(request.method, request.url, request.headers));

		const { faults, settings } = state;
		if (faults.latencyMs > 0) await sleep(faults.latencyMs);
		if (faults.takeDrop(path)) {
			(records.get(request) as RecordedRequest).dropped = true;
			reply.hijack();
			request.raw.socket.destroy();
			return reply;
		}
		const fault = faults.takeStatus(path);
		if (fault) {
			await discardBody(request);
			const answer = fault.body === undefined ? faultReply(fault.status, settings.gatewayErrorShape) : { status: fault.status, body: fault.body };
			if (fault.retryAfter !== undefined) reply.header('retry-after', String(fault.retryAfter));
			return send(reply, { ...answer, status: fault.status });
		}
		if (faults.rateLimited(request.method, path)) {
			await discardBody(request);
			return send(reply, graphError(130429, 'Cloud API message throughput has been reached.', { httpStatus: 429 }));
		}
		const key = request.headers['d360-api-key'];
		if (typeof key !== 'string' || !state.apiKeys.has(key)) {
			await discardBody(request);
			return send(reply, gatewayError(settings.gatewayErrorShape, 401, GATEWAY_MESSAGES.invalidKey));
		}
		return undefined;
	});

	app.addHook('preHandler', async (request) => {
		const record = records.get(request);
		if (record && request.body !== undefined && !request.isMultipart()) record.body = request.body;
	});

	app.addHook('onResponse', async (request, reply) => {
		const record = records.get(request);
		if (record) record.statusCode = reply.statusCode;
	});

	app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
		const status = error.statusCode ?? 500;
		if (pathOf(request.url).startsWith(CONTROL_PREFIX)) return reply.code(status).send({ error: error.message });
		// Unparseable JSON, wrong content type, body too large: Graph's "invalid parameter".
		if (status < 500) return send(reply, graphError(100, error.message, { httpStatus: status }));
		return send(reply, graphError(131000, error.message));
	});

	app.setNotFoundHandler((request, reply) => {
		if (pathOf(request.url).startsWith(CONTROL_PREFIX)) return reply.code(404).send({ error: `no control endpoint ${request.method} ${request.url}` });
		return send(reply, gatewayError(state.settings.gatewayErrorShape, 404, GATEWAY_MESSAGES.notFound));
	});

	registerMessagesRoute(app, state);
	registerMarketingMessagesRoute(app, state);
	registerMediaRoutes(app, state);
	registerConfigRoutes(app, state, baseUrl);
	registerAccountRoutes(app, state);
	registerUploadRoutes(app, state);
	registerControlRoutes(app, state);
	return app;
}
