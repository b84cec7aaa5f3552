/**
 * Mark as read: a status update (no recipient), with and without typing indicator, Meta's spec.
 * Through the node: test/integration/send-mark-as-read.test.ts.
 */
import { markAsReadMessage } from '../../../nodes/Dialog360/messageTypes/markAsRead';
import { INBOUND_WAMID } from '../../support/bodies';
import { validateSendBody } from '../../support/metaSpec';
import { build, fieldError } from './stubBuildContext';

describe('mark as read', () => {
	it('is a status update, so the router adds no recipient', () => {
		expect(markAsReadMessage.isStatusUpdate).toBe(true);
		expect(markAsReadMessage.value).toBe('markAsRead');
	});

	it('marks a message read', async () => {
		const built = await build(markAsReadMessage, { markAsReadMessageId: INBOUND_WAMID });
		expect(built).toEqual({ body: { status: 'read', message_id: INBOUND_WAMID } });
		expect(validateSendBody({ messaging_product: 'whatsapp', ...built.body }).errors).toEqual([]);
	});

	it('adds the typing indicator when asked', async () => {
		const built = await build(markAsReadMessage, { markAsReadMessageId: ` ${INBOUND_WAMID}\n`, markAsReadTypingIndicator: true });
		expect(built).toEqual({ body: { status: 'read', message_id: INBOUND_WAMID, typing_indicator: { type: 'text' } } });
		expect(validateSendBody({ messaging_product: 'whatsapp', ...built.body }).errors).toEqual([]);
	});

	it('leaves the typing indicator out when off', async () => {
		const built = await build(markAsReadMessage, { markAsReadMessageId: INBOUND_WAMID, markAsReadTypingIndicator: false });
		expect(built.body).toEqual({ status: 'read', message_id: INBOUND_WAMID });
	});

	it('requires the message ID', async () => {
		const error = await fieldError(() => build(markAsReadMessage, { markAsReadMessageId: '' }));
		expect([error.field, error.message]).toEqual(['Message ID', 'Message ID is required']);
		const spaced = await fieldError(() => build(markAsReadMessage, { markAsReadMessageId: 'wamid.a b' }));
		expect(spaced.message).toBe('Message ID "wamid.a b" contains spaces; a message ID is one word like wamid.HBgN…');
	});

	it('the spec rejects a read receipt without message_id (the check above prevents it)', () => {
		expect(validateSendBody({ messaging_product: 'whatsapp', status: 'read' }).valid).toBe(false);
	});
});
