/**
 * 360dialog Account node with files from binary data, in n8n-core against the emulator: a template's
 * media header sample and the business profile photo go through the resumable upload (session, then
 * the bytes), in memory and filesystem binary mode; type, size and a missing property stop the run
 * before any request (errors name field and item); Continue On Fail; the created template is sent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { requestLines, runAccountNode } from '../support/accountNode';
import { TO_WA_ID } from '../support/bodies';
import { validateProfileUpdateBody } from '../support/metaSpec';
import { configureBinaryMode, type BinaryMode } from '../support/n8nHarness';
import { acceptedBodies, runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

let binaryDir: string;
beforeAll(() => {
	binaryDir = mkdtempSync(join(tmpdir(), 'account-media-binary-'));
});
afterAll(() => {
	rmSync(binaryDir, { recursive: true, force: true });
});

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(30_000)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(50_000), Buffer.from('\n%%EOF\n')]);
const MP4 = Buffer.concat([Buffer.from('000000186674797069736f6d', 'hex'), randomBytes(40_000)]);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function fileItem(bytes: Buffer, mimeType: string, fileName: string, property = 'data'): INodeExecutionData {
	return { json: {}, binary: { [property]: { data: bytes.toString('base64'), mimeType, fileName, bytes: bytes.length } } };
}

/** An item whose file n8n keeps on disk (filesystem binary mode): it carries an id, no data; the node streams it. */
async function onDiskItem(bytes: Buffer, mimeType: string, fileName: string, property = 'data'): Promise<INodeExecutionData> {
	await configureBinaryMode('filesystem', binaryDir);
	const stored = await Container.get(BinaryDataService).store({ type: 'execution', workflowId: 'test-workflow', executionId: 'earlier' }, bytes, { data: '', mimeType, fileName });
	expect(stored.id).toMatch(/^filesystem/);
	return { json: {}, binary: { [property]: stored } };
}

const account = (parameters: INodeParameters, input: INodeExecutionData[], options: { continueOnFail?: boolean; binaryMode?: BinaryMode } = {}) =>
	runAccountNode(emulator, parameters, input, { ...options, binaryDataPath: options.binaryMode === 'filesystem' ? binaryDir : undefined });

const imageTemplate: INodeParameters = {
	resource: 'template',
	operation: 'create',
	templateName: 'spring_photo',
	language: 'en_US',
	category: 'MARKETING',
	headerType: 'IMAGE',
	headerMediaSource: 'binary',
	headerBinaryProperty: 'photo',
	body: 'Hi {{1}}, our spring collection is here.',
	bodyExamples: { example: [{ variable: '1', example: 'Max' }] },
};

const uploadLines = ['POST /uploads', 'POST /upload:'];

/** Request lines with the session id cut off (`POST /upload:…?sig=…` → `POST /upload:`). */
const lines = () => requestLines(emulator).map((line) => line.replace(/^POST \/upload:.*$/, 'POST /upload:'));

