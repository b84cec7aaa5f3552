/**
 * The Meta spec validator: every webhook fixture passes, each deliberate deviation does what its
 * reason says (and nothing else is loosened), and errors name the offending field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { textMessage } from './bodies';
import {
	META_SPEC_PATH,
	SPEC_DEVIATIONS,
	validateSendBody,
	validateWebhookPayload,
	WEBHOOK_FIXTURES_DIR,
} from './metaSpec';

/** Just enough structure to edit a fixture in place. */
interface FixtureValue {
	metadata?: unknown;
	contacts: Array<Record<string, unknown>>;
	messages: Array<Record<string, unknown> & { text?: Record<string, unknown> }>;
	statuses: Array<Record<string, unknown>>;
}
type Fixture = { object: string; entry: Array<{ changes: Array<{ value: FixtureValue }> }> };

const fixture = (file: string): Fixture => JSON.parse(readFileSync(path.join(WEBHOOK_FIXTURES_DIR, file), 'utf8'));

const text = (extra: IDataObject = {}) => textMessage('Hello', extra);

const interactive = (body: Record<string, unknown>) => ({ messaging_product: 'whatsapp', to: '4915112345678', type: 'interactive', interactive: body });

const template = (components: unknown[], extra: Record<string, unknown> = {}) => ({
	messaging_product: 'whatsapp',
	to: '4915112345678',
	type: 'template',
	template: { name: 'promo', language: { code: 'en_US' }, components, ...extra },
});

describe('paths', () => {
	it('finds the spec and the fixtures beside the checkout', () => {
		expect(existsSync(META_SPEC_PATH)).toBe(true);
		expect(readdirSync(WEBHOOK_FIXTURES_DIR).length).toBeGreaterThanOrEqual(22);
	});
});

describe('validateWebhookPayload', () => {
	it.each(readdirSync(WEBHOOK_FIXTURES_DIR).filter((f) => f.endsWith('.json')))('%s is valid', (file) => {
		expect(validateWebhookPayload(fixture(file))).toEqual({ valid: true, errors: [], issues: [] });
	});

	it('names what is wrong, with the full path', () => {
		const payload = fixture('message-text.json');
		const value = payload.entry[0].changes[0].value;
		delete value.messages[0].text?.body;
		value.metadata = { display_phone_number: '4930123456789' };

		expect(validateWebhookPayload(payload).errors).toEqual([
			'entry[0].changes[0].value.metadata.phone_number_id is required',
			'entry[0].changes[0].value.messages[0].text.body is required',
		]);
	});

	it('checks statuses', () => {
		const payload = fixture('status-sent.json');
		payload.entry[0].changes[0].value.statuses[0].status = 'deleted';

		expect(validateWebhookPayload(payload).errors).toEqual([
			'entry[0].changes[0].value.statuses[0].status is "deleted"; expected one of "sent", "delivered", "read", "failed", "played"',
		]);
	});

	it('rejects a payload that is not a WhatsApp envelope', () => {
		expect(validateWebhookPayload({ object: 'page', entry: [] }).errors).toEqual(['object is "page"; expected "whatsapp_business_account"']);
		expect(validateWebhookPayload([]).valid).toBe(false);
	});

	it('checks group values against GroupValue', () => {
		const payload = JSON.parse(readFileSync(path.join(WEBHOOK_FIXTURES_DIR, 'group-lifecycle-create.json'), 'utf8'));
		expect(validateWebhookPayload(payload).valid).toBe(true);
		payload.entry[0].changes[0].value.groups[0].type = 'group_explode';
		delete payload.entry[0].changes[0].value.groups[0].request_id;
		expect(validateWebhookPayload(payload).errors).toEqual([
			expect.stringMatching(/^entry\[0\]\.changes\[0\]\.value\.groups\[0\]\.request_id is required$/),
			expect.stringMatching(/^entry\[0\]\.changes\[0\]\.value\.groups\[0\]\.type is "group_explode"; expected one of "group_create"/),
		]);
	});

	it('ignores change fields the spec has no schema for', () => {
		const payload = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }] };
		expect(validateWebhookPayload(payload).valid).toBe(true);
	});
});

