/**
 * Template Create: the form's values → Meta's create body (PURE), and the JSON body read from a field.
 * Both are checked by rules.ts before any request.
 * Body shape: https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components
 */
import { isRecord } from '../../common/json';
import { FieldError, jsonObject, textOf } from '../../common/validation';
import { variablesOf } from './rules';

export interface ButtonForm {
	type?: string;
	text?: string;
	url?: string;
	urlSuffixExample?: string;
	phoneNumber?: string;
	couponExample?: string;
	/** Flow: its ID (digits) or name, or its Flow JSON; the action and the first screen. */
	flow?: string;
	flowJson?: string;
	flowAction?: string;
	flowScreen?: string;
}

/** One card of a carousel made in the form; its handle is filled in once its file is uploaded. */
export interface CardForm {
	headerFormat?: string;
	headerHandle?: string;
	body?: string;
	bodyExamples?: Array<{ variable?: string; example?: string }>;
	buttons?: ButtonForm[];
}

export interface TemplateForm {
	name: string;
	language: string;
	category: string;
	allowCategoryChange?: boolean;
	/** `message_send_ttl_seconds`; 0 or absent leaves WhatsApp's default. */
	timeToLiveSeconds?: number;
	parameterFormat?: 'POSITIONAL' | 'NAMED';
	headerType?: 'none' | 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
	headerText?: string;
	headerExample?: string;
	headerHandle?: string;
	body?: string;
	/** Variable → example, as the form's "Body Variable Examples" list gives them. */
	bodyExamples?: Array<{ variable?: string; example?: string }>;
	footer?: string;
	buttons?: ButtonForm[];
	/** MARKETING: a limited-time offer (its text; empty for none) and whether it shows its expiry. */
	offerText?: string;
	offerHasExpiration?: boolean;
	/** MARKETING: `carousel` makes a media card carousel of `cards` (no header, footer, buttons or offer of its own). */
	templateType?: 'standard' | 'carousel';
	cards?: CardForm[];
	// AUTHENTICATION
	addSecurityRecommendation?: boolean;
	codeExpirationMinutes?: number;
	otpType?: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP';
	otpButtonText?: string;
	autofillText?: string;
	packageName?: string;
	signatureHash?: string;
	zeroTapTermsAccepted?: boolean;
}

type Json = Record<string, unknown>;

const clean = (value: unknown, field: string): string => textOf(field, value).trim();

/** `{{1}}` → "1", `{{ first_name }}` → "first_name"; what users type in the examples list. */
const variableKey = (value: string): string => value.replace(/^\{\{\s*|\s*\}\}$/g, '').trim();

/** The example of a body (the template's or a card's): `field` is the examples list as the form names it. */
function bodyExample(text: string | undefined, entries: CardForm['bodyExamples'], named: boolean, field: string): Json | undefined {
	const variables = [...new Set(variablesOf(text))];
	if (variables.length === 0) return undefined;
	const given = new Map<string, string>();
	(entries ?? []).forEach((entry, index) => {
		const key = variableKey(clean(entry.variable, `${field} ${index + 1} Variable`));
		if (key === '') throw new FieldError(field, `${field}: entry ${index + 1} names no variable`);
		if (given.has(key)) throw new FieldError(field, `${field}: {{${key}}} is given twice`);
		given.set(key, textOf(`${field} {{${key}}}`, entry.example));
	});
	// Unknown keys are passed on so the rules name them; missing ones become "" so the rules name those too.
	const keys = [...variables, ...[...given.keys()].filter((key) => !variables.includes(key))];
	if (named) return { body_text_named_params: keys.map((key) => ({ param_name: key, example: given.get(key) ?? '' })) };
	const positional = variables.slice().sort((a, b) => Number(a) - Number(b));
	const extra = [...given.keys()].filter((key) => !variables.includes(key));
	if (extra.length > 0) throw new FieldError(field, `${field}: example for {{${extra[0]}}}, which the body does not use`);
	return { body_text: [positional.map((key) => given.get(key) ?? '')] };
}

function header(form: TemplateForm, named: boolean): Json | undefined {
	const type = form.headerType ?? 'none';
	if (type === 'none') return undefined;
	if (type === 'TEXT') {
		const headerText = textOf('Header Text', form.headerText);
		const variables = [...new Set(variablesOf(headerText))];
		const example = textOf('Header Variable Example', form.headerExample);
		const component: Json = { type: 'HEADER', format: 'TEXT', text: headerText };
		if (variables.length > 0) {
			component.example = named
				? { header_text_named_params: variables.map((variable) => ({ param_name: variable, example })) }
				: { header_text: variables.map(() => example) };
		}
		return component;
	}
	if (type === 'LOCATION') return { type: 'HEADER', format: 'LOCATION' };
	const handle = clean(form.headerHandle, 'Header Media Handle');
	return { type: 'HEADER', format: type, example: { header_handle: handle === '' ? [] : [handle] } };
}

