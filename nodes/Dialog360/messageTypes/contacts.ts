/**
 * Contact cards (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/contacts-messages).
 * Two ways in: form fields (one row per card), or a JSON array in Meta's format, e.g. mapped from
 * a previous node or from a received contacts message. Both become the same raw shape and go
 * through the same validation, which rebuilds the cards from known fields only.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../common/json';
import { describeValue, countInRange, FieldError, parseJsonText } from '../../common/validation';
import type { MessageTypeModule } from './types';

/** Meta's OpenAPI spec allows 1–5 cards per message (`ContactsMessage.contacts`). */
export const MAX_CONTACTS = 5;

export const PHONE_TYPES = ['CELL', 'MAIN', 'IPHONE', 'HOME', 'WORK'] as const;
const HOME_WORK = ['HOME', 'WORK'] as const;
/** Labels seen in received cards that mean one of the types WhatsApp accepts when sending. */
const TYPE_ALIASES: Record<string, string> = { MOBILE: 'CELL' };

const NAME_PARTS = ['first_name', 'last_name', 'middle_name', 'prefix', 'suffix'] as const;

/** Fields each level may have; anything else in JSON input is rejected by name. */
const KNOWN_KEYS: Record<string, readonly string[]> = {
	contact: ['name', 'phones', 'emails', 'urls', 'addresses', 'org', 'birthday'],
	name: ['formatted_name', ...NAME_PARTS],
	phones: ['phone', 'type', 'wa_id'],
	emails: ['email', 'type'],
	urls: ['url', 'type'],
	addresses: ['street', 'city', 'state', 'zip', 'country', 'country_code', 'type'],
	org: ['company', 'department', 'title'],
};

// ---------------------------------------------------------------------------------------------
// Naming a place in a card, as the form shows it or as a JSON path
// ---------------------------------------------------------------------------------------------

type Segment = string | number;

const ROW_LABEL: Record<string, string> = { phones: 'Phone', emails: 'Email', urls: 'URL', addresses: 'Address' };
const KEY_LABEL: Record<string, string> = {
	formatted_name: 'Full Name',
	first_name: 'First Name',
	last_name: 'Last Name',
	middle_name: 'Middle Name',
	prefix: 'Name Prefix',
	suffix: 'Name Suffix',
	wa_id: 'WhatsApp ID',
	type: 'Type',
	street: 'Street',
	city: 'City',
	state: 'State',
	zip: 'ZIP Code',
	country: 'Country',
	country_code: 'Country Code',
	company: 'Company',
	department: 'Department',
	title: 'Job Title',
	birthday: 'Birthday',
	// The row's own value ("Phone 2", not "Phone 2 Number"), and plain containers.
	phone: '',
	email: '',
	url: '',
	name: '',
	org: '',
};

interface Locator {
	/** FieldError.field for this place. */
	field(contact: number, path: Segment[]): string;
	/** How messages name this place. */
	label(contact: number, path: Segment[]): string;
}

const FORM: Locator = {
	field: (contact, path) => FORM.label(contact, path),
	label(contact, path) {
		const words = [`Contact ${contact + 1}`];
		for (const segment of path) {
			if (typeof segment === 'number') words[words.length - 1] += ` ${segment + 1}`;
			else if (segment in ROW_LABEL) words.push(ROW_LABEL[segment]);
			else if (KEY_LABEL[segment] !== '') words.push(KEY_LABEL[segment] ?? segment);
		}
		return words.join(' ');
	},
};

const JSON_FIELD = 'Contacts (JSON)';
const JSON_INPUT: Locator = {
	field: () => JSON_FIELD,
	label(contact, path) {
		let out = `[${contact}]`;
		for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
		return `${JSON_FIELD} ${out}`;
	},
};

// ---------------------------------------------------------------------------------------------
// Validation: raw card (Meta's shape, values unchecked) → clean card
// ---------------------------------------------------------------------------------------------

type Raw = Record<string, unknown>;

const isBlank = (value: unknown): boolean =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

class CardReader {
	constructor(
		private readonly locator: Locator,
		private readonly contact: number,
	) {}

	fail(path: Segment[], rule: string): never {
		throw new FieldError(this.locator.field(this.contact, path), `${this.locator.label(this.contact, path)} ${rule}`);
	}

