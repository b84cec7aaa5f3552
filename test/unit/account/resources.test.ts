/** Pure parts of the Account node's other resources: users list, profile update, conversational components, health, webhook config, template list filters. */
import { readUsers } from '../../../nodes/Dialog360Account/actions/blockedUser/users';
import { buildProfileUpdate } from '../../../nodes/Dialog360Account/actions/businessProfile/update.operation';
import { buildComponents, readComponents } from '../../../nodes/Dialog360Account/actions/phoneNumber/components';
import { readHealth } from '../../../nodes/Dialog360Account/actions/phoneNumber/getHealth.operation';
import { matchesFilters } from '../../../nodes/Dialog360Account/actions/template/list.operation';
import { buildWebhookConfig } from '../../../nodes/Dialog360Account/actions/webhook/set.operation';
import { FieldError } from '../../../nodes/common/validation';

function fieldOf(run: () => unknown): string | undefined {
	try {
		run();
		return undefined;
	} catch (error) {
		if (error instanceof FieldError) return error.field;
		throw error;
	}
}

describe('readUsers', () => {
	it('splits, normalises and de-duplicates', () => {
		expect(readUsers('+49 151 12345678,\n4915112345678; +4917612345678')).toEqual(['4915112345678', '4917612345678']);
		expect(readUsers(['+4915112345678', 4917612345678])).toEqual(['4915112345678', '4917612345678']);
	});

	it('names the field', () => {
		expect(fieldOf(() => readUsers(' , '))).toBe('Users');
		expect(fieldOf(() => readUsers('abc'))).toBe('Users');
		expect(fieldOf(() => readUsers([{ a: 1 }]))).toBe('Users entry 1');
	});
});

describe('buildProfileUpdate', () => {
	it('sends only what is given', () => {
		expect(buildProfileUpdate({ email: 'a@b.de', vertical: 'edu' })).toEqual({ messaging_product: 'whatsapp', email: 'a@b.de', vertical: 'EDU' });
		expect(buildProfileUpdate({ websites: ['https://a.example'] })).toEqual({ messaging_product: 'whatsapp', websites: ['https://a.example'] });
	});

	it.each<[Record<string, unknown>, string]>([
		[{}, 'Update Fields'],
		[{ about: '' }, 'About'],
		[{ address: 'x'.repeat(257) }, 'Address'],
		[{ description: 'x'.repeat(513) }, 'Description'],
		[{ email: 'nope' }, 'Email'],
		[{ vertical: 'SPACE' }, 'Industry (Vertical)'],
		[{ websites: 'ftp://x.example' }, 'Websites 1'],
	])('%j → %s', (fields, field) => {
		expect(fieldOf(() => buildProfileUpdate(fields))).toBe(field);
	});
});

describe('conversational components', () => {
	it('builds and reads the body', () => {
		const body = buildComponents({ enableWelcomeMessage: true, commands: [{ name: '/help', description: 'Help' }], iceBreakers: [{ text: 'Hi' }] });
		expect(body).toEqual({ enable_welcome_message: true, commands: [{ command_name: 'help', command_description: 'Help' }], prompts: ['Hi'] });
		expect(readComponents({ conversational_automation: body })).toEqual({ welcomeMessage: true, commands: [{ name: 'help', description: 'Help' }], iceBreakers: ['Hi'] });
		expect(readComponents({})).toEqual({ welcomeMessage: false, commands: [], iceBreakers: [] });
	});

	it('31 commands and long names are refused', () => {
		expect(fieldOf(() => buildComponents({ commands: Array.from({ length: 31 }, (_, n) => ({ name: `c${n}`, description: 'd' })) }))).toBe('Commands');
		expect(fieldOf(() => buildComponents({ commands: [{ name: 'x'.repeat(33), description: 'd' }] }))).toBe('Command 1 Name');
		expect(fieldOf(() => buildComponents({ commands: [{ name: 'ok', description: 'd'.repeat(257) }] }))).toBe('Command 1 Description');
		expect(fieldOf(() => buildComponents({ iceBreakers: [{ text: 'a' }, { text: 'a' }] }))).toBe('Ice Breaker 2 Text');
	});
});

describe('readHealth', () => {
	it('flattens entities and collects problems', () => {
		const health = readHealth({
			id: '1',
			health_status: {
				can_send_message: 'BLOCKED',
				entities: [{ entity_type: 'WABA', id: '2', can_send_message: 'BLOCKED', errors: [{ error_code: 141006, error_description: 'Payment', possible_solution: 'Pay' }] }],
			},
		});
		expect(health).toEqual({
			canSendMessage: 'BLOCKED',
			phoneNumberId: '1',
			problems: [{ entity: 'WABA', code: 141006, description: 'Payment', solution: 'Pay' }],
			entities: [{ type: 'WABA', id: '2', canSendMessage: 'BLOCKED', errors: [{ error_code: 141006, error_description: 'Payment', possible_solution: 'Pay' }] }],
		});
	});
});

describe('webhook config and template filters', () => {
	it('keeps headers and allows http on a custom host only', () => {
		expect(buildWebhookConfig('http://127.0.0.1:5678/x', [{ name: 'X-A', value: '1' }], false)).toEqual({ url: 'http://127.0.0.1:5678/x', headers: { 'X-A': '1' } });
		expect(fieldOf(() => buildWebhookConfig('http://127.0.0.1:5678/x', [], true))).toBe('URL');
		expect(fieldOf(() => buildWebhookConfig('https://a.example/x', [{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }], true))).toBe('Header 2 Name');
	});

	it('filters by name part, status, category (any case) and exact language', () => {
		const template = { name: 'order_update', status: 'APPROVED', category: 'UTILITY', language: 'en_US' };
		expect(matchesFilters(template, { name: 'order', status: 'approved', category: 'UTILITY', language: 'en_US' })).toBe(true);
		expect(matchesFilters(template, { language: 'en' })).toBe(false);
		expect(matchesFilters(template, { status: 'PENDING' })).toBe(false);
	});
});
