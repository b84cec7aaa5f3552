/**
 * Template messages (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates):
 * the fields generated from every approved template of the emulator (exact), the body each
 * template produces (exact, and accepted by Meta's spec, the emulator's length and count rules
 * and its template checks that answer 132000), and every count, kind and limit violation with
 * the message the user sees.
 */
import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { templateMessage } from '../../../nodes/Dialog360/messageTypes/template';
import { languagesOf } from '../../../nodes/common/templateList';
import { buildTemplateObject, parseCurrency, parseExpiration, type MediaResolver } from '../../../nodes/Dialog360/messageTypes/template/build';
import { encodeUrlSuffix } from '../../../nodes/Dialog360/messageTypes/template/buttons';
import { parseTemplateDefinition, templateVariables, type TemplateDefinition } from '../../../nodes/Dialog360/messageTypes/template/definition';
import { matchesFilter, templateFields, templateListItem } from '../../../nodes/Dialog360/messageTypes/template/editor';
import { flattenParameters, parseTemplateChoice, readTemplateValues, resolveTemplate, type TemplateCatalog } from '../../../nodes/Dialog360/messageTypes/template/input';
import { TEMPLATE_FIELD_IDS } from '../../../nodes/Dialog360/messageTypes/template/names';
import type { BinaryInfo, BuildContext } from '../../../nodes/Dialog360/messageTypes/types';
import { withUploadedMedia } from '../../../nodes/Dialog360/send';
import { FieldError } from '../../../nodes/common/validation';
import { checkSendRules } from '../../emulator/sendRules';
import { checkTemplateMessage } from '../../emulator/templateRules';
import { TEMPLATES, type MessageTemplate } from '../../emulator/templates';
import { ENVELOPE } from '../../support/bodies';
import { validateSendBody } from '../../support/metaSpec';
import { fieldError } from './stubBuildContext';

const APPROVED = TEMPLATES.filter((template) => template.status === 'APPROVED');
const keyOf = (template: { name: string; language: string }): string => `${template.name}|${template.language}`;

function raw(key: string): MessageTemplate {
	const template = TEMPLATES.find((candidate) => keyOf(candidate) === key);
	if (!template) throw new Error(`no emulator template ${key}`);
	return template;
}

function definitionOf(key: string): TemplateDefinition {
	return parseTemplateDefinition(raw(key) as unknown as IDataObject);
}

