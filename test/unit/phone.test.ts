import { getCountries, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import {
	clearPhoneNumberMemo,
	countryOptions,
	isBsuid,
	normalizePhoneNumber,
	PHONE_MEMO_LIMIT,
	PhoneNumberError,
	phoneNumberMemoSize,
	toRecipient,
} from '../../nodes/common/phone';

/** Runs fn and returns what it threw, failing the test if it did not throw. */
function thrown(fn: () => unknown): unknown {
	try {
		fn();
	} catch (error) {
		return error;
	}
	throw new Error('expected an error, got none');
}

/** [input, defaultCountry or undefined, expected `to` digits] */
const VALID: Array<[string, CountryCode | undefined, string]> = [
	// Germany (DE): +, 00, national with default country, (0), slashes, bare wa_id
	['+49 151 1234 5678', undefined, '4915112345678'],
	['0049 151 1234 5678', undefined, '4915112345678'],
	['(0151) 1234 5678', 'DE', '4915112345678'],
	['0151/12345678', 'DE', '4915112345678'],
	['+49 (0)151 1234 5678', undefined, '4915112345678'],
	['+49.151.1234.5678', undefined, '4915112345678'],
	['+49 30 1234567', undefined, '49301234567'],
	['4915112345678', undefined, '4915112345678'],
	['4915112345678', 'DE', '4915112345678'], // not the German landline 0 4915112345678
	['49 151 12345678', 'DE', '4915112345678'],
	['  +49 151 1234 5678\n', undefined, '4915112345678'],
	// United States (US)
	['+1 (415) 555-2671', undefined, '14155552671'],
	['(415) 555-2671', 'US', '14155552671'],
	['415.555.2671', 'US', '14155552671'],
	['6465551234', 'US', '16465551234'], // national, although +64 65551234 is a New Zealand number
	['14155552671', undefined, '14155552671'],
	['011 49 151 12345678', 'US', '4915112345678'], // US international prefix
	['4915112345678', 'US', '4915112345678'], // bare wa_id of another country
	// United Kingdom (GB)
	['07911 123456', 'GB', '447911123456'],
	['+44 20 7946 0958', undefined, '442079460958'],
	['+44 (0)20 7946 0958', undefined, '442079460958'],
	['00 44 7911 123456', undefined, '447911123456'],
	// Brazil (BR): the extra 9 exists in wa_ids only for areas 11–19, 21, 22, 24, 27, 28
	['+55 11 98765-4321', undefined, '5511987654321'],
	['(11) 98765-4321', 'BR', '5511987654321'],
	['+55 61 98765 4321', undefined, '5561987654321'],
	['556187654321', undefined, '556187654321'], // wa_id without the 9, kept
	['(61) 8765-4321', 'BR', '556187654321'],
	['+55 61 3345 4321', undefined, '556133454321'], // landline
	// India (IN)
	['+91 98765 43210', undefined, '919876543210'],
	['98765 43210', 'IN', '919876543210'],
	['098765 43210', 'IN', '919876543210'],
	['919876543210', undefined, '919876543210'],
	// Mexico (MX): 521 + 10 digits is the WhatsApp id; libphonenumber calls it too long
	['+52 1 55 1234 5678', undefined, '5215512345678'],
	['5215512345678', undefined, '5215512345678'],
	['5215512345678', 'DE', '5215512345678'], // not the German landline 0 5215512345678
	['5215512345678', 'US', '5215512345678'],
	['1 55 1234 5678', 'MX', '5215512345678'],
	['+52 55 1234 5678', undefined, '525512345678'], // typed without the 1: sent as typed, WhatsApp maps it
	['55 1234 5678', 'MX', '525512345678'],
	// Argentina (AR): 549 + area + number, without the local 15
	['+54 9 11 2345-6789', undefined, '5491123456789'],
	['5491123456789', undefined, '5491123456789'],
	['5491123456789', 'AR', '5491123456789'],
	['+54 9 351 234 5678', undefined, '5493512345678'],
	['+54 11 15 2345 6789', undefined, '5491123456789'], // 15 (local mobile prefix) becomes 9
	['011 15 2345-6789', 'AR', '5491123456789'],
	['+54 11 2345 6789', undefined, '541123456789'], // landline
	// Spain (ES)
	['+34 612 34 56 78', undefined, '34612345678'],
	['612-34-56-78', 'ES', '34612345678'],
	['0034612345678', undefined, '34612345678'],
	// Italy (IT): the leading 0 of landlines is part of the number
	['+39 312 345 6789', undefined, '393123456789'],
	['312 345 6789', 'IT', '393123456789'],
	['+39 06 1234 5678', undefined, '390612345678'],
	['06 1234 5678', 'IT', '390612345678'],
	// Nigeria (NG)
	['+234 803 123 4567', undefined, '2348031234567'],
	['0803 123 4567', 'NG', '2348031234567'],
	['2348031234567', undefined, '2348031234567'],
	['2348031234567', 'NG', '2348031234567'],
];

/** [input, defaultCountry or undefined, fragment of the reason] */
const INVALID: Array<[string, CountryCode | undefined, string]> = [
	['', undefined, 'it is empty'],
	['   ', undefined, 'it is empty'],
	['abc', undefined, 'it contains letters'],
	['+49 151 CALL NOW', undefined, 'it contains letters'],
	['+1-800-FLOWERS', undefined, 'it contains letters'],
	['+49 151 1234 5678 #1', undefined, 'it contains "#"'],
	['++49 151 1234 5678', undefined, 'a + may only appear at the start'],
	['+49 123', undefined, 'too short for Germany (DE)'],
	['123', 'DE', 'too short for Germany (DE)'],
	['+49 000 1234567', undefined, 'impossible number for Germany (DE)'],
	['+49 1511234567891234', undefined, 'too long (18 digits'],
	['12345678901234567890', undefined, 'too long (20 digits'],
	['1234567', undefined, 'too short (7 digits'],
	['+1 415 555 26711', undefined, 'too long for United States (US)'],
	['+1 555 123 4567', undefined, 'impossible number for United States (US)'],
	['+1 555 123 4567', 'CA', 'impossible number for Canada (CA)'],
	['+44 7911 12345', undefined, 'impossible number for United Kingdom (GB)'],
	['+91 98765 4321', undefined, 'impossible number for India (IN)'],
	['+234 803 123', undefined, 'too short for Nigeria (NG)'],
	['0803 123 456', 'NG', 'impossible number for Nigeria (NG)'],
	['+39 312', undefined, 'too short for Italy (IT)'],
	['+52 1 55 1234 567', undefined, 'impossible number for Mexico (MX)'],
	['5210012345678', undefined, 'too long for Mexico (MX)'], // 521 form, but 00… is no MX number
	['+54 9 11 2345 678', undefined, 'impossible number for Argentina (AR)'],
	['+55 11 8765-4321', undefined, 'mobile numbers in area 11 need a 9 before the last 8 digits'],
	['551187654321', undefined, 'impossible number for Brazil (BR)'],
	['+999 1234 5678', undefined, 'it does not start with a known country code'],
	['99912345678', undefined, 'it does not start with a known country code'],
	['4155552671', undefined, 'too short for Switzerland (CH)'], // bare digits are international
];

/** National numbers without a default country: [input] */
const NO_COUNTRY_CODE: string[] = ['0151 1234567', '(0151) 1234 5678', '(415) 555-2671', '415-555-2671', '07911 123456'];

describe('normalizePhoneNumber', () => {
	test.each(VALID)('%j (default country %s) -> %s', (input, defaultCountry, expected) => {
		expect(normalizePhoneNumber(input, { defaultCountry })).toBe(expected);
	});

	test.each(INVALID)('%j (default country %s) is rejected: %s', (input, defaultCountry, reason) => {
		const error = thrown(() => normalizePhoneNumber(input, { defaultCountry }));
		expect(error).toBeInstanceOf(PhoneNumberError);
		const { message } = error as PhoneNumberError;
		expect(message).toContain(`${JSON.stringify(input)} is not a valid phone number: `);
		expect(message).toContain(reason);
	});

	test.each(NO_COUNTRY_CODE)('%j without a default country asks for one', (input) => {
		expect(() => normalizePhoneNumber(input)).toThrow(
			`${JSON.stringify(input)} has no country code: start it with + and the country code (e.g. +49…) or set the Default Country option`,
		);
	});

	test('error carries the raw input and the reason for the node to wrap', () => {
		const error = thrown(() => normalizePhoneNumber('+49 123')) as PhoneNumberError;
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('PhoneNumberError');
		expect(error.input).toBe('+49 123');
		expect(error.reason).toBe('too short for Germany (DE)');
		expect(error.message).toBe('"+49 123" is not a valid phone number: too short for Germany (DE)');
	});

	test('a very long input is shortened in the message', () => {
		const input = `+49 ${'1'.repeat(100)}`;
		const { message } = thrown(() => normalizePhoneNumber(input)) as PhoneNumberError;
		expect(message.startsWith(`"${input.slice(0, 60)}…" is not a valid phone number`)).toBe(true);
	});

	test('an unset n8n dropdown ("") means no default country', () => {
		expect(() => normalizePhoneNumber('0151 1234567', { defaultCountry: '' as CountryCode })).toThrow('has no country code');
		expect(normalizePhoneNumber('+49 151 1234 5678', { defaultCountry: '' as CountryCode })).toBe('4915112345678');
	});

	test('a default country from an expression may be lower case', () => {
		expect(normalizePhoneNumber('0151 12345678', { defaultCountry: 'de' as CountryCode })).toBe('4915112345678');
	});

	test('an unknown default country is reported as such', () => {
		expect(() => normalizePhoneNumber('0151 12345678', { defaultCountry: 'XX' as CountryCode })).toThrow(
			'Default Country "XX" is not a known country',
		);
	});

	test('a wa_id read from JSON as a number is accepted', () => {
		expect(normalizePhoneNumber(4915112345678 as unknown as string)).toBe('4915112345678');
	});
});

const VALID_BSUIDS: string[] = [
	'DE.1300ABCdef',
	'US.13491208655302741918',
	'DE.ENT.1300ABCdef', // parent BSUID
	'BR.x',
	`IN.${'a'.repeat(128)}`,
	'DE.ENT', // "ENT" alone is an ordinary id
	'DE.12345678', // digits only after the dot: still a BSUID, not a phone number
];

/** Not BSUIDs, so they are treated as phone numbers and rejected: [input, reason fragment] */
const INVALID_BSUIDS: Array<[string, string]> = [
	['de.1300abc', 'a WhatsApp user ID (BSUID) must look like DE.1300abc…'],
	['De.1300abc', 'a WhatsApp user ID (BSUID) must look like DE.1300abc…'],
	['DE.1300-abc', 'a WhatsApp user ID (BSUID) must look like DE.1300abc…'],
	['DE.1300_abc', 'a WhatsApp user ID (BSUID) must look like DE.1300abc…'],
	['DE.', 'a WhatsApp user ID (BSUID) must look like DE.1300abc…'],
	['DE..abc', 'a WhatsApp user ID (BSUID) must look like DE.1300abc…'],
	['DE.ENT.', 'a WhatsApp user ID (BSUID) must look like DE.1300abc…'],
	['DE.ENT.abc.def', 'a WhatsApp user ID (BSUID) must look like DE.1300abc…'],
	[`DE.${'a'.repeat(129)}`, 'a WhatsApp user ID (BSUID) must look like DE.1300abc…'],
	['DEU.1300abc', 'it contains letters'],
	['D1.1300abc', 'it contains letters'],
	['DE 1300abc', 'it contains letters'],
	['1300abc', 'it contains letters'],
];

describe('BSUID recipients', () => {
	test.each(VALID_BSUIDS)('%s is a BSUID and goes to `recipient` unchanged', (bsuid) => {
		expect(isBsuid(bsuid)).toBe(true);
		expect(toRecipient(bsuid)).toEqual({ recipient: bsuid });
	});

	test.each(INVALID_BSUIDS)('%s is no BSUID and fails as a phone number', (input, reason) => {
		expect(isBsuid(input)).toBe(false);
		const error = thrown(() => toRecipient(input));
		expect(error).toBeInstanceOf(PhoneNumberError);
		// The message quotes the input (long inputs are cut at 60 characters).
		expect((error as PhoneNumberError).message.startsWith(`"${input.slice(0, 60)}`)).toBe(true);
		expect((error as PhoneNumberError).message).toContain(reason);
	});

	test('isBsuid rejects non-strings and surrounding whitespace', () => {
		expect(isBsuid(undefined)).toBe(false);
		expect(isBsuid(null)).toBe(false);
		expect(isBsuid(4915112345678)).toBe(false);
		expect(isBsuid(' DE.1300abc')).toBe(false);
	});

	test('toRecipient trims whitespace around a BSUID (mapped values often end in a newline)', () => {
		expect(toRecipient(' DE.1300ABCdef\n')).toEqual({ recipient: 'DE.1300ABCdef' });
	});

	test.each<[string, CountryCode | undefined, string]>([
		['+49 151 1234 5678', undefined, '4915112345678'],
		['0151 12345678', 'DE', '4915112345678'],
		['5215512345678', undefined, '5215512345678'],
	])('phone number %j goes to `to`', (input, defaultCountry, to) => {
		expect(toRecipient(input, { defaultCountry })).toEqual({ to });
	});
});

describe('countryOptions', () => {
	test('one option per libphonenumber country, English name with ISO code', () => {
		const options = countryOptions();
		expect(options).toHaveLength(getCountries().length);
		expect(new Set(options.map((option) => option.value)).size).toBe(options.length);
		expect(options).toContainEqual({ name: 'Germany (DE)', value: 'DE' });
		expect(options).toContainEqual({ name: 'United Kingdom (GB)', value: 'GB' });
		expect(options).toContainEqual({ name: 'United States (US)', value: 'US' });
		for (const option of options) expect(isSupportedCountry(option.value)).toBe(true);
	});

	test('sorted by name', () => {
		const names = countryOptions().map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
	});

	test('callers cannot corrupt the cached list', () => {
		const first = countryOptions();
		first[0].name = 'changed';
		first.pop();
		const second = countryOptions();
		expect(second[0].name).not.toBe('changed');
		expect(second).toHaveLength(getCountries().length);
	});
});

describe('memo of normalised numbers', () => {
	// The module object phone.ts calls into, so a spy sees its parses.
	const libphonenumber = jest.requireActual<typeof import('libphonenumber-js/max')>('libphonenumber-js/max');

	beforeEach(() => clearPhoneNumberMemo());
	afterEach(() => jest.restoreAllMocks());

	test('a repeated number is parsed once and gives the same result', () => {
		const parse = jest.spyOn(libphonenumber, 'parsePhoneNumberFromString');
		expect(normalizePhoneNumber('+49 151 1234 5678')).toBe('4915112345678');
		const parses = parse.mock.calls.length;
		expect(parses).toBeGreaterThan(0);
		expect(toRecipient('+49 151 1234 5678')).toEqual({ to: '4915112345678' });
		expect(normalizePhoneNumber('+49 151 1234 5678')).toBe('4915112345678');
		expect(parse.mock.calls.length).toBe(parses);
		expect(phoneNumberMemoSize()).toBe(1);
	});

	test('errors are not memoised: every call checks again and throws its own error', () => {
		const first = thrown(() => normalizePhoneNumber('+49 123')) as PhoneNumberError;
		const second = thrown(() => normalizePhoneNumber('+49 123')) as PhoneNumberError;
		expect(second).toBeInstanceOf(PhoneNumberError);
		expect(second).not.toBe(first);
		expect(second.message).toBe(first.message);
		expect(() => normalizePhoneNumber('0151 12345678', { defaultCountry: 'XX' as CountryCode })).toThrow('Default Country "XX" is not a known country');
		expect(() => normalizePhoneNumber('0151 12345678', { defaultCountry: 'XX' as CountryCode })).toThrow('Default Country "XX" is not a known country');
		expect(phoneNumberMemoSize()).toBe(0);
	});

	test('the default country is part of the key', () => {
		expect(normalizePhoneNumber('0151 12345678', { defaultCountry: 'DE' })).toBe('4915112345678');
		expect(() => normalizePhoneNumber('0151 12345678')).toThrow('has no country code');
		expect(() => normalizePhoneNumber('0151 12345678', { defaultCountry: '' as CountryCode })).toThrow('has no country code');
		expect(normalizePhoneNumber('6465551234', { defaultCountry: 'US' })).toBe('16465551234');
		expect(normalizePhoneNumber('6465551234')).toBe('6465551234'); // without US: a New Zealand wa_id
		expect(normalizePhoneNumber('0151 12345678', { defaultCountry: 'de' as CountryCode })).toBe('4915112345678');
		expect(() => normalizePhoneNumber('0151 12345678', { defaultCountry: 'XX' as CountryCode })).toThrow('is not a known country');
	});

	test('a BSUID never enters the memo', () => {
		expect(toRecipient('DE.1300ABCdef')).toEqual({ recipient: 'DE.1300ABCdef' });
		expect(toRecipient('DE.1300ABCdef')).toEqual({ recipient: 'DE.1300ABCdef' });
		expect(phoneNumberMemoSize()).toBe(0);
	});

	test(`holds at most ${PHONE_MEMO_LIMIT} numbers and lets the oldest go first`, () => {
		const number = (i: number): string => `+49 151 ${10000000 + i}`;
		for (let i = 0; i < PHONE_MEMO_LIMIT + 5; i++) normalizePhoneNumber(number(i));
		expect(phoneNumberMemoSize()).toBe(PHONE_MEMO_LIMIT);

		const parse = jest.spyOn(libphonenumber, 'parsePhoneNumberFromString');
		expect(normalizePhoneNumber(number(PHONE_MEMO_LIMIT + 4))).toBe(`49151${10000000 + PHONE_MEMO_LIMIT + 4}`); // newest: kept
		expect(normalizePhoneNumber(number(5))).toBe('4915110000005'); // oldest kept one
		expect(parse).not.toHaveBeenCalled();
		expect(normalizePhoneNumber(number(0))).toBe('4915110000000'); // among the first five: evicted, parsed again
		expect(parse).toHaveBeenCalled();
		expect(phoneNumberMemoSize()).toBe(PHONE_MEMO_LIMIT);
	});
});
