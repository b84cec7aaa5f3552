/**
 * The resumable upload: sessions, bytes checked against length and offset, handles that template
 * creation and the business profile accept (and handles they refuse).
 */
import { createHash, randomBytes } from 'node:crypto';

import type { AxiosInstance } from 'axios';

import { startEmulator, type Emulator } from './index';
import { apiClient } from './testUtils';

let emulator: Emulator;
let api: AxiosInstance;

beforeAll(async () => {
	emulator = await startEmulator();
	api = apiClient(emulator);
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(async () => {
	await emulator.reset();
});

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(2000)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000)]);

async function session(bytes: Buffer, fileType: string): Promise<string> {
	const { status, data } = await api.post('/uploads', undefined, { params: { file_name: 'sample', file_length: bytes.length, file_type: fileType } });
	expect(status).toBe(200);
	expect(data.id).toMatch(/^upload:[\w-]+\?sig=[\w-]+$/);
	return data.id as string;
}

const sendBytes = (id: string, bytes: Buffer, offset: number | undefined = 0) =>
	api.post(`/${id}`, bytes, { headers: { 'Content-Type': 'application/octet-stream', ...(offset === undefined ? {} : { file_offset: String(offset) }) } });

async function upload(bytes: Buffer, fileType: string): Promise<string> {
	const { status, data } = await sendBytes(await session(bytes, fileType), bytes);
	expect(status).toBe(200);
	return data.h as string;
}

const details = (data: { error?: { error_data?: { details?: string } } }) => data.error?.error_data?.details ?? '';

describe('resumable upload', () => {
	it('creates a session, takes the bytes and answers a handle of the file', async () => {
		const id = await session(PNG, 'image/png');
		const { status, data } = await sendBytes(id, PNG);
		expect(status).toBe(200);
		expect(data.h).toMatch(/^4::aW1hZ2UvcG5n:[\w-]+$/);
		expect(emulator.state.account.uploads.file(data.h)).toMatchObject({
			fileType: 'image/png',
			fileName: 'sample',
			fileLength: PNG.length,
			sha256: createHash('sha256').update(PNG).digest('hex'),
		});
		// The request log keeps a summary of the bytes, not the bytes.
		expect(emulator.requests().at(-1)?.body).toEqual({ length: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex') });
	});

	it('refuses bad sessions: no length, an unsupported type, a file over 100 MB', async () => {
		for (const params of [{ file_type: 'image/png' }, { file_length: 10, file_type: 'image/gif' }, { file_length: 101 * 1024 * 1024, file_type: 'video/mp4' }]) {
			const { status, data } = await api.post('/uploads', undefined, { params });
			expect(status).toBe(400);
			expect(data.error.code).toBe(100);
		}
	});

	it('checks the offset and the length; a short body is resumed from the session offset', async () => {
		const id = await session(PDF, 'application/pdf');
		expect(details((await sendBytes(id, PDF, 5)).data)).toMatch(/file_offset 5 does not match the session's offset 0/);
		expect(details((await sendBytes(id, Buffer.concat([PDF, Buffer.from('x')]))).data)).toMatch(/more than the \d+ bytes given as file_length/);
		const first = await sendBytes(id, PDF.subarray(0, 1000));
		expect(details(first.data)).toMatch(/received 1000 of \d+ bytes; send the rest with file_offset 1000/);
		const status = await api.get(`/${id}`);
		expect(status.data).toEqual({ id: id.split('?')[0], file_offset: 1000 });
		const rest = await sendBytes(id, PDF.subarray(1000), 1000);
		expect(rest.status).toBe(200);
		expect(emulator.state.account.uploads.file(rest.data.h)?.sha256).toBe(createHash('sha256').update(PDF).digest('hex'));
	});

	it('needs the whole session id (with ?sig=) and the offset as a header', async () => {
		const id = await session(PNG, 'image/png');
		expect(details((await sendBytes(id.split('?')[0], PNG)).data)).toMatch(/including its \?sig= part/);
		expect(details((await sendBytes('upload:unknown', PNG)).data)).toMatch(/does not exist/);
		const query = await api.post(`/${id}&file_offset=0`, PNG, { headers: { 'Content-Type': 'application/octet-stream' } });
		expect(details(query.data)).toMatch(/as an HTTP header/);
		// Other single-segment POSTs are still unknown endpoints.
		expect((await api.post('/something', { a: 1 })).status).toBe(404);
	});
});

describe('handles in use', () => {
	const imageTemplate = (handle: string, format = 'IMAGE') => ({
		name: 'spring_photo',
		language: 'en',
		category: 'MARKETING',
		components: [
			{ type: 'HEADER', format, example: { header_handle: [handle] } },
			{ type: 'BODY', text: 'Our spring collection is here.' },
		],
	});

	it('template creation takes a handle issued here, of the header type', async () => {
		const handle = await upload(PNG, 'image/png');
		expect((await api.post('/v1/configs/templates', imageTemplate(handle))).status).toBe(200);

		const made = await api.post('/v1/configs/templates', { ...imageTemplate('4::aW1hZ2UvanBlZw==:ARbMADEUP'), name: 'made_up' });
		expect(made.status).toBe(400);
		expect(details(made.data)).toMatch(/is not a handle from the resumable upload/);

		const pdf = await upload(PDF, 'application/pdf');
		const mismatch = await api.post('/v1/configs/templates', { ...imageTemplate(pdf), name: 'pdf_as_image' });
		expect(details(mismatch.data)).toMatch(/the image header needs a sample of type image\/jpeg, image\/jpg, image\/png; the handle's file is application\/pdf/);
		expect((await api.post('/v1/configs/templates', { ...imageTemplate(pdf, 'DOCUMENT'), name: 'pdf_document' })).status).toBe(200);
	});

	it('the business profile takes an image handle as its picture and gives it a new URL', async () => {
		const before = (await api.get('/whatsapp_business_profile', { params: { fields: 'profile_picture_url' } })).data.data[0].profile_picture_url;
		const handle = await upload(PNG, 'image/png');
		expect((await api.post('/whatsapp_business_profile', { messaging_product: 'whatsapp', profile_picture_handle: handle })).data).toEqual({ success: true });
		const after = (await api.get('/whatsapp_business_profile', { params: { fields: 'profile_picture_url' } })).data.data[0].profile_picture_url;
		expect(after).not.toBe(before);

		const pdf = await upload(PDF, 'application/pdf');
		const refused = await api.post('/whatsapp_business_profile', { messaging_product: 'whatsapp', profile_picture_handle: pdf });
		expect(details(refused.data)).toMatch(/must be a JPEG or PNG image/);
		const unknown = await api.post('/whatsapp_business_profile', { messaging_product: 'whatsapp', profile_picture_handle: 'nope' });
		expect(details(unknown.data)).toMatch(/not a handle from the resumable upload/);
	});
});
