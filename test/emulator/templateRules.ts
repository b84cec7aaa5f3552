/**
 * Checks a template send (`type: "template"`) against the template it names, the way the Cloud
 * API does (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates):
 * the name/language pair must exist and be approved (132001, 132015, 132016), each component
 * must carry exactly the parameters the template has variables for (132000), and
 * named/positional style and parameter kinds must match the template (132012).
 *
 * Details texts follow Meta's, e.g. "body: number of localizable_params (2) does not match the
 * expected number of params (3)". Pure; the shape and length/count limits are checked before
 * this runs.
 */
import { isRecord, type Json } from '../support/json';
import { SEND_LIMITS } from './sendRules';
import { findTemplate, type MessageTemplate, type TemplateButton, type TemplateComponentDefinition } from './templates';

export interface TemplateProblem {
	code: 131009 | 131062 | 132000 | 132001 | 132012 | 132015 | 132016;
	details: string;
}


const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : []);

/** Thrown inside the checker to stop at the first problem, as the API does. */
class Stop extends Error {
	constructor(readonly problem: TemplateProblem) {
		super(problem.details);
	}
}

function stop(code: TemplateProblem['code'], details: string): never {
	throw new Stop({ code, details });
}

/** `{{1}}`, `{{ first_name }}` → '1', 'first_name' (distinct, in order). */
export function templateVariables(text: string | undefined): string[] {
	const names = [...(text ?? '').matchAll(/\{\{\s*([a-z0-9_]+)\s*\}\}/gi)].map((match) => match[1]);
	return [...new Set(names)];
}

const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a');

export interface TemplateSendContext {
	/** The message went to a BSUID (`recipient`), not a phone number. */
	toBsuid: boolean;
}

export function checkTemplateMessage(sent: Json, store: readonly MessageTemplate[], context: TemplateSendContext): TemplateProblem | undefined {
	try {
		check(sent, store, context);
		return undefined;
	} catch (error) {
		if (error instanceof Stop) return error.problem;
		throw error;
	}
}

function check(sent: Json, store: readonly MessageTemplate[], context: TemplateSendContext): void {
	const name = String(sent.name);
	const language = isRecord(sent.language) ? String(sent.language.code) : '';
	const template = findTemplate(store, name, language);
	if (!template) {
		const other = store.filter((t) => t.name === name).map((t) => t.language);
		const hint = other.length > 0 ? ` (it exists in ${other.join(', ')})` : '';
		stop(132001, `template name (${name}) does not exist in ${language}${hint}`);
	}
	if (template.status === 'PAUSED') stop(132015, `template ${name} (${language}) is paused`);
	if (template.status === 'DISABLED') stop(132016, `template ${name} (${language}) is disabled`);
	if (template.status !== 'APPROVED') stop(132001, `template name (${name}) in ${language} is not approved (status ${template.status})`);
	if (template.category === 'AUTHENTICATION' && context.toBsuid) {
		stop(131062, 'authentication templates need a phone-number recipient ("to"), not a business-scoped user ID');
	}

	const components = list(sent.components);
	const seen = new Set<string>();
	for (const component of components) {
		const key = component.type === 'button' ? `button ${String(component.index)}` : String(component.type);
		if (seen.has(key)) stop(132000, `${key}: the component is given more than once`);
		seen.add(key);
	}
	const named = template.parameter_format === 'NAMED';
	checkComponents(template, template.components, components, named, '');
	if (template.category === 'AUTHENTICATION') checkOtpLength(components);
}

