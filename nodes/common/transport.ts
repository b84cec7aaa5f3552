/**
 * The one module that talks HTTP to 360dialog. Every node goes through `dialog360Request`.
 *
 * - Requests use `httpRequestWithAuthentication` with the `dialog360Api` credential, so the key is
 *   added by n8n and never handled here.
 * - Error bodies of both documented shapes become a NodeApiError that names the code and says what
 *   to do (errors.ts).
 * - Retries: only answers that prove the request was NOT accepted — HTTP 429, HTTP 503, a Graph
 *   130429 rate-limit body, a 131056 pair rate limit (after the pair's wait), or a connection refused
 *   before anything was sent. A timeout, a reset or a 500 may hide an accepted message, so those are
 *   never retried: nothing is sent twice.
 */
import {
	NodeApiError,
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { describeApiError, parseErrorBody, type GuidanceContext, type ParsedApiError } from './errors';
import { trimTrailingSlashes } from './json';
import { FieldError } from './validation';

export const CREDENTIAL_TYPE = 'dialog360Api';

export const BASE_URLS = {
	production: 'https://waba-v2.360dialog.io',
	sandbox: 'https://waba-sandbox.360dialog.io',
} as const;

export type Environment = 'production' | 'sandbox' | 'custom';

export type Dialog360Context = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

/** Resolved once per execution, so bulk sends do not decrypt the credential per item. */
export interface Dialog360Connection {
	baseUrl: string;
	environment: Environment;
	credentials: ICredentialDataDecryptedObject;
}

export interface RetryPolicy {
	/** Total attempts including the first one. */
	maxAttempts: number;
	/** First backoff step; doubles per attempt, with full jitter. */
	baseDelayMs: number;
	/** Upper bound for one wait, also for a Retry-After header. */
	maxDelayMs: number;
	/**
	 * Least wait before retrying a 131056 (too many messages to one customer): the time WhatsApp's
	 * pair rate limit frees one slot, about 6 s (https://developers.facebook.com/docs/whatsapp/cloud-api/overview#pair-rate-limits).
	 */
	pairRateDelayMs: number;
}

export const PAIR_RATE_LIMIT_CODE = 131056;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, pairRateDelayMs: 6000 };

export interface Dialog360Request {
	method: IHttpRequestMethods;
	/** Path below the base URL, e.g. `/messages`; `/messages` becomes `/v1/messages` on the sandbox. */
	path?: string;
	/** Absolute URL on the 360dialog host (media downloads after the host rewrite). */
	url?: string;
	/** A JSON object, a multipart form, or raw bytes (the resumable upload: a buffer or a stream). */
	body?: IDataObject | FormData | Buffer | NodeJS.ReadableStream;
	/**
	 * A streamed body, opened anew for every attempt (a retry cannot replay a stream the first
	 * attempt consumed). Used instead of `body`; the retry rules stay the same.
	 */
	openBody?: () => Promise<StreamedBody>;
	qs?: IDataObject;
	headers?: IDataObject;
	/** `json` (default), `arraybuffer` or `stream` for downloads. */
	encoding?: 'json' | 'arraybuffer' | 'stream';
	/** Item the request belongs to, for the error's item index. */
	itemIndex?: number;
	/** Template name/language, so template errors can name the template. */
	errorContext?: GuidanceContext;
	retry?: Partial<RetryPolicy>;
	/** Called before each retry wait; lets the Send node count retries for its output. */
	onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
	/**
	 * Awaited after each retry wait, before the request goes out again: a bulk sender's pacing, so
	 * retries take their turn in the same rate as new messages instead of adding to it.
	 */
	beforeRetry?: () => Promise<void>;
	timeoutMs?: number;
	/**
	 * Error answers that still carry a result the caller reads (Meta's block/unblock answers a partial
	 * failure with 400 plus the users that did and did not work): returned like a success when true.
	 */
	acceptError?: (statusCode: number, body: unknown) => boolean;
}

