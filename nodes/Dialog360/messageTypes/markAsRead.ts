/**
 * Mark an inbound message as read (blue ticks), optionally showing "typing…"
 * (https://docs.360dialog.com/docs/messaging/overview/typing-indicators).
 * A status update, not a message: the router adds only `messaging_product`.
 */
import type { IDataObject } from 'n8n-workflow';

import { messageIdField } from '../../common/validation';
import type { MessageTypeModule } from './types';

export const markAsReadMessage: MessageTypeModule = {
	value: 'markAsRead',
	name: 'Mark as Read',
	action: 'Mark a message as read',
	description: 'Mark a received message as read (blue ticks), optionally showing "typing…"',
	isStatusUpdate: true,
	properties: [
		{
			displayName: 'Message ID',
			name: 'markAsReadMessageId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'wamid.HBgN…',
			description:
				'ID (wamid) of a message the customer sent you, e.g. the messageId of a 360dialog Trigger item. Earlier messages in the chat are marked read too. IDs of messages you sent are rejected by WhatsApp.',
		},
		{
			displayName: 'Show Typing Indicator',
			name: 'markAsReadTypingIndicator',
			type: 'boolean',
			default: false,
			description:
				'Whether to also show "typing…" to the customer until you reply or for at most 25 seconds. Use it only when a reply follows.',
		},
	],
	build(context) {
		const body: IDataObject = {
			status: 'read',
			message_id: messageIdField('Message ID', context.get('markAsReadMessageId', '')),
		};
		if (context.get<boolean>('markAsReadTypingIndicator', false) === true) body.typing_indicator = { type: 'text' };
		return { body };
	},
};
