/**
 * The Media node through n8n-core's engine against the local emulator: upload → info → download
 * round trips with identical bytes, media type and size checks before any request, expired
 * download URLs, delete, Continue On Fail, and downloads in n8n's filesystem binary mode.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import axios from 'axios';
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Dialog360Media } from '../../nodes/Dialog360Media/Dialog360Media.node';
import {
	extensionForMimeType,
	mediaFileName,
	normalizeMediaId,
	rewriteMediaUrl,
	sha256Matches,
} from '../../nodes/common/mediaDownload';
import { baseMimeType } from '../../nodes/common/mediaLimits';
import { configureBinaryMode, runNode, type BinaryMode } from '../support/n8nHarness';
import { emulatorCredential, useEmulator } from '../support/useEmulator';

let binaryDir: string;

beforeAll(() => {
	binaryDir = mkdtempSync(join(tmpdir(), 'media-test-binary-'));
});
afterAll(() => {
	rmSync(binaryDir, { recursive: true, force: true });
});
// Registered before the emulator's reset, so spies on its media store are gone when it resets.
beforeEach(() => {
	jest.restoreAllMocks();
});
const emulator = useEmulator();

interface RunOptions {
	input?: INodeExecutionData[];
	continueOnFail?: boolean;
	binaryMode?: BinaryMode;
}

function media(parameters: INodeParameters, options: RunOptions = {}) {
	return runNode({
		nodeType: new Dialog360Media(),
		typeName: 'n8n-nodes-360dialog.dialog360Media',
		parameters,
		credentials: { dialog360Api: emulatorCredential(emulator) },
		input: options.input,
		onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
		binaryMode: options.binaryMode,
		binaryDataPath: options.binaryMode === 'filesystem' ? binaryDir : undefined,
	});
}

function binaryItem(bytes: Buffer, mimeType: string, fileName?: string, json: IDataObject = {}): INodeExecutionData {
	return { json, binary: { data: { data: bytes.toString('base64'), mimeType, fileName, bytes: bytes.length } } };
}

/** Files that look like their type (magic bytes first) with random content, so every run differs. */
const samples = {
	png: Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(40_000)]),
	pdf: Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), randomBytes(300_000), Buffer.from('\n%%EOF\n')]),
	ogg: Buffer.concat([Buffer.from('OggS\0\x02', 'latin1'), randomBytes(60_000)]),
};