/** Links stay links; everything else is taken as a media ID (binary files are tested through the module). */
const linksAndIds: MediaResolver = async (_label, _kind, value) => (/^https?:\/\//.test(value) ? { link: value } : { id: value });

/** Far in the future, so the "expires in the past" rule never depends on the clock. */
const NOW = Date.parse('2026-01-01T00:00:00Z');

async function build(key: string, values: Record<string, unknown>): Promise<IDataObject> {
	return await buildTemplateObject(definitionOf(key), values, { resolveMedia: linksAndIds, nowMs: NOW });
}

async function buildError(key: string, values: Record<string, unknown>): Promise<FieldError> {
	return await fieldError(async () => await build(key, values));
}

/** The whole body the node sends: the router's envelope plus the template part. */
function sendBody(template: IDataObject): IDataObject {
	return { ...ENVELOPE, type: 'template', template };
}

/** Meta's spec, the emulator's length and count rules and its template checks (132000, 132012, …) all accept it. */
function expectAccepted(template: IDataObject): void {
	const body = sendBody(template);
	expect(validateSendBody(body).errors).toEqual([]);
	expect(checkSendRules(body)).toEqual([]);
	expect(checkTemplateMessage(template, TEMPLATES, { toBsuid: false })).toBeUndefined();
}

// ---------------------------------------------------------------------------------------------
// Generated fields: every approved template, exact
// ---------------------------------------------------------------------------------------------

const OPTIONAL = 'optional';
const EXTRA = 'extra';
const EXTRA_FLAG = 'extraFlag';
type Row = [id: string, displayName: string, kind?: typeof OPTIONAL | typeof EXTRA | typeof EXTRA_FLAG];

function field([id, displayName, kind]: Row): ResourceMapperField {
	return {
		id,
		displayName,
		required: kind === undefined,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: kind === EXTRA_FLAG ? 'boolean' : 'string',
		...(kind === EXTRA || kind === EXTRA_FLAG ? { removed: true } : {}),
	};
}

const EXPECTED_FIELDS: Record<string, Row[]> = {
	'hello_world|en_US': [
	],
	'order_update|en_US': [
		['header.image', 'Header Image'],
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['body.2', 'Body {{2}}'],
		['body.2.currency', 'Body {{2}} as Currency', EXTRA],
		['body.2.date_time', 'Body {{2}} as Date', EXTRA_FLAG],
		['body.3', 'Body {{3}}'],
		['body.3.currency', 'Body {{3}} as Currency', EXTRA],
		['body.3.date_time', 'Body {{3}} as Date', EXTRA_FLAG],
		['button.0.payload', 'Button 1 Payload', OPTIONAL],
		['button.1.url', 'Button 2 URL Suffix'],
	],
	'order_update|de': [
		['header.image', 'Header Image'],
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['body.2', 'Body {{2}}'],
		['body.2.currency', 'Body {{2}} as Currency', EXTRA],
		['body.2.date_time', 'Body {{2}} as Date', EXTRA_FLAG],
		['body.3', 'Body {{3}}'],
		['body.3.currency', 'Body {{3}} as Currency', EXTRA],
		['body.3.date_time', 'Body {{3}} as Date', EXTRA_FLAG],
		['button.0.payload', 'Button 1 Payload', OPTIONAL],
		['button.1.url', 'Button 2 URL Suffix'],
	],
	'shipping_confirmation|en_US': [
		['header.text.1', 'Header {{1}}'],
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['body.2', 'Body {{2}}'],
		['body.2.currency', 'Body {{2}} as Currency', EXTRA],
		['body.2.date_time', 'Body {{2}} as Date', EXTRA_FLAG],
		['button.0.url', 'Button 1 URL Suffix'],
	],
	'appointment_reminder|en_US': [
		['header.text.clinic_name', 'Header {{clinic_name}}'],
		['body.first_name', 'Body {{first_name}}'],
		['body.first_name.currency', 'Body {{first_name}} as Currency', EXTRA],
		['body.first_name.date_time', 'Body {{first_name}} as Date', EXTRA_FLAG],
		['body.appointment_date', 'Body {{appointment_date}}'],
		['body.appointment_date.currency', 'Body {{appointment_date}} as Currency', EXTRA],
		['body.appointment_date.date_time', 'Body {{appointment_date}} as Date', EXTRA_FLAG],
		['body.appointment_time', 'Body {{appointment_time}}'],
		['body.appointment_time.currency', 'Body {{appointment_time}} as Currency', EXTRA],
		['body.appointment_time.date_time', 'Body {{appointment_time}} as Date', EXTRA_FLAG],
		['button.0.payload', 'Button 1 Payload', OPTIONAL],
		['button.1.payload', 'Button 2 Payload', OPTIONAL],
	],
	'welcome_customer|de': [
		['body.first_name', 'Body {{first_name}}'],
		['body.first_name.currency', 'Body {{first_name}} as Currency', EXTRA],
		['body.first_name.date_time', 'Body {{first_name}} as Date', EXTRA_FLAG],
		['body.shop_name', 'Body {{shop_name}}'],
		['body.shop_name.currency', 'Body {{shop_name}} as Currency', EXTRA],
		['body.shop_name.date_time', 'Body {{shop_name}} as Date', EXTRA_FLAG],
		['button.0.payload', 'Button 1 Payload', OPTIONAL],
	],
	'invoice_available|en_US': [
		['header.document', 'Header Document'],
		['header.document.filename', 'Header Document File Name', EXTRA],
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['body.2', 'Body {{2}}'],
		['body.2.currency', 'Body {{2}} as Currency', EXTRA],
		['body.2.date_time', 'Body {{2}} as Date', EXTRA_FLAG],
		['body.3', 'Body {{3}}'],
		['body.3.currency', 'Body {{3}} as Currency', EXTRA],
		['body.3.date_time', 'Body {{3}} as Date', EXTRA_FLAG],
	],
	'product_video_launch|en_US': [
		['header.video', 'Header Video'],
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['button.1.payload', 'Button 2 Payload', OPTIONAL],
	],
	'store_pickup_location|en_US': [
		['header.location.latitude', 'Header Location Latitude'],
		['header.location.longitude', 'Header Location Longitude'],
		['header.location.name', 'Header Location Name', OPTIONAL],
		['header.location.address', 'Header Location Address', OPTIONAL],
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
	],
	'promo_coupon|en_US': [
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['button.0.coupon', 'Button 1 Coupon Code'],
		['button.1.url', 'Button 2 URL Suffix'],
	],
	'verification_code|en_US': [
		['otp.code', 'Verification Code'],
	],
	'verification_code|de': [
		['otp.code', 'Verification Code'],
	],
	'login_code_one_tap|en_US': [
		['otp.code', 'Verification Code'],
	],
	'summer_collection_carousel|en_US': [
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['card.0.header.image', 'Card 1 Header Image'],
		['card.0.body.1', 'Card 1 Body {{1}}'],
		['card.0.body.1.currency', 'Card 1 Body {{1}} as Currency', EXTRA],
		['card.0.body.1.date_time', 'Card 1 Body {{1}} as Date', EXTRA_FLAG],
		['card.0.button.0.payload', 'Card 1 Button 1 Payload', OPTIONAL],
		['card.0.button.1.url', 'Card 1 Button 2 URL Suffix'],
		['card.1.header.image', 'Card 2 Header Image'],
		['card.1.body.1', 'Card 2 Body {{1}}'],
		['card.1.body.1.currency', 'Card 2 Body {{1}} as Currency', EXTRA],
		['card.1.body.1.date_time', 'Card 2 Body {{1}} as Date', EXTRA_FLAG],
		['card.1.button.0.payload', 'Card 2 Button 1 Payload', OPTIONAL],
		['card.1.button.1.url', 'Card 2 Button 2 URL Suffix'],
		['card.2.header.image', 'Card 3 Header Image'],
		['card.2.body.1', 'Card 3 Body {{1}}'],
		['card.2.body.1.currency', 'Card 3 Body {{1}} as Currency', EXTRA],
		['card.2.body.1.date_time', 'Card 3 Body {{1}} as Date', EXTRA_FLAG],
		['card.2.button.0.payload', 'Card 3 Button 1 Payload', OPTIONAL],
		['card.2.button.1.url', 'Card 3 Button 2 URL Suffix'],
	],
	'flash_sale_offer|en_US': [
		['header.image', 'Header Image'],
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['body.2', 'Body {{2}}'],
		['body.2.currency', 'Body {{2}} as Currency', EXTRA],
		['body.2.date_time', 'Body {{2}} as Date', EXTRA_FLAG],
		['lto.expiration', 'Offer Expiration'],
		['button.0.coupon', 'Button 1 Coupon Code'],
		['button.1.url', 'Button 2 URL Suffix'],
	],
	'payment_due_reminder|en_US': [
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['body.2', 'Body {{2}}'],
		['body.2.currency', 'Body {{2}} as Currency', EXTRA],
		['body.2.date_time', 'Body {{2}} as Date', EXTRA_FLAG],
		['body.3', 'Body {{3}}'],
		['body.3.currency', 'Body {{3}} as Currency', EXTRA],
		['body.3.date_time', 'Body {{3}} as Date', EXTRA_FLAG],
		['button.1.url', 'Button 2 URL Suffix'],
	],
	'delivery_slot_booking|en_US': [
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['body.2', 'Body {{2}}'],
		['body.2.currency', 'Body {{2}} as Currency', EXTRA],
		['body.2.date_time', 'Body {{2}} as Date', EXTRA_FLAG],
		['button.0.flow_token', 'Button 1 Flow Token', OPTIONAL],
		['button.0.flow_action_data', 'Button 1 Flow Data', EXTRA],
	],
	'spring_catalog|en_US': [
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['button.0.thumbnail', 'Button 1 Thumbnail Product', OPTIONAL],
	],
	'bestsellers_multi_product|en_US': [
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['button.0.thumbnail', 'Button 1 Thumbnail Product'],
		['button.0.products', 'Button 1 Products'],
	],
	'feedback_request|en_US': [
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['button.0.payload', 'Button 1 Payload', OPTIONAL],
		['button.1.payload', 'Button 2 Payload', OPTIONAL],
		['button.2.payload', 'Button 3 Payload', OPTIONAL],
	],
	'account_alert|en_GB': [
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
	],
	'bienvenida|es': [
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['button.0.payload', 'Button 1 Payload', OPTIONAL],
	],
	'back_in_stock|en_US': [
		['header.text.product_name', 'Header {{product_name}}'],
		['body.first_name', 'Body {{first_name}}'],
		['body.first_name.currency', 'Body {{first_name}} as Currency', EXTRA],
		['body.first_name.date_time', 'Body {{first_name}} as Date', EXTRA_FLAG],
		['body.product_name', 'Body {{product_name}}'],
		['body.product_name.currency', 'Body {{product_name}} as Currency', EXTRA],
		['body.product_name.date_time', 'Body {{product_name}} as Date', EXTRA_FLAG],
		['body.price', 'Body {{price}}'],
		['body.price.currency', 'Body {{price}} as Currency', EXTRA],
		['body.price.date_time', 'Body {{price}} as Date', EXTRA_FLAG],
		['button.0.url', 'Button 1 URL Suffix'],
	],
	'issue_resolution|en_US': [
		['body.1', 'Body {{1}}'],
		['body.1.currency', 'Body {{1}} as Currency', EXTRA],
		['body.1.date_time', 'Body {{1}} as Date', EXTRA_FLAG],
		['button.0.payload', 'Button 1 Payload', OPTIONAL],
		['button.1.payload', 'Button 2 Payload', OPTIONAL],
	],
};

describe('fields generated from the template definition', () => {
	it('covers every approved template of the emulator', () => {
		expect(Object.keys(EXPECTED_FIELDS).sort()).toEqual(APPROVED.map(keyOf).sort());
	});

	it.each(Object.entries(EXPECTED_FIELDS))('%s', (key, rows) => {
		expect(templateFields(definitionOf(key))).toEqual(rows.map(field));
	});

	it('every component kind of the emulator yields at least one field', () => {
		const ids = APPROVED.flatMap((template) => templateFields(definitionOf(keyOf(template))).map((f) => f.id));
		for (const pattern of [
			/^body\.\d+$/, // positional body
			/^body\.[a-z_]+$/, // named body
			/^header\.text\.\d+$/,
			/^header\.text\.[a-z_]+$/,
			/^header\.image$/,
			/^header\.video$/,
			/^header\.document$/,
			/^header\.location\.latitude$/,
			/^button\.\d+\.url$/,
			/^button\.\d+\.payload$/,
			/^button\.\d+\.coupon$/,
			/^button\.\d+\.flow_token$/,
			/^button\.\d+\.thumbnail$/,
			/^button\.\d+\.products$/,
			/^otp\.code$/,
			/^lto\.expiration$/,
			/^card\.\d+\.header\.image$/,
			/^card\.\d+\.body\.\d+$/,
			/^card\.\d+\.button\.\d+\.url$/,
			/^body\.\d+\.currency$/,
			/^body\.\d+\.date_time$/,
		]) {
			expect(ids.some((id) => pattern.test(id))).toBe(true);
		}
	});

	it('reads upper- and lower-case component types, and named variables without parameter_format', () => {
		const definition = parseTemplateDefinition({
			name: 'lower',
			language: 'en',
			status: 'approved',
			components: [
				{ type: 'header', format: 'text', text: 'Hi {{ first_name }}' },
				{ type: 'body', text: 'Order {{order_id}} for {{ first_name }}' },
				{ type: 'buttons', buttons: [{ type: 'url', url: 'https://x.example/{{1}}' }] },
			],
		});
		expect(definition).toEqual({
			name: 'lower',
			language: 'en',
			status: 'APPROVED',
			category: '',
			named: true,
			header: { format: 'text', text: 'Hi {{ first_name }}', variables: [{ key: 'first_name' }] },
			body: { text: 'Order {{order_id}} for {{ first_name }}', variables: [{ key: 'order_id' }, { key: 'first_name' }] },
			buttons: [{ index: 0, type: 'URL', url: 'https://x.example/{{1}}', urlVariable: '1' }],
		});
	});

	it('orders positional variables by number and lists each once', () => {
		expect(templateVariables('{{2}} and {{1}}, again {{2}}')).toEqual(['1', '2']);
		expect(templateVariables('{{b}} {{a}} {{b}}')).toEqual(['b', 'a']);
		expect(templateVariables('no variables')).toEqual([]);
	});

	it('the id grammar lives in one place', () => {
		const ids = TEMPLATE_FIELD_IDS;
		expect([
			ids.body('', '1'),
			ids.body('', 'first_name'),
			ids.bodyCurrency('', '2'),
			ids.bodyDateTime('', '3'),
			ids.headerText('', '1'),
			ids.headerMedia('', 'image'),
			ids.headerFilename(''),
			ids.headerLocation('', 'latitude'),
			ids.buttonUrl('', 1),
			ids.buttonPayload('', 0),
			ids.buttonCoupon('', 0),
			ids.buttonFlowToken('', 0),
			ids.buttonFlowData('', 0),
			ids.buttonThumbnail('', 0),
			ids.buttonProducts('', 0),
			ids.otpCode,
			ids.ltoExpiration,
			ids.headerMedia(ids.cardScope(0), 'image'),
			ids.body(ids.cardScope(2), '1'),
			ids.buttonUrl(ids.cardScope(1), 1),
		]).toEqual([
			'body.1',
			'body.first_name',
			'body.2.currency',
			'body.3.date_time',
			'header.text.1',
			'header.image',
			'header.document.filename',
			'header.location.latitude',
			'button.1.url',
			'button.0.payload',
			'button.0.coupon',
			'button.0.flow_token',
			'button.0.flow_action_data',
			'button.0.thumbnail',
			'button.0.products',
			'otp.code',
			'lto.expiration',
			'card.0.header.image',
			'card.2.body.1',
			'card.1.button.1.url',
		]);
	});
});

// ---------------------------------------------------------------------------------------------
// Bodies: every approved template, exact, and accepted by the spec and the emulator
// ---------------------------------------------------------------------------------------------

const language = (code: string) => ({ code, policy: 'deterministic' });
const text = (value: string, name?: string) => ({ type: 'text', text: value, ...(name ? { parameter_name: name } : {}) });
const button = (index: number, subType: string, parameter: IDataObject) => ({ type: 'button', sub_type: subType, index: String(index), parameters: [parameter] });
const cardImage = (link: string) => ({ type: 'header', parameters: [{ type: 'image', image: { link } }] });

interface BodyCase {
	values: Record<string, unknown>;
	components?: IDataObject[];
}

const BODY_CASES: Record<string, BodyCase> = {
	'hello_world|en_US': { values: {} },
	'order_update|en_US': {
		values: {
			'header.image': 'https://cdn.example.com/order.jpg',
			'body.1': 'Max',
			'body.2': '€19.90',
			'body.3': '15 January 2026',
			'button.0.payload': 'STOP_PROMOTIONS',
			'button.1.url': '4711',
		},
		components: [
			{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/order.jpg' } }] },
			{ type: 'body', parameters: [text('Max'), text('€19.90'), text('15 January 2026')] },
			button(0, 'quick_reply', { type: 'payload', payload: 'STOP_PROMOTIONS' }),
			button(1, 'url', { type: 'text', text: '4711' }),
		],
	},
	'order_update|de': {
		// Currency and date_time parameters; a media ID; the optional payload left out.
		values: {
			'header.image': '1037543291543636',
			'body.1': 'Erika',
			'body.2': '19,90 €',
			'body.2.currency': 'EUR 19,90',
			'body.3': '15. Januar 2026',
			'body.3.date_time': true,
			'button.0.payload': '',
			'button.1.url': 'A-17',
		},
		components: [
			{ type: 'header', parameters: [{ type: 'image', image: { id: '1037543291543636' } }] },
			{
				type: 'body',
				parameters: [
					text('Erika'),
					{ type: 'currency', currency: { fallback_value: '19,90 €', code: 'EUR', amount_1000: 19900 } },
					{ type: 'date_time', date_time: { fallback_value: '15. Januar 2026' } },
				],
			},
			button(1, 'url', { type: 'text', text: 'A-17' }),
		],
	},
	'shipping_confirmation|en_US': {
		values: { 'header.text.1': '4711', 'body.1': 'Max', 'body.2': 'DHL', 'button.0.url': 'JJD000390007' },
		components: [
			{ type: 'header', parameters: [text('4711')] },
			{ type: 'body', parameters: [text('Max'), text('DHL')] },
			button(0, 'url', { type: 'text', text: 'JJD000390007' }),
		],
	},
	'appointment_reminder|en_US': {
		values: {
			'header.text.clinic_name': 'Praxis Mitte',
			'body.first_name': 'Max',
			'body.appointment_date': '15 January 2026',
			'body.appointment_time': '10:30',
			'button.1.payload': 'RESCHEDULE_4711',
		},
		components: [
			{ type: 'header', parameters: [text('Praxis Mitte', 'clinic_name')] },
			{
				type: 'body',
				parameters: [text('Max', 'first_name'), text('15 January 2026', 'appointment_date'), text('10:30', 'appointment_time')],
			},
			button(1, 'quick_reply', { type: 'payload', payload: 'RESCHEDULE_4711' }),
		],
	},
	'welcome_customer|de': {
		values: { 'body.first_name': 'Erika', 'body.shop_name': 'Example Shop' },
		components: [{ type: 'body', parameters: [text('Erika', 'first_name'), text('Example Shop', 'shop_name')] }],
	},
	'invoice_available|en_US': {
		values: {
			'header.document': 'https://files.example.com/INV-2026-001.pdf',
			'header.document.filename': 'Invoice INV-2026-001.pdf',
			'body.1': 'INV-2026-001',
			'body.2': '€99.00',
			'body.3': '31 January 2026',
		},
		components: [
			{
				type: 'header',
				parameters: [{ type: 'document', document: { link: 'https://files.example.com/INV-2026-001.pdf', filename: 'Invoice INV-2026-001.pdf' } }],
			},
			{ type: 'body', parameters: [text('INV-2026-001'), text('€99.00'), text('31 January 2026')] },
		],
	},
	'product_video_launch|en_US': {
		values: { 'header.video': 'https://cdn.example.com/launch.mp4', 'body.1': 'Example Phone X', 'button.1.payload': 'NO_PROMOS' },
		components: [
			{ type: 'header', parameters: [{ type: 'video', video: { link: 'https://cdn.example.com/launch.mp4' } }] },
			{ type: 'body', parameters: [text('Example Phone X')] },
			button(1, 'quick_reply', { type: 'payload', payload: 'NO_PROMOS' }),
		],
	},
	'store_pickup_location|en_US': {
		values: {
			'header.location.latitude': '52,5200',
			'header.location.longitude': 13.405,
			'header.location.name': 'Store Berlin',
			'header.location.address': 'Alexanderplatz 1, 10178 Berlin',
			'body.1': '4711',
		},
		components: [
			{
				type: 'header',
				parameters: [{ type: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Store Berlin', address: 'Alexanderplatz 1, 10178 Berlin' } }],
			},
			{ type: 'body', parameters: [text('4711')] },
		],
	},
	'promo_coupon|en_US': {
		values: { 'body.1': '20%', 'button.0.coupon': 'SAVE20', 'button.1.url': 'SAVE20' },
		components: [
			{ type: 'body', parameters: [text('20%')] },
			button(0, 'copy_code', { type: 'coupon_code', coupon_code: 'SAVE20' }),
			button(1, 'url', { type: 'text', text: 'SAVE20' }),
		],
	},
	'verification_code|en_US': {
		values: { 'otp.code': '483920' },
		components: [{ type: 'body', parameters: [text('483920')] }, button(0, 'url', { type: 'text', text: '483920' })],
	},
	'verification_code|de': {
		values: { 'otp.code': 'K7-4Q' },
		components: [{ type: 'body', parameters: [text('K7-4Q')] }, button(0, 'url', { type: 'text', text: 'K7-4Q' })],
	},
	'login_code_one_tap|en_US': {
		values: { 'otp.code': 837461 },
		components: [{ type: 'body', parameters: [text('837461')] }, button(0, 'url', { type: 'text', text: '837461' })],
	},
	'summer_collection_carousel|en_US': {
		values: {
			'body.1': 'Max',
			'card.0.header.image': 'https://cdn.example.com/shirt.jpg',
			'card.0.body.1': '15%',
			'card.0.button.0.payload': 'MORE_SHIRTS',
			'card.0.button.1.url': 'summer',
			'card.1.header.image': 'https://cdn.example.com/hat.jpg',
			'card.1.body.1': '10%',
			'card.1.button.1.url': 'summer',
			'card.2.header.image': 'https://cdn.example.com/sandals.jpg',
			'card.2.body.1': '20%',
			'card.2.button.1.url': 'summer',
		},
		components: [
			{ type: 'body', parameters: [text('Max')] },
			{
				type: 'carousel',
				cards: [
					{
						card_index: 0,
						components: [
							cardImage('https://cdn.example.com/shirt.jpg'),
							{ type: 'body', parameters: [text('15%')] },
							button(0, 'quick_reply', { type: 'payload', payload: 'MORE_SHIRTS' }),
							button(1, 'url', { type: 'text', text: 'summer' }),
						],
					},
					{
						card_index: 1,
						components: [cardImage('https://cdn.example.com/hat.jpg'), { type: 'body', parameters: [text('10%')] }, button(1, 'url', { type: 'text', text: 'summer' })],
					},
					{
						card_index: 2,
						components: [cardImage('https://cdn.example.com/sandals.jpg'), { type: 'body', parameters: [text('20%')] }, button(1, 'url', { type: 'text', text: 'summer' })],
					},
				],
			},
		],
	},
	'flash_sale_offer|en_US': {
		values: {
			'header.image': 'https://cdn.example.com/sale.jpg',
			'body.1': 'Max',
			'body.2': '30%',
			'lto.expiration': '2026-06-30T22:00:00Z',
			'button.0.coupon': 'FLASH30',
			'button.1.url': 'FLASH30',
		},
		components: [
			{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/sale.jpg' } }] },
			{ type: 'body', parameters: [text('Max'), text('30%')] },
			{ type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: 1782856800000 } }] },
			button(0, 'copy_code', { type: 'coupon_code', coupon_code: 'FLASH30' }),
			button(1, 'url', { type: 'text', text: 'FLASH30' }),
		],
	},
	'payment_due_reminder|en_US': {
		values: { 'body.1': 'Max Mustermann', 'body.2': '€49.90', 'body.2.currency': '49.90 eur', 'body.3': '1 February 2026', 'button.1.url': 'INV-2026-001' },
		components: [
			{
				type: 'body',
				parameters: [
					text('Max Mustermann'),
					{ type: 'currency', currency: { fallback_value: '€49.90', code: 'EUR', amount_1000: 49900 } },
					text('1 February 2026'),
				],
			},
			button(1, 'url', { type: 'text', text: 'INV-2026-001' }),
		],
	},
	'delivery_slot_booking|en_US': {
		values: { 'body.1': 'Max', 'body.2': '4711', 'button.0.flow_token': 'slot-4711', 'button.0.flow_action_data': '{"order_id": "4711"}' },
		components: [
			{ type: 'body', parameters: [text('Max'), text('4711')] },
			button(0, 'flow', { type: 'action', action: { flow_token: 'slot-4711', flow_action_data: { order_id: '4711' } } }),
		],
	},
	'spring_catalog|en_US': {
		values: { 'body.1': 'Max', 'button.0.thumbnail': 'SKU-123' },
		components: [{ type: 'body', parameters: [text('Max')] }, button(0, 'catalog', { type: 'action', action: { thumbnail_product_retailer_id: 'SKU-123' } })],
	},
	'bestsellers_multi_product|en_US': {
		values: {
			'body.1': 'Max',
			'button.0.thumbnail': 'SKU-1',
			'button.0.products': '[{"title": "Shirts", "product_items": [{"product_retailer_id": "SKU-1"}, {"product_retailer_id": "SKU-2"}]}, {"title": "Hats", "products": ["SKU-3"]}]',
		},
		components: [
			{ type: 'body', parameters: [text('Max')] },
			button(0, 'mpm', {
				type: 'action',
				action: {
					thumbnail_product_retailer_id: 'SKU-1',
					sections: [
						{ title: 'Shirts', product_items: [{ product_retailer_id: 'SKU-1' }, { product_retailer_id: 'SKU-2' }] },
						{ title: 'Hats', product_items: [{ product_retailer_id: 'SKU-3' }] },
					],
				},
			}),
		],
	},
	'feedback_request|en_US': {
		values: { 'body.1': '4711', 'button.0.payload': 'GREAT', 'button.1.payload': 'OKAY', 'button.2.payload': 'BAD' },
		components: [
			{ type: 'body', parameters: [text('4711')] },
			button(0, 'quick_reply', { type: 'payload', payload: 'GREAT' }),
			button(1, 'quick_reply', { type: 'payload', payload: 'OKAY' }),
			button(2, 'quick_reply', { type: 'payload', payload: 'BAD' }),
		],
	},
	'account_alert|en_GB': {
		values: { 'body.1': 'Berlin, Germany' },
		components: [{ type: 'body', parameters: [text('Berlin, Germany')] }],
	},
	'bienvenida|es': {
		values: { 'body.1': 'Lucía' },
		components: [{ type: 'body', parameters: [text('Lucía')] }],
	},
	'back_in_stock|en_US': {
		values: {
			'header.text.product_name': 'Linen shirt',
			'body.first_name': 'Max',
			'body.product_name': 'Linen shirt',
			'body.price': '€39.00',
			'body.price.currency': 'EUR 39',
			'button.0.url': 'linen shirt/blue',
		},
		components: [
			{ type: 'header', parameters: [text('Linen shirt', 'product_name')] },
			{
				type: 'body',
				parameters: [
					text('Max', 'first_name'),
					text('Linen shirt', 'product_name'),
					{ type: 'currency', currency: { fallback_value: '€39.00', code: 'EUR', amount_1000: 39000 }, parameter_name: 'price' },
				],
			},
			button(0, 'url', { type: 'text', text: 'linen%20shirt/blue' }),
		],
	},
	'issue_resolution|en_US': {
		values: { 'body.1': 'Max', 'button.0.payload': 'SOLVED' },
		components: [{ type: 'body', parameters: [text('Max')] }, button(0, 'quick_reply', { type: 'payload', payload: 'SOLVED' })],
	},
};

describe('bodies built from the definition', () => {
	it('covers every approved template of the emulator', () => {
		expect(Object.keys(BODY_CASES).sort()).toEqual(APPROVED.map(keyOf).sort());
	});

	it.each(Object.entries(BODY_CASES))('%s', async (key, { values, components }) => {
		const [name, code] = key.split('|');
		const template = await build(key, values);
		expect(template).toEqual({ name, language: language(code), ...(components ? { components } : {}) });
		expectAccepted(template);
	});

	it('a catalog button without thumbnail still sends its (empty) action', async () => {
		const template = await build('spring_catalog|en_US', { 'body.1': 'Max' });
		expect(template.components).toEqual([
			{ type: 'body', parameters: [text('Max')] },
			button(0, 'catalog', { type: 'action', action: {} }),
		]);
		expectAccepted(template);
	});

	it('multi-product IDs as a plain list make one section; a flow token alone is enough', async () => {
		const mpm = await build('bestsellers_multi_product|en_US', { 'body.1': 'Max', 'button.0.thumbnail': 'SKU-1', 'button.0.products': 'SKU-1, SKU-2\nSKU-3' });
		expect(mpm.components).toEqual([
			{ type: 'body', parameters: [text('Max')] },
			button(0, 'mpm', {
				type: 'action',
				action: {
					thumbnail_product_retailer_id: 'SKU-1',
					sections: [{ product_items: [{ product_retailer_id: 'SKU-1' }, { product_retailer_id: 'SKU-2' }, { product_retailer_id: 'SKU-3' }] }],
				},
			}),
		]);
		expectAccepted(mpm);
		const flow = await build('delivery_slot_booking|en_US', { 'body.1': 'Max', 'body.2': '4711', 'button.0.flow_token': 'tok' });
		expect(flow.components).toEqual([
			{ type: 'body', parameters: [text('Max'), text('4711')] },
			button(0, 'flow', { type: 'action', action: { flow_token: 'tok' } }),
		]);
		expectAccepted(flow);
		const noFlow = await build('delivery_slot_booking|en_US', { 'body.1': 'Max', 'body.2': '4711' });
		expect(noFlow.components).toEqual([{ type: 'body', parameters: [text('Max'), text('4711')] }]);
		expectAccepted(noFlow);
	});

	it('the offer expiry also takes a millisecond timestamp (number or text)', async () => {
		const values = { 'header.image': 'https://cdn.example.com/sale.jpg', 'body.1': 'Max', 'body.2': '30%', 'button.0.coupon': 'FLASH30', 'button.1.url': 'FLASH30' };
		for (const expiration of [1782856800000, '1782856800000']) {
			const template = await build('flash_sale_offer|en_US', { ...values, 'lto.expiration': expiration });
			expect((template.components as IDataObject[])[2]).toEqual({
				type: 'limited_time_offer',
				parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: 1782856800000 } }],
			});
		}
	});

	it('date_time accepts true/false as text, as expressions deliver it', async () => {
		const base = { 'header.image': 'https://x.example/a.jpg', 'body.1': 'Max', 'body.2': 'x', 'body.3': 'Monday', 'button.1.url': '1' };
		const on = await build('order_update|en_US', { ...base, 'body.3.date_time': 'true' });
		expect(((on.components as IDataObject[])[1].parameters as IDataObject[])[2]).toEqual({ type: 'date_time', date_time: { fallback_value: 'Monday' } });
		const off = await build('order_update|en_US', { ...base, 'body.3.date_time': false });
		expect(((off.components as IDataObject[])[1].parameters as IDataObject[])[2]).toEqual(text('Monday'));
	});
});

