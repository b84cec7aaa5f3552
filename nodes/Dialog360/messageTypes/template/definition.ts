/**
 * Template definitions as the account lists them: `GET /v1/configs/templates` (360dialog) and
 * `GET /message_templates` (Meta) share this shape, and component, format and button types may
 * come upper- or lower-case. See https://docs.360dialog.com/docs/messaging-api/api-reference/templates
 * and https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
 */
import type { IDataObject } from 'n8n-workflow';

import { isRecord } from '../../../common/json';

export type HeaderMediaKind = 'image' | 'video' | 'document';

export interface TemplateVariable {
	/** `1` or `first_name`. */
	key: string;
	example?: string;
}

export interface TemplateText {
	text: string;
	variables: TemplateVariable[];
}

export type TemplateHeader =
	| ({ format: 'text' } & TemplateText)
	| { format: HeaderMediaKind }
	| { format: 'location' }
	| { format: 'unsupported'; raw: string };

export interface TemplateButtonDefinition {
	/** 0-based position in the template (the `index` of a button component). */
	index: number;
	/** Upper-case: URL, QUICK_REPLY, COPY_CODE, OTP, FLOW, CATALOG, MPM, PHONE_NUMBER, … */
	type: string;
	text?: string;
	url?: string;
	/** URL buttons: the variable of the URL, when there is one. */
	urlVariable?: string;
	example?: string;
	otpType?: string;
}

/** Header, body and buttons: of the template itself or of one carousel card. */
export interface TemplateParts {
	header?: TemplateHeader;
	body?: TemplateText;
	buttons: TemplateButtonDefinition[];
}

export interface TemplateCard extends TemplateParts {
	index: number;
}

export interface TemplateDefinition extends TemplateParts {
	name: string;
	language: string;
	status: string;
	category: string;
	/** Named variables (`{{first_name}}`) are sent with `parameter_name`. */
	named: boolean;
	cards?: TemplateCard[];
	/** Limited-time offer; `hasExpiration` makes `lto.expiration` required. */
	offer?: { hasExpiration: boolean };
	/** Authentication template: the code goes into the body and into this OTP button. */
	otpButtonIndex?: number;
}

type Json = Record<string, unknown>;

const records = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const upper = (value: unknown): string => (typeof value === 'string' ? value.trim().toUpperCase() : '');
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** `{{1}}`, `{{ first_name }}` → `1`, `first_name`: distinct, positional ones in numeric order. */
export function templateVariables(text: string | undefined): string[] {
	const keys = [...new Set([...(text ?? '').matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((match) => match[1]))];
	if (keys.every((key) => /^\d+$/.test(key))) keys.sort((a, b) => Number(a) - Number(b));
	return keys;
}

function firstString(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return firstString(value[0]);
	return undefined;
}

function firstArray(value: unknown): unknown {
	return Array.isArray(value) && Array.isArray(value[0]) ? value[0] : value;
}

function parseText(component: Json, kind: 'header' | 'body'): TemplateText {
	const text = str(component.text) ?? '';
	const example = isRecord(component.example) ? component.example : {};
	const named = records(example[`${kind}_text_named_params`]);
	const positional: unknown = kind === 'header' ? example.header_text : firstArray(example.body_text);
	const variables = templateVariables(text).map((key, i): TemplateVariable => {
		const namedExample = named.find((entry) => entry.param_name === key)?.example;
		const exampleValue =
			typeof namedExample === 'string' ? namedExample : Array.isArray(positional) ? firstString(positional[i]) : undefined;
		return exampleValue !== undefined ? { key, example: exampleValue } : { key };
	});
	return { text, variables };
}

function parseHeader(component: Json): TemplateHeader {
	const format = upper(component.format) || 'TEXT';
	switch (format) {
		case 'TEXT':
			return { format: 'text', ...parseText(component, 'header') };
		case 'IMAGE':
		case 'VIDEO':
		case 'DOCUMENT':
			return { format: format.toLowerCase() as HeaderMediaKind };
		case 'LOCATION':
			return { format: 'location' };
		default:
			return { format: 'unsupported', raw: format };
	}
}

function parseButtons(component: Json | undefined): TemplateButtonDefinition[] {
	return records(component?.buttons).map((button, index): TemplateButtonDefinition => {
		const type = upper(button.type);
		const definition: TemplateButtonDefinition = { index, type };
		const text = str(button.text);
		if (text !== undefined) definition.text = text;
		const url = str(button.url);
		if (url !== undefined) {
			definition.url = url;
			const variable = templateVariables(url)[0];
			if (variable !== undefined) {
				definition.urlVariable = variable;
				// The example is a whole URL; the part after the fixed prefix is the suffix.
				const prefix = url.slice(0, url.indexOf('{{'));
				const example = firstString(button.example);
				if (example !== undefined) definition.example = example.startsWith(prefix) ? example.slice(prefix.length) : example;
			}
		} else {
			const example = firstString(button.example);
			if (example !== undefined) definition.example = example;
		}
		const otpType = upper(button.otp_type);
		if (otpType) definition.otpType = otpType;
		return definition;
	});
}

function componentOf(components: Json[], type: string): Json | undefined {
	return components.find((component) => upper(component.type) === type);
}

/** Header, body and buttons of a component list (the template's or a card's). */
function parseParts(components: Json[]): TemplateParts {
	const parts: TemplateParts = { buttons: parseButtons(componentOf(components, 'BUTTONS')) };
	const header = componentOf(components, 'HEADER');
	if (header) parts.header = parseHeader(header);
	const body = componentOf(components, 'BODY');
	if (body) parts.body = parseText(body, 'body');
	return parts;
}

/** Reads a template as `GET /v1/configs/templates` or `GET /message_templates` returns it. */
export function parseTemplateDefinition(raw: IDataObject): TemplateDefinition {
	const components = records(raw.components);
	const { header, body, buttons } = parseParts(components);
	const definition: TemplateDefinition = {
		name: String(raw.name ?? ''),
		language: String(raw.language ?? ''),
		status: upper(raw.status) || 'UNKNOWN',
		category: upper(raw.category),
		named: false,
		buttons,
	};
	if (header) definition.header = header;
	if (body) definition.body = body;

	const carousel = componentOf(components, 'CAROUSEL');
	if (carousel) {
		definition.cards = records(carousel.cards).map((card, index): TemplateCard => {
			const parts = parseParts(records(card.components));
			return { index, buttons: parts.buttons, ...(parts.header ? { header: parts.header } : {}), ...(parts.body ? { body: parts.body } : {}) };
		});
	}
	const offer = componentOf(components, 'LIMITED_TIME_OFFER');
	if (offer) {
		const details = isRecord(offer.limited_time_offer) ? offer.limited_time_offer : {};
		definition.offer = { hasExpiration: details.has_expiration === true };
	}
	const otpButton = definition.buttons.find((button) => button.type === 'OTP');
	if (otpButton) definition.otpButtonIndex = otpButton.index;

	const texts = [definition.header, definition.body, ...(definition.cards ?? []).flatMap((card) => [card.header, card.body])];
	const variableKeys = texts.flatMap((text) => (text && 'variables' in text ? text.variables.map((v) => v.key) : []));
	definition.named = upper(raw.parameter_format) === 'NAMED' || variableKeys.some((key) => !/^\d+$/.test(key));
	return definition;
}

/** `order_update (de)`: how messages name a template. */
export function templateLabel(definition: { name: string; language: string }): string {
	return `${definition.name} (${definition.language})`;
}
