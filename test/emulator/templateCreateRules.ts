/**
 * What Meta checks when a template is submitted (`POST /v1/configs/templates`), written from Meta's
 * pages, not from the node's code:
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components
 * https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates
 * https://developers.facebook.com/docs/whatsapp/flows/guides/sendingaflow (Flow buttons)
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/limited-time-offer-templates
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/media-card-carousel-templates
 *
 * Answers are Graph errors with code 100 (invalid parameter) and a subcode; the subcodes are
 * assumptions (Meta lists only a few of them), the details texts say what is wrong.
 */
import { isRecord, type Json } from '../support/json';
import type { UploadedFile } from './uploadSessions';

/** Looks up a handle from the resumable upload; undefined when it was not issued by this emulator. */
export type HandleLookup = (handle: string) => UploadedFile | undefined;

/** The file types each media header takes (Meta: image JPEG/PNG, video MP4, document PDF). */
const HEADER_FILE_TYPES: Record<string, string[]> = {
	IMAGE: ['image/jpeg', 'image/jpg', 'image/png'],
	VIDEO: ['video/mp4'],
	DOCUMENT: ['application/pdf'],
};

export interface CreateProblem {
	subcode: number;
	details: string;
}

/** Subcodes the emulator answers with. */
export const CREATE_SUBCODES = {
	invalid: 2388040,
	exists: 2388024,
	examples: 2388043,
	variables: 2388299,
	buttons: 2388158,
	category: 2388151,
} as const;

class Refusal extends Error {
	constructor(readonly problem: CreateProblem) {
		super(problem.details);
	}
}

function refuse(subcode: number, details: string): never {
	throw new Refusal({ subcode, details });
}

const array = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const length = (text: string): number => [...text].length;

function tokens(text: string): string[] {
	return [...text.matchAll(/\{\{([^{}]*)\}\}/g)].map((match) => match[1].trim());
}

function variableNames(where: string, text: string, named: boolean): string[] {
	if ((text.match(/\{\{/g) ?? []).length !== tokens(text).length || (text.match(/\}\}/g) ?? []).length !== tokens(text).length) {
		refuse(CREATE_SUBCODES.variables, `${where}: the text has a variable that is not closed or not opened`);
	}
	const found = tokens(text);
	for (const name of found) {
		const ok = named ? /^[a-z][a-z0-9_]*$/.test(name) : /^\d+$/.test(name);
		if (!ok) refuse(CREATE_SUBCODES.variables, `${where}: {{${name}}} is not a valid ${named ? 'named' : 'positional'} parameter`);
	}
	const distinct = [...new Set(found)];
	if (!named) {
		const sorted = distinct.map(Number).sort((a, b) => a - b);
		if (sorted.some((value, index) => value !== index + 1)) refuse(CREATE_SUBCODES.variables, `${where}: parameters must be sequential, starting at {{1}}`);
	}
	return distinct;
}

function needExamples(where: string, example: unknown, key: 'header' | 'body', names: string[], named: boolean): void {
	const source = isRecord(example) ? example : {};
	if (named) {
		const given = array(source[`${key}_text_named_params`]).filter(isRecord);
		for (const name of names) {
			const entry = given.find((item) => item.param_name === name);
			if (!entry || typeof entry.example !== 'string' || entry.example === '') refuse(CREATE_SUBCODES.examples, `${where}: no sample value for {{${name}}}`);
		}
		return;
	}
	const values = key === 'body' ? array(array(source.body_text)[0]) : array(source.header_text);
	if (values.length !== names.length || values.some((value) => typeof value !== 'string' || value === '')) {
		refuse(CREATE_SUBCODES.examples, `${where}: ${names.length} parameter(s) need ${names.length} sample value(s), got ${values.length}`);
	}
}

