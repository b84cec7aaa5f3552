/**
 * An emoji reaction to a message in the chat, or its removal: a reaction is one emoji; an empty
 * string removes it (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/reaction-messages).
 */
import { FieldError, messageIdField, textOf } from '../../common/validation';
import type { MessageTypeModule } from './types';

/** Pictographs (😀 👍 ❤️ ©), flags (two regional indicators) and keycaps (1️⃣). */
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;

/**
 * What the eye sees as one character: 👍🏽, 🇩🇪 and 👨‍👩‍👧 are one each. (Length limits count code
 * points instead, see characterCount; a reaction is about what the user picked.)
 */
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const graphemeCount = (text: string): number => Array.from(graphemes.segment(text)).length;

/** One emoji (one user-perceived character, skin tones and flags included), or '' to remove. */
export function reactionEmoji(field: string, value: unknown): string {
	const emoji = textOf(field, value).trim();
	if (emoji === '') return '';
	const count = graphemeCount(emoji);
	if (count !== 1) {
		throw new FieldError(field, `${field} must be a single emoji; "${emoji}" has ${count} characters`);
	}
	if (!EMOJI.test(emoji)) throw new FieldError(field, `${field} must be an emoji; "${emoji}" is not one`);
	return emoji;
}

export const reactionMessage: MessageTypeModule = {
	value: 'reaction',
	name: 'Reaction',
	description: 'React to a message with an emoji, or remove your reaction',
	properties: [
		{
			displayName: 'Message ID',
			name: 'reactionMessageId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'wamid.HBgN…',
			description:
				'ID (wamid) of the message to react to, e.g. the messageId of a 360dialog Trigger item. Messages older than 30 days, deleted messages and reactions cannot be reacted to.',
		},
		{
			displayName: 'Emoji',
			name: 'reactionEmoji',
			type: 'string',
			default: '',
			placeholder: '👍',
			description: 'One emoji, such as 👍, ❤️ or 🇩🇪. Leave empty to remove the reaction sent earlier to this message.',
		},
	],
	build(context) {
		return {
			body: {
				type: 'reaction',
				reaction: {
					message_id: messageIdField('Message ID', context.get('reactionMessageId', '')),
					emoji: reactionEmoji('Emoji', context.get('reactionEmoji', '')),
				},
			},
		};
	},
};
