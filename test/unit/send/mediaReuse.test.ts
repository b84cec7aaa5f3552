/**
 * Media reuse, the pure part: which media objects of a built body go by link (and so can be
 * uploaded once and sent by id). Uploads, fallback and the per-execution cache, through n8n-core
 * against the emulator: test/integration/send-media-reuse.test.ts.
 */
import { mediaLinks } from '../../../nodes/Dialog360/mediaReuse';

describe('mediaLinks', () => {
	it('finds the media object of a media message, with its kind', () => {
		expect(mediaLinks({ type: 'document', document: { link: 'https://x.test/a.pdf', filename: 'a.pdf' } })).toEqual([
			{ path: ['document'], kind: 'document', link: 'https://x.test/a.pdf' },
		]);
	});

	it('finds template header media, also in carousel cards, and interactive headers', () => {
		const template = {
			type: 'template',
			template: {
				components: [
					{ type: 'header', parameters: [{ type: 'video', video: { link: 'https://x.test/v.mp4' } }] },
					{
						type: 'carousel',
						cards: [
							{ card_index: 0, components: [{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.test/0.jpg' } }] }] },
							{ card_index: 1, components: [{ type: 'header', parameters: [{ type: 'image', image: { id: '123' } }] }] },
						],
					},
				],
			},
		};
		expect(mediaLinks(template)).toEqual([
			{ path: ['template', 'components', 0, 'parameters', 0, 'video'], kind: 'video', link: 'https://x.test/v.mp4' },
			{ path: ['template', 'components', 1, 'cards', 0, 'components', 0, 'parameters', 0, 'image'], kind: 'image', link: 'https://x.test/0.jpg' },
		]);
		expect(mediaLinks({ type: 'interactive', interactive: { header: { type: 'image', image: { link: 'https://x.test/h.png' } } } })).toEqual([
			{ path: ['interactive', 'header', 'image'], kind: 'image', link: 'https://x.test/h.png' },
		]);
	});

	it('ignores media sent by id, links that are not media (buttons, cta_url) and text', () => {
		expect(mediaLinks({ type: 'image', image: { id: '1' } })).toEqual([]);
		expect(mediaLinks({ type: 'interactive', interactive: { action: { name: 'cta_url', parameters: { url: 'https://x.test' } } } })).toEqual([]);
		expect(mediaLinks({ type: 'text', text: { body: 'https://x.test/a.jpg', preview_url: true } })).toEqual([]);
	});
});
