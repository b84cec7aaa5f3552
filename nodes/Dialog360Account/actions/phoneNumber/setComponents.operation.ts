/**
 * Phone Number → Set Conversational Components: `POST /conversational_automation` with the whole
 * configuration (what is not given is switched off / removed, as the API replaces it).
 */
import type { INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { dialog360Request } from '../../../common/transport';
import type { AccountOperation } from '../types';
import { buildComponents, readComponents } from './components';

const description: INodeProperties[] = [
	{
		displayName: 'Welcome Message',
		name: 'enableWelcomeMessage',
		type: 'boolean',
		default: false,
		description: 'Whether a user opening the chat for the first time triggers a request_welcome message webhook (answer it with your own welcome)',
	},
	{
		displayName: 'Ice Breakers',
		name: 'iceBreakers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Ice Breaker',
		default: {},
		description: 'Up to 4 tappable first questions, 80 characters each',
		options: [{ displayName: 'Ice Breaker', name: 'iceBreaker', values: [{ displayName: 'Text', name: 'text', type: 'string', default: '', placeholder: 'Where is my order?' }] }],
	},
	{
		displayName: 'Commands',
		name: 'commands',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Command',
		default: {},
		description: 'Up to 30 slash commands users can type',
		options: [
			{
				displayName: 'Command',
				name: 'command',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'status', description: 'Without the slash, up to 32 characters' },
					{ displayName: 'Description', name: 'description', type: 'string', default: '', placeholder: 'Check your order status', description: 'Up to 256 characters' },
				],
			},
		],
	},
];

const entries = <T>(value: unknown, key: string): T[] => (isRecord(value) && Array.isArray(value[key]) ? (value[key] as T[]) : []);

export const setComponents: AccountOperation = {
	description,
	prepare(context, itemIndex) {
		const body = buildComponents({
			enableWelcomeMessage: context.getNodeParameter('enableWelcomeMessage', itemIndex, false) as boolean,
			iceBreakers: entries(context.getNodeParameter('iceBreakers', itemIndex, {}), 'iceBreaker'),
			commands: entries(context.getNodeParameter('commands', itemIndex, {}), 'command'),
		});
		return async (ctx, connection, index) => {
			await dialog360Request.call(ctx, { method: 'POST', path: '/conversational_automation', body, itemIndex: index }, connection);
			return [{ success: true, ...readComponents({ conversational_automation: body }) }];
		};
	},
};
