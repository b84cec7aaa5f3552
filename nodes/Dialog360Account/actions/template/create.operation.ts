/**
 * Template → Create: `POST /v1/configs/templates` with Meta's template body, built from a form per
 * category or given as JSON, and checked against Meta's rules (../../template/rules.ts) first.
 * https://docs.360dialog.com/partner/messaging/template-messages/create-and-manage-template-messages
 *
 * A media header's sample can come from a binary property of the item: it is checked against Meta's
 * header media rules while the item is prepared, and uploaded (resumable upload, ../../../common/resumableUpload.ts)
 * right before the create request, which then carries its handle. A carousel's cards (Marketing, Template
 * Type "Carousel (Cards)") take their files the same way: ./carousel.ts.
 *
 * Assumption: the answer is the template as 360dialog stores it (`id`, `name`, `language`,
 * `category`, `status`, often `PENDING` or `SUBMITTED` until Meta has reviewed it), or Meta's
 * `{id, status, category}`; both are read.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { HEADER_MEDIA_RULES, resumableUpload, uploadFileOf, type ResumableFile } from '../../../common/resumableUpload';
import { dialog360Request } from '../../../common/transport';

import { buildTemplateFromForm, templateFromJson, withHeaderHandle, type TemplateForm } from '../../template/build';
import { checkTemplateCreate, FORM_LABELS, JSON_LABELS } from '../../template/rules';
import { readWithTypedVariables } from '../../template/typedVariables';
import { templateNameField } from '../common';
import type { AccountOperation } from '../types';
import { cardFiles, carouselDescription, hiddenInCarousel, readCards, uploadCardFiles, type CardFiles } from './carousel';
import {
	buttonTextValue,
	buttonTypeValue,
	PHONE_NUMBER_BUTTON,
	phoneNumberValue,
	QUICK_REPLY_BUTTON,
	URL_BUTTON,
	urlValues,
	variableExamplesField,
} from './fields';

const standard = { category: ['MARKETING', 'UTILITY'], definition: ['form'] };
const authentication = { category: ['AUTHENTICATION'], definition: ['form'] };

const description: INodeProperties[] = [
	{
		displayName: 'Definition',
		name: 'definition',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Form', value: 'form', description: 'Fill in header, body, footer and buttons' },
			{ name: 'JSON', value: 'json', description: "Meta's template body (name, language, category, components), e.g. from an expression" },
		],
		default: 'form',
	},
	{
		displayName: 'Template JSON',
		name: 'templateJson',
		type: 'json',
		default: '{\n  "name": "order_update",\n  "language": "en_US",\n  "category": "UTILITY",\n  "components": [\n    { "type": "BODY", "text": "Hi {{1}}, your order {{2}} has shipped.", "example": { "body_text": [["Max", "4711"]] } }\n  ]\n}',
		required: true,
		description: "The whole create body as Meta documents it; checked against WhatsApp's template rules before it is sent",
		displayOptions: { show: { definition: ['json'] } },
	},
	{ ...templateNameField, description: 'Lowercase letters, digits and underscores', displayOptions: { show: { definition: ['form'] } } },
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: 'en_US',
		required: true,
		placeholder: 'en_US',
		description: 'WhatsApp language code, e.g. en, en_US, de, pt_BR',
		displayOptions: { show: { definition: ['form'] } },
	},
	{
		displayName: 'Category',
		name: 'category',
		type: 'options',
		options: [
			{ name: 'Authentication', value: 'AUTHENTICATION', description: 'One-time passwords; fixed text from WhatsApp' },
			{ name: 'Marketing', value: 'MARKETING', description: 'Promotions, offers, announcements' },
			{ name: 'Utility', value: 'UTILITY', description: 'Updates about an order, account or request the customer made' },
		],
		default: 'UTILITY',
		displayOptions: { show: { definition: ['form'] } },
	},
	...carouselDescription,
	{
		displayName: 'Variable Style',
		name: 'parameterFormat',
		type: 'options',
		options: [
			{ name: 'Named', value: 'NAMED', description: 'Variables like {{first_name}}' },
			{ name: 'Positional', value: 'POSITIONAL', description: 'Variables {{1}}, {{2}}, …' },
		],
		default: 'POSITIONAL',
		displayOptions: { show: standard },
	},
	{
		displayName: 'Header Type',
		name: 'headerType',
		type: 'options',
		options: [
			{ name: 'Document', value: 'DOCUMENT' },
			{ name: 'Image', value: 'IMAGE' },
			{ name: 'Location', value: 'LOCATION' },
			{ name: 'None', value: 'none' },
			{ name: 'Text', value: 'TEXT' },
			{ name: 'Video', value: 'VIDEO' },
		],
		default: 'none',
		displayOptions: { show: standard, hide: hiddenInCarousel },
	},
	{
		displayName: 'Header Text',
		name: 'headerText',
		type: 'string',
		default: '',
		description: 'Up to 60 characters and at most one variable',
		displayOptions: { show: { ...standard, headerType: ['TEXT'] }, hide: hiddenInCarousel },
	},
	{
		displayName: 'Header Variable Example',
		name: 'headerExample',
		type: 'string',
		default: '',
		description: 'Sample value of the header variable, for the review',
		displayOptions: { show: { ...standard, headerType: ['TEXT'] }, hide: hiddenInCarousel },
	},
	{
		displayName: 'Header Media Source',
		name: 'headerMediaSource',
		type: 'options',
		options: [
			{ name: 'Binary File', value: 'binary', description: 'A file of the input item; the node uploads it and uses its handle' },
			{ name: 'Handle', value: 'handle', description: 'The handle of a file uploaded before (resumable upload)' },
		],
		default: 'binary',
		description: 'WhatsApp reviews the template with a sample of the header media',
		displayOptions: { show: { ...standard, headerType: ['IMAGE', 'VIDEO', 'DOCUMENT'] }, hide: hiddenInCarousel },
	},
	{
		displayName: 'Header Binary Property',
		name: 'headerBinaryProperty',
		type: 'string',
		default: 'data',
		hint: 'Image: JPEG or PNG up to 5 MB. Video: MP4 up to 16 MB. Document: PDF up to 100 MB.',
		description: 'Name of the binary property of the input item that holds the sample file',
		displayOptions: { show: { ...standard, headerType: ['IMAGE', 'VIDEO', 'DOCUMENT'], headerMediaSource: ['binary'] }, hide: hiddenInCarousel },
	},
	{
		displayName: 'Header Media Handle',
		name: 'headerHandle',
		type: 'string',
		default: '',
		placeholder: '4::aW1hZ2UvanBlZw==:ARb…',
		description: 'Handle of a sample file from the resumable upload API (e.g. the headerHandle output of an earlier Create)',
		displayOptions: { show: { ...standard, headerType: ['IMAGE', 'VIDEO', 'DOCUMENT'], headerMediaSource: ['handle'] }, hide: hiddenInCarousel },
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'Hi {{1}}, your order {{2}} has shipped.',
		description: 'Up to 1,024 characters; may not start or end with a variable',
		displayOptions: { show: standard },
	},
	{
		...variableExamplesField('A sample value for every variable of the body (WhatsApp requires them for the review)', 'Max'),
		displayOptions: { show: standard },
	},
	{
		displayName: 'Footer',
		name: 'footer',
		type: 'string',
		default: '',
		description: 'Up to 60 characters, no variables',
		displayOptions: { show: standard, hide: hiddenInCarousel },
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Button',
		default: {},
		description: 'Up to 10: quick replies (grouped together), up to 2 URL, 1 phone number, 1 copy-code and 1 Flow button',
		displayOptions: { show: standard, hide: hiddenInCarousel },
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{ displayName: 'Coupon Code Example', name: 'couponExample', type: 'string', default: '', placeholder: 'SAVE20', description: 'Up to 15 characters' },
					{
						displayName: 'Flow Action',
						name: 'flowAction',
						type: 'options',
						options: [
							{ name: 'Data Exchange', value: 'data_exchange', description: "The Flow's endpoint supplies the screens" },
							{ name: 'Navigate', value: 'navigate', description: 'Opens the Flow at its first screen (or Flow First Screen)' },
						],
						default: 'navigate',
					},
					{ displayName: 'Flow First Screen', name: 'flowScreen', type: 'string', default: '', placeholder: 'WELCOME_SCREEN', description: 'ID of the screen the Flow opens at (Navigate only); empty: its first screen' },
					{ displayName: 'Flow ID or Name', name: 'flow', type: 'string', default: '', placeholder: '1234567890123456 or appointment_booking', description: 'A published Flow of the account: its ID (digits) or its name; or leave empty and give Flow JSON' },
					{ displayName: 'Flow JSON', name: 'flowJson', type: 'string', typeOptions: { rows: 3 }, default: '', placeholder: '{"version": "5.0", "screens": […]}', description: 'The whole Flow JSON, instead of a published Flow' },
					phoneNumberValue,
					buttonTextValue('Button label, up to 25 characters (not for Copy Code)'),
					buttonTypeValue([
						{ name: 'Copy Code', value: 'COPY_CODE', description: 'Copies a coupon code (marketing only)' },
						{ name: 'Flow', value: 'FLOW', description: 'Opens a WhatsApp Flow (a form in the chat)' },
						PHONE_NUMBER_BUTTON,
						QUICK_REPLY_BUTTON,
						URL_BUTTON,
					]),
					...urlValues('https://shop.example.com/track/{{1}}', '4711'),
				],
			},
		],
	},
	{
		displayName: 'Limited-Time Offer Text',
		name: 'offerText',
		type: 'string',
		default: '',
		placeholder: 'Expiring offer!',
		description:
			'Makes it a limited-time offer: up to 16 characters shown with the offer. Such a template has no footer, only an image or video header, and a URL button (plus an optional copy-code button). Empty: no offer.',
		displayOptions: { show: { category: ['MARKETING'], definition: ['form'] }, hide: hiddenInCarousel },
	},
	{
		displayName: 'Offer Shows Expiration',
		name: 'offerHasExpiration',
		type: 'boolean',
		default: false,
		description: 'Whether the message shows when the offer expires (the time is given when sending)',
		displayOptions: { show: { category: ['MARKETING'], definition: ['form'] }, hide: hiddenInCarousel },
	},
	{
		displayName: 'Add Security Recommendation',
		name: 'addSecurityRecommendation',
		type: 'boolean',
		default: true,
		description: 'Whether the body adds "For your security, do not share this code."',
		displayOptions: { show: authentication },
	},
	{
		displayName: 'Code Expiration (Minutes)',
		name: 'codeExpirationMinutes',
		type: 'number',
		default: 10,
		description: 'Footer "This code expires in N minutes" (1–90); 0 for no footer',
		displayOptions: { show: authentication },
	},
	{
		displayName: 'OTP Button Type',
		name: 'otpType',
		type: 'options',
		options: [
			{ name: 'Copy Code', value: 'COPY_CODE' },
			{ name: 'One-Tap Autofill', value: 'ONE_TAP', description: 'Android app fills in the code' },
			{ name: 'Zero-Tap', value: 'ZERO_TAP', description: 'Android app receives the code without a tap' },
		],
		default: 'COPY_CODE',
		displayOptions: { show: authentication },
	},
	{
		displayName: 'Copy Code Button Text',
		name: 'otpButtonText',
		type: 'string',
		default: '',
		placeholder: 'Copy code',
		description: "Optional label (up to 25 characters); WhatsApp's default otherwise",
		displayOptions: { show: authentication },
	},
	{
		displayName: 'Autofill Text',
		name: 'autofillText',
		type: 'string',
		default: '',
		placeholder: 'Autofill',
		displayOptions: { show: { ...authentication, otpType: ['ONE_TAP'] } },
	},
	{
		displayName: 'Package Name',
		name: 'packageName',
		type: 'string',
		default: '',
		placeholder: 'com.example.app',
		displayOptions: { show: { ...authentication, otpType: ['ONE_TAP', 'ZERO_TAP'] } },
	},
	{
		displayName: 'Signature Hash',
		name: 'signatureHash',
		type: 'string',
		default: '',
		placeholder: 'K8a/AINcGX7',
		description: "The app's 11-character signing key hash",
		displayOptions: { show: { ...authentication, otpType: ['ONE_TAP', 'ZERO_TAP'] } },
	},
	{
		displayName: 'Accept Zero-Tap Terms',
		name: 'zeroTapTermsAccepted',
		type: 'boolean',
		default: false,
		description: "Whether you accept Meta's zero-tap terms of service (required for zero-tap)",
		displayOptions: { show: { ...authentication, otpType: ['ZERO_TAP'] } },
	},
	{
		displayName: 'Allow Category Change',
		name: 'allowCategoryChange',
		type: 'boolean',
		default: false,
		description: 'Whether Meta may give the template another category instead of rejecting it as miscategorised',
		displayOptions: { show: { definition: ['form'] } },
	},
	{
		displayName: 'Time to Live (Seconds)',
		name: 'timeToLiveSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			"How long WhatsApp keeps trying to deliver a message of this template when the phone is off (0 = WhatsApp's default: 10 minutes for authentication, 30 days otherwise). Authentication 30–900, utility 30–43,200 (12 h), marketing 43,200–2,592,000 (12 h to 30 days; applies when sent via the Marketing Messages API).",
		displayOptions: { show: { definition: ['form'] } },
	},
];

const collection = <T>(value: unknown, key: string): T[] => (isRecord(value) && Array.isArray(value[key]) ? (value[key] as T[]) : []);

/** The form's values as build.ts reads them. */
function readForm(context: Parameters<AccountOperation['prepare']>[0], itemIndex: number): TemplateForm {
	const value = (name: string, fallback: unknown = '') => context.getNodeParameter(name, itemIndex, fallback);
	// Fields that take WhatsApp variables: `{{1}}` typed in the editor makes them expressions (typedVariables.ts).
	const textWithVariables = (name: string, fallback: unknown = '') => readWithTypedVariables(context, name, itemIndex, fallback);
	const category = String(value('category', 'UTILITY'));
	const form: TemplateForm = {
		name: value('templateName') as string,
		language: value('language', 'en_US') as string,
		category,
		allowCategoryChange: value('allowCategoryChange', false) as boolean,
		timeToLiveSeconds: value('timeToLiveSeconds', 0) as number,
	};
	if (category === 'AUTHENTICATION') {
		return {
			...form,
			addSecurityRecommendation: value('addSecurityRecommendation', true) as boolean,
			codeExpirationMinutes: value('codeExpirationMinutes', 10) as number,
			otpType: value('otpType', 'COPY_CODE') as TemplateForm['otpType'],
			otpButtonText: value('otpButtonText') as string,
			autofillText: value('autofillText') as string,
			packageName: value('packageName') as string,
			signatureHash: value('signatureHash') as string,
			zeroTapTermsAccepted: value('zeroTapTermsAccepted', false) as boolean,
		};
	}
	return {
		...form,
		parameterFormat: value('parameterFormat', 'POSITIONAL') as TemplateForm['parameterFormat'],
		headerType: value('headerType', 'none') as TemplateForm['headerType'],
		headerText: textWithVariables('headerText') as string,
		headerExample: value('headerExample') as string,
		headerHandle: value('headerHandle') as string,
		body: textWithVariables('body') as string,
		bodyExamples: collection(value('bodyExamples', {}), 'example'),
		footer: value('footer') as string,
		buttons: collection(textWithVariables('buttons', {}), 'button'),
		...(category === 'MARKETING'
			? { offerText: value('offerText') as string, offerHasExpiration: value('offerHasExpiration', false) as boolean, templateType: value('templateType', 'standard') as TemplateForm['templateType'] }
			: {}),
	};
}

