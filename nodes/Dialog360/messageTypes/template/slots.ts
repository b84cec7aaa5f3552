/**
 * Which values a template definition takes: one slot per value, with the field id the form and the
 * JSON parameters use, the label the form and errors show, and whether it is required. Header and
 * body slots are made here; button slots come from the table of button kinds (buttons.ts).
 *
 * Slots come grouped by where they go (`DefinitionSlots`), which is what the builder needs; the
 * form lists them flat (`templateSlots`).
 */
import type { HeaderMediaKind, TemplateDefinition, TemplateHeader, TemplateParts, TemplateText } from './definition';
import { buttonSlots, type ButtonSlots } from './buttons';
import { TEMPLATE_LIMITS } from './limits';
import { cardPlace, exampleHint, joinHint, TEMPLATE_FIELD_IDS, TEMPLATE_PLACE, variableLabel, type Place, type TemplateSlot } from './names';

/** The slots of a header that takes values (a text header without variables takes none). */
export type HeaderSlots =
	| { format: 'text'; variables: Array<{ key: string; slot: TemplateSlot }> }
	| { format: HeaderMediaKind; media: TemplateSlot; filename?: TemplateSlot }
	| { format: 'location'; latitude: TemplateSlot; longitude: TemplateSlot; name: TemplateSlot; address: TemplateSlot };

/** A body variable: its text, and the optional extras that send it as currency or date. */
export interface BodyVariableSlots {
	key: string;
	text: TemplateSlot;
	currency: TemplateSlot;
	date: TemplateSlot;
}

/** The slots of a header, body and buttons (of the template or of one card). */
export interface PartsSlots {
	header?: HeaderSlots;
	body: BodyVariableSlots[];
	/** Only the buttons that can produce a component. */
	buttons: ButtonSlots[];
}

/** Every slot of a definition, by where it goes. */
export interface DefinitionSlots extends PartsSlots {
	/** Authentication templates: the code, sent in the body and the OTP button. */
	otp?: TemplateSlot;
	/** Limited-time offers with an expiry. */
	expiration?: TemplateSlot;
	cards: Array<PartsSlots & { index: number }>;
}

const MEDIA_NAMES: Record<HeaderMediaKind, string> = { image: 'Image', video: 'Video', document: 'Document' };

function headerSlots(header: TemplateHeader | undefined, { scope, labelPrefix }: Place): HeaderSlots | undefined {
	if (!header) return undefined;
	const ids = TEMPLATE_FIELD_IDS;
	switch (header.format) {
		case 'text':
			if (header.variables.length === 0) return undefined;
			return {
				format: 'text',
				variables: header.variables.map((variable) => ({
					key: variable.key,
					slot: {
						id: ids.headerText(scope, variable.key),
						label: `${labelPrefix}Header ${variableLabel(variable.key)}`,
						hint: joinHint(exampleHint(variable.example), `max ${TEMPLATE_LIMITS.headerText} characters`),
						required: true,
						type: 'string',
					},
				})),
			};
		case 'image':
		case 'video':
		case 'document': {
			const media: TemplateSlot = {
				id: ids.headerMedia(scope, header.format),
				label: `${labelPrefix}Header ${MEDIA_NAMES[header.format]}`,
				hint: 'https:// link, media ID, or name of a binary field such as data',
				required: true,
				type: 'string',
			};
			if (header.format !== 'document') return { format: header.format, media };
			const filename: TemplateSlot = {
				id: ids.headerFilename(scope),
				label: `${labelPrefix}Header Document File Name`,
				hint: 'e.g. invoice.pdf',
				required: false,
				optionalExtra: true,
				type: 'string',
			};
			return { format: 'document', media, filename };
		}
		case 'location': {
			const part = (name: 'latitude' | 'longitude' | 'name' | 'address', label: string, hint: string, required: boolean): TemplateSlot => ({
				id: ids.headerLocation(scope, name),
				label: `${labelPrefix}Header Location ${label}`,
				hint,
				required,
				type: 'string',
			});
			return {
				format: 'location',
				latitude: part('latitude', 'Latitude', '-90 to 90, e.g. 52.5219', true),
				longitude: part('longitude', 'Longitude', '-180 to 180, e.g. 13.4132', true),
				name: part('name', 'Name', 'optional', false),
				address: part('address', 'Address', 'optional', false),
			};
		}
		default:
			return undefined; // unsupported: the definition is refused before anything is built
	}
}