/** `scope` names the button in errors: "Button" on the template, "Carousel Card 2 Button" on a card. */
function button(entry: ButtonForm, index: number, scope = 'Button'): Json {
	const type = String(entry.type ?? 'QUICK_REPLY');
	const name = `${scope} ${index + 1}`;
	const label = textOf(`${name} Text`, entry.text);
	switch (type) {
		case 'URL': {
			const url = clean(entry.url, `${name} URL`);
			const suffix = clean(entry.urlSuffixExample, `${name} Example`);
			const dynamic = /\{\{[^{}]*\}\}\s*$/.test(url);
			return {
				type,
				text: label,
				url,
				...(dynamic || suffix !== '' ? { example: [url.replace(/\{\{[^{}]*\}\}\s*$/, '') + suffix] } : {}),
			};
		}
		case 'PHONE_NUMBER':
			return { type, text: label, phone_number: clean(entry.phoneNumber, `${name} Phone Number`) };
		case 'COPY_CODE':
			return { type, example: clean(entry.couponExample, `${name} Example`) };
		case 'FLOW': {
			const reference = clean(entry.flow, `${name} Flow ID or Name`);
			const flowJson = clean(entry.flowJson, `${name} Flow JSON`);
			const screen = clean(entry.flowScreen, `${name} Flow First Screen`);
			// Both or neither given: passed on so the rules name the problem.
			return {
				type,
				text: label,
				...(reference !== '' ? { [/^\d+$/.test(reference) ? 'flow_id' : 'flow_name']: reference } : {}),
				...(flowJson !== '' ? { flow_json: flowJson } : {}),
				flow_action: entry.flowAction || 'navigate',
				...(screen !== '' ? { navigate_screen: screen } : {}),
			};
		}
		default:
			return { type, text: label };
	}
}

/** The create body of the form. Not validated here: rules.ts does that with the form's labels. */
export function buildTemplateFromForm(form: TemplateForm): Json {
	const category = String(form.category ?? '').toUpperCase();
	const base: Json = {
		name: clean(form.name, 'Template Name'),
		language: clean(form.language, 'Language'),
		category,
		...(form.allowCategoryChange ? { allow_category_change: true } : {}),
		...(form.timeToLiveSeconds ? { message_send_ttl_seconds: form.timeToLiveSeconds } : {}),
	};
	if (category === 'AUTHENTICATION') {
		const otpType = form.otpType ?? 'COPY_CODE';
		const otp: Json = { type: 'OTP', otp_type: otpType };
		const otpText = clean(form.otpButtonText, 'Copy Code Button Text');
		if (otpText !== '') otp.text = otpText;
		if (otpType !== 'COPY_CODE') {
			const autofill = clean(form.autofillText, 'Autofill Text');
			otp.supported_apps = [{ package_name: clean(form.packageName, 'Package Name'), signature_hash: clean(form.signatureHash, 'Signature Hash') }];
			if (otpType === 'ONE_TAP' && autofill !== '') otp.autofill_text = autofill;
			if (otpType === 'ZERO_TAP') otp.zero_tap_terms_accepted = form.zeroTapTermsAccepted === true;
		}
		const minutes = Number(form.codeExpirationMinutes ?? 0);
		return {
			...base,
			components: [
				{ type: 'BODY', add_security_recommendation: form.addSecurityRecommendation !== false },
				...(minutes > 0 ? [{ type: 'FOOTER', code_expiration_minutes: minutes }] : []),
				{ type: 'BUTTONS', buttons: [otp] },
			],
		};
	}
	const named = form.parameterFormat === 'NAMED';
	if (category === 'MARKETING' && form.templateType === 'carousel') return { ...base, parameter_format: named ? 'NAMED' : 'POSITIONAL', components: carouselComponents(form, named) };
	const components: Json[] = [];
	const head = header(form, named);
	if (head) components.push(head);
	const offerText = textOf('Limited-Time Offer Text', form.offerText);
	if (category === 'MARKETING' && offerText.trim() !== '') {
		components.push({ type: 'LIMITED_TIME_OFFER', limited_time_offer: { text: offerText, ...(form.offerHasExpiration ? { has_expiration: true } : {}) } });
	}
	const bodyText = textOf('Body', form.body);
	const example = bodyExample(form.body, form.bodyExamples, named, 'Body Variable Examples');
	components.push({ type: 'BODY', text: bodyText, ...(example ? { example } : {}) });
	const footer = textOf('Footer', form.footer);
	if (footer.trim() !== '') components.push({ type: 'FOOTER', text: footer });
	const buttons = (form.buttons ?? []).map((entry, index) => button(entry, index));
	if (buttons.length > 0) components.push({ type: 'BUTTONS', buttons });
	return { ...base, parameter_format: named ? 'NAMED' : 'POSITIONAL', components };
}