describe('validateSendBody', () => {
	it('accepts a plain text body and a reply-buttons body', () => {
		expect(validateSendBody(text()).valid).toBe(true);
		expect(
			validateSendBody(interactive({ type: 'button', body: { text: 'Yes?' }, action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] } })).valid,
		).toBe(true);
	});

	it('rejects unknown fields at every level, naming them', () => {
		expect(validateSendBody(text({ priority: 'high' })).errors).toEqual(['priority is not a known field here']);
		expect(validateSendBody(text({ text: { body: 'x', bold: true } })).errors).toEqual(['text.bold is not a known field here']);
	});

	it('reports the failing field inside oneOf branches instead of every branch', () => {
		const body = interactive({
			type: 'list',
			body: { text: 'Pick' },
			action: { button: 'Choose', sections: [{ title: 'A very long section title indeed', rows: [{ id: '1', title: 'One' }] }] },
		});

		expect(validateSendBody(body).issues).toEqual([
			{ path: 'interactive.action.sections[0].title', kind: 'invalid', message: 'interactive.action.sections[0].title has 32 characters; max 24' },
		]);
	});

	it('lists the allowed shapes when no branch fits', () => {
		expect(validateSendBody(interactive({ type: 'button', body: { text: 'x' }, action: { foo: 1 } })).errors).toEqual([
			expect.stringMatching(/^interactive\.action must have one of \{button, sections\} \| \{buttons\} \| \{catalog_id\} \| .*\{name: "cta_url", parameters\}/),
		]);
	});

	it('classifies problems as missing, unknown or invalid', () => {
		expect(validateSendBody({ messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } }).issues[0]).toMatchObject({ path: 'to', kind: 'missing' });
		expect(validateSendBody(text({ recipient_type: 'everyone' })).issues[0]).toMatchObject({ path: 'recipient_type', kind: 'invalid' });
		expect(validateSendBody(text({ x: 1 })).issues[0]).toMatchObject({ path: 'x', kind: 'unknown' });
	});

	it('rejects non-objects and unknown types', () => {
		expect(validateSendBody('hello').errors).toEqual(['the body must be a JSON object, not "hello"']);
		expect(validateSendBody(text({ type: 'fax' })).errors[0]).toMatch(/^type is "fax"; expected one of "text", "image"/);
		expect(validateSendBody({ messaging_product: 'whatsapp', to: '1' }).errors).toEqual(['type is required']);
	});
});