function checkFlowButton(where: string, button: Json): void {
	const sources = ['flow_id', 'flow_name', 'flow_json'].filter((key) => typeof button[key] === 'string' && button[key] !== '');
	if (sources.length !== 1) refuse(CREATE_SUBCODES.buttons, `${where}: exactly one of flow_id, flow_name and flow_json is required`);
	if (typeof button.flow_id === 'string' && !/^\d+$/.test(button.flow_id)) refuse(CREATE_SUBCODES.buttons, `${where}: flow_id must be the numeric id of a Flow`);
	if (typeof button.flow_json === 'string') {
		let flow: unknown;
		try {
			flow = JSON.parse(button.flow_json);
		} catch {
			flow = undefined;
		}
		if (!isRecord(flow) || !Array.isArray(flow.screens) || flow.screens.length === 0) refuse(CREATE_SUBCODES.buttons, `${where}: flow_json is not a valid Flow JSON`);
	}
	const action = button.flow_action ?? 'navigate';
	if (action !== 'navigate' && action !== 'data_exchange') refuse(CREATE_SUBCODES.buttons, `${where}: flow_action must be navigate or data_exchange`);
	if (button.navigate_screen !== undefined && (action !== 'navigate' || typeof button.navigate_screen !== 'string' || !/^\S+$/.test(button.navigate_screen))) {
		refuse(CREATE_SUBCODES.buttons, `${where}: navigate_screen is a screen id and goes with flow_action navigate`);
	}
}

function checkButtonsComponent(buttons: unknown[], category: string, kinds: string[] = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE', 'FLOW'], max = 10, prefix = ''): void {
	if (buttons.length === 0 || buttons.length > max) refuse(CREATE_SUBCODES.buttons, `${prefix}buttons: between 1 and ${max} buttons, got ${buttons.length}`);
	const types = buttons.map((button) => (isRecord(button) ? String(button.type) : ''));
	const count = (kind: string) => types.filter((each) => each === kind).length;
	if (count('URL') > 2) refuse(CREATE_SUBCODES.buttons, 'buttons: at most 2 URL buttons');
	if (count('PHONE_NUMBER') > 1) refuse(CREATE_SUBCODES.buttons, 'buttons: at most 1 phone number button');
	if (count('COPY_CODE') > 1) refuse(CREATE_SUBCODES.buttons, 'buttons: at most 1 copy code button');
	if (count('FLOW') > 1) refuse(CREATE_SUBCODES.buttons, 'buttons: at most 1 flow button');
	const quick = types.map((kind, index) => (kind === 'QUICK_REPLY' ? index : -1)).filter((index) => index >= 0);
	if (quick.length > 0 && quick[quick.length - 1] - quick[0] + 1 !== quick.length) refuse(CREATE_SUBCODES.buttons, 'buttons: quick reply buttons must be grouped together');
	buttons.forEach((raw, index) => {
		const button = isRecord(raw) ? raw : {};
		const where = `${prefix}buttons[${index}]`;
		if (!kinds.includes(String(button.type))) refuse(CREATE_SUBCODES.buttons, `${where}: type ${JSON.stringify(button.type)} is not allowed here`);
		switch (button.type) {
			case 'QUICK_REPLY':
			case 'URL':
			case 'PHONE_NUMBER':
			case 'FLOW':
				if (typeof button.text !== 'string' || button.text === '' || length(button.text) > 25) refuse(CREATE_SUBCODES.buttons, `${where}: text is required, 25 characters at most`);
				break;
			case 'COPY_CODE':
				if (category !== 'MARKETING') refuse(CREATE_SUBCODES.category, `${where}: copy code buttons are only available in marketing templates`);
				if (typeof button.example !== 'string' || button.example === '' || length(button.example) > 15) refuse(CREATE_SUBCODES.examples, `${where}: example code is required, 15 characters at most`);
				break;
			default:
				refuse(CREATE_SUBCODES.buttons, `${where}: type ${JSON.stringify(button.type)} is not allowed in a ${category.toLowerCase()} template`);
		}
		if (button.type === 'URL') {
			const url = typeof button.url === 'string' ? button.url : '';
			if (!/^https?:\/\/\S+$/.test(url.replace(/\{\{1\}\}$/, 'x')) || length(url) > 2000) refuse(CREATE_SUBCODES.buttons, `${where}: url must be an http(s) URL of 2000 characters at most`);
			const names = tokens(url);
			if (names.length > 1 || (names.length === 1 && !url.endsWith('{{1}}'))) refuse(CREATE_SUBCODES.variables, `${where}: a URL takes one parameter, {{1}}, at its end`);
			if (names.length === 1) {
				const example = array(button.example)[0];
				if (typeof example !== 'string' || !example.startsWith(url.slice(0, -5))) refuse(CREATE_SUBCODES.examples, `${where}: a sample URL is required for {{1}}`);
			}
		}
		if (button.type === 'FLOW') checkFlowButton(where, button);
		if (button.type === 'PHONE_NUMBER' && (typeof button.phone_number !== 'string' || !/^\+?\d[\d ()-]{3,19}$/.test(button.phone_number))) {
			refuse(CREATE_SUBCODES.buttons, `${where}: phone_number must be a phone number of 20 characters at most`);
		}
	});
}

