/**
 * Media round trip (https://docs.360dialog.com/docs/waba-messaging/media/upload-retrieve-or-delete-media):
 * upload → info → download through the 360dialog proxy path → URL expiry → delete, plus the
 * per-kind MIME and size limits
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types),
 * and the inbound media behind the webhook fixtures' media IDs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

import type { AxiosInstance } from 'axios';

import { MEDIA_LIMITS, startEmulator, type Emulator } from './index';
import { apiClient, controlClient } from './testUtils';
import { fixtureMediaFiles, fixtureMediaReferences } from './webhookPayloads';

let emulator: Emulator;
let api: AxiosInstance;

beforeAll(async () => {
	emulator = await startEmulator();
	api = apiClient(emulator);
});

afterAll(() => emulator.close());

beforeEach(() => emulator.reset());

function form(file: Buffer | null, mimeType: string, filename = 'file.bin', messagingProduct: string | null = 'whatsapp'): FormData {
	const data = new FormData();
	if (messagingProduct !== null) data.append('messaging_product', messagingProduct);
	if (file) data.append('file', new Blob([file], { type: mimeType }), filename);
	return data;
}

async function upload(file: Buffer, mimeType: string, filename?: string) {
	return api.post('/media', form(file, mimeType, filename));
}

/** What a client does with the lookaside URL (360dialog proxies it): keep path and query, swap the host. */
const proxied = (lookasideUrl: string): string => lookasideUrl.replace('https://lookaside.fbsbx.com', emulator.url);

