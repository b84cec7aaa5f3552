/**
 * Image, video, audio, document and sticker by URL and media ID through the Send node inside
 * n8n-core, against the emulator (the bodies alone: test/unit/send/media.test.ts; binary uploads:
 * send-binary.test.ts).
 */
import { ENVELOPE, TO } from '../support/bodies';
import { acceptedBodies, runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

describe('media through the 360dialog node', () => {
	const emulator = useEmulator();

	it('sends a document by URL with caption and file name', async () => {
		const { error } = await runSendNode(
			emulator,
			{
				messageType: 'document',
				to: TO,
				mediaSource: 'url',
				mediaUrl: '={{ $json.pdf }}',
				mediaCaption: '=Invoice {{ $json.no }}',
				mediaFileName: '=invoice-{{ $json.no }}.pdf',
			},
			[{ json: { pdf: 'https://files.example.com/inv/42.pdf', no: 42 } }],
		);
		expect(error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([
			{
				...ENVELOPE,
				type: 'document',
				document: { link: 'https://files.example.com/inv/42.pdf', caption: 'Invoice 42', filename: 'invoice-42.pdf' },
			},
		]);
	});

	it.each([
		['image', { mediaCaption: 'Hi' }, { caption: 'Hi' }],
		['video', { mediaCaption: '' }, {}],
		['audio', { mediaVoiceNote: true }, { voice: true }],
		['sticker', {}, {}],
	])('sends %s by media ID', async (messageType, extra, expected) => {
		const { error } = await runSendNode(emulator, { messageType, to: TO, mediaSource: 'id', mediaId: '1037543291543636', ...extra });
		expect(error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([{ ...ENVELOPE, type: messageType, [messageType]: { id: '1037543291543636', ...expected } }]);
	});

	it('stops before any request when the caption is too long', async () => {
		const { error } = await runSendNode(emulator, { messageType: 'image', to: TO, mediaSource: 'url', mediaUrl: 'https://example.com/a.png', mediaCaption: 'x'.repeat(1025) });
		expect(error?.message).toBe('Caption has 1025 characters; WhatsApp allows 1024 [item 0]');
		expect(emulator.requests()).toEqual([]);
	});
});
