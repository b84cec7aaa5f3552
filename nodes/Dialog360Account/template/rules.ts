/**
 * Meta's rules for creating a message template, checked before the request. PURE: a broken rule
 * throws a FieldError that names the field through `labels` (the form's names, or JSON paths for a
 * body given as JSON).
 *
 * Sources:
 * - https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates
 * - https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components
 * - https://developers.facebook.com/docs/whatsapp/business-management-api/authentication-templates
 * - Flow buttons: https://developers.facebook.com/docs/whatsapp/flows/guides/sendingaflow
 * - https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/limited-time-offer-templates
 * - https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/media-card-carousel-templates
 * - https://docs.360dialog.com/partner/messaging/template-messages/create-and-manage-template-messages
 */
import { isRecord } from '../../common/json';
import { characterCount, FieldError } from '../../common/validation';

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export const CREATE_LIMITS = {
	/** 360dialog: "The message template name field is limited to 512 characters." */
	name: 512,
	headerText: 60,
	body: 1024,
	footer: 60,
	buttons: 10,
	quickReplies: 10,
	urlButtons: 2,
	phoneButtons: 1,
	copyCodeButtons: 1,
	buttonText: 25,
	url: 2000,
	phoneNumber: 20,
	copyCodeExample: 15,
	codeExpirationMinutes: 90,
	namedVariable: 20,
	flowButtons: 1,
	/** Limited-time offer: the offer text and the body. */
	offerText: 16,
	offerBody: 600,
	/** Carousel: cards per template, card body, buttons per card. */
	cardsMin: 2,
	cardsMax: 10,
	cardBody: 160,
	cardButtons: 2,
} as const;

/** Template names: lowercase letters, digits and underscores (Meta). */
export const TEMPLATE_NAME_PATTERN = /^[a-z0-9_]+$/;
/** Language codes as Meta lists them: `en`, `en_US`, `zh_CN`, `es_MX`, `fil`. */
export const LANGUAGE_PATTERN = /^[a-z]{2,3}(_[A-Z]{2})?$/;

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

export type Part =
	| 'name'
	| 'language'
	| 'category'
	| 'parameterFormat'
	| 'components'
	| 'header'
	| 'headerExample'
	| 'headerMedia'
	| 'body'
	| 'bodyExamples'
	| 'footer'
	| 'buttons'
	| 'codeExpiration'
	| 'offer'
	| 'offerText'
	| 'offerExpiration'
	| 'carousel'
	| 'timeToLive';

export type ButtonProperty =
	| 'type'
	| 'text'
	| 'url'
	| 'example'
	| 'phone_number'
	| 'otp_type'
	| 'package_name'
	| 'signature_hash'
	| 'flow_id'
	| 'flow_name'
	| 'flow_json'
	| 'flow_action'
	| 'navigate_screen';

/** What a carousel card's parts are called: its header, body (with examples) and buttons. */
export type CardPart = 'header' | 'headerMedia' | 'body' | 'bodyExamples' | 'buttons';

/** How fields are named in errors: form labels, or JSON paths. */
export interface FieldLabels {
	part(part: Part): string;
	button(index: number, property?: ButtonProperty): string;
	/** A part of carousel card `card` (0-based), and its buttons. */
	card(card: number, part?: CardPart): string;
	cardButton(card: number, index: number, property?: ButtonProperty): string;
}

export const JSON_LABELS = (field: string): FieldLabels => ({
	part: (part) => {
		const paths: Record<Part, string> = {
			name: 'name',
			language: 'language',
			category: 'category',
			parameterFormat: 'parameter_format',
			components: 'components',
			header: 'HEADER component',
			headerExample: 'HEADER example',
			headerMedia: 'HEADER example.header_handle',
			body: 'BODY component',
			bodyExamples: 'BODY example',
			footer: 'FOOTER component',
			buttons: 'BUTTONS component',
			codeExpiration: 'FOOTER code_expiration_minutes',
			offer: 'LIMITED_TIME_OFFER component',
			offerText: 'LIMITED_TIME_OFFER text',
			offerExpiration: 'LIMITED_TIME_OFFER has_expiration',
			carousel: 'CAROUSEL component',
			timeToLive: 'message_send_ttl_seconds',
		};
		return `${field} → ${paths[part]}`;
	},
	button: (index, property) => `${field} → button ${index + 1}${property ? ` ${property}` : ''}`,
	card: (card, part) => {
		const paths: Record<CardPart, string> = {
			header: 'HEADER component',
			headerMedia: 'HEADER example.header_handle',
			body: 'BODY component',
			bodyExamples: 'BODY example',
			buttons: 'BUTTONS component',
		};
		return `${field} → CAROUSEL card ${card + 1}${part ? ` ${paths[part]}` : ''}`;
	},
	cardButton: (card, index, property) => `${field} → CAROUSEL card ${card + 1} button ${index + 1}${property ? ` ${property}` : ''}`,
});

