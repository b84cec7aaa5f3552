/**
 * Contacts: full cards from the form and from JSON (including a received card passed on), every
 * rule once with the message the user sees, and every body against Meta's spec.
 * Through the node: test/integration/send-contacts.test.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { contactsMessage, MAX_CONTACTS } from '../../../nodes/Dialog360/messageTypes/contacts';
import { CONTACT_CARD_BODY, CONTACT_CARD_FORM, envelope } from '../../support/bodies';
import { loadWebhookFixture } from '../../support/fixtures';
import { validateSendBody } from '../../support/metaSpec';
import { build, fieldError } from './stubBuildContext';

const form = (...cards: IDataObject[]) => ({ contactsInputMode: 'fields', contactsCards: { card: cards } });
const json = (value: unknown) => ({ contactsInputMode: 'json', contactsJson: value });

function expectSpecValid(body: IDataObject): void {
	expect(validateSendBody(envelope(body)).errors).toEqual([]);
}

async function formError(...cards: IDataObject[]): Promise<[string, string]> {
	const error = await fieldError(() => build(contactsMessage, form(...cards)));
	return [error.field, error.message];
}

async function jsonError(value: unknown): Promise<[string, string]> {
	const error = await fieldError(() => build(contactsMessage, json(value)));
	return [error.field, error.message];
}

describe('contacts from the form', () => {
	it('builds a full card with every field', async () => {
		const built = await build(contactsMessage, form(CONTACT_CARD_FORM));
		expect(built).toEqual({ body: { type: 'contacts', contacts: [CONTACT_CARD_BODY] } });
		expectSpecValid(built.body);
	});

	it('builds a minimal card: full name plus one name part', async () => {
		const built = await build(contactsMessage, form({ formattedName: 'Max', lastName: ' Mustermann ' }));
		expect(built.body).toEqual({ type: 'contacts', contacts: [{ name: { formatted_name: 'Max', last_name: 'Mustermann' } }] });
		expectSpecValid(built.body);
	});

	it('accepts a name prefix or suffix alone as the name part', async () => {
		const built = await build(contactsMessage, form({ formattedName: 'Support', additionalFields: { nameSuffix: 'Team' } }));
		expect(built.body.contacts).toEqual([{ name: { formatted_name: 'Support', suffix: 'Team' } }]);
	});

	it('builds several cards in order, up to five', async () => {
		const cards = Array.from({ length: MAX_CONTACTS }, (_, i) => ({ formattedName: `Person ${i + 1}`, firstName: `P${i + 1}` }));
		const built = await build(contactsMessage, form(...cards));
		expect((built.body.contacts as IDataObject[]).map((card) => (card.name as IDataObject).formatted_name)).toEqual([
			'Person 1',
			'Person 2',
			'Person 3',
			'Person 4',
			'Person 5',
		]);
		expectSpecValid(built.body);
	});

	it('skips empty rows (a preselected type alone is empty) and leaves out empty org and lists', async () => {
		const built = await build(
			contactsMessage,
			form({
				formattedName: 'Max',
				firstName: 'Max',
				phones: { phone: [{ number: '', type: 'CELL', waId: '' }, { number: '0151 1234567', type: 'CELL', waId: '' }] },
				emails: { email: [{ email: '', type: 'HOME' }] },
				additionalFields: { company: '', addresses: { address: [{ type: 'HOME' }] }, urls: { url: [] } },
			}),
		);
		expect(built.body.contacts).toEqual([{ name: { formatted_name: 'Max', first_name: 'Max' }, phones: [{ phone: '0151 1234567', type: 'CELL' }] }]);
		expectSpecValid(built.body);
	});

	it('takes numbers from sheets as text and types in any case, MOBILE meaning CELL', async () => {
		const built = await build(
			contactsMessage,
			form({
				formattedName: 'Max',
				firstName: 'Max',
				phones: { phone: [{ number: 4915112345678, type: 'mobile', waId: 4915112345678 }, { number: '+1 650 555 1234', type: 'iphone' }] },
				emails: { email: [{ email: 'max@example.com', type: 'home' }] },
				additionalFields: { addresses: { address: [{ zip: 10178, type: 'Home' }] } },
			}),
		);
		expect(built.body.contacts).toEqual([
			{
				name: { formatted_name: 'Max', first_name: 'Max' },
				phones: [
					{ phone: '4915112345678', type: 'CELL', wa_id: '4915112345678' },
					{ phone: '+1 650 555 1234', type: 'IPHONE' },
				],
				emails: [{ email: 'max@example.com', type: 'HOME' }],
				addresses: [{ zip: '10178', type: 'HOME' }],
			},
		]);
		expectSpecValid(built.body);
	});

	it.each(['CELL', 'MAIN', 'IPHONE', 'HOME', 'WORK'])('phone type %s passes the spec', async (type) => {
		const built = await build(contactsMessage, form({ formattedName: 'A', firstName: 'A', phones: { phone: [{ number: '+49 30 1234567', type }] } }));
		expectSpecValid(built.body);
	});
});

describe('contact rules (form)', () => {
	it('needs at least one and at most five cards', async () => {
		expect(await formError()).toEqual(['Contacts', 'Contacts needs at least 1 contacts; got 0']);
		const six = Array.from({ length: 6 }, (_, i) => ({ formattedName: `P${i}`, firstName: 'P' }));
		expect(await formError(...six)).toEqual(['Contacts', 'Contacts has 6 contacts; WhatsApp allows 5']);
	});

	it('needs a full name', async () => {
		expect(await formError({ formattedName: ' ', firstName: 'Erika' })).toEqual(['Contact 1 Full Name', 'Contact 1 Full Name is required']);
	});

	it('needs a name part besides the full name', async () => {
		expect(await formError({ formattedName: 'Max', firstName: 'Max' }, { formattedName: 'Erika Musterfrau' })).toEqual([
			'Contact 2',
			'Contact 2 needs a First Name, Last Name, Middle Name, Name Prefix or Name Suffix besides the Full Name; WhatsApp requires one of them',
		]);
	});

	it('names the phone row by its position in the form, empty rows included', async () => {
		const card = {
			formattedName: 'Max',
			firstName: 'Max',
			phones: { phone: [{ number: '', type: 'CELL' }, { number: '+49 151 1', type: 'FAX' }] },
		};
		expect(await formError(card)).toEqual(['Contact 1 Phone 2 Type', 'Contact 1 Phone 2 Type "FAX" is not one of CELL, MAIN, IPHONE, HOME, WORK']);
	});

	it('checks phone numbers and WhatsApp IDs', async () => {
		const phone = (row: IDataObject) => ({ formattedName: 'Max', firstName: 'Max', phones: { phone: [row] } });
		expect(await formError(phone({ number: '', waId: '4915112345678' }))).toEqual(['Contact 1 Phone 1', 'Contact 1 Phone 1 is required']);
		expect(await formError(phone({ number: 'n/a' }))).toEqual(['Contact 1 Phone 1', 'Contact 1 Phone 1 "n/a" is not a phone number']);
		expect(await formError(phone({ number: '+49 151 1234567', waId: 'Max' }))).toEqual([
			'Contact 1 Phone 1 WhatsApp ID',
			'Contact 1 Phone 1 WhatsApp ID "Max" must be the phone number\'s digits with country code, like 4917612345678',
		]);
		expect(await formError(phone({ number: '+49 151 1234567', waId: '12345' }))).toEqual([
			'Contact 1 Phone 1 WhatsApp ID',
			'Contact 1 Phone 1 WhatsApp ID "12345" must be the phone number\'s digits with country code, like 4917612345678',
		]);
	});

	it('normalizes a WhatsApp ID written like a phone number', async () => {
		const built = await build(
			contactsMessage,
			form({ formattedName: 'Max', firstName: 'Max', phones: { phone: [{ number: '+49 151 1234567', waId: '0049 (151) 123-4567' }] } }),
		);
		expect((built.body.contacts as IDataObject[])[0].phones).toEqual([{ phone: '+49 151 1234567', wa_id: '491511234567' }]);
	});

	it('checks email addresses and their type', async () => {
		const card = (row: IDataObject) => ({ formattedName: 'Max', firstName: 'Max', emails: { email: [row] } });
		expect(await formError(card({ email: 'max(at)example.com' }))).toEqual([
			'Contact 1 Email 1',
			'Contact 1 Email 1 "max(at)example.com" is not a valid email address',
		]);
		expect(await formError(card({ email: 'max@example.com', type: 'OFFICE' }))).toEqual([
			'Contact 1 Email 1 Type',
			'Contact 1 Email 1 Type "OFFICE" is not one of HOME, WORK',
		]);
	});

	it('checks web addresses', async () => {
		const card = { formattedName: 'Max', firstName: 'Max', additionalFields: { urls: { url: [{ url: 'my site.com' }] } } };
		expect(await formError(card)).toEqual(['Contact 1 URL 1', 'Contact 1 URL 1 "my site.com" is not a valid web address']);
	});

	it('checks the country code of an address', async () => {
		const card = { formattedName: 'Max', firstName: 'Max', additionalFields: { addresses: { address: [{ city: 'Berlin', countryCode: 'DEU' }] } } };
		expect(await formError(card)).toEqual([
			'Contact 1 Address 1 Country Code',
			'Contact 1 Address 1 Country Code must be a two-letter country code like DE or US; got "DEU"',
		]);
	});

	it.each(['1990-02-30', '31.01.1990', '1990-1-31', '1990-13-01', '01/31/1990'])('rejects the birthday %p', async (birthday) => {
		expect(await formError({ formattedName: 'Max', firstName: 'Max', additionalFields: { birthday } })).toEqual([
			'Contact 1 Birthday',
			`Contact 1 Birthday must be a date written YYYY-MM-DD, like 1990-01-31; got "${birthday}"`,
		]);
	});

	it('accepts 29 February in a leap year', async () => {
		const built = await build(contactsMessage, form({ formattedName: 'Max', firstName: 'Max', additionalFields: { birthday: '2000-02-29' } }));
		expect((built.body.contacts as IDataObject[])[0].birthday).toBe('2000-02-29');
		expectSpecValid(built.body);
	});

	it('rejects a value that is not text', async () => {
		expect(await formError({ formattedName: { first: 'Max' }, firstName: 'Max' })).toEqual([
			'Contact 1 Full Name',
			'Contact 1 Full Name must be text, but got an object: {"first":"Max"}',
		]);
	});
});

describe('contacts from JSON', () => {
	it('takes an array in Meta\'s format, as a JSON string or as mapped data', async () => {
		const asData = await build(contactsMessage, json([CONTACT_CARD_BODY]));
		expect(asData.body).toEqual({ type: 'contacts', contacts: [CONTACT_CARD_BODY] });
		const asString = await build(contactsMessage, json(JSON.stringify([CONTACT_CARD_BODY])));
		expect(asString.body).toEqual(asData.body);
		expectSpecValid(asData.body);
	});

	it('takes a single card object', async () => {
		const built = await build(contactsMessage, json({ name: { formatted_name: 'Max', first_name: 'Max' }, phones: { phone: '+49 151 1234567' } }));
		expect(built.body).toEqual({
			type: 'contacts',
			contacts: [{ name: { formatted_name: 'Max', first_name: 'Max' }, phones: [{ phone: '+49 151 1234567' }] }],
		});
		expectSpecValid(built.body);
	});

	it('passes on a received contacts message (MOBILE becomes CELL)', async () => {
		const received = loadWebhookFixture('message-contacts').entry[0].changes[0].value.messages[0].contacts;
		const built = await build(contactsMessage, json(received));
		expect(built.body).toEqual({
			type: 'contacts',
			contacts: [
				{
					name: { formatted_name: 'Erika Musterfrau', first_name: 'Erika', last_name: 'Musterfrau' },
					phones: [{ phone: '+49 176 12345678', type: 'CELL', wa_id: '4917612345678' }],
					emails: [{ email: 'erika@example.invalid', type: 'WORK' }],
					org: { company: 'Example GmbH' },
				},
			],
		});
		expectSpecValid(built.body);
	});

	it('names problems by JSON path', async () => {
		expect(await jsonError([{ name: { formatted_name: 'A', first_name: 'A' } }, { name: { formatted_name: 'B' } }])).toEqual([
			'Contacts (JSON)',
			'Contacts (JSON) [1].name needs a first_name, last_name, middle_name, prefix or suffix besides the formatted_name; WhatsApp requires one of them',
		]);
		expect(await jsonError([{ name: { first_name: 'A' } }])).toEqual(['Contacts (JSON)', 'Contacts (JSON) [0].name.formatted_name is required']);
		expect(await jsonError([{ name: { formatted_name: 'A', first_name: 'A' }, phones: [{ phone: '+1 650 555 1234', type: 'FAX' }] }])).toEqual([
			'Contacts (JSON)',
			'Contacts (JSON) [0].phones[0].type "FAX" is not one of CELL, MAIN, IPHONE, HOME, WORK',
		]);
		expect(await jsonError([{ name: { formatted_name: 'A', first_name: 'A' }, birthday: '1990-02-30' }])).toEqual([
			'Contacts (JSON)',
			'Contacts (JSON) [0].birthday must be a date written YYYY-MM-DD, like 1990-01-31; got "1990-02-30"',
		]);
	});

	it('rejects unknown fields instead of sending them', async () => {
		expect(await jsonError([{ name: { formatted_name: 'A', first_name: 'A' }, nickname: 'Al' }])).toEqual([
			'Contacts (JSON)',
			'Contacts (JSON) [0] has unknown field "nickname"; allowed: name, phones, emails, urls, addresses, org, birthday',
		]);
		expect(await jsonError([{ name: { formatted_name: 'A', first_name: 'A' }, phones: [{ number: '1' }] }])).toEqual([
			'Contacts (JSON)',
			'Contacts (JSON) [0].phones[0] has unknown field "number"; allowed: phone, type, wa_id',
		]);
	});

	it('rejects broken JSON, wrong shapes and wrong counts', async () => {
		const [field, message] = await jsonError('[{"name": ');
		expect(field).toBe('Contacts (JSON)');
		expect(message).toMatch(/^Contacts \(JSON\) is not valid JSON: /);
		expect(await jsonError(42)).toEqual(['Contacts (JSON)', 'Contacts (JSON) must be a list of contact cards like [{"name": {...}, "phones": [...]}]']);
		expect(await jsonError('[]')).toEqual(['Contacts (JSON)', 'Contacts (JSON) needs at least 1 contacts; got 0']);
		expect(await jsonError('')).toEqual(['Contacts (JSON)', 'Contacts (JSON) needs at least 1 contacts; got 0']);
		const six = Array.from({ length: 6 }, () => ({ name: { formatted_name: 'A', first_name: 'A' } }));
		expect(await jsonError(six)).toEqual(['Contacts (JSON)', 'Contacts (JSON) has 6 contacts; WhatsApp allows 5']);
		expect(await jsonError(['Max'])).toEqual(['Contacts (JSON)', 'Contacts (JSON) [0] must be an object']);
		expect(await jsonError([{ name: { formatted_name: 'A', first_name: 'A' }, phones: 'none' }])).toEqual([
			'Contacts (JSON)',
			'Contacts (JSON) [0].phones must be a list',
		]);
	});
});

describe('contacts form definition', () => {
	it('switches input mode without expressions and shows each input only in its mode', () => {
		const byName = Object.fromEntries(contactsMessage.properties.map((property) => [property.name, property]));
		expect(Object.keys(byName)).toEqual(['contactsInputMode', 'contactsCards', 'contactsJson']);
		expect(byName.contactsInputMode.noDataExpression).toBe(true);
		expect(byName.contactsCards.displayOptions?.show?.contactsInputMode).toEqual(['fields']);
		expect(byName.contactsJson.displayOptions?.show?.contactsInputMode).toEqual(['json']);
	});
});
