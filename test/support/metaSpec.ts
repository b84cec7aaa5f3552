/**
 * Validates WhatsApp Cloud API bodies against Meta's official OpenAPI spec
 * (`test/fixtures/spec/meta-business-messaging-api_v23.0.yaml`, from github.com/facebook/openapi, MIT).
 *
 * - `validateSendBody(body)`: a `POST /messages` body (every message type and mark-as-read).
 * - `validateWebhookPayload(payload)`: a webhook envelope; each `messages[]`, `statuses[]`,
 *   `contacts[]` and `metadata` is checked against its own webhook schema, and the value of a group
 *   field against `GroupValue`. Fields the spec has no schema for (calls, user_preferences, the
 *   template and account updates, coexistence) are not checked.
 *
 * The spec is parsed once per process (and cached on disk between processes, because parsing the
 * 1 MB YAML takes about a second); each schema is compiled once, on first use. Errors are plain
 * sentences with a dotted path ("interactive.action.buttons[1].reply.title has 23 characters;
 * max 20"), so a failing test says what to fix.
 *
 * Where the spec and the live API disagree, the spec is patched by one entry of
 * `SPEC_DEVIATIONS` (named, with the reason) instead of being loosened as a whole.
 *
 * Template components are checked strictly: the spec's `discriminator`s route each component by
 * `type` (header, body, button, carousel, limited_time_offer) and each parameter by `type` to
 * its own schema (`applyDiscriminators`), and `tightenTemplates` closes every template object and
 * applies the rules the spec states only in words.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

import { ERROR_FIXTURES_DIR, META_SPEC_PATH, WEBHOOK_FIXTURES_DIR } from './fixtures';
import { isRecord } from './json';

// Re-exported so spec checks and fixture listings come from one import.
export { ERROR_FIXTURES_DIR, META_SPEC_PATH, WEBHOOK_FIXTURES_DIR };



// ---------------------------------------------------------------------------------------------
// Public result types
// ---------------------------------------------------------------------------------------------

/** `missing`: a required field is absent; `unknown`: a field the schema does not allow; `invalid`: anything else. */
export type SpecIssueKind = 'missing' | 'unknown' | 'invalid';

export interface SpecIssue {
	/** Dotted path of the offending value, e.g. `interactive.action.buttons[1].reply.title` ('' = the body). */
	path: string;
	kind: SpecIssueKind;
	/** A full sentence that names the path. */
	message: string;
}

export interface SpecResult {
	valid: boolean;
	/** `issues[].message`, for `expect(result.errors).toEqual([])`. */
	errors: string[];
	issues: SpecIssue[];
}

type JsonSchema = Record<string, unknown>;
type SchemaMap = Record<string, JsonSchema>;

// ---------------------------------------------------------------------------------------------
// Which schemas we use
// ---------------------------------------------------------------------------------------------

/** Send-side schema per message `type` (the spec's `Message` oneOf, dispatched by hand for precise errors). */
const SEND_SCHEMA_BY_TYPE: Record<string, string> = {
	text: 'TextMessage',
	image: 'ImageMessage',
	video: 'VideoMessage',
	audio: 'AudioMessage',
	document: 'DocumentMessage',
	sticker: 'StickerMessage',
	location: 'LocationMessage',
	contacts: 'ContactsMessage',
	reaction: 'ReactionMessage',
	interactive: 'InteractiveMessage',
	template: 'TemplateMessage',
};
const MARK_READ_SCHEMA = 'MarkMessageRequestPayload';
/** `POST /marketing_messages` (Meta's Marketing Messages API; 360dialog's MM Lite). */
const MARKETING_MESSAGE_SCHEMA = 'MarketingMessageRequestPayload';

/** Webhook schema per inbound `messages[].type` (fixtures/README.md lists the same mapping). */
const WEBHOOK_MESSAGE_SCHEMA_BY_TYPE: Record<string, string> = {
	text: 'TextMessage_2',
	image: 'ImageMessage_1',
	audio: 'AudioMessage_1',
	video: 'VideoMessage_1',
	document: 'DocumentMessage_1',
	sticker: 'StickerMessage_1',
	location: 'LocationMessage_1',
	contacts: 'ContactSharingMessage',
	interactive: 'InteractiveMessageReply',
	button: 'ButtonMessage',
	reaction: 'ReactionMessage_1',
	order: 'OrderMessage',
	system: 'SystemMessage',
	unsupported: 'UnsupportedMessage',
	unknown: 'UnsupportedMessage',
};
/** Inbound types the spec has no schema for: only the common message properties are checked. */
const WEBHOOK_BASE_MESSAGE_SCHEMA = 'BaseMessageProperties';

/**
 * The spec is several specs merged into one file, and the merge renamed clashing schemas: the
 * webhook schemas still `$ref` `BaseMessageProperties`, `ContactObject` and `ErrorObject`, which
 * now name the *send-side* schemas, while their webhook versions became `_1`/`_2`. The webhook
 * schema set maps those names back.
 */
const WEBHOOK_REF_ALIASES: Record<string, string> = {
	BaseMessageProperties: 'BaseMessageProperties_1',
	ContactObject: 'ContactObject_1',
	ErrorObject: 'ErrorObject_2',
};

/** `POST /whatsapp_business_profile` (the Account node's profile update, with `profile_picture_handle`). */
const PROFILE_UPDATE_SCHEMA = 'WhatsAppBusinessProfileUpdateRequest';
const SEND_ROOTS = [...Object.values(SEND_SCHEMA_BY_TYPE), MARK_READ_SCHEMA, MARKETING_MESSAGE_SCHEMA, PROFILE_UPDATE_SCHEMA];
const WEBHOOK_ROOTS = [
	...Object.values(WEBHOOK_MESSAGE_SCHEMA_BY_TYPE),
	WEBHOOK_BASE_MESSAGE_SCHEMA,
	'Statuses',
	'ContactProfile',
	'Metadata',
	'GroupValue',
];

/** Change fields whose value is a `GroupValue` (the spec's enum says group_participant_update, its example group_participants_update). */
const GROUP_FIELDS: ReadonlySet<string> = new Set(['group_lifecycle_update', 'group_settings_update', 'group_participants_update', 'group_participant_update']);

const SEND_DOC_ID = 'meta-send';
const WEBHOOK_DOC_ID = 'meta-webhook';

// ---------------------------------------------------------------------------------------------
// Deliberate deviations from the spec
// ---------------------------------------------------------------------------------------------

export interface SpecDeviation {
	name: string;
	/** Which schema set it patches. */
	appliesTo: 'send' | 'webhook';
	reason: string;
	patch(schemas: SchemaMap): void;
}

function schemaAt(schemas: Record<string, unknown>, ...pointer: string[]): JsonSchema {
	let node: unknown = schemas;
	for (const key of pointer) {
		node = (node as Record<string, unknown>)?.[key];
		if (node === undefined) throw new Error(`metaSpec: spec has no ${pointer.join('/')}; a deviation needs updating`);
	}
	return node as JsonSchema;
}

/** The object member of an `allOf` schema (the one that is not a `$ref`). */
function allOfBody(schemas: SchemaMap, name: string): JsonSchema {
	const members = schemaAt(schemas, name, 'allOf') as unknown as JsonSchema[];
	const body = members.find((member) => !('$ref' in member));
	if (!body) throw new Error(`metaSpec: ${name} has no inline allOf member`);
	return body;
}

function dropRequired(schema: JsonSchema, ...names: string[]): void {
	const required = schema.required as string[] | undefined;
	if (!required) return;
	schema.required = required.filter((name) => !names.includes(name));
}

