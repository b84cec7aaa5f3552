/**
 * 360dialog Account node, Blocked User resource: block (only users who wrote in the last 24 hours),
 * partial failures, unblock, list with every page, and bad input refused before any request.
 */
import type { INodeParameters } from 'n8n-workflow';

import { requestLines, runAccountNode } from '../support/accountNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

const account = (parameters: INodeParameters, input?: Parameters<typeof runAccountNode>[2], continueOnFail = false) =>
	runAccountNode(emulator, { resource: 'blockedUser', ...parameters }, input, { continueOnFail });

describe('Blocked User', () => {
	it('blocks users who wrote in the last 24 hours, lists and unblocks them', async () => {
		emulator.openConversation('4915112345678');
		emulator.openConversation('4917612345678');
		const blocked = await account({ operation: 'block', users: '+49 151 12345678, +4917612345678' });
		expect(blocked.error).toBeUndefined();
		expect(blocked.items).toEqual([
			{
				json: { blocked: [{ input: '4915112345678', waId: '4915112345678' }, { input: '4917612345678', waId: '4917612345678' }], failed: [], blockedCount: 2, failedCount: 0 },
				pairedItem: { item: 0 },
			},
		]);
		expect(emulator.requests()[0].body).toEqual({ messaging_product: 'whatsapp', block_users: [{ user: '4915112345678' }, { user: '4917612345678' }] });

		const listed = await account({ operation: 'list', returnAll: true });
		expect(listed.items.map((item) => item.json.waId)).toEqual(['4915112345678', '4917612345678']);

		const unblocked = await account({ operation: 'unblock', users: '={{ $json.users }}' }, [{ json: { users: ['4915112345678'] } }]);
		expect(unblocked.items[0].json).toMatchObject({ unblocked: [{ waId: '4915112345678' }], unblockedCount: 1 });
		expect(emulator.state.account.blocked).toEqual(['4917612345678']);
	});

	it('a partial failure lists the users that failed; when none could be blocked the item fails', async () => {
		emulator.openConversation('4915112345678');
		const partial = await account({ operation: 'block', users: '4915112345678\n4915100000000' });
		expect(partial.error).toBeUndefined();
		expect(partial.items[0].json).toMatchObject({ blockedCount: 1, failedCount: 1, failed: [{ waId: '4915100000000', error: expect.stringMatching(/24 hours/) }] });

		const none = await account({ operation: 'block', users: '4915100000000' });
		expect(none.error?.message).toMatch(/No user was blocked: 4915100000000: .*24 hours.* \[item 0\]/);
	});

	it('lists every page of a long list, or up to the limit', async () => {
		for (let n = 0; n < 230; n++) emulator.state.account.block(`4915100${String(n).padStart(5, '0')}`);
		const all = await account({ operation: 'list', returnAll: true });
		expect(all.items).toHaveLength(230);
		expect(requestLines(emulator)).toEqual(['GET /block_users', 'GET /block_users', 'GET /block_users']);
		const some = await account({ operation: 'list', returnAll: false, limit: 5 });
		expect(some.items).toHaveLength(5);
	});

	it.each<[string, unknown, RegExp]>([
		['no users', '', /Users is required/],
		['a word', 'max', /Users: .*not a valid phone number|Users: .*has no country code/],
		['more than 1,000', Array.from({ length: 1001 }, (_, n) => `+49151${String(n).padStart(8, '0')}`), /1001 numbers; WhatsApp takes at most 1000 per call/],
	])('refuses %s before any request', async (_title, users, message) => {
		const { error } = await account({ operation: 'block', users: '={{ $json.users }}' }, [{ json: { users } as never }]);
		expect(error?.message).toMatch(message);
		expect(error?.message).toContain('[item 0]');
		expect(emulator.requests()).toEqual([]);
	});
});
