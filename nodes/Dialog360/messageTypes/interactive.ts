/**
 * Interactive messages (API digest §2.9): reply buttons, list, CTA URL, Flow, location request,
 * single product and product list. One "Interactive Type" sub-option picks the variant; every
 * variant shows only its own fields.
 *
 * Decisions (documented in the field descriptions too):
 * - A button or row ID left empty defaults to its title, so simple forms need no IDs. IDs are
 *   trimmed (WhatsApp rejects leading/trailing spaces) and checked for uniqueness after that.
 * - A Flow Token left empty is sent as "unused", the value Meta documents as the default, so the
 *   body is explicit and the same on every API version.
 * - Product list sections always need a title (the product list shows them as headings).
 * - Location request messages carry only a body (Meta: "body text and a send location button").
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import {
	FieldError,
	httpsUrl,
	jsonObject,
	parseJsonText,
	maxLength,
	optionalText,
	requiredText,
} from '../../shared/validation';
import type { MessageTypeModule, ParamReader } from './types';

export const INTERACTIVE_LIMITS = {
	headerText: 60,
	bodyText: 1024,
	footerText: 60,
	buttons: 3,
	buttonTitle: 20,
	buttonId: 256,
	listButton: 20,
	sections: 10,
	rows: 10,
	sectionTitle: 24,
	rowId: 200,
	rowTitle: 24,
	rowDescription: 72,
	ctaDisplayText: 20,
	flowCta: 20,
	products: 30,
} as const;

/** Sent when the Flow Token field is empty: Meta's documented default. */
export const DEFAULT_FLOW_TOKEN = 'unused';

export type InteractiveVariant =
	| 'button'
	| 'list'
	| 'cta_url'
	| 'flow'
	| 'location_request_message'
	| 'product'
	| 'product_list';

const VARIANTS: InteractiveVariant[] = [
	'button',
	'list',
	'cta_url',
	'flow',
	'location_request_message',
	'product',
	'product_list',
];

const L = INTERACTIVE_LIMITS;

// ---------------------------------------------------------------------------------------------
// Form
// ---------------------------------------------------------------------------------------------

const show = (...types: InteractiveVariant[]) => ({ show: { interactiveType: types } });

const sectionsModeOptions = [
	{ name: 'Using Fields Below', value: 'fields', description: 'Fill in sections and rows one by one' },
	{
		name: 'Using JSON',
		value: 'json',
		description: 'Map the sections from your data with an expression that returns the sections array',
	},
];

