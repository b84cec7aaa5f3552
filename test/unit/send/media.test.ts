/**
 * Image, video, audio, document and sticker: exact bodies for every source (URL, media ID,
 * binary upload), every limit once, and every body variant against Meta's spec.
 * Through the node: test/integration/send-media.test.ts and send-binary.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	audioMessage,
	documentMessage,
	imageMessage,
	MEDIA_MESSAGE_TYPES,
	stickerMessage,
	videoMessage,
} from '../../../nodes/Dialog360/messageTypes/media';
import type { BinaryInfo, MessageTypeModule } from '../../../nodes/Dialog360/messageTypes/types';
import { withUploadedMedia } from '../../../nodes/Dialog360/send';
import { envelope } from '../../support/bodies';
import { validateSendBody } from '../../support/metaSpec';
import { build, fieldError, stubContext } from './stubBuildContext';

const KB = 1024;
const MB = 1024 * KB;

const png: BinaryInfo = { mimeType: 'image/png', fileName: 'photo.png', sizeBytes: 2048 };
const pdf: BinaryInfo = { mimeType: 'application/pdf', fileName: 'invoice-42.pdf', sizeBytes: 80 * KB };
const ogg: BinaryInfo = { mimeType: 'audio/ogg; codecs=opus', fileName: 'note.ogg', sizeBytes: 40 * KB };
const mp3: BinaryInfo = { mimeType: 'audio/mpeg', fileName: 'song.mp3', sizeBytes: 3 * MB };
const mp4: BinaryInfo = { mimeType: 'video/mp4', fileName: 'clip.mp4', sizeBytes: 9 * MB };
const webp: BinaryInfo = { mimeType: 'image/webp', fileName: 'sticker.webp', sizeBytes: 90 * KB };

function expectSpecValid(body: IDataObject): void {
	expect(validateSendBody(envelope(body)).errors).toEqual([]);
}

describe('media message types: registry and form', () => {
	it('exports the five kinds in dropdown order', () => {
		expect(MEDIA_MESSAGE_TYPES.map((type) => type.value)).toEqual(['image', 'video', 'audio', 'document', 'sticker']);
		expect(MEDIA_MESSAGE_TYPES.map((type) => type.name)).toEqual(['Image', 'Video', 'Audio', 'Document', 'Sticker']);
	});

	it('offers caption only for image, video and document, file name only for documents, voice only for audio', () => {
		const names = (module: MessageTypeModule) => module.properties.map((property) => property.name);
		const common = ['mediaSource', 'mediaUrl', 'mediaId', 'mediaBinaryProperty'];
		expect(names(imageMessage)).toEqual([...common, 'mediaCaption']);
		expect(names(videoMessage)).toEqual([...common, 'mediaCaption']);
		expect(names(audioMessage)).toEqual([...common, 'mediaVoiceNote']);
		expect(names(documentMessage)).toEqual([...common, 'mediaCaption', 'mediaFileName']);
		expect(names(stickerMessage)).toEqual(common);
	});

	it('shows each source field only for its source, and the source switch takes no expression', () => {
		const byName = Object.fromEntries(imageMessage.properties.map((property) => [property.name, property]));
		expect(byName.mediaSource.noDataExpression).toBe(true);
		expect(byName.mediaUrl.displayOptions?.show?.mediaSource).toEqual(['url']);
		expect(byName.mediaId.displayOptions?.show?.mediaSource).toEqual(['id']);
		expect(byName.mediaBinaryProperty.displayOptions?.show?.mediaSource).toEqual(['binary']);
		expect(byName.mediaCaption.description).toContain('1024');
	});
});

describe('media by URL', () => {
	it('image with caption', async () => {
		const built = await build(imageMessage, { mediaSource: 'url', mediaUrl: ' https://example.com/p.jpg ', mediaCaption: 'Your *order*' });
		expect(built).toEqual({ body: { type: 'image', image: { link: 'https://example.com/p.jpg', caption: 'Your *order*' } } });
		expectSpecValid(built.body);
	});

	it('video without caption leaves caption out', async () => {
		const built = await build(videoMessage, { mediaSource: 'url', mediaUrl: 'https://example.com/v.mp4', mediaCaption: '   ' });
		expect(built).toEqual({ body: { type: 'video', video: { link: 'https://example.com/v.mp4' } } });
		expectSpecValid(built.body);
	});

	it('audio ignores a caption parameter left over from another type', async () => {
		const built = await build(audioMessage, { mediaSource: 'url', mediaUrl: 'https://example.com/a.mp3', mediaCaption: 'ignored' });
		expect(built).toEqual({ body: { type: 'audio', audio: { link: 'https://example.com/a.mp3' } } });
		expectSpecValid(built.body);
	});

	it('audio as voice message', async () => {
		const built = await build(audioMessage, { mediaSource: 'url', mediaUrl: 'https://example.com/a.ogg', mediaVoiceNote: true });
		expect(built).toEqual({ body: { type: 'audio', audio: { link: 'https://example.com/a.ogg', voice: true } } });
		expectSpecValid(built.body);
	});

	it('document with file name and caption', async () => {
		const built = await build(documentMessage, {
			mediaSource: 'url',
			mediaUrl: 'https://example.com/dl?id=7',
			mediaCaption: 'Invoice',
			mediaFileName: ' invoice.pdf ',
		});
		expect(built).toEqual({
			body: { type: 'document', document: { link: 'https://example.com/dl?id=7', caption: 'Invoice', filename: 'invoice.pdf' } },
		});
		expectSpecValid(built.body);
	});

	it('sticker ignores caption and file name', async () => {
		const built = await build(stickerMessage, {
			mediaSource: 'url',
			mediaUrl: 'https://example.com/s.webp',
			mediaCaption: 'x',
			mediaFileName: 'x.webp',
		});
		expect(built).toEqual({ body: { type: 'sticker', sticker: { link: 'https://example.com/s.webp' } } });
		expectSpecValid(built.body);
	});

	it('defaults to the URL source', async () => {
		const built = await build(imageMessage, { mediaUrl: 'https://example.com/p.png' });
		expect(built.body).toEqual({ type: 'image', image: { link: 'https://example.com/p.png' } });
	});

	it('rejects a missing, malformed or non-https URL', async () => {
		expect((await fieldError(() => build(imageMessage, { mediaSource: 'url', mediaUrl: '' }))).message).toBe('URL is required');
		const notUrl = await fieldError(() => build(imageMessage, { mediaSource: 'url', mediaUrl: 'photo.jpg' }));
		expect(notUrl.field).toBe('URL');
		expect(notUrl.message).toBe('URL "photo.jpg" is not a valid URL');
		expect((await fieldError(() => build(videoMessage, { mediaSource: 'url', mediaUrl: 'http://example.com/v.mp4' }))).message).toBe(
			'URL must start with https://; got "http://example.com/v.mp4"',
		);
	});
});

describe('media by ID', () => {
	it.each([
		[imageMessage, { mediaCaption: 'Hi' }, { caption: 'Hi' }],
		[videoMessage, {}, {}],
		[audioMessage, { mediaVoiceNote: true }, { voice: true }],
		[documentMessage, { mediaFileName: 'a.pdf', mediaCaption: 'c' }, { caption: 'c', filename: 'a.pdf' }],
		[stickerMessage, {}, {}],
	].map(([module, ...rest]) => [(module as MessageTypeModule).value, module, ...rest]) as Array<
		[string, MessageTypeModule, Record<string, unknown>, IDataObject]
	>)('%s by media ID', async (_kind, module, extra, expected) => {
		const built = await build(module, { mediaSource: 'id', mediaId: ' 1037543291543636 ', ...extra });
		expect(built).toEqual({ body: { type: module.value, [module.value]: { id: '1037543291543636', ...expected } } });
		expectSpecValid(built.body);
	});

	it('rejects an empty ID, a link and text with spaces', async () => {
		const empty = await fieldError(() => build(imageMessage, { mediaSource: 'id', mediaId: '' }));
		expect([empty.field, empty.message]).toEqual(['Media ID', 'Media ID is required']);
		expect((await fieldError(() => build(imageMessage, { mediaSource: 'id', mediaId: 'https://x.example/a.png' }))).message).toBe(
			'Media ID "https://x.example/a.png" is a link; choose Source → URL to send a file from a link',
		);
		expect((await fieldError(() => build(imageMessage, { mediaSource: 'id', mediaId: '123 456' }))).message).toBe(
			'Media ID "123 456" contains spaces; a media ID is a single word like 1037543291543636',
		);
	});

	it('rejects an unknown source', async () => {
		const error = await fieldError(() => build(imageMessage, { mediaSource: 'ftp' }));
		expect([error.field, error.message]).toEqual(['Source', 'Source "ftp" is not supported; choose URL, Media ID or Binary File']);
	});
});

describe('media from a binary field (upload in the send phase)', () => {
	it('image: no request now, a pending upload that puts the id into the body', async () => {
		const context = stubContext({ mediaSource: 'binary', mediaBinaryProperty: ' data ', mediaCaption: 'Look' }, { data: png });
		const built = await imageMessage.build(context);
		expect(context.binaryLookups).toEqual(['data']);
		expect(built.body).toEqual({ type: 'image', image: { caption: 'Look' } });
		expect(built.uploads).toHaveLength(1);
		const upload = built.uploads![0];
		expect(upload).toEqual({
			binaryPropertyName: 'data',
			kind: 'image',
			mimeType: 'image/png',
			fileName: 'photo.png',
			path: ['image'],
		});
		const sent = withUploadedMedia(built.body, built.uploads!, ['9001']);
		expect(sent).toEqual({ type: 'image', image: { id: '9001', caption: 'Look' } });
		expect(built.body).toEqual({ type: 'image', image: { caption: 'Look' } });
		expectSpecValid(sent);
	});

	it('the upload fills in the id even after the router copied the body to add the envelope', async () => {
		const built = await build(videoMessage, { mediaSource: 'binary', mediaBinaryProperty: 'data', mediaCaption: 'Clip' }, { data: mp4 });
		const sent = withUploadedMedia(envelope(built.body), built.uploads!, ['4242']);
		expect(sent).toEqual(envelope({ type: 'video', video: { id: '4242', caption: 'Clip' } }));
		expect(Object.keys(sent.video as IDataObject)).toEqual(['id', 'caption']);
		expect(validateSendBody(sent).errors).toEqual([]);
	});

	it('document: the file name defaults to the binary file name', async () => {
		const built = await build(documentMessage, { mediaSource: 'binary', mediaBinaryProperty: 'file' }, { file: pdf });
		expect(built.uploads![0]).toMatchObject({ binaryPropertyName: 'file', kind: 'document', mimeType: 'application/pdf', fileName: 'invoice-42.pdf' });
		const builtSent = withUploadedMedia(built.body, built.uploads!, ['77']);
		expect(builtSent).toEqual({ type: 'document', document: { id: '77', filename: 'invoice-42.pdf' } });
		expectSpecValid(builtSent);
	});

	it('document: a typed file name wins, for the message and the upload', async () => {
		const built = await build(documentMessage, { mediaSource: 'binary', mediaBinaryProperty: 'data', mediaFileName: 'Rechnung.pdf' }, { data: pdf });
		expect(built.uploads![0].fileName).toBe('Rechnung.pdf');
		expect(withUploadedMedia(built.body, built.uploads!, ['78'])).toEqual({ type: 'document', document: { id: '78', filename: 'Rechnung.pdf' } });
	});

	it('audio voice message from an OGG/Opus binary', async () => {
		const built = await build(audioMessage, { mediaSource: 'binary', mediaBinaryProperty: 'data', mediaVoiceNote: true }, { data: ogg });
		expect(built.uploads![0].mimeType).toBe('audio/ogg; codecs=opus');
		const builtSent = withUploadedMedia(built.body, built.uploads!, ['5']);
		expect(builtSent).toEqual({ type: 'audio', audio: { id: '5', voice: true } });
		expectSpecValid(builtSent);
	});

	it('video and sticker', async () => {
		const video = await build(videoMessage, { mediaSource: 'binary', mediaBinaryProperty: 'data' }, { data: mp4 });
		const videoSent = withUploadedMedia(video.body, video.uploads!, ['6']);
		expect(videoSent).toEqual({ type: 'video', video: { id: '6' } });
		expectSpecValid(videoSent);
		const sticker = await build(stickerMessage, { mediaSource: 'binary', mediaBinaryProperty: 'data' }, { data: webp });
		const stickerSent = withUploadedMedia(sticker.body, sticker.uploads!, ['7']);
		expect(stickerSent).toEqual({ type: 'sticker', sticker: { id: '7' } });
		expectSpecValid(stickerSent);
	});

	it('rejects a voice message from a non-OGG file', async () => {
		const error = await fieldError(() => build(audioMessage, { mediaSource: 'binary', mediaBinaryProperty: 'data', mediaVoiceNote: true }, { data: mp3 }));
		expect(error.field).toBe('Send as Voice Message');
		expect(error.message).toBe(
			'Send as Voice Message needs an OGG file with the Opus codec; the file in "data" is audio/mpeg. Turn the option off to send it as a normal audio file.',
		);
	});

	it('rejects a missing binary field name and a missing binary property', async () => {
		expect((await fieldError(() => build(imageMessage, { mediaSource: 'binary', mediaBinaryProperty: ' ' }))).message).toBe(
			'Input Binary Field is required',
		);
		const missing = await fieldError(() => build(imageMessage, { mediaSource: 'binary', mediaBinaryProperty: 'file' }, { data: png }));
		expect(missing.field).toBe('Input Binary Field');
	});

	it.each([
		[imageMessage, { mimeType: 'image/gif', sizeBytes: 10 }, 'Input Binary Field: image does not support MIME type "image/gif"; WhatsApp accepts image/jpeg, image/png'],
		[imageMessage, { mimeType: 'image/jpeg', sizeBytes: 5 * MB + 1 }, 'Input Binary Field: the image is 5.1 MB; WhatsApp allows 5 MB'],
		[videoMessage, { mimeType: 'video/mp4', sizeBytes: 17 * MB }, 'Input Binary Field: the video is 17.0 MB; WhatsApp allows 16 MB'],
		[audioMessage, { mimeType: 'audio/wav', sizeBytes: 10 }, 'Input Binary Field: audio does not support MIME type "audio/wav"; WhatsApp accepts audio/aac, audio/amr, audio/mpeg, audio/mp4, audio/ogg'],
		[audioMessage, { mimeType: 'audio/mpeg', sizeBytes: 16 * MB + 1 }, 'Input Binary Field: the audio is 16.1 MB; WhatsApp allows 16 MB'],
		[documentMessage, { mimeType: 'application/zip', sizeBytes: 10 }, expect.stringContaining('Input Binary Field: document does not support MIME type "application/zip"')],
		[documentMessage, { mimeType: 'application/pdf', sizeBytes: 100 * MB + 1 }, 'Input Binary Field: the document is 100.1 MB; WhatsApp allows 100 MB'],
		[stickerMessage, { mimeType: 'image/png', sizeBytes: 10 }, 'Input Binary Field: sticker does not support MIME type "image/png"; WhatsApp accepts image/webp'],
		[stickerMessage, { mimeType: 'image/webp', sizeBytes: 501 * KB }, 'Input Binary Field: the sticker is 501.0 KB; WhatsApp allows 500 KB (100 KB for static stickers)'],
		[imageMessage, { mimeType: 'image/png', sizeBytes: 0 }, 'Input Binary Field: the image file is empty'],
	].map(([module, file, message]) => {
		const { value } = module as MessageTypeModule;
		const { mimeType, sizeBytes } = file as BinaryInfo;
		return [`${value} from ${mimeType} of ${sizeBytes} bytes`, module, file, message];
	}) as Array<[string, MessageTypeModule, BinaryInfo, string]>)(
		'%s is rejected before any upload',
		async (_kind, module, file, message) => {
			const error = await fieldError(() => build(module, { mediaSource: 'binary', mediaBinaryProperty: 'data' }, { data: file }));
			expect(error.field).toBe('Input Binary Field');
			expect(error.message).toEqual(message);
		},
	);

	it('accepts files exactly at the limit', async () => {
		const built = await build(imageMessage, { mediaSource: 'binary', mediaBinaryProperty: 'data' }, { data: { mimeType: 'image/jpeg', sizeBytes: 5 * MB } });
		expect(built.uploads).toHaveLength(1);
	});
});

describe('caption limit', () => {
	it('allows 1024 characters, counted as code points like Meta does (👍🏽 counts 2)', async () => {
		const caption = `${'a'.repeat(1022)}👍🏽`;
		const built = await build(imageMessage, { mediaSource: 'id', mediaId: '1', mediaCaption: caption });
		expect((built.body.image as IDataObject).caption).toBe(caption);
		const error = await fieldError(() => build(imageMessage, { mediaSource: 'id', mediaId: '1', mediaCaption: `a${caption}` }));
		expect(error.message).toBe('Caption has 1025 characters; WhatsApp allows 1024');
	});

	it.each([imageMessage, videoMessage, documentMessage].map((module) => [module.value, module] as const))('%s: rejects 1025 characters', async (_kind, module) => {
		const error = await fieldError(() => build(module, { mediaSource: 'id', mediaId: '1', mediaCaption: 'x'.repeat(1025) }));
		expect([error.field, error.message]).toEqual(['Caption', 'Caption has 1025 characters; WhatsApp allows 1024']);
	});
});
