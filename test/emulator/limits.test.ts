/**
 * Each length/count limit of a send body (`SEND_LIMITS` in sendRules.ts), broken once: the
 * emulator answers HTTP 400 with the documented Graph code and `error_data.details` naming the
 * field and the limit. A body exactly at each limit is accepted.
 */
import type { AxiosInstance } from 'axios';

import { SEND_LIMITS, startEmulator, type Emulator } from './index';
import { apiClient, envelope } from './testUtils';

let emulator: Emulator;
let api: AxiosInstance;

beforeAll(async () => {
	emulator = await startEmulator();
	api = apiClient(emulator);
});

afterAll(() => emulator.close());

const chars = (n: number, c = 'a'): string => c.repeat(n);
const reply = (id: string, title: string) => ({ type: 'reply', reply: { id, title } });
const row = (id: string, title = `Row ${id}`) => ({ id, title });

function buttons(...items: Array<ReturnType<typeof reply>>): Record<string, unknown> {
	return envelope('interactive', { interactive: { type: 'button', body: { text: 'Pick one' }, action: { buttons: items } } });
}

function list(action: Record<string, unknown>): Record<string, unknown> {
	return envelope('interactive', { interactive: { type: 'list', body: { text: 'Pick one' }, action: { button: 'Choose', ...action } } });
}

function interactive(parts: Record<string, unknown>): Record<string, unknown> {
	return envelope('interactive', {
		interactive: { type: 'button', body: { text: 'Pick one' }, action: { buttons: [reply('a', 'A')] }, ...parts },
	});
}

function ctaUrl(displayText: string): Record<string, unknown> {
	return envelope('interactive', {
		interactive: { type: 'cta_url', body: { text: 'Open it' }, action: { name: 'cta_url', parameters: { display_text: displayText, url: 'https://example.com' } } },
	});
}

function flow(flowCta: string): Record<string, unknown> {
	return envelope('interactive', {
		interactive: {
			type: 'flow',
			body: { text: 'Book' },
			action: { name: 'flow', parameters: { flow_message_version: '3', flow_id: '2200000000000001', flow_cta: flowCta } },
		},
	});
}

function productList(sections: Array<{ title: string; product_items: Array<{ product_retailer_id: string }> }>): Record<string, unknown> {
	return envelope('interactive', {
		interactive: { type: 'product_list', header: { type: 'text', text: 'Picks' }, body: { text: 'For you' }, action: { catalog_id: '33', sections } },
	});
}

function catalog(parts: Record<string, unknown>): Record<string, unknown> {
	return envelope('interactive', {
		interactive: { type: 'catalog_message', body: { text: 'Browse our catalog' }, action: { name: 'catalog_message' }, ...parts },
	});
}

function callPermission(parts: Record<string, unknown>): Record<string, unknown> {
	return envelope('interactive', {
		interactive: { type: 'call_permission_request', body: { text: 'May we call you?' }, action: { name: 'call_permission_request' }, ...parts },
	});
}

const products = (n: number, prefix = 'SKU') => Array.from({ length: n }, (_, i) => ({ product_retailer_id: `${prefix}-${i}` }));

function template(name: string, language: string, components: unknown[]): Record<string, unknown> {
	return envelope('template', { template: { name, language: { code: language }, components } });
}

const bodyParam = (text: string) => ({ type: 'text', text });

const carouselCard = (index: number) => ({
	card_index: index,
	components: [
		{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/p.jpg' } }] },
		{ type: 'body', parameters: [bodyParam('15%')] },
		{ type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'summer' }] },
	],
});

function carousel(cards: number): Record<string, unknown> {
	return template('summer_collection_carousel', 'en_US', [
		{ type: 'body', parameters: [bodyParam('Max')] },
		{ type: 'carousel', cards: Array.from({ length: cards }, (_, i) => carouselCard(i)) },
	]);
}

interface LimitCase {
	limit: string;
	/** The SEND_LIMITS entry this case breaks. */
	covers?: keyof typeof SEND_LIMITS;
	body: Record<string, unknown>;
	code: number;
	details: string;
}

