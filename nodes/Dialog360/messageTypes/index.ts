/** The registry of message types, in the order the Message Type dropdown shows them. */
import type { INodeType } from 'n8n-workflow';

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

/**
 * The editor methods of the given message types in one `methods` object (listSearch, loadOptions,
 * resourceMapping, …), as the node offers them. A name defined by two types is a programming
 * error, reported when the node loads.
 */
export function mergeMethods(types: readonly MessageTypeModule[]): INodeType['methods'] {
	const merged: Record<string, Record<string, unknown>> = {};
	for (const type of types) {
		for (const [kind, entries] of Object.entries(type.methods ?? {})) {
			const target = (merged[kind] ??= {});
			for (const [name, method] of Object.entries(entries as Record<string, unknown>)) {
				if (name in target) throw new Error(`Message type "${type.value}" defines ${kind}.${name}, which another message type defines too`);
				target[name] = method;
			}
		}
	}
	return merged as INodeType['methods'];
}
