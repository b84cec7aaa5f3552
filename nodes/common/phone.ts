/**
 * Recipient normalisation for `POST /messages` (`to` / `recipient` in
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).
 *
 * The API wants `to` as digits only, country code first, no `+`, or `recipient` with a
 * business-scoped user id (BSUID,
 * https://docs.360dialog.com/docs/resources/phone-numbers/usernames-and-bsuid). Users paste
 * numbers in every shape, so we normalise here and reject what cannot be a phone number with a
 * message that quotes the input and says why. Pure module: no n8n imports; the node wraps
 * PhoneNumberError in NodeOperationError.
 *
 * Metadata choice: `libphonenumber-js/max`. `min` only checks lengths (its isValid() is
 * isPossible()), so "+49 000 1234567" would pass and fail later as an async 131026. `mobile`
 * validates mobile ranges only and would reject landlines, which can be WhatsApp Business
 * numbers. Minified esbuild bundle of this file: max 201 kB, mobile 143 kB, min 128 kB; the
 * extra 73 kB over `min` is loaded once, server-side, and is the price of real validation.
 *
 * Cost: libphonenumber's parse + isValid is 10–20 µs per number and dominates what the Send node
 * spends per item before sending. So the happy path parses once (length checks and the other
 * diagnostics run only to explain a failure), and successful results are memoised, bounded (see
 * PHONE_MEMO_LIMIT), because bulk sends and re-runs repeat numbers. Errors are never memoised.
 */
import {
	getCountries,
	getCountryCallingCode,
	isSupportedCountry,
	parsePhoneNumberFromString,
	validatePhoneNumberLength,
	type CountryCode,
	type PhoneNumber,
} from 'libphonenumber-js/max';
// Same JSON file that libphonenumber-js/max loads (esbuild bundles it once). Used only for
// `country_calling_codes`, whose first entry is the main country of a shared code (+1 → US).
import metadata from 'libphonenumber-js/max/metadata';

export type { CountryCode };

export interface PhoneOptions {
	/** Country for numbers written without a country code, e.g. "0151 1234567". */
	defaultCountry?: CountryCode;
}

/** Thrown for input that cannot be sent to; `message` quotes the input and says why. */
export class PhoneNumberError extends Error {
	constructor(
		message: string,
		/** The input as given (not trimmed). */
		readonly input: string,
		/** Why it was rejected, without the quoted input. */
		readonly reason: string,
	) {
		super(message);
		this.name = 'PhoneNumberError';
	}
}

/** `CC.` (country) + optional `ENT.` (parent BSUID) + 1–128 letters/digits, e.g. `DE.1300…`. */
const BSUID_PATTERN = /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/;
/** Characters people use to format numbers; anything else is rejected before parsing. */
const FORMATTING_CHARS = /^[\d\s+().\-/]*$/;
/** Only formatting characters, and + at most at the start: passes the three checks below at once. */
const PLAIN_NUMBER = /^\+?[\d\s().\-/]*$/;
/** A bare wa_id is shorter than this only for a handful of tiny numbering plans. */
const MIN_BARE_WA_ID_DIGITS = 8;
/** Longest E.164 number plus slack for a stray trunk 0; longer input is rejected early. */
const MAX_DIGITS = 17;
/**
 * Successful normalisations remembered, by default country and input; the oldest entry goes when
 * full. 10,000 short strings are well under 2 MB.
 */
export const PHONE_MEMO_LIMIT = 10_000;
/** Longer inputs are not memoised (no real number is written that long). */
const MAX_MEMO_INPUT_LENGTH = 64;
/** Brazilian area codes whose mobile wa_ids keep the extra 9 after the area code (the other areas drop it). */
const BR_AREAS_WITH_NINE = new Set(['11', '12', '13', '14', '15', '16', '17', '18', '19', '21', '22', '24', '27', '28']);

export function isBsuid(value: unknown): value is string {
	return typeof value === 'string' && BSUID_PATTERN.test(value);
}

