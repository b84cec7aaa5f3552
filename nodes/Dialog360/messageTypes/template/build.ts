/**
 * Plan and build: a definition plus one item's values (by field id) → the `template` object of
 * the send body. The plan (what to read and where it goes) depends on the definition only and is
 * made once per definition; the build checks every variable, limit and leftover value of the item
 * and throws FieldError on the first problem. Message format:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
 */
import type { IDataObject } from 'n8n-workflow';

import { FieldError, maxLength, numberInRange } from '../../../common/validation';
import { buildButtons } from './buttons';
import { templateLabel, type HeaderMediaKind, type TemplateDefinition } from './definition';
import { FORM } from './form';
import { checkVariableText, TEMPLATE_LIMITS } from './limits';
import { ValueReader } from './reader';
import {
	bodySlotList,
	buttonSlotList,
	definitionSlots,
	formSlots,
	headerSlotList,
	type BodyVariableSlots,
	type DefinitionSlots,
	type HeaderSlots,
	type PartsSlots,
} from './slots';
import type { TemplateSlot } from './names';

/** Where a value sits inside the `template` object, as keys and indexes. */
export type TemplatePath = ReadonlyArray<string | number>;

/**
 * Resolves a header media value (link, media ID or binary field) to its media object. `path` is
 * where that object sits inside the `template` object, e.g. `['components', 0, 'parameters', 0,
 * 'image']`, so a binary upload can say where its media ID goes.
 */
export type MediaResolver = (label: string, kind: HeaderMediaKind, value: string, path: TemplatePath) => Promise<IDataObject>;

// ---------------------------------------------------------------------------------------------
// The plan: computed once per definition
// ---------------------------------------------------------------------------------------------

interface TemplatePlan extends DefinitionSlots {
	/** `order_update (en_US)`. */
	label: string;
	named: boolean;
	/** Every id a successful build reads: values under other ids are leftovers. */
	readIds: Set<string>;
	/** The ids the form offers, for the "unknown field" message. */
	formIds: string[];
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

/** The slots a build of these parts reads; the body of an authentication template takes the code instead. */
function partsReadSlots({ header, body, buttons }: PartsSlots, readBody: boolean): TemplateSlot[] {
	return [...headerSlotList(header), ...(readBody ? bodySlotList(body) : []), ...buttonSlotList(buttons)];
}

function createPlan(definition: TemplateDefinition): TemplatePlan {
	const slots = definitionSlots(definition);
	const read = [
		...partsReadSlots(slots, slots.otp === undefined),
		...(slots.otp ? [slots.otp] : []),
		...(slots.expiration ? [slots.expiration] : []),
		...slots.cards.flatMap((card) => partsReadSlots(card, true)),
	];
	return {
		...slots,
		label: templateLabel(definition),
		named: definition.named,
		readIds: new Set(read.map((slot) => slot.id)),
		formIds: formSlots(slots).map((slot) => slot.id),
	};
}

// ---------------------------------------------------------------------------------------------
// Value parsers
// ---------------------------------------------------------------------------------------------

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

function coordinate(slot: TemplateSlot, reader: ValueReader, limit: 90 | 180): number {
	let text = reader.required(slot).trim();
	if (/^[+-]?\d+,\d+$/.test(text)) text = text.replace(',', '.');
	if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
		throw new FieldError(slot.label, `${slot.label} must be a number in decimal degrees like ${limit === 90 ? '52.5219' : '13.4132'}; got "${text}"`);
	}
	return numberInRange(slot.label, text, -limit, limit);
}

// ---------------------------------------------------------------------------------------------
// Building one message from the plan and the values
// ---------------------------------------------------------------------------------------------

interface BuildState {
	reader: ValueReader;
	named: boolean;
	resolveMedia: MediaResolver;
}

function textParameter(state: BuildState, key: string, text: string): IDataObject {
	return state.named ? { type: 'text', text, parameter_name: key } : { type: 'text', text };
}

/**
 * The header component; a promise only for media headers (their value may need resolving).
 * `at` is where the component goes inside the `template` object.
 */
function buildHeader(state: BuildState, header: HeaderSlots, at: TemplatePath): IDataObject | Promise<IDataObject> {
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
			return buildMediaHeader(state, header, at);
	}
}

async function buildMediaHeader(state: BuildState, header: Extract<HeaderSlots, { media: TemplateSlot }>, at: TemplatePath): Promise<IDataObject> {
	const { reader } = state;
	const value = reader.required(header.media).trim();
	const media = await state.resolveMedia(header.media.label, header.format, value, [...at, 'parameters', 0, header.format]);
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

function buildBody(state: BuildState, body: BodyVariableSlots[], otp?: string): IDataObject {
	if (otp !== undefined) return { type: 'body', parameters: [textParameter(state, body[0].key, otp)] };
	const { reader } = state;
	const parameters: IDataObject[] = [];
	for (const { key, text: textSlot, currency: currencySlot, date: dateSlot } of body) {
		const text = maxLength(textSlot.label, reader.required(textSlot), TEMPLATE_LIMITS.bodyParameter);
		checkVariableText(textSlot.label, text);
		const currency = reader.optional(currencySlot);
		const asDate = reader.flag(dateSlot);
		if (currency !== undefined && asDate) {
			throw new FieldError(currencySlot.label, `${textSlot.label} can be sent as currency or as a date, not both`);
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
	const reader = new ValueReader(values, label);
	const state: BuildState = { reader, named: plan.named, resolveMedia: options.resolveMedia };
	const components: IDataObject[] = [];

	let otp: string | undefined;
	if (plan.otp) {
		otp = maxLength(plan.otp.label, reader.required(plan.otp).trim(), TEMPLATE_LIMITS.otpCode);
		checkVariableText(plan.otp.label, otp);
	}

	if (plan.header) {
		const header = buildHeader(state, plan.header, ['components', components.length]);
		components.push(header instanceof Promise ? await header : header);
	}
	if (plan.body.length > 0) components.push(buildBody(state, plan.body, otp));
	if (plan.expiration) {
		const slot = plan.expiration;
		const expiration = parseExpiration(slot.label, reader.required(slot), options.nowMs ?? Date.now());
		components.push({
			type: 'limited_time_offer',
			parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: expiration } }],
		});
	}
	if (plan.cards.length > 0) {
		const at: TemplatePath = ['components', components.length, 'cards'];
		const cards: IDataObject[] = [];
		for (const card of plan.cards) {
			const cardComponents: IDataObject[] = [];
			if (card.header) {
				const header = buildHeader(state, card.header, [...at, cards.length, 'components', cardComponents.length]);
				cardComponents.push(header instanceof Promise ? await header : header);
			}
			if (card.body.length > 0) cardComponents.push(buildBody(state, card.body));
			buildButtons(card.buttons, { reader }, cardComponents);
			cards.push({ card_index: card.index, components: cardComponents });
		}
		components.push({ type: 'carousel', cards });
	}
	buildButtons(plan.buttons, { reader, otp }, components);

	const leftovers = reader.leftovers(plan.readIds);
	if (leftovers.length > 0) {
		const source = options.source ?? FORM.fields;
		const known = plan.formIds;
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