const BUTTON_NAMES: Record<ButtonProperty, string> = {
	type: 'Type',
	text: 'Text',
	url: 'URL',
	example: 'Example',
	phone_number: 'Phone Number',
	otp_type: 'OTP Type',
	package_name: 'Package Name',
	signature_hash: 'Signature Hash',
	flow_id: 'Flow ID or Name',
	flow_name: 'Flow ID or Name',
	flow_json: 'Flow JSON',
	flow_action: 'Flow Action',
	navigate_screen: 'Flow First Screen',
};

export const FORM_LABELS: FieldLabels = {
	part: (part) => {
		const names: Record<Part, string> = {
			name: 'Template Name',
			language: 'Language',
			category: 'Category',
			parameterFormat: 'Variable Style',
			components: 'Body',
			header: 'Header Text',
			headerExample: 'Header Variable Example',
			headerMedia: 'Header Media Handle',
			body: 'Body',
			bodyExamples: 'Body Variable Examples',
			footer: 'Footer',
			buttons: 'Buttons',
			codeExpiration: 'Code Expiration (Minutes)',
			offer: 'Limited-Time Offer Text',
			offerText: 'Limited-Time Offer Text',
			offerExpiration: 'Offer Shows Expiration',
			carousel: 'Carousel Cards',
			timeToLive: 'Time to Live (Seconds)',
		};
		return names[part];
	},
	button: (index, property) => `Button ${index + 1}${property ? ` ${BUTTON_NAMES[property]}` : ''}`,
	// The fields of a card in the form's Carousel Cards list.
	card: (card, part) =>
		`Carousel Card ${card + 1}${part ? ` ${{ header: 'Header Format', headerMedia: 'Header Binary Property', body: 'Body', bodyExamples: 'Body Variable Examples', buttons: 'Buttons' }[part]}` : ''}`,
	cardButton: (card, index, property) => `Carousel Card ${card + 1} Button ${index + 1}${property ? ` ${BUTTON_NAMES[property]}` : ''}`,
};

type Json = Record<string, unknown>;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The variables of a text, in order of appearance (repeats kept). */
export function variablesOf(value: string | undefined): string[] {
	return [...(value ?? '').matchAll(VARIABLE)].map((match) => match[1]);
}

function fail(field: string, message: string): never {
	throw new FieldError(field, message);
}

function checkLength(field: string, value: string, limit: number): void {
	const length = characterCount(value);
	if (length > limit) fail(field, `${field} has ${length} characters; WhatsApp allows ${limit}`);
}

/**
 * Variable syntax and numbering of one text: `{{1}}`, `{{2}}`, … from 1 without gaps (positional),
 * or `{{lowercase_name}}` (named); never both, never malformed (`{{ 1 }}` is accepted and read as 1).
 * Returns the distinct variables in order.
 */
export function checkVariables(field: string, value: string, named: boolean): string[] {
	const open = (value.match(/\{\{/g) ?? []).length;
	const close = (value.match(/\}\}/g) ?? []).length;
	const found = variablesOf(value);
	if (open !== found.length || close !== found.length) {
		fail(field, `${field} has a malformed variable; write variables as ${named ? '{{first_name}}' : '{{1}}'}`);
	}
	for (const variable of found) {
		if (named) {
			if (!/^[a-z][a-z0-9_]*$/.test(variable)) {
				fail(field, `${field}: variable {{${variable}}} is not a named variable; use lowercase letters, digits and underscores, starting with a letter (Variable Style is Named)`);
			}
			if (variable.length > CREATE_LIMITS.namedVariable) fail(field, `${field}: variable {{${variable}}} is longer than ${CREATE_LIMITS.namedVariable} characters`);
		} else if (!/^[1-9][0-9]*$/.test(variable)) {
			fail(field, `${field}: variable {{${variable}}} is not positional; use {{1}}, {{2}}, … (or set Variable Style to Named)`);
		}
	}
	const distinct = [...new Set(found)];
	if (!named) {
		const numbers = distinct.map(Number).sort((a, b) => a - b);
		numbers.forEach((number, index) => {
			if (number !== index + 1) fail(field, `${field}: variables must be numbered {{1}} to {{${numbers.length}}} without gaps; {{${index + 1}}} is missing`);
		});
	}
	return distinct;
}