describe('URL suffixes are URL-encoded', () => {
	it.each([
		['4711', '4711'],
		['linen shirt', 'linen%20shirt'],
		['größe/xl', 'gr%C3%B6%C3%9Fe/xl'],
		['a?b=c&d#e+f', 'a%3Fb%3Dc%26d%23e%2Bf'],
		['already%20encoded%2F', 'already%20encoded%2F'],
		['100%', '100%25'],
		['emoji 👍', 'emoji%20%F0%9F%91%8D'],
	])('%s → %s', (input, encoded) => {
		expect(encodeUrlSuffix(input)).toBe(encoded);
	});
});

// ---------------------------------------------------------------------------------------------
// Violations, each with the message the user sees
// ---------------------------------------------------------------------------------------------

const ORDER = {
	'header.image': 'https://cdn.example.com/order.jpg',
	'body.1': 'Max',
	'body.2': '€19.90',
	'body.3': '15 January 2026',
	'button.1.url': '4711',
};

describe('count and kind violations are caught before sending', () => {
	it.each([
		['body.2', 'Body {{2}}', 'Body {{2}} is required by template order_update (en_US) (field "body.2")'],
		['header.image', 'Header Image', 'Header Image is required by template order_update (en_US) (field "header.image")'],
		['button.1.url', 'Button 2 URL Suffix', 'Button 2 URL Suffix is required by template order_update (en_US) (field "button.1.url")'],
	])('missing %s', async (id, field, message) => {
		const values: Record<string, unknown> = { ...ORDER, [id]: '  ' };
		const error = await buildError('order_update|en_US', values);
		expect([error.field, error.message]).toEqual([field, message]);
	});

	it('the same omissions would have cost a 132000 from the API (the emulator agrees)', async () => {
		const template = await build('order_update|en_US', ORDER);
		const components = template.components as IDataObject[];
		const withoutBody2 = { ...template, components: components.map((c) => (c.type === 'body' ? { ...c, parameters: (c.parameters as IDataObject[]).slice(0, 2) } : c)) };
		expect(checkTemplateMessage(withoutBody2, TEMPLATES, { toBsuid: false })?.code).toBe(132000);
		const withoutUrl = { ...template, components: components.filter((c) => c.sub_type !== 'url') };
		expect(checkTemplateMessage(withoutUrl, TEMPLATES, { toBsuid: false })?.code).toBe(132000);
	});

	it('a missing named variable is named by its name', async () => {
		const error = await buildError('appointment_reminder|en_US', { 'header.text.clinic_name': 'Praxis', 'body.first_name': 'Max', 'body.appointment_date': 'Monday' });
		expect([error.field, error.message]).toEqual([
			'Body {{appointment_time}}',
			'Body {{appointment_time}} is required by template appointment_reminder (en_US) (field "body.appointment_time")',
		]);
	});

	it('missing carousel card values and OTP code', async () => {
		const carousel = await buildError('summer_collection_carousel|en_US', { 'body.1': 'Max', 'card.0.header.image': 'https://x.example/a.jpg', 'card.0.body.1': '1', 'card.0.button.1.url': 'x' });
		expect(carousel.message).toBe('Card 2 Header Image is required by template summer_collection_carousel (en_US) (field "card.1.header.image")');
		const otp = await buildError('verification_code|en_US', {});
		expect(otp.message).toBe('Verification Code is required by template verification_code (en_US) (field "otp.code")');
		const offer = await buildError('flash_sale_offer|en_US', { 'header.image': '1', 'body.1': 'a', 'body.2': 'b', 'button.0.coupon': 'C', 'button.1.url': 'u' });
		expect(offer.message).toBe('Offer Expiration is required by template flash_sale_offer (en_US) (field "lto.expiration")');
	});

	it('an extra variable the template does not have', async () => {
		const error = await buildError('order_update|en_US', { ...ORDER, 'body.4': 'extra' });
		expect([error.field, error.message]).toEqual([
			'Template Variables',
			'Template Variables has "body.4", which template order_update (en_US) does not have; its fields are header.image, body.1, body.2, body.3, button.0.payload, button.1.url. Refresh the variable list or remove it.',
		]);
	});

	it('fields of another template (kind mismatch: video given, image expected; positional given, named expected)', async () => {
		const video = await buildError('order_update|en_US', { ...ORDER, 'header.video': 'https://x.example/v.mp4', 'button.7.url': 'x' });
		expect(video.message).toBe(
			'Template Variables has "header.video", "button.7.url", which template order_update (en_US) does not have; its fields are header.image, body.1, body.2, body.3, button.0.payload, button.1.url. Refresh the variable list or remove them.',
		);
		const named = await buildError('welcome_customer|de', { 'body.first_name': 'Erika', 'body.shop_name': 'Shop', 'body.1': 'Erika' });
		expect(named.message).toBe(
			'Template Variables has "body.1", which template welcome_customer (de) does not have; its fields are body.first_name, body.shop_name, button.0.payload. Refresh the variable list or remove it.',
		);
	});

	it('empty leftovers (stale fields n8n keeps with no value) are ignored', async () => {
		await expect(build('order_update|en_US', { ...ORDER, 'body.9': '', 'header.video': null })).resolves.toMatchObject({ name: 'order_update' });
	});

	it('a template without variables rejects any value', async () => {
		const error = await buildError('hello_world|en_US', { 'body.1': 'x' });
		expect(error.message).toBe('Template Variables has "body.1", which template hello_world (en_US) does not have; it has no variables. Refresh the variable list or remove it.');
	});

	it('the JSON parameters name themselves in the leftover message', async () => {
		const error = await fieldError(
			async () =>
				await buildTemplateObject(definitionOf('hello_world|en_US'), { foo: 'x' }, { resolveMedia: linksAndIds, source: 'Parameters (JSON)' }),
		);
		expect([error.field, error.message]).toEqual([
			'Parameters (JSON)',
			'Parameters (JSON) has "foo", which template hello_world (en_US) does not have; it has no variables. Refresh the variable list or remove it.',
		]);
	});
});

