/**
 * Templates: the store's coverage, template sends checked against it (132001 / 132000 / 132012 /
 * 132015 / 132016 / 131062), and both listing endpoints with their pagination.
 */
import axios, { type AxiosInstance } from 'axios';

import { startEmulator, TEMPLATES, type Emulator, type MessageTemplate } from './index';
import { apiClient, controlClient, envelope } from './testUtils';

let emulator: Emulator;
let api: AxiosInstance;

beforeAll(async () => {
	emulator = await startEmulator();
	api = apiClient(emulator);
});

afterAll(() => emulator.close());

beforeEach(() => emulator.reset());

type Component = Record<string, unknown>;

const text = (value: string, parameterName?: string) => ({ type: 'text', text: value, ...(parameterName ? { parameter_name: parameterName } : {}) });
const body = (...parameters: unknown[]): Component => ({ type: 'body', parameters });
const header = (...parameters: unknown[]): Component => ({ type: 'header', parameters });
const button = (subType: string, index: number | string, ...parameters: unknown[]): Component => ({ type: 'button', sub_type: subType, index: String(index), parameters });
const image = { type: 'image', image: { link: 'https://cdn.example.com/header.jpg' } };

function sendTemplate(name: string, language: string, components?: Component[], extra: Record<string, unknown> = {}) {
	return api.post('/messages', envelope('template', { template: { name, language: { code: language }, ...(components ? { components } : {}) }, ...extra }));
}

describe('the template store', () => {
	const kinds = (template: MessageTemplate): string[] =>
		template.components.flatMap((c) => [c.type, c.format ?? '', ...(c.buttons ?? []).map((b) => `${b.type}${b.otp_type ? `:${b.otp_type}` : ''}`)]);
	const all = TEMPLATES.flatMap(kinds);

	it('has more templates than one default page, some of them not approved', () => {
		expect(TEMPLATES.length).toBeGreaterThanOrEqual(25);
		expect(new Set(TEMPLATES.map((t) => t.status))).toEqual(new Set(['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED']));
		expect(new Set(TEMPLATES.map((t) => t.id)).size).toBe(TEMPLATES.length);
	});

	it('covers every component kind a send body can fill', () => {
		for (const kind of ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION', 'CAROUSEL', 'LIMITED_TIME_OFFER', 'FOOTER']) expect(all).toContain(kind);
		for (const kind of ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE', 'OTP:COPY_CODE', 'OTP:ONE_TAP', 'FLOW', 'CATALOG', 'MPM']) expect(all).toContain(kind);
		expect(TEMPLATES.some((t) => t.parameter_format === 'NAMED' && t.components.some((c) => c.type === 'HEADER' && c.text?.includes('{{')))).toBe(true);
		expect(TEMPLATES.some((t) => t.category === 'AUTHENTICATION')).toBe(true);
		expect(TEMPLATES.some((t) => t.components.some((c) => c.buttons?.some((b) => b.type === 'URL' && b.url?.endsWith('{{1}}'))))).toBe(true);
	});
});

describe('template sends that match the template', () => {
	it.each([
		['static template without components', 'hello_world', 'en_US', undefined],
		['positional body with currency and date_time, image header, quick reply and URL buttons', 'order_update', 'en_US', [
			header({ type: 'image', image: { id: '1037543291543636' } }),
			body(text('Max'), { type: 'currency', currency: { fallback_value: '€19.90', code: 'EUR', amount_1000: 19900 } }, { type: 'date_time', date_time: { fallback_value: '15 January 2026' } }),
			button('quick_reply', 0, { type: 'payload', payload: 'STOP_PROMOTIONS' }),
			button('url', 1, text('4711')),
		]],
		['optional quick-reply payload left out', 'order_update', 'en_US', [header(image), body(text('Max'), text('€19.90'), text('15 Jan')), button('url', 1, text('4711'))]],
		['text header with a variable', 'shipping_confirmation', 'en_US', [header(text('4711')), body(text('Max'), text('DHL')), button('url', 0, text('JJD000390007'))]],
		['named variables in header and body', 'appointment_reminder', 'en_US', [
			header(text('Praxis Mitte', 'clinic_name')),
			body(text('15 January 2026', 'appointment_date'), text('Max', 'first_name'), text('10:30', 'appointment_time')),
		]],
		['document header', 'invoice_available', 'en_US', [
			header({ type: 'document', document: { link: 'https://cdn.example.com/invoice.pdf', filename: 'invoice.pdf' } }),
			body(text('INV-1'), text('€99.00'), text('31 January 2026')),
		]],
		['video header, static URL button skipped', 'product_video_launch', 'en_US', [header({ type: 'video', video: { id: '1037543291543637' } }), body(text('Phone X'))]],
		['location header', 'store_pickup_location', 'en_US', [
			header({ type: 'location', location: { latitude: 52.5219, longitude: 13.4132, name: 'Store Berlin', address: 'Alexanderplatz 1' } }),
			body(text('4711')),
		]],
		['copy code and URL buttons', 'promo_coupon', 'en_US', [body(text('20%')), button('copy_code', 0, { type: 'coupon_code', coupon_code: 'SAVE20' }), button('url', 1, text('SAVE20'))]],
		['authentication, copy code', 'verification_code', 'en_US', [body(text('123456')), button('url', 0, text('123456'))]],
		['authentication, one-tap', 'login_code_one_tap', 'en_US', [body(text('837461')), button('url', 0, text('837461'))]],
		['carousel', 'summer_collection_carousel', 'en_US', [
			body(text('Max')),
			{
				type: 'carousel',
				cards: [0, 1, 2].map((index) => ({
					card_index: index,
					components: [header(image), body(text('15%')), button('quick_reply', 0, { type: 'payload', payload: `MORE_${index}` }), button('url', 1, text('summer'))],
				})),
			},
		]],
		['limited-time offer', 'flash_sale_offer', 'en_US', [
			header(image),
			{ type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: 1767312000000 } }] },
			body(text('Max'), text('30%')),
			button('copy_code', 0, { type: 'coupon_code', coupon_code: 'FLASH30' }),
			button('url', 1, text('FLASH30')),
		]],
		['static phone button at index 0, URL variable at index 1', 'payment_due_reminder', 'en_US', [body(text('Max'), text('€49.90'), text('1 Feb')), button('url', 1, text('INV-1'))]],
		['flow button', 'delivery_slot_booking', 'en_US', [body(text('Max'), text('4711')), button('flow', 0, { type: 'action', action: { flow_token: 'tok-1', flow_action_data: { order: '4711' } } })]],
		['catalog button (Meta writes CATALOG)', 'spring_catalog', 'en_US', [body(text('Max')), button('CATALOG', 0, { type: 'action', action: { thumbnail_product_retailer_id: 'SKU-1' } })]],
		['multi-product button', 'bestsellers_multi_product', 'en_US', [
			body(text('Max')),
			button('mpm', 0, { type: 'action', action: { thumbnail_product_retailer_id: 'SKU-1', sections: [{ title: 'Top', product_items: [{ product_retailer_id: 'SKU-1' }] }] } }),
		]],
	] as Array<[string, string, string, Component[] | undefined]>)('%s (%s)', async (_case, name, language, components) => {
		const response = await sendTemplate(name, language, components);

		expect(response.data).toEqual(expect.objectContaining({ messages: [expect.objectContaining({ id: expect.stringMatching(/^wamid\./) })] }));
		expect(emulator.messages()[0].category).toBe(TEMPLATES.find((t) => t.name === name && t.language === language)?.category.toLowerCase());
	});
});

