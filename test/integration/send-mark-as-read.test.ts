/** Mark as read through the Send node inside n8n-core, against the emulator (the bodies alone: test/unit/send/markAsRead.test.ts). */
import { INBOUND_WAMID } from '../support/bodies';
import { acceptedBodies, runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

describe('mark as read through the 360dialog node', () => {
	const emulator = useEmulator();

	it('posts only messaging_product, status, message_id and typing_indicator, and outputs success', async () => {
		const { items, error } = await runSendNode(emulator, {
			messageType: 'markAsRead',
			markAsReadMessageId: '={{ $json.messageId }}',
			markAsReadTypingIndicator: true,
			options: { replyToMessageId: 'wamid.IGNORED', bizOpaqueCallbackData: 'ignored' },
		}, [{ json: { messageId: INBOUND_WAMID } }]);
		expect(error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([
			{ messaging_product: 'whatsapp', status: 'read', message_id: INBOUND_WAMID, typing_indicator: { type: 'text' } },
		]);
		expect(emulator.messages()[0].kind).toBe('mark_read');
		expect(items).toEqual([{ json: { success: true, type: 'markAsRead', messageId: INBOUND_WAMID }, pairedItem: { item: 0 } }]);
	});

	it('marks several items read in one run', async () => {
		const ids = ['wamid.A1', 'wamid.B2', 'wamid.C3'];
		const { items, error } = await runSendNode(
			emulator,
			{ messageType: 'markAsRead', markAsReadMessageId: '={{ $json.id }}' },
			ids.map((id) => ({ json: { id } })),
		);
		expect(error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual(expect.arrayContaining(ids.map((id) => ({ messaging_product: 'whatsapp', status: 'read', message_id: id }))));
		expect(items.map((item) => item.json.messageId)).toEqual(ids);
	});

	it('stops before any request when the message ID is missing', async () => {
		const { error } = await runSendNode(emulator, { messageType: 'markAsRead', markAsReadMessageId: '={{ $json.nothing }}' });
		expect(error?.message).toBe('Message ID is required [item 0]');
		expect(emulator.requests()).toEqual([]);
	});
});
