/**
 * Sending n8n binary data through the Send node: the file is checked in the validation phase,
 * uploaded to POST /media in the send phase, then sent by the returned id. A file WhatsApp would
 * refuse (type or size) stops the run before any request, for every item of the batch.
 */
import { createHash } from 'node:crypto';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { ENVELOPE, PNG_1X1, TO, TO_WA_ID } from '../support/bodies';
import { validateSendBody } from '../support/metaSpec';
import { runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const emulator = useEmulator();

function item(bytes: Buffer, mimeType: string, fileName: string, property = 'data'): INodeExecutionData {
	return { json: { caption: `File ${fileName}` }, binary: { [property]: { data: bytes.toString('base64'), mimeType, fileName } } };
}

/** A message from a binary field to `TO`. */
function send(parameters: INodeParameters, input: INodeExecutionData[], continueOnFail = false) {
	return runSendNode(emulator, { to: TO, mediaSource: 'binary', ...parameters }, input, { continueOnFail });
}

/** Method and path of every API request the emulator saw, in order. */
const calls = () => emulator.requests().map((request) => `${request.method} ${request.url.split('?')[0]}`);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

describe('Send node: binary media', () => {
	it('uploads an image to /media first, then sends it by the returned id', async () => {
		const { items, error } = await send({ messageType: 'image', mediaBinaryProperty: 'data', mediaCaption: '={{ $json.caption }}' }, [
			item(PNG_1X1, 'image/png', 'pixel.png'),
		]);
		expect(error).toBeUndefined();
		expect(calls()).toEqual(['POST /media', 'POST /messages']);

		const [uploaded] = emulator.state.media.list();
		expect(uploaded).toMatchObject({ kind: 'image', mimeType: 'image/png', filename: 'pixel.png', fileSize: PNG_1X1.length });
		expect(uploaded.sha256.equals(sha256(PNG_1X1))).toBe(true);

		const body = emulator.messages()[0].body;
		expect(body).toEqual({ ...ENVELOPE, type: 'image', image: { id: uploaded.id, caption: 'File pixel.png' } });
		expect(validateSendBody(body).errors).toEqual([]);
		expect(items).toEqual([
			{
				json: expect.objectContaining({ messageId: emulator.messages()[0].wamid, type: 'image', waId: TO_WA_ID }),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('uploads a document under its binary file name and sends that name', async () => {
		const { error } = await send({ messageType: 'document', mediaBinaryProperty: 'invoice' }, [
			item(PDF, 'application/pdf', 'invoice-42.pdf', 'invoice'),
		]);
		expect(error).toBeUndefined();
		expect(calls()).toEqual(['POST /media', 'POST /messages']);
		const [uploaded] = emulator.state.media.list();
		expect(uploaded).toMatchObject({ kind: 'document', mimeType: 'application/pdf', filename: 'invoice-42.pdf', fileSize: PDF.length });
		expect(emulator.messages()[0].body).toEqual({ ...ENVELOPE, type: 'document', document: { id: uploaded.id, filename: 'invoice-42.pdf' } });
	});

	it('uploads each item its own file and sends each by its own id', async () => {
		const input = [item(PNG_1X1, 'image/png', 'a.png'), item(Buffer.concat([PNG_1X1, Buffer.from([0])]), 'image/png', 'b.png')];
		const { error } = await send({ messageType: 'image', mediaBinaryProperty: 'data' }, input);
		expect(error).toBeUndefined();
		const byName = new Map(emulator.state.media.list().map((media) => [media.filename, media.id]));
		expect(byName.size).toBe(2);
		const sentIds = emulator.messages().map((message) => (message.body as { image: { id: string } }).image.id);
		expect(sentIds.sort()).toEqual([byName.get('a.png'), byName.get('b.png')].sort());
		// Each message goes out only after its own upload.
		const order = calls();
		expect(order.filter((call) => call === 'POST /media')).toHaveLength(2);
		expect(order.indexOf('POST /media')).toBeLessThan(order.indexOf('POST /messages'));
	});

	it('rejects a file of the wrong type with no request at all', async () => {
		const { error } = await send({ messageType: 'image', mediaBinaryProperty: 'data' }, [item(PNG_1X1, 'image/gif', 'anim.gif')]);
		expect(error?.message).toBe(
			'Input Binary Field: image does not support MIME type "image/gif"; WhatsApp accepts image/jpeg, image/png [item 0]',
		);
		expect(error?.description).toBe('Field "Input Binary Field" of item 0. This item was not sent.');
		expect(emulator.requests()).toEqual([]);
		expect(emulator.state.media.list()).toEqual([]);
	});

	it('rejects a file over the size limit with no request at all', async () => {
		const big = Buffer.alloc(5 * 1024 * 1024 + 1, 1);
		const { error } = await send({ messageType: 'image', mediaBinaryProperty: 'data' }, [item(big, 'image/jpeg', 'huge.jpg')]);
		expect(error?.message).toBe('Input Binary Field: the image is 5.1 MB; WhatsApp allows 5 MB [item 0]');
		expect(emulator.requests()).toEqual([]);
	});

	it('a bad file in item 1 stops item 0 from being uploaded or sent too', async () => {
		const { error } = await send({ messageType: 'sticker', mediaBinaryProperty: 'data' }, [
			item(Buffer.alloc(1000, 1), 'image/webp', 'ok.webp'),
			item(Buffer.alloc(600 * 1024, 1), 'image/webp', 'big.webp'),
		]);
		expect(error?.message).toBe('Input Binary Field: the sticker is 600.0 KB; WhatsApp allows 500 KB (100 KB for static stickers) [item 1]');
		expect(emulator.requests()).toEqual([]);
	});

	it('names the binary fields the item does have when the field name is wrong', async () => {
		const { error } = await send({ messageType: 'image', mediaBinaryProperty: 'photo' }, [item(PNG_1X1, 'image/png', 'p.png', 'attachment')]);
		expect(error?.message).toBe('Input Binary Field: the input item has no binary property "photo"; it has "attachment" [item 0]');
		expect(emulator.requests()).toEqual([]);
	});

	it('with Continue On Fail, sends the good item and reports the bad one', async () => {
		const { items, error } = await send(
			{ messageType: 'image', mediaBinaryProperty: 'data' },
			[item(PNG_1X1, 'application/octet-stream', 'unknown.bin'), item(PNG_1X1, 'image/png', 'good.png')],
			true,
		);
		expect(error).toBeUndefined();
		expect(calls()).toEqual(['POST /media', 'POST /messages']);
		const [uploaded] = emulator.state.media.list();
		expect(uploaded.filename).toBe('good.png');
		expect(items[0]).toEqual({
			json: {
				error: 'Input Binary Field: image does not support MIME type "application/octet-stream"; WhatsApp accepts image/jpeg, image/png [item 0]',
				errorDescription: 'Field "Input Binary Field" of item 0. This item was not sent.',
			},
			pairedItem: { item: 0 },
		});
		expect(items[1]).toEqual({ json: expect.objectContaining({ type: 'image', messageId: emulator.messages()[0].wamid }), pairedItem: { item: 1 } });
		expect(emulator.messages()[0].body).toEqual({ ...ENVELOPE, type: 'image', image: { id: uploaded.id } });
	});
});
