/**
 * Send node option Reuse Uploaded Media, through n8n-core's engine against the emulator, with the
 * media links served by a local HTTPS server: each distinct link or binary file is uploaded once
 * per execution and every message sends it by id; a failed download or upload sends by link.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Dialog360 } from '../../nodes/Dialog360/Dialog360.node';
import { ENVELOPE, PNG_1X1, TO } from '../support/bodies';
import { startLinkServer, type LinkServer } from '../support/linkServer';
import { validateSendBody } from '../support/metaSpec';
import { configureBinaryMode, runNode } from '../support/n8nHarness';
import { acceptedBodies, runSendNode, SEND_NODE_TYPE } from '../support/sendNode';
import { emulatorCredential, useEmulator } from '../support/useEmulator';

const jpeg = (size: number) => Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), randomBytes(size)]);
const FILES = {
	'/a.jpg': { body: jpeg(30_000), contentType: 'image/jpeg' },
	'/b.png': { body: Buffer.concat([PNG_1X1, randomBytes(20_000)]), contentType: 'image/png' },
	// No Content-Length and a generic type: read up to the image limit, typed by the extension.
	'/c.jpeg': { body: jpeg(25_000), contentType: 'application/octet-stream', chunked: true },
	'/gone.jpg': { body: Buffer.alloc(0), contentType: 'image/jpeg', status: 404 },
	'/huge.jpg': { body: jpeg(5 * 1024 * 1024 + 1), contentType: 'image/jpeg' },
	'/page': { body: Buffer.from('<html>login</html>'), contentType: 'text/html; charset=utf-8' },
};

let links: LinkServer;
beforeAll(async () => {
	links = await startLinkServer(FILES);
});
afterAll(async () => {
	await links.close();
});
beforeEach(() => links.resetHits());

const emulator = useEmulator();

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const uploadsTo = () => emulator.requests().filter((request) => request.method === 'POST' && request.url === '/media');

/** `count` image items cycling through `paths`, each with its own caption. */
function imageItems(paths: string[], count: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, index) => ({ json: { link: links.url(paths[index % paths.length]), caption: `Photo ${index}` } }));
}

function sendImages(input: INodeExecutionData[], options: INodeParameters = {}) {
	return runSendNode(
		emulator,
		{ messageType: 'image', to: TO, mediaSource: 'url', mediaUrl: '={{ $json.link }}', mediaCaption: '={{ $json.caption }}', options },
		input,
	);
}

/** The media id per link path, from the uploads the emulator kept (file names come from the link). */
function uploadedIdByName(): Map<string, string> {
	return new Map(emulator.state.media.list().map((media) => [media.filename, media.id]));
}