function checkAuthentication(components: Json[]): void {
	const types = components.map((component) => component.type);
	if (types.includes('HEADER')) refuse(CREATE_SUBCODES.category, 'authentication templates cannot have a header');
	const body = components.find((component) => component.type === 'BODY');
	if (!body) refuse(CREATE_SUBCODES.invalid, 'components: a BODY component is required');
	if (body.text !== undefined) refuse(CREATE_SUBCODES.category, 'authentication templates use preset body text; remove "text"');
	const footer = components.find((component) => component.type === 'FOOTER');
	if (footer?.text !== undefined) refuse(CREATE_SUBCODES.category, 'authentication templates use a preset footer; remove "text"');
	if (footer?.code_expiration_minutes !== undefined) {
		const minutes = footer.code_expiration_minutes;
		if (!Number.isInteger(minutes) || (minutes as number) < 1 || (minutes as number) > 90) refuse(CREATE_SUBCODES.invalid, 'code_expiration_minutes must be between 1 and 90');
	}
	const buttons = array(components.find((component) => component.type === 'BUTTONS')?.buttons).filter(isRecord);
	if (buttons.length !== 1 || buttons[0].type !== 'OTP') refuse(CREATE_SUBCODES.buttons, 'authentication templates need exactly one OTP button');
	const otp = buttons[0];
	if (!['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'].includes(String(otp.otp_type))) refuse(CREATE_SUBCODES.buttons, 'otp_type must be COPY_CODE, ONE_TAP or ZERO_TAP');
	if (otp.otp_type !== 'COPY_CODE') {
		const app = array(otp.supported_apps).filter(isRecord)[0] ?? otp;
		if (typeof app.package_name !== 'string' || typeof app.signature_hash !== 'string' || app.signature_hash.length !== 11) {
			refuse(CREATE_SUBCODES.buttons, 'one-tap and zero-tap buttons need package_name and an 11-character signature_hash');
		}
		if (otp.otp_type === 'ZERO_TAP' && otp.zero_tap_terms_accepted !== true) refuse(CREATE_SUBCODES.buttons, 'zero_tap_terms_accepted must be true');
	}
}

function checkMediaHandle(format: string, handle: string, lookup: HandleLookup): void {
	const file = lookup(handle);
	if (!file) refuse(CREATE_SUBCODES.examples, `header: example.header_handle ${JSON.stringify(handle.slice(0, 40))} is not a handle from the resumable upload (POST /uploads, then POST /upload:…)`);
	if (!HEADER_FILE_TYPES[format].includes(file.fileType)) {
		refuse(CREATE_SUBCODES.examples, `header: the ${format.toLowerCase()} header needs a sample of type ${HEADER_FILE_TYPES[format].join(', ')}; the handle's file is ${file.fileType}`);
	}
}