/** What the node outputs for a created template. */
export function createdTemplate(answer: unknown, sent: IDataObject): IDataObject {
	const body = isRecord(answer) ? (answer as IDataObject) : {};
	return {
		id: body.id !== undefined ? String(body.id) : undefined,
		name: body.name ?? sent.name,
		language: body.language ?? sent.language,
		category: body.category ?? sent.category,
		status: body.status,
		...(body.rejected_reason !== undefined && body.rejected_reason !== 'NONE' ? { rejectedReason: body.rejected_reason } : {}),
		components: body.components ?? sent.components,
	};
}

/** Stands in for the handle of a header file that is uploaded when the item runs, so the rules see a complete body. */
const HANDLE_AFTER_UPLOAD = 'handle-of-the-uploaded-file';

const BINARY_FIELD = 'Header Binary Property';

/** The header sample file of the item, checked against Meta's header media rules (no request yet). */
async function headerFile(context: Parameters<AccountOperation['prepare']>[0], itemIndex: number, format: keyof typeof HEADER_MEDIA_RULES): Promise<ResumableFile> {
	return await uploadFileOf(context, itemIndex, context.getNodeParameter('headerBinaryProperty', itemIndex, 'data'), BINARY_FIELD, HEADER_MEDIA_RULES[format]);
}

