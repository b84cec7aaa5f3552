/**
 * 360dialog Account node, Template → Create with the remaining kinds, in n8n-core against the
 * emulator: a Flow button and a limited-time offer from the form, a carousel from JSON whose card
 * images were uploaded by an earlier Create (its headerHandle output), a carousel from the form with
 * every card's file uploaded from the item's binary data; bad input names the field (and card) and
 * the item before any request; Continue On Fail.
 */
import { randomBytes } from 'node:crypto';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { requestLines, runAccountNode } from '../support/accountNode';
import { TO_WA_ID } from '../support/bodies';
import { acceptedBodies, runSendNode } from '../support/sendNode';
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

describe('Template → Create: a carousel from the form, every card its own uploaded file', () => {
	const png = (seed: number) => Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2000 + seed, seed)]);
	const binaryOf = (data: Buffer, mimeType = 'image/png', fileName = 'card.png') => ({ data: data.toString('base64'), mimeType, fileName });
	const threeFiles = () => ({ first: binaryOf(png(1), 'image/png', 'one.png'), second: binaryOf(png(2), 'image/png', 'two.png'), third: binaryOf(png(3), 'image/png', 'three.png') });
	const card = (binaryProperty: string, price: string, overrides: INodeParameters = {}): INodeParameters => ({
		headerFormat: 'IMAGE',
		binaryProperty,
		body: '=Rooms from {{1}} a night.',
		bodyExamples: { example: [{ variable: '1', example: price }] },
		buttons: { button: [{ type: 'QUICK_REPLY', text: 'More like this' }, { type: 'URL', text: 'Book', url: '=https://example.com/rooms/{{1}}', urlSuffixExample: 'seaview' }] },
		...overrides,
	});
	const carouselForm = (cards: INodeParameters[], name = 'summer_cards'): INodeParameters => ({
		templateName: name,
		language: 'en_US',
		category: 'MARKETING',
		templateType: 'carousel',
		body: '=Hi {{1}}, our summer rooms:',
		bodyExamples: { example: [{ variable: '1', example: 'Max' }] },
		cards: { card: cards },
	});
	const uploads = () => requestLines(emulator).filter((line) => line === 'POST /uploads');

	it('uploads the three card images, creates the carousel; once approved, the Send node sends it', async () => {
		const { items, error } = await account(carouselForm([card('first', '€99'), card('second', '€129'), card('third', '€149')]), [{ json: {}, binary: threeFiles() }]);
		expect(error).toBeUndefined();
		expect(uploads()).toHaveLength(3);
		expect(requestLines(emulator).at(-1)).toBe('POST /v1/configs/templates');
		const cardHandles = items[0].json.cardHandles as string[];
		expect(cardHandles).toHaveLength(3);
		expect(new Set(cardHandles).size).toBe(3);
		expect(items[0].json).toMatchObject({ name: 'summer_cards', category: 'MARKETING', status: 'PENDING' });
		const [body, carousel] = posted()[0].components as Array<{ type: string; cards?: Array<{ components: unknown[] }> }>;
		expect(body).toEqual({ type: 'BODY', text: 'Hi {{1}}, our summer rooms:', example: { body_text: [['Max']] } });
		expect(carousel.cards?.[1].components).toEqual([
			{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [cardHandles[1]] } },
			{ type: 'BODY', text: 'Rooms from {{1}} a night.', example: { body_text: [['€129']] } },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'More like this' },
					{ type: 'URL', text: 'Book', url: 'https://example.com/rooms/{{1}}', example: ['https://example.com/rooms/seaview'] },
				],
			},
		]);
		await emulator.idle();
		expect(emulator.templates.find((template) => template.name === 'summer_cards')?.status).toBe('APPROVED');

		const values: Record<string, string> = { 'body.1': 'Max' };
		for (const index of [0, 1, 2]) {
			values[`card.${index}.header.image`] = `https://cdn.example.com/${index}.png`;
			values[`card.${index}.body.1`] = `€${99 + index}`;
			values[`card.${index}.button.1.url`] = `room-${index}`;
		}
		const sent = await runSendNode(emulator, {
			messageType: 'template',
			to: TO_WA_ID,
			template: { __rl: true, mode: 'name', value: 'summer_cards|en_US' },
			templateParameterMode: 'json',
			templateParametersJson: JSON.stringify(values),
		});
		expect(sent.error).toBeUndefined();
		const [message] = acceptedBodies(emulator) as Array<{ template: { components: Array<{ type: string; cards?: unknown[] }> } }>;
		expect(message.template.components.find((component) => component.type === 'carousel')?.cards).toHaveLength(3);
	});

	it('creates a video carousel: each card an MP4 file', async () => {
		const mp4 = (seed: number) => binaryOf(Buffer.concat([Buffer.from('000000186674797069736f6d', 'hex'), Buffer.alloc(3000, seed)]), 'video/mp4', `clip${seed}.mp4`);
		const video = { headerFormat: 'VIDEO', buttons: { button: [{ type: 'PHONE_NUMBER', text: 'Call us', phoneNumber: '+4930123456789' }] } };
		const { items, error } = await account(carouselForm([card('a', '€99', video), card('b', '€129', video)], 'video_cards'), [{ json: {}, binary: { a: mp4(1), b: mp4(2) } }]);
		expect(error).toBeUndefined();
		expect(items[0].json.cardHandles).toHaveLength(2);
		const carousel = posted()[0].components[1] as { cards: Array<{ components: Array<Record<string, unknown>> }> };
		expect(carousel.cards.map((each) => each.components[0].format)).toEqual(['VIDEO', 'VIDEO']);
		await emulator.idle();
		expect(emulator.templates.find((template) => template.name === 'video_cards')?.status).toBe('APPROVED');
	});

	it('uploads a file shared by several cards once', async () => {
		const { items, error } = await account(carouselForm([card('first', '€99'), card('first', '€129')], 'shared_cards'), [{ json: {}, binary: threeFiles() }]);
		expect(error).toBeUndefined();
		expect(uploads()).toHaveLength(1);
		const [one, two] = items[0].json.cardHandles as string[];
		expect(one).toBe(two);
	});

	it.each<[string, INodeParameters[], RegExp]>([
		['one card', [card('first', '€99')], /Carousel Cards has 1 cards; WhatsApp allows 2 to 10 \[item 0\]/],
		['mixed header formats', [card('first', '€99'), card('second', '€129', { headerFormat: 'VIDEO' })], /Carousel Card 2 Header Format: every card has the same header format as card 1 \(IMAGE\), got VIDEO \[item 0\]/],
		['a missing binary property on card 2', [card('first', '€99'), card('photo', '€129')], /Carousel Card 2 Header Binary Property: the input item has no binary property "photo"; it has "first", "second", "third" \[item 0\]/],
		['a card body over 160 characters', [card('first', '€99'), card('second', '€129', { body: `=Rooms from {{1}} a night.${' Sea view.'.repeat(14)}` })], /Carousel Card 2 Body has 1\d\d characters; WhatsApp allows 160 \[item 0\]/],
		['a video card with an image file', [card('first', '€99', { headerFormat: 'VIDEO' }), card('second', '€129', { headerFormat: 'VIDEO' })], /Carousel Card 1 Header Binary Property: the video header must be video\/mp4; the file is image\/png \[item 0\]/],
		['a card without buttons', [card('first', '€99'), card('second', '€129', { buttons: {} })], /Carousel Card 2 Buttons: every card needs 1 or 2 buttons \[item 0\]/],
		['a card URL without its example', [card('first', '€99'), card('second', '€129', { buttons: { button: [{ type: 'QUICK_REPLY', text: 'More' }, { type: 'URL', text: 'Book', url: '=https://example.com/rooms/{{1}}' }] } })], /Carousel Card 2 Button 2 Example "https:\/\/example.com\/rooms\/" must be the URL with a sample suffix.* \[item 0\]/],
		['a card variable without example', [card('first', '€99'), card('second', '€129', { bodyExamples: {} })], /Carousel Card 2 Body Variable Examples: variable \{\{1\}\} needs an example value \[item 0\]/],
	])('refuses %s before any request, naming the card and the item', async (_title, cards, message) => {
		const { error } = await account(carouselForm(cards), [{ json: {}, binary: threeFiles() }]);
		expect(error?.message).toMatch(message);
		expect(emulator.requests()).toEqual([]);
	});

	it('a utility template ignores a Template Type left on Carousel', async () => {
		const { error } = await account({ ...carouselForm([card('first', '€99')]), category: 'UTILITY', body: 'Your order has shipped.', bodyExamples: {} }, [{ json: {}, binary: threeFiles() }]);
		expect(error).toBeUndefined();
		expect(posted()[0].components).toEqual([{ type: 'BODY', text: 'Your order has shipped.' }]);
	});

	it('with Continue On Fail a card without its file fails only its item; nothing of it is uploaded', async () => {
		const form = carouselForm([card('first', '€99'), card('={{ $json.second }}', '€129'), card('third', '€149')], '={{ $json.name }}');
		const { items, error } = await account(
			form,
			[
				{ json: { name: 'broken_cards', second: 'missing' }, binary: threeFiles() },
				{ json: { name: 'fine_cards', second: 'second' }, binary: threeFiles() },
			],
			true,
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.pairedItem, item.json.error ?? item.json.name])).toEqual([
			[{ item: 0 }, expect.stringMatching(/Carousel Card 2 Header Binary Property: the input item has no binary property "missing".* \[item 0\]/)],
			[{ item: 1 }, 'fine_cards'],
		]);
		const session = 'POST /upload:…';
		expect(requestLines(emulator).map((line) => line.replace(/^POST \/upload:.*/, session))).toEqual(['POST /uploads', session, 'POST /uploads', session, 'POST /uploads', session, 'POST /v1/configs/templates']);
		expect(posted()[0]).toMatchObject({ name: 'fine_cards' });
	});
});
