/** Contacts through the Send node inside n8n-core, against the emulator (the bodies alone: test/unit/send/contacts.test.ts). */
import { CONTACT_CARD_BODY, CONTACT_CARD_FORM, ENVELOPE, TO } from '../support/bodies';
import { loadWebhookFixture } from '../support/fixtures';
import { acceptedBodies, runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

describe('contacts through the 360dialog node', () => {
	const emulator = useEmulator();

	it('sends a full card entered in the form', async () => {
		const { error } = await runSendNode(emulator, { messageType: 'contacts', to: TO, contactsInputMode: 'fields', contactsCards: { card: [CONTACT_CARD_FORM] } });
		expect(error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([{ ...ENVELOPE, type: 'contacts', contacts: [CONTACT_CARD_BODY] }]);
	});

	it('sends a card whose rows were added but left partly empty, with form defaults filled in by n8n', async () => {
		const { error } = await runSendNode(
			emulator,
			{
				messageType: 'contacts',
				to: TO,
				contactsCards: {
					card: [{ formattedName: '={{ $json.name }}', firstName: '={{ $json.first }}', phones: { phone: [{ number: '={{ $json.phone }}' }, {}] } }],
				},
			},
			[{ json: { name: 'Max Mustermann', first: 'Max', phone: '+49 151 1234567' } }],
		);
		expect(error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([
			{
				...ENVELOPE,
				type: 'contacts',
				contacts: [{ name: { formatted_name: 'Max Mustermann', first_name: 'Max' }, phones: [{ phone: '+49 151 1234567', type: 'CELL' }] }],
			},
		]);
	});

	it('passes on the contacts of a received message through JSON', async () => {
		const received = loadWebhookFixture('message-contacts').entry[0].changes[0].value.messages[0];
		const { error } = await runSendNode(
			emulator,
			{ messageType: 'contacts', to: TO, contactsInputMode: 'json', contactsJson: '={{ $json.contacts }}' },
			[{ json: received }],
		);
		expect(error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([
			{
				...ENVELOPE,
				type: 'contacts',
				contacts: [
					{
						name: { formatted_name: 'Erika Musterfrau', first_name: 'Erika', last_name: 'Musterfrau' },
						org: { company: 'Example GmbH' },
						phones: [{ phone: '+49 176 12345678', wa_id: '4917612345678', type: 'CELL' }],
						emails: [{ email: 'erika@example.invalid', type: 'WORK' }],
					},
				],
			},
		]);
	});

	it('stops before any request on a bad birthday', async () => {
		const { error } = await runSendNode(emulator, {
			messageType: 'contacts',
			to: TO,
			contactsCards: { card: [{ formattedName: 'Max', firstName: 'Max', additionalFields: { birthday: '31.01.1990' } }] },
		});
		expect(error?.message).toBe('Contact 1 Birthday must be a date written YYYY-MM-DD, like 1990-01-31; got "31.01.1990" [item 0]');
		expect(emulator.requests()).toEqual([]);
	});
});
