/**
 * Reaction: exact bodies, removal with "", one-emoji rule, message ID rules, Meta's spec.
 * Through the node: test/integration/send-reaction.test.ts.
 */
import { reactionMessage } from '../../../nodes/Dialog360/messageTypes/reaction';
import { envelope, INBOUND_WAMID } from '../../support/bodies';
import { validateSendBody } from '../../support/metaSpec';
import { build, fieldError } from './stubBuildContext';

describe('reaction message', () => {
	it('reacts with an emoji', async () => {
		const built = await build(reactionMessage, { reactionMessageId: ` ${INBOUND_WAMID} `, reactionEmoji: '👍' });
		expect(built).toEqual({ body: { type: 'reaction', reaction: { message_id: INBOUND_WAMID, emoji: '👍' } } });
		expect(validateSendBody(envelope(built.body)).errors).toEqual([]);
	});

	it.each([[''], ['   '], [undefined], [null]])('removes the reaction when the emoji is %p', async (emoji) => {
		const built = await build(reactionMessage, { reactionMessageId: INBOUND_WAMID, reactionEmoji: emoji });
		expect(built).toEqual({ body: { type: 'reaction', reaction: { message_id: INBOUND_WAMID, emoji: '' } } });
		expect(validateSendBody(envelope(built.body)).errors).toEqual([]);
	});

	it.each(['😀', '👍🏽', '❤️', '❤', '🇩🇪', '1️⃣', '👨‍👩‍👧', '🏳️‍🌈', ' 🎉 '])('accepts the single emoji %p', async (emoji) => {
		const built = await build(reactionMessage, { reactionMessageId: INBOUND_WAMID, reactionEmoji: emoji });
		expect(built.body.reaction).toEqual({ message_id: INBOUND_WAMID, emoji: emoji.trim() });
	});

	it.each([
		['👍👍', 'Emoji must be a single emoji; "👍👍" has 2 characters'],
		['ok', 'Emoji must be a single emoji; "ok" has 2 characters'],
		['👍 ok', 'Emoji must be a single emoji; "👍 ok" has 4 characters'],
		['a', 'Emoji must be an emoji; "a" is not one'],
		['7', 'Emoji must be an emoji; "7" is not one'],
		[':+1:', 'Emoji must be a single emoji; ":+1:" has 4 characters'],
	])('rejects %p', async (emoji, message) => {
		const error = await fieldError(() => build(reactionMessage, { reactionMessageId: INBOUND_WAMID, reactionEmoji: emoji }));
		expect([error.field, error.message]).toEqual(['Emoji', message]);
	});

	it('requires a message ID without spaces', async () => {
		const empty = await fieldError(() => build(reactionMessage, { reactionMessageId: ' ', reactionEmoji: '👍' }));
		expect([empty.field, empty.message]).toEqual(['Message ID', 'Message ID is required']);
		const spaced = await fieldError(() => build(reactionMessage, { reactionMessageId: 'wamid.abc def', reactionEmoji: '👍' }));
		expect(spaced.message).toBe('Message ID "wamid.abc def" contains spaces; a message ID is one word like wamid.HBgN…');
	});
});