describe('template sends that do not match', () => {
	it.each([
		['unknown name', 'order_updates', 'en_US', undefined, 404, 132001, 'template name (order_updates) does not exist in en_US'],
		['translation that does not exist (en vs en_US)', 'order_update', 'en', undefined, 404, 132001, 'template name (order_update) does not exist in en (it exists in en_US, de, fr)'],
		['PENDING template', 'black_friday_teaser', 'en_US', [body(text('3'), text('Max'))], 404, 132001, 'is not approved (status PENDING)'],
		['REJECTED template', 'crypto_giveaway', 'en_US', [body(text('Max'))], 404, 132001, 'is not approved (status REJECTED)'],
		['PAUSED template', 'newsletter_weekly', 'en_US', [body(text('x'))], 400, 132015, 'template newsletter_weekly (en_US) is paused'],
		['DISABLED template', 'legacy_password_reset', 'en_US', [body(text('x'))], 400, 132016, 'template legacy_password_reset (en_US) is disabled'],
		['too few body parameters', 'order_update', 'de', [header(image), body(text('Max'), text('€19.90')), button('url', 1, text('1'))], 400, 132000,
			'body: number of localizable_params (2) does not match the expected number of params (3)'],
		['parameters for a static template', 'hello_world', 'en_US', [body(text('Max'))], 400, 132000,
			'body: number of localizable_params (1) does not match the expected number of params (0)'],
		['missing image header', 'order_update', 'en_US', [body(text('a'), text('b'), text('c')), button('url', 1, text('1'))], 400, 132000,
			'header: number of localizable_params (0) does not match the expected number of params (1)'],
		['text for an image header', 'order_update', 'en_US', [header(text('x')), body(text('a'), text('b'), text('c')), button('url', 1, text('1'))], 400, 132012,
			'header: template order_update expects an image parameter, got "text"'],
		['positional parameters for a named template', 'welcome_customer', 'de', [body(text('Erika'), text('Example Shop'))], 400, 132012,
			'body: parameter 1 has no parameter_name, but the template uses named parameters ({{first_name}}, {{shop_name}})'],
		['parameter names for a positional template', 'feedback_request', 'en_US', [body(text('4711', 'order_id'))], 400, 132012,
			'body: parameter 1 has parameter_name "order_id", but the template uses positional parameters'],
		['wrong parameter names', 'welcome_customer', 'de', [body(text('Erika', 'first_name'), text('Shop', 'store'))], 400, 132000,
			"body: parameter names (first_name, store) do not match the template's (first_name, shop_name)"],
		['missing URL button variable', 'shipping_confirmation', 'en_US', [header(text('4711')), body(text('Max'), text('DHL'))], 400, 132000,
			'button at index 0 (URL): number of params (0) does not match the expected number of params (1)'],
		['parameter for a static phone button', 'payment_due_reminder', 'en_US', [body(text('a'), text('b'), text('c')), button('url', 0, text('x')), button('url', 1, text('y'))], 400, 132000,
			'button at index 0 (PHONE_NUMBER): number of params (1) does not match the expected number of params (0)'],
		['button index beyond the template', 'feedback_request', 'en_US', [body(text('1')), button('quick_reply', 5, { type: 'payload', payload: 'x' })], 400, 132000,
			'button at index 5: template feedback_request has 3 buttons'],
		['wrong button sub_type', 'promo_coupon', 'en_US', [body(text('20%')), button('url', 0, text('SAVE20')), button('url', 1, text('x'))], 400, 132012,
			'button at index 0 (COPY_CODE): sub_type must be "copy_code", got "url"'],
		['missing copy code', 'promo_coupon', 'en_US', [body(text('20%')), button('url', 1, text('x'))], 400, 132000,
			'button at index 0 (COPY_CODE): number of params (0) does not match the expected number of params (1)'],
		['too few carousel cards', 'summer_collection_carousel', 'en_US', [
			body(text('Max')),
			{ type: 'carousel', cards: [{ card_index: 0, components: [header(image), body(text('1')), button('url', 1, text('x'))] }] },
		], 400, 132000, 'carousel: number of cards (1) does not match the expected number of cards (3)'],
		['carousel card without its variables', 'summer_collection_carousel', 'en_US', [
			body(text('Max')),
			{ type: 'carousel', cards: [0, 1, 2].map((i) => ({ card_index: i, components: [header(image), body(text('1'))] })) },
		], 400, 132000, 'carousel card 0 button at index 1 (URL): number of params (0) does not match the expected number of params (1)'],
		['limited-time offer without expiration', 'flash_sale_offer', 'en_US', [
			header(image),
			body(text('Max'), text('30%')),
			button('copy_code', 0, { type: 'coupon_code', coupon_code: 'F' }),
			button('url', 1, text('F')),
		], 400, 132000, "limited_time_offer: the template's offer expires"],
	] as Array<[string, string, string, Component[] | undefined, number, number, string]>)('%s', async (_case, name, language, components, status, code, details) => {
		const response = await sendTemplate(name, language, components);

		expect(response.status).toBe(status);
		expect(response.data.error.code).toBe(code);
		expect(response.data.error.error_data.details).toContain(details);
		expect(emulator.messages()).toHaveLength(0);
	});

	it('refuses an authentication template to a BSUID recipient (131062)', async () => {
		const response = await api.post('/messages', {
			messaging_product: 'whatsapp',
			recipient: 'DE.1300000000000000000001',
			type: 'template',
			template: { name: 'verification_code', language: { code: 'en_US' }, components: [body(text('123456')), button('url', 0, text('123456'))] },
		});

		expect(response.data.error.code).toBe(131062);
	});

	it('uses the 132001 body of the error fixture', async () => {
		const response = await sendTemplate('order_update', 'it');

		expect(response.data.error).toMatchObject({
			message: '(#132001) Template name does not exist in the translation',
			type: 'OAuthException',
			code: 132001,
			error_subcode: 2388040,
			error_data: { messaging_product: 'whatsapp' },
		});
	});
});