describe('media round trip', () => {
	const photo = randomBytes(64 * 1024);

	it('counts successful uploads for GET /_emulator/media (refused ones and deletes do not change it); reset clears it', async () => {
		const control = controlClient(emulator);
		const first = (await upload(photo, 'image/jpeg', 'a.jpg')).data.id as string;
		await upload(photo, 'image/png', 'b.png');
		expect((await upload(photo, 'application/zip', 'c.zip')).status).toBe(400);
		await api.delete(`/${first}`);

		const listed = (await control.get('/media')).data;
		expect(listed).toEqual({
			uploads: 2,
			media: [{ id: expect.any(String), kind: 'image', mimeType: 'image/png', filename: 'b.png', fileSize: photo.length, sha256: createHash('sha256').update(photo).digest('hex') }],
		});
		expect(emulator.mediaUploads()).toBe(2);
		await control.post('/reset', {});
		expect((await control.get('/media')).data).toEqual({ uploads: 0, media: [] });
	});

	it('uploads, describes, downloads and deletes a file', async () => {
		const uploaded = await upload(photo, 'image/jpeg', 'photo.jpg');
		expect(uploaded.status).toBe(200);
		expect(uploaded.data).toEqual({ id: expect.stringMatching(/^\d+$/) });
		const id = uploaded.data.id as string;

		const info = await api.get(`/${id}`);
		expect(info.status).toBe(200);
		expect(info.data).toEqual({
			messaging_product: 'whatsapp',
			url: expect.stringMatching(/^https:\/\/lookaside\.fbsbx\.com\/whatsapp_business\/attachments\/\?mid=\d+&ext=\d+&hash=[\w-]+$/),
			mime_type: 'image/jpeg',
			sha256: createHash('sha256').update(photo).digest('base64'),
			file_size: photo.length,
			id,
		});
		expect(new URL(info.data.url).searchParams.get('mid')).toBe(id);

		const download = await api.get(proxied(info.data.url), { responseType: 'arraybuffer' });
		expect(download.status).toBe(200);
		expect(download.headers['content-type']).toBe('image/jpeg');
		expect(download.headers['content-disposition']).toBe('attachment; filename="photo.jpg"');
		expect(Buffer.from(download.data).equals(photo)).toBe(true);

		expect((await api.delete(`/${id}`)).data).toEqual({ success: true });
		const gone = await api.get(`/${id}`);
		expect(gone.status).toBe(404);
		expect(gone.data.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
		expect((await api.get(proxied(info.data.url))).status).toBe(404);
		expect((await api.delete(`/${id}`)).status).toBe(404);
	});

	it('streams uploads to a temp file, which reset removes', async () => {
		const id = (await upload(photo, 'image/png', 'photo.png')).data.id as string;
		const stored = emulator.state.media.get(id);

		expect(stored).toBeDefined();
		expect(statSync(stored!.filePath).size).toBe(photo.length);
		await emulator.reset();
		expect(() => statSync(stored!.filePath)).toThrow();
	});

	it('gives every GET a new URL, and each works', async () => {
		const id = (await upload(photo, 'image/jpeg')).data.id as string;
		const first = (await api.get(`/${id}`)).data.url as string;
		const second = (await api.get(`/${id}`)).data.url as string;

		expect(second).not.toBe(first);
		expect((await api.get(proxied(first))).status).toBe(200);
		expect((await api.get(proxied(second))).status).toBe(200);
	});

	it('requires the API key to download', async () => {
		const id = (await upload(photo, 'image/jpeg')).data.id as string;
		const url = (await api.get(`/${id}`)).data.url as string;

		expect((await apiClient(emulator, null).get(proxied(url))).status).toBe(401);
	});

	it('refuses a URL whose hash was tampered with', async () => {
		const id = (await upload(photo, 'image/jpeg')).data.id as string;
		const url = new URL(proxied((await api.get(`/${id}`)).data.url));
		url.searchParams.set('hash', 'forged');

		const response = await api.get(url.toString());
		expect(response.status).toBe(404);
		expect(response.data.error.error_data.details).toContain('not valid');
	});

	it('can report sha256 in hex', async () => {
		emulator.configure({ sha256Encoding: 'hex' });
		const id = (await upload(photo, 'image/jpeg')).data.id as string;

		expect((await api.get(`/${id}`)).data.sha256).toBe(createHash('sha256').update(photo).digest('hex'));
	});

	it('answers the Graph not-found error for unknown and non-numeric ids', async () => {
		for (const id of ['999999999', 'not-a-media-id']) {
			const response = await api.get(`/${id}`);
			expect(response.status).toBe(404);
			expect(response.data.error.code).toBe(100);
			expect(response.data.error.message).toContain(`'${id}' does not exist`);
		}
	});
});

describe('download URL expiry', () => {
	it('expires URLs on request through the control API; a new GET gives a working URL', async () => {
		const id = (await upload(Buffer.from('%PDF-1.4 test'), 'application/pdf', 'invoice.pdf')).data.id as string;
		const old = (await api.get(`/${id}`)).data.url as string;

		expect((await controlClient(emulator).post('/media/expire-urls')).data).toEqual({ expired: 1 });
		const expired = await api.get(proxied(old));
		expect(expired.status).toBe(404);
		expect(expired.data.error.error_data.details).toContain('has expired');

		const fresh = (await api.get(`/${id}`)).data.url as string;
		expect((await api.get(proxied(fresh))).status).toBe(200);
	});

	it('expires URLs after the TTL (default 5 minutes, settable)', async () => {
		expect(emulator.settings.mediaUrlTtlMs).toBe(5 * 60 * 1000);
		emulator.configure({ mediaUrlTtlMs: 20 });
		const id = (await upload(Buffer.from('hello'), 'text/plain', 'hello.txt')).data.id as string;
		const url = (await api.get(`/${id}`)).data.url as string;

		await new Promise((wait) => setTimeout(wait, 40));
		expect((await api.get(proxied(url))).status).toBe(404);
	});
});

describe('upload limits', () => {
	it.each([
		['image over 5 MB', 'image/jpeg', MEDIA_LIMITS.image.maxBytes + 1, 'larger than the image limit of 5 MB'],
		['sticker over 500 KB', 'image/webp', MEDIA_LIMITS.sticker.maxBytes + 1, 'larger than the sticker limit of 500 KB'],
		['audio over 16 MB', 'audio/mpeg', MEDIA_LIMITS.audio.maxBytes + 1, 'larger than the audio limit of 16 MB'],
	])('%s → 131053 naming the kind and size', async (_case, mimeType, size, details) => {
		const response = await upload(Buffer.alloc(size), mimeType);

		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe(131053);
		expect(response.data.error.error_data.details).toContain(`${mimeType} of ${size} bytes`);
		expect(response.data.error.error_data.details).toContain(details);
		expect(emulator.state.media.list()).toHaveLength(0);
	});

	it('refuses a type WhatsApp does not support, naming it', async () => {
		const response = await upload(Buffer.from('GIF89a'), 'image/gif', 'anim.gif');

		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe(131053);
		expect(response.data.error.error_data.details).toContain('type "image/gif" is not supported');
	});

	it('accepts every documented type at its size limit', async () => {
		const sizes: Array<[string, number]> = [
			['image/png', MEDIA_LIMITS.image.maxBytes],
			['image/webp', MEDIA_LIMITS.sticker.maxBytes],
			['audio/ogg; codecs=opus', 1024],
			['video/mp4', 1024],
			['video/3gpp', 1024],
			['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 1024],
		];
		for (const [mimeType, size] of sizes) {
			const response = await upload(Buffer.alloc(size, 1), mimeType);
			expect([mimeType, response.status]).toEqual([mimeType, 200]);
			// The multipart parser keeps the media type without parameters, as Meta reports uploads.
			expect((await api.get(`/${response.data.id}`)).data.mime_type).toBe(mimeType.split(';')[0]);
		}
	});

	it('requires messaging_product=whatsapp and a file', async () => {
		const noProduct = await api.post('/media', form(Buffer.from('x'), 'text/plain', 'a.txt', null));
		const wrongProduct = await api.post('/media', form(Buffer.from('x'), 'text/plain', 'a.txt', 'instagram'));
		const noFile = await api.post('/media', form(null, 'text/plain'));
		const notMultipart = await api.post('/media', { messaging_product: 'whatsapp' });

		expect([noProduct.data.error.code, noProduct.data.error.error_data.details]).toEqual([131008, expect.stringContaining('messaging_product is required')]);
		expect(wrongProduct.data.error.code).toBe(131009);
		expect([noFile.data.error.code, noFile.data.error.error_data.details]).toEqual([131008, 'file is required']);
		expect(notMultipart.data.error.code).toBe(131008);
		expect(emulator.state.media.list()).toHaveLength(0);
	});
});

describe('inbound media: the media IDs of the webhook fixtures', () => {
	/** First bytes of each type (the files are tiny but real). */
	const MAGIC: Record<string, (bytes: Buffer) => boolean> = {
		'image/jpeg': (b) => b.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) && b.subarray(-2).equals(Buffer.from([0xff, 0xd9])),
		'video/mp4': (b) => b.toString('latin1', 4, 8) === 'ftyp',
		'audio/ogg': (b) => b.toString('latin1', 0, 4) === 'OggS' && b.toString('latin1', 28, 36) === 'OpusHead',
		'application/pdf': (b) => b.toString('latin1', 0, 5) === '%PDF-' && b.toString('latin1').trimEnd().endsWith('%%EOF'),
		'image/webp': (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
	};
	const references = fixtureMediaReferences();

	it('every fixture media object has a file, whose real SHA-256 the fixture declares', () => {
		expect(references.map((r) => r.fixture).sort()).toEqual(['message-audio', 'message-document', 'message-image', 'message-sticker', 'message-video']);
		const files = new Map(fixtureMediaFiles().map((file) => [file.id, file]));
		for (const reference of references) {
			const file = files.get(reference.id);
			expect([reference.fixture, file?.filePath]).toEqual([reference.fixture, expect.stringContaining(reference.id)]);
			const bytes = readFileSync(file!.filePath);
			expect([reference.fixture, createHash('sha256').update(bytes).digest('base64')]).toEqual([reference.fixture, reference.sha256]);
			expect([reference.fixture, MAGIC[reference.mimeType.split(';')[0]]?.(bytes)]).toEqual([reference.fixture, true]);
		}
	});

	it('are known from the start: GET /{media-id} describes them as the fixture does, and the download is the file', async () => {
		for (const reference of references) {
			const info = await api.get(`/${reference.id}`);
			expect(info.status).toBe(200);
			expect(info.data).toMatchObject({ messaging_product: 'whatsapp', id: reference.id, mime_type: reference.mimeType, sha256: reference.sha256 });
			const download = await api.get(proxied(info.data.url), { responseType: 'arraybuffer' });
			expect(download.status).toBe(200);
			const bytes = Buffer.from(download.data);
			expect(bytes.length).toBe(info.data.file_size);
			expect(createHash('sha256').update(bytes).digest('base64')).toBe(reference.sha256);
		}
		const document = references.find((r) => r.fixture === 'message-document')!;
		const url = (await api.get(`/${document.id}`)).data.url as string;
		expect((await api.get(proxied(url))).headers['content-disposition']).toBe('attachment; filename="invoice-4711.pdf"');
	});

	it('are not uploads, survive a DELETE only until reset, and keep their files', async () => {
		const image = references.find((r) => r.fixture === 'message-image')!;
		expect(emulator.state.media.list()).toHaveLength(0);
		expect(emulator.state.media.inbound().map((m) => m.id).sort()).toEqual(references.map((r) => r.id).sort());

		const { filePath } = emulator.state.media.get(image.id)!;
		expect((await api.delete(`/${image.id}`)).data).toEqual({ success: true });
		expect((await api.get(`/${image.id}`)).status).toBe(404);
		expect(statSync(filePath).isFile()).toBe(true);
		await emulator.reset();
		const again = await api.get(`/${image.id}`);
		expect(again.status).toBe(200);
		expect((await api.get(proxied(again.data.url))).status).toBe(200);
	});

	it('can be turned off', async () => {
		const none = await startEmulator({ inboundMedia: [] });
		try {
			expect((await apiClient(none).get('/1000000000000003')).status).toBe(404);
		} finally {
			await none.close();
		}
	});
});