/**
 * `{ recipient }` for a BSUID (kept exactly, after trimming surrounding whitespace), otherwise
 * `{ to }` with the normalised phone number.
 */
export function toRecipient(input: string, options?: PhoneOptions): { to: string } | { recipient: string } {
	const trimmed = typeof input === 'string' ? input.trim() : input;
	if (isBsuid(trimmed)) return { recipient: trimmed };
	return { to: normalizePhoneNumber(input, options) };
}

/**
 * Digits-only international number without `+`, as `to` expects.
 *
 * Accepts `+…`, `00…`, a bare wa_id (digits only, ≥ 8, already international), and national
 * numbers when `defaultCountry` is set. WhatsApp wa_id forms that libphonenumber rejects are
 * kept unchanged: Mexico `521` + 10 digits, Argentina `549…`, Brazil mobiles without the 9.
 */
export function normalizePhoneNumber(input: string, options?: PhoneOptions): string {
	// Expressions can hand us a number (a wa_id read from JSON); anything else is a mistake.
	const raw: string = typeof input === 'number' ? String(input) : input;
	if (typeof raw !== 'string') throw invalid(String(raw), 'it is not text');

	const country = memoCountry(raw, options?.defaultCountry);
	if (country === undefined) return normalizeUncached(raw, options);
	const known = memo.get(country)?.get(raw);
	if (known !== undefined) return known;
	const result = normalizeUncached(raw, options); // throws for bad input: errors are not memoised
	remember(country, raw, result);
	return result;
}

/** Forgets every memoised number (tests; a long-running process never needs to). */
export function clearPhoneNumberMemo(): void {
	memo.clear();
	memoOrderMaps.fill(undefined);
	memoOrderInputs.fill(undefined);
	memoNext = 0;
	memoSize = 0;
}

/** How many numbers are memoised (tests). */
export function phoneNumberMemoSize(): number {
	return memoSize;
}

/**
 * Default country as given ('' for none) → input as given → digits. Keyed by the caller's own
 * input string, so remembering a number allocates no key (concatenated keys cost ~4 µs per new
 * number in garbage-collector work in a 10,000-item run).
 */
const memo = new Map<string, Map<string, string>>();
/**
 * Entries in insertion order, as a ring: the slot to write next holds the oldest entry once the
 * memo is full. (Evicting through `map.keys().next()` instead costs ~10 µs per insert in V8 once
 * the map churns, as it walks over the deleted entries at its start every time.)
 */
const memoOrderMaps: Array<Map<string, string> | undefined> = new Array<Map<string, string> | undefined>(PHONE_MEMO_LIMIT).fill(undefined);
const memoOrderInputs: Array<string | undefined> = new Array<string | undefined>(PHONE_MEMO_LIMIT).fill(undefined);
let memoNext = 0;
let memoSize = 0;

function remember(country: string, raw: string, digits: string): void {
	const oldestMap = memoOrderMaps[memoNext];
	const oldestInput = memoOrderInputs[memoNext];
	if (oldestMap !== undefined && oldestInput !== undefined) {
		oldestMap.delete(oldestInput);
		memoSize--;
		if (oldestMap.size === 0) {
			for (const [key, map] of memo) if (map === oldestMap) memo.delete(key);
		}
	}
	let byInput = memo.get(country);
	if (!byInput) {
		byInput = new Map<string, string>();
		memo.set(country, byInput);
	}
	byInput.set(raw, digits);
	memoSize++;
	memoOrderMaps[memoNext] = byInput;
	memoOrderInputs[memoNext] = raw;
	memoNext = memoNext + 1 === PHONE_MEMO_LIMIT ? 0 : memoNext + 1;
}

/**
 * The memo's key for the default country: '' for none, else the value as given ("de" and "DE"
 * are separate entries; normalising it first would report an unknown country before a bad
 * number, which is not the order the checks run in). Undefined: do not memoise this call.
 */
