import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { blockedUser, blockedUserFields } from './actions/blockedUser';
import { businessProfile, businessProfileFields } from './actions/businessProfile';
import { phoneNumber, phoneNumberFields } from './actions/phoneNumber';
import { route } from './actions/router';
import { template, templateFields } from './actions/template';
import { webhook, webhookFields } from './actions/webhook';

/** The resources with the default operation of each (the properties below say the same; a unit test checks it). */
const RESOURCES = [
	{ name: 'Blocked User', value: 'blockedUser', operations: blockedUser.operations, defaultOperation: 'list' },
	{ name: 'Business Profile', value: 'businessProfile', operations: businessProfile.operations, defaultOperation: 'get' },
	{ name: 'Phone Number', value: 'phoneNumber', operations: phoneNumber.operations, defaultOperation: 'getHealth' },
	{ name: 'Template', value: 'template', operations: template.operations, defaultOperation: 'list' },
	{ name: 'Webhook', value: 'webhook', operations: webhook.operations, defaultOperation: 'get' },
] as const;
const DEFAULT_RESOURCE = 'template';

/**
 * The line under the node on the canvas, in the words of the dropdowns ("Template: Create", "Phone Number: Get
 * Health"): an n8n expression that looks resource and operation up in flat maps built from the operation lists
 * (flat: a nested object literal would put `}}` into the expression, which ends it). A workflow that omits a
 * default value (n8n does not save defaults) reads as that default; a value the maps do not know is shown as it is.
 */
const NAMES: Readonly<Record<string, string>> = Object.fromEntries(
	RESOURCES.flatMap((r) => [[r.value, r.name], ...r.operations.map((o) => [`${r.value}.${o.value}`, o.name])]),
);
const DEFAULT_OPERATIONS: Readonly<Record<string, string>> = Object.fromEntries(RESOURCES.map((r) => [r.value, r.defaultOperation]));
const subtitle =
	'={{ ((n, r, o) => (n[r] ? n[r] + ": " + (n[r + "." + o] || o) : o ? r + ": " + o : r))(' +
	`${JSON.stringify(NAMES)}, $parameter["resource"] || "${DEFAULT_RESOURCE}", $parameter["operation"] || (${JSON.stringify(DEFAULT_OPERATIONS)})[$parameter["resource"] || "${DEFAULT_RESOURCE}"]) }}`;

const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Blocked User', value: 'blockedUser' },
			{ name: 'Business Profile', value: 'businessProfile' },
			{ name: 'Phone Number', value: 'phoneNumber' },
			{ name: 'Template', value: 'template' },
			{ name: 'Webhook', value: 'webhook' },
		],
		default: 'template',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['blockedUser'] } },
		options: blockedUser.operations,
		default: 'list',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['businessProfile'] } },
		options: businessProfile.operations,
		default: 'get',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['phoneNumber'] } },
		options: phoneNumber.operations,
		default: 'getHealth',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['template'] } },
		options: template.operations,
		default: 'list',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['webhook'] } },
		options: webhook.operations,
		default: 'get',
	},
	...templateFields,
	...blockedUserFields,
	...businessProfileFields,
	...phoneNumberFields,
	...webhookFields,
];

export class Dialog360Account implements INodeType {
	description: INodeTypeDescription = {
		displayName: '360dialog Account',
		name: 'dialog360Account',
		icon: { light: 'file:360dialog.svg', dark: 'file:360dialog.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle,
		description: 'Manage a WhatsApp number through 360dialog: templates, blocked users, business profile, health, conversational components and webhook',
		defaults: { name: '360dialog Account' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dialog360Api', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
