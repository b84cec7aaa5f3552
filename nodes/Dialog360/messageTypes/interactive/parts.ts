/**
 * The parts every interactive variant shares: the limits, the header, body and footer fields
 * (generated from what each variant declares) and their builders.
 *
 * Limits: Meta's message reference, https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * (header text 60, body 1024, footer 60 characters; the per-variant limits are named below).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { assertMediaAllowed } from '../../../common/mediaLimits';
import { FieldError, httpsUrl, optionalText, requiredText, textOf } from '../../../common/validation';
import type { BuildContext, ParamReader, PendingUpload } from '../types';
import type { BodyRule, HeaderRule, InteractiveVariant } from './variant';

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

const L = INTERACTIVE_LIMITS;

// Fields more than one variant uses

/** The "Specify Sections" choices of list and product list. */
export const sectionsModeOptions = [
	{ name: 'Using Fields Below', value: 'fields', description: 'Fill in sections and rows one by one' },
	{
		name: 'Using JSON',
		value: 'json',
		description: 'Map the sections from your data with an expression that returns the sections array',
	},
];

/** The Catalog ID field of product and product list. */
export const catalogIdProperty: INodeProperties = {
	displayName: 'Catalog ID',
	name: 'interactiveCatalogId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '367025965434465',
	description: 'The ID of the catalog linked to your WhatsApp Business Account (Commerce Manager)',
};

const MEDIA_HEADER_TYPES = ['image', 'video', 'document'] as const;
type MediaHeaderType = (typeof MEDIA_HEADER_TYPES)[number];

// ---------------------------------------------------------------------------------------------
// Fields, generated from the declarations
// ---------------------------------------------------------------------------------------------

/**
 * The header, body and footer fields, each shown exactly for the variants that declare it.
 * A field no variant declares is left out.
 */