describe('limits (Meta message reference: lengths and counts)', () => {
	it('header text variable ≤ 60 characters', async () => {
		const values = { 'header.text.1': 'x'.repeat(61), 'body.1': 'Max', 'body.2': 'DHL', 'button.0.url': '1' };
		const error = await buildError('shipping_confirmation|en_US', values);
		expect([error.field, error.message]).toEqual(['Header {{1}}', 'Header {{1}} has 61 characters; WhatsApp allows 60']);
		await expect(build('shipping_confirmation|en_US', { ...values, 'header.text.1': '🚚'.repeat(60) })).resolves.toBeDefined();
	});

	it('body variable ≤ 1024 characters', async () => {
		const error = await buildError('order_update|en_US', { ...ORDER, 'body.1': 'x'.repeat(1025) });
		expect([error.field, error.message]).toEqual(['Body {{1}}', 'Body {{1}} has 1025 characters; WhatsApp allows 1024']);
		const card = await buildError('summer_collection_carousel|en_US', { 'body.1': 'Max', 'card.0.header.image': '1', 'card.0.body.1': 'y'.repeat(1025) });
		expect(card.message).toBe('Card 1 Body {{1}} has 1025 characters; WhatsApp allows 1024');
	});

	it('coupon code ≤ 15 characters', async () => {
		const error = await buildError('promo_coupon|en_US', { 'body.1': '20%', 'button.0.coupon': 'SAVE20SAVE20SAVE', 'button.1.url': 'x' });
		expect([error.field, error.message]).toEqual(['Button 1 Coupon Code', 'Button 1 Coupon Code has 16 characters; WhatsApp allows 15']);
	});

	it('verification code ≤ 15 characters', async () => {
		const error = await buildError('verification_code|de', { 'otp.code': '1234567890123456' });
		expect([error.field, error.message]).toEqual(['Verification Code', 'Verification Code has 16 characters; WhatsApp allows 15']);
	});

	it('no line breaks, tabs or more than 4 spaces in a row inside text variables', async () => {
		const breakError = await buildError('order_update|en_US', { ...ORDER, 'body.1': 'Max\nMustermann' });
		expect([breakError.field, breakError.message]).toEqual([
			'Body {{1}}',
			'Body {{1}} contains a line break or tab; WhatsApp does not allow them inside template variables',
		]);
		const tab = await buildError('shipping_confirmation|en_US', { 'header.text.1': 'a\tb', 'body.1': 'M', 'body.2': 'D', 'button.0.url': '1' });
		expect(tab.message).toBe('Header {{1}} contains a line break or tab; WhatsApp does not allow them inside template variables');
		const spaces = await buildError('order_update|en_US', { ...ORDER, 'body.2': 'a     b' });
		expect(spaces.message).toBe('Body {{2}} has more than 4 spaces in a row; WhatsApp does not allow that inside template variables');
		await expect(build('order_update|en_US', { ...ORDER, 'body.2': 'a    b' })).resolves.toBeDefined();
	});

	it('multi-product: at most 30 products and 10 sections, titled sections when there are several', async () => {
		const base = { 'body.1': 'Max', 'button.0.thumbnail': 'SKU-1' };
		const many = Array.from({ length: 31 }, (_, i) => `SKU-${i}`).join(',');
		expect((await buildError('bestsellers_multi_product|en_US', { ...base, 'button.0.products': many })).message).toBe(
			'Button 1 Products has 31 products; WhatsApp allows 30',
		);
		const sections = JSON.stringify(Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, product_items: [{ product_retailer_id: `P${i}` }] })));
		expect((await buildError('bestsellers_multi_product|en_US', { ...base, 'button.0.products': sections })).message).toBe(
			'Button 1 Products has 11 sections; WhatsApp allows 10',
		);
		const untitled = JSON.stringify([{ products: ['A'] }, { title: 'B', products: ['B'] }]);
		expect((await buildError('bestsellers_multi_product|en_US', { ...base, 'button.0.products': untitled })).message).toBe(
			'Button 1 Products: section 1 needs a title when there are several sections',
		);
		const longTitle = JSON.stringify([{ title: 'x'.repeat(25), products: ['A'] }, { title: 'B', products: ['B'] }]);
		expect((await buildError('bestsellers_multi_product|en_US', { ...base, 'button.0.products': longTitle })).message).toBe(
			'Button 1 Products Section 1 Title has 25 characters; WhatsApp allows 24',
		);
		expect((await buildError('bestsellers_multi_product|en_US', { ...base, 'button.0.products': '[{"title": ' })).message).toMatch(
			/^Button 1 Products is not a JSON list of sections: /,
		);
		expect((await buildError('bestsellers_multi_product|en_US', { ...base, 'button.0.products': ' , ' })).message).toBe(
			'Button 1 Products: section 1 needs at least one product retailer ID and no empty ones',
		);
	});
});

