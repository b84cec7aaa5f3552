import { requiredText } from '../../common/validation';
import type { MessageTypeModule } from './types';

export const TEXT_BODY_LIMIT = 4096;

export const textMessage: MessageTypeModule = {
	value: 'text',
	name: 'Text',
	description: 'A plain text message (up to 4096 characters)',
	properties: [
		{
			displayName: 'Text',
			name: 'textBody',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			placeholder: 'Hi {{ $json.firstName }}, your order has shipped!',
			description:
				'Up to 4096 characters. WhatsApp formatting works: *bold*, _italic_, ~strikethrough~, ```monospace```.',
		},
		{
			displayName: 'Show Link Preview',
			name: 'previewUrl',
			type: 'boolean',
			default: false,
			description: 'Whether to show a preview of the first http(s):// link in the text',
		},
	],
	build(context) {
		const body = requiredText('Text', context.get<string>('textBody', ''), TEXT_BODY_LIMIT);
		const previewUrl = context.get<boolean>('previewUrl', false);
		return { body: { type: 'text', text: { body, ...(previewUrl ? { preview_url: true } : {}) } } };
	},
};