/** A carousel's body and cards, each card named "Carousel Card N" like the rules name it. */
function carouselComponents(form: TemplateForm, named: boolean): Json[] {
	const bodyText = textOf('Body', form.body);
	const example = bodyExample(form.body, form.bodyExamples, named, 'Body Variable Examples');
	const cards = (form.cards ?? []).map((card, index) => {
		const scope = `Carousel Card ${index + 1}`;
		const cardText = textOf(`${scope} Body`, card.body);
		const cardExample = bodyExample(cardText, card.bodyExamples, named, `${scope} Body Variable Examples`);
		const handle = clean(card.headerHandle, `${scope} Header Binary Property`);
		const buttons = (card.buttons ?? []).map((entry, buttonIndex) => button(entry, buttonIndex, `${scope} Button`));
		return {
			components: [
				{ type: 'HEADER', format: String(card.headerFormat ?? 'IMAGE').toUpperCase(), example: { header_handle: handle === '' ? [] : [handle] } },
				{ type: 'BODY', text: cardText, ...(cardExample ? { example: cardExample } : {}) },
				...(buttons.length > 0 ? [{ type: 'BUTTONS', buttons }] : []),
			],
		};
	});
	return [{ type: 'BODY', text: bodyText, ...(example ? { example } : {}) }, { type: 'CAROUSEL', cards }];
}

/** A copy of a carousel body whose card `n` takes `handles[n]` as its header example (files uploaded when the item runs). */
export function withCardHandles(body: Json, handles: string[]): Json {
	const components = Array.isArray(body.components) ? (body.components as unknown[]) : [];
	return {
		...body,
		components: components.map((component) => {
			if (!isRecord(component) || String(component.type).toUpperCase() !== 'CAROUSEL' || !Array.isArray(component.cards)) return component;
			const cards = component.cards.map((card, index) => (isRecord(card) && handles[index] !== undefined ? withHeaderHandle(card, handles[index]) : card));
			return { ...component, cards };
		}),
	};
}

/** A copy of `body` whose media header takes `handle` as its example (the handle of a file uploaded when the item runs). */
export function withHeaderHandle(body: Json, handle: string): Json {
	const components = Array.isArray(body.components) ? (body.components as unknown[]) : [];
	return {
		...body,
		components: components.map((component) =>
			isRecord(component) && String(component.type).toUpperCase() === 'HEADER' ? { ...component, example: { header_handle: [handle] } } : component,
		),
	};
}

/** The create body given as JSON (text or an object from an expression). */
/**
 * Component, header format and button types in upper case, in cards too: Meta's examples write
 * them either way (`limited_time_offer`, `copy_code`), the rules and the API read upper case.
 */
function upperCaseTypes(components: unknown): unknown {
	if (!Array.isArray(components)) return components;
	const upper = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : value);
	return components.map((component) => {
		if (!isRecord(component)) return component;
		const result: Json = { ...component, type: upper(component.type) };
		if (component.format !== undefined) result.format = upper(component.format);
		if (Array.isArray(component.buttons)) result.buttons = component.buttons.map((button) => (isRecord(button) ? { ...button, type: upper(button.type) } : button));
		if (Array.isArray(component.cards)) {
			result.cards = component.cards.map((card) => (isRecord(card) ? { ...card, components: upperCaseTypes(card.components) } : card));
		}
		return result;
	});
}

export function templateFromJson(field: string, value: unknown): Json {
	const body = jsonObject(field, value);
	if (!body) throw new FieldError(field, `${field} is required`);
	const result: Json = { ...body, components: upperCaseTypes(body.components) };
	if (body.components === undefined) delete result.components;
	// Meta's body takes the language as a code; accept `{code}` as the send body writes it.
	if (isRecord(result.language) && typeof result.language.code === 'string') result.language = result.language.code;
	if (typeof result.category === 'string') result.category = result.category.toUpperCase();
	return result;
}