describe('Template → Create with a header file from binary data', () => {
	it('uploads the image, creates the template with its handle; once approved, the Send node sends it', async () => {
		const { items, error } = await account(imageTemplate, [fileItem(PNG, 'image/png', 'spring.png', 'photo')]);
		expect(error).toBeUndefined();
		expect(lines()).toEqual([...uploadLines, 'POST /v1/configs/templates']);

		const session = emulator.requests()[0];
		expect(new URLSearchParams(session.url.split('?')[1])).toEqual(new URLSearchParams({ file_name: 'spring.png', file_length: String(PNG.length), file_type: 'image/png' }));
		const bytes = emulator.requests()[1];
		expect(bytes.headers.file_offset).toBe('0');
		expect(bytes.body).toEqual({ length: PNG.length, sha256: sha256(PNG) });

		const [uploaded] = emulator.state.account.uploads.list();
		expect(uploaded).toMatchObject({ fileType: 'image/png', fileLength: PNG.length, sha256: sha256(PNG) });
		const created = emulator.requests()[2].body as { components: unknown[] };
		expect(created.components[0]).toEqual({ type: 'HEADER', format: 'IMAGE', example: { header_handle: [uploaded.handle] } });
		expect(items).toEqual([{ json: expect.objectContaining({ name: 'spring_photo', status: 'PENDING', headerHandle: uploaded.handle }), pairedItem: { item: 0 } }]);

		await emulator.idle();
		expect(emulator.templates.find((template) => template.name === 'spring_photo')?.status).toBe('APPROVED');
		const sent = await runSendNode(emulator, {
			messageType: 'template',
			to: TO_WA_ID,
			template: { __rl: true, mode: 'name', value: 'spring_photo|en_US' },
			templateParameterMode: 'json',
			templateParametersJson: '{"header.image": "https://cdn.example.com/spring.jpg", "body.1": "Max"}',
		});
		expect(sent.error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([
			expect.objectContaining({
				type: 'template',
				template: expect.objectContaining({
					name: 'spring_photo',
					components: [
						{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/spring.jpg' } }] },
						{ type: 'body', parameters: [{ type: 'text', text: 'Max' }] },
					],
				}),
			}),
		]);
	});

	it('streams a document kept on disk (filesystem binary mode)', async () => {
		const { error, items } = await account(
			{ ...imageTemplate, templateName: 'invoice_ready', category: 'UTILITY', headerType: 'DOCUMENT', headerBinaryProperty: 'data', body: 'Your invoice {{1}} is ready.', bodyExamples: { example: [{ variable: '1', example: 'A-17' }] } },
			[await onDiskItem(PDF, 'application/pdf', 'invoice.pdf')],
			{ binaryMode: 'filesystem' },
		);
		expect(error).toBeUndefined();
		expect(lines()).toEqual([...uploadLines, 'POST /v1/configs/templates']);
		expect(emulator.state.account.uploads.list()).toEqual([expect.objectContaining({ fileType: 'application/pdf', fileLength: PDF.length, sha256: sha256(PDF) })]);
		expect(items[0].json.headerHandle).toMatch(/^4::/);
	});

	it('a video header takes an MP4; each item uploads its own file', async () => {
		const parameters = { ...imageTemplate, templateName: '={{ $json.name }}', headerType: 'VIDEO', headerBinaryProperty: 'data' };
		const input = [{ ...fileItem(MP4, 'video/mp4', 'a.mp4'), json: { name: 'video_a' } }, { ...fileItem(Buffer.concat([MP4, MP4]), 'video/mp4', 'b.mp4'), json: { name: 'video_b' } }];
		const { error, items } = await account(parameters, input);
		expect(error).toBeUndefined();
		expect(lines()).toEqual([...uploadLines, 'POST /v1/configs/templates', ...uploadLines, 'POST /v1/configs/templates']);
		expect(new Set(items.map((item) => item.json.headerHandle)).size).toBe(2);
	});

	it.each<[string, INodeParameters, INodeExecutionData, RegExp]>([
		['a GIF as image', {}, fileItem(PNG, 'image/gif', 'x.gif', 'photo'), /Header Binary Property: the image header must be image\/jpeg or image\/png; the file is image\/gif \[item 0\]/],
		['a PNG as document', { headerType: 'DOCUMENT' }, fileItem(PNG, 'image/png', 'x.png', 'photo'), /the document header must be application\/pdf; the file is image\/png/],
		['an image over 5 MB', {}, fileItem(Buffer.alloc(5 * 1024 * 1024 + 1, 1), 'image/jpeg', 'big.jpg', 'photo'), /the image header is 5\.1 MB; WhatsApp allows 5 MB \[item 0\]/],
		['a missing binary property', {}, fileItem(PNG, 'image/png', 'x.png', 'data'), /Header Binary Property: the input item has no binary property "photo"; it has "data" \[item 0\]/],
	])('refuses %s before any request', async (_title, overrides, item, message) => {
		const { error } = await account({ ...imageTemplate, ...overrides }, [item]);
		expect(error?.message).toMatch(message);
		expect(error?.description).toContain('Field "Header Binary Property" of item 0');
		expect(emulator.requests()).toEqual([]);
	});

	it('with Continue On Fail a bad file fails only its item; an upload refused by the API is an item error', async () => {
		const input = [fileItem(PNG, 'image/png', 'ok.png', 'photo'), fileItem(PNG, 'text/plain', 'notes.txt', 'photo')];
		const { error, items } = await account({ ...imageTemplate, templateName: '={{ "photo_" + $itemIndex }}' }, input, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.pairedItem, item.json.error ?? 'ok'])).toEqual([
			[{ item: 0 }, 'ok'],
			[{ item: 1 }, expect.stringMatching(/image header must be image\/jpeg or image\/png; the file is text\/plain \[item 1\]/)],
		]);
		expect(lines()).toEqual([...uploadLines, 'POST /v1/configs/templates']);

		// The API refuses the bytes (here: an injected 400 on the session): the item fails, no template is created.
		emulator.injectFaults({ status: 400, count: 1, path: '/uploads' });
		const refused = await account(imageTemplate, [fileItem(PNG, 'image/png', 'ok.png', 'photo')], { continueOnFail: true });
		expect(refused.items[0].json.error).toBeDefined();
		expect(emulator.templates.find((template) => template.name === 'spring_photo')).toBeUndefined();
	});

	it('retries the bytes with a fresh stream after a 429 (nothing was taken)', async () => {
		emulator.injectFaults({ status: 429, count: 1, path: '/upload:' });
		const { error } = await account(imageTemplate, [await onDiskItem(PNG, 'image/png', 'spring.png', 'photo')], { binaryMode: 'filesystem' });
		expect(error).toBeUndefined();
		expect(lines()).toEqual([...uploadLines, 'POST /upload:', 'POST /v1/configs/templates']);
		expect(emulator.state.account.uploads.list()).toEqual([expect.objectContaining({ sha256: sha256(PNG) })]);
	});
});