function memoCountry(raw: string, defaultCountry: unknown): string | undefined {
	if (raw.length > MAX_MEMO_INPUT_LENGTH) return undefined;
	if (defaultCountry === undefined || defaultCountry === null || defaultCountry === '') return '';
	return typeof defaultCountry === 'string' ? defaultCountry : undefined;
}

function normalizeUncached(raw: string, options: PhoneOptions | undefined): string {
	const text = raw.trim();
	if (text === '') throw invalid(raw, 'it is empty');
	if (!PLAIN_NUMBER.test(text)) checkCharacters(raw, text);

	const digits = text.replace(/\D+/g, '');
	if (digits === '') throw invalid(raw, 'it contains no digits');
	if (digits.length > MAX_DIGITS) throw invalid(raw, `too long (${digits.length} digits; at most 15 with the country code)`);

	const defaultCountry = checkDefaultCountry(options?.defaultCountry);

	// Explicitly international: "+49 …" or "0049 …" (00 is the most common international prefix).
	if (text.startsWith('+')) return international(raw, digits, defaultCountry);
	if (digits.startsWith('00')) return international(raw, digits.slice(2), defaultCountry);

	if (defaultCountry) return withDefaultCountry(raw, text, digits, defaultCountry);

	const isBareDigits = /^\d+$/.test(text);
	if (isBareDigits && !digits.startsWith('0')) {
		if (digits.length < MIN_BARE_WA_ID_DIGITS) {
			throw invalid(raw, `too short (${digits.length} digits; an international number without + has at least ${MIN_BARE_WA_ID_DIGITS})`);
		}
		return international(raw, digits, undefined);
	}
	// "0151 …" or "(415) 555-2671": national, and we cannot guess the country.
	throw noCountryCode(raw);
}

/** The character checks, in the order their messages take precedence; throws for the first that fails. */
function checkCharacters(raw: string, text: string): void {
	if (/[A-Za-z]/.test(text)) {
		const bsuidHint = /^[A-Za-z]{2}\./.test(text)
			? '; a WhatsApp user ID (BSUID) must look like DE.1300abc…: two capital letters, a dot, optionally ENT., then 1–128 letters or digits'
			: '';
		throw invalid(raw, `it contains letters${bsuidHint}`);
	}
	if (!FORMATTING_CHARS.test(text)) {
		const bad = [...text].find((char) => !FORMATTING_CHARS.test(char)) ?? '';
		throw invalid(raw, `it contains "${bad}"; only digits, spaces and + ( ) . - / are allowed`);
	}
	if (text.lastIndexOf('+') > 0) throw invalid(raw, 'a + may only appear at the start');
}

/** Dropdown options for a Default Country field: English name + ISO code, sorted by name. */
export function countryOptions(): Array<{ name: string; value: string }> {
	if (!cachedCountryOptions) {
		cachedCountryOptions = getCountries()
			.map((code) => ({ name: `${countryName(code)} (${code})`, value: code as string }))
			.sort((a, b) => a.name.localeCompare(b.name, 'en'));
	}
	// Copies, so a caller mutating an option cannot corrupt the cache.
	return cachedCountryOptions.map((option) => ({ ...option }));
}

// ---------------------------------------------------------------------------------------------

/**
 * One parse of `text`. A failure keeps what `failureReason` needs, so the diagnostics (a second
 * parse for the length check, the country name) run only when the reason is shown.
 */
type Attempt =
	| { ok: true; digits: string }
	| { ok: false; text: string; country: CountryCode | undefined; defaultCountry: CountryCode | undefined; parsed: PhoneNumber | undefined };

function international(raw: string, digits: string, defaultCountry: CountryCode | undefined): string {
	const attempt = attemptParse(`+${digits}`, undefined, defaultCountry);
	if (attempt.ok) return attempt.digits;
	throw invalid(raw, failureReason(attempt));
}