const CASES: LimitCase[] = [
	{ limit: 'text body 4096',
		covers: 'textBody', body: envelope('text', { text: { body: chars(4097) } }), code: 131009, details: 'text.body has 4097 characters; max 4096' },
	{ limit: 'image caption 1024',
		covers: 'caption', body: envelope('image', { image: { id: '1', caption: chars(1025) } }), code: 131009, details: 'image.caption has 1025 characters; max 1024' },
	{ limit: 'video caption 1024', body: envelope('video', { video: { id: '1', caption: chars(1025) } }), code: 131009, details: 'video.caption has 1025 characters; max 1024' },
	{
		limit: 'document caption 1024',
		body: envelope('document', { document: { id: '1', caption: chars(1025) } }),
		code: 131009,
		details: 'document.caption has 1025 characters; max 1024',
	},
	{ limit: 'header text 60',
		covers: 'interactiveHeaderText', body: interactive({ header: { type: 'text', text: chars(61) } }), code: 131009, details: 'interactive.header.text has 61 characters; max 60' },
	{ limit: 'footer text 60',
		covers: 'interactiveFooterText', body: interactive({ footer: { text: chars(61) } }), code: 131009, details: 'interactive.footer.text has 61 characters; max 60' },
	{ limit: 'interactive body 1024',
		covers: 'interactiveBodyText', body: interactive({ body: { text: chars(1025) } }), code: 131009, details: 'interactive.body.text has 1025 characters; max 1024' },
	{
		limit: 'at most 3 reply buttons',
		covers: 'replyButtons',
		body: buttons(reply('a', 'A'), reply('b', 'B'), reply('c', 'C'), reply('d', 'D')),
		code: 131009,
		details: 'interactive.action.buttons has 4 buttons; max 3',
	},
	{
		limit: 'button title 20',
		covers: 'replyButtonTitle',
		body: buttons(reply('a', 'Yes'), reply('b', chars(23))),
		code: 131009,
		details: 'interactive.action.buttons[1].reply.title has 23 characters; max 20',
	},
	{
		limit: 'unique button titles',
		body: buttons(reply('a', 'Yes'), reply('b', 'Yes')),
		code: 131009,
		details: 'interactive.action.buttons[1].reply.title repeats the title "Yes" of interactive.action.buttons[0].reply.title',
	},
	{ limit: 'button id 256',
		covers: 'replyButtonId', body: buttons(reply(chars(257), 'Yes')), code: 131009, details: 'interactive.action.buttons[0].reply.id has 257 characters; max 256' },
	{
		limit: 'unique button ids',
		body: buttons(reply('same', 'Yes'), reply('same', 'No')),
		code: 131009,
		details: 'interactive.action.buttons[1].reply.id repeats the id "same"',
	},
	{
		limit: 'list button 20',
		covers: 'listButton',
		body: envelope('interactive', {
			interactive: { type: 'list', body: { text: 'Pick' }, action: { button: chars(21), sections: [{ title: 'S', rows: [row('1')] }] } },
		}),
		code: 131009,
		details: 'interactive.action.button has 21 characters; max 20',
	},
	{
		limit: 'at most 10 list sections',
		covers: 'listSections',
		body: list({ sections: Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, rows: [] })) }),
		code: 131009,
		details: 'interactive.action.sections has 11 sections; max 10',
	},
	{
		limit: 'at most 10 rows in total',
		covers: 'listRowsTotal',
		body: list({
			sections: [
				{ title: 'A', rows: Array.from({ length: 6 }, (_, i) => row(`a${i}`)) },
				{ title: 'B', rows: Array.from({ length: 5 }, (_, i) => row(`b${i}`)) },
			],
		}),
		code: 131009,
		details: 'interactive.action.sections have 11 rows in total; max 10',
	},
	{
		limit: 'section title 24',
		covers: 'listSectionTitle',
		body: list({ sections: [{ title: chars(25), rows: [row('1')] }] }),
		code: 131009,
		details: 'interactive.action.sections[0].title has 25 characters; max 24',
	},
	{
		limit: 'section title required with several sections',
		body: list({ sections: [{ title: 'A', rows: [row('1')] }, { rows: [row('2')] }] }),
		code: 131008,
		details: 'interactive.action.sections[1].title is required',
	},
	{
		limit: 'row id 200',
		covers: 'listRowId',
		body: list({ sections: [{ title: 'A', rows: [row(chars(201))] }] }),
		code: 131009,
		details: 'interactive.action.sections[0].rows[0].id has 201 characters; max 200',
	},
	{
		limit: 'row title 24',
		covers: 'listRowTitle',
		body: list({ sections: [{ title: 'A', rows: [row('1', chars(25))] }] }),
		code: 131009,
		details: 'interactive.action.sections[0].rows[0].title has 25 characters; max 24',
	},
	{
		limit: 'row description 72',
		covers: 'listRowDescription',
		body: list({ sections: [{ title: 'A', rows: [{ id: '1', title: 'One', description: chars(73) }] }] }),
		code: 131009,
		details: 'interactive.action.sections[0].rows[0].description has 73 characters; max 72',
	},
	{ limit: 'cta_url display_text 20',
		covers: 'ctaDisplayText', body: ctaUrl(chars(21)), code: 131009, details: 'interactive.action.parameters.display_text has 21 characters; max 20' },
	{ limit: 'flow_cta 20',
		covers: 'flowCta', body: flow(chars(21)), code: 131009, details: 'interactive.action.parameters.flow_cta has 21 characters; max 20' },
	{ limit: 'flow_cta without emoji', body: flow('Book now 📅'), code: 131009, details: 'interactive.action.parameters.flow_cta must not contain emoji' },
	{
		limit: 'at most 10 product_list sections',
		covers: 'productListSections',
		body: productList(Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, product_items: products(1, `S${i}`) }))),
		code: 131009,
		details: 'interactive.action.sections has 11 sections; max 10',
	},
	{
		limit: 'at most 30 products',
		covers: 'productListProducts',
		body: productList([
			{ title: 'A', product_items: products(16, 'A') },
			{ title: 'B', product_items: products(15, 'B') },
		]),
		code: 131009,
		details: 'interactive.action.sections have 31 products in total; max 30',
	},
	{ limit: 'catalog_message body 1024', body: catalog({ body: { text: chars(1025) } }), code: 131009, details: 'interactive.body.text has 1025 characters; max 1024' },
	{ limit: 'catalog_message footer 60', body: catalog({ footer: { text: chars(61) } }), code: 131009, details: 'interactive.footer.text has 61 characters; max 60' },
	{ limit: 'catalog_message needs a body', body: catalog({ body: undefined }), code: 131008, details: 'interactive.body is required for catalog_message messages' },
	{
		limit: 'catalog_message takes no header (WhatsApp draws it)',
		body: catalog({ header: { type: 'text', text: 'Shop' } }),
		code: 131009,
		details: 'interactive.header is not allowed for catalog_message messages',
	},
	{
		limit: 'catalog_message parameters name the thumbnail',
		body: catalog({ action: { name: 'catalog_message', parameters: {} } }),
		code: 131008,
		details: 'interactive.action.parameters.thumbnail_product_retailer_id is required when parameters is sent',
	},
	{
		limit: 'catalog_message action name',
		body: catalog({ action: { name: 'catalog' } }),
		code: 131009,
		details: 'interactive.action.name is "catalog"; must be "catalog_message"',
	},
	{
		limit: 'call_permission_request body 1024',
		body: callPermission({ body: { text: chars(1025) } }),
		code: 131009,
		details: 'interactive.body.text has 1025 characters; max 1024',
	},
	{
		limit: 'call_permission_request takes no header',
		body: callPermission({ header: { type: 'text', text: 'Call?' } }),
		code: 131009,
		details: 'interactive.header is not allowed for call_permission_request messages',
	},
	{
		limit: 'call_permission_request takes no footer',
		body: callPermission({ footer: { text: 'Thanks' } }),
		code: 131009,
		details: 'interactive.footer is not allowed for call_permission_request messages',
	},
	{
		limit: 'call_permission_request action name',
		body: callPermission({ action: { name: 'call' } }),
		code: 131009,
		details: 'interactive.action.name is "call"; must be "call_permission_request"',
	},
	{ limit: 'at most 10 carousel cards',
		covers: 'carouselCards', body: carousel(11), code: 131009, details: 'template.components[1].cards has 11 cards; max 10' },
	{
		limit: 'biz_opaque_callback_data 512',
		covers: 'bizOpaqueCallbackData',
		body: envelope('text', { text: { body: 'hi' }, biz_opaque_callback_data: chars(513) }),
		code: 131009,
		details: 'biz_opaque_callback_data has 513 characters; max 512',
	},
	{
		limit: 'template header text parameter 60',
		covers: 'templateHeaderTextParam',
		body: template('shipping_confirmation', 'en_US', [
			{ type: 'header', parameters: [bodyParam(chars(61))] },
			{ type: 'body', parameters: [bodyParam('Max'), bodyParam('DHL')] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'JJD1' }] },
		]),
		code: 131009,
		details: 'template.components[0].parameters[0].text has 61 characters; max 60',
	},
	{
		limit: 'template body parameter 1024',
		covers: 'templateBodyParam',
		body: template('feedback_request', 'en_US', [{ type: 'body', parameters: [bodyParam(chars(1025))] }]),
		code: 131009,
		details: 'template.components[0].parameters[0].text has 1025 characters; max 1024',
	},
	{
		limit: 'coupon code 15',
		covers: 'couponCode',
		body: template('promo_coupon', 'en_US', [
			{ type: 'body', parameters: [bodyParam('20%')] },
			{ type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: chars(16, 'X') }] },
			{ type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'SAVE20' }] },
		]),
		code: 131009,
		details: 'template.components[1].parameters[0].coupon_code has 16 characters; max 15',
	},
	{
		limit: 'OTP code 15',
		covers: 'otpCode',
		body: template('verification_code', 'en_US', [
			{ type: 'body', parameters: [bodyParam(chars(16, '1'))] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: chars(16, '1') }] },
		]),
		code: 131009,
		details: 'template.components[0].parameters[0].text has 16 characters; max 15 for an authentication code',
	},
];

