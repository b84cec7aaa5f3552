/**
 * The canonical request bodies of the test suites: one recipient, the envelope the Send node's router
 * puts around every message part, and the sample payloads several suites send. Import these instead
 * of writing them again, so a change to the envelope (or the recipient) is made in one place.
 */
import type { IDataObject } from 'n8n-workflow';

/** The recipient as a user types it into the node's "To" field. */
export const TO = '+49 151 12345678';

/** `TO` normalised the way the node sends it (and the WhatsApp ID the emulator answers with). */
export const TO_WA_ID = '4915112345678';

/** What the router adds around every message part sent to `TO` (nodes/Dialog360/send.ts). */
export const ENVELOPE = { messaging_product: 'whatsapp', recipient_type: 'individual', to: TO_WA_ID } as const;

/** The whole body the node sends: the envelope plus a module's part (`{ type, [type]: … }`). */
export function envelope(body: IDataObject): IDataObject {
	return { ...ENVELOPE, ...body };
}

/** A complete text message to `TO`. */
export function textMessage(text: string, extra: IDataObject = {}): IDataObject {
	return { ...ENVELOPE, type: 'text', text: { body: text }, ...extra };
}

/** The ID of an inbound message, as a reaction or a read receipt names it. */
export const INBOUND_WAMID = 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD09AA==';

/** A real 1×1 PNG. */
export const PNG_1X1 = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64',
);

/** A contact card with every field, as the node's "Contact" form row hands it over. */
export const CONTACT_CARD_FORM = {
	formattedName: 'Dr. Erika M. Musterfrau',
	firstName: 'Erika',
	lastName: 'Musterfrau',
	phones: {
		phone: [
			{ number: '+49 176 12345678', type: 'CELL', waId: '+49 176 1234-5678' },
			{ number: '030 1234567', type: 'WORK', waId: '' },
		],
	},
	emails: { email: [{ email: 'erika@example.com', type: 'WORK' }] },
	additionalFields: {
		middleName: 'M.',
		namePrefix: 'Dr.',
		nameSuffix: 'PhD',
		company: 'Example GmbH',
		department: 'Sales',
		jobTitle: 'CEO',
		birthday: '1990-01-31',
		urls: { url: [{ url: 'example.com', type: 'WORK' }, { url: 'https://erika.example/about', type: '' }] },
		addresses: {
			address: [
				{
					street: 'Alexanderplatz 1',
					city: 'Berlin',
					state: 'BE',
					zip: '10178',
					country: 'Germany',
					countryCode: 'de',
					type: 'WORK',
				},
			],
		},
	},
};

/** `CONTACT_CARD_FORM` as the card of a contacts message body (Meta's format). */
export const CONTACT_CARD_BODY: IDataObject = {
	name: {
		formatted_name: 'Dr. Erika M. Musterfrau',
		first_name: 'Erika',
		last_name: 'Musterfrau',
		middle_name: 'M.',
		prefix: 'Dr.',
		suffix: 'PhD',
	},
	phones: [
		{ phone: '+49 176 12345678', type: 'CELL', wa_id: '4917612345678' },
		{ phone: '030 1234567', type: 'WORK' },
	],
	emails: [{ email: 'erika@example.com', type: 'WORK' }],
	urls: [{ url: 'https://example.com', type: 'WORK' }, { url: 'https://erika.example/about' }],
	addresses: [
		{ street: 'Alexanderplatz 1', city: 'Berlin', state: 'BE', zip: '10178', country: 'Germany', country_code: 'de', type: 'WORK' },
	],
	org: { company: 'Example GmbH', department: 'Sales', title: 'CEO' },
	birthday: '1990-01-31',
};