describe('Send node: Reuse Uploaded Media, links', () => {
	it('uploads each of 3 distinct links once for 12 items, and every message sends the image by id', async () => {
		const paths = ['/a.jpg', '/b.png', '/c.jpeg'];
		const { items, error } = await sendImages(imageItems(paths, 12));
		expect(error).toBeUndefined();

		expect(emulator.mediaUploads()).toBe(3);
		expect(uploadsTo()).toHaveLength(3);
		for (const path of paths) expect(links.hits(path)).toBe(1);

		const stored = emulator.state.media.list();
		expect(stored.map((media) => [media.filename, media.mimeType, media.fileSize, media.sha256.toString('hex')]).sort()).toEqual(
			paths.map((path) => [path.slice(1), path.endsWith('.png') ? 'image/png' : 'image/jpeg', FILES[path as keyof typeof FILES].body.length, sha256(FILES[path as keyof typeof FILES].body)]).sort(),
		);

		const ids = uploadedIdByName();
		const bodies = acceptedBodies(emulator) as IDataObject[];
		expect(bodies).toHaveLength(12);
		const byCaption = new Map(bodies.map((body) => [(body.image as IDataObject).caption, body]));
		for (let index = 0; index < 12; index++) {
			const body = byCaption.get(`Photo ${index}`);
			expect(body).toEqual({ ...ENVELOPE, type: 'image', image: { id: ids.get(paths[index % 3].slice(1)), caption: `Photo ${index}` } });
			expect(validateSendBody(body).errors).toEqual([]);
		}
		expect(items.map((item) => item.json.mediaReuse)).toEqual(Array(12).fill('id'));
		// Uploads come first: no message went out by link.
		expect(bodies.some((body) => JSON.stringify(body).includes('"link"'))).toBe(false);
	});

	it('sends by link when the upload fails, once per link, and the output says so', async () => {
		emulator.injectFaults({ status: 500, count: 10, path: '/media' });
		const { items, error } = await sendImages(imageItems(['/a.jpg', '/b.png'], 6));
		expect(error).toBeUndefined();
		expect(uploadsTo()).toHaveLength(2); // a 500 is never retried, and each link fails only once
		expect(emulator.mediaUploads()).toBe(0);
		const bodies = acceptedBodies(emulator) as IDataObject[];
		expect(bodies).toHaveLength(6);
		for (const body of bodies) expect((body.image as IDataObject).link).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/(a\.jpg|b\.png)$/);
		for (const item of items) {
			expect(item.json).toMatchObject({ messageId: expect.any(String), mediaReuse: 'link', mediaReuseError: expect.stringContaining('was sent by link') });
		}
	});

	it('sends by link when the link cannot be downloaded, is too large or is no image, without uploading it', async () => {
		const { items, error } = await sendImages(imageItems(['/gone.jpg', '/huge.jpg', '/page', '/a.jpg'], 4));
		expect(error).toBeUndefined();
		expect(emulator.mediaUploads()).toBe(1);
		expect(items.map((item) => item.json.mediaReuse)).toEqual(['link', 'link', 'link', 'id']);
		expect(items[0].json.mediaReuseError).toContain('HTTP 404');
		expect(items[1].json.mediaReuseError).toContain('WhatsApp allows 5 MB');
		expect(items[2].json.mediaReuseError).toContain('image does not support MIME type "text/html; charset=utf-8"');
		const sentLinks = (acceptedBodies(emulator) as IDataObject[]).map((body) => (body.image as IDataObject).link).filter(Boolean);
		expect(sentLinks.sort()).toEqual([links.url('/gone.jpg'), links.url('/huge.jpg'), links.url('/page')].sort());
	});

	it('downloads the link again when the upload is retried after a 429, and the bytes arrive intact', async () => {
		emulator.injectFaults({ status: 429, count: 1, retryAfter: 0, path: '/media' });
		const { items, error } = await sendImages(imageItems(['/a.jpg'], 3));
		expect(error).toBeUndefined();
		expect(uploadsTo().map((request) => request.statusCode)).toEqual([429, 200]);
		expect(links.hits('/a.jpg')).toBe(2);
		const [stored] = emulator.state.media.list();
		expect(stored.sha256.toString('hex')).toBe(sha256(FILES['/a.jpg'].body));
		expect(items.map((item) => item.json.mediaReuse)).toEqual(['id', 'id', 'id']);
	});

	it('is off for a single item by default, and follows Always / Never', async () => {
		await sendImages(imageItems(['/a.jpg'], 1));
		expect(emulator.mediaUploads()).toBe(0);
		expect((acceptedBodies(emulator)[0] as IDataObject).image).toEqual({ link: links.url('/a.jpg'), caption: 'Photo 0' });

		await emulator.reset();
		const always = await sendImages(imageItems(['/a.jpg'], 1), { reuseMedia: 'always' });
		expect(emulator.mediaUploads()).toBe(1);
		expect(always.items[0].json.mediaReuse).toBe('id');

		await emulator.reset();
		const never = await sendImages(imageItems(['/a.jpg', '/b.png'], 4), { reuseMedia: 'never' });
		expect(emulator.mediaUploads()).toBe(0);
		expect(never.items.every((item) => item.json.mediaReuse === undefined)).toBe(true);
		expect((acceptedBodies(emulator) as IDataObject[]).every((body) => typeof (body.image as IDataObject).link === 'string')).toBe(true);
	});

	it('reuses interactive header media sent by link', async () => {
		const { items, error } = await runSendNode(
			emulator,
			{
				messageType: 'interactive',
				to: TO,
				interactiveType: 'button',
				interactiveHeaderType: 'image',
				interactiveHeaderMediaSource: 'link',
				interactiveHeaderMediaLink: links.url('/b.png'),
				interactiveBodyText: '=Hi {{ $json.name }}',
				interactiveButtons: { button: [{ title: 'Yes', id: 'yes' }] },
			},
			[{ json: { name: 'Ana' } }, { json: { name: 'Ben' } }, { json: { name: 'Cem' } }],
		);
		expect(error).toBeUndefined();
		expect(emulator.mediaUploads()).toBe(1);
		const id = uploadedIdByName().get('b.png');
		for (const body of acceptedBodies(emulator) as Array<{ interactive: IDataObject }>) {
			expect(body.interactive.header).toEqual({ type: 'image', image: { id } });
			expect(validateSendBody(body as IDataObject).errors).toEqual([]);
		}
		expect(items.map((item) => item.json.mediaReuse)).toEqual(['id', 'id', 'id']);
	});

	it('reuses template header media sent by link', async () => {
		const { error } = await runSendNode(
			emulator,
			{
				messageType: 'template',
				to: TO,
				template: { __rl: true, mode: 'list', value: 'order_update|en_US', cachedResultName: 'order_update|en_US' },
				templateParameterMode: 'fields',
				templateFields: {
					mappingMode: 'defineBelow',
					value: { 'header.image': links.url('/a.jpg'), 'body.1': '={{ $json.name }}', 'body.2': '€1', 'body.3': 'today', 'button.0.payload': 'STOP', 'button.1.url': 'x' },
					matchingColumns: [],
					schema: [],
					attemptToConvertTypes: false,
					convertFieldsToString: false,
				},
			},
			[{ json: { name: 'Ana' } }, { json: { name: 'Ben' } }],
		);
		expect(error).toBeUndefined();
		expect(emulator.mediaUploads()).toBe(1);
		const id = uploadedIdByName().get('a.jpg');
		for (const body of acceptedBodies(emulator) as Array<{ template: { components: IDataObject[] } }>) {
			expect(body.template.components[0]).toEqual({ type: 'header', parameters: [{ type: 'image', image: { id } }] });
		}
	});
});

