/**
 * The streamed multipart body (nodes/common/multipart.ts): exact bytes and length, header escaping,
 * a file that is shorter or longer than announced, and the chunked base64 decoding of in-memory
 * binary data. The upload itself (through n8n-core, against the emulator): test/integration.
 */
import { randomBytes } from 'node:crypto';

import { base64Chunks, isPlainBase64, multipartBody, rawFileBody } from '../../nodes/common/multipart';

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
	const parts: Buffer[] = [];
	for await (const chunk of chunks) parts.push(chunk);
	return Buffer.concat(parts);
}

async function* inPieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
	for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

describe('multipartBody', () => {
	it('writes the exact multipart/form-data bytes, and Content-Length is their count', async () => {
		const file = Buffer.from('%PDF-1.4 hello');
		const body = multipartBody(
			{ messaging_product: 'whatsapp' },
			{ field: 'file', fileName: 'invoice.pdf', contentType: 'application/pdf', sizeBytes: file.length },
			'BOUNDARY',
		);
		const bytes = await collect(body.chunks(inPieces(file, 3)));
		expect(bytes.toString('utf8')).toBe(
			'--BOUNDARY\r\n' +
				'Content-Disposition: form-data; name="messaging_product"\r\n\r\n' +
				'whatsapp\r\n' +
				'--BOUNDARY\r\n' +
				'Content-Disposition: form-data; name="file"; filename="invoice.pdf"\r\n' +
				'Content-Type: application/pdf\r\n\r\n' +
				'%PDF-1.4 hello\r\n' +
				'--BOUNDARY--\r\n',
		);
		expect(body.contentLength).toBe(bytes.length);
		expect(body.contentType).toBe('multipart/form-data; boundary=BOUNDARY');
	});

	it('keeps binary bytes intact and counts UTF-8 file names in bytes', async () => {
		const file = randomBytes(100_000);
		const body = multipartBody({ messaging_product: 'whatsapp' }, { field: 'file', fileName: 'Rechnung für Jürgen.pdf', contentType: 'application/pdf', sizeBytes: file.length });
		const bytes = await collect(body.chunks(inPieces(file, 4096)));
		expect(bytes.length).toBe(body.contentLength);
		const start = bytes.indexOf('\r\n\r\n', bytes.indexOf('filename=')) + 4;
		expect(bytes.subarray(start, start + file.length).equals(file)).toBe(true);
		expect(bytes.toString('utf8')).toContain('filename="Rechnung für Jürgen.pdf"');
	});

	it('percent-encodes quotes and line breaks in the file name, so they cannot end the header', async () => {
		const body = multipartBody({}, { field: 'file', fileName: 'a"b\r\nc.png', contentType: 'image/png', sizeBytes: 1 }, 'B');
		const text = (await collect(body.chunks([Buffer.from('x')]))).toString('utf8');
		expect(text).toBe('--B\r\nContent-Disposition: form-data; name="file"; filename="a%22b%0D%0Ac.png"\r\nContent-Type: image/png\r\n\r\nx\r\n--B--\r\n');
	});

	it('opens a fresh body each time, with a new boundary per body unless one is given', async () => {
		const first = multipartBody({}, { field: 'file', fileName: 'f', contentType: 'text/plain', sizeBytes: 2 });
		const second = multipartBody({}, { field: 'file', fileName: 'f', contentType: 'text/plain', sizeBytes: 2 });
		expect(first.contentType).not.toBe(second.contentType);
		const once = await collect(first.chunks([Buffer.from('hi')]));
		const again = await collect(first.chunks([Buffer.from('hi')]));
		expect(again.equals(once)).toBe(true);
	});

	it('fails when the file is shorter or longer than announced (the Content-Length would be wrong)', async () => {
		const body = multipartBody({}, { field: 'file', fileName: 'f', contentType: 'text/plain', sizeBytes: 5 });
		await expect(collect(body.chunks([Buffer.from('abc')]))).rejects.toThrow('the file ended after 3 of 5 bytes');
		await expect(collect(body.chunks([Buffer.from('abcdef')]))).rejects.toThrow('the file is larger than the 5 bytes announced');
	});
});

describe('base64Chunks', () => {
	it.each([0, 1, 2, 3, 48 * 1024 - 1, 48 * 1024, 48 * 1024 + 1, 200_003])('decodes %i bytes chunk by chunk to the same bytes', (size) => {
		const bytes = randomBytes(size);
		const base64 = bytes.toString('base64');
		const chunks = [...base64Chunks(base64)];
		expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
		expect(chunks.every((chunk) => chunk.length <= 48 * 1024)).toBe(true);
		expect(Buffer.byteLength(base64, 'base64')).toBe(size);
	});

	it('tells base64 it can decode in chunks from text with line breaks', () => {
		expect(isPlainBase64(randomBytes(300).toString('base64'))).toBe(true);
		expect(isPlainBase64('QUJD\nREVG')).toBe(false);
		expect(isPlainBase64('QQ==QQ==')).toBe(false);
		expect(isPlainBase64('')).toBe(true);
	});
});

describe('rawFileBody (the resumable upload sends the file alone)', () => {
	it('is exactly the file’s bytes, with its length and type', async () => {
		const file = randomBytes(70_000);
		const body = rawFileBody('application/octet-stream', file.length);
		expect((await collect(body.chunks(inPieces(file, 1000)))).equals(file)).toBe(true);
		expect([body.contentLength, body.contentType]).toEqual([70_000, 'application/octet-stream']);
	});

	it('refuses a file shorter or longer than announced instead of sending a broken body', async () => {
		await expect(collect(rawFileBody('image/png', 10).chunks([Buffer.alloc(9)]))).rejects.toThrow('the file ended after 9 of 10 bytes');
		await expect(collect(rawFileBody('image/png', 10).chunks([Buffer.alloc(11)]))).rejects.toThrow('the file is larger than the 10 bytes announced');
	});
});
