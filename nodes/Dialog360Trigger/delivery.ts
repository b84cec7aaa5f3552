/**
 * Checks the body of one webhook delivery before anything is parsed or stored.
 *
 * Pure module (no n8n imports). n8n 2.41 reads the raw bytes into `req.rawBody` and, for
 * `application/json`, parses them into `req.body` before the node runs (a JSON body n8n cannot
 * parse is answered 422 by n8n itself, without calling the node). Other content types leave
 * `req.body` unset or a string, so the raw bytes are read here.
 */

import { isRecord } from '../common/json';

/** Largest accepted body. A 360dialog batch of several hundred messages stays far below it. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export type JsonObject = Record<string, unknown>;

export type BodyCheck = { ok: true; body: JsonObject } | { ok: false; status: 400; error: string };

export interface DeliveryInput {
	/** `req.body` as n8n left it. */
	body: unknown;
	/** `req.rawBody` (a Buffer in n8n), when present. */
	rawBody?: unknown;
	maxBytes?: number;
}

function rawBytes(raw: unknown): Buffer | undefined {
	if (Buffer.isBuffer(raw)) return raw;
	if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
	if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
	return undefined;
}

const fail = (error: string): BodyCheck => ({ ok: false, status: 400, error });

function parseText(text: string): BodyCheck {
	const trimmed = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).trim();
	if (trimmed === '') return fail('The request body is empty');
	let parsed: unknown;
	try {
		parsed = JSON.parse(trimmed);
	} catch {
		return fail('The request body is not valid JSON');
	}
	return isRecord(parsed) ? { ok: true, body: parsed } : fail('The request body must be a JSON object');
}

/** The delivery's JSON object, or the 400 answer to give. */
export function checkDeliveryBody({ body, rawBody, maxBytes = MAX_BODY_BYTES }: DeliveryInput): BodyCheck {
	const raw = rawBytes(rawBody);
	const size = raw?.length ?? (typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : undefined);
	if (size !== undefined && size > maxBytes) {
		return fail(`The request body has ${size} bytes; the limit is ${maxBytes}`);
	}
	if (isRecord(body) && Object.keys(body).length > 0) return { ok: true, body };
	if (Array.isArray(body)) return fail('The request body must be a JSON object, not an array');
	if (raw !== undefined && raw.length > 0) return parseText(raw.toString('utf8'));
	if (typeof body === 'string') return parseText(body);
	if (body === undefined || body === null || isRecord(body)) return fail('The request body is empty');
	return fail('The request body must be a JSON object');
}

/** The part of Node's/express's response object the trigger writes to. */
export interface PlainResponse {
	writeHead(statusCode: number, headers?: Record<string, string>): unknown;
	end(body?: string): unknown;
}

/**
 * Writes the whole HTTP answer itself: `status` with a small JSON body, or an empty body when
 * `body` is omitted. The caller then returns `{ noWebhookResponse: true }` so n8n neither
 * answers again nor starts an execution.
 */
export function respond(response: PlainResponse, status: number, body?: Record<string, unknown>): void {
	if (body === undefined) {
		response.writeHead(status, { 'content-length': '0' });
		response.end();
		return;
	}
	const text = JSON.stringify(body);
	response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
	response.end(text);
}
