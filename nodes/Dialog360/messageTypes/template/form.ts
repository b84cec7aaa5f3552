/** The form of the template message type: its parameter names, the names of its editor methods, and its fields. */
import type { INodeProperties } from 'n8n-workflow';

/** Parameter names of the form (one namespace with the other message types; workflows use them). */
export const TEMPLATE_PARAMS = {
	template: 'template',
	inputMode: 'templateParameterMode',
	fields: 'templateFields',
	json: 'templateParametersJson',
	marketingApi: 'templateViaMarketingMessages',
	activitySharing: 'templateActivitySharing',
} as const;

/** Names of the node methods the form uses (editor.ts registers them; workflows and the editor reference them). */
export const TEMPLATE_METHODS = {
	search: 'searchTemplates',
	fields: 'getTemplateFields',
} as const;

/** How errors name the fields of the form. */
export const FORM = {
	template: 'Template',
	fields: 'Template Variables',
	json: 'Parameters (JSON)',
	marketingApi: 'Send via Marketing Messages API',
} as const;

export const templateProperties: INodeProperties[] = [
	{
		displayName: 'Template',
		name: TEMPLATE_PARAMS.template,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The approved template to send. Templates are the only messages allowed outside the 24-hour window after the customer last wrote.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a template…',
				typeOptions: { searchListMethod: TEMPLATE_METHODS.search, searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'order_update|en_US',
				hint: 'Template name and language code joined by |, e.g. order_update|en_US or {{ $json.template }}|{{ $json.language }}. The language may be left out when the template exists in one language only.',
			},
		],
	},
	{
		displayName: 'Variables Input',
		name: TEMPLATE_PARAMS.inputMode,
		type: 'options',
		noDataExpression: true,
		default: 'fields',
		options: [
			{
				name: 'Fields From Template',
				value: 'fields',
				description: 'One field per variable of the chosen template, loaded from your account',
			},
			{
				name: 'JSON',
				value: 'json',
				description: 'One object with all values by field ID; for templates chosen by expression and for AI agents',
			},
		],
		description: 'How the values for the template variables are entered',
	},
	{
		displayName: 'Template Variables',
		name: TEMPLATE_PARAMS.fields,
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		description:
			'One field per variable of the chosen template, named by where it goes, e.g. Body {{first_name}} or Button 2 URL Suffix. Header text up to 60 characters, body variables up to 1024, coupon and verification codes up to 15; no line breaks or tabs inside variables.',
		typeOptions: {
			loadOptionsDependsOn: [`${TEMPLATE_PARAMS.template}.value`],
			resourceMapper: {
				resourceMapperMethod: TEMPLATE_METHODS.fields,
				mode: 'add',
				fieldWords: { singular: 'variable', plural: 'variables' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				valuesLabel: 'Template Variables',
				noFieldsError: 'This template has no variables: it is sent exactly as approved',
			},
		},
		displayOptions: { show: { [TEMPLATE_PARAMS.inputMode]: ['fields'] } },
	},
	{
		displayName: 'Parameters (JSON)',
		name: TEMPLATE_PARAMS.json,
		type: 'json',
		default: '{}',
		placeholder: '{ "body.1": "Max", "header.image": "https://example.com/offer.jpg", "button.1.url": "4711" }',
		// No inline eslint-disable here: n8n's package scanner ignores them, and its ID/URL casing rules would flag
		// the literal key of a URL button. That key is shown by the placeholder ("button.1.url"), not the description.
		description:
			'Values by field ID: body.1 or body.first_name for body variables (or "body": ["Max", "4711"] for {{1}}, {{2}}), header.text.1, header.image / header.video / header.document (https:// link, media ID or binary field name; prefix ID: or binary: to be explicit), header.document.filename, header.location.latitude/longitude/name/address, the URL suffix of a link button under its key as in the example (button.1.… for the button at 0-based position 1), button.N.payload, button.N.coupon, button.N.flow_token, button.N.thumbnail and button.N.products (catalog and multi-product), otp.code, lto.expiration, card.N.… for carousel cards. Add body.1.currency = "EUR 19.90" or body.1.date_time = true to send a variable as currency or date. A missing or unknown field stops the item before sending and names the field.',
		displayOptions: { show: { [TEMPLATE_PARAMS.inputMode]: ['json'] } },
	},
	{
		displayName: 'Send via Marketing Messages API',
		name: TEMPLATE_PARAMS.marketingApi,
		type: 'boolean',
		default: false,
		description:
			"Whether to send this marketing template through Meta's Marketing Messages API (360dialog's MM Lite, beta), which delivers marketing messages by engagement and reports clicks. The number must be onboarded (accept the MM API terms in the 360dialog hub). Only MARKETING templates; no Reply To, Tracking Data or BSUID recipients. How long WhatsApp keeps trying to deliver (12 hours to 30 days) is the template's time-to-live, set when the template is created.",
	},
	{
		displayName: 'Message Activity Sharing',
		name: TEMPLATE_PARAMS.activitySharing,
		type: 'options',
		default: 'account',
		options: [
			{ name: 'As the Account Is Set', value: 'account', description: 'Leave message_activity_sharing out' },
			{ name: 'On', value: 'on', description: 'Share message activity (e.g. clicks) with Meta for this message' },
			{ name: 'Off', value: 'off', description: 'Do not share message activity for this message' },
		],
		description: 'Whether Meta may use the activity of this message (such as clicks) to improve delivery (`message_activity_sharing`)',
		displayOptions: { show: { [TEMPLATE_PARAMS.marketingApi]: [true] } },
	},
];