async function binaryBytes(binary: IBinaryData): Promise<Buffer> {
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

const sha256 = (bytes: Buffer, encoding: 'hex' | 'base64' = 'hex') => createHash('sha256').update(bytes).digest(encoding);

/** Requests the API saw, as "METHOD path" (no query), from the control API. */
async function seenRequests(): Promise<string[]> {
	const { data } = await axios.get<Array<{ method: string; url: string }>>(`${emulator.url}/_emulator/requests`);
	return data.map((request) => `${request.method} ${request.url.split('?')[0]}`);
}

/**
 * The emulator records a status once the response has finished; wait briefly for the last ones.
 * (A streamed download may be closed by the client before the emulator sees it finish.)
 */
async function settledRequests() {
	for (let waited = 0; waited < 500 && emulator.requests().some((request) => request.statusCode === undefined); waited += 10) {
		await new Promise((done) => setTimeout(done, 10));
	}
	return emulator.requests();
}

async function upload(bytes: Buffer, mimeType: string, fileName?: string): Promise<string> {
	const { items, error } = await media({ operation: 'upload' }, { input: [binaryItem(bytes, mimeType, fileName)] });
	expect(error).toBeUndefined();
	return items[0].json.mediaId as string;
}

describe('Media node: round trips', () => {
	it.each([
		['a PNG image', samples.png, 'image/png', 'photo.png', 'base64'],
		['a PDF document', samples.pdf, 'application/pdf', 'Invoice 2024.pdf', 'hex'],
		['an ogg/opus voice note', samples.ogg, 'audio/ogg; codecs=opus', undefined, 'base64'],
	] as const)('upload → info → download of %s gives identical bytes and SHA-256', async (_name, bytes, mimeType, fileName, encoding) => {
		emulator.configure({ sha256Encoding: encoding });

		const uploaded = await media({ operation: 'upload' }, { input: [binaryItem(bytes, mimeType, fileName)] });
		expect(uploaded.error).toBeUndefined();
		const mediaId = uploaded.items[0].json.mediaId as string;
		expect(mediaId).toMatch(/^\d+$/);
		expect(uploaded.items).toEqual([
			{
				json: { mediaId, mimeType, fileName: fileName ?? 'media.ogg', fileSize: bytes.length },
				pairedItem: { item: 0 },
			},
		]);
		// The multipart part carries the MIME type; the emulator (like busboy) keeps it without parameters.
		const storedType = baseMimeType(mimeType);
		expect(emulator.state.media.get(mediaId)).toMatchObject({ mimeType: storedType, fileSize: bytes.length, filename: fileName ?? 'media.ogg' });

		const info = await media({ operation: 'getInfo', mediaId });
		expect(info.error).toBeUndefined();
		expect(info.items).toEqual([
			{
				json: {
					mediaId,
					url: expect.stringMatching(/^https:\/\/lookaside\.fbsbx\.com\/whatsapp_business\/attachments\/\?mid=\d+&ext=\d+&hash=/),
					mimeType: storedType,
					sha256: sha256(bytes, encoding),
					fileSize: bytes.length,
				},
				pairedItem: { item: 0 },
			},
		]);

		const downloaded = await media({ operation: 'download', mediaId: '={{ $json.id }}' }, { input: [{ json: { id: mediaId } }] });
		expect(downloaded.error).toBeUndefined();
		const item = downloaded.items[0];
		expect(item.json).toEqual({
			mediaId,
			mimeType: storedType,
			fileName: `${mediaId}.${extensionForMimeType(mimeType)}`,
			fileSize: bytes.length,
			sha256: sha256(bytes),
			sha256Verified: true,
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		const binary = item.binary!.data;
		expect(binary).toMatchObject({ mimeType: storedType, fileName: `${mediaId}.${extensionForMimeType(mimeType)}` });
		const received = await binaryBytes(binary);
		expect(received.equals(bytes)).toBe(true);
		expect(sha256(received)).toBe(sha256(bytes));

		// The download went through the 360dialog host (host rewritten) with the API key.
		const attachments = (await settledRequests()).filter((request) => request.url.startsWith('/whatsapp_business/attachments/'));
		expect(attachments).toHaveLength(1);
		expect(attachments[0].url).toMatch(new RegExp(`^/whatsapp_business/attachments/\\?mid=${mediaId}&ext=\\d+&hash=`));
		expect(attachments[0].headers['d360-api-key']).toBe('REDACTED');
	});

	it('downloads from a whole Trigger item: its file name, MIME type and SHA-256 are used', async () => {
		const mediaId = await upload(samples.pdf, 'application/pdf', 'upload.pdf');
		const triggerItem = {
			type: 'document',
			mediaId,
			mimeType: 'application/pdf',
			sha256: sha256(samples.pdf, 'base64'),
			filename: 'Quote #17.pdf',
			caption: 'the quote',
		};
		const { items, error } = await media(
			{ operation: 'download', mediaId: '={{ $json }}', outputBinaryPropertyName: 'document' },
			{ input: [{ json: triggerItem }] },
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ mediaId, fileName: 'Quote #17.pdf', mimeType: 'application/pdf', sha256Verified: true });
		expect(Object.keys(items[0].binary ?? {})).toEqual(['document']);
		expect(items[0].binary!.document.fileName).toBe('Quote #17.pdf');
		expect((await binaryBytes(items[0].binary!.document)).equals(samples.pdf)).toBe(true);
	});

	it('fails a download whose bytes do not match the SHA-256 WhatsApp gives', async () => {
		const mediaId = await upload(samples.png, 'image/png', 'photo.png');
		emulator.state.media.get(mediaId)!.sha256 = createHash('sha256').update('something else').digest();
		const { items, error } = await media({ operation: 'download', mediaId });
		expect(items).toEqual([]);
		expect(error?.message).toBe(`The downloaded media ${mediaId} is damaged: its SHA-256 does not match the one WhatsApp gave`);
		expect(error?.description).toContain(sha256(samples.png));
	});
});

describe('Media node: upload checks before any request', () => {
	it.each([
		[
			'an unsupported MIME type',
			binaryItem(Buffer.from('GIF89a....'), 'image/gif', 'anim.gif'),
			{},
			/^MIME type "image\/gif" is not supported by WhatsApp; it accepts image\/jpeg, image\/png, .* \[item 0\]$/,
		],
		[
			'an image over 5 MB',
			binaryItem(randomBytes(5 * 1024 * 1024 + 1), 'image/png', 'big.png'),
			{},
			/^Input Binary Field: the image is 5\.1 MB; WhatsApp allows 5 MB \[item 0\]$/,
		],
		[
			'a video over 16 MB',
			binaryItem(randomBytes(16 * 1024 * 1024 + 10), 'video/mp4', 'clip.mp4'),
			{},
			/^Input Binary Field: the video is 16.1 MB; WhatsApp allows 16 MB \[item 0\]$/,
		],
		[
			'a MIME type that does not fit the chosen media type',
			binaryItem(samples.pdf, 'application/pdf', 'doc.pdf'),
			{ mediaType: 'image' },
			/^Input Binary Field: image does not support MIME type "application\/pdf"; WhatsApp accepts image\/jpeg, image\/png \[item 0\]$/,
		],
		[
			'a MIME type override that is not supported',
			binaryItem(samples.png, 'image/png', 'photo.png'),
			{ uploadOptions: { mimeType: 'image/bmp' } },
			/^MIME type "image\/bmp" is not supported by WhatsApp/,
		],
	])('rejects %s', async (_name, item, parameters, message) => {
		const { items, error } = await media({ operation: 'upload', ...parameters }, { input: [item] });
		expect(items).toEqual([]);
		expect(error?.message).toMatch(message);
		expect(error?.context?.itemIndex).toBe(0);
		expect(await seenRequests()).toEqual([]);
	});

	it('names the missing binary field', async () => {
		const { error } = await media({ operation: 'upload', binaryPropertyName: 'file' }, { input: [binaryItem(samples.png, 'image/png')] });
		expect(error?.message).toBe('Input Binary Field: the input item has no binary property "file"; it has "data" [item 0]');
		expect(await seenRequests()).toEqual([]);
	});

	it('uses a MIME type override and a chosen media type', async () => {
		const { items, error } = await media(
			{ operation: 'upload', mediaType: 'audio', uploadOptions: { mimeType: 'audio/ogg', fileName: 'voice.ogg' } },
			{ input: [binaryItem(samples.ogg, 'application/octet-stream', 'blob.bin')] },
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ mediaId: expect.stringMatching(/^\d+$/), mimeType: 'audio/ogg', fileName: 'voice.ogg', fileSize: samples.ogg.length });
		expect(emulator.state.media.get(items[0].json.mediaId as string)).toMatchObject({ mimeType: 'audio/ogg', filename: 'voice.ogg', kind: 'audio' });
	});
});

describe('Media node: expired download URLs', () => {
	it('a URL from Get Info stops working after expiry; Download resolves a fresh one', async () => {
		const mediaId = await upload(samples.png, 'image/png', 'photo.png');
		const info = await media({ operation: 'getInfo', mediaId });
		const oldUrl = rewriteMediaUrl(info.items[0].json.url as string, emulator.url);

		const expired = await axios.post(`${emulator.url}/_emulator/media/expire-urls`, {});
		expect(expired.data.expired).toBeGreaterThanOrEqual(1);
		const stale = await axios.get(oldUrl, { headers: { 'D360-API-KEY': emulator.apiKey }, validateStatus: () => true });
		expect(stale.status).toBe(404);
		expect(JSON.stringify(stale.data)).toContain('expired');

		const { items, error } = await media({ operation: 'download', mediaId });
		expect(error).toBeUndefined();
		expect((await binaryBytes(items[0].binary!.data)).equals(samples.png)).toBe(true);
		expect(items[0].json.urlRefreshed).toBeUndefined();
	});

	it('resolves the media ID again once when the download URL has expired in between', async () => {
		const mediaId = await upload(samples.pdf, 'application/pdf', 'a.pdf');
		const store = emulator.state.media;
		const issueUrl = store.issueUrl.bind(store);
		let issued = 0;
		// The first URL expires (the emulator's own expiry) the moment it is handed out.
		jest.spyOn(store, 'issueUrl').mockImplementation((id, ttl) => {
			const url = issueUrl(id, ttl);
			if (++issued === 1) store.expireUrls();
			return url;
		});
		emulator.state.requests.length = 0;

		const { items, error } = await media({ operation: 'download', mediaId });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ mediaId, urlRefreshed: true, sha256Verified: true, fileSize: samples.pdf.length });
		expect((await binaryBytes(items[0].binary!.data)).equals(samples.pdf)).toBe(true);
		// The status of a streamed answer may be recorded after the client is done; the bytes above prove the 200.
		const seen = await settledRequests();
		expect(seen.map((request) => `${request.method} ${request.url.split('?')[0]}`)).toEqual([
			`GET /${mediaId}`,
			'GET /whatsapp_business/attachments/',
			`GET /${mediaId}`,
			'GET /whatsapp_business/attachments/',
		]);
		expect(seen.slice(0, 3).map((request) => request.statusCode)).toEqual([200, 404, 200]);
	});

	it('gives up after one fresh URL also fails: failing media GETs are never looped', async () => {
		const mediaId = await upload(samples.png, 'image/png', 'p.png');
		const store = emulator.state.media;
		const issueUrl = store.issueUrl.bind(store);
		jest.spyOn(store, 'issueUrl').mockImplementation((id, ttl) => {
			const url = issueUrl(id, ttl);
			store.expireUrls();
			return url;
		});
		emulator.state.requests.length = 0;

		const { error } = await media({ operation: 'download', mediaId });
		expect(error?.message).toBe(`The download of media ${mediaId} failed twice (HTTP 404), also with a fresh download URL`);
		expect(error?.description).toMatch(/360dialog said: .*expired.*not tried again automatically/);
		expect(error?.context?.itemIndex).toBe(0);
		expect(emulator.requests().map((request) => `${request.method} ${request.url.split('?')[0]}`)).toEqual([
			`GET /${mediaId}`,
			'GET /whatsapp_business/attachments/',
			`GET /${mediaId}`,
			'GET /whatsapp_business/attachments/',
		]);
	});
});