export interface StreamedBody {
	/** The body's bytes, read as the request goes out. */
	chunks: AsyncGenerator<Uint8Array>;
	contentType: string;
	contentLength: number;
	/** Called when the attempt is over (answered or failed), read to the end or not: closes the source. */
	release?: () => void;
}

/**
 * The streamed body in the shape of a Blob: n8n's request helper passes it to axios, which sends a
 * Blob as a stream of what `stream()` yields, with the Blob's size as Content-Length and its type
 * as Content-Type. So nothing is buffered, and the node needs no stream module.
 */
function blobShaped(body: StreamedBody): object {
	return {
		[Symbol.toStringTag]: 'Blob',
		size: body.contentLength,
		type: body.contentType,
		stream: () => body.chunks,
	};
}

export interface Dialog360Response<T> {
	body: T;
	statusCode: number;
	headers: Record<string, unknown>;
	/** Attempts used, 1 when the first try succeeded. */
	attempts: number;
}

export function resolveBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = (credentials.environment as Environment | undefined) ?? 'production';
	if (environment === 'custom') {
		const custom = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
		return trimTrailingSlashes(custom);
	}
	return environment === 'sandbox' ? BASE_URLS.sandbox : BASE_URLS.production;
}

/** The sandbox sends messages to `/v1/messages`; production and custom hosts use `/messages`. */
export function apiPath(environment: Environment, path: string): string {
	if (environment === 'sandbox' && path === '/messages') return '/v1/messages';
	return path;
}

export async function getConnection(this: Dialog360Context): Promise<Dialog360Connection> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const environment = (credentials.environment as Environment | undefined) ?? 'production';
	const baseUrl = resolveBaseUrl(credentials);
	if (!/^https?:\/\//.test(baseUrl)) {
		throw new NodeApiError(this.getNode(), {} as JsonObject, {
			message: `The 360dialog credential has no valid base URL ("${baseUrl}")`,
			description: 'With the environment "Custom Base URL", set Base URL to something like http://127.0.0.1:4360.',
		});
	}
	return { baseUrl, environment, credentials };
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const seconds = Number(text);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(String(text));
	return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number): number {
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	// "Equal jitter": at least half the step, so a retry storm still spreads but never hammers.
	return ceiling / 2 + Math.random() * (ceiling / 2);
}

export const PAIR_RATE_REASON = 'pair rate limit 131056';

/** Why an answer may be retried, or undefined when it must not be. */
export function retryReason(statusCode: number, parsed: ParsedApiError | undefined): string | undefined {
	if (statusCode === 429) return 'HTTP 429';
	if (statusCode === 503) return 'HTTP 503';
	if (parsed?.code === 130429) return 'rate limit 130429';
	if (parsed?.code === PAIR_RATE_LIMIT_CODE) return PAIR_RATE_REASON;
	return undefined;
}

const NOT_SENT_ERROR_CODES = new Set(['ECONNREFUSED']);

function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function isSuccess(statusCode: number): boolean {
	return statusCode >= 200 && statusCode < 300;
}

async function readStreamText(stream: NodeJS.ReadableStream, limit = 64 * 1024): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
		if (size < limit) chunks.push(buffer);
		size += buffer.length;
	}
	return Buffer.concat(chunks).toString('utf8').slice(0, limit);
}

async function errorBodyOf(body: unknown): Promise<unknown> {
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	if (body && typeof (body as NodeJS.ReadableStream).pipe === 'function') {
		return await readStreamText(body as NodeJS.ReadableStream);
	}
	return body;
}

