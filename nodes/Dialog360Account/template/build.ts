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

function bodyExample(form: TemplateForm, named: boolean): Json | undefined {
	const variables = [...new Set(variablesOf(form.body))];
	if (variables.length === 0) return undefined;
	const given = new Map<string, string>();
	(form.bodyExamples ?? []).forEach((entry, index) => {
		const key = variableKey(clean(entry.variable, `Body Variable Example ${index + 1} Variable`));
		if (key === '') throw new FieldError('Body Variable Examples', `Body Variable Examples: entry ${index + 1} names no variable`);
		if (given.has(key)) throw new FieldError('Body Variable Examples', `Body Variable Examples: {{${key}}} is given twice`);
		given.set(key, textOf(`Body Variable Example {{${key}}}`, entry.example));
	});
	// Unknown keys are passed on so the rules name them; missing ones become "" so the rules name those too.
	const keys = [...variables, ...[...given.keys()].filter((key) => !variables.includes(key))];
	if (named) return { body_text_named_params: keys.map((key) => ({ param_name: key, example: given.get(key) ?? '' })) };
	const positional = variables.slice().sort((a, b) => Number(a) - Number(b));
	const extra = [...given.keys()].filter((key) => !variables.includes(key));
	if (extra.length > 0) throw new FieldError('Body Variable Examples', `Body Variable Examples: example for {{${extra[0]}}}, which the body does not use`);
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

function button(entry: ButtonForm, index: number): Json {
	const type = String(entry.type ?? 'QUICK_REPLY');
	const label = textOf(`Button ${index + 1} Text`, entry.text);
	switch (type) {
		case 'URL': {
			const url = clean(entry.url, `Button ${index + 1} URL`);
			const suffix = clean(entry.urlSuffixExample, `Button ${index + 1} Example`);
			const dynamic = /\{\{[^{}]*\}\}\s*$/.test(url);
			return {
				type,
				text: label,
				url,
				...(dynamic || suffix !== '' ? { example: [url.replace(/\{\{[^{}]*\}\}\s*$/, '') + suffix] } : {}),
			};
		}
		case 'PHONE_NUMBER':
			return { type, text: label, phone_number: clean(entry.phoneNumber, `Button ${index + 1} Phone Number`) };
		case 'COPY_CODE':
			return { type, example: clean(entry.couponExample, `Button ${index + 1} Example`) };
		case 'FLOW': {
			const reference = clean(entry.flow, `Button ${index + 1} Flow ID or Name`);
			const flowJson = clean(entry.flowJson, `Button ${index + 1} Flow JSON`);
			const screen = clean(entry.flowScreen, `Button ${index + 1} Flow First Screen`);
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
	const components: Json[] = [];
	const head = header(form, named);
	if (head) components.push(head);
	const offerText = textOf('Limited-Time Offer Text', form.offerText);
	if (category === 'MARKETING' && offerText.trim() !== '') {
		components.push({ type: 'LIMITED_TIME_OFFER', limited_time_offer: { text: offerText, ...(form.offerHasExpiration ? { has_expiration: true } : {}) } });
	}
	const bodyText = textOf('Body', form.body);
	const example = bodyExample(form, named);
	components.push({ type: 'BODY', text: bodyText, ...(example ? { example } : {}) });
	const footer = textOf('Footer', form.footer);
	if (footer.trim() !== '') components.push({ type: 'FOOTER', text: footer });
	const buttons = (form.buttons ?? []).map(button);
	if (buttons.length > 0) components.push({ type: 'BUTTONS', buttons });
	return { ...base, parameter_format: named ? 'NAMED' : 'POSITIONAL', components };
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
