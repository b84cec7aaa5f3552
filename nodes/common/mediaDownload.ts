/**
 * Media id → n8n binary data
 * (https://docs.360dialog.com/docs/waba-messaging/media/upload-retrieve-or-delete-media).
 * Shared by the Media node (Get Info, Download, Delete) and the Trigger's "download inbound
 * media" option.
 *
 * Download = `GET /{media-id}` for the short-lived Meta URL, host rewrite to the credential's
 * base URL (360dialog proxies Meta's lookaside host), then `GET` of that URL with the key. The
 * body is streamed straight into `helpers.prepareBinaryData`, so in filesystem/S3 binary mode
 * a large file never sits in memory whole. The SHA-256 is computed while the bytes flow.
 *
 * Media GETs count towards 360dialog's error throttle (too many failed media GETs block them
 * for up to an hour), so failing GETs are never retried in a loop: no automatic retries, and an
 * expired download URL is resolved again exactly once.
 */
import { createHash } from 'crypto';
import {
	NodeApiError,
	NodeOperationError,
	type IBinaryData,
	type IExecuteFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { baseMimeType } from './mediaLimits';
import { dialog360Request, dialog360RequestFull, type Dialog360Connection } from './transport';
import { FieldError } from './validation';

/** Contexts that can both make requests and store binary data. */
export type MediaContext = IExecuteFunctions | IWebhookFunctions;

/** The host in `url` of `GET /{media-id}`; 360dialog serves the same path and query itself. */
export const META_MEDIA_HOST = 'https://lookaside.fbsbx.com';

/** No automatic retries for media GETs: 360dialog blocks media GETs for a while after repeated failures. */
const NO_RETRY = { maxAttempts: 1 } as const;

/** Download statuses that may mean "the 5-minute URL expired": worth one fresh `GET /{media-id}`. */
const EXPIRED_URL_STATUSES = new Set(['400', '401', '403', '404', '410']);

export interface MediaInfo {
	mediaId: string;
	/** Meta's download URL as the API gave it (valid for 5 minutes). */
	url: string;
	mimeType?: string;
	/** As the API gives it (hex or base64). */
	sha256?: string;
	fileSize?: number;
}

/** What a webhook item already knows about the media (Trigger fields mimeType/filename/sha256). */
export interface KnownMediaDetails {
	mimeType?: string;
	/** Original file name (documents); used as the binary's file name. */
	fileName?: string;
	/** Expected SHA-256 (hex or base64); used only when `GET /{media-id}` gives none. */
	sha256?: string;
}

export interface DownloadMediaOptions extends KnownMediaDetails {
	/** Item the download belongs to, for the error's item index. */
	itemIndex?: number;
	/** Idle timeout of each request; default 5 minutes. */
	timeoutMs?: number;
}

export interface DownloadedMedia {
	/** n8n binary data: in filesystem/S3 mode it has an `id` and no inline data. */
	binary: IBinaryData;
	/** The `GET /{media-id}` answer the file was downloaded with (the fresh one after a re-resolve). */
	info: MediaInfo;
	mimeType: string;
	fileName: string;
	/** Bytes received. */
	fileSize: number;
	/** SHA-256 of the received bytes, hex. */
	sha256: string;
	/** True when an expected SHA-256 was known and matched; false when there was none to check. */
	sha256Verified: boolean;
	/** True when the first download URL had expired and was resolved again. */
	urlRefreshed: boolean;
}

/** Media ids are numeric. Checking first keeps odd input out of the URL path and saves failed GETs. */
export function normalizeMediaId(value: unknown, field = 'Media ID'): string {
	const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (text === '') throw new FieldError(field, `${field} is required`);
	if (!/^\d{1,40}$/.test(text)) {
		throw new FieldError(field, `${field} must be the numeric ID of a WhatsApp media file, got "${text.slice(0, 80)}"`);
	}
	return text;
}

/**
 * Replaces `https://lookaside.fbsbx.com` with the credential's base URL, keeping path and the full
 * query (360dialog proxies Meta's lookaside host). A URL already on the base URL's host is kept;
 * any other host is refused, so the API key is never sent elsewhere.
 */
export function rewriteMediaUrl(url: string, baseUrl: string): string {
	const base = baseUrl.replace(/\/+$/, '');
	if (!URL.canParse(url)) throw new Error(`360dialog returned an invalid media URL "${url.slice(0, 200)}"`);
	const parsed = new URL(url);
	const baseParsed = new URL(base);
	const rest = `${parsed.pathname}${parsed.search}`;
	if (parsed.origin === new URL(META_MEDIA_HOST).origin || parsed.origin === baseParsed.origin) {
		return `${base}${rest}`;
	}
	throw new Error(
		`360dialog returned a media URL on an unexpected host (${parsed.host}); it is not requested, so the API key is not sent there`,
	);
}

const EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'video/mp4': 'mp4',
	'video/3gpp': '3gp',
	'audio/aac': 'aac',
	'audio/amr': 'amr',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/ogg': 'ogg',
	'audio/opus': 'opus',
	'text/plain': 'txt',
	'application/pdf': 'pdf',
	'application/msword': 'doc',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
	'application/vnd.ms-excel': 'xls',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
	'application/vnd.ms-powerpoint': 'ppt',
	'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
};

