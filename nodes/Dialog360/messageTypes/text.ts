import type { IDataObject } from 'n8n-workflow';

import { characterCount, FieldError, numberInRange, requireText } from '../../common/validation';
import { markdownToWhatsApp } from '../textFormatting/markdown';
import { splitText } from '../textFormatting/split';
import type { MessageTypeModule } from './types';

export const TEXT_BODY_LIMIT = 4096;
/** A split text of more messages than this is refused (a runaway AI answer); the form can raise it to 100. */
const DEFAULT_MAX_PARTS = 5;

export const textMessage: MessageTypeModule = {
	value: 'text',
	name: 'Text',
	description: 'A text message (up to 4096 characters, or several messages for a longer text)',
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
				'Up to 4096 characters (more with Split Long Text Into Several Messages). WhatsApp formatting works: *bold*, _italic_, ~strikethrough~, ```monospace```, `code`, lists and > quotes.',
		},
		{
			displayName: 'Show Link Preview',
			name: 'previewUrl',
			type: 'boolean',
			default: false,
			description: 'Whether to show a preview of the first http(s):// link in the text (in every message when the text is split)',
		},
		{
			displayName: 'Convert Markdown Formatting',
			name: 'convertMarkdown',
			type: 'boolean',
			default: false,
			description:
				'Whether to turn Markdown into WhatsApp formatting. Meant for the output of an AI Agent or chat model, which writes Markdown: **bold** becomes *bold*, *italic* becomes _italic_, "# Title" a bold line, [Our shop](https://example.com) "Our shop (https://example.com)"; code blocks stay as they are.',
		},
		{
			displayName: 'Split Long Text Into Several Messages',
			name: 'splitLongText',
			type: 'boolean',
			default: false,
			description:
				'Whether to send a text longer than 4096 characters as several messages, one after the other, cut between paragraphs (else lines, sentences, words) and never inside formatting or a link. Meant for long AI answers: a 10,000-character answer goes out as 3 messages. The output lists every message ID.',
		},
		{
			displayName: 'Maximum Messages per Text',
			name: 'maxParts',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 5,
			description:
				'With Split Long Text: a text that would need more messages is not sent at all, and the item fails saying how many it would take. Guards the customer against a runaway AI answer.',
			displayOptions: { show: { splitLongText: [true] } },
		},
	],
	// Converted first, then split: the limit applies to what WhatsApp receives.
	build(context) {
		let text = requireText('Text', context.get<string>('textBody', ''));
		if (context.get<boolean>('convertMarkdown', false)) text = requireText('Text', markdownToWhatsApp(text));
		const previewUrl = context.get<boolean>('previewUrl', false);
		const body = (part: string): IDataObject => ({ type: 'text', text: { body: part, ...(previewUrl ? { preview_url: true } : {}) } });

		if (!context.get<boolean>('splitLongText', false)) {
			const length = characterCount(text);
			if (length > TEXT_BODY_LIMIT) {
				throw new FieldError(
					'Text',
					`Text has ${length} characters; WhatsApp allows ${TEXT_BODY_LIMIT}. Turn on "Split Long Text Into Several Messages" to send it as several messages`,
				);
			}
			return { body: body(text) };
		}
		// Split on: the output lists the ids of all parts, also when the text fits into one.
		const parts = splitText(text, TEXT_BODY_LIMIT);
		const maxParts = numberInRange('Maximum Messages per Text', context.get<number>('maxParts', DEFAULT_MAX_PARTS), 1, 100);
		if (parts.length > maxParts) {
			throw new FieldError(
				'Maximum Messages per Text',
				`Text would be sent as ${parts.length} messages (${characterCount(text)} characters); Maximum Messages per Text is ${maxParts}. Shorten the text (ask the AI model for a shorter answer) or raise the maximum`,
			);
		}
		const [first, ...rest] = parts.map((part) => body(part.text));
		return { body: first, followUps: rest };
	},
};