describe('Send node: Reuse Uploaded Media, binary files', () => {
	const binaryItem = (bytes: Buffer, fileName: string): INodeExecutionData => ({
		json: {},
		binary: { data: { data: bytes.toString('base64'), mimeType: 'image/png', fileName } },
	});
	const sendBinary = (input: INodeExecutionData[], parameters: INodeParameters = {}) =>
		runSendNode(emulator, { messageType: 'image', to: TO, mediaSource: 'binary', mediaBinaryProperty: 'data', ...parameters }, input);

	it('uploads the same in-memory content once, and different content separately', async () => {
		const other = Buffer.concat([PNG_1X1, Buffer.from([1])]);
		const { error } = await sendBinary([binaryItem(PNG_1X1, 'p.png'), binaryItem(PNG_1X1, 'p.png'), binaryItem(other, 'q.png'), binaryItem(PNG_1X1, 'p.png')]);
		expect(error).toBeUndefined();
		expect(emulator.mediaUploads()).toBe(2);
		const ids = uploadedIdByName();
		const sent = (acceptedBodies(emulator) as Array<{ image: { id: string } }>).map((body) => body.image.id);
		expect(sent.filter((id) => id === ids.get('p.png'))).toHaveLength(3);
		expect(sent.filter((id) => id === ids.get('q.png'))).toHaveLength(1);
	});

	it('uploads every item with Never', async () => {
		const { error } = await sendBinary([binaryItem(PNG_1X1, 'p.png'), binaryItem(PNG_1X1, 'p.png')], { options: { reuseMedia: 'never' } });
		expect(error).toBeUndefined();
		expect(emulator.mediaUploads()).toBe(2);
	});

	it('uploads a file stored on disk (filesystem mode) once for all items that carry its binary id', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'reuse-binary-'));
		try {
			await configureBinaryMode('filesystem', dir);
			const bytes = Buffer.concat([PNG_1X1, randomBytes(50_000)]);
			const stored: IBinaryData = await Container.get(BinaryDataService).store({ type: 'execution', workflowId: 'test', executionId: 'reuse' }, bytes, {
				mimeType: 'image/png',
				fileName: 'disk.png',
				data: '',
			});
			expect(stored.id).toMatch(/^filesystem/);
			const { error } = await runNode({
				nodeType: new Dialog360(),
				typeName: SEND_NODE_TYPE,
				parameters: { messageType: 'image', to: TO, mediaSource: 'binary', mediaBinaryProperty: 'data' },
				credentials: { dialog360Api: emulatorCredential(emulator) },
				input: Array.from({ length: 5 }, () => ({ json: {}, binary: { data: stored } })),
				binaryMode: 'filesystem',
				binaryDataPath: dir,
			});
			expect(error).toBeUndefined();
			expect(emulator.mediaUploads()).toBe(1);
			const [media] = emulator.state.media.list();
			expect(media.sha256.toString('hex')).toBe(sha256(bytes));
			expect((acceptedBodies(emulator) as Array<{ image: { id: string } }>).every((body) => body.image.id === media.id)).toBe(true);
		} finally {
			await configureBinaryMode('default');
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
