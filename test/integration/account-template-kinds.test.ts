/**
 * 360dialog Account node, Template → Create with the remaining kinds, in n8n-core against the
 * emulator: a Flow button and a limited-time offer from the form, a carousel from JSON whose card
 * images were uploaded by an earlier Create (its headerHandle output); bad input names the field
 * and the item before any request; Continue On Fail.
 */
import { randomBytes } from 'node:crypto';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { requestLines, runAccountNode } from '../support/accountNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

const account = (parameters: INodeParameters, input?: INodeExecutionData[], continueOnFail = false) =>
	runAccountNode(emulator, { resource: 'template', operation: 'create', ...parameters }, input, { continueOnFail });

const posted = () => emulator.requests().filter((request) => request.url === '/v1/configs/templates').map((request) => request.body as { components: Array<Record<string, unknown>> });

describe('Template → Create: Flow buttons, limited-time offers, carousels', () => {
	it('creates a utility template with a Flow button from the form', async () => {
		const { items, error } = await account({
			templateName: 'book_visit',
			language: 'en_US',
			category: 'UTILITY',
			body: 'Book your next visit in a minute.',
			buttons: { button: [{ type: 'FLOW', text: 'Book now', flow: '1234567890', flowAction: 'navigate', flowScreen: 'WELCOME_SCREEN' }] },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ name: 'book_visit', status: 'PENDING' });
		expect(posted()[0].components[1]).toEqual({ type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Book now', flow_id: '1234567890', flow_action: 'navigate', navigate_screen: 'WELCOME_SCREEN' }] });
	});

	it('creates a limited-time offer from the form', async () => {
		const { error } = await account({
			templateName: 'caribe_offer',
			language: 'en_US',
			category: 'MARKETING',
			offerText: 'Expiring offer!',
			offerHasExpiration: true,
			body: 'Good news, {{1}}! Use the code for 25% off.',
			bodyExamples: { example: [{ variable: '1', example: 'Pablo' }] },
			buttons: { button: [{ type: 'COPY_CODE', couponExample: 'CARIBE25' }, { type: 'URL', text: 'Book now', url: 'https://example.com/offer' }] },
		});
		expect(error).toBeUndefined();
		expect(posted()[0].components.map((component) => component.type)).toEqual(['LIMITED_TIME_OFFER', 'BODY', 'BUTTONS']);
		await emulator.idle();
		expect(emulator.templates.find((template) => template.name === 'caribe_offer')?.status).toBe('APPROVED');
	});

	it('creates a carousel from JSON with card images uploaded by an earlier Create', async () => {
		const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(4000)]);
		const first = await account(
			{ templateName: 'room_photo', language: 'en', category: 'MARKETING', headerType: 'IMAGE', headerMediaSource: 'binary', headerBinaryProperty: 'data', body: 'Our rooms.' },
			[{ json: {}, binary: { data: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'room.png' } } }],
		);
		expect(first.error).toBeUndefined();
		const handle = first.items[0].json.headerHandle as string;
		const card = (price: string) => ({
			components: [
				{ type: 'header', format: 'image', example: { header_handle: [handle] } },
				{ type: 'body', text: 'Rooms from {{1}} a night.', example: { body_text: [[price]] } },
				{ type: 'buttons', buttons: [{ type: 'quick_reply', text: 'More like this' }, { type: 'url', text: 'Book', url: 'https://example.com/rooms' }] },
			],
		});
		const template = { name: 'summer_rooms', language: 'en', category: 'marketing', components: [{ type: 'body', text: 'Hi {{1}}, our summer rooms:', example: { body_text: [['Max']] } }, { type: 'carousel', cards: [card('€99'), card('€129')] }] };
		const { error, items } = await account({ definition: 'json', templateJson: '={{ $json.template }}' }, [{ json: { template } }]);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ name: 'summer_rooms', category: 'MARKETING', status: 'PENDING' });
		expect(posted()[1].components[1]).toMatchObject({ type: 'CAROUSEL', cards: [{ components: [{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY' }, { type: 'BUTTONS' }] }, expect.anything()] });
	});

	it.each<[string, INodeParameters, RegExp]>([
		['a Flow button without a Flow', { category: 'UTILITY', buttons: { button: [{ type: 'FLOW', text: 'Book' }] } }, /Button 1 Flow ID or Name: a Flow button needs exactly one of flow_id, flow_name or flow_json \[item 0\]/],
		['an offer with a footer', { category: 'MARKETING', offerText: 'Soon over', footer: 'Terms apply', buttons: { button: [{ type: 'URL', text: 'Go', url: 'https://example.com' }] } }, /Footer: a limited-time offer template has no footer \[item 0\]/],
		['an offer text of 17 characters', { category: 'MARKETING', offerText: 'x'.repeat(17), buttons: { button: [{ type: 'URL', text: 'Go', url: 'https://example.com' }] } }, /Limited-Time Offer Text has 17 characters; WhatsApp allows 16 \[item 0\]/],
	])('refuses %s before any request', async (_title, parameters, message) => {
		const { error } = await account({ templateName: 'bad_one', language: 'en', body: 'Hello there.', ...parameters });
		expect(error?.message).toMatch(message);
		expect(emulator.requests()).toEqual([]);
	});

	it('with Continue On Fail a bad carousel fails only its item', async () => {
		const oneCard = { name: 'lonely', language: 'en', category: 'MARKETING', components: [{ type: 'BODY', text: 'One card.' }, { type: 'CAROUSEL', cards: [{ components: [] }] }] };
		const good = { name: 'plain_one', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello.' }] };
		const { items, error } = await account({ definition: 'json', templateJson: '={{ $json.template }}' }, [{ json: { template: oneCard } }, { json: { template: good } }], true);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.pairedItem, item.json.error ?? 'ok'])).toEqual([
			[{ item: 0 }, expect.stringMatching(/Template JSON → CAROUSEL component has 1 cards; WhatsApp allows 2 to 10 \[item 0\]/)],
			[{ item: 1 }, 'ok'],
		]);
		expect(requestLines(emulator)).toEqual(['POST /v1/configs/templates']);
	});
});