const COMPONENT_TYPES = ['HEADER', 'BODY', 'FOOTER', 'BUTTONS', 'LIMITED_TIME_OFFER', 'CAROUSEL'];

function componentsOf(body: Json, labels: FieldLabels): Json[] {
	const components = body.components;
	if (!Array.isArray(components) || components.length === 0) fail(labels.part('components'), `${labels.part('components')} is required: a template needs at least a body`);
	components.forEach((component, index) => {
		if (!isRecord(component) || typeof component.type !== 'string') fail(labels.part('components'), `${labels.part('components')}: entry ${index + 1} is not a component with a "type"`);
	});
	const seen = new Set<string>();
	for (const component of components as Json[]) {
		const type = String(component.type).toUpperCase();
		if (!COMPONENT_TYPES.includes(type)) fail(labels.part('components'), `${labels.part('components')}: component type "${String(component.type)}" is not one of ${COMPONENT_TYPES.join(', ')}`);
		if (seen.has(type)) fail(labels.part('components'), `${labels.part('components')}: the ${type} component is given more than once`);
		seen.add(type);
	}
	return components as Json[];
}

const componentOf = (components: Json[], type: string): Json | undefined => components.find((component) => String(component.type).toUpperCase() === type);

/** Checks a whole create body (`name`, `language`, `category`, `components`, optional `parameter_format`). */
export function checkTemplateCreate(body: Json, labels: FieldLabels): void {
	const name = text(body.name) ?? '';
	if (name.trim() === '') fail(labels.part('name'), `${labels.part('name')} is required`);
	checkLength(labels.part('name'), name, CREATE_LIMITS.name);
	if (!TEMPLATE_NAME_PATTERN.test(name)) {
		fail(labels.part('name'), `${labels.part('name')} "${name}" may contain only lowercase letters, digits and underscores (e.g. order_update)`);
	}
	const language = text(body.language) ?? '';
	if (!LANGUAGE_PATTERN.test(language)) fail(labels.part('language'), `${labels.part('language')} "${language}" is not a WhatsApp language code such as en, en_US or pt_BR`);
	const category = String(body.category ?? '').toUpperCase();
	if (!(TEMPLATE_CATEGORIES as readonly string[]).includes(category)) {
		fail(labels.part('category'), `${labels.part('category')} "${String(body.category ?? '')}" must be one of ${TEMPLATE_CATEGORIES.join(', ')}`);
	}
	const format = body.parameter_format === undefined ? 'POSITIONAL' : String(body.parameter_format).toUpperCase();
	if (format !== 'POSITIONAL' && format !== 'NAMED') fail(labels.part('parameterFormat'), `${labels.part('parameterFormat')} must be POSITIONAL or NAMED`);
	checkTimeToLive(body.message_send_ttl_seconds, category as TemplateCategory, labels);
	const components = componentsOf(body, labels);
	if (category === 'AUTHENTICATION') checkAuthentication(components, labels);
	else checkStandard(components, labels, format === 'NAMED', category as TemplateCategory);
}

/**
 * `message_send_ttl_seconds` per category (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/time-to-live):
 * authentication 30–900 s, utility 30–43,200 s, marketing 43,200–2,592,000 s (marketing TTL applies to the
 * Marketing Messages API).
 */
export const TIME_TO_LIVE_SECONDS: Record<TemplateCategory, { min: number; max: number }> = {
	AUTHENTICATION: { min: 30, max: 900 },
	UTILITY: { min: 30, max: 43_200 },
	MARKETING: { min: 43_200, max: 2_592_000 },
};

function checkTimeToLive(value: unknown, category: TemplateCategory, labels: FieldLabels): void {
	if (value === undefined) return;
	const field = labels.part('timeToLive');
	if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, `${field} must be a whole number of seconds, got ${JSON.stringify(value)}`);
	const range = TIME_TO_LIVE_SECONDS[category];
	if (range && (value < range.min || value > range.max)) {
		fail(field, `${field} must be between ${range.min.toLocaleString('en-US')} and ${range.max.toLocaleString('en-US')} seconds for ${category} templates, got ${value.toLocaleString('en-US')}`);
	}
}

/** A body's text, variables and examples (the template's body or a carousel card's). */
function checkBody(body: Json | undefined, field: string, examplesField: string, named: boolean, limit: number): void {
	const bodyText = text(body?.text) ?? '';
	if (!body || bodyText.trim() === '') fail(field, `${field} is required`);
	checkLength(field, bodyText, limit);
	const variables = checkVariables(field, bodyText, named);
	if (variables.length > 0) {
		const trimmed = bodyText.trim();
		if (/^\{\{[^{}]*\}\}/.test(trimmed)) fail(field, `${field} may not start with a variable; WhatsApp rejects such templates`);
		if (/\{\{[^{}]*\}\}$/.test(trimmed)) fail(field, `${field} may not end with a variable; add text (even a full stop) after it`);
		checkExamples(examplesField, body.example, variables, named, 'body');
	}
}

