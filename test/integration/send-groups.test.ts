/**
 * Sending to a WhatsApp group through the real Send node inside n8n-core, against the emulator:
 * Recipient Type "Group" sends `recipient_type: "group"` with the Group ID in `to` (no phone-number
 * parsing), only for the types groups take; anything else is refused before sending, naming the
 * type and the item.
 */
import type { IDataObject } from 'n8n-workflow';

import { TO, TO_WA_ID } from '../support/bodies';
import { validateSendBody } from '../support/metaSpec';
import { runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

const GROUP = 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD';
const groupEnvelope = { messaging_product: 'whatsapp', recipient_type: 'group', to: GROUP };

describe('Send node → emulator: group recipients', () => {
	it.each<[string, IDataObject, IDataObject]>([
		['text', { messageType: 'text', textBody: 'Hello group' }, { type: 'text', text: { body: 'Hello group' } }],
		[
			'an image by link',
			{ messageType: 'image', mediaSource: 'url', mediaUrl: 'https://example.com/a.png', mediaCaption: 'Menu' },
			{ type: 'image', image: { link: 'https://example.com/a.png', caption: 'Menu' } },
		],
		[
			'a template',
			{ messageType: 'template', template: { __rl: true, mode: 'list', value: 'hello_world|en_US' } },
			{ type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } },
		],
	])('sends %s to the group; the output shows the group ID', async (_name, parameters, content) => {
		const result = await runSendNode(emulator, { recipientType: 'group', to: GROUP, ...parameters });
		expect(result.error).toBeUndefined();
		const [recorded] = emulator.messages();
		expect(recorded.body).toMatchObject({ ...groupEnvelope, ...content });
		expect(validateSendBody(recorded.body).errors).toEqual([]);
		expect(result.items[0].json).toMatchObject({ messageId: recorded.wamid, messageStatus: 'accepted', to: GROUP, input: GROUP, type: content.type });
	});

	it('takes the group ID from an expression, one group per item', async () => {
		const other = 'Y2FwaV9ncm91cDo0OTMwMTIzNDU2Nzg5OkZBS0VHUk9VUDAwMDE=';
		const result = await runSendNode(emulator, { recipientType: 'group', to: '={{ $json.groupId }}', messageType: 'text', textBody: 'Hi' }, [
			{ json: { groupId: GROUP } },
			{ json: { groupId: other } },
		]);
		expect(result.error).toBeUndefined();
		expect(emulator.messages().map((m) => (m.body as IDataObject).to)).toEqual([GROUP, other]);
		expect(result.items.map((i) => i.json.to)).toEqual([GROUP, other]);
	});

	it('sends every part of a split long text to the group', async () => {
		const paragraph = 'x'.repeat(3000);
		const result = await runSendNode(emulator, { recipientType: 'group', to: GROUP, messageType: 'text', textBody: `${paragraph}\n\n${paragraph}`, splitLongText: true });
		expect(result.error).toBeUndefined();
		const bodies = emulator.messages().map((m) => m.body as IDataObject);
		expect(bodies).toHaveLength(2);
		for (const body of bodies) {
			expect(body).toMatchObject(groupEnvelope);
			expect(validateSendBody(body).errors).toEqual([]);
		}
	});

	it('refuses an interactive message to a group before sending anything, naming the type and the item', async () => {
		const result = await runSendNode(emulator, {
			recipientType: 'group',
			to: GROUP,
			messageType: 'interactive',
			interactiveType: 'button',
			interactiveBodyText: 'Pick',
			interactiveButtons: { button: [{ title: 'Yes', id: 'y' }] },
		});
		expect(result.error?.message).toBe(
			'Interactive messages cannot be sent to a WhatsApp group: groups take only text, media (image, video, audio, document, sticker) and template messages [item 0]',
		);
		expect(emulator.requests()).toEqual([]);
	});

	it('refuses a marketing template through the Marketing Messages API to a group (individuals only)', async () => {
		const result = await runSendNode(emulator, {
			recipientType: 'group',
			to: GROUP,
			messageType: 'template',
			template: { __rl: true, mode: 'list', value: 'welcome_customer|de' },
			templateFields: { mappingMode: 'defineBelow', value: { 'body.first_name': 'Erika', 'body.shop_name': 'Shop' }, matchingColumns: [], schema: [] },
			templateViaMarketingMessages: true,
		});
		expect(result.error?.message).toBe(
			'Recipient Type: a WhatsApp group is not available with Send via Marketing Messages API; it sends to individual customers only [item 0]',
		);
		expect(emulator.messages()).toEqual([]);
	});

	it('refuses a phone number as Group ID instead of parsing it', async () => {
		const result = await runSendNode(emulator, { recipientType: 'group', to: TO, messageType: 'text', textBody: 'Hi' });
		expect(result.error?.message).toBe(`Group ID "${TO}" contains spaces; a group ID is one word [item 0]`);
		const digits = await runSendNode(emulator, { recipientType: 'group', to: TO_WA_ID, messageType: 'text', textBody: 'Hi' });
		expect(digits.error?.message).toBe(`Group ID "${TO_WA_ID}" looks like a phone number; set Recipient Type to Individual to send to a person [item 0]`);
		expect(emulator.requests()).toEqual([]);
	});

	it('with Continue On Fail, sends to the good group and reports the bad item', async () => {
		const result = await runSendNode(
			emulator,
			{ recipientType: 'group', to: '={{ $json.groupId }}', messageType: 'text', textBody: 'Hi' },
			[{ json: { groupId: GROUP } }, { json: { groupId: '' } }],
			{ continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ to: GROUP, messageStatus: 'accepted' });
		expect(result.items[1].json.error).toBe(
			'Group ID is required: the ID of the group from the Groups API (or the groupId of a 360dialog Trigger item) [item 1]',
		);
		expect(emulator.messages()).toHaveLength(1);
	});

	it('leaves individual recipients as they were (Recipient Type defaults to Individual)', async () => {
		emulator.openConversation(TO_WA_ID);
		const result = await runSendNode(emulator, { to: TO, messageType: 'text', textBody: 'Hi' });
		expect(result.error).toBeUndefined();
		expect(emulator.messages()[0].body).toMatchObject({ recipient_type: 'individual', to: TO_WA_ID });
	});
});