describe('Media node: failing media GETs are not retried', () => {
	it('a 429 on GET /{media-id} fails the item after one request', async () => {
		const mediaId = await upload(samples.png, 'image/png', 'p.png');
		emulator.injectFaults({ status: 429, count: 1, path: `/${mediaId}`, retryAfter: 1 });
		emulator.state.requests.length = 0;
		const { error } = await media({ operation: 'getInfo', mediaId });
		expect(error?.message).toMatch(/rate limit/i);
		expect((await settledRequests()).map((request) => `${request.method} ${request.url} ${request.statusCode}`)).toEqual([`GET /${mediaId} 429`]);
	});

	it('a dropped download connection fails the item without resolving the ID again', async () => {
		const mediaId = await upload(samples.png, 'image/png', 'p.png');
		emulator.injectFaults({ dropConnection: 1, path: '/whatsapp_business/attachments/' });
		emulator.state.requests.length = 0;
		const { error } = await media({ operation: 'download', mediaId });
		expect(error?.message).toMatch(/failed before an answer arrived/);
		expect(error?.context?.itemIndex).toBe(0);
		expect(emulator.requests().map((request) => `${request.method} ${request.url.split('?')[0]}`)).toEqual([
			`GET /${mediaId}`,
			'GET /whatsapp_business/attachments/',
		]);
	});
});