const properties: INodeProperties[] = [
	{
		displayName: 'Interactive Type',
		name: 'interactiveType',
		type: 'options',
		noDataExpression: true,
		default: 'button',
		options: [
			{
				name: 'CTA URL',
				value: 'cta_url',
				description: 'One button that opens a web page (https link)',
			},
			{
				name: 'Flow',
				value: 'flow',
				description: 'One button that opens a WhatsApp Flow (a form inside the chat)',
			},
			{
				name: 'List',
				value: 'list',
				description: 'A button that opens a menu of up to 10 choices, grouped in sections',
			},
			{
				name: 'Location Request',
				value: 'location_request_message',
				description: 'Asks the customer to share their location with one tap',
			},
			{
				name: 'Product',
				value: 'product',
				description: 'One product from the catalog linked to your WhatsApp account',
			},
			{
				name: 'Product List',
				value: 'product_list',
				description: 'Up to 30 products from your catalog, grouped in sections',
			},
			{
				name: 'Reply Buttons',
				value: 'button',
				description: 'Up to 3 quick-reply buttons under the message',
			},
		],
		description:
			'Which kind of interactive message to send. Interactive messages can only be sent within 24 hours of the customer’s last message; use a template otherwise.',
	},

	// --- Header ---------------------------------------------------------------------------------
	{
		displayName: 'Header',
		name: 'interactiveHeaderType',
		type: 'options',
		noDataExpression: true,
		default: 'none',
		options: [
			{ name: 'Document', value: 'document', description: 'A PDF or office document above the text' },
			{ name: 'Image', value: 'image', description: 'A JPEG or PNG image (up to 5 MB) above the text' },
			{ name: 'None', value: 'none', description: 'No header' },
			{ name: 'Text', value: 'text', description: 'A bold line of text (up to 60 characters)' },
			{ name: 'Video', value: 'video', description: 'An MP4 or 3GP video (up to 16 MB) above the text' },
		],
		description: 'Optional header shown above the body text',
		displayOptions: show('button', 'cta_url'),
	},
	{
		displayName: 'Header Text',
		name: 'interactiveHeaderText',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Your order',
		description: 'Up to 60 characters, shown in bold above the body. Emojis work, formatting does not.',
		displayOptions: { show: { interactiveType: ['button', 'cta_url'], interactiveHeaderType: ['text'] } },
	},
	{
		displayName: 'Header Text',
		name: 'interactiveHeaderText',
		type: 'string',
		default: '',
		placeholder: 'Our menu',
		description:
			'Optional, up to 60 characters, shown in bold above the body. Only a text header is possible for this type.',
		displayOptions: show('list', 'flow'),
	},
	{
		displayName: 'Header Text',
		name: 'interactiveHeaderText',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Summer collection',
		description: 'Required for product lists: up to 60 characters, shown in bold above the body',
		displayOptions: show('product_list'),
	},
	{
		displayName: 'Header Media From',
		name: 'interactiveHeaderMediaSource',
		type: 'options',
		noDataExpression: true,
		default: 'link',
		options: [
			{ name: 'Media ID', value: 'id', description: 'The ID of a file uploaded earlier with the 360dialog Media node' },
			{ name: 'URL', value: 'link', description: 'A public https:// link WhatsApp can download the file from' },
		],
		description: 'Where WhatsApp gets the header file',
		displayOptions: {
			show: { interactiveType: ['button', 'cta_url'], interactiveHeaderType: ['image', 'video', 'document'] },
		},
	},
	{
		displayName: 'Header Media URL',
		name: 'interactiveHeaderMediaLink',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/images/offer.jpg',
		description:
			'Public https:// link to the file. Images: JPEG/PNG up to 5 MB; videos: MP4/3GP up to 16 MB; documents: PDF or office files up to 100 MB.',
		displayOptions: {
			show: {
				interactiveType: ['button', 'cta_url'],
				interactiveHeaderType: ['image', 'video', 'document'],
				interactiveHeaderMediaSource: ['link'],
			},
		},
	},
	{
		displayName: 'Header Media ID',
		name: 'interactiveHeaderMediaId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1037543291543636',
		description: 'The media ID returned when the file was uploaded (e.g. by the 360dialog Media node)',
		displayOptions: {
			show: {
				interactiveType: ['button', 'cta_url'],
				interactiveHeaderType: ['image', 'video', 'document'],
				interactiveHeaderMediaSource: ['id'],
			},
		},
	},

	// --- Body and footer ------------------------------------------------------------------------
	{
		displayName: 'Body Text',
		name: 'interactiveBodyText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'Hi {{ $json.firstName }}, how would you like to continue?',
		description:
			'The main message, up to 1024 characters. WhatsApp formatting works: *bold*, _italic_, ~strikethrough~.',
		displayOptions: show('button', 'list', 'cta_url', 'flow', 'location_request_message', 'product_list'),
	},
	{
		displayName: 'Body Text',
		name: 'interactiveBodyText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'Our bestseller, back in stock',
		description: 'Optional text under the product, up to 1024 characters',
		displayOptions: show('product'),
	},
	{
		displayName: 'Footer Text',
		name: 'interactiveFooterText',
		type: 'string',
		default: '',
		placeholder: 'Reply STOP to opt out',
		description: 'Optional small grey text under the body, up to 60 characters',
		displayOptions: show('button', 'list', 'cta_url', 'flow', 'product', 'product_list'),
	},

	// --- Reply buttons --------------------------------------------------------------------------
	{
		displayName: 'Buttons',
		name: 'interactiveButtons',
		type: 'fixedCollection',
		placeholder: 'Add Button',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		required: true,
		description:
			'1 to 3 buttons. The customer’s tap arrives in the 360dialog Trigger as a reply carrying the button ID.',
		displayOptions: show('button'),
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'Yes, please',
						description: 'The button label, up to 20 characters; each button needs a different title',
					},
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						placeholder: 'confirm_yes',
						description:
							'Up to 256 characters, different for each button; you get it back when the customer taps. Leave empty to use the title. Spaces at the start or end are removed.',
					},
				],
			},
		],
	},

	// --- List -----------------------------------------------------------------------------------
	{
		displayName: 'Button Text',
		name: 'interactiveListButtonText',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'See options',
		description: 'Label of the button that opens the list, up to 20 characters',
		displayOptions: show('list'),
	},
	{
		displayName: 'Specify Sections',
		name: 'interactiveListSectionsMode',
		type: 'options',
		noDataExpression: true,
		default: 'fields',
		options: sectionsModeOptions,
		description: 'How to give the sections and rows of the list',
		displayOptions: show('list'),
	},
	{
		displayName: 'Sections',
		name: 'interactiveListSections',
		type: 'fixedCollection',
		placeholder: 'Add Section',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		required: true,
		description:
			'1 to 10 sections with at most 10 rows in total. With more than one section, every section needs a title.',
		displayOptions: { show: { interactiveType: ['list'], interactiveListSectionsMode: ['fields'] } },
		options: [
			{
				displayName: 'Section',
				name: 'section',
				values: [
					{
						displayName: 'Section Title',
						name: 'title',
						type: 'string',
						default: '',
						placeholder: 'Pizzas',
						description: 'Up to 24 characters. Required when the list has more than one section.',
					},
					{
						displayName: 'Rows',
						name: 'rows',
						type: 'fixedCollection',
						placeholder: 'Add Row',
						typeOptions: { multipleValues: true, sortable: true },
						default: {},
						description: 'The choices in this section (at least 1; at most 10 in the whole list)',
						options: [
							{
								displayName: 'Row',
								name: 'row',
								values: [
									{
										displayName: 'Row Title',
										name: 'title',
										type: 'string',
										default: '',
										required: true,
										placeholder: 'Margherita',
										description: 'The choice as the customer sees it, up to 24 characters',
									},
									{
										displayName: 'Row ID',
										name: 'id',
										type: 'string',
										default: '',
										placeholder: 'pizza_margherita',
										description:
											'Up to 200 characters, different for every row of the list; you get it back when the customer picks the row. Leave empty to use the title. Spaces at the start or end are removed.',
									},
									{
										displayName: 'Description',
										name: 'description',
										type: 'string',
										default: '',
										placeholder: 'Tomato, mozzarella, basil',
										description: 'Optional grey text under the row title, up to 72 characters',
									},
								],
							},
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Sections (JSON)',
		name: 'interactiveListSectionsJson',
		type: 'json',
		default: '',
		required: true,
		// No inline eslint-disable here: n8n's package scanner ignores them, and its ID casing rule would flag
		// the lowercase JSON key. The row ID key is therefore described, not quoted.
		placeholder: '[{ "title": "Pizzas", "rows": [{ "title": "Margherita", "description": "Tomato, mozzarella" }] }]',
		description:
			'An array of sections, each {"title", "rows": [{"title", "description"}]}; a row may also carry its row ID under the key ID written in lowercase (without it, the title is the row ID). Same limits as the form: 1–10 sections, at most 10 rows in total, row title ≤ 24, row ID ≤ 200 and unique, description ≤ 72, section title ≤ 24 (required with more than one section).',
		hint: 'Tip: use an expression such as {{ $json.sections }} to map sections from earlier nodes',
		displayOptions: { show: { interactiveType: ['list'], interactiveListSectionsMode: ['json'] } },
	},

	// --- CTA URL --------------------------------------------------------------------------------
	{
		displayName: 'Button Text',
		name: 'interactiveCtaDisplayText',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Track order',
		description: 'Label of the button, up to 20 characters',
		displayOptions: show('cta_url'),
	},
	{
		displayName: 'URL',
		name: 'interactiveCtaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/orders/{{ $json.orderId }}',
		description: 'The https:// page the button opens',
		displayOptions: show('cta_url'),
	},

	// --- Flow -----------------------------------------------------------------------------------
	{
		displayName: 'Identify Flow By',
		name: 'interactiveFlowIdentifier',
		type: 'options',
		noDataExpression: true,
		default: 'id',
		options: [
			{ name: 'Flow ID', value: 'id', description: 'The numeric ID shown in WhatsApp Manager → Flows' },
			{ name: 'Flow Name', value: 'name', description: 'The name you gave the Flow in WhatsApp Manager' },
		],
		description: 'Whether to name the Flow by its ID or its name',
		displayOptions: show('flow'),
	},
	{
		displayName: 'Flow ID',
		name: 'interactiveFlowId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1234567890123456',
		description: 'The ID of the Flow, from WhatsApp Manager → Account tools → Flows',
		displayOptions: { show: { interactiveType: ['flow'], interactiveFlowIdentifier: ['id'] } },
	},
	{
		displayName: 'Flow Name',
		name: 'interactiveFlowName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'appointment_booking',
		description: 'The name of the Flow exactly as in WhatsApp Manager',
		displayOptions: { show: { interactiveType: ['flow'], interactiveFlowIdentifier: ['name'] } },
	},
	{
		displayName: 'Button Text',
		name: 'interactiveFlowCta',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Book now',
		description: 'Label of the button that opens the Flow, up to 20 characters, no emoji',
		displayOptions: show('flow'),
	},
	{
		displayName: 'Flow Mode',
		name: 'interactiveFlowMode',
		type: 'options',
		default: 'published',
		options: [
			{ name: 'Draft', value: 'draft', description: 'For testing a Flow that is not published yet' },
			{ name: 'Published', value: 'published', description: 'For a published Flow' },
		],
		description: 'Unpublished Flows can only be sent as Draft (otherwise WhatsApp answers error 131009)',
		displayOptions: show('flow'),
	},
	{
		displayName: 'Flow Action',
		name: 'interactiveFlowAction',
		type: 'options',
		noDataExpression: true,
		default: 'navigate',
		options: [
			{
				name: 'Data Exchange',
				value: 'data_exchange',
				description: 'Your Flow endpoint decides the first screen and its data',
			},
			{ name: 'Navigate', value: 'navigate', description: 'Open a screen of the Flow, optionally with data' },
		],
		description: 'How the Flow starts',
		displayOptions: show('flow'),
	},
	{
		displayName: 'First Screen',
		name: 'interactiveFlowScreen',
		type: 'string',
		default: '',
		placeholder: 'WELCOME_SCREEN',
		description:
			'The ID of the screen to open first. Leave empty to open the Flow’s entry screen. Required when Initial Data is set.',
		displayOptions: { show: { interactiveType: ['flow'], interactiveFlowAction: ['navigate'] } },
	},
	{
		displayName: 'Initial Data (JSON)',
		name: 'interactiveFlowData',
		type: 'json',
		default: '',
		placeholder: '{ "customer_name": "Ana", "order_id": "A-1001" }',
		description:
			'Optional data for the first screen, as a JSON object with at least one field. Leave empty for none.',
		displayOptions: { show: { interactiveType: ['flow'], interactiveFlowAction: ['navigate'] } },
	},
	{
		displayName: 'Flow Token',
		name: 'interactiveFlowReference',
		type: 'string',
		default: '',
		placeholder: 'booking-{{ $json.customerId }}',
		description:
			'Your own reference for this Flow session; it comes back with the customer’s answers so you can match them. Leave empty to send "unused".',
		displayOptions: show('flow'),
	},

	// --- Product and product list ---------------------------------------------------------------
	{
		displayName: 'Catalog ID',
		name: 'interactiveCatalogId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '367025965434465',
		description: 'The ID of the catalog linked to your WhatsApp Business Account (Commerce Manager)',
		displayOptions: show('product', 'product_list'),
	},
	{
		displayName: 'Product Retailer ID',
		name: 'interactiveProductRetailerId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'SKU-12345',
		description: 'The product’s Content ID / SKU in the catalog',
		displayOptions: show('product'),
	},
	{
		displayName: 'Specify Sections',
		name: 'interactiveProductSectionsMode',
		type: 'options',
		noDataExpression: true,
		default: 'fields',
		options: sectionsModeOptions,
		description: 'How to give the sections and products of the list',
		displayOptions: show('product_list'),
	},
	{
		displayName: 'Sections',
		name: 'interactiveProductSections',
		type: 'fixedCollection',
		placeholder: 'Add Section',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		required: true,
		description: '1 to 10 sections, each with a title, and at most 30 products in total',
		displayOptions: { show: { interactiveType: ['product_list'], interactiveProductSectionsMode: ['fields'] } },
		options: [
			{
				displayName: 'Section',
				name: 'section',
				values: [
					{
						displayName: 'Section Title',
						name: 'title',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'New arrivals',
						description: 'Up to 24 characters',
					},
					{
						displayName: 'Product Retailer IDs',
						name: 'productRetailerIds',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'SKU-1, SKU-2, SKU-3',
						description:
							'The products’ Content IDs / SKUs, separated by commas or new lines (an expression may also return a list)',
					},
				],
			},
		],
	},
	{
		displayName: 'Sections (JSON)',
		name: 'interactiveProductSectionsJson',
		type: 'json',
		default: '',
		required: true,
		placeholder: '[{ "title": "New arrivals", "product_items": [{ "product_retailer_id": "SKU-1" }] }]',
		description:
			'An array of sections, each {"title", "product_items": [{"product_retailer_id"}]}. Same limits as the form: 1–10 sections, each with a title of up to 24 characters, at most 30 products in total.',
		hint: 'Tip: use an expression such as {{ $json.sections }} to map sections from earlier nodes',
		displayOptions: { show: { interactiveType: ['product_list'], interactiveProductSectionsMode: ['json'] } },
	},
];

// ---------------------------------------------------------------------------------------------
// Reading values
// ---------------------------------------------------------------------------------------------

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : JSON.stringify(value);
}

/** Text from a form field or JSON value: strings as they are, numbers/booleans as text. */
function asText(field: string, value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new FieldError(field, `${field} must be text, not ${describe(value)}`);
}

/** Required single-line text within a limit, trimmed. */
function requiredLabel(field: string, value: unknown, limit: number): string {
	return requiredText(field, asText(field, value).trim(), limit);
}

/** Optional single-line text within a limit, trimmed; undefined when empty. */
function optionalLabel(field: string, value: unknown, limit: number): string | undefined {
	return optionalText(field, asText(field, value).trim(), limit);
}

/** A required identifier (catalog, product, Flow): trimmed. */
function requiredId(field: string, value: unknown): string {
	const id = asText(field, value).trim();
	if (id === '') throw new FieldError(field, `${field} is required`);
	return id;
}

/** An ID: trimmed; empty falls back to the title. */
function idOrTitle(field: string, value: unknown, title: string, limit: number): string {
	const id = asText(field, value).trim();
	return maxLength(field, id === '' ? title : id, limit);
}

/** Rejects duplicates, naming both entries: `Row 3 ID repeats "r1" of Row 1; each must be unique`. */
function assertUnique(entries: Array<{ label: string; value: string }>, what: string): void {
	const first = new Map<string, string>();
	for (const { label, value } of entries) {
		const earlier = first.get(value);
		if (earlier !== undefined) {
			throw new FieldError(`${label} ${what}`, `${label} ${what} repeats "${value}" of ${earlier}; each must be unique`);
		}
		first.set(value, label);
	}
}

/** A JSON input that must hold an array (or `{ [key]: [...] }`); parse errors are returned, then thrown. */
function jsonArray(field: string, value: unknown, key: string): unknown[] {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') throw new FieldError(field, `${field} is required`);
		parsed = parseJsonText(field, value);
	}
	if (parsed === undefined || parsed === null) throw new FieldError(field, `${field} is required`);
	if (!Array.isArray(parsed) && typeof parsed === 'object' && Array.isArray((parsed as IDataObject)[key])) {
		parsed = (parsed as IDataObject)[key];
	}
	if (!Array.isArray(parsed)) {
		throw new FieldError(field, `${field} must be an array of sections, not ${describe(parsed)}`);
	}
	return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** For JSON input: each entry must be an object with only the known keys. */
function checkEntry(field: string, label: string, entry: unknown, known: string[]): Record<string, unknown> {
	if (!isRecord(entry)) {
		throw new FieldError(field, `${label} must be an object with ${known.map((k) => `"${k}"`).join(', ')}; got ${describe(entry)}`);
	}
	const unknown = Object.keys(entry).find((key) => !known.includes(key));
	if (unknown !== undefined) {
		throw new FieldError(
			field,
			`${label} has an unknown field "${unknown}"; use ${known.map((k) => `"${k}"`).join(', ')}`,
		);
	}
	return entry;
}

/** Entries of a multipleValues fixedCollection, e.g. `{ button: [...] }` → `[...]`. */
function collectionEntries(value: unknown, key: string): Array<Record<string, unknown>> {
	if (!isRecord(value)) return [];
	const entries = value[key];
	if (Array.isArray(entries)) return entries.filter(isRecord);
	return isRecord(entries) ? [entries] : [];
}

// ---------------------------------------------------------------------------------------------
// Parts shared by the variants
// ---------------------------------------------------------------------------------------------

type MediaHeaderKind = 'image' | 'video' | 'document';

function textHeader(text: string): IDataObject {
	return { type: 'text', text };
}

/** Header of reply buttons and CTA URL: none, text, or image/video/document by link or media ID. */
function flexibleHeader(context: ParamReader): IDataObject | undefined {
	const type = context.get<string>('interactiveHeaderType', 'none');
	if (type === 'none' || type === '') return undefined;
	if (type === 'text') {
		return textHeader(requiredText('Header Text', asText('Header Text', context.get('interactiveHeaderText', '')), L.headerText));
	}
	if (type !== 'image' && type !== 'video' && type !== 'document') {
		throw new FieldError('Header', `Header "${type}" is not supported; use None, Text, Image, Video or Document`);
	}
	const kind: MediaHeaderKind = type;
	const source = context.get<string>('interactiveHeaderMediaSource', 'link');
	if (source === 'id') {
		const id = asText('Header Media ID', context.get('interactiveHeaderMediaId', '')).trim();
		if (id === '') throw new FieldError('Header Media ID', 'Header Media ID is required');
		if (/\s/.test(id)) throw new FieldError('Header Media ID', `Header Media ID "${id}" is not a media ID: it contains spaces`);
		return { type: kind, [kind]: { id } };
	}
	const link = httpsUrl('Header Media URL', context.get('interactiveHeaderMediaLink', ''));
	return { type: kind, [kind]: { link } };
}

function optionalTextHeader(context: ParamReader): IDataObject | undefined {
	const text = optionalText('Header Text', asText('Header Text', context.get('interactiveHeaderText', '')), L.headerText);
	return text === undefined ? undefined : textHeader(text);
}

function requiredBody(context: ParamReader): IDataObject {
	return { text: requiredText('Body Text', asText('Body Text', context.get('interactiveBodyText', '')), L.bodyText) };
}

function optionalBody(context: ParamReader): IDataObject | undefined {
	const text = optionalText('Body Text', asText('Body Text', context.get('interactiveBodyText', '')), L.bodyText);
	return text === undefined ? undefined : { text };
}

function optionalFooter(context: ParamReader): IDataObject | undefined {
	const text = optionalText('Footer Text', asText('Footer Text', context.get('interactiveFooterText', '')), L.footerText);
	return text === undefined ? undefined : { text };
}

/** `{type, header?, body?, footer?, action}` without undefined members. */
function interactive(
	type: InteractiveVariant,
	parts: { header?: IDataObject; body?: IDataObject; footer?: IDataObject; action: IDataObject },
): IDataObject {
	return {
		type: 'interactive',
		interactive: {
			type,
			...(parts.header ? { header: parts.header } : {}),
			...(parts.body ? { body: parts.body } : {}),
			...(parts.footer ? { footer: parts.footer } : {}),
			action: parts.action,
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Reply buttons
// ---------------------------------------------------------------------------------------------

function replyButtons(context: ParamReader): IDataObject[] {
	const entries = collectionEntries(context.get('interactiveButtons', {}), 'button');
	if (entries.length === 0) throw new FieldError('Buttons', 'Buttons needs at least 1 button; add one with "Add Button"');
	if (entries.length > L.buttons) {
		throw new FieldError('Buttons', `Buttons has ${entries.length} buttons; WhatsApp allows ${L.buttons}`);
	}
	const buttons = entries.map((entry, index) => {
		const label = `Button ${index + 1}`;
		const title = requiredLabel(`${label} Title`, entry.title, L.buttonTitle);
		const id = idOrTitle(`${label} ID`, entry.id, title, L.buttonId);
		return { label, title, id };
	});
	assertUnique(buttons.map((b) => ({ label: b.label, value: b.title })), 'Title');
	assertUnique(buttons.map((b) => ({ label: b.label, value: b.id })), 'ID');
	return buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } }));
}

// ---------------------------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------------------------

interface RawListSection {
	title: unknown;
	rows: Array<Record<string, unknown>>;
}

function listSectionsFromForm(value: unknown): RawListSection[] {
	return collectionEntries(value, 'section').map((section) => ({
		title: section.title,
		rows: collectionEntries(section.rows, 'row'),
	}));
}

function listSectionsFromJson(field: string, value: unknown): RawListSection[] {
	return jsonArray(field, value, 'sections').map((entry, s) => {
		const section = checkEntry(field, `Section ${s + 1}`, entry, ['title', 'rows']);
		const rows = section.rows ?? [];
		if (!Array.isArray(rows)) {
			throw new FieldError(field, `Section ${s + 1} "rows" must be a list of rows, not ${describe(rows)}`);
		}
		return {
			title: section.title,
			rows: rows.map((row, r) => checkEntry(field, `Section ${s + 1} Row ${r + 1}`, row, ['id', 'title', 'description'])),
		};
	});
}

/** Validates list sections (from the form or JSON) with Meta's rules and builds them. */
function buildListSections(sections: RawListSection[]): IDataObject[] {
	if (sections.length === 0) throw new FieldError('Sections', 'List needs at least 1 section with at least 1 row');
	if (sections.length > L.sections) {
		throw new FieldError('Sections', `List has ${sections.length} sections; WhatsApp allows ${L.sections}`);
	}
	const totalRows = sections.reduce((sum, section) => sum + section.rows.length, 0);
	if (totalRows > L.rows) {
		throw new FieldError('Sections', `List has ${totalRows} rows; WhatsApp allows ${L.rows} in total`);
	}
	const several = sections.length > 1;
	const ids: Array<{ label: string; value: string }> = [];
	const built = sections.map((section, s) => {
		const name = `Section ${s + 1}`;
		const title = several
			? requiredTitle(`${name} Title`, section.title, 'the list has more than one section')
			: optionalLabel(`${name} Title`, section.title, L.sectionTitle);
		if (section.rows.length === 0) throw new FieldError(`${name} Rows`, `${name} has no rows; add at least 1 row`);
		const rows = section.rows.map((row, r) => {
			const label = several ? `${name} Row ${r + 1}` : `Row ${r + 1}`;
			const rowTitle = requiredLabel(`${label} Title`, row.title, L.rowTitle);
			const id = idOrTitle(`${label} ID`, row.id, rowTitle, L.rowId);
			const description = optionalLabel(`${label} Description`, row.description, L.rowDescription);
			ids.push({ label, value: id });
			return { id, title: rowTitle, ...(description !== undefined ? { description } : {}) };
		});
		return { ...(title !== undefined ? { title } : {}), rows };
	});
	assertUnique(ids, 'ID');
	return built;
}

function requiredTitle(field: string, value: unknown, when: string): string {
	const title = asText(field, value).trim();
	if (title === '') throw new FieldError(field, `${field} is required when ${when}`);
	return maxLength(field, title, L.sectionTitle);
}

function listAction(context: ParamReader): IDataObject {
	const button = requiredLabel('Button Text', context.get('interactiveListButtonText', ''), L.listButton);
	const mode = context.get<string>('interactiveListSectionsMode', 'fields');
	const sections =
		mode === 'json'
			? buildListSections(listSectionsFromJson('Sections (JSON)', context.get('interactiveListSectionsJson', '')))
			: buildListSections(listSectionsFromForm(context.get('interactiveListSections', {})));
	return { button, sections };
}

// ---------------------------------------------------------------------------------------------
// Product list
// ---------------------------------------------------------------------------------------------

interface RawProductSection {
	title: unknown;
	productIds: unknown[];
}

/** "SKU-1, SKU-2\nSKU-3" or ["SKU-1", ...] → the ids as entered (empty entries dropped). */
function splitIds(value: unknown): unknown[] {
	if (Array.isArray(value)) return value.filter((id) => !(typeof id === 'string' && id.trim() === ''));
	if (value === undefined || value === null) return [];
	if (typeof value !== 'string') return [value];
	return value
		.split(/[\n,;]/)
		.map((id) => id.trim())
		.filter((id) => id !== '');
}

function productSectionsFromForm(value: unknown): RawProductSection[] {
	return collectionEntries(value, 'section').map((section) => ({
		title: section.title,
		productIds: splitIds(section.productRetailerIds),
	}));
}

function productSectionsFromJson(field: string, value: unknown): RawProductSection[] {
	return jsonArray(field, value, 'sections').map((entry, s) => {
		const section = checkEntry(field, `Section ${s + 1}`, entry, ['title', 'product_items']);
		const items = section.product_items ?? [];
		if (!Array.isArray(items)) {
			throw new FieldError(field, `Section ${s + 1} "product_items" must be a list of products, not ${describe(items)}`);
		}
		return {
			title: section.title,
			productIds: items.map(
				(item, p) => checkEntry(field, `Section ${s + 1} Product ${p + 1}`, item, ['product_retailer_id']).product_retailer_id,
			),
		};
	});
}

/** Validates product list sections (from the form or JSON) with Meta's rules and builds them. */
function buildProductSections(sections: RawProductSection[]): IDataObject[] {
	if (sections.length === 0) throw new FieldError('Sections', 'Product List needs at least 1 section with at least 1 product');
	if (sections.length > L.sections) {
		throw new FieldError('Sections', `Product List has ${sections.length} sections; WhatsApp allows ${L.sections}`);
	}
	const total = sections.reduce((sum, section) => sum + section.productIds.length, 0);
	if (total > L.products) {
		throw new FieldError('Sections', `Product List has ${total} products; WhatsApp allows ${L.products} in total`);
	}
	return sections.map((section, s) => {
		const name = `Section ${s + 1}`;
		const title = requiredLabel(`${name} Title`, section.title, L.sectionTitle);
		if (section.productIds.length === 0) {
			throw new FieldError(`${name} Product Retailer IDs`, `${name} has no products; add at least 1 product retailer ID`);
		}
		const productItems = section.productIds.map((id, p) => {
			const field = `${name} Product ${p + 1}`;
			const text = asText(field, id).trim();
			if (text === '') throw new FieldError(field, `${field} has an empty product retailer ID`);
			return { product_retailer_id: text };
		});
		return { title, product_items: productItems };
	});
}

function productListAction(context: ParamReader, catalogId: string): IDataObject {
	const mode = context.get<string>('interactiveProductSectionsMode', 'fields');
	const sections =
		mode === 'json'
			? buildProductSections(productSectionsFromJson('Sections (JSON)', context.get('interactiveProductSectionsJson', '')))
			: buildProductSections(productSectionsFromForm(context.get('interactiveProductSections', {})));
	return { catalog_id: catalogId, sections };
}

// ---------------------------------------------------------------------------------------------
// Flow
// ---------------------------------------------------------------------------------------------

/** Emoji: pictographs (including symbols such as ™ that phones may draw as emoji), flags and keycaps. */
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

export function containsEmoji(text: string): boolean {
	return EMOJI.test(text);
}

function flowParameters(context: ParamReader): IDataObject {
	const by = context.get<string>('interactiveFlowIdentifier', 'id');
	const identity =
		by === 'name'
			? { flow_name: requiredId('Flow Name', context.get('interactiveFlowName', '')) }
			: { flow_id: requiredId('Flow ID', context.get('interactiveFlowId', '')) };
	const cta = requiredLabel('Button Text', context.get('interactiveFlowCta', ''), L.flowCta);
	if (containsEmoji(cta)) {
		throw new FieldError('Button Text', `Button Text "${cta}" contains an emoji; WhatsApp does not allow emoji on Flow buttons`);
	}
	const mode = asText('Flow Mode', context.get('interactiveFlowMode', 'published')).trim() || 'published';
	if (mode !== 'draft' && mode !== 'published') {
		throw new FieldError('Flow Mode', `Flow Mode must be "draft" or "published"; got "${mode}"`);
	}
	const action = context.get<string>('interactiveFlowAction', 'navigate');
	if (action !== 'navigate' && action !== 'data_exchange') {
		throw new FieldError('Flow Action', `Flow Action must be "navigate" or "data_exchange"; got "${action}"`);
	}
	const token = asText('Flow Token', context.get('interactiveFlowReference', '')).trim() || DEFAULT_FLOW_TOKEN;

	let payload: IDataObject | undefined;
	if (action === 'navigate') {
		const screen = asText('First Screen', context.get('interactiveFlowScreen', '')).trim();
		const data = jsonObject('Initial Data (JSON)', context.get('interactiveFlowData', ''));
		if (data !== undefined && Object.keys(data).length === 0) {
			throw new FieldError(
				'Initial Data (JSON)',
				'Initial Data (JSON) is an empty object; WhatsApp needs at least one field, or leave the field empty',
			);
		}
		if (data !== undefined && screen === '') {
			throw new FieldError('First Screen', 'First Screen is required when Initial Data (JSON) is set');
		}
		if (/\s/.test(screen)) {
			throw new FieldError('First Screen', `First Screen "${screen}" is not a screen ID: it contains spaces`);
		}
		if (screen !== '') payload = { screen, ...(data !== undefined ? { data: data as IDataObject } : {}) };
	}
	return {
		flow_message_version: '3',
		flow_token: token,
		...identity,
		flow_cta: cta,
		flow_action: action,
		mode,
		...(payload ? { flow_action_payload: payload } : {}),
	};
}

// ---------------------------------------------------------------------------------------------
// The module
// ---------------------------------------------------------------------------------------------

/** Builds the `{type: "interactive", interactive: {...}}` part of the body for the chosen variant. */
export function buildInteractiveBody(context: ParamReader): IDataObject {
	const variant = context.get<string>('interactiveType', 'button') as InteractiveVariant;
	switch (variant) {
		case 'button':
			return interactive('button', {
				header: flexibleHeader(context),
				body: requiredBody(context),
				footer: optionalFooter(context),
				action: { buttons: replyButtons(context) },
			});
		case 'list':
			return interactive('list', {
				header: optionalTextHeader(context),
				body: requiredBody(context),
				footer: optionalFooter(context),
				action: listAction(context),
			});
		case 'cta_url': {
			const header = flexibleHeader(context);
			const body = requiredBody(context);
			const footer = optionalFooter(context);
			const displayText = requiredLabel('Button Text', context.get('interactiveCtaDisplayText', ''), L.ctaDisplayText);
			const url = httpsUrl('URL', context.get('interactiveCtaUrl', ''));
			return interactive('cta_url', {
				header,
				body,
				footer,
				action: { name: 'cta_url', parameters: { display_text: displayText, url } },
			});
		}
		case 'flow':
			return interactive('flow', {
				header: optionalTextHeader(context),
				body: requiredBody(context),
				footer: optionalFooter(context),
				action: { name: 'flow', parameters: flowParameters(context) },
			});
		case 'location_request_message':
			return interactive('location_request_message', {
				body: requiredBody(context),
				action: { name: 'send_location' },
			});
		case 'product': {
			const body = optionalBody(context);
			const footer = optionalFooter(context);
			const catalogId = requiredId('Catalog ID', context.get('interactiveCatalogId', ''));
			const productRetailerId = requiredId('Product Retailer ID', context.get('interactiveProductRetailerId', ''));
			return interactive('product', {
				body,
				footer,
				action: { catalog_id: catalogId, product_retailer_id: productRetailerId },
			});
		}
		case 'product_list': {
			const header = textHeader(requiredText('Header Text', asText('Header Text', context.get('interactiveHeaderText', '')), L.headerText));
			const body = requiredBody(context);
			const footer = optionalFooter(context);
			const catalogId = requiredId('Catalog ID', context.get('interactiveCatalogId', ''));
			return interactive('product_list', { header, body, footer, action: productListAction(context, catalogId) });
		}
		default:
			throw new FieldError(
				'Interactive Type',
				`Interactive Type "${String(variant)}" is not supported; use one of ${VARIANTS.join(', ')}`,
			);
	}
}

export const interactiveMessage: MessageTypeModule = {
	value: 'interactive',
	name: 'Interactive',
	description:
		'Reply buttons, a list, a link button, a Flow, a location request or products (only within 24 hours of the customer’s last message)',
	properties,
	build(context) {
		return { body: buildInteractiveBody(context) };
	},
};