describe('validateSendBody: template components', () => {
	const header = (...parameters: unknown[]) => ({ type: 'header', parameters });
	const body = (...parameters: unknown[]) => ({ type: 'body', parameters });
	const button = (subType: string, index: string | number, ...parameters: unknown[]) => ({ type: 'button', sub_type: subType, index, parameters });
	const textParam = (value: string, extra: Record<string, unknown> = {}) => ({ type: 'text', text: value, ...extra });
	const currency = { type: 'currency', currency: { fallback_value: '€19.90', code: 'EUR', amount_1000: 19900 } };
	const dateTime = { type: 'date_time', date_time: { fallback_value: '15 January 2026' } };
	const card = (index: number, media: Record<string, unknown>) => ({
		card_index: index,
		components: [header(media), body(textParam('Card text')), button('quick_reply', '0', { type: 'payload', payload: `MORE_${index}` }), button('url', '1', textParam('p/1'))],
	});

	// Every kind of component and parameter the live API takes (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates).
	const valid: Record<string, unknown[]> = {
		'image header, currency, date_time, quick reply and URL button': [
			header({ type: 'image', image: { id: '1234' } }),
			body(textParam('Max'), currency, dateTime),
			button('quick_reply', '0', { type: 'payload', payload: 'STOP_PROMOTIONS' }),
			button('url', '1', textParam('4711')),
		],
		'text header': [header(textParam('Spring sale'))],
		'image header by link': [header({ type: 'image', image: { link: 'https://example.com/offer.jpg' } })],
		'video header': [header({ type: 'video', video: { id: '99' } })],
		'document header with file name': [header({ type: 'document', document: { link: 'https://example.com/a.pdf', filename: 'invoice.pdf' } })],
		'location header': [header({ type: 'location', location: { latitude: '52.52', longitude: '13.41' } })],
		'product header': [header({ type: 'product', product: { product_retailer_id: 'SKU1', catalog_id: '1942' } })],
		'currency and date_time in the header': [header(currency, dateTime)],
		'named parameters': [
			header(textParam('Dr. Who', { parameter_name: 'clinic_name' })),
			body(textParam('Max', { parameter_name: 'first_name' }), { ...currency, parameter_name: 'total' }, { ...dateTime, parameter_name: 'due_2' }),
		],
		'authentication (OTP)': [body(textParam('123456')), button('url', '0', textParam('123456'))],
		'copy code': [button('copy_code', '2', { type: 'coupon_code', coupon_code: 'SAVE20' })],
		'flow button': [button('flow', '0', { type: 'action', action: { flow_token: 'tok-1', flow_action_data: { screen: 'A' } } })],
		'catalog button, no thumbnail': [button('catalog', '0', { type: 'action', action: {} })],
		'CATALOG button with thumbnail': [button('CATALOG', '0', { type: 'action', action: { thumbnail_product_retailer_id: 'SKU1' } })],
		'multi-product button': [
			button('mpm', '0', {
				type: 'action',
				action: {
					thumbnail_product_retailer_id: 'SKU1',
					sections: [
						{ title: 'Shoes', product_items: [{ product_retailer_id: 'SKU1' }, { product_retailer_id: 'SKU2' }] },
						{ title: 'Socks', product_items: [{ product_retailer_id: 'SKU3' }] },
					],
				},
			}),
		],
		'numeric button index': [button('quick_reply', 3, { type: 'payload', payload: 'P' })],
		'limited-time offer': [
			body(textParam('Max')),
			{ type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: 1767312000000 } }] },
			button('copy_code', '0', { type: 'coupon_code', coupon_code: 'SAVE20' }),
			button('url', '1', textParam('offer')),
		],
		carousel: [
			body(textParam('Max')),
			{
				type: 'carousel',
				cards: [
					card(0, { type: 'image', image: { id: '1' } }),
					card(1, { type: 'video', video: { link: 'https://example.com/v.mp4' } }),
					{ card_index: 2, components: [header({ type: 'product', product: { product_retailer_id: 'SKU1', catalog_id: '1942' } })] },
				],
			},
		],
	};

	it.each(Object.entries(valid))('accepts %s', (_name, components) => {
		expect(validateSendBody(template(components)).errors).toEqual([]);
	});

	it('accepts a template without components, and with policy "deterministic"', () => {
		expect(validateSendBody(template([])).errors).toEqual([]);
		expect(validateSendBody({ ...template([]), template: { name: 'hello_world', language: { code: 'en_US', policy: 'deterministic' } } }).errors).toEqual([]);
	});

	// Each wrong shape: exactly one issue, naming the path.
	const rejected: Array<[string, unknown[], { path: string; kind: string; message: string }]> = [
		[
			'a made-up parameter type',
			[body({ type: 'emoji', emoji: '🎉' })],
			{ path: 'template.components[0].parameters[0].type', kind: 'invalid', message: 'template.components[0].parameters[0].type is "emoji"; expected one of "text", "currency", "date_time"' },
		],
		[
			'a button without index',
			[button('url', '0', textParam('x')), { type: 'button', sub_type: 'url', parameters: [textParam('x')] }],
			{ path: 'template.components[1].index', kind: 'missing', message: 'template.components[1].index is required' },
		],
		[
			'a button without sub_type',
			[{ type: 'button', index: '0', parameters: [{ type: 'payload', payload: 'P' }] }],
			{ path: 'template.components[0].sub_type', kind: 'missing', message: 'template.components[0].sub_type is required' },
		],
		[
			'an unknown key in a text parameter',
			[body(textParam('Max', { bold: true }))],
			{ path: 'template.components[0].parameters[0].bold', kind: 'unknown', message: 'template.components[0].parameters[0].bold is not a known field here' },
		],
		[
			'a currency without amount_1000',
			[body(textParam('Max'), { type: 'currency', currency: { fallback_value: '€19.90', code: 'EUR' } })],
			{ path: 'template.components[0].parameters[1].currency.amount_1000', kind: 'missing', message: 'template.components[0].parameters[1].currency.amount_1000 is required' },
		],
		[
			'a carousel card without card_index',
			[{ type: 'carousel', cards: [card(0, { type: 'image', image: { id: '1' } }), { components: [header({ type: 'image', image: { id: '2' } })] }] }],
			{ path: 'template.components[0].cards[1].card_index', kind: 'missing', message: 'template.components[0].cards[1].card_index is required' },
		],
		[
			'a made-up component type',
			[{ type: 'footer', parameters: [] }],
			{
				path: 'template.components[0].type',
				kind: 'invalid',
				message: 'template.components[0].type is "footer"; expected one of "header", "body", "button", "limited_time_offer", "carousel"',
			},
		],
		[
			'a component without type',
			[{ parameters: [textParam('x')] }],
			{ path: 'template.components[0].type', kind: 'missing', message: 'template.components[0].type is required' },
		],
		[
			'a made-up header parameter type',
			[header({ type: 'audio', audio: { id: '1' } })],
			{ path: 'template.components[0].parameters[0].type', kind: 'invalid', message: expect.stringMatching(/^template\.components\[0\]\.parameters\[0\]\.type is "audio"; expected one of "currency", .*"location", "product"$/) },
		],
		[
			'a media parameter in the body',
			[body({ type: 'image', image: { id: '1' } })],
			{ path: 'template.components[0].parameters[0].type', kind: 'invalid', message: 'template.components[0].parameters[0].type is "image"; expected one of "text", "currency", "date_time"' },
		],
		[
			'a made-up button parameter type',
			[button('quick_reply', '0', { type: 'postback', payload: 'P' })],
			{ path: 'template.components[0].parameters[0].type', kind: 'invalid', message: 'template.components[0].parameters[0].type is "postback"; expected one of "payload", "text", "coupon_code", "action"' },
		],
		[
			'a parameter kind the sub_type does not take',
			[button('url', '0', { type: 'payload', payload: 'P' })],
			{ path: 'template.components[0].parameters[0].type', kind: 'invalid', message: 'template.components[0].parameters[0].type is "payload"; expected "text"' },
		],
		[
			'a made-up sub_type',
			[button('call_me', '0', textParam('x'))],
			{ path: 'template.components[0].sub_type', kind: 'invalid', message: expect.stringMatching(/^template\.components\[0\]\.sub_type is "call_me"; expected one of "quick_reply", "url", "catalog", /) },
		],
		[
			'a button with a position past 9',
			[button('url', '12', textParam('x'))],
			{ path: 'template.components[0].index', kind: 'invalid', message: 'template.components[0].index ("12") does not match ^[0-9]$' },
		],
		[
			'a button without parameters',
			[{ type: 'button', sub_type: 'quick_reply', index: '0' }],
			{ path: 'template.components[0].parameters', kind: 'missing', message: 'template.components[0].parameters is required' },
		],
		[
			'index on a body component',
			[{ ...body(textParam('x')), index: '0' }],
			{ path: 'template.components[0].index', kind: 'unknown', message: 'template.components[0].index is not a known field here' },
		],
		[
			'an unknown key in a currency',
			[body({ type: 'currency', currency: { fallback_value: '€1', code: 'EUR', amount_1000: 1000, amount: 1 } })],
			{ path: 'template.components[0].parameters[0].currency.amount', kind: 'unknown', message: 'template.components[0].parameters[0].currency.amount is not a known field here' },
		],
		[
			'a caption on header media',
			[header({ type: 'image', image: { id: '1', caption: 'Hi' } })],
			{ path: 'template.components[0].parameters[0].image.caption', kind: 'unknown', message: 'template.components[0].parameters[0].image.caption is not a known field here' },
		],
		[
			'header media with both id and link',
			[header({ type: 'video', video: { id: '1', link: 'https://example.com/v.mp4' } })],
			{
				path: 'template.components[0].parameters[0].video',
				kind: 'invalid',
				message: 'template.components[0].parameters[0].video matches more than one allowed shape; use exactly one of {id} | {link}',
			},
		],
		[
			'a text parameter without text',
			[header({ type: 'text' })],
			{ path: 'template.components[0].parameters[0].text', kind: 'missing', message: 'template.components[0].parameters[0].text is required' },
		],
		[
			'a location header without longitude',
			[header({ type: 'location', location: { latitude: 52.5 } })],
			{ path: 'template.components[0].parameters[0].location.longitude', kind: 'missing', message: 'template.components[0].parameters[0].location.longitude is required' },
		],
		[
			'a multi-product button without sections',
			[button('mpm', '0', { type: 'action', action: { thumbnail_product_retailer_id: 'SKU1' } })],
			{ path: 'template.components[0].parameters[0].action.sections', kind: 'missing', message: 'template.components[0].parameters[0].action.sections is required' },
		],
		[
			'an unknown key in an action',
			[button('flow', '0', { type: 'action', action: { flow_token: 't', flow_id: '1' } })],
			{ path: 'template.components[0].parameters[0].action.flow_id', kind: 'unknown', message: 'template.components[0].parameters[0].action.flow_id is not a known field here' },
		],
		[
			'an offer expiry that is not a number',
			[{ type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: '2026-12-31' } }] }],
			{
				path: 'template.components[0].parameters[0].limited_time_offer.expiration_time_ms',
				kind: 'invalid',
				message: 'template.components[0].parameters[0].limited_time_offer.expiration_time_ms must be integer, not "2026-12-31"',
			},
		],
		[
			'a text parameter in a limited-time-offer component',
			[{ type: 'limited_time_offer', parameters: [textParam('x')] }],
			{ path: 'template.components[0].parameters[0].type', kind: 'invalid', message: 'template.components[0].parameters[0].type is "text"; expected "limited_time_offer"' },
		],
		[
			'an offer inside a carousel card',
			[{ type: 'carousel', cards: [{ card_index: 0, components: [{ type: 'limited_time_offer', parameters: [] }] }] }],
			{ path: 'template.components[0].cards[0].components[0].type', kind: 'invalid', message: 'template.components[0].cards[0].components[0].type is "limited_time_offer"; expected one of "header", "body", "button"' },
		],
		[
			'a carousel without cards',
			[{ type: 'carousel' }],
			{ path: 'template.components[0].cards', kind: 'missing', message: 'template.components[0].cards is required' },
		],
		[
			'an unknown key in a carousel card',
			[{ type: 'carousel', cards: [{ ...card(0, { type: 'image', image: { id: '1' } }), title: 'x' }] }],
			{ path: 'template.components[0].cards[0].title', kind: 'unknown', message: 'template.components[0].cards[0].title is not a known field here' },
		],
	];

	it.each(rejected)('rejects %s, naming the path', (_name, components, issue) => {
		expect(validateSendBody(template(components)).issues).toEqual([issue]);
	});

	it('checks every component and card, not just the first', () => {
		const result = validateSendBody(
			template([
				body(textParam('Max', { bold: true })),
				{ type: 'carousel', cards: [card(0, { type: 'image', image: { id: '1' } }), { card_index: 1, components: [button('url', '1', { type: 'payload', payload: 'P' })] }] },
				button('quick_reply', '0'),
			]),
		);
		expect(result.errors).toEqual([
			'template.components[0].parameters[0].bold is not a known field here',
			'template.components[1].cards[1].components[0].parameters[0].type is "payload"; expected "text"',
			'template.components[2].parameters has 0 items; min 1',
		]);
	});

	it('closes the template message, the template and its language', () => {
		expect(validateSendBody({ ...template([]), priority: 'high' }).errors).toEqual(['priority is not a known field here']);
		expect(validateSendBody(template([], { namespace: 'abc' })).errors).toEqual(['template.namespace is not a known field here']);
		expect(validateSendBody(template([], { language: { code: 'en', locale: 'en' } })).errors).toEqual(['template.language.locale is not a known field here']);
		expect(validateSendBody(template([], { componets: [] })).errors).toEqual(['template.componets is not a known field here']);
	});
});