function checkStandard(components: Json[], labels: FieldLabels, named: boolean, category: TemplateCategory): void {
	const offer = componentOf(components, 'LIMITED_TIME_OFFER');
	const carousel = componentOf(components, 'CAROUSEL');
	if (offer) checkOffer(offer, components, labels, category);
	if (carousel) checkCarousel(carousel, components, labels, named, category);

	const header = componentOf(components, 'HEADER');
	if (header) checkHeader(header, labels, named);

	checkBody(componentOf(components, 'BODY'), labels.part('body'), labels.part('bodyExamples'), named, offer ? CREATE_LIMITS.offerBody : CREATE_LIMITS.body);

	const footer = componentOf(components, 'FOOTER');
	if (footer) {
		const footerField = labels.part('footer');
		const footerText = text(footer.text) ?? '';
		if (footerText.trim() === '') fail(footerField, `${footerField} is empty; leave the footer out instead`);
		checkLength(footerField, footerText, CREATE_LIMITS.footer);
		if (variablesOf(footerText).length > 0 || footerText.includes('{{')) fail(footerField, `${footerField} may not contain variables`);
	}

	const buttons = componentOf(components, 'BUTTONS');
	if (buttons) checkButtons(list(buttons.buttons), templateButtons(labels), category);
}

function checkHeader(header: Json, labels: FieldLabels, named: boolean): void {
	const field = labels.part('header');
	const format = String(header.format ?? '').toUpperCase();
	if (!['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'].includes(format)) fail(field, `${field}: header format "${String(header.format ?? '')}" must be TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION`);
	const example = isRecord(header.example) ? header.example : undefined;
	if (format === 'TEXT') {
		const value = text(header.text) ?? '';
		if (value.trim() === '') fail(field, `${field} is required for a text header`);
		checkLength(field, value, CREATE_LIMITS.headerText);
		const variables = checkVariables(field, value, named);
		if (variables.length > 1) fail(field, `${field} has ${variables.length} variables; a header allows 1`);
		if (variables.length === 1) checkExamples(labels.part('headerExample'), header.example, variables, named, 'header');
		return;
	}
	if (format === 'LOCATION') return;
	const handles = list(example?.header_handle).filter((handle) => typeof handle === 'string' && handle.trim() !== '');
	if (handles.length !== 1) {
		fail(labels.part('headerMedia'), `${labels.part('headerMedia')}: a ${format.toLowerCase()} header needs one example media handle (from 360dialog's/Meta's resumable upload)`);
	}
}

/** Examples for every variable: `body_text: [[…]]` / `header_text: […]` (positional) or the `_named_params` lists. */
function checkExamples(field: string, example: unknown, variables: string[], named: boolean, where: 'body' | 'header'): void {
	const source = isRecord(example) ? example : {};
	if (named) {
		const entries = list(source[`${where}_text_named_params`]).filter(isRecord);
		const byName = new Map(entries.map((entry) => [String(entry.param_name), entry.example]));
		for (const variable of variables) {
			const value = byName.get(variable);
			if (typeof value !== 'string' || value.trim() === '') fail(field, `${field}: variable {{${variable}}} needs an example value`);
		}
		const extra = [...byName.keys()].filter((name) => !variables.includes(name));
		if (extra.length > 0) fail(field, `${field}: example for {{${extra[0]}}}, which the text does not use`);
		return;
	}
	const values = where === 'body' ? list(list(source.body_text)[0]) : list(source.header_text);
	if (values.length !== variables.length) {
		fail(field, `${field}: ${variables.length} variable${variables.length === 1 ? '' : 's'} need${variables.length === 1 ? 's' : ''} ${variables.length} example${variables.length === 1 ? '' : 's'}, got ${values.length}`);
	}
	values.forEach((value, index) => {
		if (typeof value !== 'string' || value.trim() === '') fail(field, `${field}: variable {{${index + 1}}} needs an example value`);
		if (/\{\{|\}\}/.test(value)) fail(field, `${field}: the example of {{${index + 1}}} may not contain {{ or }}`);
	});
}

/** The button kinds of marketing and utility templates; carousel cards take fewer. */
const STANDARD_BUTTONS = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE', 'FLOW'];
const CARD_BUTTONS = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER'];

/** Where a list of buttons sits (the template's BUTTONS or a card's) and what it may hold. */
interface ButtonScope {
	field: string;
	button: (index: number, property?: ButtonProperty) => string;
	allowed: string[];
	max: number;
}