/** File extension for a MIME type (`bin` when unknown). */
export function extensionForMimeType(mimeType: string | undefined): string {
	if (!mimeType) return 'bin';
	return EXTENSIONS[baseMimeType(mimeType)] ?? 'bin';
}

/** The known file name (documents) without path parts, else `<media-id>.<ext from MIME type>`. */
export function mediaFileName(mediaId: string, mimeType: string | undefined, fileName?: string): string {
	const known = Array.from(fileName ?? '')
		.filter((char) => char.charCodeAt(0) >= 0x20)
		.join('')
		.replace(/[/\\]/g, '_')
		.trim();
	if (known !== '' && known !== '.' && known !== '..') return known;
	return `${mediaId}.${extensionForMimeType(mimeType)}`;
}

/** Whether `actual` (hex SHA-256) matches `expected`, which the API may give as hex or base64. */
export function sha256Matches(expected: string, actualHex: string): boolean {
	const text = expected.trim();
	if (/^[0-9a-f]{64}$/i.test(text)) return text.toLowerCase() === actualHex;
	const actualBase64 = Buffer.from(actualHex, 'hex').toString('base64');
	const normalize = (value: string) => value.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
	return normalize(text) === normalize(actualBase64);
}

function asOptionalString(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	return undefined;
}

function asOptionalNumber(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs a request and returns its error instead of throwing, so the caller can map it. */
async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	try {
		return { ok: true, value: await promise };
	} catch (error) {
		return { ok: false, error };
	}
}

function errorCode(error: unknown): number | undefined {
	const code = (error as { errorResponse?: { code?: unknown } })?.errorResponse?.code;
	return typeof code === 'number' ? code : undefined;
}

/** The most specific text of an API error: Graph `error_data.details` when given, else its message. */
function apiSaid(error: NodeApiError): string {
	const details = (error.errorResponse as { details?: unknown } | undefined)?.details;
	return typeof details === 'string' && details.trim() !== '' ? details.trim() : error.message;
}

function httpCodeOf(error: unknown): string | undefined {
	const code = (error as { httpCode?: unknown })?.httpCode;
	return typeof code === 'string' ? code : undefined;
}

/**
 * Whether an error of `GET /{media-id}` (or DELETE) means the id does not exist: HTTP 404, or the
 * Graph "object does not exist" answer (code 100) that Meta gives for unknown, deleted or expired ids.
 */
export function isMediaNotFound(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	if (error.httpCode === '404' || error.httpCode === '410') return true;
	const text = `${error.message} ${error.description ?? ''}`;
	return (
		(errorCode(error) === 100 || error.httpCode === '400') &&
		/does not exist|not found|unknown media|invalid media|expired|Unsupported get request/i.test(text)
	);
}

function notFoundError(context: MediaContext, mediaId: string, cause: NodeApiError, itemIndex?: number): NodeApiError {
	const message = `Media ${mediaId} was not found: the ID is unknown, was deleted, or has expired`;
	return new NodeApiError(context.getNode(), { message, httpCode: cause.httpCode ?? '' } as JsonObject, {
		message,
		description:
			'Uploaded media is kept for 30 days after its last use; media IDs from incoming messages can be downloaded only for a limited time, so download them promptly and keep the file. ' +
			`360dialog said: ${apiSaid(cause)}`,
		httpCode: cause.httpCode ?? undefined,
		itemIndex,
	});
}

