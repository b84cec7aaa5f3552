/** 360dialog Account node, Phone Number resource: health status, conversational components get/set. */
import type { INodeParameters } from 'n8n-workflow';

import { runAccountNode } from '../support/accountNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

const account = (parameters: INodeParameters) => runAccountNode(emulator, { resource: 'phoneNumber', ...parameters });

describe('Phone Number', () => {
	it('reports health, with the problems when the number is blocked', async () => {
		const healthy = await account({ operation: 'getHealth' });
		expect(healthy.items[0].json).toMatchObject({ canSendMessage: 'AVAILABLE', problems: [], phoneNumberId: '109000000000001' });
		expect(healthy.items[0].json.entities).toHaveLength(4);
		emulator.configure({ healthStatus: 'BLOCKED' });
		const blocked = await account({ operation: 'getHealth' });
		expect(blocked.items[0].json).toMatchObject({ canSendMessage: 'BLOCKED', problems: [{ entity: 'PHONE_NUMBER', code: 141006 }] });
	});

	it('sets and gets commands, ice breakers and the welcome message', async () => {
		const set = await account({
			operation: 'setConversationalComponents',
			enableWelcomeMessage: true,
			iceBreakers: { iceBreaker: [{ text: 'Where is my order?' }, { text: 'Opening hours' }] },
			commands: { command: [{ name: '/status', description: 'Check your order status' }] },
		});
		expect(set.error).toBeUndefined();
		expect(emulator.requests()[0].body).toEqual({
			enable_welcome_message: true,
			commands: [{ command_name: 'status', command_description: 'Check your order status' }],
			prompts: ['Where is my order?', 'Opening hours'],
		});
		const got = await account({ operation: 'getConversationalComponents' });
		expect(got.items).toEqual([
			{
				json: { welcomeMessage: true, commands: [{ name: 'status', description: 'Check your order status' }], iceBreakers: ['Where is my order?', 'Opening hours'] },
				pairedItem: { item: 0 },
			},
		]);
	});

	it.each<[string, INodeParameters, RegExp]>([
		['five ice breakers', { iceBreakers: { iceBreaker: [1, 2, 3, 4, 5].map((n) => ({ text: `Q${n}` })) } }, /Ice Breakers has 5 ice breakers; WhatsApp allows 4/],
		['a long ice breaker', { iceBreakers: { iceBreaker: [{ text: 'x'.repeat(81) }] } }, /Ice Breaker 1 has 81 characters; WhatsApp allows 80/],
		['a command with a space', { commands: { command: [{ name: 'my status', description: 'x' }] } }, /Command 1 Name "my status" may not contain spaces/],
		['a command without description', { commands: { command: [{ name: 'status', description: '' }] } }, /Command 1 Description is required/],
		['the same command twice', { commands: { command: [{ name: 'a', description: 'x' }, { name: '/a', description: 'y' }] } }, /Command 2 Name repeats "a" of Command 1/],
	])('refuses %s before any request', async (_title, overrides, message) => {
		const { error } = await account({ operation: 'setConversationalComponents', ...overrides });
		expect(error?.message).toMatch(message);
		expect(emulator.requests()).toEqual([]);
	});
});