describe('Business Profile → Update with a profile photo from binary data', () => {
	const update = (updateFields: INodeParameters, input: INodeExecutionData[], options: { continueOnFail?: boolean; binaryMode?: BinaryMode } = {}) =>
		account({ resource: 'businessProfile', operation: 'update', updateFields }, input, options);

	it('uploads the photo and sets it with its handle, together with other fields', async () => {
		const before = emulator.state.account.profile.profile_picture_url;
		const { items, error } = await update({ about: 'New look', profilePhotoBinaryProperty: 'data' }, [fileItem(PNG, 'image/png', 'logo.png')]);
		expect(error).toBeUndefined();
		expect(lines()).toEqual([...uploadLines, 'POST /whatsapp_business_profile']);
		const [uploaded] = emulator.state.account.uploads.list();
		expect(uploaded.sha256).toBe(sha256(PNG));
		expect(emulator.requests()[2].body).toEqual({ messaging_product: 'whatsapp', about: 'New look', profile_picture_handle: uploaded.handle });
		expect(validateProfileUpdateBody(emulator.requests()[2].body).errors).toEqual([]);
		expect(validateProfileUpdateBody({ messaging_product: 'whatsapp', profile_picture_handle: 42 }).errors).not.toEqual([]);
		expect(items[0].json).toEqual({
			success: true,
			updated: { about: 'New look', profile_picture_handle: uploaded.handle, profilePhoto: { fileName: 'logo.png', mimeType: 'image/png', fileSize: PNG.length } },
		});
		expect(emulator.state.account.profile.profile_picture_url).not.toBe(before);
	});

	it('the photo alone is an update (filesystem binary mode)', async () => {
		const { error } = await update({ profilePhotoBinaryProperty: 'data' }, [await onDiskItem(PNG, 'image/jpeg', 'logo.jpg')], { binaryMode: 'filesystem' });
		expect(error).toBeUndefined();
		expect(lines()).toEqual([...uploadLines, 'POST /whatsapp_business_profile']);
	});

	it.each<[string, INodeExecutionData, RegExp]>([
		['a PDF', fileItem(PDF, 'application/pdf', 'x.pdf'), /Profile Photo \(Binary Property\): the profile photo must be image\/jpeg or image\/png; the file is application\/pdf \[item 0\]/],
		['a photo over 5 MB', fileItem(Buffer.alloc(6 * 1024 * 1024, 1), 'image/png', 'big.png'), /the profile photo is 6\.0 MB; WhatsApp allows 5 MB \[item 0\]/],
		['a missing binary property', { json: {} }, /Profile Photo \(Binary Property\): the input item has no binary property "data"; it has no binary data at all \[item 0\]/],
	])('refuses %s before any request', async (_title, item, message) => {
		const { error } = await update({ profilePhotoBinaryProperty: 'data' }, [item]);
		expect(error?.message).toMatch(message);
		expect(emulator.requests()).toEqual([]);
	});

	it('with Continue On Fail only the item with the bad photo fails', async () => {
		const { items, error } = await update({ profilePhotoBinaryProperty: 'data' }, [fileItem(PDF, 'application/pdf', 'x.pdf'), fileItem(PNG, 'image/png', 'ok.png')], { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.pairedItem, item.json.error === undefined])).toEqual([[{ item: 0 }, false], [{ item: 1 }, true]]);
		expect(lines()).toEqual([...uploadLines, 'POST /whatsapp_business_profile']);
	});
});