function extendEnum(schema: JsonSchema, ...values: string[]): void {
	const current = (schema.enum as string[] | undefined) ?? [];
	schema.enum = [...current, ...values.filter((value) => !current.includes(value))];
}

/** Requires `preferred` unless `alternative` is present (the error then names `preferred`). */
function requireUnless(schema: JsonSchema, preferred: string, alternative: string): void {
	schema.if = { not: { required: [alternative] } };
	schema.then = { required: [preferred] };
}

const SCHEMA_POINTER = '#/components/schemas/';
const ref = (name: string): JsonSchema => ({ $ref: `${SCHEMA_POINTER}${name}` });
const refName = (pointer: string): string => pointer.slice(SCHEMA_POINTER.length);

/** OpenAPI's `discriminator`: which kind (schema) a value of `propertyName` selects. */
interface Discriminator {
	propertyName: string;
	mapping: Record<string, string>;
}

const discriminatorOf = (s: SchemaMap, base: string): Discriminator => schemaAt(s, base, 'discriminator') as unknown as Discriminator;

/**
 * Adds a kind to a discriminated base the way the spec writes its own kinds (`TextParameter`:
 * `allOf: [{$ref: base}, {own properties}]`). `routed` also lists it in the base's enum and
 * discriminator mapping, so wherever the base is used, this kind is allowed; otherwise only an
 * explicit `$ref` to `name` reaches it.
 */
function addKind(
	s: SchemaMap,
	base: string,
	value: string,
	name: string,
	own: { required?: string[]; properties: SchemaMap },
	routed = true,
): void {
	const { propertyName, mapping } = discriminatorOf(s, base);
	if (routed) {
		extendEnum(schemaAt(s, base, 'properties', propertyName), value);
		mapping[value] = ref(name).$ref as string;
	}
	const body: JsonSchema = { type: 'object', properties: { [propertyName]: { enum: [value] }, ...own.properties } };
	if (own.required) body.required = own.required;
	s[name] = { allOf: [ref(base), body] };
}

/** Template button sub_types: the spec's quick_reply/url/catalog and those of `template-button-sub-types`. */
const BUTTON_SUB_TYPES_ADDED = ['copy_code', 'flow', 'mpm', 'voice_call', 'CATALOG'];