function checkOffer(components: Json[], category: string): void {
	const offer = components.find((component) => component.type === 'LIMITED_TIME_OFFER');
	if (!offer) return;
	if (category !== 'MARKETING') refuse(CREATE_SUBCODES.category, 'limited-time offer templates must be MARKETING');
	const details = isRecord(offer.limited_time_offer) ? offer.limited_time_offer : {};
	if (typeof details.text !== 'string' || details.text === '' || length(details.text) > 16) refuse(CREATE_SUBCODES.invalid, 'limited_time_offer.text is required, 16 characters at most');
	if (details.has_expiration !== undefined && typeof details.has_expiration !== 'boolean') refuse(CREATE_SUBCODES.invalid, 'limited_time_offer.has_expiration must be a boolean');
	if (components.some((component) => component.type === 'FOOTER')) refuse(CREATE_SUBCODES.invalid, 'limited-time offer templates cannot have a footer');
	const header = components.find((component) => component.type === 'HEADER');
	if (header && header.format !== 'IMAGE' && header.format !== 'VIDEO') refuse(CREATE_SUBCODES.invalid, 'limited-time offer templates take an IMAGE or VIDEO header only');
	const body = components.find((component) => component.type === 'BODY');
	if (typeof body?.text === 'string' && length(body.text) > 600) refuse(CREATE_SUBCODES.invalid, 'body: 600 characters at most in a limited-time offer template');
	const buttons = array(components.find((component) => component.type === 'BUTTONS')?.buttons).map((button) => (isRecord(button) ? button.type : undefined));
	if (buttons.filter((type) => type === 'URL').length !== 1) refuse(CREATE_SUBCODES.buttons, 'limited-time offer templates need one URL button');
	if (buttons.some((type) => type !== 'URL' && type !== 'COPY_CODE')) refuse(CREATE_SUBCODES.buttons, 'limited-time offer templates take only a URL and a copy code button');
}

function checkCarousel(components: Json[], category: string, named: boolean, lookup: HandleLookup): void {
	const carousel = components.find((component) => component.type === 'CAROUSEL');
	if (!carousel) return;
	if (category !== 'MARKETING') refuse(CREATE_SUBCODES.category, 'carousel templates must be MARKETING');
	const others = components.map((component) => String(component.type)).filter((type) => type !== 'BODY' && type !== 'CAROUSEL');
	if (others.length > 0) refuse(CREATE_SUBCODES.invalid, `carousel templates have only a BODY and the CAROUSEL, not ${others.join(', ')}`);
	const cards = array(carousel.cards);
	if (cards.length < 2 || cards.length > 10) refuse(CREATE_SUBCODES.invalid, `carousel: 2 to 10 cards, got ${cards.length}`);
	let shape: string | undefined;
	cards.forEach((raw, index) => {
		const where = `cards[${index}]`;
		const parts = (isRecord(raw) ? array(raw.components) : []).filter(isRecord);
		const types = parts.map((part) => String(part.type));
		if (types.some((type) => !['HEADER', 'BODY', 'BUTTONS'].includes(type)) || new Set(types).size !== types.length) refuse(CREATE_SUBCODES.invalid, `${where}: components are one HEADER, BODY and BUTTONS each`);
		const header = parts.find((part) => part.type === 'HEADER');
		if (!header || (header.format !== 'IMAGE' && header.format !== 'VIDEO')) refuse(CREATE_SUBCODES.invalid, `${where}: an IMAGE or VIDEO header is required`);
		const handles = array(isRecord(header.example) ? header.example.header_handle : undefined);
		if (handles.length !== 1 || typeof handles[0] !== 'string') refuse(CREATE_SUBCODES.examples, `${where}: the header needs example.header_handle`);
		checkMediaHandle(String(header.format), handles[0], lookup);
		const body = parts.find((part) => part.type === 'BODY');
		const text = typeof body?.text === 'string' ? body.text : '';
		if (text.trim() === '' || length(text) > 160) refuse(CREATE_SUBCODES.invalid, `${where}: body text is required, 160 characters at most`);
		const names = variableNames(`${where} body`, text, named);
		if (names.length > 0) needExamples(`${where} body`, body?.example, 'body', names, named);
		const buttons = array(parts.find((part) => part.type === 'BUTTONS')?.buttons);
		checkButtonsComponent(buttons, category, ['QUICK_REPLY', 'URL', 'PHONE_NUMBER'], 2, `${where}: `);
		const cardShape = `${String(header.format)}|${buttons.map((button) => (isRecord(button) ? String(button.type) : '')).join(',')}`;
		if (shape !== undefined && cardShape !== shape) refuse(CREATE_SUBCODES.invalid, `${where}: every card needs the same header format and the same buttons as the first`);
		shape = cardShape;
	});
}

