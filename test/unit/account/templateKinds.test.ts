/**
 * The remaining button and component kinds at template creation, as the Account node checks them
 * before any request (nodes/Dialog360Account/template/rules.ts): Flow buttons, limited-time offers
 * (marketing only) and media card carousels (marketing only, from JSON or the form's Carousel Cards); every
 * error naming the field or the JSON path and the button or card.
 */
import { buildTemplateFromForm, templateFromJson, withCardHandles, type CardForm, type TemplateForm } from '../../../nodes/Dialog360Account/template/build';
import { checkTemplateCreate, FORM_LABELS, JSON_LABELS } from '../../../nodes/Dialog360Account/template/rules';
import { FieldError } from '../../../nodes/common/validation';

type Json = Record<string, unknown>;

function problem(run: () => unknown): { field: string; message: string } | undefined {
	try {
		run();
		return undefined;
	} catch (error) {
		if (error instanceof FieldError) return { field: error.field, message: error.message };
		throw error;
	}
}

const FLOW_JSON = JSON.stringify({ version: '5.0', screens: [{ id: 'WELCOME_SCREEN', title: 'Welcome', terminal: true, layout: { type: 'SingleColumnLayout', children: [] } }] });

const form = (overrides: Partial<TemplateForm> = {}): TemplateForm => ({
	name: 'book_now',
	language: 'en_US',
	category: 'MARKETING',
	body: 'Book your next visit in a minute.',
	...overrides,
});

const checkForm = (overrides: Partial<TemplateForm> = {}) => problem(() => checkTemplateCreate(buildTemplateFromForm(form(overrides)), FORM_LABELS));
const checkJson = (body: Json) => problem(() => checkTemplateCreate(templateFromJson('Template JSON', body), JSON_LABELS('Template JSON')));