export const SPEC_DEVIATIONS: readonly SpecDeviation[] = [
	{
		name: 'recipient-type-optional',
		appliesTo: 'send',
		reason: 'The spec requires `recipient_type`; the live API defaults it to "individual" (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).',
		patch: (s) => dropRequired(schemaAt(s, 'BaseMessageProperties'), 'recipient_type'),
	},
	{
		name: 'bsuid-recipient',
		appliesTo: 'send',
		reason:
			'Users who hide their number are addressed with `recipient` (a BSUID) instead of `to` (https://docs.360dialog.com/docs/resources/phone-numbers/usernames-and-bsuid); ' +
			'the spec predates it. One of the two is required.',
		patch: (s) => {
			const base = schemaAt(s, 'BaseMessageProperties');
			dropRequired(base, 'to');
			(base.properties as SchemaMap).recipient = { type: 'string' };
			requireUnless(base, 'to', 'recipient');
		},
	},
	{
		name: 'biz-opaque-callback-data',
		appliesTo: 'send',
		reason: '`biz_opaque_callback_data` is documented (≤512 chars, echoed in status webhooks; https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages) but missing from the spec.',
		patch: (s) => {
			(schemaAt(s, 'BaseMessageProperties', 'properties') as SchemaMap).biz_opaque_callback_data = { type: 'string' };
		},
	},
	{
		name: 'template-language-policy-optional',
		appliesTo: 'send',
		reason: 'The spec requires `language.policy`; "deterministic" is its only value and the Cloud API does not need it (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates).',
		patch: (s) => dropRequired(schemaAt(s, 'LanguageObject'), 'policy'),
	},
	{
		name: 'location-coordinates-are-numbers',
		appliesTo: 'send',
		reason: 'The spec types `latitude`/`longitude` as strings (its own examples are numbers); the API takes JSON numbers (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/location-messages). Both are accepted.',
		patch: (s) => {
			const location = schemaAt(allOfBody(s, 'LocationMessage'), 'properties', 'location', 'properties') as SchemaMap;
			location.latitude = { type: ['number', 'string'] };
			location.longitude = { type: ['number', 'string'] };
		},
	},
	{
		name: 'contact-phone-types',
		appliesTo: 'send',
		reason: 'The spec allows phone `type` HOME|WORK only; Meta documents CELL, MAIN, IPHONE, HOME and WORK (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/contacts-messages).',
		patch: (s) => extendEnum(schemaAt(s, 'PhoneObject', 'properties', 'type'), 'CELL', 'MAIN', 'IPHONE'),
	},
	{
		name: 'interactive-cta-url-location-request-address',
		appliesTo: 'send',
		reason:
			'`cta_url`, `location_request_message` and `address_message` are documented interactive types ' +
			'(https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-cta-url-messages, ' +
			'https://developers.facebook.com/docs/whatsapp/cloud-api/messages/location-request-messages) that the spec enum and `ActionObject` lack.',
		patch: (s) => {
			extendEnum(schemaAt(s, 'InteractiveObject', 'properties', 'type'), 'cta_url', 'location_request_message', 'address_message');
			const branches = schemaAt(s, 'ActionObject', 'oneOf') as unknown as JsonSchema[];
			branches.push(
				{
					required: ['name', 'parameters'],
					properties: {
						name: { type: 'string', enum: ['cta_url'] },
						parameters: {
							type: 'object',
							required: ['display_text', 'url'],
							properties: { display_text: { type: 'string' }, url: { type: 'string', format: 'http-url' } },
						},
					},
				},
				{ required: ['name'], properties: { name: { type: 'string', enum: ['send_location'] } } },
				{
					required: ['name', 'parameters'],
					properties: { name: { type: 'string', enum: ['address_message'] }, parameters: { type: 'object' } },
				},
			);
		},
	},
	{
		name: 'interactive-catalog-message-parameters-optional',
		appliesTo: 'send',
		reason:
			'The spec requires `parameters.thumbnail_product_retailer_id` in a `catalog_message` action; Meta documents the ' +
			'`parameters` object as optional (without it the catalog\'s first item is the thumbnail: ' +
			'https://developers.facebook.com/docs/whatsapp/guides/commerce-guides/share-products-with-customers).',
		patch: (s) => {
			const branches = schemaAt(s, 'ActionObject', 'oneOf') as unknown as JsonSchema[];
			const catalog = branches.find((branch) => {
				const name = (branch.properties as SchemaMap | undefined)?.name;
				return (name?.enum as string[] | undefined)?.includes('catalog_message');
			});
			if (!catalog) throw new Error('metaSpec: ActionObject has no catalog_message branch; a deviation needs updating');
			dropRequired(catalog, 'parameters');
		},
	},
	{
		name: 'interactive-order-details-status',
		appliesTo: 'send',
		reason:
			'`order_details` (review_and_pay) and `order_status` (review_order) are documented interactive types of WhatsApp payments in India ' +
			'(https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-in/pg, .../payments-in/upi-intent, ' +
			'.../payments-in/payment-links); the spec has examples of both but lacks them in the InteractiveObject enum and ActionObject. ' +
			'The added branches are closed, so a misspelt field still fails.',
		patch: (s) => {
			extendEnum(schemaAt(s, 'InteractiveObject', 'properties', 'type'), 'order_details', 'order_status');
			const amount = (extra: SchemaMap = {}): JsonSchema => ({
				type: 'object',
				additionalProperties: false,
				required: ['value', 'offset'],
				properties: { value: { type: 'integer' }, offset: { type: 'integer' }, description: { type: 'string' }, ...extra },
			});
			const closed = (required: string[], properties: SchemaMap): JsonSchema => ({ type: 'object', additionalProperties: false, required, properties });
			const item = closed(['retailer_id', 'name', 'amount', 'quantity'], {
				retailer_id: { type: 'string' },
				name: { type: 'string' },
				amount: amount(),
				sale_amount: amount(),
				quantity: { type: 'integer', minimum: 1 },
				country_of_origin: { type: 'string' },
				importer_name: { type: 'string' },
				importer_address: { type: 'object' },
			});
			const paymentSetting: JsonSchema = {
				type: 'object',
				required: ['type'],
				properties: {
					type: { enum: ['payment_gateway', 'payment_link'] },
					payment_gateway: { type: 'object', required: ['type', 'configuration_name'], properties: { type: { type: 'string' }, configuration_name: { type: 'string' } } },
					payment_link: closed(['uri'], { uri: { type: 'string' } }),
				},
			};
			const orderDetails = closed(['reference_id', 'type', 'currency', 'total_amount', 'order'], {
				reference_id: { type: 'string' },
				type: { enum: ['digital-goods', 'physical-goods'] },
				payment_settings: { type: 'array', minItems: 1, items: paymentSetting },
				payment_type: { type: 'string' },
				payment_configuration: { type: 'string' },
				currency: { type: 'string' },
				total_amount: amount(),
				order: closed(['status', 'items', 'subtotal', 'tax'], {
					status: { type: 'string' },
					catalog_id: { type: 'string' },
					items: { type: 'array', minItems: 1, items: item },
					subtotal: amount(),
					tax: amount(),
					shipping: amount(),
					discount: amount({ discount_program_name: { type: 'string' } }),
					expiration: closed(['timestamp'], { timestamp: { type: 'string' }, description: { type: 'string' } }),
				}),
			});
			const orderStatus = closed(['reference_id', 'order'], {
				reference_id: { type: 'string' },
				order: closed(['status'], { status: { type: 'string' }, description: { type: 'string' } }),
			});
			const branches = schemaAt(s, 'ActionObject', 'oneOf') as unknown as JsonSchema[];
			branches.push(
				{ required: ['name', 'parameters'], properties: { name: { type: 'string', enum: ['review_and_pay'] }, parameters: orderDetails } },
				{ required: ['name', 'parameters'], properties: { name: { type: 'string', enum: ['review_order'] }, parameters: orderStatus } },
			);
		},
	},
	{
		name: 'template-button-index',
		appliesTo: 'send',
		reason:
			"The spec's button `index` pattern `^[2-6, 11-14]$` (a character class) rejects \"0\"; index is the button's 0-based " +
			'position in the template, 0-9, a string in Meta\'s examples and also accepted as a number (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates).',
		patch: (s) => {
			const index = { type: ['string', 'integer'], pattern: '^[0-9]$', minimum: 0, maximum: 9 };
			(schemaAt(s, 'TemplateComponent', 'properties') as SchemaMap).index = { ...index };
			(schemaAt(allOfBody(s, 'ButtonComponent'), 'properties') as SchemaMap).index = { ...index };
		},
	},
	{
		name: 'template-button-sub-types',
		appliesTo: 'send',
		reason:
			'The spec lists quick_reply/url/catalog buttons only; copy_code, flow, mpm and voice_call are documented, and Meta\'s own ' +
			'catalog example writes "CATALOG" (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates).',
		patch: (s) => {
			extendEnum(schemaAt(s, 'TemplateComponent', 'properties', 'sub_type'), ...BUTTON_SUB_TYPES_ADDED);
			extendEnum(schemaAt(allOfBody(s, 'ButtonComponent'), 'properties', 'sub_type'), ...BUTTON_SUB_TYPES_ADDED);
		},
	},
	{
		name: 'template-named-parameters',
		appliesTo: 'send',
		reason:
			'Templates with named variables ({{first_name}}) send each text/currency/date_time parameter with `parameter_name` ' +
			'(lowercase letters, digits and _; https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates); the spec predates named parameters.',
		patch: (s) => {
			for (const name of ['TextParameter', 'CurrencyParameter', 'DateTimeParameter']) {
				(schemaAt(allOfBody(s, name), 'properties') as SchemaMap).parameter_name = { type: 'string', pattern: '^[a-z_][a-z0-9_]*$' };
			}
		},
	},
	{
		name: 'template-document-filename',
		appliesTo: 'send',
		reason: 'A document header parameter can carry `filename` (shown to the user, https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates); the spec\'s MediaObject has only id/link.',
		patch: (s) => {
			schemaAt(allOfBody(s, 'DocumentParameter'), 'properties', 'document').properties = { filename: { type: 'string' } };
		},
	},
	{
		name: 'template-location-header',
		appliesTo: 'send',
		reason: 'Location headers take a `location` parameter (latitude, longitude, optional name and address; https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates), which the spec lacks.',
		patch: (s) =>
			addKind(s, 'ParameterObject', 'location', 'LocationParameter', {
				required: ['location'],
				properties: {
					location: {
						type: 'object',
						additionalProperties: false,
						required: ['latitude', 'longitude'],
						properties: {
							// Numbers, or strings as in Meta's examples (as `location-coordinates-are-numbers`).
							latitude: { type: ['number', 'string'] },
							longitude: { type: ['number', 'string'] },
							name: { type: 'string' },
							address: { type: 'string' },
						},
					},
				},
			}),
	},
	{
		name: 'template-product-header',
		appliesTo: 'send',
		reason:
			'Single-product templates and product carousel cards have a `product` header parameter ' +
			'({product_retailer_id, catalog_id}; https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates), which the spec lacks.',
		patch: (s) =>
			addKind(s, 'ParameterObject', 'product', 'ProductParameter', {
				required: ['product'],
				properties: {
					product: {
						type: 'object',
						additionalProperties: false,
						required: ['product_retailer_id', 'catalog_id'],
						properties: { product_retailer_id: { type: 'string' }, catalog_id: { type: 'string' } },
					},
				},
			}),
	},
	{
		name: 'template-coupon-code',
		appliesTo: 'send',
		reason: 'Copy-code buttons take `{type: "coupon_code", coupon_code}` (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates); the spec\'s button parameters are payload/text only.',
		patch: (s) =>
			addKind(s, 'ButtonParameterObject', 'coupon_code', 'ButtonCouponCodeParameter', {
				required: ['coupon_code'],
				properties: { coupon_code: { type: 'string' } },
			}),
	},
	{
		name: 'template-action-parameter',
		appliesTo: 'send',
		reason:
			'Flow, catalog and multi-product buttons take `{type: "action", action: {…}}` (flow_token/flow_action_data, ' +
			'thumbnail_product_retailer_id, sections of products; https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates); the spec lacks it.',
		patch: (s) =>
			addKind(s, 'ButtonParameterObject', 'action', 'ButtonActionParameter', {
				required: ['action'],
				properties: {
					action: {
						type: 'object',
						additionalProperties: false,
						properties: {
							flow_token: { type: 'string' },
							flow_action_data: { type: 'object' },
							thumbnail_product_retailer_id: { type: 'string' },
							// The spec's own multi-product section (as in interactive product_list), with products.
							sections: { type: 'array', minItems: 1, items: { ...ref('SectionObject'), required: ['product_items'] } },
						},
					},
				},
			}),
	},
	{
		name: 'template-limited-time-offer',
		appliesTo: 'send',
		reason:
			'Limited-time-offer templates send `{type: "limited_time_offer", parameters: [{type: "limited_time_offer", ' +
			'limited_time_offer: {expiration_time_ms}}]}` (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates); the spec has neither the component nor the parameter.',
		patch: (s) => {
			// A kind of parameter that only this component takes: not a header or body parameter.
			addKind(
				s,
				'ParameterObject',
				'limited_time_offer',
				'LimitedTimeOfferParameter',
				{
					required: ['limited_time_offer'],
					properties: {
						limited_time_offer: {
							type: 'object',
							additionalProperties: false,
							required: ['expiration_time_ms'],
							properties: { expiration_time_ms: { type: 'integer', minimum: 0 } },
						},
					},
				},
				false,
			);
			s.LimitedTimeOfferParameterObject = {
				discriminator: { propertyName: 'type', mapping: { limited_time_offer: ref('LimitedTimeOfferParameter').$ref } },
			};
			addKind(s, 'TemplateComponent', 'limited_time_offer', 'LimitedTimeOfferComponent', {
				required: ['parameters'],
				properties: { parameters: { type: 'array', minItems: 1, items: ref('LimitedTimeOfferParameterObject') } },
			});
		},
	},
	{
		name: 'template-carousel',
		appliesTo: 'send',
		reason:
			'Carousel templates send `{type: "carousel", cards: [{card_index, components: [header, body, button…]}]}` ' +
			'(https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates); the spec lacks the component. The limit of 10 cards is checked by the emulator (sendRules.ts).',
		patch: (s) => {
			addKind(s, 'TemplateComponent', 'carousel', 'CarouselComponent', {
				required: ['cards'],
				properties: { cards: { type: 'array', minItems: 1, items: ref('CarouselCard') } },
			});
			s.CarouselCard = {
				type: 'object',
				additionalProperties: false,
				required: ['card_index', 'components'],
				properties: {
					card_index: { type: 'integer', minimum: 0 },
					components: { type: 'array', minItems: 1, items: ref('CarouselCardComponent') },
				},
			};
			// A card holds header, body and buttons; no nested carousel or offer.
			const { mapping } = discriminatorOf(s, 'TemplateComponent');
			s.CarouselCardComponent = {
				discriminator: { propertyName: 'type', mapping: { header: mapping.header, body: mapping.body, button: mapping.button } },
			};
		},
	},
	{
		name: 'media-link-url-format',
		appliesTo: 'send',
		reason:
			"The spec marks media `link` as `format: url`; ajv-formats' `url` rejects loopback and private hosts that tests " +
			'serve files from. We check for an absolute http(s) URL instead, which is what the spec text asks for.',
		patch: (s) => {
			for (const branch of schemaAt(s, 'MediaObject', 'oneOf') as unknown as JsonSchema[]) {
				const link = (branch.properties as SchemaMap | undefined)?.link;
				if (link?.format === 'url') link.format = 'http-url';
			}
		},
	},
	{
		name: 'typing-indicator',
		appliesTo: 'send',
		reason: 'Mark-as-read may carry `typing_indicator: {type: "text"}` (https://docs.360dialog.com/docs/messaging/overview/typing-indicators); the spec predates it.',
		patch: (s) => {
			(schemaAt(s, MARK_READ_SCHEMA, 'properties') as SchemaMap).typing_indicator = {
				type: 'object',
				required: ['type'],
				properties: { type: { type: 'string', enum: ['text'] } },
			};
		},
	},
	{
		name: 'webhook-schema-name-collisions',
		appliesTo: 'webhook',
		reason:
			'The merged spec renamed the webhook versions of BaseMessageProperties/ContactObject/ErrorObject to _1/_2 while the ' +
			'webhook schemas still reference the old names; we map them back (fixtures/README.md does the same).',
		patch: () => undefined, // Done while collecting the webhook schemas (WEBHOOK_REF_ALIASES).
	},
	{
		name: 'webhook-nfm-reply',
		appliesTo: 'webhook',
		reason: 'Flow and address replies arrive as `interactive.type: "nfm_reply"` (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components); the spec enum lacks it.',
		patch: (s) => {
			const interactive = schemaAt(allOfBody(s, 'InteractiveMessageReply'), 'properties', 'interactive');
			extendEnum(schemaAt(interactive, 'properties', 'type'), 'nfm_reply');
		},
	},
	{
		name: 'webhook-call-permission-reply',
		appliesTo: 'webhook',
		reason:
			'The answer to a call permission request arrives as `interactive.type: "call_permission_reply"` ' +
			'(https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/user-call-permissions); the spec enum lacks it.',
		patch: (s) => {
			const interactive = schemaAt(allOfBody(s, 'InteractiveMessageReply'), 'properties', 'interactive');
			extendEnum(schemaAt(interactive, 'properties', 'type'), 'call_permission_reply');
		},
	},
	{
		name: 'webhook-context-without-referred-product',
		appliesTo: 'webhook',
		reason: 'The spec requires `context.referred_product`, which only product enquiries carry; replies have just `{from, id}` (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components).',
		patch: (s) => dropRequired(schemaAt(s, 'ContextObject'), 'referred_product'),
	},
	{
		name: 'webhook-bsuid',
		appliesTo: 'webhook',
		reason:
			'Once a user hides the number, `from` and `recipient_id` can be absent; `from_user_id` / `recipient_user_id` (BSUID) are there instead (https://docs.360dialog.com/docs/resources/phone-numbers/usernames-and-bsuid).',
		patch: (s) => {
			const base = schemaAt(s, 'BaseMessageProperties'); // the webhook version, see WEBHOOK_REF_ALIASES
			dropRequired(base, 'from');
			requireUnless(base, 'from', 'from_user_id');
			const statuses = schemaAt(s, 'Statuses');
			dropRequired(statuses, 'recipient_id');
			requireUnless(statuses, 'recipient_id', 'recipient_user_id');
		},
	},
	{
		name: 'webhook-status-played',
		appliesTo: 'webhook',
		reason: '`played` was added for voice messages (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components); the spec enum lacks it.',
		patch: (s) => extendEnum(schemaAt(s, 'Statuses', 'properties', 'status'), 'played'),
	},
	{
		name: 'webhook-system-types',
		appliesTo: 'webhook',
		reason: 'System messages also use customer_changed_number, customer_identity_changed and user_changed_user_id (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components).',
		patch: (s) => {
			const system = schemaAt(allOfBody(s, 'SystemMessage'), 'properties', 'system');
			extendEnum(schemaAt(system, 'properties', 'type'), 'customer_changed_number', 'customer_identity_changed', 'user_changed_user_id');
		},
	},
];