describe('changing the template store', () => {
	const custom: MessageTemplate = {
		id: '1199999999999999',
		name: 'custom_notice',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		components: [{ type: 'BODY', text: 'Notice for {{1}}', example: { body_text: [['Max']] } }],
	};

	it('accepts a template added through the control API, until reset', async () => {
		expect((await controlClient(emulator).post('/templates', { template: custom })).status).toBe(200);
		expect((await sendTemplate('custom_notice', 'en_US', [body(text('Max'))])).status).toBe(200);

		await emulator.reset();
		expect((await sendTemplate('custom_notice', 'en_US', [body(text('Max'))])).data.error.code).toBe(132001);
	});

	it('accepts a template pushed on the programmatic handle', async () => {
		emulator.templates.push(custom);
		expect((await sendTemplate('custom_notice', 'en_US', [body(text('Max'))])).status).toBe(200);
	});
});

describe('GET /v1/configs/templates (360dialog)', () => {
	it('returns every template by default, with count and total', async () => {
		const response = await api.get('/v1/configs/templates');

		expect(response.status).toBe(200);
		expect(response.data).toMatchObject({ count: TEMPLATES.length, total: TEMPLATES.length, offset: 0, limit: 1000 });
		expect(response.data.waba_templates.map((t: MessageTemplate) => t.name)).toEqual(TEMPLATES.map((t) => t.name));
		expect(response.data.waba_templates[0]).toMatchObject({ namespace: expect.any(String), rejected_reason: 'NONE', components: expect.any(Array) });
	});

	it('pages with limit and offset through all templates exactly once', async () => {
		const ids: string[] = [];
		for (let offset = 0; ; offset += 7) {
			const page = (await api.get('/v1/configs/templates', { params: { limit: 7, offset } })).data;
			expect(page.total).toBe(TEMPLATES.length);
			ids.push(...page.waba_templates.map((t: MessageTemplate) => t.id));
			if (page.waba_templates.length < 7) break;
		}
		expect(ids).toEqual(TEMPLATES.map((t) => t.id));
	});

	it('filters by status with the filters parameter', async () => {
		const response = await api.get('/v1/configs/templates', { params: { filters: JSON.stringify({ status: 'approved' }) } });

		expect(response.data.total).toBe(TEMPLATES.filter((t) => t.status === 'APPROVED').length);
		expect(response.data.waba_templates.every((t: MessageTemplate) => t.status === 'APPROVED')).toBe(true);
	});

	it('sorts by name', async () => {
		const names = (await api.get('/v1/configs/templates', { params: { sort: 'name' } })).data.waba_templates.map((t: MessageTemplate) => t.name);
		expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
	});
});