const templateButtons = (labels: FieldLabels): ButtonScope => ({ field: labels.part('buttons'), button: labels.button, allowed: STANDARD_BUTTONS, max: CREATE_LIMITS.buttons });

function checkButtons(buttons: unknown[], scope: ButtonScope, category: TemplateCategory): void {
	const field = scope.field;
	if (buttons.length === 0) fail(field, `${field}: the buttons component has no buttons; leave it out instead`);
	if (buttons.length > scope.max) fail(field, `${field}: ${buttons.length} buttons; WhatsApp allows ${scope.max}`);
	const counts: Record<string, number> = {};
	const types: string[] = [];
	buttons.forEach((raw, index) => {
		const button = isRecord(raw) ? raw : {};
		const type = String(button.type ?? '').toUpperCase();
		if (!scope.allowed.includes(type)) {
			fail(scope.button(index, 'type'), `${scope.button(index, 'type')} "${String(button.type ?? '')}" must be ${scope.allowed.join(', ')}${type === 'OTP' ? ' (one-time-password buttons belong to authentication templates)' : ''}`);
		}
		types.push(type);
		counts[type] = (counts[type] ?? 0) + 1;
		if (type !== 'COPY_CODE') {
			const label = text(button.text) ?? '';
			if (label.trim() === '') fail(scope.button(index, 'text'), `${scope.button(index, 'text')} is required`);
			checkLength(scope.button(index, 'text'), label, CREATE_LIMITS.buttonText);
			if (label.includes('{{')) fail(scope.button(index, 'text'), `${scope.button(index, 'text')} may not contain variables`);
		}
		if (type === 'URL') checkUrlButton(button, index, scope);
		if (type === 'FLOW') checkFlowButton(button, index, scope);
		if (type === 'PHONE_NUMBER') {
			const phone = text(button.phone_number) ?? '';
			const phoneField = scope.button(index, 'phone_number');
			if (phone.trim() === '') fail(phoneField, `${phoneField} is required`);
			checkLength(phoneField, phone, CREATE_LIMITS.phoneNumber);
			if (!/^\+?[0-9][0-9 ()-]*$/.test(phone.trim())) fail(phoneField, `${phoneField} "${phone}" is not a phone number; use the international form, e.g. +4930123456789`);
		}
		if (type === 'COPY_CODE') {
			if (category !== 'MARKETING') fail(scope.button(index, 'type'), `${scope.button(index, 'type')}: copy-code (coupon) buttons are only allowed in MARKETING templates`);
			const example = Array.isArray(button.example) ? button.example[0] : button.example;
			const exampleField = scope.button(index, 'example');
			if (typeof example !== 'string' || example.trim() === '') fail(exampleField, `${exampleField}: a copy-code button needs an example code`);
			checkLength(exampleField, example, CREATE_LIMITS.copyCodeExample);
		}
	});
	const maxima: Array<[string, number, string]> = [
		['QUICK_REPLY', CREATE_LIMITS.quickReplies, 'quick-reply'],
		['URL', CREATE_LIMITS.urlButtons, 'URL'],
		['PHONE_NUMBER', CREATE_LIMITS.phoneButtons, 'phone-number'],
		['COPY_CODE', CREATE_LIMITS.copyCodeButtons, 'copy-code'],
		['FLOW', CREATE_LIMITS.flowButtons, 'flow'],
	];
	for (const [type, max, noun] of maxima) {
		if ((counts[type] ?? 0) > max) fail(field, `${field}: ${counts[type]} ${noun} buttons; WhatsApp allows ${max}`);
	}
	// Quick replies and the other buttons must each stay together (Meta: "buttons must be grouped").
	const firstQuick = types.indexOf('QUICK_REPLY');
	const lastQuick = types.lastIndexOf('QUICK_REPLY');
	if (firstQuick !== -1) {
		const interleaved = types.slice(firstQuick, lastQuick + 1).findIndex((type) => type !== 'QUICK_REPLY');
		if (interleaved !== -1) {
			fail(scope.button(firstQuick + interleaved, 'type'), `${scope.button(firstQuick + interleaved, 'type')}: quick-reply buttons must be grouped together, before or after the other buttons`);
		}
	}
}