function checkStandard(components: Json[], category: string, named: boolean, lookup: HandleLookup): void {
	checkOffer(components, category);
	checkCarousel(components, category, named, lookup);
	const header = components.find((component) => component.type === 'HEADER');
	if (header) {
		const format = header.format;
		if (format === 'TEXT') {
			const text = typeof header.text === 'string' ? header.text : '';
			if (text === '' || length(text) > 60) refuse(CREATE_SUBCODES.invalid, 'header: text is required, 60 characters at most');
			const names = variableNames('header', text, named);
			if (names.length > 1) refuse(CREATE_SUBCODES.variables, 'header: at most one parameter');
			if (names.length === 1) needExamples('header', header.example, 'header', names, named);
		} else if (['IMAGE', 'VIDEO', 'DOCUMENT'].includes(String(format))) {
			const handles = array(isRecord(header.example) ? header.example.header_handle : undefined);
			if (handles.length !== 1 || typeof handles[0] !== 'string') refuse(CREATE_SUBCODES.examples, `header: a ${String(format).toLowerCase()} header needs example.header_handle`);
			checkMediaHandle(String(format), handles[0], lookup);
		} else if (format !== 'LOCATION') {
			refuse(CREATE_SUBCODES.invalid, `header: format ${JSON.stringify(format)} is not supported`);
		}
	}
	const body = components.find((component) => component.type === 'BODY');
	const text = typeof body?.text === 'string' ? body.text : '';
	if (text.trim() === '' || length(text) > 1024) refuse(CREATE_SUBCODES.invalid, 'body: text is required, 1024 characters at most');
	const names = variableNames('body', text, named);
	if (names.length > 0) {
		if (/^\s*\{\{[^{}]*\}\}/.test(text) || /\{\{[^{}]*\}\}\s*$/.test(text)) refuse(CREATE_SUBCODES.variables, 'body: parameters cannot be at the start or end of the text');
		needExamples('body', body?.example, 'body', names, named);
	}
	const footer = components.find((component) => component.type === 'FOOTER');
	if (footer) {
		const footerText = typeof footer.text === 'string' ? footer.text : '';
		if (footerText === '' || length(footerText) > 60 || footerText.includes('{{')) refuse(CREATE_SUBCODES.invalid, 'footer: text of 60 characters at most, without parameters');
	}
	const buttons = components.find((component) => component.type === 'BUTTONS');
	if (buttons) checkButtonsComponent(array(buttons.buttons), category);
}

/**
 * Meta's examples write component, format and button types in either case (`limited_time_offer`,
 * `copy_code`); the body as Meta reads it, with those in upper case (cards included).
 */