describe('Media node: delete and unknown IDs', () => {
	it('delete, then info and download say "not found" clearly', async () => {
		const mediaId = await upload(samples.png, 'image/png', 'p.png');
		const deleted = await media({ operation: 'delete', mediaId });
		expect(deleted.error).toBeUndefined();
		expect(deleted.items).toEqual([{ json: { mediaId, deleted: true }, pairedItem: { item: 0 } }]);
		expect(emulator.state.media.get(mediaId)).toBeUndefined();

		for (const operation of ['getInfo', 'download', 'delete']) {
			const { error } = await media({ operation, mediaId });
			expect(error?.message).toBe(`Media ${mediaId} was not found: the ID is unknown, was deleted, or has expired`);
			expect(error?.description).toContain('30 days');
			expect(error?.context?.itemIndex).toBe(0);
		}
		// One failed GET per attempt: nothing is retried.
		expect((await seenRequests()).filter((request) => request === `GET /${mediaId}`)).toHaveLength(2);
	});

	it('rejects a non-numeric media ID before any request', async () => {
		const { error } = await media({ operation: 'download', mediaId: '../messages' });
		expect(error?.message).toBe('Media ID must be the numeric ID of a WhatsApp media file, got "../messages" [item 0]');
		expect(await seenRequests()).toEqual([]);
	});
});