function checkUrlButton(button: Json, index: number, scope: ButtonScope): void {
	const field = scope.button(index, 'url');
	const url = text(button.url) ?? '';
	if (url.trim() === '') fail(field, `${field} is required`);
	checkLength(field, url, CREATE_LIMITS.url);
	const variables = variablesOf(url);
	const open = (url.match(/\{\{/g) ?? []).length;
	if (open !== variables.length) fail(field, `${field} has a malformed variable; write the suffix variable as {{1}}`);
	if (variables.length > 1 || (variables.length === 1 && variables[0] !== '1')) fail(field, `${field}: a URL takes one variable, {{1}}`);
	if (variables.length === 1 && !/\{\{\s*1\s*\}\}$/.test(url.trim())) fail(field, `${field}: the variable {{1}} must be at the end of the URL (a dynamic suffix)`);
	const base = url.replace(VARIABLE, 'x');
	const parsed = URL.canParse(base) ? new URL(base) : undefined;
	if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) fail(field, `${field} "${url}" is not an http(s) URL`);
	if (variables.length === 1) {
		const example = Array.isArray(button.example) ? button.example[0] : button.example;
		const exampleField = scope.button(index, 'example');
		if (typeof example !== 'string' || example.trim() === '') fail(exampleField, `${exampleField}: a URL with {{1}} needs an example (the full URL with a sample suffix)`);
		const prefix = url.trim().replace(/\{\{\s*1\s*\}\}$/, '');
		if (!example.startsWith(prefix) || example.length === prefix.length) {
			fail(exampleField, `${exampleField} "${example}" must be the URL with a sample suffix, e.g. ${prefix}4711`);
		}
	}
}

/**
 * A Flow button: exactly one of `flow_id`, `flow_name`, `flow_json` (the Flow JSON as text);
 * `flow_action` navigate (default) or data_exchange; `navigate_screen` only for navigate.
 */
function checkFlowButton(button: Json, index: number, scope: ButtonScope): void {
	const given = (['flow_id', 'flow_name', 'flow_json'] as const).filter((key) => button[key] !== undefined && button[key] !== '');
	if (given.length !== 1) {
		const field = scope.button(index, given[1] ?? 'flow_id');
		fail(field, `${field}: a Flow button needs exactly one of flow_id, flow_name or flow_json${given.length > 1 ? `, got ${given.join(' and ')}` : ''}`);
	}
	const key = given[0];
	const value = button[key];
	if (typeof value !== 'string' || value.trim() === '') fail(scope.button(index, key), `${scope.button(index, key)} must be text${key === 'flow_json' ? ' (the Flow JSON as a string)' : ''}`);
	if (key === 'flow_id' && !/^\d+$/.test(value.trim())) fail(scope.button(index, key), `${scope.button(index, key)} "${value}" is not a Flow ID (digits); use Flow Name for the name`);
	if (key === 'flow_json') {
		let flow: unknown;
		try {
			flow = JSON.parse(value);
		} catch {
			flow = undefined;
		}
		if (!isRecord(flow) || !Array.isArray(flow.screens) || flow.screens.length === 0) {
			fail(scope.button(index, key), `${scope.button(index, key)} is not a Flow JSON: it must be a JSON object with "version" and a list of "screens"`);
		}
	}
	const action = button.flow_action === undefined ? 'navigate' : button.flow_action;
	if (action !== 'navigate' && action !== 'data_exchange') fail(scope.button(index, 'flow_action'), `${scope.button(index, 'flow_action')} "${String(action)}" must be navigate or data_exchange`);
	if (button.navigate_screen !== undefined) {
		const screen = button.navigate_screen;
		if (action !== 'navigate') fail(scope.button(index, 'navigate_screen'), `${scope.button(index, 'navigate_screen')}: a first screen is only given with flow_action navigate`);
		if (typeof screen !== 'string' || screen.trim() === '' || /\s/.test(screen)) fail(scope.button(index, 'navigate_screen'), `${scope.button(index, 'navigate_screen')} must be the ID of a screen of the Flow, e.g. WELCOME_SCREEN`);
	}
}

/**
 * Limited-time offer (marketing only): offer text ≤ 16 characters without variables, optional
 * `has_expiration`; no footer; header only image or video; body ≤ 600; a URL button and at most a
 * copy-code button besides (API assumption 38).
 */
function checkOffer(offer: Json, components: Json[], labels: FieldLabels, category: TemplateCategory): void {
	const field = labels.part('offer');
	if (category !== 'MARKETING') fail(labels.part('category'), `${labels.part('category')}: limited-time offers are only allowed in MARKETING templates`);
	const details = isRecord(offer.limited_time_offer) ? offer.limited_time_offer : undefined;
	if (!details) fail(field, `${field} needs "limited_time_offer": {"text": …}`);
	const textField = labels.part('offerText');
	const offerText = text(details.text) ?? '';
	if (offerText.trim() === '') fail(textField, `${textField} is required for a limited-time offer`);
	checkLength(textField, offerText, CREATE_LIMITS.offerText);
	if (offerText.includes('{{')) fail(textField, `${textField} may not contain variables`);
	if (details.has_expiration !== undefined && typeof details.has_expiration !== 'boolean') fail(labels.part('offerExpiration'), `${labels.part('offerExpiration')} must be true or false`);
	if (componentOf(components, 'FOOTER')) fail(labels.part('footer'), `${labels.part('footer')}: a limited-time offer template has no footer`);
	const header = componentOf(components, 'HEADER');
	if (header && !['IMAGE', 'VIDEO'].includes(String(header.format ?? '').toUpperCase())) {
		fail(labels.part('header'), `${labels.part('header')}: a limited-time offer's header is an image or a video, got ${String(header.format ?? 'none')}`);
	}
	const buttons = list(componentOf(components, 'BUTTONS')?.buttons).map((button) => (isRecord(button) ? String(button.type ?? '').toUpperCase() : ''));
	if (!buttons.includes('URL')) fail(labels.part('buttons'), `${labels.part('buttons')}: a limited-time offer needs a URL button (where the offer is redeemed)`);
	const other = buttons.findIndex((type) => type !== 'URL' && type !== 'COPY_CODE');
	if (other !== -1) fail(labels.button(other, 'type'), `${labels.button(other, 'type')}: a limited-time offer takes only a URL and a copy-code button, not ${buttons[other]}`);
	if (buttons.filter((type) => type === 'URL').length > 1) fail(labels.part('buttons'), `${labels.part('buttons')}: a limited-time offer takes one URL button`);
}

/**
 * Media card carousel (marketing only): a body and 2–10 cards; no header, footer, buttons or offer
 * of its own. Each card: an image or video header with a sample handle, a body ≤ 160 characters,
 * 1–2 quick-reply, URL or phone buttons; every card the same header format and the same buttons in
 * the same order.
 */
function checkCarousel(carousel: Json, components: Json[], labels: FieldLabels, named: boolean, category: TemplateCategory): void {
	const field = labels.part('carousel');
	if (category !== 'MARKETING') fail(labels.part('category'), `${labels.part('category')}: carousels are only allowed in MARKETING templates`);
	for (const [type, part] of [['HEADER', 'header'], ['FOOTER', 'footer'], ['BUTTONS', 'buttons'], ['LIMITED_TIME_OFFER', 'offer']] as const) {
		if (componentOf(components, type)) fail(labels.part(part), `${labels.part(part)}: a carousel template has no ${type} of its own; it belongs in the cards`);
	}
	const cards = list(carousel.cards);
	if (cards.length < CREATE_LIMITS.cardsMin || cards.length > CREATE_LIMITS.cardsMax) {
		fail(field, `${field} has ${cards.length} cards; WhatsApp allows ${CREATE_LIMITS.cardsMin} to ${CREATE_LIMITS.cardsMax}`);
	}
	let first: { format: string; buttons: string[] } | undefined;
	cards.forEach((raw, card) => {
		const parts = isRecord(raw) && Array.isArray(raw.components) ? raw.components.filter(isRecord) : [];
		if (parts.length === 0) fail(labels.card(card), `${labels.card(card)} needs "components": a header, a body and buttons`);
		const unknown = parts.find((part) => !['HEADER', 'BODY', 'BUTTONS'].includes(String(part.type ?? '').toUpperCase()));
		if (unknown) fail(labels.card(card), `${labels.card(card)}: component type "${String(unknown.type ?? '')}" is not one of HEADER, BODY, BUTTONS`);
		const header = componentOf(parts, 'HEADER');
		const format = String(header?.format ?? '').toUpperCase();
		if (!header || !['IMAGE', 'VIDEO'].includes(format)) fail(labels.card(card, 'header'), `${labels.card(card, 'header')}: every card needs an IMAGE or VIDEO header`);
		const handles = list(isRecord(header.example) ? header.example.header_handle : undefined).filter((handle) => typeof handle === 'string' && handle.trim() !== '');
		if (handles.length !== 1) fail(labels.card(card, 'headerMedia'), `${labels.card(card, 'headerMedia')}: the card's ${format.toLowerCase()} needs one example media handle (resumable upload)`);
		checkBody(componentOf(parts, 'BODY'), labels.card(card, 'body'), labels.card(card, 'bodyExamples'), named, CREATE_LIMITS.cardBody);
		const buttons = list(componentOf(parts, 'BUTTONS')?.buttons);
		if (buttons.length === 0) fail(labels.card(card, 'buttons'), `${labels.card(card, 'buttons')}: every card needs 1 or 2 buttons`);
		checkButtons(
			buttons,
			{ field: labels.card(card, 'buttons'), button: (index, property) => labels.cardButton(card, index, property), allowed: CARD_BUTTONS, max: CREATE_LIMITS.cardButtons },
			category,
		);
		const kinds = buttons.map((button) => (isRecord(button) ? String(button.type ?? '').toUpperCase() : ''));
		if (!first) {
			first = { format, buttons: kinds };
			return;
		}
		if (format !== first.format) fail(labels.card(card, 'header'), `${labels.card(card, 'header')}: every card has the same header format as card 1 (${first.format}), got ${format}`);
		if (kinds.join() !== first.buttons.join()) {
			fail(labels.card(card, 'buttons'), `${labels.card(card, 'buttons')}: every card has the same buttons as card 1 (${first.buttons.join(', ')}), got ${kinds.join(', ')}`);
		}
	});
}

function checkAuthentication(components: Json[], labels: FieldLabels): void {
	if (componentOf(components, 'LIMITED_TIME_OFFER')) fail(labels.part('category'), `${labels.part('category')}: limited-time offers are only allowed in MARKETING templates`);
	if (componentOf(components, 'CAROUSEL')) fail(labels.part('category'), `${labels.part('category')}: carousels are only allowed in MARKETING templates`);
	if (componentOf(components, 'HEADER')) fail(labels.part('header'), `${labels.part('header')}: authentication templates have no header`);
	const body = componentOf(components, 'BODY');
	if (!body) fail(labels.part('body'), `${labels.part('body')} is required (an authentication body only sets add_security_recommendation)`);
	if (text(body.text) !== undefined) {
		fail(labels.part('body'), `${labels.part('body')}: authentication templates have a fixed text from WhatsApp; give no body text, only add_security_recommendation`);
	}
	if (body.add_security_recommendation !== undefined && typeof body.add_security_recommendation !== 'boolean') {
		fail(labels.part('body'), `${labels.part('body')}: add_security_recommendation must be true or false`);
	}
	const footer = componentOf(components, 'FOOTER');
	if (footer) {
		if (text(footer.text) !== undefined) fail(labels.part('footer'), `${labels.part('footer')}: authentication templates have a fixed footer; set only code_expiration_minutes`);
		const minutes = footer.code_expiration_minutes;
		if (minutes !== undefined && (!Number.isInteger(minutes) || (minutes as number) < 1 || (minutes as number) > CREATE_LIMITS.codeExpirationMinutes)) {
			fail(labels.part('codeExpiration'), `${labels.part('codeExpiration')} must be a whole number from 1 to ${CREATE_LIMITS.codeExpirationMinutes}, got ${String(minutes)}`);
		}
	}
	const buttons = list(componentOf(components, 'BUTTONS')?.buttons);
	if (buttons.length !== 1) fail(labels.part('buttons'), `${labels.part('buttons')}: an authentication template needs exactly one one-time-password button, got ${buttons.length}`);
	const button = isRecord(buttons[0]) ? buttons[0] : {};
	if (String(button.type ?? '').toUpperCase() !== 'OTP') fail(labels.button(0, 'type'), `${labels.button(0, 'type')} must be OTP in an authentication template, got "${String(button.type ?? '')}"`);
	const otpType = String(button.otp_type ?? '').toUpperCase();
	if (!['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'].includes(otpType)) fail(labels.button(0, 'otp_type'), `${labels.button(0, 'otp_type')} "${String(button.otp_type ?? '')}" must be COPY_CODE, ONE_TAP or ZERO_TAP`);
	const label = text(button.text);
	if (label !== undefined) checkLength(labels.button(0, 'text'), label, CREATE_LIMITS.buttonText);
	if (otpType !== 'COPY_CODE') {
		const apps = list(button.supported_apps).filter(isRecord);
		const app = apps[0] ?? button;
		for (const property of ['package_name', 'signature_hash'] as const) {
			const value = text(app[property]) ?? '';
			if (value.trim() === '') fail(labels.button(0, property), `${labels.button(0, property)} is required for a ${otpType === 'ONE_TAP' ? 'one-tap' : 'zero-tap'} button`);
		}
		const signature = text(app.signature_hash) ?? '';
		if (signature.length !== 11) fail(labels.button(0, 'signature_hash'), `${labels.button(0, 'signature_hash')} "${signature}" must be the 11-character Android app signature hash`);
		if (otpType === 'ZERO_TAP' && button.zero_tap_terms_accepted !== true) {
			fail(labels.button(0, 'otp_type'), `${labels.button(0, 'otp_type')}: a zero-tap button needs zero_tap_terms_accepted: true (Meta's zero-tap terms)`);
		}
	}
}