export function normalizeTemplateBody(body: unknown): unknown {
	if (!isRecord(body)) return body;
	const upper = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : value);
	const components = (list: unknown): unknown =>
		Array.isArray(list)
			? list.map((component) => {
					if (!isRecord(component)) return component;
					const copy: Json = { ...component, type: upper(component.type) };
					if (component.format !== undefined) copy.format = upper(component.format);
					if (Array.isArray(component.buttons)) copy.buttons = component.buttons.map((button) => (isRecord(button) ? { ...button, type: upper(button.type) } : button));
					if (Array.isArray(component.cards)) copy.cards = component.cards.map((card) => (isRecord(card) ? { ...card, components: components(card.components) } : card));
					return copy;
				})
			: list;
	return { ...body, ...(typeof body.category === 'string' ? { category: body.category.toUpperCase() } : {}), ...(body.components !== undefined ? { components: components(body.components) } : {}) };
}

/** Undefined when Meta would accept the submission, else why not. */
/**
 * `message_send_ttl_seconds`, Meta's ranges per category
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/time-to-live).
 */
const TTL_RANGES: Record<string, [number, number]> = { AUTHENTICATION: [30, 900], UTILITY: [30, 43200], MARKETING: [43200, 2592000] };

function checkTimeToLive(ttl: unknown, category: string): void {
	if (ttl === undefined) return;
	const [min, max] = TTL_RANGES[category];
	if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < min || ttl > max) {
		refuse(CREATE_SUBCODES.invalid, `message_send_ttl_seconds: ${JSON.stringify(ttl)} is outside ${min}–${max} seconds for ${category} templates`);
	}
}

export function checkTemplateCreation(body: unknown, lookup: HandleLookup = () => undefined): CreateProblem | undefined {
	try {
		if (!isRecord(body)) refuse(CREATE_SUBCODES.invalid, 'the body must be a JSON object');
		if (typeof body.name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(body.name)) refuse(CREATE_SUBCODES.invalid, 'name: lowercase letters, numbers and underscores only, 512 characters at most');
		if (typeof body.language !== 'string' || !/^[a-z]{2,3}(_[A-Z]{2})?$/.test(body.language)) refuse(CREATE_SUBCODES.invalid, `language: ${JSON.stringify(body.language)} is not a supported language code`);
		const category = body.category;
		if (category !== 'MARKETING' && category !== 'UTILITY' && category !== 'AUTHENTICATION') refuse(CREATE_SUBCODES.invalid, 'category must be MARKETING, UTILITY or AUTHENTICATION');
		checkTimeToLive(body.message_send_ttl_seconds, category);
		const format = body.parameter_format ?? 'POSITIONAL';
		if (format !== 'POSITIONAL' && format !== 'NAMED') refuse(CREATE_SUBCODES.invalid, 'parameter_format must be POSITIONAL or NAMED');
		const components = array(body.components);
		if (components.length === 0 || !components.every((component) => isRecord(component) && typeof component.type === 'string')) refuse(CREATE_SUBCODES.invalid, 'components: a list of components with a type is required');
		const types = (components as Json[]).map((component) => String(component.type));
		if (new Set(types).size !== types.length) refuse(CREATE_SUBCODES.invalid, 'components: each component type may appear once');
		const unknown = types.find((type) => !['HEADER', 'BODY', 'FOOTER', 'BUTTONS', 'LIMITED_TIME_OFFER', 'CAROUSEL'].includes(type));
		if (unknown) refuse(CREATE_SUBCODES.invalid, `components: type ${unknown} is not supported here`);
		if (category === 'AUTHENTICATION' && types.some((type) => type === 'LIMITED_TIME_OFFER' || type === 'CAROUSEL')) refuse(CREATE_SUBCODES.category, 'authentication templates cannot have a limited-time offer or a carousel');
		if (category === 'AUTHENTICATION') checkAuthentication(components as Json[]);
		else checkStandard(components as Json[], category, format === 'NAMED', lookup);
		return undefined;
	} catch (error) {
		if (error instanceof Refusal) return error.problem;
		throw error;
	}
}
