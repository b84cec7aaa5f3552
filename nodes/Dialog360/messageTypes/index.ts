/** The registry of message types, in the order the Message Type dropdown shows them. */
import { textMessage } from './text';
import type { MessageTypeModule } from './types';

export const MESSAGE_TYPES: MessageTypeModule[] = [textMessage];

const byValue = new Map(MESSAGE_TYPES.map((type) => [type.value, type]));

export function messageTypeByValue(value: string): MessageTypeModule | undefined {
	return byValue.get(value);
}
