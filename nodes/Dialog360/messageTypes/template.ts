/**
 * Template messages (API digest §2.10): the form, the model of a template definition as the
 * account lists it, the fields generated from a definition, and the body builder.
 *
 * One grammar names every value a template can take (`TEMPLATE_FIELD_IDS`): the generator turns a
 * definition into fields with these ids (the resourceMapper of the form, `templates.ts`), and the
 * builder reads values by the same ids, whether they come from those fields or from the plain JSON
 * "Parameters" (AI agents, expressions). Everything is checked against the definition before
 * anything is sent: a missing variable, an unknown field or a broken limit is a FieldError.
 *
 * Field ids (0-based indexes, as the API counts; labels count from 1, as users do):
 *   body.1, body.first_name                   body variable {{1}} / {{first_name}}
 *   body.1.currency, body.1.date_time         optional: send that variable as currency / date_time
 *   header.text.1, header.text.clinic_name    header text variable
 *   header.image | header.video | header.document   header media: link, media ID or binary field
 *   header.document.filename                  optional file name of a document header
 *   header.location.latitude|longitude|name|address
 *   button.1.url                              dynamic URL suffix of the button at index 1
 *   button.0.payload                          quick-reply payload (optional)
 *   button.0.coupon                           copy-code coupon
 *   button.0.flow_token, button.0.flow_action_data   flow button (optional)
 *   button.0.thumbnail, button.0.products     catalog / multi-product button
 *   otp.code                                  authentication code (body and OTP button)
 *   lto.expiration                            limited-time offer expiry (ms timestamp or ISO date)
 *   card.0.header.image, card.0.body.1, card.0.button.1.url, …   carousel card 0
 */
import type { IDataObject, INodeProperties, ResourceMapperField } from 'n8n-workflow';

import { assertMediaAllowed, type MediaKind } from '../../shared/mediaLimits';
import { FieldError, httpsUrl, jsonObject, maxLength, numberInRange } from '../../shared/validation';
import type { BuildContext, BuiltMessage, MessageTypeModule, PendingUpload, TemplateLookup } from './types';

// ---------------------------------------------------------------------------------------------
// Limits (digest §2.11)
// ---------------------------------------------------------------------------------------------

export const TEMPLATE_LIMITS = {
	headerText: 60,
	bodyParameter: 1024,
	couponCode: 15,
	otpCode: 15,
	carouselCards: 10,
	mpmSections: 10,
	mpmProducts: 30,
	sectionTitle: 24,
} as const;

// ---------------------------------------------------------------------------------------------
// Parameter names of the form (one namespace with the other message types)
// ---------------------------------------------------------------------------------------------

export const TEMPLATE_PARAMS = {
	template: 'template',
	inputMode: 'templateParameterMode',
	fields: 'templateFields',
	json: 'templateParametersJson',
} as const;

/** Names of the node methods the form uses; `templates.ts` registers them. */
export const TEMPLATE_METHODS = {
	search: 'searchTemplates',
	fields: 'getTemplateFields',
} as const;

const FORM = {
	template: 'Template',
	fields: 'Template Variables',
	json: 'Parameters (JSON)',
} as const;

// ---------------------------------------------------------------------------------------------
// The field-id grammar (shared by the generator and the builder)
// ---------------------------------------------------------------------------------------------

export type HeaderMediaKind = 'image' | 'video' | 'document';

export const TEMPLATE_FIELD_IDS = {
	body: (scope: string, variable: string) => `${scope}body.${variable}`,
	bodyCurrency: (scope: string, variable: string) => `${scope}body.${variable}.currency`,
	bodyDateTime: (scope: string, variable: string) => `${scope}body.${variable}.date_time`,
	headerText: (scope: string, variable: string) => `${scope}header.text.${variable}`,
	headerMedia: (scope: string, kind: HeaderMediaKind) => `${scope}header.${kind}`,
	headerFilename: (scope: string) => `${scope}header.document.filename`,
	headerLocation: (scope: string, part: 'latitude' | 'longitude' | 'name' | 'address') => `${scope}header.location.${part}`,
	buttonUrl: (scope: string, index: number) => `${scope}button.${index}.url`,
	buttonPayload: (scope: string, index: number) => `${scope}button.${index}.payload`,
	buttonCoupon: (scope: string, index: number) => `${scope}button.${index}.coupon`,
	buttonFlowToken: (scope: string, index: number) => `${scope}button.${index}.flow_token`,
	buttonFlowData: (scope: string, index: number) => `${scope}button.${index}.flow_action_data`,
	buttonThumbnail: (scope: string, index: number) => `${scope}button.${index}.thumbnail`,
	buttonProducts: (scope: string, index: number) => `${scope}button.${index}.products`,
	otpCode: 'otp.code',
	ltoExpiration: 'lto.expiration',
	/** Prefix of everything inside carousel card `index` (0-based). */
	cardScope: (index: number) => `card.${index}.`,
} as const;

// ---------------------------------------------------------------------------------------------
// Template definitions as the account lists them (360dialog /v1/configs/templates and Meta's
// /message_templates share this shape; types may come upper- or lower-case)
// ---------------------------------------------------------------------------------------------

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

export interface TemplateCard {
	index: number;
	header?: TemplateHeader;
	body?: TemplateText;
	buttons: TemplateButtonDefinition[];
}

export interface TemplateDefinition {
	name: string;
	language: string;
	status: string;
	category: string;
	/** Named variables (`{{first_name}}`) are sent with `parameter_name`. */
	named: boolean;
	header?: TemplateHeader;
	body?: TemplateText;
	buttons: TemplateButtonDefinition[];
	cards?: TemplateCard[];
	/** Limited-time offer; `hasExpiration` makes `lto.expiration` required. */
	offer?: { hasExpiration: boolean };
	/** Authentication template: the code goes into the body and into this OTP button. */
	otpButtonIndex?: number;
}

const isRecord = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const records = (value: unknown): IDataObject[] => (Array.isArray(value) ? value.filter(isRecord) : []);
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