describe('typed values', () => {
	it.each([
		['EUR 19.90', { code: 'EUR', amount_1000: 19900 }],
		['eur19,9', { code: 'EUR', amount_1000: 19900 }],
		['19.90 USD', { code: 'USD', amount_1000: 19900 }],
		['JPY 1500', { code: 'JPY', amount_1000: 1500000 }],
		['BHD 1.234', { code: 'BHD', amount_1000: 1234 }],
	])('currency %s', (input, expected) => {
		expect(parseCurrency('Body {{2}} as Currency', input)).toEqual(expected);
	});

	it.each([
		['19.90', 'Body {{2}} as Currency must be a currency code and an amount like EUR 19.90; got "19.90"'],
		['EURO 5', 'Body {{2}} as Currency must be a currency code and an amount like EUR 19.90; got "EURO 5"'],
		['EUR 1.234,50', 'Body {{2}} as Currency must be a currency code and an amount like EUR 19.90; got "EUR 1.234,50"'],
		['EUR 0', 'Body {{2}} as Currency must be more than 0; got "EUR 0"'],
	])('currency %s is refused', (input, message) => {
		let error: unknown;
		try {
			parseCurrency('Body {{2}} as Currency', input);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(FieldError);
		expect((error as FieldError).message).toBe(message);
	});

	it('currency and date at once is refused; the date flag must be true or false', async () => {
		const both = await buildError('order_update|en_US', { ...ORDER, 'body.2.currency': 'EUR 19.90', 'body.2.date_time': true });
		expect([both.field, both.message]).toEqual(['Body {{2}} as Currency', 'Body {{2}} can be sent as currency or as a date, not both']);
		const flag = await buildError('order_update|en_US', { ...ORDER, 'body.3.date_time': 'maybe' });
		expect([flag.field, flag.message]).toEqual(['Body {{3}} as Date', 'Body {{3}} as Date must be true or false; got "maybe"']);
	});

	it.each([
		['1782856800', 'Offer Expiration 1782856800 looks like seconds; WhatsApp needs milliseconds (1782856800000) or an ISO date'],
		['next friday', 'Offer Expiration must be a timestamp in milliseconds or a date like 2026-12-31T23:59:00Z; got "next friday"'],
		['2025-12-31T23:00:00Z', 'Offer Expiration 2025-12-31T23:00:00.000Z is in the past; the offer must expire in the future'],
	])('offer expiration %s is refused', (input, message) => {
		let error: unknown;
		try {
			parseExpiration('Offer Expiration', input, NOW);
		} catch (caught) {
			error = caught;
		}
		expect((error as FieldError).message).toBe(message);
	});

	it('location coordinates are range-checked', async () => {
		const values = { 'header.location.latitude': '91', 'header.location.longitude': '13.4', 'body.1': '4711' };
		const error = await buildError('store_pickup_location|en_US', values);
		expect([error.field, error.message]).toEqual(['Header Location Latitude', 'Header Location Latitude must be between -90 and 90, got 91']);
		const text = await buildError('store_pickup_location|en_US', { ...values, 'header.location.latitude': '52.5', 'header.location.longitude': 'east' });
		expect(text.message).toBe('Header Location Longitude must be a number in decimal degrees like 13.4132; got "east"');
	});

	it('flow data must be a JSON object', async () => {
		const error = await buildError('delivery_slot_booking|en_US', { 'body.1': 'a', 'body.2': 'b', 'button.0.flow_action_data': '[1]' });
		expect([error.field, error.message]).toEqual(['Button 1 Flow Data', 'Button 1 Flow Data must be a JSON object']);
	});
});

// ---------------------------------------------------------------------------------------------
// The template choice and the definition lookup
// ---------------------------------------------------------------------------------------------

describe('choosing the template', () => {
	it.each([
		['order_update|de', { name: 'order_update', language: 'de' }],
		[' order_update | en_US ', { name: 'order_update', language: 'en_US' }],
		['order_update (de) · Utility', { name: 'order_update', language: 'de' }],
		['welcome_customer', { name: 'welcome_customer', language: '' }],
		[{ __rl: true, mode: 'list', value: 'order_update|pt_BR' }, { name: 'order_update', language: 'pt_BR' }],
	])('%j', (value, expected) => {
		expect(parseTemplateChoice(value)).toEqual(expected);
	});

	it.each([
		['', 'Template is required: pick one From List, or enter name|language By Name (e.g. order_update|en_US)'],
		[{ __rl: true, mode: 'list', value: '' }, 'Template is required: pick one From List, or enter name|language By Name (e.g. order_update|en_US)'],
		['order update|de', 'Template "order update|de" is not a template name: names use letters, digits and _ only. Enter name|language, e.g. order_update|en_US'],
		['order_update|german!', 'Template language "german!" is not a language code like en, en_US or pt_BR'],
	])('%j is refused', (value, message) => {
		let error: unknown;
		try {
			parseTemplateChoice(value);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(FieldError);
		expect([(error as FieldError).field, (error as FieldError).message]).toEqual(['Template', message]);
	});

	const catalog: TemplateCatalog = {
		find: async (name, code) => TEMPLATES.find((t) => t.name === name && t.language === code) as IDataObject | undefined,
		languages: async (name) => languagesOf(TEMPLATES as unknown as IDataObject[], name),
	};

	it('a name alone is enough when the template has one approved language', async () => {
		expect((await resolveTemplate(catalog, { name: 'welcome_customer', language: '' })).language).toBe('de');
	});

	it.each([
		[{ name: 'order_update', language: '' }, 'Template "order_update" exists in en_US, de; add the language, e.g. order_update|en_US'],
		[{ name: 'order_update', language: 'es' }, 'Template "order_update" in language "es" was not found; it exists in en_US, de'],
		[{ name: 'no_such_template', language: 'en' }, 'Template "no_such_template" in language "en" was not found; no template of that name exists on this number'],
		[{ name: 'order_update', language: 'fr' }, 'Template order_update (fr) is pending; only approved templates can be sent'],
		[{ name: 'newsletter_weekly', language: '' }, 'Template newsletter_weekly (en_US) is paused; only approved templates can be sent'],
		[{ name: 'crypto_giveaway', language: 'en_US' }, 'Template crypto_giveaway (en_US) is rejected; only approved templates can be sent'],
		[{ name: 'legacy_password_reset', language: 'en_US' }, 'Template legacy_password_reset (en_US) is disabled; only approved templates can be sent'],
	])('%j is refused', async (choice, message) => {
		const error = await fieldError(async () => await resolveTemplate(catalog, choice));
		expect([error.field, error.message]).toEqual(['Template', message]);
	});

	it('a lookup without the languages extra still resolves name|language', async () => {
		const plain: TemplateCatalog = { find: catalog.find };
		expect((await resolveTemplate(plain, { name: 'order_update', language: 'de' })).name).toBe('order_update');
		const error = await fieldError(async () => await resolveTemplate(plain, { name: 'order_update', language: '' }));
		expect(error.message).toBe('Template "order_update" was not found; no template of that name exists on this number');
	});

	it('headers this node cannot fill are refused by name', async () => {
		const product: TemplateCatalog = {
			find: async () => ({ name: 'p', language: 'en', status: 'APPROVED', components: [{ type: 'HEADER', format: 'PRODUCT' }] }),
		};
		const error = await fieldError(async () => await resolveTemplate(product, { name: 'p', language: 'en' }));
		expect(error.message).toBe('Template p (en) has a product header, which this node cannot fill');
	});
});

// ---------------------------------------------------------------------------------------------
// The JSON parameters (AI agents, expressions)
// ---------------------------------------------------------------------------------------------

describe('Parameters (JSON)', () => {
	it('flat ids, nested objects and a body list all become field ids', () => {
		expect(
			flattenParameters('Parameters (JSON)', {
				body: ['Max', 19.9, true],
				header: { image: 'https://x.example/a.jpg' },
				button: { 1: { url: '4711' } },
				'card.0.body.1': 'x',
				card: { 1: { body: ['y'] } },
				'button.0.flow_action_data': { order: 1 },
				skipped: null,
			}),
		).toEqual({
			'body.1': 'Max',
			'body.2': 19.9,
			'body.3': true,
			'header.image': 'https://x.example/a.jpg',
			'button.1.url': '4711',
			'card.0.body.1': 'x',
			'card.1.body.1': 'y',
			'button.0.flow_action_data': '{"order":1}',
		});
	});

	it('only body may be a list', () => {
		let error: unknown;
		try {
			flattenParameters('Parameters (JSON)', { button: ['x'] });
		} catch (caught) {
			error = caught;
		}
		expect((error as FieldError).message).toBe('Parameters (JSON): "button" is a list; only "body" may be a list (its entries fill {{1}}, {{2}}, …)');
	});

	it('reads the mapped fields or the JSON, depending on Variables Input', () => {
		const get = (params: Record<string, unknown>) => ({ get: <T>(name: string, fallback?: T) => (name in params ? params[name] : fallback) as T });
		expect(readTemplateValues(get({ templateFields: { mappingMode: 'defineBelow', value: { 'body.1': 'Max' } } }))).toEqual({
			values: { 'body.1': 'Max' },
			source: 'Template Variables',
		});
		expect(readTemplateValues(get({ templateFields: { mappingMode: 'defineBelow', value: null } }))).toEqual({ values: {}, source: 'Template Variables' });
		expect(readTemplateValues(get({ templateParameterMode: 'json', templateParametersJson: '{"body": ["Max"]}' }))).toEqual({
			values: { 'body.1': 'Max' },
			source: 'Parameters (JSON)',
		});
		expect(readTemplateValues(get({ templateParameterMode: 'json', templateParametersJson: { 'body.1': 'Max' } }))).toEqual({
			values: { 'body.1': 'Max' },
			source: 'Parameters (JSON)',
		});
	});

	it('broken JSON names the field', async () => {
		const error = await fieldError(() => readTemplateValues({ get: <T>(name: string) => ({ templateParameterMode: 'json', templateParametersJson: '{"body.1": ' })[name] as T }));
		expect(error.field).toBe('Parameters (JSON)');
		expect(error.message).toMatch(/^Parameters \(JSON\) is not valid JSON: /);
	});
});

// ---------------------------------------------------------------------------------------------
// The module: BuildContext in, BuiltMessage out (lookup, errorContext, binary header uploads)
// ---------------------------------------------------------------------------------------------

function moduleContext(params: Record<string, unknown>, binaries: Record<string, BinaryInfo> = {}): BuildContext & { lookups: string[] } {
	const lookups: string[] = [];
	const context: BuildContext & { lookups: string[]; templates: TemplateCatalog } = {
		itemIndex: 0,
		lookups,
		get: <T>(name: string, fallback?: T) => (name in params ? params[name] : fallback) as T,
		binary: async (property, field) => {
			const info = binaries[property];
			if (!info) throw new FieldError(field, `${field}: the input item has no binary property "${property}"`);
			return info;
		},
		templates: {
			find: async (name, code) => {
				lookups.push(`${name}|${code}`);
				return TEMPLATES.find((t) => t.name === name && t.language === code) as IDataObject | undefined;
			},
			languages: async (name) => languagesOf(TEMPLATES as unknown as IDataObject[], name),
		},
	};
	return context;
}

describe('templateMessage.build', () => {
	it('builds the body with errorContext, from the resource locator value and the mapped fields', async () => {
		const context = moduleContext({
			template: { __rl: true, mode: 'list', value: 'shipping_confirmation|en_US', cachedResultName: 'shipping_confirmation (en_US) · Utility' },
			templateParameterMode: 'fields',
			templateFields: { mappingMode: 'defineBelow', value: { 'header.text.1': '4711', 'body.1': 'Max', 'body.2': 'DHL', 'button.0.url': 'JJD 0003' } },
		});
		const built = await templateMessage.build(context);
		expect(built).toEqual({
			body: {
				type: 'template',
				template: {
					name: 'shipping_confirmation',
					language: language('en_US'),
					components: [
						{ type: 'header', parameters: [text('4711')] },
						{ type: 'body', parameters: [text('Max'), text('DHL')] },
						button(0, 'url', { type: 'text', text: 'JJD%200003' }),
					],
				},
			},
			errorContext: { templateName: 'shipping_confirmation', templateLanguage: 'en_US' },
		});
		expect(context.lookups).toEqual(['shipping_confirmation|en_US']);
		expectAccepted(built.body.template as IDataObject);
	});

	it('By Name with JSON parameters, as an AI agent fills it', async () => {
		const built = await templateMessage.build(
			moduleContext({
				template: { __rl: true, mode: 'name', value: 'verification_code|de' },
				templateParameterMode: 'json',
				templateParametersJson: '{"otp.code": "552211"}',
			}),
		);
		expect(built.body).toEqual({
			type: 'template',
			template: {
				name: 'verification_code',
				language: language('de'),
				components: [{ type: 'body', parameters: [text('552211')] }, button(0, 'url', { type: 'text', text: '552211' })],
			},
		});
		expect(built.errorContext).toEqual({ templateName: 'verification_code', templateLanguage: 'de' });
	});

	it('a binary header is checked now and uploaded in the send phase (PendingUpload)', async () => {
		const context = moduleContext(
			{
				template: 'invoice_available|en_US',
				templateFields: { value: { 'header.document': 'invoice', 'body.1': 'INV-1', 'body.2': '€1.00', 'body.3': 'today' } },
			},
			{ invoice: { mimeType: 'application/pdf', fileName: 'INV-1.pdf', sizeBytes: 2048 } },
		);
		const built = await templateMessage.build(context);
		expect(built.uploads).toHaveLength(1);
		const [upload] = built.uploads ?? [];
		expect(upload).toEqual({
			binaryPropertyName: 'invoice',
			kind: 'document',
			mimeType: 'application/pdf',
			fileName: 'INV-1.pdf',
			path: ['template', 'components', 0, 'parameters', 0, 'document'],
		});
		const header = (body: IDataObject) => ((body.template as IDataObject).components as IDataObject[])[0];
		expect(header(built.body)).toEqual({ type: 'header', parameters: [{ type: 'document', document: { filename: 'INV-1.pdf' } }] });
		const sent = withUploadedMedia(built.body, built.uploads!, ['9988776655']);
		expect(header(sent)).toEqual({ type: 'header', parameters: [{ type: 'document', document: { id: '9988776655', filename: 'INV-1.pdf' } }] });
		expectAccepted(sent.template as IDataObject);
	});

	it('binary header: explicit prefixes, a typed file name wins, and the MIME type is checked', async () => {
		const params = (media: string, extra: Record<string, unknown> = {}) => ({
			template: 'invoice_available|en_US',
			templateFields: { value: { 'header.document': media, 'body.1': 'a', 'body.2': 'b', 'body.3': 'c', ...extra } },
		});
		const files = { data: { mimeType: 'application/pdf', fileName: 'x.pdf', sizeBytes: 10 }, '4711': { mimeType: 'application/pdf', sizeBytes: 10 } };
		const named = await templateMessage.build(moduleContext(params('binary:data', { 'header.document.filename': 'Rechnung.pdf' }), files));
		expect(((withUploadedMedia(named.body, named.uploads!, ['1']).template as IDataObject).components as IDataObject[])[0]).toEqual({
			type: 'header',
			parameters: [{ type: 'document', document: { id: '1', filename: 'Rechnung.pdf' } }],
		});
		const numeric = await templateMessage.build(moduleContext(params('binary:4711'), files));
		expect(numeric.uploads?.map((u) => u.binaryPropertyName)).toEqual(['4711']);
		const byId = await templateMessage.build(moduleContext(params('id: media-abc'), files));
		expect(byId.uploads).toBeUndefined();
		expect(((byId.body.template as IDataObject).components as IDataObject[])[0]).toEqual({ type: 'header', parameters: [{ type: 'document', document: { id: 'media-abc' } }] });

		const gif = await fieldError(
			async () =>
				await templateMessage.build(
					moduleContext(
						{ template: 'order_update|en_US', templateFields: { value: { ...ORDER, 'header.image': 'data' } } },
						{ data: { mimeType: 'image/gif', sizeBytes: 10 } },
					),
				),
		);
		expect([gif.field, gif.message]).toEqual([
			'Header Image',
			'Header Image: image does not support MIME type "image/gif"; WhatsApp accepts image/jpeg, image/png',
		]);
		const missing = await fieldError(async () => await templateMessage.build(moduleContext({ template: 'order_update|en_US', templateFields: { value: { ...ORDER, 'header.image': 'photo' } } })));
		expect(missing.message).toBe('Header Image: the input item has no binary property "photo"');
		const badLink = await fieldError(async () => await templateMessage.build(moduleContext({ template: 'order_update|en_US', templateFields: { value: { ...ORDER, 'header.image': 'ftp://x' } } })));
		expect([badLink.field, badLink.message]).toEqual(['Header Image', 'Header Image must be an https:// link, a media ID or the name of a binary field; got "ftp://x"']);
		const badUrl = await fieldError(async () => await templateMessage.build(moduleContext({ template: 'order_update|en_US', templateFields: { value: { ...ORDER, 'header.image': 'https://' } } })));
		expect(badUrl.message).toBe('Header Image "https://" is not a valid URL');
	});

	it('the template is looked up once per item, never listed by the module itself', async () => {
		const context = moduleContext({ template: 'welcome_customer', templateFields: { value: { 'body.first_name': 'E', 'body.shop_name': 'S' } } });
		await templateMessage.build(context);
		expect(context.lookups).toEqual(['welcome_customer|de']);
	});
});

// ---------------------------------------------------------------------------------------------
// Work done once per definition (and per repeated value), not per item
// ---------------------------------------------------------------------------------------------

describe('per-definition caches', () => {
	const orderValues = (i: number): Record<string, unknown> => ({
		'header.image': 'https://cdn.example.com/orders/banner.png',
		'body.1': `Customer ${i}`,
		'body.2': '€1.90',
		'body.3': '15 January 2026',
		'button.1.url': `order-${i}`,
	});
	const options = { resolveMedia: linksAndIds, nowMs: NOW };

	it('one definition serves many items: the same bodies as a fresh definition, as independent objects', async () => {
		const definition = definitionOf('order_update|en_US');
		const first = await buildTemplateObject(definition, orderValues(1), options);
		const second = await buildTemplateObject(definition, orderValues(2), options);
		expect(second).toEqual(await buildTemplateObject(definitionOf('order_update|en_US'), orderValues(2), options));
		(first.components as IDataObject[]).length = 0;
		((second.components as IDataObject[])[1].parameters as IDataObject[]).pop();
		const third = await buildTemplateObject(definition, orderValues(1), options);
		expect(third.components).toHaveLength(3);
		expect(((third.components as IDataObject[])[1].parameters as IDataObject[]).map((parameter) => parameter.text)).toEqual([
			'Customer 1',
			'€1.90',
			'15 January 2026',
		]);
	});

	it('after successful items, a missing value or an unknown field is still caught with the same message', async () => {
		const definition = definitionOf('order_update|en_US');
		await buildTemplateObject(definition, orderValues(1), options);
		const missing = await fieldError(async () => await buildTemplateObject(definition, { ...orderValues(2), 'body.2': ' ' }, options));
		expect([missing.field, missing.message]).toEqual(['Body {{2}}', 'Body {{2}} is required by template order_update (en_US) (field "body.2")']);
		const unknown = await fieldError(async () => await buildTemplateObject(definition, { ...orderValues(3), 'body.4': 'x' }, options));
		expect(unknown.message).toBe(
			'Template Variables has "body.4", which template order_update (en_US) does not have; its fields are header.image, body.1, body.2, body.3, button.0.payload, button.1.url. Refresh the variable list or remove it.',
		);
		// Optional extras of the template are read, so they are never leftovers.
		const built = await buildTemplateObject(definition, { ...orderValues(4), 'body.2.currency': 'EUR 1.90', 'button.0.payload': 'stop' }, options);
		expect(((built.components as IDataObject[])[1].parameters as IDataObject[])[1].type).toBe('currency');
	});

	it('a repeated template choice gives a fresh object each time, and a bad one still fails', () => {
		const first = parseTemplateChoice('order_update|de');
		first.name = 'changed';
		expect(parseTemplateChoice('order_update|de')).toEqual({ name: 'order_update', language: 'de' });
		expect(parseTemplateChoice({ __rl: true, value: ' order_update|de ' })).toEqual({ name: 'order_update', language: 'de' });
		expect(() => parseTemplateChoice('order update|de')).toThrow(FieldError);
		expect(() => parseTemplateChoice('order update|de')).toThrow('Template "order update|de" is not a template name');
		expect(parseTemplateChoice('order_update (de)')).toEqual({ name: 'order_update', language: 'de' });
	});

	it('a template that cannot be sent fails for every item, each with its own error', async () => {
		const pending: TemplateCatalog = { find: async () => raw('order_update|fr') as unknown as IDataObject };
		const first = await fieldError(async () => await resolveTemplate(pending, { name: 'order_update', language: 'fr' }));
		const second = await fieldError(async () => await resolveTemplate(pending, { name: 'order_update', language: 'fr' }));
		expect(second).not.toBe(first);
		expect([second.field, second.message]).toEqual(['Template', 'Template order_update (fr) is pending; only approved templates can be sent']);
		expect(first.message).toBe(second.message);
	});

	it('a header link accepted for one item is accepted again; a bad link still fails after it', async () => {
		const context = (link: string) => moduleContext({ template: 'order_update|en_US', templateFields: { value: { ...orderValues(1), 'header.image': link } } });
		const header = async (link: string) => (((await templateMessage.build(context(link))).body.template as IDataObject).components as IDataObject[])[0];
		const expected = { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/orders/banner.png' } }] };
		expect(await header('https://cdn.example.com/orders/banner.png')).toEqual(expected);
		expect(await header('https://cdn.example.com/orders/banner.png')).toEqual(expected);
		const badUrl = await fieldError(async () => await templateMessage.build(context('https://')));
		expect(badUrl.message).toBe('Header Image "https://" is not a valid URL');
	});
});

// ---------------------------------------------------------------------------------------------
// The dropdown entries
// ---------------------------------------------------------------------------------------------

describe('template list entries', () => {
	it('shows "name (language) · Category" with the value name|language', () => {
		expect(templateListItem(raw('order_update|de') as unknown as IDataObject)).toEqual({ name: 'order_update (de) · Utility', value: 'order_update|de' });
		expect(templateListItem({ name: 'x', language: 'en' })).toEqual({ name: 'x (en)', value: 'x|en' });
	});

	it.each([
		['', 29],
		['order', 3],
		['ORDER de', 1],
		['order_update|de', 1],
		['order_update|', 3],
		['|en', 24],
		['code en_us', 2],
		['market', 13],
		['en_GB', 1],
		['authentication', 3],
		['nothing-matches', 0],
	])('filter %j matches %i templates', (filter, count) => {
		expect(TEMPLATES.filter((t) => matchesFilter(t as unknown as IDataObject, filter))).toHaveLength(count);
	});

	it('languagesOf prefers approved translations', () => {
		const all = TEMPLATES as unknown as IDataObject[];
		expect(languagesOf(all, 'order_update')).toEqual(['en_US', 'de']);
		expect(languagesOf(all, 'black_friday_teaser')).toEqual(['en_US']);
		expect(languagesOf(all, 'none')).toEqual([]);
	});
});