// ---------------------------------------------------------------------------------------------
// Loading: YAML → the schema subsets we need (cached on disk) → patched → compiled lazily
// ---------------------------------------------------------------------------------------------

interface RawSubsets {
	send: SchemaMap;
	webhook: SchemaMap;
}

/** Bump when the collected subset changes shape, so stale disk caches are ignored. */
const CACHE_FORMAT = 3; // 2: also follows discriminator mappings (the template component and parameter kinds); 3: GroupValue

/** Copies `roots` and every schema they reach (by `$ref` or discriminator mapping), renaming refs through `aliases`. */
function collectSchemas(all: SchemaMap, roots: string[], aliases: Record<string, string> = {}): SchemaMap {
	const out: SchemaMap = {};
	const queue = [...roots];
	while (queue.length > 0) {
		const name = queue.pop() as string;
		if (name in out) continue;
		const source = all[aliases[name] ?? name];
		if (!source) throw new Error(`metaSpec: schema ${name} not found in ${META_SPEC_PATH}`);
		out[name] = structuredClone(source);
		JSON.stringify(source, (key, value: unknown) => {
			if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_POINTER)) queue.push(refName(value));
			if (key === 'mapping' && typeof value === 'object' && value !== null) {
				for (const target of Object.values(value as Record<string, unknown>)) {
					if (typeof target === 'string' && target.startsWith(SCHEMA_POINTER)) queue.push(refName(target));
				}
			}
			return value;
		});
	}
	return out;
}