describe('Media node: Continue On Fail', () => {
	it('outputs an error item for the failing item and carries on, paired to every input', async () => {
		const good = await upload(samples.png, 'image/png', 'p.png');
		const { items, error } = await media(
			{ operation: 'download', mediaId: '={{ $json.mediaId }}' },
			{ input: [{ json: { mediaId: good } }, { json: { mediaId: '999000111' } }, { json: { mediaId: 'abc' } }, { json: { mediaId: good } }], continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json).toMatchObject({ mediaId: good, sha256Verified: true });
		expect(items[1].json.error).toBe('Media 999000111 was not found: the ID is unknown, was deleted, or has expired');
		expect(items[1].binary).toBeUndefined();
		expect(items[2].json.error).toBe('Media ID must be the numeric ID of a WhatsApp media file, got "abc" [item 2]');
		expect(items[3].json).toMatchObject({ mediaId: good, sha256Verified: true });
		expect((await binaryBytes(items[3].binary!.data)).equals(samples.png)).toBe(true);
	});

	it('without Continue On Fail the first failing item stops the node with its item index', async () => {
		const { items, error } = await media(
			{ operation: 'upload' },
			{ input: [binaryItem(samples.png, 'image/png', 'a.png'), binaryItem(samples.png, 'image/gif', 'b.gif')] },
		);
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/\[item 1\]$/);
		expect(error?.context?.itemIndex).toBe(1);
	});
});

describe('Media node: filesystem binary mode', () => {
	it('stores a download on disk: the item carries an id, not the data', async () => {
		const bytes = randomBytes(8 * 1024 * 1024);
		const mediaId = await upload(bytes, 'application/pdf', 'big.pdf');

		const { items, error } = await media({ operation: 'download', mediaId }, { binaryMode: 'filesystem' });
		expect(error).toBeUndefined();
		const binary = items[0].binary!.data;
		expect(binary.id).toMatch(/^filesystem(-v2)?:/);
		expect(binary.data).toMatch(/^filesystem/); // a marker, not base64 content
		expect(binary.bytes).toBe(bytes.length);
		const path = Container.get(BinaryDataService).getPath(binary.id!);
		expect(resolve(path).startsWith(resolve(binaryDir))).toBe(true);
		expect(existsSync(path)).toBe(true);
		expect(readFileSync(path).equals(bytes)).toBe(true);
		expect(items[0].json).toMatchObject({ fileSize: bytes.length, sha256: sha256(bytes), sha256Verified: true });
	});

	it('uploads binary data that is stored on disk', async () => {
		const bytes = randomBytes(300_000);
		const service = Container.get(BinaryDataService);
		const first = await media({ operation: 'upload' }, { binaryMode: 'filesystem', input: [binaryItem(bytes, 'application/pdf', 'x.pdf')] });
		expect(first.error).toBeUndefined();
		// Download in filesystem mode, then upload that on-disk binary again.
		const downloaded = await media({ operation: 'download', mediaId: first.items[0].json.mediaId as string }, { binaryMode: 'filesystem' });
		const onDisk = downloaded.items[0].binary!.data;
		expect(onDisk.id).toBeDefined();
		const again = await media({ operation: 'upload' }, { binaryMode: 'filesystem', input: [{ json: {}, binary: { data: onDisk } }] });
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({ mimeType: 'application/pdf', fileSize: bytes.length });
		const stored = emulator.state.media.get(again.items[0].json.mediaId as string)!;
		expect(readFileSync(stored.filePath).equals(bytes)).toBe(true);
		expect((await service.getAsBuffer(onDisk)).equals(bytes)).toBe(true);
	});
});