function bodySlots(body: TemplateText | undefined, { scope, labelPrefix }: Place): BodyVariableSlots[] {
	const ids = TEMPLATE_FIELD_IDS;
	return (body?.variables ?? []).map((variable): BodyVariableSlots => {
		const label = `${labelPrefix}Body ${variableLabel(variable.key)}`;
		return {
			key: variable.key,
			text: { id: ids.body(scope, variable.key), label, hint: exampleHint(variable.example), required: true, type: 'string' },
			currency: {
				id: ids.bodyCurrency(scope, variable.key),
				label: `${label} as Currency`,
				hint: `code and amount, e.g. EUR 19.90; ${label} stays the text shown`,
				required: false,
				optionalExtra: true,
				type: 'string',
			},
			date: {
				id: ids.bodyDateTime(scope, variable.key),
				label: `${label} as Date`,
				hint: 'true sends it as a date_time parameter',
				required: false,
				optionalExtra: true,
				type: 'boolean',
			},
		};
	});
}

function partsSlots(parts: TemplateParts, place: Place): PartsSlots {
	const slots: PartsSlots = { body: bodySlots(parts.body, place), buttons: buttonSlots(parts.buttons, place) };
	const header = headerSlots(parts.header, place);
	if (header) slots.header = header;
	return slots;
}

/** Every slot of `definition`, grouped by where it goes. */
export function definitionSlots(definition: TemplateDefinition): DefinitionSlots {
	const slots: DefinitionSlots = {
		...partsSlots(definition, TEMPLATE_PLACE),
		cards: (definition.cards ?? []).map((card) => ({ index: card.index, ...partsSlots(card, cardPlace(card.index)) })),
	};
	if (definition.otpButtonIndex !== undefined) {
		slots.otp = {
			id: TEMPLATE_FIELD_IDS.otpCode,
			label: 'Verification Code',
			hint: joinHint(exampleHint(definition.body?.variables[0]?.example), `max ${TEMPLATE_LIMITS.otpCode} characters; sent in the text and the copy button`),
			required: true,
			type: 'string',
		};
	}
	if (definition.offer?.hasExpiration) {
		slots.expiration = {
			id: TEMPLATE_FIELD_IDS.ltoExpiration,
			label: 'Offer Expiration',
			hint: 'ms timestamp or ISO date, e.g. 2026-12-31T23:59:00Z',
			required: true,
			type: 'string',
		};
	}
	return slots;
}

export function headerSlotList(header: HeaderSlots | undefined): TemplateSlot[] {
	if (!header) return [];
	switch (header.format) {
		case 'text':
			return header.variables.map((variable) => variable.slot);
		case 'location':
			return [header.latitude, header.longitude, header.name, header.address];
		default:
			return header.filename ? [header.media, header.filename] : [header.media];
	}
}

export const bodySlotList = (body: BodyVariableSlots[]): TemplateSlot[] => body.flatMap((variable) => [variable.text, variable.currency, variable.date]);

export const buttonSlotList = (buttons: ButtonSlots[]): TemplateSlot[] => buttons.flatMap((button) => Object.values(button.slots));

/**
 * The slots the form offers, in form order: header, body, offer, cards, buttons. An
 * authentication template takes its code only (the body and the OTP button both show it).
 */
export function formSlots(slots: DefinitionSlots): TemplateSlot[] {
	if (slots.otp) return [slots.otp];
	return [
		...headerSlotList(slots.header),
		...bodySlotList(slots.body),
		...(slots.expiration ? [slots.expiration] : []),
		...slots.cards.flatMap((card) => [...headerSlotList(card.header), ...bodySlotList(card.body), ...buttonSlotList(card.buttons)]),
		...buttonSlotList(slots.buttons),
	];
}

/** Every value the template takes, in form order. */
export function templateSlots(definition: TemplateDefinition): TemplateSlot[] {
	return formSlots(definitionSlots(definition));
}