function readSubsets(): RawSubsets {
	let stat;
	try {
		stat = statSync(META_SPEC_PATH);
	} catch {
		throw new Error(`metaSpec: Meta's OpenAPI spec not found at ${META_SPEC_PATH} (it ships in test/fixtures/spec)`);
	}
	const key = createHash('sha1')
		.update(`${CACHE_FORMAT}|${stat.size}|${stat.mtimeMs}|${SEND_ROOTS}|${WEBHOOK_ROOTS}|${JSON.stringify(WEBHOOK_REF_ALIASES)}`)
		.digest('hex')
		.slice(0, 16);
	const cacheDir = path.join(tmpdir(), 'n8n-nodes-360dialog-cache');
	const cacheFile = path.join(cacheDir, `meta-spec-${key}.json`);
	try {
		return JSON.parse(readFileSync(cacheFile, 'utf8')) as RawSubsets;
	} catch {
		// No (readable) cache yet: parse the YAML below.
	}
	const doc = parseYaml(readFileSync(META_SPEC_PATH, 'utf8')) as { components: { schemas: SchemaMap } };
	const all = doc.components.schemas;
	const subsets: RawSubsets = {
		send: collectSchemas(all, SEND_ROOTS),
		webhook: collectSchemas(all, WEBHOOK_ROOTS, WEBHOOK_REF_ALIASES),
	};
	try {
		mkdirSync(cacheDir, { recursive: true });
		// Write-then-rename: parallel jest workers never read a half-written file.
		const partial = `${cacheFile}.${process.pid}.tmp`;
		writeFileSync(partial, JSON.stringify(subsets));
		renameSync(partial, cacheFile);
	} catch {
		// A read-only tmp dir only costs speed.
	}
	return subsets;
}

/**
 * Makes the OpenAPI schemas valid JSON Schema 2020-12 with the meaning the spec intends:
 * an `allOf` whose members close themselves with `additionalProperties: false` rejects the other
 * members' properties, so the closing moves to the parent as `unevaluatedProperties: false`.
 * `example` is dropped, and so is OpenAPI's `discriminator` where `applyDiscriminators` did not
 * turn it into ajv's (the webhook set's one, on InteractiveMessageReply, is not needed).
 */