describe('Flow buttons', () => {
	it('builds a Flow button from an ID, a name or the Flow JSON', () => {
		const body = buildTemplateFromForm(form({ buttons: [{ type: 'FLOW', text: 'Book', flow: '1234567890', flowScreen: 'WELCOME_SCREEN' }] }));
		expect(body.components).toContainEqual({ type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Book', flow_id: '1234567890', flow_action: 'navigate', navigate_screen: 'WELCOME_SCREEN' }] });
		const byName = buildTemplateFromForm(form({ buttons: [{ type: 'FLOW', text: 'Book', flow: 'appointment_booking', flowAction: 'data_exchange' }] }));
		expect(byName.components).toContainEqual({ type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Book', flow_name: 'appointment_booking', flow_action: 'data_exchange' }] });
		expect(checkForm({ buttons: [{ type: 'FLOW', text: 'Book', flowJson: FLOW_JSON }] })).toBeUndefined();
		expect(checkForm({ category: 'UTILITY', buttons: [{ type: 'QUICK_REPLY', text: 'Later' }, { type: 'FLOW', text: 'Book', flow: '42' }] })).toBeUndefined();
	});

	it.each<[string, TemplateForm['buttons'], string, RegExp]>([
		['neither ID nor JSON', [{ type: 'FLOW', text: 'Book' }], 'Button 1 Flow ID or Name', /exactly one of flow_id, flow_name or flow_json/],
		['both ID and JSON', [{ type: 'FLOW', text: 'Book', flow: '42', flowJson: FLOW_JSON }], 'Button 1 Flow JSON', /got flow_id and flow_json/],
		['a Flow JSON that is not one', [{ type: 'FLOW', text: 'Book', flowJson: '{"screens": []}' }], 'Button 1 Flow JSON', /list of "screens"/],
		['a first screen with data exchange', [{ type: 'FLOW', text: 'Book', flow: '42', flowAction: 'data_exchange', flowScreen: 'WELCOME' }], 'Button 1 Flow First Screen', /only given with flow_action navigate/],
		['no label', [{ type: 'FLOW', text: '', flow: '42' }], 'Button 1 Text', /required/],
		['two Flow buttons', [{ type: 'FLOW', text: 'A', flow: '42' }, { type: 'FLOW', text: 'B', flow: '43' }], 'Buttons', /2 flow buttons; WhatsApp allows 1/],
	])('form: %s', (_title, buttons, field, message) => {
		const found = checkForm({ buttons });
		expect(found?.field).toBe(field);
		expect(found?.message).toMatch(message);
	});

	it('JSON: Meta\'s example (lower-case types) passes; problems name the path', () => {
		const example = {
			name: 'flow_offer',
			language: 'en_US',
			category: 'marketing',
			components: [
				{ type: 'body', text: 'Check out this new offer' },
				{ type: 'buttons', buttons: [{ type: 'flow', text: 'Check out this offer!', flow_json: FLOW_JSON, flow_action: 'navigate', navigate_screen: 'WELCOME_SCREEN' }] },
			],
		};
		expect(checkJson(example)).toBeUndefined();
		const bad = { ...example, components: [example.components[0], { type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Go', flow_id: 'my flow' }] }] };
		expect(checkJson(bad)).toEqual({ field: 'Template JSON → button 1 flow_id', message: expect.stringMatching(/"my flow" is not a Flow ID/) });
		const action = { ...example, components: [example.components[0], { type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Go', flow_id: '1', flow_action: 'open' }] }] };
		expect(checkJson(action)?.field).toBe('Template JSON → button 1 flow_action');
		const object = { ...example, components: [example.components[0], { type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Go', flow_json: { screens: [] } }] }] };
		expect(checkJson(object)).toEqual({ field: 'Template JSON → button 1 flow_json', message: expect.stringMatching(/must be text \(the Flow JSON as a string\)/) });
	});
});

describe('limited-time offers', () => {
	const offer: Partial<TemplateForm> = {
		offerText: 'Expiring offer!',
		offerHasExpiration: true,
		body: 'Good news, {{1}}! Use the code to get 25% off.',
		bodyExamples: [{ variable: '1', example: 'Pablo' }],
		buttons: [{ type: 'COPY_CODE', couponExample: 'CARIBE25' }, { type: 'URL', text: 'Book now', url: 'https://example.com/offer' }],
	};

	it('builds the offer component after the header', () => {
		const body = buildTemplateFromForm(form({ ...offer, headerType: 'IMAGE', headerHandle: '4::aGFuZGxl' }));
		expect((body.components as Json[]).map((component) => component.type)).toEqual(['HEADER', 'LIMITED_TIME_OFFER', 'BODY', 'BUTTONS']);
		expect((body.components as Json[])[1]).toEqual({ type: 'LIMITED_TIME_OFFER', limited_time_offer: { text: 'Expiring offer!', has_expiration: true } });
		expect(checkForm({ ...offer, headerType: 'IMAGE', headerHandle: '4::aGFuZGxl' })).toBeUndefined();
		// Only marketing templates take the offer fields.
		expect((buildTemplateFromForm(form({ ...offer, category: 'UTILITY', buttons: [] })).components as Json[]).map((component) => component.type)).toEqual(['BODY']);
	});

	it.each<[string, Partial<TemplateForm>, string, RegExp]>([
		['offer text too long', { offerText: 'x'.repeat(17) }, 'Limited-Time Offer Text', /17 characters; WhatsApp allows 16/],
		['a variable in the offer text', { offerText: 'Hi {{1}}' }, 'Limited-Time Offer Text', /may not contain variables/],
		['a footer', { footer: 'Terms apply' }, 'Footer', /has no footer/],
		['a text header', { headerType: 'TEXT', headerText: 'Sale' }, 'Header Text', /image or a video, got TEXT/],
		['no URL button', { buttons: [{ type: 'COPY_CODE', couponExample: 'X1' }] }, 'Buttons', /needs a URL button/],
		['a quick reply', { buttons: [{ type: 'URL', text: 'Go', url: 'https://example.com' }, { type: 'QUICK_REPLY', text: 'Stop' }] }, 'Button 2 Type', /only a URL and a copy-code button, not QUICK_REPLY/],
		['a body over 600', { body: `${'x'.repeat(601)}`, bodyExamples: [] }, 'Body', /601 characters; WhatsApp allows 600/],
	])('form: %s', (_title, overrides, field, message) => {
		const found = checkForm({ ...offer, ...overrides });
		expect(found?.field).toBe(field);
		expect(found?.message).toMatch(message);
	});

	it('JSON: marketing only, has_expiration a boolean', () => {
		const body = { ...buildTemplateFromForm(form(offer)) };
		expect(checkJson(body)).toBeUndefined();
		expect(checkJson({ ...body, category: 'UTILITY' })).toEqual({ field: 'Template JSON → category', message: expect.stringMatching(/only allowed in MARKETING/) });
		const components = (body.components as Json[]).map((component) => (component.type === 'LIMITED_TIME_OFFER' ? { ...component, limited_time_offer: { text: 'Soon', has_expiration: 'yes' } } : component));
		expect(checkJson({ ...body, components })?.field).toBe('Template JSON → LIMITED_TIME_OFFER has_expiration');
	});
});

describe('carousels', () => {
	const card = (text = 'Rooms from {{1}} a night.', buttons: Json[] = [{ type: 'QUICK_REPLY', text: 'Send more like this' }, { type: 'URL', text: 'Book', url: 'https://example.com/r/{{1}}', example: ['https://example.com/r/17'] }], format = 'IMAGE') => ({
		components: [
			{ type: 'HEADER', format, example: { header_handle: ['4::aW1hZ2UvcG5n:ARb'] } },
			{ type: 'BODY', text, example: { body_text: [['€99']] } },
			{ type: 'BUTTONS', buttons },
		],
	});
	const carousel = (cards: unknown[], extra: Json[] = [], category = 'MARKETING') => ({
		name: 'summer_rooms',
		language: 'en',
		category,
		components: [{ type: 'BODY', text: 'Hi {{1}}, our summer rooms:', example: { body_text: [['Max']] } }, ...extra, { type: 'CAROUSEL', cards }],
	});

	it('accepts 2 to 10 cards of the same shape (Meta\'s lower-case types too)', () => {
		expect(checkJson(carousel([card(), card()]))).toBeUndefined();
		expect(checkJson(carousel(Array.from({ length: 10 }, () => card())))).toBeUndefined();
		const lower = { ...carousel([card(), card()]), components: [{ type: 'body', text: 'Our rooms.' }, { type: 'carousel', cards: [card(), card()].map((each) => ({ components: each.components.map((part) => ({ ...part, type: part.type.toLowerCase(), ...(part.format ? { format: 'image' } : {}) })) })) }] };
		expect(checkJson(lower)).toBeUndefined();
	});

	it.each<[string, Json, string, RegExp]>([
		['one card', carousel([card()]), 'Template JSON → CAROUSEL component', /1 cards; WhatsApp allows 2 to 10/],
		['eleven cards', carousel(Array.from({ length: 11 }, () => card())), 'Template JSON → CAROUSEL component', /11 cards/],
		['a utility template', carousel([card(), card()], [], 'UTILITY'), 'Template JSON → category', /carousels are only allowed in MARKETING/],
		['a footer of its own', carousel([card(), card()], [{ type: 'FOOTER', text: 'x' }]), 'Template JSON → FOOTER component', /belongs in the cards/],
		['a card without header', carousel([card(), { components: card().components.slice(1) }]), 'Template JSON → CAROUSEL card 2 HEADER component', /IMAGE or VIDEO header/],
		['a card header without handle', carousel([card(), { components: [{ type: 'HEADER', format: 'IMAGE' }, ...card().components.slice(1)] }]), 'Template JSON → CAROUSEL card 2 HEADER example.header_handle', /one example media handle/],
		['a card body too long', carousel([card(`${'x'.repeat(161)}`), card()]), 'Template JSON → CAROUSEL card 1 BODY component', /161 characters; WhatsApp allows 160/],
		['a card body example missing', carousel([card(), { components: [card().components[0], { type: 'BODY', text: 'From {{1}} a night.' }, card().components[2]] }]), 'Template JSON → CAROUSEL card 2 BODY example', /needs 1 example/],
		['three buttons on a card', carousel([card(undefined, [{ type: 'QUICK_REPLY', text: 'a' }, { type: 'QUICK_REPLY', text: 'b' }, { type: 'QUICK_REPLY', text: 'c' }]), card()]), 'Template JSON → CAROUSEL card 1 BUTTONS component', /3 buttons; WhatsApp allows 2/],
		['a copy-code button on a card', carousel([card(undefined, [{ type: 'COPY_CODE', example: 'X' }]), card()]), 'Template JSON → CAROUSEL card 1 button 1 type', /must be QUICK_REPLY, URL, PHONE_NUMBER/],
		['cards with different buttons', carousel([card(), card(undefined, [{ type: 'QUICK_REPLY', text: 'More' }])]), 'Template JSON → CAROUSEL card 2 BUTTONS component', /same buttons as card 1 \(QUICK_REPLY, URL\), got QUICK_REPLY/],
		['cards with different headers', carousel([card(), card(undefined, undefined, 'VIDEO')]), 'Template JSON → CAROUSEL card 2 HEADER component', /same header format as card 1 \(IMAGE\), got VIDEO/],
		['a bad URL on a card', carousel([card(undefined, [{ type: 'QUICK_REPLY', text: 'a' }, { type: 'URL', text: 'Book', url: 'ftp://x' }]), card()]), 'Template JSON → CAROUSEL card 1 button 2 url', /not an http\(s\) URL/],
	])('refuses %s', (_title, body, field, message) => {
		const found = checkJson(body);
		expect(found?.field).toBe(field);
		expect(found?.message).toMatch(message);
	});
});

describe('carousels from the form', () => {
	const HANDLE = '4::aW1hZ2UvcG5n:ARb';
	const card = (overrides: Partial<CardForm> = {}): CardForm => ({
		headerFormat: 'IMAGE',
		headerHandle: HANDLE,
		body: 'Rooms from {{1}} a night.',
		bodyExamples: [{ variable: '1', example: '€99' }],
		buttons: [{ type: 'QUICK_REPLY', text: 'More like this' }, { type: 'URL', text: 'Book', url: 'https://example.com/r/{{1}}', urlSuffixExample: '17' }],
		...overrides,
	});
	const carousel = (cards: CardForm[], overrides: Partial<TemplateForm> = {}): Partial<TemplateForm> => ({
		templateType: 'carousel',
		body: 'Hi {{1}}, our summer rooms:',
		bodyExamples: [{ variable: '{{1}}', example: 'Max' }],
		cards,
		...overrides,
	});

	it("builds Meta's carousel body: the body, then the cards; a header, footer or offer left in the form is not sent", () => {
		const body = buildTemplateFromForm(form(carousel([card(), card({ bodyExamples: [{ variable: '1', example: '€129' }] })], { headerType: 'TEXT', headerText: 'x', footer: 'y', offerText: 'z' })));
		expect(body).toEqual({
			name: 'book_now',
			language: 'en_US',
			category: 'MARKETING',
			parameter_format: 'POSITIONAL',
			components: [
				{ type: 'BODY', text: 'Hi {{1}}, our summer rooms:', example: { body_text: [['Max']] } },
				{
					type: 'CAROUSEL',
					cards: ['€99', '€129'].map((price) => ({
						components: [
							{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [HANDLE] } },
							{ type: 'BODY', text: 'Rooms from {{1}} a night.', example: { body_text: [[price]] } },
							{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'More like this' }, { type: 'URL', text: 'Book', url: 'https://example.com/r/{{1}}', example: ['https://example.com/r/17'] }] },
						],
					})),
				},
			],
		});
		expect(problem(() => checkTemplateCreate(body, FORM_LABELS))).toBeUndefined();
	});

	it('is a Marketing type only: a utility form with Template Type carousel builds a standard template', () => {
		const body = buildTemplateFromForm(form(carousel([card(), card()], { category: 'UTILITY', body: 'Plain.', bodyExamples: [] })));
		expect(body.components).toEqual([{ type: 'BODY', text: 'Plain.' }]);
	});

	it('named variables in the cards', () => {
		const named = carousel([card({ body: 'From {{price}} a night.', bodyExamples: [{ variable: 'price', example: '€99' }] }), card({ body: 'From {{price}} a night.', bodyExamples: [{ variable: 'price', example: '€129' }] })], {
			parameterFormat: 'NAMED',
			body: 'Hi {{first_name}}, our rooms:',
			bodyExamples: [{ variable: 'first_name', example: 'Max' }],
		});
		const body = buildTemplateFromForm(form(named));
		const cards = (body.components as Json[])[1].cards as Array<{ components: Json[] }>;
		expect(cards[1].components[1]).toEqual({ type: 'BODY', text: 'From {{price}} a night.', example: { body_text_named_params: [{ param_name: 'price', example: '€129' }] } });
		expect(problem(() => checkTemplateCreate(body, FORM_LABELS))).toBeUndefined();
	});

	it.each<[string, Partial<TemplateForm>, string, RegExp]>([
		['one card', carousel([card()]), 'Carousel Cards', /Carousel Cards has 1 cards; WhatsApp allows 2 to 10/],
		['no cards', carousel([]), 'Carousel Cards', /0 cards/],
		['eleven cards', carousel(Array.from({ length: 11 }, () => card())), 'Carousel Cards', /11 cards/],
		['mixed header formats', carousel([card(), card({ headerFormat: 'VIDEO' })]), 'Carousel Card 2 Header Format', /same header format as card 1 \(IMAGE\), got VIDEO/],
		['a card body over 160', carousel([card(), card({ body: `Rooms from {{1}} a night.${'x'.repeat(140)}` })]), 'Carousel Card 2 Body', /165 characters; WhatsApp allows 160/],
		['an empty card body', carousel([card(), card({ body: '', bodyExamples: [] })]), 'Carousel Card 2 Body', /is required/],
		['a card body example missing', carousel([card(), card({ bodyExamples: [] })]), 'Carousel Card 2 Body Variable Examples', /needs an example/],
		['a card body example for an unused variable', carousel([card(), card({ bodyExamples: [{ variable: '1', example: 'a' }, { variable: '2', example: 'b' }] })]), 'Carousel Card 2 Body Variable Examples', /\{\{2\}\}, which the body does not use/],
		['a card example given twice', carousel([card({ bodyExamples: [{ variable: '1', example: 'a' }, { variable: '{{1}}', example: 'b' }] }), card()]), 'Carousel Card 1 Body Variable Examples', /\{\{1\}\} is given twice/],
		['a card without buttons', carousel([card(), card({ buttons: [] })]), 'Carousel Card 2 Buttons', /1 or 2 buttons/],
		['three buttons on a card', carousel([card({ buttons: [{ type: 'QUICK_REPLY', text: 'a' }, { type: 'QUICK_REPLY', text: 'b' }, { type: 'QUICK_REPLY', text: 'c' }] }), card()]), 'Carousel Card 1 Buttons', /3 buttons; WhatsApp allows 2/],
		['buttons in another order', carousel([card(), card({ buttons: [card().buttons![1], card().buttons![0]] })]), 'Carousel Card 2 Buttons', /same buttons as card 1 \(QUICK_REPLY, URL\), got URL, QUICK_REPLY/],
		['a phone button without number', carousel([card({ buttons: [{ type: 'PHONE_NUMBER', text: 'Call' }] }), card({ buttons: [{ type: 'PHONE_NUMBER', text: 'Call', phoneNumber: '+4930123' }] })]), 'Carousel Card 1 Button 1 Phone Number', /required/],
		['a card button text over 25', carousel([card(), card({ buttons: [{ type: 'QUICK_REPLY', text: 'x'.repeat(26) }, card().buttons![1]] })]), 'Carousel Card 2 Button 1 Text', /26 characters; WhatsApp allows 25/],
		['a body starting with a variable', carousel([card(), card()], { body: '{{1}}, our rooms.' }), 'Body', /may not start with a variable/],
	])('refuses %s, naming the form field and the card', (_title, overrides, field, message) => {
		const found = checkForm(overrides);
		expect(found?.field).toBe(field);
		expect(found?.message).toMatch(message);
	});

	it('withCardHandles puts each uploaded handle into its card, leaving the rest of the body as it is', () => {
		const body = buildTemplateFromForm(form(carousel([card({ headerHandle: 'stand-in' }), card({ headerHandle: 'stand-in' })])));
		const sent = withCardHandles(body, ['h1', 'h2']);
		const cards = (sent.components as Json[])[1].cards as Array<{ components: Json[] }>;
		expect(cards.map((each) => each.components[0].example)).toEqual([{ header_handle: ['h1'] }, { header_handle: ['h2'] }]);
		expect((sent.components as Json[])[0]).toEqual((body.components as Json[])[0]);
		expect(((body.components as Json[])[1].cards as Array<{ components: Json[] }>)[0].components[0].example).toEqual({ header_handle: ['stand-in'] });
	});
});
