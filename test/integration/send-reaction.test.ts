/** Reaction through the Send node inside n8n-core, against the emulator (the bodies alone: test/unit/send/reaction.test.ts). */
import { ENVELOPE, INBOUND_WAMID, TO } from '../support/bodies';
import { acceptedBodies, runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

describe('reaction through the 360dialog node', () => {
	const emulator = useEmulator();

	it('reacts, then removes the reaction', async () => {
		const react = await runSendNode(emulator, { messageType: 'reaction', to: TO, reactionMessageId: '={{ $json.id }}', reactionEmoji: '❤️' }, [
			{ json: { id: INBOUND_WAMID } },
		]);
		expect(react.error).toBeUndefined();
		const remove = await runSendNode(emulator, { messageType: 'reaction', to: TO, reactionMessageId: INBOUND_WAMID, reactionEmoji: '' });
		expect(remove.error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([
			{ ...ENVELOPE, type: 'reaction', reaction: { message_id: INBOUND_WAMID, emoji: '❤️' } },
			{ ...ENVELOPE, type: 'reaction', reaction: { message_id: INBOUND_WAMID, emoji: '' } },
		]);
	});

	it('stops before any request when the emoji is not one emoji', async () => {
		const { error } = await runSendNode(emulator, { messageType: 'reaction', to: TO, reactionMessageId: INBOUND_WAMID, reactionEmoji: 'thumbs up' });
		expect(error?.message).toBe('Emoji must be a single emoji; "thumbs up" has 9 characters [item 0]');
		expect(emulator.requests()).toEqual([]);
	});
});