/** Checks one component list: the template's top level, or one carousel card (`label` = "card 1 "). */
function checkComponents(
	template: MessageTemplate,
	definitions: TemplateComponentDefinition[],
	sent: Json[],
	named: boolean,
	label: string,
): void {
	const definition = (type: TemplateComponentDefinition['type']) => definitions.find((d) => d.type === type);
	const sentOf = (type: string) => sent.find((c) => c.type === type);

	const header = definition('HEADER');
	checkHeader(template, header, sentOf('header'), named, label);
	const body = definition('BODY');
	checkTextParameters(`${label}body`, templateVariables(body?.text), list(sentOf('body')?.parameters), named, ['text', 'currency', 'date_time']);
	checkButtons(template, definition('BUTTONS')?.buttons ?? [], sent.filter((c) => c.type === 'button'), label);

	const offer = definition('LIMITED_TIME_OFFER');
	const sentOffer = sentOf('limited_time_offer');
	if (offer?.limited_time_offer?.has_expiration && !sentOffer) {
		stop(132000, `${label}limited_time_offer: the template's offer expires, so a limited_time_offer component with expiration_time_ms is required`);
	}
	if (sentOffer && !offer) stop(132000, `${label}limited_time_offer: template ${template.name} has no limited-time offer`);

	const carousel = definition('CAROUSEL');
	const sentCarousel = sentOf('carousel');
	if (carousel && !sentCarousel) stop(132000, `carousel: missing; template ${template.name} has ${carousel.cards?.length ?? 0} cards`);
	if (sentCarousel && !carousel) stop(132000, `carousel: template ${template.name} is not a carousel template`);
	if (carousel && sentCarousel) checkCarousel(template, carousel, sentCarousel, named);

	for (const component of sent) {
		if (!['header', 'body', 'button', 'limited_time_offer', 'carousel'].includes(String(component.type))) {
			stop(132000, `${label}${String(component.type)}: not a component that takes parameters`);
		}
	}
}

function checkHeader(template: MessageTemplate, header: TemplateComponentDefinition | undefined, sent: Json | undefined, named: boolean, label: string): void {
	const parameters = list(sent?.parameters);
	if (!header || header.format === undefined || header.format === 'TEXT') {
		checkTextParameters(`${label}header`, templateVariables(header?.text), parameters, named, ['text']);
		return;
	}
	const kind = header.format.toLowerCase();
	if (parameters.length !== 1) {
		stop(
			132000,
			`${label}header: number of localizable_params (${parameters.length}) does not match the expected number of params (1); ` +
				`template ${template.name} has ${article(kind)} ${kind} header`,
		);
	}
	if (parameters[0].type !== kind) {
		stop(132012, `${label}header: template ${template.name} expects ${article(kind)} ${kind} parameter, got ${JSON.stringify(parameters[0].type)}`);
	}
}

/**
 * Body/header text parameters: the count must match the variables; positional templates must
 * not name parameters, named templates must name every one, with the template's names.
 */
function checkTextParameters(label: string, variables: string[], parameters: Json[], named: boolean, allowedTypes: string[]): void {
	if (parameters.length !== variables.length) {
		stop(132000, `${label}: number of localizable_params (${parameters.length}) does not match the expected number of params (${variables.length})`);
	}
	parameters.forEach((parameter, i) => {
		if (!allowedTypes.includes(String(parameter.type))) {
			stop(132012, `${label}: parameter ${i + 1} has type ${JSON.stringify(parameter.type)}; expected ${allowedTypes.join(' or ')}`);
		}
		const name = parameter.parameter_name;
		if (named && name === undefined) {
			stop(132012, `${label}: parameter ${i + 1} has no parameter_name, but the template uses named parameters (${variables.map((v) => `{{${v}}}`).join(', ')})`);
		}
		if (!named && name !== undefined) {
			stop(132012, `${label}: parameter ${i + 1} has parameter_name ${JSON.stringify(name)}, but the template uses positional parameters ({{1}}, {{2}}, …)`);
		}
	});
	if (named) {
		const given = new Set(parameters.map((p) => String(p.parameter_name)));
		const missing = variables.filter((v) => !given.has(v));
		if (missing.length > 0 || given.size !== variables.length) {
			stop(132000, `${label}: parameter names (${[...given].join(', ')}) do not match the template's (${variables.join(', ')})`);
		}
	}
}