export function sharedProperties(variants: readonly InteractiveVariant[]): INodeProperties[] {
	const withHeader = (rule: HeaderRule) => variants.filter((v) => v.header === rule).map((v) => v.value);
	const withBody = (rule: BodyRule) => variants.filter((v) => v.body === rule).map((v) => v.value);
	const withFooter = variants.filter((v) => v.footer).map((v) => v.value);
	const flexible = withHeader('text-or-media');
	const imageOnly = withHeader('optional-image');

	const fields: INodeProperties[] = [];
	const add = (types: string[], property: INodeProperties, moreConditions: IDataObject = {}) => {
		if (types.length === 0) return;
		fields.push({ ...property, displayOptions: { show: { interactiveType: types, ...moreConditions } } });
	};

	// --- Header ---------------------------------------------------------------------------------
	add(flexible, {
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
	});
	add(imageOnly, {
		displayName: 'Header',
		name: 'interactiveHeaderType',
		type: 'options',
		noDataExpression: true,
		default: 'none',
		options: [
			{ name: 'Image', value: 'image', description: 'A JPEG or PNG image (up to 5 MB) above the text' },
			{ name: 'None', value: 'none', description: 'No header: WhatsApp shows the image of the first product' },
		],
		description: 'Optional image shown above the body text; only an image header is possible for this type',
	});
	add(
		flexible,
		{
			displayName: 'Header Text',
			name: 'interactiveHeaderText',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'Your order',
			description: 'Up to 60 characters, shown in bold above the body. Emojis work, formatting does not.',
		},
		{ interactiveHeaderType: ['text'] },
	);
	add(withHeader('optional-text'), {
		displayName: 'Header Text',
		name: 'interactiveHeaderText',
		type: 'string',
		default: '',
		placeholder: 'Our menu',
		description:
			'Optional, up to 60 characters, shown in bold above the body. Only a text header is possible for this type.',
	});
	add(withHeader('required-text'), {
		displayName: 'Header Text',
		name: 'interactiveHeaderText',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Summer collection',
		description: 'Required for this type: up to 60 characters, shown in bold above the body',
	});
	// The media fields, shown for the media kinds each rule's Header dropdown offers.
	const mediaFields: Array<[INodeProperties, IDataObject]> = [
		[
			{
				displayName: 'Header Media From',
				name: 'interactiveHeaderMediaSource',
				type: 'options',
				noDataExpression: true,
				default: 'link',
				options: [
					{
						name: 'Binary File',
						value: 'binary',
						description: 'A file in a binary field of the input item; it is uploaded to 360dialog first',
					},
					{ name: 'Media ID', value: 'id', description: 'The ID of a file uploaded earlier with the 360dialog Media node' },
					{ name: 'URL', value: 'link', description: 'A public https:// link WhatsApp can download the file from' },
				],
				description: 'Where WhatsApp gets the header file',
			},
			{},
		],
		[
			{
				displayName: 'Header Media URL',
				name: 'interactiveHeaderMediaLink',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'https://example.com/images/offer.jpg',
				description:
					'Public https:// link to the file. Images: JPEG/PNG up to 5 MB; videos: MP4/3GP up to 16 MB; documents: PDF or office files up to 100 MB.',
			},
			{ interactiveHeaderMediaSource: ['link'] },
		],
		[
			{
				displayName: 'Header Media ID',
				name: 'interactiveHeaderMediaId',
				type: 'string',
				default: '',
				required: true,
				placeholder: '1037543291543636',
				description: 'The media ID returned when the file was uploaded (e.g. by the 360dialog Media node)',
			},
			{ interactiveHeaderMediaSource: ['id'] },
		],
		[
			{
				displayName: 'Header Input Binary Field',
				name: 'interactiveHeaderMediaBinary',
				type: 'string',
				default: 'data',
				required: true,
				placeholder: 'data',
				description:
					"Name of the input item's binary field that holds the file, usually \"data\". Type and size are checked before anything is sent.",
			},
			{ interactiveHeaderMediaSource: ['binary'] },
		],
	];
	for (const [property, conditions] of mediaFields) {
		add(flexible, property, { interactiveHeaderType: [...MEDIA_HEADER_TYPES], ...conditions });
		add(imageOnly, property, { interactiveHeaderType: ['image'], ...conditions });
	}

	// --- Body and footer ------------------------------------------------------------------------
	add(withBody('required'), {
		displayName: 'Body Text',
		name: 'interactiveBodyText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'Hi {{ $json.firstName }}, how would you like to continue?',
		description:
			'The main message, up to 1024 characters. WhatsApp formatting works: *bold*, _italic_, ~strikethrough~.',
	});
	add(withBody('optional'), {
		displayName: 'Body Text',
		name: 'interactiveBodyText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'Our bestseller, back in stock',
		description: 'Optional text under the product, up to 1024 characters',
	});
	add(withFooter, {
		displayName: 'Footer Text',
		name: 'interactiveFooterText',
		type: 'string',
		default: '',
		placeholder: 'Reply STOP to opt out',
		description: 'Optional small grey text under the body, up to 60 characters',
	});
	return fields;
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

function textHeader(text: string): IDataObject {
	return { type: 'text', text };
}

function headerText(context: ParamReader): string {
	return textOf('Header Text', context.get('interactiveHeaderText', ''));
}

const BINARY_FIELD = 'Header Input Binary Field';

/**
 * An image, video or document header by media ID, link or binary file. A binary file's object stays
 * empty here: `headerUpload` checks the file and the send phase fills in the id after the upload.
 */
function mediaHeader(kind: MediaHeaderType, context: ParamReader): IDataObject {
	const source = context.get<string>('interactiveHeaderMediaSource', 'link');
	if (source === 'id') {
		const id = textOf('Header Media ID', context.get('interactiveHeaderMediaId', '')).trim();
		if (id === '') throw new FieldError('Header Media ID', 'Header Media ID is required');
		if (/\s/.test(id)) throw new FieldError('Header Media ID', `Header Media ID "${id}" is not a media ID: it contains spaces`);
		return { type: kind, [kind]: { id } };
	}
	if (source === 'binary') {
		binaryPropertyName(context);
		return { type: kind, [kind]: {} };
	}
	const link = httpsUrl('Header Media URL', context.get('interactiveHeaderMediaLink', ''));
	return { type: kind, [kind]: { link } };
}

function binaryPropertyName(context: ParamReader): string {
	const name = textOf(BINARY_FIELD, context.get('interactiveHeaderMediaBinary', 'data')).trim();
	if (name === '') throw new FieldError(BINARY_FIELD, `${BINARY_FIELD} is required`);
	return name;
}

/** None, text, or image/video/document. */
function flexibleHeader(context: ParamReader): IDataObject | undefined {
	const type = context.get<string>('interactiveHeaderType', 'none');
	if (type === 'none' || type === '') return undefined;
	if (type === 'text') return textHeader(requiredText('Header Text', headerText(context), L.headerText));
	if (!(MEDIA_HEADER_TYPES as readonly string[]).includes(type)) {
		throw new FieldError('Header', `Header "${type}" is not supported; use None, Text, Image, Video or Document`);
	}
	return mediaHeader(type as MediaHeaderType, context);
}

/** None or an image (order details: every example of Meta's payments pages sends an image header). */
function imageHeader(context: ParamReader): IDataObject | undefined {
	const type = context.get<string>('interactiveHeaderType', 'none');
	if (type === 'none' || type === '') return undefined;
	if (type !== 'image') throw new FieldError('Header', `Header "${type}" is not possible for this type; use None or Image`);
	return mediaHeader('image', context);
}

/** `interactive.header` as the rule allows it; undefined when there is none. */
export function buildHeader(rule: HeaderRule, context: ParamReader): IDataObject | undefined {
	switch (rule) {
		case 'none':
			return undefined;
		case 'optional-text': {
			const text = optionalText('Header Text', headerText(context), L.headerText);
			return text === undefined ? undefined : textHeader(text);
		}
		case 'required-text':
			return textHeader(requiredText('Header Text', headerText(context), L.headerText));
		case 'text-or-media':
			return flexibleHeader(context);
		case 'optional-image':
			return imageHeader(context);
	}
}

/**
 * The upload of a header taken from a binary file (Header Media From → Binary File), after its
 * type and size were checked for the header's kind; undefined for any other header.
 */
export async function headerUpload(header: IDataObject | undefined, context: BuildContext): Promise<PendingUpload | undefined> {
	if (header === undefined || context.get<string>('interactiveHeaderMediaSource', 'link') !== 'binary') return undefined;
	const kind = header.type;
	if (!(MEDIA_HEADER_TYPES as readonly unknown[]).includes(kind)) return undefined;
	const mediaKind = kind as MediaHeaderType;
	const propertyName = binaryPropertyName(context);
	const file = await context.binary(propertyName, BINARY_FIELD);
	assertMediaAllowed(BINARY_FIELD, mediaKind, file.mimeType, file.sizeBytes);
	return {
		binaryPropertyName: propertyName,
		kind: mediaKind,
		mimeType: file.mimeType,
		fileName: file.fileName,
		path: ['interactive', 'header', mediaKind],
	};
}

/** `interactive.body` as the rule allows it; undefined when there is none. */
export function buildBody(rule: BodyRule, context: ParamReader): IDataObject | undefined {
	if (rule === 'none') return undefined;
	const text = textOf('Body Text', context.get('interactiveBodyText', ''));
	if (rule === 'required') return { text: requiredText('Body Text', text, L.bodyText) };
	const optional = optionalText('Body Text', text, L.bodyText);
	return optional === undefined ? undefined : { text: optional };
}

/** `interactive.footer` when the variant takes one and it is filled in. */
export function buildFooter(takesFooter: boolean, context: ParamReader): IDataObject | undefined {
	if (!takesFooter) return undefined;
	const text = optionalText('Footer Text', textOf('Footer Text', context.get('interactiveFooterText', '')), L.footerText);
	return text === undefined ? undefined : { text };
}