function downloadFailedError(context: MediaContext, mediaId: string, cause: NodeApiError, itemIndex?: number): NodeApiError {
	const status = cause.httpCode ? ` (HTTP ${cause.httpCode})` : '';
	const message = `The download of media ${mediaId} failed twice${status}, also with a fresh download URL`;
	return new NodeApiError(context.getNode(), { message, httpCode: cause.httpCode ?? '' } as JsonObject, {
		message,
		description:
			`360dialog said: ${apiSaid(cause)}. It is not tried again automatically: repeated failed media requests ` +
			'get media downloads blocked for up to an hour. Try again later.',
		httpCode: cause.httpCode ?? undefined,
		itemIndex,
	});
}

/** `GET /{media-id}`: the short-lived download URL and the file's metadata. */
export async function getMediaInfo(
	context: MediaContext,
	connection: Dialog360Connection,
	mediaId: string,
	itemIndex?: number,
): Promise<MediaInfo> {
	const id = normalizeMediaId(mediaId);
	const result = await settle(
		dialog360Request.call(
			context,
			{ method: 'GET', path: `/${id}`, itemIndex, retry: NO_RETRY },
			connection,
		) as Promise<Record<string, unknown>>,
	);
	if (!result.ok) throw isMediaNotFound(result.error) ? notFoundError(context, id, result.error as NodeApiError, itemIndex) : result.error;
	const body = result.value;
	const url = asOptionalString(body?.url);
	if (!url) {
		throw new NodeOperationError(context.getNode(), `360dialog answered GET /${id} without a download URL`, { itemIndex });
	}
	return {
		mediaId: asOptionalString(body.id) ?? id,
		url,
		mimeType: asOptionalString(body.mime_type),
		sha256: asOptionalString(body.sha256),
		fileSize: asOptionalNumber(body.file_size),
	};
}

/** `DELETE /{media-id}`. Unknown ids give the same clear "not found" error as downloads. */
export async function deleteMedia(
	context: MediaContext,
	connection: Dialog360Connection,
	mediaId: string,
	itemIndex?: number,
): Promise<void> {
	const id = normalizeMediaId(mediaId);
	const result = await settle(
		dialog360Request.call(
			context,
			{ method: 'DELETE', path: `/${id}`, itemIndex, retry: NO_RETRY },
			connection,
		) as Promise<Record<string, unknown>>,
	);
	if (!result.ok) throw isMediaNotFound(result.error) ? notFoundError(context, id, result.error as NodeApiError, itemIndex) : result.error;
	const body = result.value;
	if (body && body.success === false) {
		throw new NodeOperationError(context.getNode(), `360dialog did not delete media ${id}`, { itemIndex });
	}
}

type BinaryInput = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

interface StoredStream {
	binary: IBinaryData;
	sha256: string;
	bytes: number;
}

/**
 * Hands `stream` to `prepareBinaryData` while hashing it. The hash listens with
 * `prependListener('data')`: unlike `on('data')` it does not switch the stream to flowing mode,
 * so no chunk can pass before n8n's consumer is attached; every chunk a consumer takes (pipe,
 * 'data' listener or async iteration, which reads through `read()`) is emitted as 'data' once.
 * No `stream` import needed, and the file is never buffered here.
 */