/** What a template button needs at send time: the sub_type, the parameter type, and whether it is required. */
function buttonNeeds(button: TemplateButton): { subType: string; parameter: string; required: boolean } | undefined {
	switch (button.type) {
		case 'URL':
			return templateVariables(button.url).length > 0 ? { subType: 'url', parameter: 'text', required: true } : undefined;
		case 'OTP':
			return { subType: 'url', parameter: 'text', required: true };
		case 'COPY_CODE':
			return { subType: 'copy_code', parameter: 'coupon_code', required: true };
		case 'QUICK_REPLY':
			return { subType: 'quick_reply', parameter: 'payload', required: false };
		case 'FLOW':
			return { subType: 'flow', parameter: 'action', required: false };
		case 'CATALOG':
			return { subType: 'catalog', parameter: 'action', required: false };
		case 'MPM':
			return { subType: 'mpm', parameter: 'action', required: true };
		default:
			return undefined; // PHONE_NUMBER, static URL: nothing to fill in
	}
}

function checkButtons(template: MessageTemplate, buttons: TemplateButton[], sent: Json[], label: string): void {
	const byIndex = new Map<number, Json>();
	for (const component of sent) {
		const index = Number(component.index);
		if (!Number.isInteger(index) || index < 0 || index >= buttons.length) {
			stop(132000, `${label}button at index ${String(component.index)}: template ${template.name} has ${buttons.length} buttons (index 0 to ${buttons.length - 1})`);
		}
		byIndex.set(index, component);
	}
	buttons.forEach((button, index) => {
		const needs = buttonNeeds(button);
		const component = byIndex.get(index);
		const at = `${label}button at index ${index} (${button.type})`;
		if (!needs) {
			if (component) {
				const given = list(component.parameters).length;
				stop(132000, `${at}: number of params (${given}) does not match the expected number of params (0); this button has no variable`);
			}
			return;
		}
		if (!component) {
			if (needs.required) stop(132000, `${at}: number of params (0) does not match the expected number of params (1)`);
			return;
		}
		if (String(component.sub_type).toLowerCase() !== needs.subType) {
			stop(132012, `${at}: sub_type must be "${needs.subType}", got ${JSON.stringify(component.sub_type)}`);
		}
		const parameters = list(component.parameters);
		if (parameters.length !== 1 && (needs.required || parameters.length > 1)) {
			stop(132000, `${at}: number of params (${parameters.length}) does not match the expected number of params (1)`);
		}
		if (parameters.length === 1 && parameters[0].type !== needs.parameter) {
			stop(132012, `${at}: expects ${article(needs.parameter)} ${needs.parameter} parameter, got ${JSON.stringify(parameters[0].type)}`);
		}
	});
}

function checkCarousel(template: MessageTemplate, carousel: TemplateComponentDefinition, sent: Json, named: boolean): void {
	const cards = carousel.cards ?? [];
	const sentCards = list(sent.cards);
	if (sentCards.length !== cards.length) {
		stop(132000, `carousel: number of cards (${sentCards.length}) does not match the expected number of cards (${cards.length})`);
	}
	const indexes = sentCards.map((card) => Number(card.card_index));
	sentCards.forEach((card, position) => {
		const index = indexes[position];
		if (!Number.isInteger(index) || index < 0 || index >= cards.length || indexes.indexOf(index) !== position) {
			stop(132000, `carousel: card_index ${JSON.stringify(card.card_index)} is invalid; use each of 0 to ${cards.length - 1} once`);
		}
		checkComponents(template, cards[index].components, list(card.components), named, `carousel card ${index} `);
	});
}

/** Authentication templates carry the one-time code in the body and the OTP button; both ≤15 chars. */
function checkOtpLength(components: Json[]): void {
	components.forEach((component, c) => {
		if (component.type !== 'body' && !(component.type === 'button' && component.sub_type === 'url')) return;
		list(component.parameters).forEach((parameter, p) => {
			const code = parameter.text;
			if (typeof code === 'string' && [...code].length > SEND_LIMITS.otpCode) {
				stop(
					131009,
					`template.components[${c}].parameters[${p}].text has ${[...code].length} characters; max ${SEND_LIMITS.otpCode} for an authentication code`,
				);
			}
		});
	});
}