	/** Text of a value (numbers from sheets become text); undefined when empty. */
	text(value: unknown, path: Segment[]): string | undefined {
		if (isBlank(value)) return undefined;
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
		if (typeof value !== 'string') this.fail(path, `must be text, but got ${describeValue(value)}`);
		return value.trim();
	}

	object(value: unknown, path: Segment[], level: string): Raw | undefined {
		if (isBlank(value)) return undefined;
		if (!isRecord(value)) this.fail(path, 'must be an object');
		const unknown = Object.keys(value).filter((key) => !KNOWN_KEYS[level].includes(key));
		if (unknown.length > 0) {
			this.fail(path, `has unknown field "${unknown[0]}"; allowed: ${KNOWN_KEYS[level].join(', ')}`);
		}
		return value;
	}

	/** Rows of a list, with their position (empty rows are skipped but keep their number). */
	rows(value: unknown, key: string): Array<{ row: Raw; index: number }> {
		if (isBlank(value)) return [];
		const list = isRecord(value) ? [value] : value;
		if (!Array.isArray(list)) this.fail([key], 'must be a list');
		const rows: Array<{ row: Raw; index: number }> = [];
		list.forEach((item, index) => {
			const row = this.object(item, [key, index], key);
			// A row with nothing but a type (the form preselects one) is an unused row.
			if (row && Object.entries(row).some(([field, entry]) => field !== 'type' && !isBlank(entry))) rows.push({ row, index });
		});
		return rows;
	}

	type(value: unknown, path: Segment[], allowed: readonly string[]): string | undefined {
		const text = this.text(value, path)?.toUpperCase();
		if (text === undefined) return undefined;
		const type = TYPE_ALIASES[text] && allowed.includes(TYPE_ALIASES[text]) ? TYPE_ALIASES[text] : text;
		if (!allowed.includes(type)) this.fail(path, `"${String(value)}" is not one of ${allowed.join(', ')}`);
		return type;
	}
}

/** Phone number as shown on the card: free format, but it has to contain digits. */
function phone(reader: CardReader, value: unknown, path: Segment[]): string {
	const text = reader.text(value, path);
	if (text === undefined) reader.fail(path, 'is required');
	if ((text.match(/\d/g) ?? []).length < 3) reader.fail(path, `"${text}" is not a phone number`);
	return text;
}