describe('SPEC_DEVIATIONS', () => {
	it('are named, unique and explained', () => {
		const names = SPEC_DEVIATIONS.map((d) => d.name);
		expect(new Set(names).size).toBe(names.length);
		for (const deviation of SPEC_DEVIATIONS) {
			expect(deviation.name).toMatch(/^[a-z0-9-]+$/);
			expect(deviation.reason.length).toBeGreaterThan(30);
		}
	});

	// Each entry: a body that is valid only thanks to that deviation.
	const acceptedBecauseOf: Record<string, unknown> = {
		'recipient-type-optional': { messaging_product: 'whatsapp', to: '4915112345678', type: 'text', text: { body: 'x' } },
		'bsuid-recipient': { messaging_product: 'whatsapp', recipient: 'DE.1300000000000000000001', type: 'text', text: { body: 'x' } },
		'biz-opaque-callback-data': text({ biz_opaque_callback_data: 'n8n-exec-1' }),
		'template-language-policy-optional': { messaging_product: 'whatsapp', to: '4915112345678', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } },
		'location-coordinates-are-numbers': { messaging_product: 'whatsapp', to: '4915112345678', type: 'location', location: { latitude: 52.52, longitude: 13.41 } },
		'contact-phone-types': {
			messaging_product: 'whatsapp',
			to: '4915112345678',
			type: 'contacts',
			contacts: [{ name: { formatted_name: 'E M', first_name: 'E' }, phones: [{ phone: '+49 176 1', type: 'CELL' }] }],
		},
		'interactive-cta-url-location-request-address': interactive({
			type: 'cta_url',
			body: { text: 'Open' },
			action: { name: 'cta_url', parameters: { display_text: 'Open', url: 'https://example.com' } },
		}),
		'interactive-catalog-message-parameters-optional': interactive({
			type: 'catalog_message',
			body: { text: 'Browse our catalog' },
			action: { name: 'catalog_message' },
		}),
		'interactive-order-details-status': interactive({
			type: 'order_status',
			body: { text: 'Shipped' },
			action: { name: 'review_order', parameters: { reference_id: 'ORDER-1', order: { status: 'shipped' } } },
		}),
		'template-button-index': template([{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '4711' }] }]),
		'template-button-sub-types': template([{ type: 'button', sub_type: 'copy_code', index: '1', parameters: [{ type: 'coupon_code', coupon_code: 'SAVE20' }] }]),
		'template-named-parameters': template([{ type: 'body', parameters: [{ type: 'text', text: 'Max', parameter_name: 'first_name' }] }]),
		'template-document-filename': template([{ type: 'header', parameters: [{ type: 'document', document: { id: '1234', filename: 'invoice.pdf' } }] }]),
		'template-location-header': template([
			{ type: 'header', parameters: [{ type: 'location', location: { latitude: 52.52, longitude: 13.41, name: 'Shop', address: 'Street 1' } }] },
		]),
		'template-product-header': template([{ type: 'header', parameters: [{ type: 'product', product: { product_retailer_id: 'SKU1', catalog_id: '1942' } }] }]),
		'template-coupon-code': template([{ type: 'button', sub_type: 'copy_code', index: '1', parameters: [{ type: 'coupon_code', coupon_code: 'SAVE20' }] }]),
		'template-action-parameter': template([{ type: 'button', sub_type: 'flow', index: '1', parameters: [{ type: 'action', action: { flow_token: 'tok' } }] }]),
		'template-limited-time-offer': template([
			{ type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: 1767312000000 } }] },
		]),
		'template-carousel': template([
			{ type: 'carousel', cards: [{ card_index: 0, components: [{ type: 'header', parameters: [{ type: 'image', image: { id: '1' } }] }] }] },
		]),
		'media-link-url-format': { messaging_product: 'whatsapp', to: '4915112345678', type: 'image', image: { link: 'http://127.0.0.1:8080/photo.jpg' } },
		'typing-indicator': { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.x', typing_indicator: { type: 'text' } },
	};

	it.each(Object.entries(acceptedBecauseOf))('%s: the body it is for is valid', (name, body) => {
		expect(SPEC_DEVIATIONS.map((d) => d.name)).toContain(name);
		expect(validateSendBody(body).errors).toEqual([]);
	});

	it('covers every send deviation with a body above', () => {
		const send = SPEC_DEVIATIONS.filter((d) => d.appliesTo === 'send').map((d) => d.name);
		expect(send.sort()).toEqual(Object.keys(acceptedBecauseOf).sort());
	});

	it('loosens nothing else', () => {
		expect(validateSendBody({ messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } }).valid).toBe(false); // neither to nor recipient
		expect(validateSendBody(text({ biz_opaque_callback_data: 42 })).valid).toBe(false);
		expect(validateSendBody({ messaging_product: 'whatsapp', to: '1', type: 'location', location: { latitude: true, longitude: 1 } }).valid).toBe(false);
		expect(validateSendBody(interactive({ type: 'cta_url', body: { text: 'x' }, action: { name: 'cta_url', parameters: { display_text: 'x' } } })).valid).toBe(false);
		// Order messages are closed: a misspelt field fails.
		expect(
			validateSendBody(
				interactive({ type: 'order_status', body: { text: 'x' }, action: { name: 'review_order', parameters: { reference_id: 'R', order: { status: 'shipped', descripton: 'x' } } } }),
			).valid,
		).toBe(false);
		// A catalog message may leave parameters out, but parameters without the thumbnail stay invalid.
		expect(validateSendBody(interactive({ type: 'catalog_message', body: { text: 'x' }, action: { name: 'catalog_message', parameters: {} } })).valid).toBe(false);
		expect(validateSendBody({ messaging_product: 'whatsapp', to: '1', type: 'image', image: { link: 'file:///etc/passwd' } }).valid).toBe(false);
		expect(
			validateSendBody({ messaging_product: 'whatsapp', to: '1', type: 'template', template: { name: 'x', language: { code: 'en' }, components: [{ type: 'button', sub_type: 'url', index: '10' }] } }).valid,
		).toBe(false);
		// Template kinds added by deviations are reachable only where the live API takes them.
		expect(validateSendBody(template([{ type: 'body', parameters: [{ type: 'location', location: { latitude: 1, longitude: 2 } }] }])).valid).toBe(false);
		expect(validateSendBody(template([{ type: 'header', parameters: [{ type: 'coupon_code', coupon_code: 'X' }] }])).valid).toBe(false);
		expect(validateSendBody(template([{ type: 'header', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: 1 } }] }])).valid).toBe(false);
		expect(validateSendBody(template([{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'x', parameter_name: 'x' }] }])).valid).toBe(false);
		expect(validateSendBody(template([{ type: 'header', parameters: [{ type: 'image', image: { id: '1', filename: 'a.png' } }] }])).valid).toBe(false);
		expect(validateSendBody(template([{ type: 'body', parameters: [{ type: 'text', text: 'x', parameter_name: 'First Name' }] }])).valid).toBe(false);
		expect(validateSendBody(template([{ type: 'carousel', cards: [{ card_index: 0, components: [{ type: 'carousel', cards: [] }] }] }])).valid).toBe(false);
	});

	it('webhook deviations: BSUID-only senders and played statuses are valid', () => {
		const payload = fixture('batch-3-messages-2-statuses.json');
		const erika = payload.entry[0].changes[1].value;
		delete erika.messages[0].from;
		delete erika.contacts[0].wa_id;
		payload.entry[0].changes[2].value.statuses[1].status = 'played';

		expect(validateWebhookPayload(payload).errors).toEqual([]);
	});
});