export const create: AccountOperation = {
	description,
	async prepare(context, itemIndex) {
		const definition = context.getNodeParameter('definition', itemIndex, 'form') as string;
		let body: IDataObject;
		let upload: ResumableFile | undefined;
		let cardUploads: CardFiles | undefined;
		if (definition === 'json') {
			body = templateFromJson('Template JSON', context.getNodeParameter('templateJson', itemIndex, '')) as IDataObject;
			checkTemplateCreate(body, JSON_LABELS('Template JSON'));
		} else {
			const form = readForm(context, itemIndex);
			if (form.templateType === 'carousel') {
				const cards = readCards(context, itemIndex);
				// Stand-in handles, so the rules name a bad card before its file is looked at.
				form.cards = cards.map((card) => ({ ...card, headerHandle: HANDLE_AFTER_UPLOAD }));
				body = buildTemplateFromForm(form) as IDataObject;
				checkTemplateCreate(body, FORM_LABELS);
				cardUploads = await cardFiles(context, itemIndex, cards);
			} else {
				const format = form.headerType as keyof typeof HEADER_MEDIA_RULES;
				const fromBinary = format in HEADER_MEDIA_RULES && context.getNodeParameter('headerMediaSource', itemIndex, 'binary') === 'binary';
				if (fromBinary) form.headerHandle = HANDLE_AFTER_UPLOAD;
				body = buildTemplateFromForm(form) as IDataObject;
				checkTemplateCreate(body, FORM_LABELS);
				if (fromBinary) upload = await headerFile(context, itemIndex, format);
			}
		}
		return async (ctx, connection, index) => {
			let sent = body;
			const handles: IDataObject = {};
			if (upload) {
				handles.headerHandle = await resumableUpload(ctx, connection, upload);
				sent = withHeaderHandle(body, handles.headerHandle as string) as IDataObject;
			}
			if (cardUploads) {
				const uploaded = await uploadCardFiles(ctx, connection, body, cardUploads);
				sent = uploaded.body;
				handles.cardHandles = uploaded.cardHandles;
			}
			const answer = await dialog360Request.call(
				ctx,
				{ method: 'POST', path: '/v1/configs/templates', body: sent, itemIndex: index, errorContext: { templateName: String(sent.name), templateLanguage: String(sent.language) } },
				connection,
			);
			// The handles can be given to further Creates (other languages) without uploading again.
			return [{ ...createdTemplate(answer, sent), ...handles }];
		};
	},
};