function parseText(component: IDataObject, kind: 'header' | 'body'): TemplateText {
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

function firstArray(value: unknown): unknown {
	return Array.isArray(value) && Array.isArray(value[0]) ? value[0] : value;
}

function parseHeader(component: IDataObject): TemplateHeader {
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

function parseButtons(component: IDataObject | undefined): TemplateButtonDefinition[] {
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

function componentOf(components: IDataObject[], type: string): IDataObject | undefined {
	return components.find((component) => upper(component.type) === type);
}

/** Reads a template as `GET /v1/configs/templates` or `GET /message_templates` returns it. */
export function parseTemplateDefinition(raw: IDataObject): TemplateDefinition {
	const components = records(raw.components);
	const definition: TemplateDefinition = {
		name: String(raw.name ?? ''),
		language: String(raw.language ?? ''),
		status: upper(raw.status) || 'UNKNOWN',
		category: upper(raw.category),
		named: false,
		buttons: parseButtons(componentOf(components, 'BUTTONS')),
	};
	const header = componentOf(components, 'HEADER');
	if (header) definition.header = parseHeader(header);
	const body = componentOf(components, 'BODY');
	if (body) definition.body = parseText(body, 'body');

	const carousel = componentOf(components, 'CAROUSEL');
	if (carousel) {
		definition.cards = records(carousel.cards).map((card, index): TemplateCard => {
			const cardComponents = records(card.components);
			const result: TemplateCard = { index, buttons: parseButtons(componentOf(cardComponents, 'BUTTONS')) };
			const cardHeader = componentOf(cardComponents, 'HEADER');
			if (cardHeader) result.header = parseHeader(cardHeader);
			const cardBody = componentOf(cardComponents, 'BODY');
			if (cardBody) result.body = parseText(cardBody, 'body');
			return result;
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

// ---------------------------------------------------------------------------------------------
// The generator: definition → slots (one per value the template takes)
// ---------------------------------------------------------------------------------------------

export type SlotKind =
	| 'bodyText'
	| 'headerText'
	| 'currency'
	| 'dateTime'
	| 'media'
	| 'filename'
	| 'latitude'
	| 'longitude'
	| 'locationText'
	| 'urlSuffix'
	| 'payload'
	| 'coupon'
	| 'flowToken'
	| 'flowData'
	| 'thumbnail'
	| 'products'
	| 'otp'
	| 'expiration';

export interface TemplateSlot {
	id: string;
	/** How errors name the field, e.g. `Body {{1}}`, `Card 2 Button 1 URL Suffix`. */
	label: string;
	/** Extra words for the form label: where it goes and an example. */
	hint?: string;
	kind: SlotKind;
	required: boolean;
	/** Offered under "Add variable" only (typed-parameter options, rarely needed extras). */
	optionalExtra?: boolean;
	type: 'string' | 'boolean';
}

const variableLabel = (key: string): string => `{{${key}}}`;
const exampleHint = (example: string | undefined): string | undefined =>
	example !== undefined && example !== '' ? `e.g. ${example}` : undefined;

function cardPrefix(card: TemplateCard | undefined): string {
	return card ? `Card ${card.index + 1} ` : '';
}

function headerSlots(header: TemplateHeader | undefined, scope: string, labelPrefix: string): TemplateSlot[] {
	if (!header) return [];
	const ids = TEMPLATE_FIELD_IDS;
	switch (header.format) {
		case 'text':
			return header.variables.map((variable) => ({
				id: ids.headerText(scope, variable.key),
				label: `${labelPrefix}Header ${variableLabel(variable.key)}`,
				hint: [exampleHint(variable.example), `max ${TEMPLATE_LIMITS.headerText} characters`].filter(Boolean).join(', '),
				kind: 'headerText',
				required: true,
				type: 'string',
			}));
		case 'image':
		case 'video':
		case 'document': {
			const name = header.format === 'image' ? 'Image' : header.format === 'video' ? 'Video' : 'Document';
			const slots: TemplateSlot[] = [
				{
					id: ids.headerMedia(scope, header.format),
					label: `${labelPrefix}Header ${name}`,
					hint: 'https:// link, media ID, or name of a binary field such as data',
					kind: 'media',
					required: true,
					type: 'string',
				},
			];
			if (header.format === 'document') {
				slots.push({
					id: ids.headerFilename(scope),
					label: `${labelPrefix}Header Document File Name`,
					hint: 'e.g. invoice.pdf',
					kind: 'filename',
					required: false,
					optionalExtra: true,
					type: 'string',
				});
			}
			return slots;
		}
		case 'location':
			return [
				{ id: ids.headerLocation(scope, 'latitude'), label: `${labelPrefix}Header Location Latitude`, hint: '-90 to 90, e.g. 52.5219', kind: 'latitude', required: true, type: 'string' },
				{ id: ids.headerLocation(scope, 'longitude'), label: `${labelPrefix}Header Location Longitude`, hint: '-180 to 180, e.g. 13.4132', kind: 'longitude', required: true, type: 'string' },
				{ id: ids.headerLocation(scope, 'name'), label: `${labelPrefix}Header Location Name`, hint: 'optional', kind: 'locationText', required: false, type: 'string' },
				{ id: ids.headerLocation(scope, 'address'), label: `${labelPrefix}Header Location Address`, hint: 'optional', kind: 'locationText', required: false, type: 'string' },
			];
		default:
			return [];
	}
}

function bodySlots(body: TemplateText | undefined, scope: string, labelPrefix: string): TemplateSlot[] {
	const ids = TEMPLATE_FIELD_IDS;
	return (body?.variables ?? []).flatMap((variable): TemplateSlot[] => {
		const label = `${labelPrefix}Body ${variableLabel(variable.key)}`;
		return [
			{ id: ids.body(scope, variable.key), label, hint: exampleHint(variable.example), kind: 'bodyText', required: true, type: 'string' },
			{
				id: ids.bodyCurrency(scope, variable.key),
				label: `${label} as Currency`,
				hint: `code and amount, e.g. EUR 19.90; ${label} stays the text shown`,
				kind: 'currency',
				required: false,
				optionalExtra: true,
				type: 'string',
			},
			{
				id: ids.bodyDateTime(scope, variable.key),
				label: `${label} as Date`,
				hint: 'true sends it as a date_time parameter',
				kind: 'dateTime',
				required: false,
				optionalExtra: true,
				type: 'boolean',
			},
		];
	});
}

/** `"Track order": ` — the button's caption, to start a hint with. */
function buttonCaption(button: TemplateButtonDefinition): string {
	return button.text ? `"${button.text}": ` : '';
}

function buttonSlots(buttons: TemplateButtonDefinition[], scope: string, labelPrefix: string): TemplateSlot[] {
	const ids = TEMPLATE_FIELD_IDS;
	return buttons.flatMap((button): TemplateSlot[] => {
		const caption = buttonCaption(button);
		const position = `${labelPrefix}Button ${button.index + 1}`;
		switch (button.type) {
			case 'URL':
				if (button.urlVariable === undefined) return [];
				return [
					{
						id: ids.buttonUrl(scope, button.index),
						label: `${position} URL Suffix`,
						hint: [`${caption}replaces {{${button.urlVariable}}} in ${button.url}`, exampleHint(button.example)].filter(Boolean).join(', '),
						kind: 'urlSuffix',
						required: true,
						type: 'string',
					},
				];
			case 'QUICK_REPLY':
				return [
					{
						id: ids.buttonPayload(scope, button.index),
						label: `${position} Payload`,
						hint: `${caption}optional, comes back in the reply webhook`,
						kind: 'payload',
						required: false,
						type: 'string',
					},
				];
			case 'COPY_CODE':
				return [
					{
						id: ids.buttonCoupon(scope, button.index),
						label: `${position} Coupon Code`,
						hint: [exampleHint(button.example), `max ${TEMPLATE_LIMITS.couponCode} characters`].filter(Boolean).join(', '),
						kind: 'coupon',
						required: true,
						type: 'string',
					},
				];
			case 'FLOW':
				return [
					{
						id: ids.buttonFlowToken(scope, button.index),
						label: `${position} Flow Token`,
						hint: `${caption}optional, identifies this flow session`,
						kind: 'flowToken',
						required: false,
						type: 'string',
					},
					{
						id: ids.buttonFlowData(scope, button.index),
						label: `${position} Flow Data`,
						hint: 'optional JSON object for the first screen',
						kind: 'flowData',
						required: false,
						optionalExtra: true,
						type: 'string',
					},
				];
			case 'CATALOG':
				return [
					{
						id: ids.buttonThumbnail(scope, button.index),
						label: `${position} Thumbnail Product`,
						hint: `${caption}optional product retailer ID (SKU) for the thumbnail`,
						kind: 'thumbnail',
						required: false,
						type: 'string',
					},
				];
			case 'MPM':
				return [
					{
						id: ids.buttonThumbnail(scope, button.index),
						label: `${position} Thumbnail Product`,
						hint: `${caption}product retailer ID (SKU) for the thumbnail`,
						kind: 'thumbnail',
						required: true,
						type: 'string',
					},
					{
						id: ids.buttonProducts(scope, button.index),
						label: `${position} Products`,
						hint: `retailer IDs separated by commas, or JSON sections; max ${TEMPLATE_LIMITS.mpmProducts}`,
						kind: 'products',
						required: true,
						type: 'string',
					},
				];
			default:
				return []; // OTP (filled from otp.code), phone number, static URL, voice call
		}
	});
}

/** Every value the template takes, in form order. */
export function templateSlots(definition: TemplateDefinition): TemplateSlot[] {
	const ids = TEMPLATE_FIELD_IDS;
	if (definition.otpButtonIndex !== undefined) {
		const example = definition.body?.variables[0]?.example;
		return [
			{
				id: ids.otpCode,
				label: 'Verification Code',
				hint: [exampleHint(example), `max ${TEMPLATE_LIMITS.otpCode} characters; sent in the text and the copy button`].filter(Boolean).join(', '),
				kind: 'otp',
				required: true,
				type: 'string',
			},
		];
	}
	const slots: TemplateSlot[] = [...headerSlots(definition.header, '', ''), ...bodySlots(definition.body, '', '')];
	if (definition.offer?.hasExpiration) {
		slots.push({
			id: ids.ltoExpiration,
			label: 'Offer Expiration',
			hint: 'ms timestamp or ISO date, e.g. 2026-12-31T23:59:00Z',
			kind: 'expiration',
			required: true,
			type: 'string',
		});
	}
	for (const card of definition.cards ?? []) {
		const scope = ids.cardScope(card.index);
		const prefix = cardPrefix(card);
		slots.push(...headerSlots(card.header, scope, prefix), ...bodySlots(card.body, scope, prefix), ...buttonSlots(card.buttons, scope, prefix));
	}
	slots.push(...buttonSlots(definition.buttons, '', ''));
	return slots;
}

/** The resourceMapper fields of a template: required variables first in form order, extras addable. */
export function templateFields(definition: TemplateDefinition): ResourceMapperField[] {
	return templateSlots(definition).map((slot) => ({
		id: slot.id,
		displayName: slot.hint ? `${slot.label} (${slot.hint})` : slot.label,
		required: slot.required,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: slot.type,
		...(slot.optionalExtra ? { removed: true } : {}),
	}));
}

// ---------------------------------------------------------------------------------------------
// Reading the chosen template and the values
// ---------------------------------------------------------------------------------------------

export interface TemplateChoice {
	name: string;
	/** Empty when the user gave only a name. */
	language: string;
}

/**
 * The Template field: `name|language` (list value and By Name), also `name (language)` as the
 * list shows it, or just `name`. A resource-locator object is unwrapped.
 */
export function parseTemplateChoice(value: unknown): TemplateChoice {
	const raw = isRecord(value) && '__rl' in value ? value.value : value;
	const text = raw === undefined || raw === null ? '' : String(raw).trim();
	// Every item of a send usually names the same template: reuse the last successful reading.
	if (lastChoice && text === lastChoice.text) return { name: lastChoice.name, language: lastChoice.language };
	if (text === '') {
		throw new FieldError(FORM.template, 'Template is required: pick one From List, or enter name|language By Name (e.g. order_update|en_US)');
	}
	const match = /^([^|]+)\|([^|]*)$/.exec(text) ?? /^(\S+)\s*\(\s*([A-Za-z]{2,3}(?:_[A-Za-z0-9]+)?)\s*\)/.exec(text);
	const name = (match ? match[1] : text).trim();
	const language = (match ? match[2] : '').trim();
	if (!/^[A-Za-z0-9_]+$/.test(name)) {
		throw new FieldError(
			FORM.template,
			`Template "${text}" is not a template name: names use letters, digits and _ only. Enter name|language, e.g. order_update|en_US`,
		);
	}
	if (language !== '' && !/^[A-Za-z]{2,3}(_[A-Za-z0-9]+)?$/.test(language)) {
		throw new FieldError(FORM.template, `Template language "${language}" is not a language code like en, en_US or pt_BR`);
	}
	lastChoice = { text, name, language };
	return { name, language };
}

/** The last text `parseTemplateChoice` accepted and what it read (never a rejected one). */
let lastChoice: { text: string; name: string; language: string } | undefined;

/** The lookup with the optional extra `templates.ts` provides: the languages a name exists in. */
export interface TemplateCatalog extends TemplateLookup {
	languages?(name: string): Promise<string[]>;
}

/**
 * The lookup hands out the same objects for every item of an execution: parse and check each
 * once. `problem` is why the definition cannot be sent (the FieldError message), if it cannot.
 */
const parsedDefinitions = new WeakMap<IDataObject, { definition: TemplateDefinition; problem?: string }>();

function parsedDefinition(raw: IDataObject): { definition: TemplateDefinition; problem?: string } {
	let parsed = parsedDefinitions.get(raw);
	if (!parsed) {
		const definition = parseTemplateDefinition(raw);
		const problem = definitionProblem(definition);
		parsed = problem === undefined ? { definition } : { definition, problem };
		parsedDefinitions.set(raw, parsed);
	}
	return parsed;
}

function definitionProblem(definition: TemplateDefinition): string | undefined {
	if (definition.status !== 'APPROVED') {
		return `Template ${templateLabel(definition)} is ${definition.status.toLowerCase()}; only approved templates can be sent`;
	}
	const unsupported = [definition.header, ...(definition.cards ?? []).map((card) => card.header)].find(
		(header): header is { format: 'unsupported'; raw: string } => header?.format === 'unsupported',
	);
	if (unsupported) {
		return `Template ${templateLabel(definition)} has a ${unsupported.raw.toLowerCase()} header, which this node cannot fill`;
	}
	if ((definition.cards?.length ?? 0) > TEMPLATE_LIMITS.carouselCards) {
		return `Template ${templateLabel(definition)} has ${definition.cards?.length} cards; WhatsApp allows ${TEMPLATE_LIMITS.carouselCards}`;
	}
	return undefined;
}

/** Finds the definition of the chosen template; FieldError when it is missing or not sendable. */
export async function resolveTemplate(lookup: TemplateCatalog, choice: TemplateChoice): Promise<TemplateDefinition> {
	const languages = lookup.languages ? await lookup.languages(choice.name) : undefined;
	let language = choice.language;
	if (language === '') {
		if (languages && languages.length === 1) language = languages[0];
		else if (languages && languages.length > 1) {
			throw new FieldError(
				FORM.template,
				`Template "${choice.name}" exists in ${languages.join(', ')}; add the language, e.g. ${choice.name}|${languages[0]}`,
			);
		}
	}
	const raw = language === '' ? undefined : await lookup.find(choice.name, language);
	if (!raw) {
		const where = language === '' ? '' : ` in language "${language}"`;
		const others = languages && languages.length > 0 ? `; it exists in ${languages.join(', ')}` : '; no template of that name exists on this number';
		throw new FieldError(FORM.template, `Template "${choice.name}"${where} was not found${others}`);
	}
	const { definition, problem } = parsedDefinition(raw);
	if (problem !== undefined) throw new FieldError(FORM.template, problem);
	return definition;
}

type Scalar = string | number | boolean;

/**
 * Flattens the JSON parameters: nested objects join keys with dots (`{"button": {"1": {"url": "x"}}}`
 * → `button.1.url`), and a `body` list fills positional variables from {{1}} on.
 */
export function flattenParameters(field: string, input: Record<string, unknown>): Record<string, Scalar> {
	const out: Record<string, Scalar> = {};
	const visit = (prefix: string, value: unknown): void => {
		if (value === undefined || value === null) return;
		if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
			out[prefix] = value;
			return;
		}
		if (Array.isArray(value)) {
			if (!/(^|\.)body$/.test(prefix)) {
				throw new FieldError(field, `${field}: "${prefix}" is a list; only "body" may be a list (its entries fill {{1}}, {{2}}, …)`);
			}
			value.forEach((entry, i) => visit(`${prefix}.${i + 1}`, entry));
			return;
		}
		if (isRecord(value)) {
			// Flow data is the one value that is an object itself.
			if (/\.flow_action_data$/.test(prefix)) {
				out[prefix] = JSON.stringify(value);
				return;
			}
			for (const [key, child] of Object.entries(value)) visit(prefix === '' ? key.trim() : `${prefix}.${key.trim()}`, child);
			return;
		}
		throw new FieldError(field, `${field}: "${prefix}" must be text, a number or true/false`);
	};
	visit('', input);
	return out;
}

/** The values the user gave, by field id, from the mapped fields or the JSON parameters. */
export function readTemplateValues(context: Pick<BuildContext, 'get'>): { values: Record<string, unknown>; source: string } {
	const mode = context.get<string>(TEMPLATE_PARAMS.inputMode, 'fields');
	if (mode === 'json') {
		const parsed = jsonObject(FORM.json, context.get<unknown>(TEMPLATE_PARAMS.json, '{}')) ?? {};
		return { values: flattenParameters(FORM.json, parsed), source: FORM.json };
	}
	const mapper = context.get<unknown>(TEMPLATE_PARAMS.fields, {});
	const value = isRecord(mapper) ? mapper.value : undefined;
	return { values: isRecord(value) ? { ...value } : {}, source: FORM.fields };
}

// ---------------------------------------------------------------------------------------------
// The builder: definition + values → the `template` object
// ---------------------------------------------------------------------------------------------

/** Resolves a header media value: link, media ID or binary field (uploaded in the send phase). */
export type MediaResolver = (label: string, kind: HeaderMediaKind, value: string) => Promise<IDataObject>;

/** Characters a URL suffix keeps as they are; a suffix of only these needs no encoding. */
const URL_SUFFIX_PLAIN = /^[A-Za-z0-9\-._~/]*$/;

/** Keeps unreserved characters, `/` and valid %XX escapes; percent-encodes everything else. */
export function encodeUrlSuffix(suffix: string): string {
	if (URL_SUFFIX_PLAIN.test(suffix)) return suffix;
	return suffix.replace(/%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~/]/gu, (match) => (match.startsWith('%') && match.length === 3 ? match : encodeURIComponent(match)));
}

const isEmpty = (value: unknown): boolean =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * Reads values by id. Which ids a successful build reads follows from the definition alone, so
 * the plan knows them (`TemplatePlan.readIds`) and the reader does not track them per item.
 */
class ValueReader {
	constructor(
		private readonly values: Record<string, unknown>,
		private readonly template: string,
	) {}

	optional(slot: Pick<TemplateSlot, 'id'>): string | undefined {
		const value = this.values[slot.id];
		if (isEmpty(value)) return undefined;
		if (typeof value === 'object') return JSON.stringify(value);
		return String(value);
	}

	required(slot: Pick<TemplateSlot, 'id' | 'label'>): string {
		const value = this.optional(slot);
		if (value === undefined) {
			throw new FieldError(slot.label, `${slot.label} is required by template ${this.template} (field "${slot.id}")`);
		}
		return value;
	}

	flag(slot: Pick<TemplateSlot, 'id' | 'label'>): boolean {
		const value = this.optional(slot);
		if (value === undefined) return false;
		const text = value.trim().toLowerCase();
		if (text === 'true' || text === '1' || text === 'yes') return true;
		if (text === 'false' || text === '0' || text === 'no') return false;
		throw new FieldError(slot.label, `${slot.label} must be true or false; got "${value}"`);
	}

	/** Fields given with a value that the template does not have (`readIds`: what the build read). */
	leftovers(readIds: ReadonlySet<string>): string[] {
		const leftovers: string[] = [];
		for (const id of Object.keys(this.values)) if (!readIds.has(id) && !isEmpty(this.values[id])) leftovers.push(id);
		return leftovers;
	}
}

const LINE_BREAK_OR_TAB = /[\n\r\t]/;
const FIVE_SPACES = / {5,}/;
/** Either of the two above: one test for the usual text that has neither. */
const FORBIDDEN_IN_VARIABLE = /[\n\r\t]| {5}/;

/** Meta rejects text variables with line breaks, tabs or more than 4 spaces in a row (error 132018). */
function checkVariableText(label: string, text: string): void {
	if (!FORBIDDEN_IN_VARIABLE.test(text)) return;
	if (LINE_BREAK_OR_TAB.test(text)) {
		throw new FieldError(label, `${label} contains a line break or tab; WhatsApp does not allow them inside template variables`);
	}
	if (FIVE_SPACES.test(text)) {
		throw new FieldError(label, `${label} has more than 4 spaces in a row; WhatsApp does not allow that inside template variables`);
	}
}

/** `EUR 19.90`, `19,90 EUR`, `EUR19.9` → code and amount × 1000. */
export function parseCurrency(label: string, value: string): { code: string; amount_1000: number } {
	const text = value.trim();
	const match = /^([A-Za-z]{3})\s*([0-9]+(?:[.,][0-9]+)?)$/.exec(text) ?? /^([0-9]+(?:[.,][0-9]+)?)\s*([A-Za-z]{3})$/.exec(text);
	if (!match) {
		throw new FieldError(label, `${label} must be a currency code and an amount like EUR 19.90; got "${value}"`);
	}
	const [code, amount] = /^[A-Za-z]/.test(match[1]) ? [match[1], match[2]] : [match[2], match[1]];
	const amount1000 = Math.round(Number(amount.replace(',', '.')) * 1000);
	if (!(amount1000 > 0)) throw new FieldError(label, `${label} must be more than 0; got "${value}"`);
	return { code: code.toUpperCase(), amount_1000: amount1000 };
}

/** A millisecond timestamp or an ISO date in the future → milliseconds. */
export function parseExpiration(label: string, value: string, nowMs: number): number {
	const text = value.trim();
	let ms: number;
	if (/^\d+$/.test(text)) {
		ms = Number(text);
		if (ms < 1e12) {
			throw new FieldError(label, `${label} ${text} looks like seconds; WhatsApp needs milliseconds (${text}000) or an ISO date`);
		}
	} else {
		ms = Date.parse(text);
		if (Number.isNaN(ms)) {
			throw new FieldError(label, `${label} must be a timestamp in milliseconds or a date like 2026-12-31T23:59:00Z; got "${value}"`);
		}
	}
	if (ms <= nowMs) throw new FieldError(label, `${label} ${new Date(ms).toISOString()} is in the past; the offer must expire in the future`);
	return ms;
}

// ---------------------------------------------------------------------------------------------
// The plan: what the builder needs from a definition, computed once per definition
// ---------------------------------------------------------------------------------------------

type HeaderPlan =
	| { format: 'text'; variables: Array<{ key: string; slot: TemplateSlot }> }
	| { format: HeaderMediaKind; slot: TemplateSlot; filename?: TemplateSlot }
	| { format: 'location'; latitude: TemplateSlot; longitude: TemplateSlot; name: TemplateSlot; address: TemplateSlot };

interface BodyVariablePlan {
	key: string;
	slot: TemplateSlot;
	currency: TemplateSlot;
	date: TemplateSlot;
}

type ButtonPlan =
	| { type: 'OTP'; index: number }
	| { type: 'URL' | 'QUICK_REPLY' | 'COPY_CODE' | 'CATALOG'; index: number; slot: TemplateSlot }
	| { type: 'FLOW'; index: number; token: TemplateSlot; data: TemplateSlot }
	| { type: 'MPM'; index: number; thumbnail: TemplateSlot; products: TemplateSlot };

/** Header, body and buttons of the template or of one carousel card. */
interface PartsPlan {
	/** Undefined when the header takes no values (none, text without variables, unsupported). */
	header?: HeaderPlan;
	/** Undefined when the body has no variables. */
	body?: BodyVariablePlan[];
	/** Only the buttons that can produce a component. */
	buttons: ButtonPlan[];
}

interface TemplatePlan extends PartsPlan {
	/** `order_update (en_US)`. */
	label: string;
	named: boolean;
	/** The `otp.code` slot of an authentication template. */
	otp?: TemplateSlot;
	/** The `lto.expiration` slot; null when the offer needs one that the slot list lacks. */
	expiration?: TemplateSlot | null;
	cards?: Array<PartsPlan & { index: number }>;
	/** Every id a successful build reads: values under other ids are leftovers. */
	readIds: Set<string>;
}

/**
 * Plans by definition object. Definitions are not changed after parsing (the lookup hands out the
 * same parsed definition for every item of an execution), so one plan serves every item.
 */
const plans = new WeakMap<TemplateDefinition, TemplatePlan>();

function planOf(definition: TemplateDefinition): TemplatePlan {
	let plan = plans.get(definition);
	if (!plan) {
		plan = createPlan(definition);
		plans.set(definition, plan);
	}
	return plan;
}

/**
 * The slots the builder fills, found by id in the slot lists the generator makes, so both always
 * agree on ids and labels. `readIds` collects every id that a successful build reads.
 */
function createPlan(definition: TemplateDefinition): TemplatePlan {
	const readIds = new Set<string>();
	const read = (slot: TemplateSlot): TemplateSlot => {
		readIds.add(slot.id);
		return slot;
	};
	const hasOtp = definition.otpButtonIndex !== undefined;
	const plan: TemplatePlan = {
		label: templateLabel(definition),
		named: definition.named,
		...partsPlan(definition, '', '', read, hasOtp),
		readIds,
	};
	if (hasOtp) plan.otp = read(templateSlots(definition)[0]);
	if (definition.offer?.hasExpiration) {
		const slot = templateSlots(definition).find((candidate) => candidate.id === TEMPLATE_FIELD_IDS.ltoExpiration);
		plan.expiration = slot ? read(slot) : null;
	}
	if (definition.cards && definition.cards.length > 0) {
		plan.cards = definition.cards.map((card) => ({
			index: card.index,
			...partsPlan(card, TEMPLATE_FIELD_IDS.cardScope(card.index), cardPrefix(card), read, false),
		}));
	}
	return plan;
}

/** `otpBody`: the body of an authentication template takes the code, not values of its own. */
function partsPlan(
	parts: { header?: TemplateHeader; body?: TemplateText; buttons: TemplateButtonDefinition[] },
	scope: string,
	labelPrefix: string,
	read: (slot: TemplateSlot) => TemplateSlot,
	otpBody: boolean,
): PartsPlan {
	const plan: PartsPlan = { buttons: buttonsPlan(parts.buttons, scope, labelPrefix, read) };
	const header = headerPlan(parts.header, scope, labelPrefix, read);
	if (header) plan.header = header;
	const { body } = parts;
	if (body && body.variables.length > 0) {
		const slots = bodySlots(body, scope, labelPrefix);
		const ids = TEMPLATE_FIELD_IDS;
		const slotOf = otpBody ? (id: string) => findSlot(slots, id) : (id: string) => read(findSlot(slots, id));
		plan.body = body.variables.map((variable) => ({
			key: variable.key,
			slot: slotOf(ids.body(scope, variable.key)),
			currency: slotOf(ids.bodyCurrency(scope, variable.key)),
			date: slotOf(ids.bodyDateTime(scope, variable.key)),
		}));
	}
	return plan;
}

function headerPlan(
	header: TemplateHeader | undefined,
	scope: string,
	labelPrefix: string,
	read: (slot: TemplateSlot) => TemplateSlot,
): HeaderPlan | undefined {
	if (!header) return undefined;
	const slots = headerSlots(header, scope, labelPrefix);
	const ids = TEMPLATE_FIELD_IDS;
	const slot = (id: string): TemplateSlot => read(findSlot(slots, id));
	switch (header.format) {
		case 'text':
			if (header.variables.length === 0) return undefined;
			return { format: 'text', variables: header.variables.map((variable) => ({ key: variable.key, slot: slot(ids.headerText(scope, variable.key)) })) };
		case 'image':
		case 'video':
			return { format: header.format, slot: slot(ids.headerMedia(scope, header.format)) };
		case 'document':
			return { format: 'document', slot: slot(ids.headerMedia(scope, 'document')), filename: slot(ids.headerFilename(scope)) };
		case 'location':
			return {
				format: 'location',
				latitude: slot(ids.headerLocation(scope, 'latitude')),
				longitude: slot(ids.headerLocation(scope, 'longitude')),
				name: slot(ids.headerLocation(scope, 'name')),
				address: slot(ids.headerLocation(scope, 'address')),
			};
		default:
			return undefined;
	}
}

function buttonsPlan(
	buttons: TemplateButtonDefinition[],
	scope: string,
	labelPrefix: string,
	read: (slot: TemplateSlot) => TemplateSlot,
): ButtonPlan[] {
	const slots = buttonSlots(buttons, scope, labelPrefix);
	const ids = TEMPLATE_FIELD_IDS;
	const slot = (id: string): TemplateSlot => read(findSlot(slots, id));
	const plans: ButtonPlan[] = [];
	for (const { type, index, urlVariable } of buttons) {
		switch (type) {
			case 'OTP':
				plans.push({ type, index });
				break;
			case 'URL':
				if (urlVariable !== undefined) plans.push({ type, index, slot: slot(ids.buttonUrl(scope, index)) });
				break;
			case 'QUICK_REPLY':
				plans.push({ type, index, slot: slot(ids.buttonPayload(scope, index)) });
				break;
			case 'COPY_CODE':
				plans.push({ type, index, slot: slot(ids.buttonCoupon(scope, index)) });
				break;
			case 'FLOW':
				plans.push({ type, index, token: slot(ids.buttonFlowToken(scope, index)), data: slot(ids.buttonFlowData(scope, index)) });
				break;
			case 'CATALOG':
				plans.push({ type, index, slot: slot(ids.buttonThumbnail(scope, index)) });
				break;
			case 'MPM':
				plans.push({ type, index, thumbnail: slot(ids.buttonThumbnail(scope, index)), products: slot(ids.buttonProducts(scope, index)) });
				break;
			default:
				break; // phone number, static URL, voice call: nothing to fill
		}
	}
	return plans;
}

function findSlot(slots: TemplateSlot[], id: string): TemplateSlot {
	for (const slot of slots) if (slot.id === id) return slot;
	throw new Error(`template slot ${id} missing`); // programming error: generator and builder disagree
}

// ---------------------------------------------------------------------------------------------
// Building one message from the plan and the values
// ---------------------------------------------------------------------------------------------

interface BuildState {
	reader: ValueReader;
	named: boolean;
	resolveMedia: MediaResolver;
	nowMs: number;
}

function textParameter(state: BuildState, key: string, text: string): IDataObject {
	return state.named ? { type: 'text', text, parameter_name: key } : { type: 'text', text };
}

/** The header component; a promise only for media headers (their value may need resolving). */
function buildHeader(state: BuildState, header: HeaderPlan): IDataObject | Promise<IDataObject> {
	const { reader } = state;
	switch (header.format) {
		case 'text': {
			const parameters: IDataObject[] = [];
			for (const { key, slot } of header.variables) {
				const text = maxLength(slot.label, reader.required(slot), TEMPLATE_LIMITS.headerText);
				checkVariableText(slot.label, text);
				parameters.push(textParameter(state, key, text));
			}
			return { type: 'header', parameters };
		}
		case 'location': {
			const location: IDataObject = {
				latitude: coordinate(header.latitude, reader, 90),
				longitude: coordinate(header.longitude, reader, 180),
			};
			const name = reader.optional(header.name)?.trim();
			const address = reader.optional(header.address)?.trim();
			if (name) location.name = name;
			if (address) location.address = address;
			return { type: 'header', parameters: [{ type: 'location', location }] };
		}
		default:
			return buildMediaHeader(state, header);
	}
}

async function buildMediaHeader(state: BuildState, header: Extract<HeaderPlan, { slot: TemplateSlot }>): Promise<IDataObject> {
	const { reader } = state;
	const media = await state.resolveMedia(header.slot.label, header.format, reader.required(header.slot).trim());
	if (header.filename) {
		const filename = reader.optional(header.filename)?.trim();
		if (filename) media.filename = filename;
	}
	return { type: 'header', parameters: [mediaParameter(header.format, media)] };
}

/** `{ type: 'image', image: media }`, written out: a computed key makes a slower object. */
function mediaParameter(format: HeaderMediaKind, media: IDataObject): IDataObject {
	switch (format) {
		case 'image':
			return { type: 'image', image: media };
		case 'video':
			return { type: 'video', video: media };
		default:
			return { type: 'document', document: media };
	}
}

function coordinate(slot: TemplateSlot, reader: ValueReader, limit: 90 | 180): number {
	let text = reader.required(slot).trim();
	if (/^[+-]?\d+,\d+$/.test(text)) text = text.replace(',', '.');
	if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
		throw new FieldError(slot.label, `${slot.label} must be a number in decimal degrees like ${limit === 90 ? '52.5219' : '13.4132'}; got "${text}"`);
	}
	return numberInRange(slot.label, text, -limit, limit);
}

function buildBody(state: BuildState, body: BodyVariablePlan[], otp?: string): IDataObject {
	if (otp !== undefined) return { type: 'body', parameters: [textParameter(state, body[0].key, otp)] };
	const { reader } = state;
	const parameters: IDataObject[] = [];
	for (const { key, slot, currency: currencySlot, date: dateSlot } of body) {
		const text = maxLength(slot.label, reader.required(slot), TEMPLATE_LIMITS.bodyParameter);
		checkVariableText(slot.label, text);
		const currency = reader.optional(currencySlot);
		const asDate = reader.flag(dateSlot);
		if (currency !== undefined && asDate) {
			throw new FieldError(currencySlot.label, `${slot.label} can be sent as currency or as a date, not both`);
		}
		const named = state.named ? { parameter_name: key } : {};
		if (currency !== undefined) {
			parameters.push({ type: 'currency', currency: { fallback_value: text, ...parseCurrency(currencySlot.label, currency) }, ...named });
		} else if (asDate) {
			parameters.push({ type: 'date_time', date_time: { fallback_value: text }, ...named });
		} else {
			parameters.push(textParameter(state, key, text));
		}
	}
	return { type: 'body', parameters };
}

function parseFlowData(slot: TemplateSlot, value: string): IDataObject {
	return jsonObject(slot.label, value) as IDataObject;
}

/** Multi-product sections: `SKU1, SKU2` (one section) or a JSON list of `{title, product_items}`. */
function parseProductSections(slot: TemplateSlot, value: string): IDataObject[] {
	const text = value.trim();
	let sections: IDataObject[];
	if (text.startsWith('[')) {
		let parsed: unknown;
		let problem: string | undefined;
		try {
			parsed = JSON.parse(text);
		} catch (error) {
			problem = (error as Error).message;
		}
		if (problem !== undefined || !Array.isArray(parsed)) {
			throw new FieldError(slot.label, `${slot.label} is not a JSON list of sections${problem ? `: ${problem}` : ''}`);
		}
		sections = parsed.map((entry, i): IDataObject => {
			if (!isRecord(entry)) throw new FieldError(slot.label, `${slot.label}: section ${i + 1} must be an object with title and product_items`);
			const items = Array.isArray(entry.product_items) ? entry.product_items : Array.isArray(entry.products) ? entry.products : [];
			const productItems = items.map((item) => ({
				product_retailer_id: String(isRecord(item) ? (item.product_retailer_id ?? '') : item).trim(),
			}));
			return { ...(entry.title !== undefined ? { title: String(entry.title) } : {}), product_items: productItems };
		});
	} else {
		const ids = text.split(/[,;\n]/).map((id) => id.trim()).filter((id) => id !== '');
		sections = [{ product_items: ids.map((id) => ({ product_retailer_id: id })) }];
	}
	if (sections.length > TEMPLATE_LIMITS.mpmSections) {
		throw new FieldError(slot.label, `${slot.label} has ${sections.length} sections; WhatsApp allows ${TEMPLATE_LIMITS.mpmSections}`);
	}
	let total = 0;
	sections.forEach((section, i) => {
		const items = section.product_items as IDataObject[];
		if (items.length === 0 || items.some((item) => item.product_retailer_id === '')) {
			throw new FieldError(slot.label, `${slot.label}: section ${i + 1} needs at least one product retailer ID and no empty ones`);
		}
		total += items.length;
		if (sections.length > 1) {
			const title = typeof section.title === 'string' ? section.title.trim() : '';
			if (title === '') throw new FieldError(slot.label, `${slot.label}: section ${i + 1} needs a title when there are several sections`);
			maxLength(`${slot.label} Section ${i + 1} Title`, title, TEMPLATE_LIMITS.sectionTitle);
		}
	});
	if (total > TEMPLATE_LIMITS.mpmProducts) {
		throw new FieldError(slot.label, `${slot.label} has ${total} products; WhatsApp allows ${TEMPLATE_LIMITS.mpmProducts}`);
	}
	return sections;
}

function buttonComponent(index: number, subType: string, parameter: IDataObject): IDataObject {
	return { type: 'button', sub_type: subType, index: String(index), parameters: [parameter] };
}

/** Appends the button components to `components`. */
function buildButtons(state: BuildState, buttons: ButtonPlan[], components: IDataObject[], otp?: string): void {
	const { reader } = state;
	for (const button of buttons) {
		switch (button.type) {
			case 'OTP':
				if (otp !== undefined) components.push(buttonComponent(button.index, 'url', { type: 'text', text: otp }));
				break;
			case 'URL': {
				const suffix = reader.required(button.slot).trim();
				components.push(buttonComponent(button.index, 'url', { type: 'text', text: encodeUrlSuffix(suffix) }));
				break;
			}
			case 'QUICK_REPLY': {
				const payload = reader.optional(button.slot);
				if (payload !== undefined) components.push(buttonComponent(button.index, 'quick_reply', { type: 'payload', payload }));
				break;
			}
			case 'COPY_CODE': {
				const code = maxLength(button.slot.label, reader.required(button.slot).trim(), TEMPLATE_LIMITS.couponCode);
				components.push(buttonComponent(button.index, 'copy_code', { type: 'coupon_code', coupon_code: code }));
				break;
			}
			case 'FLOW': {
				const token = reader.optional(button.token)?.trim();
				const data = reader.optional(button.data);
				if (token === undefined && data === undefined) break;
				const action: IDataObject = {};
				if (token) action.flow_token = token;
				if (data !== undefined) action.flow_action_data = parseFlowData(button.data, data);
				components.push(buttonComponent(button.index, 'flow', { type: 'action', action }));
				break;
			}
			case 'CATALOG': {
				const thumbnail = reader.optional(button.slot)?.trim();
				components.push(
					buttonComponent(button.index, 'catalog', { type: 'action', action: thumbnail ? { thumbnail_product_retailer_id: thumbnail } : {} }),
				);
				break;
			}
			case 'MPM': {
				const thumbnail = reader.required(button.thumbnail).trim();
				const sections = parseProductSections(button.products, reader.required(button.products));
				components.push(buttonComponent(button.index, 'mpm', { type: 'action', action: { thumbnail_product_retailer_id: thumbnail, sections } }));
				break;
			}
		}
	}
}

export interface BuildTemplateOptions {
	resolveMedia: MediaResolver;
	/** Where the values came from, for the "unknown field" message. */
	source?: string;
	nowMs?: number;
}

/**
 * The `template` object of the send body for `definition` filled with `values` (by field id).
 * Checks every variable, limit and leftover value first; throws FieldError on the first problem.
 */
export async function buildTemplateObject(
	definition: TemplateDefinition,
	values: Record<string, unknown>,
	options: BuildTemplateOptions,
): Promise<IDataObject> {
	const plan = planOf(definition);
	const { label } = plan;
	const state: BuildState = {
		reader: new ValueReader(values, label),
		named: plan.named,
		resolveMedia: options.resolveMedia,
		nowMs: options.nowMs ?? Date.now(),
	};
	const { reader } = state;
	const components: IDataObject[] = [];

	let otp: string | undefined;
	if (plan.otp) {
		otp = maxLength(plan.otp.label, reader.required(plan.otp).trim(), TEMPLATE_LIMITS.otpCode);
		checkVariableText(plan.otp.label, otp);
	}

	if (plan.header) {
		const header = buildHeader(state, plan.header);
		components.push(header instanceof Promise ? await header : header);
	}
	if (plan.body) components.push(buildBody(state, plan.body, otp));
	if (plan.expiration !== undefined) {
		if (plan.expiration === null) throw new Error(`template slot ${TEMPLATE_FIELD_IDS.ltoExpiration} missing`);
		const slot = plan.expiration;
		const expiration = parseExpiration(slot.label, reader.required(slot), state.nowMs);
		components.push({
			type: 'limited_time_offer',
			parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: expiration } }],
		});
	}
	if (plan.cards) {
		const cards: IDataObject[] = [];
		for (const card of plan.cards) {
			const cardComponents: IDataObject[] = [];
			if (card.header) {
				const header = buildHeader(state, card.header);
				cardComponents.push(header instanceof Promise ? await header : header);
			}
			if (card.body) cardComponents.push(buildBody(state, card.body));
			buildButtons(state, card.buttons, cardComponents);
			cards.push({ card_index: card.index, components: cardComponents });
		}
		components.push({ type: 'carousel', cards });
	}
	buildButtons(state, plan.buttons, components, otp);

	const leftovers = reader.leftovers(plan.readIds);
	if (leftovers.length > 0) {
		const source = options.source ?? FORM.fields;
		const known = templateSlots(definition).map((slot) => slot.id);
		throw new FieldError(
			source,
			`${source} has ${leftovers.map((id) => `"${id}"`).join(', ')}, which template ${label} does not have; ${
				known.length > 0 ? `its fields are ${known.filter((id) => !/\.(currency|date_time|filename|flow_action_data)$/.test(id)).join(', ')}` : 'it has no variables'
			}. Refresh the variable list or remove ${leftovers.length > 1 ? 'them' : 'it'}.`,
		);
	}

	return {
		name: definition.name,
		language: { code: definition.language, policy: 'deterministic' },
		...(components.length > 0 ? { components } : {}),
	};
}

const EXPLICIT_MEDIA = /^(id|binary):\s*(.*)$/i;
const HTTP_LINK = /^https?:\/\//i;
const OTHER_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Links `httpsUrl` accepted, by value: a bulk send usually repeats one header image, and parsing
 * it as a URL is the costliest check of an item. Rejected links are not kept. Emptied when full.
 */
const acceptedLinks = new Map<string, string>();
const ACCEPTED_LINKS_LIMIT = 1000;

function mediaLink(label: string, value: string): string {
	const known = acceptedLinks.get(value);
	if (known !== undefined) return known;
	const link = httpsUrl(label, value, { allowHttp: true });
	if (acceptedLinks.size >= ACCEPTED_LINKS_LIMIT) acceptedLinks.clear();
	acceptedLinks.set(value, link);
	return link;
}

/** A binary header file found in phase 1: the media object it fills, located in the body once built. */
interface BinaryHeader {
	upload: Omit<PendingUpload, 'path'>;
	media: IDataObject;
}

/** Header media from a link, a media ID or a binary field of the item (uploaded in the send phase). */
function mediaResolver(context: BuildContext, binaries: BinaryHeader[]): MediaResolver {
	return async (label, kind, value) => {
		const explicit = EXPLICIT_MEDIA.exec(value);
		if (!explicit && HTTP_LINK.test(value)) return { link: mediaLink(label, value) };
		if ((explicit && explicit[1].toLowerCase() === 'id') || (!explicit && /^\d+$/.test(value))) {
			const id = explicit ? explicit[2].trim() : value;
			if (id === '' || /\s/.test(id)) throw new FieldError(label, `${label}: "${value}" is not a media ID`);
			return { id };
		}
		if (!explicit && OTHER_SCHEME.test(value)) {
			throw new FieldError(label, `${label} must be an https:// link, a media ID or the name of a binary field; got "${value}"`);
		}
		const property = explicit ? explicit[2].trim() : value;
		const file = await context.binary(property, label);
		assertMediaAllowed(label, kind as MediaKind, file.mimeType, file.sizeBytes);
		const media: IDataObject = {};
		if (kind === 'document' && file.fileName) media.filename = file.fileName;
		binaries.push({ upload: { binaryPropertyName: property, kind, mimeType: file.mimeType, fileName: file.fileName }, media });
		return media;
	};
}

/** Where `target` sits inside `root` (by identity), as a path of keys and indexes. */
function pathTo(root: unknown, target: object): Array<string | number> | undefined {
	if (root === target) return [];
	if (root === null || typeof root !== 'object') return undefined;
	for (const [key, value] of Object.entries(root)) {
		const rest = pathTo(value, target);
		if (rest) return [Array.isArray(root) ? Number(key) : key, ...rest];
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// The module
// ---------------------------------------------------------------------------------------------

const properties: INodeProperties[] = [
	{
		displayName: 'Template',
		name: TEMPLATE_PARAMS.template,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The approved template to send. Templates are the only messages allowed outside the 24-hour window after the customer last wrote.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a template…',
				typeOptions: { searchListMethod: TEMPLATE_METHODS.search, searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'order_update|en_US',
				hint: 'Template name and language code joined by |, e.g. order_update|en_US or {{ $json.template }}|{{ $json.language }}. The language may be left out when the template exists in one language only.',
			},
		],
	},
	{
		displayName: 'Variables Input',
		name: TEMPLATE_PARAMS.inputMode,
		type: 'options',
		noDataExpression: true,
		default: 'fields',
		options: [
			{
				name: 'Fields From Template',
				value: 'fields',
				description: 'One field per variable of the chosen template, loaded from your account',
			},
			{
				name: 'JSON',
				value: 'json',
				description: 'One object with all values by field ID; for templates chosen by expression and for AI agents',
			},
		],
		description: 'How the values for the template variables are entered',
	},
	{
		displayName: 'Template Variables',
		name: TEMPLATE_PARAMS.fields,
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		description:
			'One field per variable of the template, labelled with the example from the approved template. Header text up to 60 characters, body variables up to 1024, coupon and verification codes up to 15; no line breaks or tabs inside variables.',
		typeOptions: {
			loadOptionsDependsOn: [`${TEMPLATE_PARAMS.template}.value`],
			resourceMapper: {
				resourceMapperMethod: TEMPLATE_METHODS.fields,
				mode: 'add',
				fieldWords: { singular: 'variable', plural: 'variables' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				valuesLabel: 'Template Variables',
				noFieldsError: 'This template has no variables: it is sent exactly as approved',
			},
		},
		displayOptions: { show: { [TEMPLATE_PARAMS.inputMode]: ['fields'] } },
	},
	{
		displayName: 'Parameters (JSON)',
		name: TEMPLATE_PARAMS.json,
		type: 'json',
		default: '{}',
		placeholder: '{ "body.1": "Max", "header.image": "https://example.com/offer.jpg", "button.1.url": "4711" }',
		// No inline eslint-disable here: n8n's package scanner ignores them, and its ID/URL casing rules would flag
		// the literal key of a URL button. That key is shown by the placeholder ("button.1.url"), not the description.
		description:
			'Values by field ID: body.1 or body.first_name for body variables (or "body": ["Max", "4711"] for {{1}}, {{2}}), header.text.1, header.image / header.video / header.document (https:// link, media ID or binary field name; prefix ID: or binary: to be explicit), header.document.filename, header.location.latitude/longitude/name/address, the URL suffix of a link button under its key as in the example (button.1.… for the button at 0-based position 1), button.N.payload, button.N.coupon, button.N.flow_token, button.N.thumbnail and button.N.products (catalog and multi-product), otp.code, lto.expiration, card.N.… for carousel cards. Add body.1.currency = "EUR 19.90" or body.1.date_time = true to send a variable as currency or date. A missing or unknown field stops the item before sending and names the field.',
		displayOptions: { show: { [TEMPLATE_PARAMS.inputMode]: ['json'] } },
	},
];

export const templateMessage: MessageTypeModule = {
	value: 'template',
	name: 'Template',
	description: 'An approved template with its variables: the only message allowed outside the 24-hour window',
	properties,
	async build(context): Promise<BuiltMessage> {
		const choice = parseTemplateChoice(context.get<unknown>(TEMPLATE_PARAMS.template, ''));
		const definition = await resolveTemplate(context.templates, choice);
		const { values, source } = readTemplateValues(context);
		const binaries: BinaryHeader[] = [];
		const template = await buildTemplateObject(definition, values, { resolveMedia: mediaResolver(context, binaries), source });
		const uploads: PendingUpload[] = binaries.map(({ upload, media }) => ({ ...upload, path: ['template', ...(pathTo(template, media) ?? [])] }));
		return {
			body: { type: 'template', template },
			...(uploads.length > 0 ? { uploads } : {}),
			errorContext: { templateName: definition.name, templateLanguage: definition.language },
		};
	},
};