/**
 * Without a `+`, the digits may be national ("0151…", "415 555 2671") or an international
 * number/wa_id ("4915112345678"). libphonenumber alone reads "4915112345678" with DE as the
 * German number 0 4915112345678, so decide ourselves.
 */
function withDefaultCountry(raw: string, text: string, digits: string, country: CountryCode): string {
	// Starts with the default country's own code ("49 151 …" for DE): most likely international.
	// A failed attempt is kept for the wa_id check below instead of parsing the same text again.
	let asInternational: Attempt | undefined;
	if (digits.startsWith(getCountryCallingCode(country))) {
		asInternational = attemptParse(`+${digits}`, undefined, country);
		if (asInternational.ok) return asInternational.digits;
	}
	// National; libphonenumber also handles the country's own international prefix (011 for US).
	const asNational = attemptParse(digits, country, country);
	// Only a bare digit string can be a wa_id of another country ("5215512345678" with DE);
	// formatted input without + is typed by a person and means a national number.
	const maybeWaId = /^\d+$/.test(text) && !digits.startsWith('0') && digits.length >= MIN_BARE_WA_ID_DIGITS;
	if (!maybeWaId) {
		if (asNational.ok) return asNational.digits;
		throw invalid(raw, failureReason(asNational));
	}
	asInternational ??= attemptParse(`+${digits}`, undefined, country);
	if (asNational.ok && asInternational.ok) {
		// Both readings exist (e.g. "5215512345678" is also a long German landline). Where
		// national numbers are written with a trunk 0 (DE, GB, …) a bare string without it is
		// far more likely a wa_id; elsewhere (US "6465551234" vs New Zealand) keep it national.
		return writtenWithTrunkZero(digits, country, asNational.digits) ? asInternational.digits : asNational.digits;
	}
	if (asNational.ok) return asNational.digits;
	if (asInternational.ok) return asInternational.digits;
	throw invalid(raw, failureReason(asNational));
}

/** True if the country writes this national number with a leading 0 that the input left out. */
function writtenWithTrunkZero(digits: string, country: CountryCode, nationalResult: string): boolean {
	const withZero = parsePhoneNumberFromString(`0${digits}`, country);
	return !!withZero && withZero.isValid() && withZero.number === `+${nationalResult}`;
}

function attemptParse(text: string, country: CountryCode | undefined, defaultCountry: CountryCode | undefined): Attempt {
	const parsed = parsePhoneNumberFromString(text, country);
	if (parsed) {
		const digits = parsed.number.slice(1);
		if (parsed.isValid() || isWhatsAppIdForm(digits)) return { ok: true, digits };
	}
	return { ok: false, text, country, defaultCountry, parsed };
}

/** Why an attempt failed, for the message (the length check parses the text once more). */
function failureReason({ text, country, defaultCountry, parsed }: Extract<Attempt, { ok: false }>): string {
	if (!parsed) return lengthReason(validatePhoneNumberLength(text, country), undefined);
	const where = describeCountry(parsed.country, parsed.countryCallingCode, defaultCountry);
	const lengthProblem = validatePhoneNumberLength(text, country);
	if (lengthProblem) return lengthReason(lengthProblem, where);
	return `impossible number for ${where}: its digits fit no number range there${brazilHint(parsed.number.slice(1))}`;
}

function lengthReason(problem: string | undefined, where: string | undefined): string {
	const suffix = where ? ` for ${where}` : '';
	switch (problem) {
		case 'TOO_SHORT':
			return `too short${suffix}`;
		case 'TOO_LONG':
			return `too long${suffix}`;
		case 'INVALID_LENGTH':
			return `wrong number of digits${suffix}`;
		case 'INVALID_COUNTRY':
			return 'it does not start with a known country code';
		default:
			return 'it is not a phone number';
	}
}

/**
 * wa_id shapes that are real WhatsApp ids but not valid numbers to libphonenumber: a wa_id can
 * differ from the number as dialled (Mexico 52… → 521…, Argentina 54 9…, Brazil's extra 9).
 * Each check also requires the number behind the quirk to be valid, so typos still fail.
 */
