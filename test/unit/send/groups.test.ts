/**
 * Group recipients (https://developers.facebook.com/documentation/business-messaging/whatsapp/groups/groups-messaging):
 * which message types may go to a group, the Group ID check (no phone-number parsing), and the
 * Send node's Recipient Type and Group ID fields.
 */
import type { INodeProperties } from 'n8n-workflow';

import { Dialog360 } from '../../../nodes/Dialog360/Dialog360.node';
import { GROUP_MESSAGE_TYPES, checkGroupMessageType, groupRecipient } from '../../../nodes/Dialog360/groups';
import { MESSAGE_TYPES } from '../../../nodes/Dialog360/messageTypes';
import { GROUP_ID } from '../../emulator/sendRules';
import { fieldError } from './stubBuildContext';

const GROUP = 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD';

describe('group recipients: message types', () => {
	it('allows text, the media types and templates, as Meta lists them for groups', () => {
		expect([...GROUP_MESSAGE_TYPES].sort()).toEqual(['audio', 'document', 'image', 'sticker', 'template', 'text', 'video']);
		for (const value of GROUP_MESSAGE_TYPES) expect(MESSAGE_TYPES.map((t) => t.value)).toContain(value);
	});

	it.each(MESSAGE_TYPES.filter((t) => !t.isStatusUpdate && !GROUP_MESSAGE_TYPES.includes(t.value)).map((t) => [t.value, t] as const))(
		'refuses %s, naming the type and the reason',
		async (_value, type) => {
			const error = await fieldError(() => checkGroupMessageType(type));
			expect(error.field).toBe('Message Type');
			expect(error.message).toBe(
				`${type.name} messages cannot be sent to a WhatsApp group: groups take only text, media (image, video, audio, document, sticker) and template messages`,
			);
		},
	);

	it.each(MESSAGE_TYPES.filter((t) => GROUP_MESSAGE_TYPES.includes(t.value)).map((t) => [t.value, t] as const))('allows %s', (_value, type) => {
		expect(() => checkGroupMessageType(type)).not.toThrow();
	});
});

describe('group recipients: the Group ID', () => {
	it.each([[GROUP], ['Y2FwaV9ncm91cDo0OTMwMTIzNDU2Nzg5OkZBS0VHUk9VUDAwMDE=']])('takes %s as it is', (id) => {
		expect(groupRecipient(id)).toEqual({ to: id });
		expect(GROUP_ID.test(id)).toBe(true); // the emulator agrees
	});

	it.each([
		['', 'Group ID is required: the ID of the group from the Groups API (or the groupId of a 360dialog Trigger item)'],
		['abc def', 'Group ID "abc def" contains spaces; a group ID is one word'],
		['+4915112345678', 'Group ID "+4915112345678" looks like a phone number; set Recipient Type to Individual to send to a person'],
		['4915112345678', 'Group ID "4915112345678" looks like a phone number; set Recipient Type to Individual to send to a person'],
		['group#1', 'Group ID "group#1" is not a group ID: it may only contain letters, digits and + / _ = -'],
	])('refuses %j', async (id, message) => {
		const error = await fieldError(() => groupRecipient(id));
		expect({ field: error.field, message: error.message }).toEqual({ field: 'Group ID', message });
	});
});

describe('group recipients: the Send node form', () => {
	const properties = new Dialog360().description.properties;
	/** n8n's rule: every `show` condition holds and no `hide` condition does. */
	const shown = (p: INodeProperties, params: Record<string, unknown>) =>
		Object.entries(p.displayOptions?.show ?? {}).every(([name, values]) => (values as unknown[]).includes(params[name])) &&
		!Object.entries(p.displayOptions?.hide ?? {}).some(([name, values]) => (values as unknown[]).includes(params[name]));
	const visible = (params: Record<string, unknown>) => properties.filter((p) => shown(p, params));

	it('offers Recipient Type (Individual by default) for Send Message, not for Mark as Read or Send and Wait', () => {
		const recipientType = properties.find((p) => p.name === 'recipientType');
		expect(recipientType?.default).toBe('individual');
		expect((recipientType?.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['individual', 'group']);
		expect(visible({ operation: 'send', messageType: 'text' }).map((p) => p.name)).toContain('recipientType');
		expect(visible({ operation: 'send', messageType: 'markAsRead' }).map((p) => p.name)).not.toContain('recipientType');
		expect(visible({ operation: 'sendAndWait', messageType: 'text' }).map((p) => p.name)).not.toContain('recipientType');
	});

	it('shows To for individuals and Group ID for groups, both stored as "to"', () => {
		const toFields = (recipientType: string) =>
			visible({ operation: 'send', messageType: 'text', recipientType }).filter((p) => p.name === 'to').map((p) => p.displayName);
		expect(toFields('individual')).toEqual(['To']);
		expect(toFields('group')).toEqual(['Group ID']);
	});
});
