/** The registry of message types, in the order the Message Type dropdown shows them. */
import { contactsMessage } from './contacts';
import { interactiveMessage } from './interactive';
import { locationMessage } from './location';
import { markAsReadMessage } from './markAsRead';
import { MEDIA_MESSAGE_TYPES } from './media';
import { reactionMessage } from './reaction';
import { templateMessage } from './template';
import { textMessage } from './text';
import type { MessageTypeModule } from './types';

export const MESSAGE_TYPES: MessageTypeModule[] = [
	textMessage,
	...MEDIA_MESSAGE_TYPES,
	locationMessage,
	contactsMessage,
	reactionMessage,
	interactiveMessage,
	templateMessage,
	markAsReadMessage,
];

const byValue = new Map(MESSAGE_TYPES.map((type) => [type.value, type]));

export function messageTypeByValue(value: string): MessageTypeModule | undefined {
	return byValue.get(value);
}