describe('Media node: streamed upload retried after 429', () => {
	it.each<BinaryMode>(['default', 'filesystem'])('opens the file again for the retry (binary mode %s): the upload arrives byte for byte', async (binaryMode) => {
		const bytes = samples.pdf;
		let input = [binaryItem(bytes, 'application/pdf', 'retry.pdf')];
		if (binaryMode === 'filesystem') {
			// As after a Read File node in filesystem mode: the item holds only the id of a file on disk.
			await configureBinaryMode('filesystem', binaryDir);
			const stored = await Container.get(BinaryDataService).store({ type: 'execution', workflowId: 'test', executionId: 'retry' }, bytes, {
				mimeType: 'application/pdf',
				fileName: 'retry.pdf',
				data: '',
			});
			expect(stored.id).toMatch(/^filesystem/);
			input = [{ json: {}, binary: { data: stored } }];
		}
		emulator.injectFaults({ status: 429, count: 1, retryAfter: 0, path: '/media' });
		const { items, error } = await media({ operation: 'upload' }, { binaryMode, input });
		expect(error).toBeUndefined();
		expect(await seenRequests()).toEqual(['POST /media', 'POST /media']);
		expect(emulator.requests().map((request) => request.statusCode)).toEqual([429, 200]);
		const stored = emulator.state.media.get(items[0].json.mediaId as string)!;
		expect(stored).toMatchObject({ mimeType: 'application/pdf', filename: 'retry.pdf', fileSize: bytes.length });
		expect(stored.sha256.toString('hex')).toBe(sha256(bytes));
		expect(emulator.mediaUploads()).toBe(1);
	});
});

describe('mediaDownload helpers', () => {
	it('rewrites the lookaside host to the credential base URL, keeping path and the full query', () => {
		const url = 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=123&ext=1700000000&hash=ATu-x_Y%3D';
		expect(rewriteMediaUrl(url, 'https://waba-v2.360dialog.io')).toBe(
			'https://waba-v2.360dialog.io/whatsapp_business/attachments/?mid=123&ext=1700000000&hash=ATu-x_Y%3D',
		);
		expect(rewriteMediaUrl(url, 'http://127.0.0.1:4360/')).toBe(
			'http://127.0.0.1:4360/whatsapp_business/attachments/?mid=123&ext=1700000000&hash=ATu-x_Y%3D',
		);
		expect(() => rewriteMediaUrl('https://evil.example/whatsapp_business/attachments/?mid=1', 'https://waba-v2.360dialog.io')).toThrow(
			/unexpected host \(evil\.example\)/,
		);
	});

	it('compares SHA-256 given as hex or base64', () => {
		const bytes = Buffer.from('hello');
		const hex = sha256(bytes);
		expect(sha256Matches(hex, hex)).toBe(true);
		expect(sha256Matches(hex.toUpperCase(), hex)).toBe(true);
		expect(sha256Matches(sha256(bytes, 'base64'), hex)).toBe(true);
		expect(sha256Matches(createHash('sha256').update(bytes).digest('base64url'), hex)).toBe(true);
		expect(sha256Matches(sha256(Buffer.from('other'), 'base64'), hex)).toBe(false);
		expect(sha256Matches('FAKEsha256Base64ImageAAAAAAAAAAAAAAAAAAAAAAA=', hex)).toBe(false);
	});

	it('names files after the document name or the media ID', () => {
		expect(mediaFileName('42', 'application/pdf', 'Report.pdf')).toBe('Report.pdf');
		expect(mediaFileName('42', 'application/pdf', '../../etc/passwd')).toBe('.._.._etc_passwd');
		expect(mediaFileName('42', 'audio/ogg; codecs=opus')).toBe('42.ogg');
		expect(mediaFileName('42', 'image/jpeg', '  ')).toBe('42.jpg');
		expect(mediaFileName('42', 'application/x-unknown')).toBe('42.bin');
		expect(normalizeMediaId(' 1037543291543636 ')).toBe('1037543291543636');
		expect(() => normalizeMediaId('12a')).toThrow('must be the numeric ID');
		expect(() => normalizeMediaId('')).toThrow('Media ID is required');
	});
});
