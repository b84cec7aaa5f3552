/**
 * Sending to a WhatsApp group (Groups API): `recipient_type: "group"` and the group ID in `to`.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/groups/groups-messaging
 * https://docs.360dialog.com/partner/messaging-and-calling/group-messaging/messaging-api
 *
 * Groups take text, media, and text- or media-based templates only ("Supported message types" of
 * Meta's Groups API page); every other type is refused here, before anything is sent. Stickers
 * count as media. Whether a template has buttons is WhatsApp's to check. (docs/DEVELOPMENT.md, API
 * assumptions 30: the group ID, and 31: the types.)
 */
import { FieldError } from '../common/validation';
import type { MessageTypeModule } from './messageTypes/types';

export const GROUP_MESSAGE_TYPES: readonly string[] = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'template'];

/**
 * A group ID as the Groups API returns it: one word of base64 characters (e.g.
 * `Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD`), never digits only.
 */
const GROUP_ID = /^[A-Za-z0-9+/_=-]+$/;

/** Refuses a message type WhatsApp does not deliver to groups, naming the type and the reason. */
export function checkGroupMessageType(module: MessageTypeModule): void {
	if (GROUP_MESSAGE_TYPES.includes(module.value)) return;
	throw new FieldError(
		'Message Type',
		`${module.name} messages cannot be sent to a WhatsApp group: groups take only text, media (image, video, audio, document, sticker) and template messages`,
	);
}

/** The group ID typed or mapped into the Group ID field; phone-number parsing never runs on it. */
export function groupRecipient(input: string): { to: string } {
	const field = 'Group ID';
	if (input === '') throw new FieldError(field, 'Group ID is required: the ID of the group from the Groups API (or the groupId of a 360dialog Trigger item)');
	if (/\s/.test(input)) throw new FieldError(field, `Group ID "${input}" contains spaces; a group ID is one word`);
	if (/^\+?[\d\s()-]+$/.test(input)) {
		throw new FieldError(field, `Group ID "${input}" looks like a phone number; set Recipient Type to Individual to send to a person`);
	}
	if (!GROUP_ID.test(input)) {
		throw new FieldError(field, `Group ID "${input}" is not a group ID: it may only contain letters, digits and + / _ = -`);
	}
	return { to: input };
}