describe('GET /message_templates (Meta)', () => {
	it('pages 10 at a time by default; following paging.next yields every template once', async () => {
		const first = await api.get('/message_templates');
		expect(first.status).toBe(200);
		expect(first.data.data).toHaveLength(10);
		expect(first.data.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });

		const ids: string[] = [];
		let next: string | undefined = `${emulator.url}/message_templates`;
		let pages = 0;
		while (next) {
			const page: { data: MessageTemplate[]; paging: { next?: string } } = (await axios.get(next, { headers: { 'D360-API-KEY': emulator.apiKey } })).data;
			ids.push(...page.data.map((t) => t.id));
			next = page.paging.next;
			pages++;
		}
		expect(pages).toBe(Math.ceil(TEMPLATES.length / 10));
		expect(ids).toEqual(TEMPLATES.map((t) => t.id));
	});

	it('returns Meta template objects', async () => {
		const template = (await api.get('/message_templates', { params: { limit: 1 } })).data.data[0];
		expect(Object.keys(template).sort()).toEqual(['category', 'components', 'id', 'language', 'name', 'parameter_format', 'status']);
	});

	it('pages backwards with the before cursor', async () => {
		const second = (await api.get('/message_templates', { params: { limit: 5, after: (await api.get('/message_templates', { params: { limit: 5 } })).data.paging.cursors.after } })).data;
		const back = (await axios.get(second.paging.previous, { headers: { 'D360-API-KEY': emulator.apiKey } })).data;

		expect(back.data.map((t: MessageTemplate) => t.id)).toEqual(TEMPLATES.slice(0, 5).map((t) => t.id));
		expect(back.paging.previous).toBeUndefined();
	});

	it('filters by status', async () => {
		const response = await api.get('/message_templates', { params: { status: 'APPROVED', limit: 100 } });

		expect(response.data.data.map((t: MessageTemplate) => t.name)).toEqual(TEMPLATES.filter((t) => t.status === 'APPROVED').map((t) => t.name));
		expect(response.data.paging.next).toBeUndefined();
	});

	it('answers Graph 100 for a cursor it did not issue', async () => {
		const response = await api.get('/message_templates', { params: { after: 'bogus' } });

		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe(100);
	});
});