function isWhatsAppIdForm(digits: string): boolean {
	// Mexico: 52 + 1 + 10-digit national number (the "1" was dropped from dialling in 2019).
	const mexico = /^521(\d{10})$/.exec(digits);
	if (mexico) return isValidInternational(`52${mexico[1]}`);
	// Argentina: 54 + 9 + area + number (without the local 15). libphonenumber accepts most; keep
	// any that it does not, as long as the same digits form a valid geographic number.
	const argentina = /^549(\d{10})$/.exec(digits);
	if (argentina) {
		const fixed = parsePhoneNumberFromString(`+54${argentina[1]}`);
		return !!fixed && fixed.isValid() && (fixed.getType() === 'FIXED_LINE' || fixed.getType() === 'FIXED_LINE_OR_MOBILE');
	}
	// Brazil: outside areas 11–19, 21, 22, 24, 27, 28 the wa_id has no 9 before the 8 digits.
	const brazil = /^55(\d{2})([6-9]\d{7})$/.exec(digits);
	if (brazil && !BR_AREAS_WITH_NINE.has(brazil[1])) return isValidInternational(`55${brazil[1]}9${brazil[2]}`);
	return false;
}

function brazilHint(digits: string): string {
	const brazil = /^55(\d{2})([6-9]\d{7})$/.exec(digits);
	if (!brazil || !isValidInternational(`55${brazil[1]}9${brazil[2]}`)) return '';
	return `; mobile numbers in area ${brazil[1]} need a 9 before the last 8 digits (+55 ${brazil[1]} 9${brazil[2]})`;
}

function isValidInternational(digits: string): boolean {
	return parsePhoneNumberFromString(`+${digits}`)?.isValid() ?? false;
}

function checkDefaultCountry(value: string | undefined): CountryCode | undefined {
	// An unset n8n dropdown gives ''; accept lower case from expressions.
	if (value === undefined || value === null || value === '') return undefined;
	const upper = String(value).trim().toUpperCase();
	if (isSupportedCountry(upper)) return upper;
	throw new PhoneNumberError(
		`Default Country "${String(value)}" is not a known country: use a two-letter ISO code such as DE or US`,
		String(value),
		'unknown default country',
	);
}

/** "Germany (DE)"; for an invalid number libphonenumber may not know the country, only its code. */
function describeCountry(country: CountryCode | undefined, callingCode: string, defaultCountry: CountryCode | undefined): string {
	if (country) return `${countryName(country)} (${country})`;
	const sharing = metadata.country_calling_codes[callingCode] ?? [];
	// Prefer the user's default country if it shares the code (+1 with CA), else the main one.
	const chosen = defaultCountry && sharing.includes(defaultCountry) ? defaultCountry : sharing[0];
	return chosen ? `${countryName(chosen)} (${chosen})` : `country code +${callingCode}`;
}

let regionNames: Intl.DisplayNames | null | undefined;
let cachedCountryOptions: Array<{ name: string; value: string }> | undefined;

function countryName(code: string): string {
	if (regionNames === undefined) {
		try {
			regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;
		} catch {
			regionNames = null; // Node built without ICU region data: codes only.
		}
	}
	try {
		return regionNames?.of(code) ?? code;
	} catch {
		return code;
	}
}

function quote(input: string): string {
	const shown = input.length > 60 ? `${input.slice(0, 60)}…` : input;
	return JSON.stringify(shown);
}

function invalid(input: string, reason: string): PhoneNumberError {
	return new PhoneNumberError(`${quote(input)} is not a valid phone number: ${reason}`, input, reason);
}

function noCountryCode(input: string): PhoneNumberError {
	const reason = 'start it with + and the country code (e.g. +49…) or set the Default Country option';
	return new PhoneNumberError(`${quote(input)} has no country code: ${reason}`, input, `no country code: ${reason}`);
}
