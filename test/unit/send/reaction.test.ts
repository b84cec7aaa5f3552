/** Reaction: exact bodies, removal with "", one-emoji rule, message ID rules, Meta's spec. */
import { startEmulator, type Emulator } from '../../emulator';
import { reactionMessage } from '../../../nodes/Dialog360/messageTypes/reaction';
import { validateSendBody } from '../../support/metaSpec';
import { acceptedBodies, ENVELOPE_TO, runSendNode, TO } from './runSendNode';
import { build, envelope, fieldError } from './stubBuildContext';

const WAMID = 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD09AA==';

describe('reaction message', () => {
	it('reacts with an emoji', async () => {
		const built = await build(reactionMessage, { reactionMessageId: ` ${WAMID} `, reactionEmoji: '👍' });
		expect(built).toEqual({ body: { type: 'reaction', reaction: { message_id: WAMID, emoji: '👍' } } });
		expect(validateSendBody(envelope(built.body)).errors).toEqual([]);
	});

	it.each([[''], ['   '], [undefined], [null]])('removes the reaction when the emoji is %p', async (emoji) => {
		const built = await build(reactionMessage, { reactionMessageId: WAMID, reactionEmoji: emoji });
		expect(built).toEqual({ body: { type: 'reaction', reaction: { message_id: WAMID, emoji: '' } } });
		expect(validateSendBody(envelope(built.body)).errors).toEqual([]);
	});

	it.each(['😀', '👍🏽', '❤️', '❤', '🇩🇪', '1️⃣', '👨‍👩‍👧', '🏳️‍🌈', ' 🎉 '])('accepts the single emoji %p', async (emoji) => {
		const built = await build(reactionMessage, { reactionMessageId: WAMID, reactionEmoji: emoji });
		expect(built.body.reaction).toEqual({ message_id: WAMID, emoji: emoji.trim() });
	});

	it.each([
		['👍👍', 'Emoji must be a single emoji; "👍👍" has 2 characters'],
		['ok', 'Emoji must be a single emoji; "ok" has 2 characters'],
		['👍 ok', 'Emoji must be a single emoji; "👍 ok" has 4 characters'],
		['a', 'Emoji must be an emoji; "a" is not one'],
		['7', 'Emoji must be an emoji; "7" is not one'],
		[':+1:', 'Emoji must be a single emoji; ":+1:" has 4 characters'],
	])('rejects %p', async (emoji, message) => {
		const error = await fieldError(() => build(reactionMessage, { reactionMessageId: WAMID, reactionEmoji: emoji }));
		expect([error.field, error.message]).toEqual(['Emoji', message]);
	});

	it('requires a message ID without spaces', async () => {
		const empty = await fieldError(() => build(reactionMessage, { reactionMessageId: ' ', reactionEmoji: '👍' }));
		expect([empty.field, empty.message]).toEqual(['Message ID', 'Message ID is required']);
		const spaced = await fieldError(() => build(reactionMessage, { reactionMessageId: 'wamid.abc def', reactionEmoji: '👍' }));
		expect(spaced.message).toBe('Message ID "wamid.abc def" contains spaces; a message ID is one word like wamid.HBgN…');
	});
});

describe('reaction through the 360dialog node', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await startEmulator();
	});
	afterAll(() => emulator.close());
	beforeEach(() => emulator.reset());

	it('reacts, then removes the reaction', async () => {
		const react = await runSendNode(emulator, { messageType: 'reaction', to: TO, reactionMessageId: '={{ $json.id }}', reactionEmoji: '❤️' }, [
			{ json: { id: WAMID } },
		]);
		expect(react.error).toBeUndefined();
		const remove = await runSendNode(emulator, { messageType: 'reaction', to: TO, reactionMessageId: WAMID, reactionEmoji: '' });
		expect(remove.error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([
			{ ...ENVELOPE_TO, type: 'reaction', reaction: { message_id: WAMID, emoji: '❤️' } },
			{ ...ENVELOPE_TO, type: 'reaction', reaction: { message_id: WAMID, emoji: '' } },
		]);
	});

	it('stops before any request when the emoji is not one emoji', async () => {
		const { error } = await runSendNode(emulator, { messageType: 'reaction', to: TO, reactionMessageId: WAMID, reactionEmoji: 'thumbs up' });
		expect(error?.message).toBe('Emoji must be a single emoji; "thumbs up" has 9 characters [item 0]');
		expect(emulator.requests()).toEqual([]);
	});
});