/** WhatsApp ID: the number's digits with country code (+, spaces, dashes and brackets are removed). */
function waId(reader: CardReader, value: unknown, path: Segment[]): string | undefined {
	const text = reader.text(value, path);
	if (text === undefined) return undefined;
	const digits = text.replace(/[\s+\-().]/g, '').replace(/^00/, '');
	if (!/^\d{7,15}$/.test(digits)) {
		reader.fail(path, `"${text}" must be the phone number's digits with country code, like 4917612345678`);
	}
	return digits;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

function email(reader: CardReader, value: unknown, path: Segment[]): string {
	const text = reader.text(value, path);
	if (text === undefined) reader.fail(path, 'is required');
	if (!EMAIL.test(text)) reader.fail(path, `"${text}" is not a valid email address`);
	return text;
}

/** A web address; "example.com" becomes "https://example.com". */
function webAddress(reader: CardReader, value: unknown, path: Segment[]): string {
	const text = reader.text(value, path);
	if (text === undefined) reader.fail(path, 'is required');
	const url = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
	if (/\s/.test(url) || !URL.canParse(url)) reader.fail(path, `"${text}" is not a valid web address`);
	return url;
}

/** YYYY-MM-DD that exists in the calendar. */
function birthday(field: string, label: string, value: string): string {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
	if (!match || !date || date.getUTCMonth() !== Number(match[2]) - 1 || date.getUTCDate() !== Number(match[3])) {
		throw new FieldError(field, `${label} must be a date written YYYY-MM-DD, like 1990-01-31; got "${value}"`);
	}
	return value;
}

/** Validates one card and rebuilds it from known fields only. */
function validateContact(raw: unknown, contact: number, locator: Locator): IDataObject {
	const reader: CardReader = new CardReader(locator, contact);
	const card = reader.object(raw, [], 'contact');
	if (!card) reader.fail([], 'is empty; a contact needs at least a name');
	const out: IDataObject = {};

	const rawName = reader.object(card.name, ['name'], 'name') ?? {};
	const formattedName = reader.text(rawName.formatted_name, ['name', 'formatted_name']);
	if (formattedName === undefined) reader.fail(['name', 'formatted_name'], 'is required');
	const name: IDataObject = { formatted_name: formattedName };
	for (const part of NAME_PARTS) {
		const value = reader.text(rawName[part], ['name', part]);
		if (value !== undefined) name[part] = value;
	}
	if (Object.keys(name).length === 1) {
		const parts = NAME_PARTS.map((part) => (locator === FORM ? KEY_LABEL[part] : part));
		reader.fail(
			locator === FORM ? [] : ['name'],
			`needs a ${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]} besides the ${locator === FORM ? 'Full Name' : 'formatted_name'}; WhatsApp requires one of them`,
		);
	}
	out.name = name;

	const phones = reader.rows(card.phones, 'phones').map(({ row, index }) => {
		const at = (key: string): Segment[] => ['phones', index, key];
		const entry: IDataObject = { phone: phone(reader, row.phone, at('phone')) };
		const type = reader.type(row.type, at('type'), PHONE_TYPES);
		if (type) entry.type = type;
		const id = waId(reader, row.wa_id, at('wa_id'));
		if (id) entry.wa_id = id;
		return entry;
	});
	if (phones.length > 0) out.phones = phones;

	const emails = reader.rows(card.emails, 'emails').map(({ row, index }) => {
		const entry: IDataObject = { email: email(reader, row.email, ['emails', index, 'email']) };
		const type = reader.type(row.type, ['emails', index, 'type'], HOME_WORK);
		if (type) entry.type = type;
		return entry;
	});
	if (emails.length > 0) out.emails = emails;

	const urls = reader.rows(card.urls, 'urls').map(({ row, index }) => {
		const entry: IDataObject = { url: webAddress(reader, row.url, ['urls', index, 'url']) };
		const type = reader.type(row.type, ['urls', index, 'type'], HOME_WORK);
		if (type) entry.type = type;
		return entry;
	});
	if (urls.length > 0) out.urls = urls;

	const addresses = reader.rows(card.addresses, 'addresses').map(({ row, index }) => {
		const entry: IDataObject = {};
		for (const key of ['street', 'city', 'state', 'zip', 'country'] as const) {
			const value = reader.text(row[key], ['addresses', index, key]);
			if (value !== undefined) entry[key] = value;
		}
		const code = reader.text(row.country_code, ['addresses', index, 'country_code']);
		if (code !== undefined) {
			if (!/^[a-z]{2}$/i.test(code)) {
				reader.fail(['addresses', index, 'country_code'], `must be a two-letter country code like DE or US; got "${code}"`);
			}
			entry.country_code = code;
		}
		const type = reader.type(row.type, ['addresses', index, 'type'], HOME_WORK);
		if (type) entry.type = type;
		return entry;
	});
	if (addresses.length > 0) out.addresses = addresses;

	const rawOrg = reader.object(card.org, ['org'], 'org') ?? {};
	const org: IDataObject = {};
	for (const key of ['company', 'department', 'title'] as const) {
		const value = reader.text(rawOrg[key], ['org', key]);
		if (value !== undefined) org[key] = value;
	}
	if (Object.keys(org).length > 0) out.org = org;

	const day = reader.text(card.birthday, ['birthday']);
	if (day !== undefined) birthday(locator.field(contact, ['birthday']), locator.label(contact, ['birthday']), day);
	if (day !== undefined) out.birthday = day;

	return out;
}

// ---------------------------------------------------------------------------------------------
// Form → raw cards
// ---------------------------------------------------------------------------------------------

const list = (value: unknown, key: string): IDataObject[] => {
	const rows = isRecord(value) ? value[key] : undefined;
	return Array.isArray(rows) ? (rows as IDataObject[]) : isRecord(rows) ? [rows as IDataObject] : [];
};

/** One form row ("Contact") in Meta's shape, values still unchecked. */
function cardFromForm(card: IDataObject): Raw {
	const more = (isRecord(card.additionalFields) ? card.additionalFields : {}) as IDataObject;
	return {
		name: {
			formatted_name: card.formattedName,
			first_name: card.firstName,
			last_name: card.lastName,
			middle_name: more.middleName,
			prefix: more.namePrefix,
			suffix: more.nameSuffix,
		},
		phones: list(card.phones, 'phone').map((row) => ({ phone: row.number, type: row.type, wa_id: row.waId })),
		emails: list(card.emails, 'email').map((row) => ({ email: row.email, type: row.type })),
		urls: list(more.urls, 'url').map((row) => ({ url: row.url, type: row.type })),
		addresses: list(more.addresses, 'address').map((row) => ({
			street: row.street,
			city: row.city,
			state: row.state,
			zip: row.zip,
			country: row.country,
			country_code: row.countryCode,
			type: row.type,
		})),
		org: { company: more.company, department: more.department, title: more.jobTitle },
		birthday: more.birthday,
	};
}

/** The JSON input: an array of cards, one card object, or either as a JSON string. */
function cardsFromJson(value: unknown): unknown[] {
	let parsed = value;
	if (typeof value === 'string') parsed = value.trim() === '' ? [] : parseJsonText(JSON_FIELD, value);
	if (isRecord(parsed)) return [parsed];
	if (!Array.isArray(parsed)) {
		throw new FieldError(JSON_FIELD, `${JSON_FIELD} must be a list of contact cards like [{"name": {...}, "phones": [...]}]`);
	}
	return parsed;
}

// ---------------------------------------------------------------------------------------------
// Form
// ---------------------------------------------------------------------------------------------

const typeOptions = (values: readonly string[]): Array<{ name: string; value: string }> =>
	[
		{ name: 'None', value: '' },
		...values.map((value) => ({ name: value === 'IPHONE' ? 'iPhone' : value[0] + value.slice(1).toLowerCase(), value })),
	].sort((a, b) => a.name.localeCompare(b.name));

const properties: INodeProperties[] = [
	{
		displayName: 'Contacts Input',
		name: 'contactsInputMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Using Fields Below', value: 'fields', description: 'Fill in each contact card' },
			{
				name: 'Using JSON',
				value: 'json',
				description: "An array of cards in WhatsApp's format, e.g. mapped from a previous node",
			},
		],
		default: 'fields',
	},
	{
		displayName: 'Contacts',
		name: 'contactsCards',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Contact',
		default: { card: [{}] },
		description: 'One to five contact cards. Each needs a full name plus a first or last name (or middle name, prefix, suffix).',
		displayOptions: { show: { contactsInputMode: ['fields'] } },
		options: [
			{
				displayName: 'Contact',
				name: 'card',
				values: [
					{
						displayName: 'Additional Fields',
						name: 'additionalFields',
						type: 'collection',
						placeholder: 'Add Field',
						default: {},
						options: [
							{
								displayName: 'Addresses',
								name: 'addresses',
								type: 'fixedCollection',
								typeOptions: { multipleValues: true },
								placeholder: 'Add Address',
								default: {},
								options: [
									{
										displayName: 'Address',
										name: 'address',
										values: [
											{ displayName: 'City', name: 'city', type: 'string', default: '' },
											{ displayName: 'Country', name: 'country', type: 'string', default: '', placeholder: 'Germany' },
											{
												displayName: 'Country Code',
												name: 'countryCode',
												type: 'string',
												default: '',
												placeholder: 'DE',
												description: 'Two-letter country code',
											},
											{ displayName: 'State', name: 'state', type: 'string', default: '' },
											{ displayName: 'Street', name: 'street', type: 'string', default: '' },
											{
												displayName: 'Type',
												name: 'type',
												type: 'options',
												options: typeOptions(HOME_WORK),
												default: '',
											},
											{ displayName: 'ZIP Code', name: 'zip', type: 'string', default: '' },
										],
									},
								],
							},
							{
								displayName: 'Birthday',
								name: 'birthday',
								type: 'string',
								default: '',
								placeholder: '1990-01-31',
								description: 'Date of birth written YYYY-MM-DD',
							},
							{ displayName: 'Company', name: 'company', type: 'string', default: '' },
							{ displayName: 'Department', name: 'department', type: 'string', default: '' },
							{ displayName: 'Job Title', name: 'jobTitle', type: 'string', default: '' },
							{ displayName: 'Middle Name', name: 'middleName', type: 'string', default: '' },
							{ displayName: 'Name Prefix', name: 'namePrefix', type: 'string', default: '', placeholder: 'Dr.' },
							{ displayName: 'Name Suffix', name: 'nameSuffix', type: 'string', default: '', placeholder: 'Jr.' },
							{
								displayName: 'URLs',
								name: 'urls',
								type: 'fixedCollection',
								typeOptions: { multipleValues: true },
								placeholder: 'Add URL',
								default: {},
								options: [
									{
										displayName: 'URL',
										name: 'url',
										values: [
											{
												displayName: 'Type',
												name: 'type',
												type: 'options',
												options: typeOptions(HOME_WORK),
												default: '',
											},
											{
												displayName: 'URL',
												name: 'url',
												type: 'string',
												default: '',
												placeholder: 'https://example.com',
												description: 'Web address; example.com becomes https://example.com',
											},
										],
									},
								],
							},
						],
					},
					{
						displayName: 'Emails',
						name: 'emails',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Email',
						default: {},
						options: [
							{
								displayName: 'Email',
								name: 'email',
								values: [
									{
										displayName: 'Email',
										name: 'email',
										type: 'string',
										placeholder: 'name@email.com',
										default: '',
									},
									{
										displayName: 'Type',
										name: 'type',
										type: 'options',
										options: typeOptions(HOME_WORK),
										default: '',
									},
								],
							},
						],
					},
					{
						displayName: 'First Name',
						name: 'firstName',
						type: 'string',
						default: '',
						placeholder: 'Erika',
						description: 'First name. WhatsApp needs a first or last name (or middle name, prefix, suffix) besides the full name.',
					},
					{
						displayName: 'Full Name',
						name: 'formattedName',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'Erika Musterfrau',
						description: 'Full name as the card shows it',
					},
					{
						displayName: 'Last Name',
						name: 'lastName',
						type: 'string',
						default: '',
						placeholder: 'Musterfrau',
					},
					{
						displayName: 'Phones',
						name: 'phones',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Phone',
						default: {},
						options: [
							{
								displayName: 'Phone',
								name: 'phone',
								values: [
									{
										displayName: 'Number',
										name: 'number',
										type: 'string',
										default: '',
										placeholder: '+49 176 12345678',
										description: 'Phone number as the card shows it, any format',
									},
									{
										displayName: 'Type',
										name: 'type',
										type: 'options',
										options: typeOptions(PHONE_TYPES),
										default: 'CELL',
										description: 'Label of the number on the card',
									},
									{
										displayName: 'WhatsApp ID',
										name: 'waId',
										type: 'string',
										default: '',
										placeholder: '4917612345678',
										description:
											'The number\'s digits with country code. With it, the card offers "Message" and "Add contact"; without it only "Invite to WhatsApp".',
									},
								],
							},
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Contacts (JSON)',
		name: 'contactsJson',
		type: 'json',
		default: '[]',
		required: true,
		placeholder:
			'[{"name": {"formatted_name": "Erika Musterfrau", "first_name": "Erika"}, "phones": [{"phone": "+49 176 12345678", "type": "CELL", "wa_id": "4917612345678"}]}]',
		description:
			"One to five contact cards in WhatsApp's format: a name (formatted_name plus first_name or last_name) and optional phones, emails, addresses, org, birthday and web links. Received contacts (the contacts of a 360dialog Trigger item) can be passed on as they are.",
		displayOptions: { show: { contactsInputMode: ['json'] } },
	},
];

export const contactsMessage: MessageTypeModule = {
	value: 'contacts',
	name: 'Contacts',
	description: 'One to five contact cards with name, phones, emails and more',
	properties,
	build(context) {
		const mode = context.get<string>('contactsInputMode', 'fields');
		let raw: unknown[];
		let locator: Locator;
		let field: string;
		if (mode === 'json') {
			raw = cardsFromJson(context.get('contactsJson', '[]'));
			locator = JSON_INPUT;
			field = JSON_FIELD;
		} else {
			raw = list(context.get<IDataObject>('contactsCards', {}), 'card').map(cardFromForm);
			locator = FORM;
			field = 'Contacts';
		}
		countInRange(field, raw.length, 1, MAX_CONTACTS, 'contacts');
		const contacts = raw.map((card, index) => validateContact(card, index, locator));
		return { body: { type: 'contacts', contacts } };
	},
};
