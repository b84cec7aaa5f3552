/**
 * A `multipart/form-data` body produced chunk by chunk: preamble (text fields and the file part's
 * headers), the file's bytes as they are read, and the closing boundary. The length is known up
 * front, so the request carries a Content-Length and the file is never held in memory whole.
 * (Plain async iteration: community nodes may not import node:stream; the transport hands the
 * chunks to the HTTP client, which streams them.)
 * Part headers are written as browsers and Node's FormData write them (RFC 7578): `"`, CR and LF
 * in names are percent-encoded, other characters go out as UTF-8.
 */
import { randomBytes } from 'node:crypto';

export interface MultipartFile {
	/** Form field name of the file part. */
	field: string;
	fileName: string;
	contentType: string;
	/** Exact byte count of the file; the stream must deliver exactly this many bytes. */
	sizeBytes: number;
}

export interface MultipartBody {
	contentType: string;
	contentLength: number;
	/** The body's bytes over `file` (the caller opens the file anew for every body). */
	chunks(file: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer>): AsyncGenerator<Buffer>;
}

function escapeHeaderValue(value: string): string {
	return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function newBoundary(): string {
	return `----n8n360dialog${randomBytes(12).toString('hex')}`;
}

/** Text fields first, the file last; `boundary` is fixed in tests, random otherwise. */
export function multipartBody(fields: Record<string, string>, file: MultipartFile, boundary = newBoundary()): MultipartBody {
	const fieldParts = Object.entries(fields).map(
		([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${escapeHeaderValue(name)}"\r\n\r\n${value}\r\n`,
	);
	const preamble = Buffer.from(
		`${fieldParts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="${escapeHeaderValue(file.field)}"; filename="${escapeHeaderValue(file.fileName)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
		'utf8',
	);
	const epilogue = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		contentLength: preamble.length + file.sizeBytes + epilogue.length,
		chunks: (source) => parts(preamble, source, file.sizeBytes, epilogue),
	};
}

/** The file's bytes alone as the body (the resumable upload), with the same length check as a multipart body. */
export function rawFileBody(contentType: string, sizeBytes: number): MultipartBody {
	const nothing = Buffer.alloc(0);
	return { contentType, contentLength: sizeBytes, chunks: (source) => parts(nothing, source, sizeBytes, nothing) };
}

async function* parts(
	preamble: Buffer,
	source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer>,
	sizeBytes: number,
	epilogue: Buffer,
): AsyncGenerator<Buffer> {
	yield preamble;
	let sent = 0;
	for await (const chunk of source) {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		sent += buffer.length;
		// More bytes than announced would break the Content-Length: stop rather than send a corrupt body.
		if (sent > sizeBytes) throw new Error(`the file is larger than the ${sizeBytes} bytes announced`);
		yield buffer;
	}
	if (sent !== sizeBytes) throw new Error(`the file ended after ${sent} of ${sizeBytes} bytes`);
	yield epilogue;
}

/** 48 KiB of bytes per chunk: a multiple of 3 bytes, so 64 Ki base64 characters, a multiple of 4. */
const BASE64_CHUNK_CHARS = 64 * 1024;

/**
 * Decodes n8n's in-memory binary data (one base64 string) chunk by chunk, so the decoded file is
 * never in memory whole next to its base64 text.
 */
export function* base64Chunks(base64: string): Generator<Buffer> {
	for (let offset = 0; offset < base64.length; offset += BASE64_CHUNK_CHARS) {
		yield Buffer.from(base64.slice(offset, offset + BASE64_CHUNK_CHARS), 'base64');
	}
}

/**
 * True when the base64 text decodes chunk by chunk: no whitespace or line breaks that would shift
 * the 4-character groups, padding only at the end.
 */
export function isPlainBase64(base64: string): boolean {
	return /^[A-Za-z0-9+/_-]*={0,2}$/.test(base64);
}