async function storeHashed(
	context: MediaContext,
	stream: NodeJS.ReadableStream,
	fileName: string,
	mimeType: string,
): Promise<StoredStream> {
	const hash = createHash('sha256');
	let bytes = 0;
	const onData = (chunk: Buffer | string) => {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		bytes += buffer.length;
		hash.update(buffer);
	};
	const emitter = stream as NodeJS.ReadableStream & {
		prependListener(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
	};
	emitter.prependListener('data', onData);
	let consumed = false;
	try {
		const binary = await context.helpers.prepareBinaryData(stream as unknown as BinaryInput, fileName, mimeType);
		consumed = true;
		return { binary, sha256: hash.digest('hex'), bytes };
	} finally {
		stream.removeListener('data', onData);
		// A failed store must not leave the response (and its socket) open.
		if (!consumed) (stream as { destroy?: () => void }).destroy?.();
	}
}

async function fetchStream(
	context: MediaContext,
	connection: Dialog360Connection,
	info: MediaInfo,
	options: DownloadMediaOptions,
) {
	let url: string;
	try {
		url = rewriteMediaUrl(info.url, connection.baseUrl);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, { itemIndex: options.itemIndex });
	}
	return await dialog360RequestFull.call(
		context,
		{
			method: 'GET',
			url,
			headers: { Accept: '*/*' },
			encoding: 'stream',
			itemIndex: options.itemIndex,
			retry: NO_RETRY,
			timeoutMs: options.timeoutMs ?? 300_000,
		},
		connection,
	);
}

/**
 * Resolves `mediaId`, downloads the file through 360dialog and stores it as n8n binary data.
 *
 * - An expired URL (the download answers 400/401/403/404/410) is resolved again once.
 * - The SHA-256 is checked when the API (or, failing that, `options.sha256`) gives one; a mismatch
 *   throws. The byte count is checked against `file_size` when given.
 * - Unknown, deleted or expired ids throw a NodeApiError "Media <id> was not found: …".
 */
export async function downloadMedia(
	context: MediaContext,
	connection: Dialog360Connection,
	mediaId: string,
	options: DownloadMediaOptions = {},
): Promise<DownloadedMedia> {
	const { itemIndex } = options;
	let info = await getMediaInfo(context, connection, mediaId, itemIndex);
	let urlRefreshed = false;
	let attempt = await settle(fetchStream(context, connection, info, options));
	if (!attempt.ok) {
		const status = httpCodeOf(attempt.error);
		if (!(attempt.error instanceof NodeApiError) || status === undefined || !EXPIRED_URL_STATUSES.has(status)) {
			throw attempt.error;
		}
		// Most likely the 5-minute URL expired between the two requests: one fresh URL, no loop.
		info = await getMediaInfo(context, connection, mediaId, itemIndex);
		urlRefreshed = true;
		attempt = await settle(fetchStream(context, connection, info, options));
		if (!attempt.ok) {
			const retryError = attempt.error;
			throw retryError instanceof NodeApiError ? downloadFailedError(context, info.mediaId, retryError, itemIndex) : retryError;
		}
	}
	const response = attempt.value;

	const headerType = asOptionalString(response.headers['content-type']);
	const mimeType = info.mimeType ?? asOptionalString(options.mimeType) ?? headerType ?? 'application/octet-stream';
	const fileName = mediaFileName(info.mediaId, mimeType, options.fileName);
	const storing = await settle(storeHashed(context, response.body as NodeJS.ReadableStream, fileName, mimeType));
	if (!storing.ok) {
		throw new NodeOperationError(
			context.getNode(),
			`The download of media ${info.mediaId} was interrupted: ${(storing.error as Error)?.message ?? String(storing.error)}`,
			{ itemIndex, description: 'The connection may have dropped, or the binary data storage of n8n failed. Download it again.' },
		);
	}
	const stored = storing.value;

	const expected = info.sha256 ?? asOptionalString(options.sha256);
	if (expected !== undefined && !sha256Matches(expected, stored.sha256)) {
		throw new NodeOperationError(
			context.getNode(),
			`The downloaded media ${info.mediaId} is damaged: its SHA-256 does not match the one WhatsApp gave`,
			{
				itemIndex,
				description: `Expected ${expected}, received ${stored.sha256} (hex) over ${stored.bytes} bytes. Download it again; if it keeps failing, ask the sender to send the file again.`,
			},
		);
	}
	if (info.fileSize !== undefined && info.fileSize !== stored.bytes) {
		throw new NodeOperationError(
			context.getNode(),
			`The downloaded media ${info.mediaId} is incomplete: received ${stored.bytes} of ${info.fileSize} bytes`,
			{ itemIndex, description: 'The connection may have dropped. Download it again.' },
		);
	}
	return {
		binary: stored.binary,
		info,
		mimeType,
		fileName,
		fileSize: stored.bytes,
		sha256: stored.sha256,
		sha256Verified: expected !== undefined,
		urlRefreshed,
	};
}