/** Builds the NodeApiError users see. Built from the parsed body only: no request config, no key. */
export function toNodeApiError(
	context: Dialog360Context,
	parsed: ParsedApiError,
	request: Pick<Dialog360Request, 'itemIndex' | 'errorContext'>,
): NodeApiError {
	const { message, description } = describeApiError(parsed, request.errorContext);
	const errorJson: JsonObject = {
		message,
		...(parsed.code !== undefined ? { code: parsed.code } : {}),
		...(parsed.details ? { details: parsed.details } : {}),
		...(parsed.fbtraceId ? { fbtraceId: parsed.fbtraceId } : {}),
	};
	return new NodeApiError(context.getNode(), errorJson, {
		message,
		description,
		httpCode: parsed.httpStatus !== undefined ? String(parsed.httpStatus) : undefined,
		itemIndex: request.itemIndex,
	});
}

/**
 * Sends one request and returns the full response. Throws NodeApiError for any non-2xx answer
 * once retries (see the module comment) are used up.
 */
export async function dialog360RequestFull<T = IDataObject>(
	this: Dialog360Context,
	request: Dialog360Request,
	connection?: Dialog360Connection,
): Promise<Dialog360Response<T>> {
	const conn = connection ?? (await getConnection.call(this));
	const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...request.retry };
	const url = request.url ?? `${conn.baseUrl}${apiPath(conn.environment, request.path ?? '/')}`;
	const isForm = typeof FormData !== 'undefined' && request.body instanceof FormData;

	for (let attempt = 1; ; attempt++) {
		const streamed = await request.openBody?.();
		const options: IHttpRequestOptions = {
			method: request.method,
			url,
			qs: request.qs,
			headers: {
				Accept: 'application/json',
				...request.headers,
				...(streamed ? { 'Content-Type': streamed.contentType, 'Content-Length': String(streamed.contentLength) } : {}),
			},
			body: (streamed ? blobShaped(streamed) : request.body) as IHttpRequestOptions['body'],
			json: !isForm && !streamed && request.encoding !== 'stream' && request.encoding !== 'arraybuffer',
			encoding: request.encoding === 'json' ? undefined : request.encoding,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: request.timeoutMs ?? 60_000,
			// The redirect follower keeps every byte sent, to replay it after a redirect: a streamed
			// upload would end up in memory whole. The API answers uploads directly.
			...(streamed ? { disableFollowRedirect: true } : {}),
		};
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options, {
				credentialsDecrypted: { id: '', name: CREDENTIAL_TYPE, type: CREDENTIAL_TYPE, data: conn.credentials },
			})) as IN8nHttpFullResponse;
		} catch (error) {
			streamed?.release?.();
			const code = networkErrorCode(error);
			if (code && NOT_SENT_ERROR_CODES.has(code) && attempt < policy.maxAttempts) {
				const delayMs = backoffDelay(attempt, policy);
				request.onRetry?.({ attempt, delayMs, reason: code });
				await sleep(delayMs);
				await request.beforeRetry?.();
				continue;
			}
			// n8n rewrites messages that contain a raw network code, so the code goes in the description.
			const reason =
				code === 'ECONNREFUSED'
					? `360dialog refused the connection at ${conn.baseUrl} (${attempt} attempts)`
					: code
						? 'The request to 360dialog failed before an answer arrived. It may or may not have been processed, so it is not retried automatically.'
						: 'The request to 360dialog failed before an answer arrived.';
			throw new NodeApiError(this.getNode(), { message: reason } as JsonObject, {
				message: reason,
				description: `${code ? `Network error ${code}. ` : ''}Base URL: ${conn.baseUrl}. Check the environment and base URL of the 360dialog credential.`,
				itemIndex: request.itemIndex,
			});
		}

		// An answer may come before the whole body went out (a 429 early on): release the file.
		streamed?.release?.();
		const statusCode = response.statusCode;
		if (isSuccess(statusCode)) {
			return { body: response.body as T, statusCode, headers: response.headers as Record<string, unknown>, attempts: attempt };
		}
		if (request.acceptError?.(statusCode, response.body)) {
			return { body: response.body as T, statusCode, headers: response.headers as Record<string, unknown>, attempts: attempt };
		}
		const parsed = parseErrorBody(await errorBodyOf(response.body), statusCode);
		const reason = retryReason(statusCode, parsed);
		if (reason && attempt < policy.maxAttempts) {
			const retryAfterMs = parseRetryAfter(
				(response.headers as Record<string, unknown>)['retry-after'],
				Date.now(),
			);
			const backoff = backoffDelay(attempt, policy, retryAfterMs);
			const delayMs = reason === PAIR_RATE_REASON ? Math.max(backoff, policy.pairRateDelayMs) : backoff;
			request.onRetry?.({ attempt, delayMs, reason });
			await sleep(delayMs);
			await request.beforeRetry?.();
			continue;
		}
		throw toNodeApiError(this, parsed, request);
	}
}