function normalize(node: unknown): void {
	if (Array.isArray(node)) {
		node.forEach(normalize);
		return;
	}
	if (typeof node !== 'object' || node === null) return;
	const schema = node as JsonSchema;
	// OpenAPI's discriminator (with `mapping`), unless `applyDiscriminators` made it ajv's.
	if ((schema.discriminator as JsonSchema | undefined)?.mapping) delete schema.discriminator;
	delete schema.example;
	if (Array.isArray(schema.allOf)) {
		let closed = false;
		for (const member of schema.allOf as JsonSchema[]) {
			if (member.additionalProperties === false) {
				delete member.additionalProperties;
				closed = true;
			}
		}
		if (closed) schema.unevaluatedProperties = false;
	}
	for (const [key, value] of Object.entries(schema)) {
		if (key === 'properties' && value && typeof value === 'object') {
			Object.values(value as SchemaMap).forEach(normalize);
		} else if (typeof value === 'object') {
			normalize(value);
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Template components: strict, and routed by `type` (the spec's discriminators, as ajv's)
// ---------------------------------------------------------------------------------------------

/** Which parameter kinds each button sub_type takes. */
const BUTTON_PARAMETER_KINDS: Record<string, { kinds: string[]; actionRequires?: string[] }> = {
	// The spec's words: "`payload` for quick reply or `text` for URL buttons".
	quick_reply: { kinds: ['payload'] },
	url: { kinds: ['text'] },
	// https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
	// (sub_types of deviation `template-button-sub-types`, kinds of `template-coupon-code` / `template-action-parameter`).
	copy_code: { kinds: ['coupon_code'] },
	flow: { kinds: ['action'] },
	catalog: { kinds: ['action'] },
	CATALOG: { kinds: ['action'] },
	mpm: { kinds: ['action'], actionRequires: ['thumbnail_product_retailer_id', 'sections'] },
};

/** Parameter kinds of a body component: "which can be `text`, `currency`, or `date_time`" (the spec's words). */
const BODY_PARAMETER_KINDS = ['text', 'currency', 'date_time'];

/** Schemas that inherit from a discriminated base (`allOf: [{$ref: base}, …]`): the kinds. */
function kindNames(s: SchemaMap): string[] {
	return Object.keys(s).filter((name) =>
		((s[name].allOf as JsonSchema[] | undefined) ?? []).some(
			(member) => typeof member.$ref === 'string' && s[refName(member.$ref)]?.discriminator !== undefined,
		),
	);
}

/**
 * What the spec says about templates in words but not in its schemas. These only tighten (the
 * spec closes every other message type and its objects; a template, unchecked, would let a
 * misspelt key through):
 * - every template object is closed: the message itself (the only message type the spec leaves
 *   open), the template, its language, each component and parameter kind, and the currency,
 *   date_time and media values inside parameters;
 * - body parameters are text, currency or date_time only;
 * - a button's parameters are of the kind its sub_type takes (quick_reply → payload, url → text, …;
 *   a made-up kind is left to the kind check, so it is reported once).
 */
function tightenTemplates(s: SchemaMap): void {
	allOfBody(s, 'TemplateMessage').additionalProperties = false; // normalize() moves it to the allOf's parent
	for (const name of ['TemplateObject', 'LanguageObject', 'CurrencyObject', 'DateTimeObject']) schemaAt(s, name).additionalProperties = false;
	for (const name of kindNames(s)) s[name].unevaluatedProperties = false;
	// The spec's MediaObject (id or link), closed: its branches' properties move up beside
	// `additionalProperties`, the branches keep what they require.
	const media = schemaAt(s, 'MediaObject');
	const mediaBranches = media.oneOf as JsonSchema[];
	for (const [name, key] of [['ImageParameter', 'image'], ['VideoParameter', 'video'], ['DocumentParameter', 'document']]) {
		const properties = schemaAt(allOfBody(s, name), 'properties') as SchemaMap;
		properties[key] = {
			type: 'object',
			additionalProperties: false,
			properties: Object.assign({}, ...mediaBranches.map((branch) => structuredClone(branch.properties)), properties[key].properties),
			oneOf: mediaBranches.map((branch) => ({ required: branch.required })),
		};
	}

	const { mapping: parameterKinds } = discriminatorOf(s, 'ParameterObject');
	s.BodyParameterObject = {
		discriminator: { propertyName: 'type', mapping: Object.fromEntries(BODY_PARAMETER_KINDS.map((kind) => [kind, parameterKinds[kind]])) },
	};
	schemaAt(allOfBody(s, 'BodyComponent'), 'properties', 'parameters').items = ref('BodyParameterObject');

	// Dispatched on sub_type, like the kinds; sub_types without a rule share one branch.
	const knownButtonKinds = Object.keys(discriminatorOf(s, 'ButtonParameterObject').mapping);
	const subTypes = schemaAt(allOfBody(s, 'ButtonComponent'), 'properties', 'sub_type').enum as string[];
	const bySubType: JsonSchema[] = Object.entries(BUTTON_PARAMETER_KINDS)
		.filter(([subType]) => subTypes.includes(subType))
		.map(([subType, rule]) => {
			const parameter: SchemaMap = { type: { enum: rule.kinds } };
			if (rule.actionRequires) parameter.action = { required: rule.actionRequires };
			const kindCheck = { if: { required: ['type'], properties: { type: { enum: knownButtonKinds } } }, then: { properties: parameter } };
			return { properties: { sub_type: { enum: [subType] }, parameters: { items: kindCheck } } };
		});
	const free = subTypes.filter((subType) => !(subType in BUTTON_PARAMETER_KINDS));
	if (free.length > 0) bySubType.push({ properties: { sub_type: { enum: free } } });
	(schemaAt(s, 'ButtonComponent', 'allOf') as unknown as JsonSchema[]).push({
		required: ['sub_type'],
		discriminator: { propertyName: 'sub_type' },
		oneOf: bySubType,
	});
}

/**
 * OpenAPI's `discriminator` as ajv's (`discriminator: true`): the value of the property picks the
 * one kind to check, so a valid body costs one lookup, not a trial of every kind. The spec's shape
 * needs two rewrites for ajv, which wants `oneOf` kinds that declare the property at their top
 * level, no `mapping`, and nothing referring back to the base:
 * - each discriminated base becomes the dispatcher `{discriminator, oneOf: [kinds]}` (plus
 *   `required` and an `enum` of the values, which give the readable errors); everything that
 *   `$ref`s the base (`TemplateObject.components.items`, …) thus checks the matching kind;
 * - each kind `allOf: [{$ref: base}, {own properties}, …]` is flattened into one object schema:
 *   the base's rules for the properties the kind declares itself, then the kind's own. So
 *   `sub_type` and `index`, which `TemplateComponent` declares for every component, stay
 *   button-only, as its description says. A closed kind is closed with `additionalProperties`.
 */
function applyDiscriminators(s: SchemaMap): void {
	const bases = new Map<string, Discriminator>();
	for (const [name, schema] of Object.entries(s)) if (schema.discriminator) bases.set(name, schema.discriminator as Discriminator);
	const originals = new Map([...bases.keys()].map((name) => [name, structuredClone(s[name])]));
	for (const kind of Object.values(s)) {
		if (!Array.isArray(kind.allOf)) continue;
		const members = kind.allOf as JsonSchema[];
		const baseRef = members.find((member) => typeof member.$ref === 'string' && bases.has(refName(member.$ref)));
		if (!baseRef) continue;
		const { propertyName } = bases.get(refName(baseRef.$ref as string)) as Discriminator;
		const base = originals.get(refName(baseRef.$ref as string)) as JsonSchema;
		const plain = members.filter((member) => member !== baseRef && isPlainObjectSchema(member));
		const own = new Set(plain.flatMap((member) => Object.keys(member.properties as SchemaMap)));
		const inherited = Object.entries(base.properties as SchemaMap).filter(([key]) => own.has(key) && key !== propertyName);
		const required = new Set<string>((base.required as string[] | undefined) ?? []);
		const properties: SchemaMap = Object.fromEntries(inherited.map(([key, value]) => [key, structuredClone(value)]));
		for (const member of plain) {
			for (const name of (member.required as string[] | undefined) ?? []) required.add(name);
			for (const [key, value] of Object.entries(member.properties as SchemaMap)) {
				properties[key] = key in properties && JSON.stringify(properties[key]) !== JSON.stringify(value) ? { allOf: [properties[key], value] } : value;
			}
		}
		const rest = members.filter((member) => member !== baseRef && !plain.includes(member));
		const closed = kind.unevaluatedProperties === false;
		for (const key of Object.keys(kind)) delete kind[key];
		Object.assign(kind, { type: 'object', required: [...required], properties });
		if (rest.length > 0) kind.allOf = rest;
		if (closed) {
			// `additionalProperties` is checked statically (fast); it sees only these `properties`.
			const staticOnly = rest.every((member) => member.$ref === undefined && member.properties === undefined);
			kind[staticOnly ? 'additionalProperties' : 'unevaluatedProperties'] = false;
		}
	}
	for (const [name, { propertyName, mapping }] of bases) {
		s[name] = {
			type: 'object',
			required: [propertyName],
			properties: { [propertyName]: { type: 'string', enum: Object.keys(mapping) } },
			discriminator: { propertyName },
			oneOf: Object.values(mapping).map((target) => ({ $ref: target })),
		};
	}
}

/** `{type: "object", required, properties}` and nothing else (annotations aside): safe to merge. */
function isPlainObjectSchema(member: JsonSchema): boolean {
	return (
		typeof member.properties === 'object' &&
		Object.keys(member).every((key) => ['type', 'required', 'properties', 'description', 'example'].includes(key)) &&
		(member.type === undefined || member.type === 'object')
	);
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

/**
 * Each schema set gets two ajv instances: a fast one that stops at the first error (what a valid
 * body costs), and a detailed one, used only after a failure, that collects every error with the
 * offending data for readable messages. oneOf-heavy schemas validate several times faster so.
 */
interface SchemaSet {
	docId: string;
	fast: Ajv2020;
	detailed: Ajv2020;
	validators: Map<string, { fast: ValidateFunction; detailed?: ValidateFunction }>;
}

let loaded: Record<'send' | 'webhook', SchemaSet> | undefined;

function newAjv(docId: string, schemas: SchemaMap, detailed: boolean): Ajv2020 {
	const ajv = new Ajv2020({
		allErrors: detailed,
		verbose: detailed, // errors carry the offending data, for "has 23 characters" messages
		strict: true,
		strictTypes: false, // the spec puts `required`/`properties` in oneOf branches without `type`
		strictRequired: false,
		allowUnionTypes: true,
		discriminator: true, // the template component and parameter kinds (applyDiscriminators)
	});
	addFormats(ajv);
	ajv.addFormat('http-url', isHttpUrl);
	for (const numeric of ['float', 'double', 'int32', 'int64']) ajv.addFormat(numeric, { type: 'number', validate: () => true });
	// Schemas keep the spec's `#/components/schemas/…` refs, so they live under that pointer.
	ajv.addKeyword({ keyword: 'components' });
	ajv.addSchema({ $id: docId, components: { schemas } });
	return ajv;
}

function schemaSet(docId: string, schemas: SchemaMap): SchemaSet {
	return { docId, fast: newAjv(docId, schemas, false), detailed: newAjv(docId, schemas, true), validators: new Map() };
}

function load(): Record<'send' | 'webhook', SchemaSet> {
	if (loaded) return loaded;
	const raw = readSubsets();
	for (const deviation of SPEC_DEVIATIONS) deviation.patch(deviation.appliesTo === 'send' ? raw.send : raw.webhook);
	tightenTemplates(raw.send);
	applyDiscriminators(raw.send);
	normalize(Object.values(raw.send));
	normalize(Object.values(raw.webhook));
	loaded = { send: schemaSet(SEND_DOC_ID, raw.send), webhook: schemaSet(WEBHOOK_DOC_ID, raw.webhook) };
	return loaded;
}

function validatorsFor(set: 'send' | 'webhook', name: string): { fast: ValidateFunction; detailed?: ValidateFunction } {
	const schemas = load()[set];
	let entry = schemas.validators.get(name);
	if (!entry) {
		entry = { fast: schemas.fast.compile({ $ref: `${schemas.docId}#/components/schemas/${name}` }) };
		schemas.validators.set(name, entry);
	}
	return entry;
}

/** Errors of a value the fast validator rejected. */
function detailedErrors(set: 'send' | 'webhook', name: string, data: unknown): ErrorObject[] {
	const schemas = load()[set];
	const entry = validatorsFor(set, name);
	entry.detailed ??= schemas.detailed.compile({ $ref: `${schemas.docId}#/components/schemas/${name}` });
	entry.detailed(data);
	return entry.detailed.errors ?? [];
}

/** Loads and compiles every schema now, so the first validation (or emulator request) is not slow. */
export function warmUpMetaSpec(): void {
	for (const name of SEND_ROOTS) validatorsFor('send', name);
	for (const name of WEBHOOK_ROOTS) validatorsFor('webhook', name);
}

// ---------------------------------------------------------------------------------------------
// Readable errors
// ---------------------------------------------------------------------------------------------

/** `/interactive/action/buttons/1/reply` + `title` → `interactive.action.buttons[1].reply.title`. */
export function dottedPath(pointer: string, child?: string, prefix = ''): string {
	let out = prefix;
	const parts = pointer === '' ? [] : pointer.slice(1).split('/');
	if (child !== undefined) parts.push(child);
	for (const raw of parts) {
		const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
	}
	return out;
}

function describeValue(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
	if (Array.isArray(value)) return 'an array';
	if (value === null) return 'null';
	if (typeof value === 'object') return 'an object';
	return String(value);
}

const codePoints = (text: string): number => [...text].length;

/** One branch of a oneOf/anyOf, described by what it requires: `{name: "flow", parameters}`. */
function describeBranch(branch: JsonSchema): string {
	const required = (branch.required as string[] | undefined) ?? [];
	const props = (branch.properties as SchemaMap | undefined) ?? {};
	const parts = required.map((name) => {
		const only = props[name]?.enum as unknown[] | undefined;
		return only?.length === 1 ? `${name}: ${JSON.stringify(only[0])}` : name;
	});
	return parts.length > 0 ? `{${parts.join(', ')}}` : '{…}';
}

function issueFromError(error: ErrorObject, prefix: string): SpecIssue {
	const at = dottedPath(error.instancePath, undefined, prefix);
	const where = at === '' ? 'the body' : at;
	const params = error.params as Record<string, unknown>;
	switch (error.keyword) {
		case 'required': {
			const field = dottedPath(error.instancePath, String(params.missingProperty), prefix);
			return { path: field, kind: 'missing', message: `${field} is required` };
		}
		case 'unevaluatedProperties':
		case 'additionalProperties': {
			const name = String(params.unevaluatedProperty ?? params.additionalProperty);
			const field = dottedPath(error.instancePath, name, prefix);
			return { path: field, kind: 'unknown', message: `${field} is not a known field here` };
		}
		case 'maxLength':
		case 'minLength': {
			const length = typeof error.data === 'string' ? codePoints(error.data) : NaN;
			const bound = error.keyword === 'maxLength' ? 'max' : 'min';
			return { path: at, kind: 'invalid', message: `${where} has ${length} characters; ${bound} ${params.limit}` };
		}
		case 'maxItems':
		case 'minItems': {
			const count = Array.isArray(error.data) ? error.data.length : NaN;
			const bound = error.keyword === 'maxItems' ? 'max' : 'min';
			return { path: at, kind: 'invalid', message: `${where} has ${count} items; ${bound} ${params.limit}` };
		}
		case 'enum': {
			const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
			const expected = allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`;
			return { path: at, kind: 'invalid', message: `${where} is ${describeValue(error.data)}; expected ${expected}` };
		}
		case 'const':
			return { path: at, kind: 'invalid', message: `${where} is ${describeValue(error.data)}; expected ${JSON.stringify(params.allowedValue)}` };
		case 'type':
			return { path: at, kind: 'invalid', message: `${where} must be ${String(params.type).replace(/,/g, ' or ')}, not ${describeValue(error.data)}` };
		case 'format':
			return { path: at, kind: 'invalid', message: `${where} (${describeValue(error.data)}) is not a valid ${String(params.format).replace('http-url', 'http(s) URL')}` };
		case 'pattern':
			return { path: at, kind: 'invalid', message: `${where} (${describeValue(error.data)}) does not match ${String(params.pattern)}` };
		case 'oneOf':
		case 'anyOf': {
			const branches = ((error.schema as JsonSchema[] | undefined) ?? []).map(describeBranch).join(' | ');
			const several = error.keyword === 'oneOf' && Array.isArray(params.passingSchemas);
			return several
				? { path: at, kind: 'invalid', message: `${where} matches more than one allowed shape; use exactly one of ${branches}` }
				: { path: at, kind: 'invalid', message: `${where} must have one of ${branches}` };
		}
		default:
			return { path: at, kind: 'invalid', message: `${where} ${error.message ?? 'is not valid'}` };
	}
}

const isUnder = (pointer: string, parent: string): boolean => pointer === parent || pointer.startsWith(`${parent}/`);

/**
 * Turns ajv's error list into issues, keeping only what explains the failure.
 *
 * A failed oneOf/anyOf reports the errors of *every* branch, most of which only say "this is not
 * that branch" (a missing discriminating property, or a `name` that is another branch's enum
 * value). Branches that failed that way are dropped; if a branch was clearly meant (it failed
 * only deeper down), its errors are reported; otherwise one "must have one of {…} | {…}" issue.
 */
function explain(errors: ErrorObject[], prefix: string): SpecIssue[] {
	type Item = { error: ErrorObject; issue?: SpecIssue };
	const out: Item[] = [];
	for (const error of errors) {
		// `if` only says "did not match then"; the `then` errors next to it say why. A discriminator's
		// own errors (tag missing or unknown) repeat the `required`/`enum` error of its dispatcher.
		if (error.keyword === 'if' || error.keyword === 'discriminator') continue;
		if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') {
			out.push({ error });
			continue;
		}
		const block = takeBranchErrors(out, error);
		const at = error.instancePath;
		const depth = at.split('/').length;
		const isShapeMiss = (item: Item): boolean =>
			(item.error.keyword === 'required' && item.error.instancePath === at) ||
			((item.error.keyword === 'enum' || item.error.keyword === 'const') && item.error.instancePath.split('/').length === depth + 1);
		const owner = block.map((item) => item.branch);
		const rejected = new Set(block.filter((item) => item.branch !== undefined && isShapeMiss(item)).map((item) => item.branch));
		// Errors reached through a $ref carry no branch index: give them to a branch that declares
		// the property they are under, preferring one not already ruled out.
		const branches = (error.schema as JsonSchema[] | undefined) ?? [];
		block.forEach((item, i) => {
			if (owner[i] !== undefined) return;
			const candidates = branchesDeclaring(branches, firstSegmentBelow(item.error.instancePath, at));
			owner[i] = candidates.find((k) => !rejected.has(k)) ?? candidates[0] ?? owner[i - 1];
		});
		const matchedSeveral = Array.isArray((error.params as Record<string, unknown>).passingSchemas);
		const meant = block.filter((item, i) => !isShapeMiss(item) && !rejected.has(owner[i]));
		if (meant.length > 0 && !matchedSeveral) {
			out.push(...meant);
		} else {
			const issue = issueFromError(error, prefix);
			if (block.length > 0 && block.every((item) => item.error.keyword === 'required')) issue.kind = 'missing';
			out.push({ error, issue });
		}
	}
	const seen = new Set<string>();
	const issues: SpecIssue[] = [];
	for (const item of out) {
		const issue = item.issue ?? issueFromError(item.error, prefix);
		if (seen.has(issue.message)) continue;
		seen.add(issue.message);
		issues.push(issue);
	}
	return issues;
}

/** The index N of a `<oneOf path>/N/…` schema path, if the error sits directly in a branch. */
function branchIndex(error: ErrorObject, combinator: ErrorObject): number | undefined {
	const prefix = `${combinator.schemaPath}/`;
	if (!error.schemaPath.startsWith(prefix)) return undefined;
	const index = parseInt(error.schemaPath.slice(prefix.length), 10);
	return Number.isNaN(index) ? undefined : index;
}

function firstSegmentBelow(pointer: string, parent: string): string {
	return pointer.length > parent.length ? pointer.slice(parent.length + 1).split('/')[0] : '';
}

function branchesDeclaring(branches: JsonSchema[], property: string): number[] {
	if (property === '') return [];
	return branches.flatMap((branch, k) => (Object.prototype.hasOwnProperty.call(branch.properties ?? {}, property) ? [k] : []));
}

/**
 * Removes and returns the errors of a failed oneOf/anyOf's branches. ajv reports them just before
 * the combinator's own error: the trailing run of errors at or below its instance path, minus any
 * leading errors that neither sit in a branch nor fall under a property a branch declares (those
 * come from sibling keywords of the same schema).
 */
function takeBranchErrors<T extends { error: ErrorObject }>(out: T[], combinator: ErrorObject): Array<T & { branch?: number }> {
	const at = combinator.instancePath;
	const branches = (combinator.schema as JsonSchema[] | undefined) ?? [];
	let start = out.length;
	while (start > 0 && isUnder(out[start - 1].error.instancePath, at)) start--;
	while (
		start < out.length &&
		branchIndex(out[start].error, combinator) === undefined &&
		branchesDeclaring(branches, firstSegmentBelow(out[start].error.instancePath, at)).length === 0
	) {
		start++;
	}
	return out.splice(start).map((item) => ({ ...item, branch: branchIndex(item.error, combinator) }));
}

function result(issues: SpecIssue[]): SpecResult {
	return { valid: issues.length === 0, errors: issues.map((issue) => issue.message), issues };
}

function runSchema(set: 'send' | 'webhook', name: string, data: unknown, prefix = ''): SpecIssue[] {
	if (validatorsFor(set, name).fast(data)) return [];
	return explain(detailedErrors(set, name, data), prefix);
}


// ---------------------------------------------------------------------------------------------
// Public validators
// ---------------------------------------------------------------------------------------------

export const SEND_MESSAGE_TYPES = Object.keys(SEND_SCHEMA_BY_TYPE);

/** Is this a mark-as-read / typing-indicator body rather than a message? */
export function isMarkAsReadBody(body: unknown): boolean {
	return isRecord(body) && body.status !== undefined && body.type === undefined;
}

/**
 * Checks a `POST /messages` body against the spec (with `SPEC_DEVIATIONS` applied).
 * Only the spec: the length/count limits of Meta's message docs that the spec lacks are checked by the
 * emulator's `checkSendRules` (test/emulator/sendRules.ts).
 */
export function validateSendBody(body: unknown): SpecResult {
	if (!isRecord(body)) return result([{ path: '', kind: 'invalid', message: `the body must be a JSON object, not ${describeValue(body)}` }]);
	if (isMarkAsReadBody(body)) return result(runSchema('send', MARK_READ_SCHEMA, body));
	if (body.type === undefined) return result([{ path: 'type', kind: 'missing', message: 'type is required' }]);
	const schema = typeof body.type === 'string' ? SEND_SCHEMA_BY_TYPE[body.type] : undefined;
	if (!schema) {
		return result([
			{ path: 'type', kind: 'invalid', message: `type is ${describeValue(body.type)}; expected one of ${SEND_MESSAGE_TYPES.map((t) => `"${t}"`).join(', ')}` },
		]);
	}
	return result(runSchema('send', schema, body));
}

/** Checks a `POST /marketing_messages` body (a template message with the Marketing Messages API's own fields). */
export function validateMarketingMessageBody(body: unknown): SpecResult {
	if (!isRecord(body)) return result([{ path: '', kind: 'invalid', message: `the body must be a JSON object, not ${describeValue(body)}` }]);
	return result(runSchema('send', MARKETING_MESSAGE_SCHEMA, body));
}

/** Checks a business profile update body against Meta's `WhatsAppBusinessProfileUpdateRequest`. */
export function validateProfileUpdateBody(body: unknown): SpecResult {
	return result(runSchema('send', PROFILE_UPDATE_SCHEMA, body));
}

/**
 * Checks a webhook envelope: the envelope itself, then every `value.metadata`, `contacts[]`,
 * `messages[]` (by type) and `statuses[]` against the spec's webhook schemas. Changes whose
 * `field` is not "messages" are not checked (the spec has no schemas for them).
 */
export function validateWebhookPayload(payload: unknown): SpecResult {
	const issues: SpecIssue[] = [];
	const problem = (at: string, kind: SpecIssueKind, message: string): void => void issues.push({ path: at, kind, message });
	if (!isRecord(payload)) return result([{ path: '', kind: 'invalid', message: 'the payload must be a JSON object' }]);
	if (payload.object !== 'whatsapp_business_account') problem('object', 'invalid', `object is ${describeValue(payload.object)}; expected "whatsapp_business_account"`);
	if (!Array.isArray(payload.entry)) return result([...issues, { path: 'entry', kind: 'missing', message: 'entry must be an array' }]);
	payload.entry.forEach((entry: unknown, e) => {
		const entryAt = `entry[${e}]`;
		if (!isRecord(entry)) return problem(entryAt, 'invalid', `${entryAt} must be an object`);
		if (typeof entry.id !== 'string') problem(`${entryAt}.id`, 'missing', `${entryAt}.id must be a string`);
		if (!Array.isArray(entry.changes)) return problem(`${entryAt}.changes`, 'missing', `${entryAt}.changes must be an array`);
		entry.changes.forEach((change: unknown, c) => {
			const changeAt = `${entryAt}.changes[${c}]`;
			if (!isRecord(change)) return problem(changeAt, 'invalid', `${changeAt} must be an object`);
			if (typeof change.field !== 'string') problem(`${changeAt}.field`, 'missing', `${changeAt}.field must be a string`);
			if (typeof change.field === 'string' && GROUP_FIELDS.has(change.field)) {
				issues.push(...runSchema('webhook', 'GroupValue', change.value, `${changeAt}.value`));
				return;
			}
			if (change.field !== 'messages') return;
			const value = change.value;
			const valueAt = `${changeAt}.value`;
			if (!isRecord(value)) return problem(valueAt, 'missing', `${valueAt} must be an object`);
			if (value.messaging_product !== 'whatsapp') problem(`${valueAt}.messaging_product`, 'invalid', `${valueAt}.messaging_product must be "whatsapp"`);
			issues.push(...runSchema('webhook', 'Metadata', value.metadata, `${valueAt}.metadata`));
			const list = (key: string): unknown[] => {
				const items = value[key];
				if (items === undefined) return [];
				if (Array.isArray(items)) return items;
				problem(`${valueAt}.${key}`, 'invalid', `${valueAt}.${key} must be an array`);
				return [];
			};
			list('contacts').forEach((contact, i) => issues.push(...runSchema('webhook', 'ContactProfile', contact, `${valueAt}.contacts[${i}]`)));
			list('statuses').forEach((status, i) => issues.push(...runSchema('webhook', 'Statuses', status, `${valueAt}.statuses[${i}]`)));
			list('messages').forEach((message, i) => {
				const type = isRecord(message) && typeof message.type === 'string' ? message.type : undefined;
				const schema = (type && WEBHOOK_MESSAGE_SCHEMA_BY_TYPE[type]) || WEBHOOK_BASE_MESSAGE_SCHEMA;
				issues.push(...runSchema('webhook', schema, message, `${valueAt}.messages[${i}]`));
			});
			if (value.messages === undefined && value.statuses === undefined && value.errors === undefined) {
				problem(valueAt, 'missing', `${valueAt} has neither messages, statuses nor errors`);
			}
		});
	});
	return result(issues);
}
