/** Mark as read: a status update (no recipient), with and without typing indicator, Meta's spec. */
import { markAsReadMessage } from '../../../nodes/Dialog360/messageTypes/markAsRead';
import { startEmulator, type Emulator } from '../../emulator';
import { validateSendBody } from '../../support/metaSpec';
import { acceptedBodies, runSendNode } from './runSendNode';
import { build, fieldError } from './stubBuildContext';

const WAMID = 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD09AA==';

describe('mark as read', () => {
	it('is a status update, so the router adds no recipient', () => {
		expect(markAsReadMessage.isStatusUpdate).toBe(true);
		expect(markAsReadMessage.value).toBe('markAsRead');
	});

	it('marks a message read', async () => {
		const built = await build(markAsReadMessage, { markAsReadMessageId: WAMID });
		expect(built).toEqual({ body: { status: 'read', message_id: WAMID } });
		expect(validateSendBody({ messaging_product: 'whatsapp', ...built.body }).errors).toEqual([]);
	});

	it('adds the typing indicator when asked', async () => {
		const built = await build(markAsReadMessage, { markAsReadMessageId: ` ${WAMID}\n`, markAsReadTypingIndicator: true });
		expect(built).toEqual({ body: { status: 'read', message_id: WAMID, typing_indicator: { type: 'text' } } });
		expect(validateSendBody({ messaging_product: 'whatsapp', ...built.body }).errors).toEqual([]);
	});

	it('leaves the typing indicator out when off', async () => {
		const built = await build(markAsReadMessage, { markAsReadMessageId: WAMID, markAsReadTypingIndicator: false });
		expect(built.body).toEqual({ status: 'read', message_id: WAMID });
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

describe('mark as read through the 360dialog node', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await startEmulator();
	});
	afterAll(() => emulator.close());
	beforeEach(() => emulator.reset());

	it('posts only messaging_product, status, message_id and typing_indicator, and outputs success', async () => {
		const { items, error } = await runSendNode(emulator, {
			messageType: 'markAsRead',
			markAsReadMessageId: '={{ $json.messageId }}',
			markAsReadTypingIndicator: true,
			options: { replyToMessageId: 'wamid.IGNORED', bizOpaqueCallbackData: 'ignored' },
		}, [{ json: { messageId: WAMID } }]);
		expect(error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([
			{ messaging_product: 'whatsapp', status: 'read', message_id: WAMID, typing_indicator: { type: 'text' } },
		]);
		expect(emulator.messages()[0].kind).toBe('mark_read');
		expect(items).toEqual([{ json: { success: true, type: 'markAsRead', messageId: WAMID }, pairedItem: { item: 0 } }]);
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
