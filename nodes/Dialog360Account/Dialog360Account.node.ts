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
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
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