/** Like `dialog360RequestFull`, returning only the body. */
export async function dialog360Request<T = IDataObject>(
	this: Dialog360Context,
	request: Dialog360Request,
	connection?: Dialog360Connection,
): Promise<T> {
	const response = await dialog360RequestFull.call(this, request, connection);
	return response.body as T;
}

/** What `postToN8n` got back. */
export interface N8nPostResult {
	/** 0 when no answer arrived (network error). */
	statusCode: number;
	body: unknown;
	error?: string;
}

/**
 * POST a JSON body to a URL of this n8n itself (send-and-wait: the Trigger hands an answer to the
 * waiting webhook of an execution; the Send node registers a free-text question with the Trigger).
 * Never with the 360dialog credential: the API key must not reach any other URL. Never throws, never
 * retries (a waiting webhook must not be resumed twice); the caller reads the status.
 */
export async function postToN8n(
	this: IExecuteFunctions | IWebhookFunctions,
	url: string,
	body: IDataObject,
	headers: Record<string, string> = {},
): Promise<N8nPostResult> {
	try {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url,
			body,
			headers: { Accept: 'application/json', ...headers },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 30_000,
		})) as IN8nHttpFullResponse;
		return { statusCode: response.statusCode, body: response.body };
	} catch (error) {
		return { statusCode: 0, body: undefined, error: error instanceof Error ? error.message : String(error) };
	}
}

/** The body of a download with `encoding: 'stream'`: a Node stream. */
export type DownloadStream = NodeJS.ReadableStream & AsyncIterable<Buffer> & { destroy(): void };

/** A public link opened for reading: a 2xx answer's body as a stream, with what its headers say. */
export interface OpenedLink {
	stream: DownloadStream;
	contentType?: string;
	/** From Content-Length; undefined when the server sent none (chunked). */
	contentLength?: number;
}

/**
 * GET a public media link as a stream (the Send node's media reuse downloads a link to upload it).
 * Never with the 360dialog credential: the API key must not reach any other host. Never retries.
 * A non-2xx answer throws a FieldError on `field` naming the status; network errors are thrown as
 * they come (the caller turns every failure into "sent by link").
 */
export async function openLink(this: IExecuteFunctions, url: string, field: string, timeoutMs = 30_000): Promise<OpenedLink> {
	const response = (await this.helpers.httpRequest({
		method: 'GET',
		url,
		// Uncompressed, so Content-Length is the file's size (the client would unpack without saying so).
		headers: { 'Accept-Encoding': 'identity' },
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
	})) as IN8nHttpFullResponse;
	const stream = response.body as DownloadStream;
	if (response.statusCode < 200 || response.statusCode >= 300) {
		stream?.destroy?.();
		throw new FieldError(field, `the download answered HTTP ${response.statusCode}`);
	}
	const header = (name: string) => {
		const value = (response.headers as Record<string, unknown>)[name];
		return typeof value === 'string' ? value : undefined;
	};
	const lengthText = header('content-length');
	const length = Number(lengthText);
	return {
		stream,
		contentType: header('content-type'),
		contentLength: lengthText !== undefined && lengthText.trim() !== '' && Number.isSafeInteger(length) && length >= 0 ? length : undefined,
	};
}