describe('limits', () => {
	it.each(CASES.map((c) => [c.limit, c] as const))('%s', async (_limit, { body, code, details }) => {
		const response = await api.post('/messages', body);

		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe(code);
		expect(response.data.error.error_data.details).toContain(details);
	});

	it('breaks every entry of the limits table at least once', () => {
		const covered = new Set(CASES.map((c) => c.covers));
		expect(Object.keys(SEND_LIMITS).filter((key) => !covered.has(key as keyof typeof SEND_LIMITS))).toEqual([]);
	});

	it('does not record rejected messages', async () => {
		await emulator.reset();
		await api.post('/messages', CASES[0].body);
		expect(emulator.messages()).toHaveLength(0);
	});
});

describe('bodies exactly at the limits', () => {
	it.each([
		['text body', envelope('text', { text: { body: chars(SEND_LIMITS.textBody) } })],
		['caption', envelope('image', { image: { id: '1', caption: chars(SEND_LIMITS.caption) } })],
		['3 buttons with 20-character titles and 256-character ids', buttons(reply(chars(256, 'a'), chars(20, 'a')), reply('b', chars(20, 'b')), reply('c', chars(20, 'c')))],
		[
			'10 sections, 10 rows, longest texts',
			list({
				sections: Array.from({ length: 10 }, (_, i) => ({
					title: chars(24, String(i)),
					rows: [{ id: chars(200, String(i)), title: chars(24), description: chars(72) }],
				})),
			}),
		],
		['cta display text', ctaUrl(chars(20))],
		['flow_cta', flow(chars(20))],
		['30 products in 10 sections', productList(Array.from({ length: 10 }, (_, i) => ({ title: `S${i}`, product_items: products(3, `S${i}`) })))],
		['catalog_message body and footer', catalog({ body: { text: chars(1024) }, footer: { text: chars(60) } })],
		['catalog_message with a thumbnail', catalog({ action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'SKU-1' } } })],
		['call_permission_request body', callPermission({ body: { text: chars(1024) } })],
		['call_permission_request without body (optional for the API)', callPermission({ body: undefined })],
		['callback data', envelope('text', { text: { body: 'hi' }, biz_opaque_callback_data: chars(512) })],
	])('%s', async (_name, body) => {
		expect((await api.post('/messages', body)).status).toBe(200);
	});

	it('10 carousel cards pass the limit and reach the template check (this template has 3 cards)', async () => {
		const response = await api.post('/messages', carousel(10));

		expect(response.data.error.code).toBe(132000);
		expect(response.data.error.error_data.details).toBe('carousel: number of cards (10) does not match the expected number of cards (3)');
	});
});
