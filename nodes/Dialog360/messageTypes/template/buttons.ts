/**
 * Template buttons: ONE table keyed by button kind (the upper-case `type` of the definition). Each
 * entry says which values a button of that kind takes (its slots, which are also what the builder
 * reads) and how it becomes a `button` component. A new kind is one entry; kinds without an entry
 * (phone number, static URL, voice call) take no values and are never sent as components.
 * See https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
 */
import type { IDataObject } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { FieldError, jsonObject, maxLength } from '../../../common/validation';
import type { TemplateButtonDefinition } from './definition';
import { TEMPLATE_LIMITS } from './limits';
import { exampleHint, joinHint, TEMPLATE_FIELD_IDS, type Place, type TemplateSlot } from './names';
import type { ValueReader } from './reader';

type Slots = Record<string, TemplateSlot>;

/** What one message sends for a button: its `sub_type` and its one parameter. */
export interface ButtonParameter {
	subType: string;
	parameter: IDataObject;
}

export interface ButtonBuildInput {
	reader: ValueReader;
	/** The code of an authentication template (top-level buttons only). */
	otp?: string;
}

export interface ButtonKind<S extends Slots = Slots> {
	/**
	 * The values a button of this kind takes, by role, in form order (`{ suffix }`,
	 * `{ token, data }`); `{}` when it takes none but is still sent; undefined when it is never sent.
	 */
	slots(button: TemplateButtonDefinition, place: Place): S | undefined;
	/** Its parameter for one message from `slots`, or undefined to leave the button out of this message. */
	build(slots: S, input: ButtonBuildInput): ButtonParameter | undefined;
}

/** A button of a definition that can be sent, with its slots. */
export interface ButtonSlots {
	index: number;
	kind: ButtonKind;
	slots: Slots;
}

/** `"Track order": `: the button's caption, to start a hint with. */
const caption = (button: TemplateButtonDefinition): string => (button.text ? `"${button.text}": ` : '');
/** `Card 1 Button 2`: labels count from 1. */
const position = (button: TemplateButtonDefinition, place: Place): string => `${place.labelPrefix}Button ${button.index + 1}`;

/** Characters a URL suffix keeps as they are; a suffix of only these needs no encoding. */
const URL_SUFFIX_PLAIN = /^[A-Za-z0-9\-._~/]*$/;

/** Keeps unreserved characters, `/` and valid %XX escapes; percent-encodes everything else. */
export function encodeUrlSuffix(suffix: string): string {
	if (URL_SUFFIX_PLAIN.test(suffix)) return suffix;
	return suffix.replace(/%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~/]/gu, (match) => (match.startsWith('%') && match.length === 3 ? match : encodeURIComponent(match)));
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
			const items: unknown[] = Array.isArray(entry.product_items) ? entry.product_items : Array.isArray(entry.products) ? entry.products : [];
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

/** Keeps each entry's slot roles typed between its `slots` and its `build`. */
const kind = <S extends Slots>(entry: ButtonKind<S>): ButtonKind => entry as unknown as ButtonKind;

const ids = TEMPLATE_FIELD_IDS;

export const BUTTON_KINDS: Readonly<Record<string, ButtonKind>> = {
	/** Authentication: takes no value of its own; the code of the template goes into it. */
	OTP: kind<Record<string, never>>({
		slots: () => ({}),
		build: (_slots, { otp }) => (otp !== undefined ? { subType: 'url', parameter: { type: 'text', text: otp } } : undefined),
	}),
	/** A URL with a variable takes the suffix that replaces it; a static URL takes nothing. */
	URL: kind({
		slots: (button, place) =>
			button.urlVariable === undefined
				? undefined
				: {
						suffix: {
							id: ids.buttonUrl(place.scope, button.index),
							label: `${position(button, place)} URL Suffix`,
							hint: joinHint(`${caption(button)}replaces {{${button.urlVariable}}} in ${button.url}`, exampleHint(button.example)),
							required: true,
							type: 'string',
						},
					},
		build: ({ suffix }, { reader }) => ({ subType: 'url', parameter: { type: 'text', text: encodeUrlSuffix(reader.required(suffix).trim()) } }),
	}),
	/** Sent only with a payload, which comes back in the reply webhook. */
	QUICK_REPLY: kind({
		slots: (button, place) => ({
			payload: {
				id: ids.buttonPayload(place.scope, button.index),
				label: `${position(button, place)} Payload`,
				hint: `${caption(button)}optional, comes back in the reply webhook`,
				required: false,
				type: 'string',
			},
		}),
		build: ({ payload }, { reader }) => {
			const value = reader.optional(payload);
			return value === undefined ? undefined : { subType: 'quick_reply', parameter: { type: 'payload', payload: value } };
		},
	}),
	COPY_CODE: kind({
		slots: (button, place) => ({
			coupon: {
				id: ids.buttonCoupon(place.scope, button.index),
				label: `${position(button, place)} Coupon Code`,
				hint: joinHint(exampleHint(button.example), `max ${TEMPLATE_LIMITS.couponCode} characters`),
				required: true,
				type: 'string',
			},
		}),
		build: ({ coupon }, { reader }) => ({
			subType: 'copy_code',
			parameter: { type: 'coupon_code', coupon_code: maxLength(coupon.label, reader.required(coupon).trim(), TEMPLATE_LIMITS.couponCode) },
		}),
	}),
	/** Sent only with a flow token or flow data. */
	FLOW: kind({
		slots: (button, place) => ({
			token: {
				id: ids.buttonFlowToken(place.scope, button.index),
				label: `${position(button, place)} Flow Token`,
				hint: `${caption(button)}optional, identifies this flow session`,
				required: false,
				type: 'string',
			},
			data: {
				id: ids.buttonFlowData(place.scope, button.index),
				label: `${position(button, place)} Flow Data`,
				hint: 'optional JSON object for the first screen',
				required: false,
				optionalExtra: true,
				type: 'string',
			},
		}),
		build: ({ token, data }, { reader }) => {
			const tokenValue = reader.optional(token)?.trim();
			const dataValue = reader.optional(data);
			if (tokenValue === undefined && dataValue === undefined) return undefined;
			const action: IDataObject = {};
			if (tokenValue) action.flow_token = tokenValue;
			if (dataValue !== undefined) action.flow_action_data = jsonObject(data.label, dataValue) as IDataObject;
			return { subType: 'flow', parameter: { type: 'action', action } };
		},
	}),
	CATALOG: kind({
		slots: (button, place) => ({
			thumbnail: {
				id: ids.buttonThumbnail(place.scope, button.index),
				label: `${position(button, place)} Thumbnail Product`,
				hint: `${caption(button)}optional product retailer ID (SKU) for the thumbnail`,
				required: false,
				type: 'string',
			},
		}),
		build: ({ thumbnail }, { reader }) => {
			const value = reader.optional(thumbnail)?.trim();
			return { subType: 'catalog', parameter: { type: 'action', action: value ? { thumbnail_product_retailer_id: value } : {} } };
		},
	}),
	/** Multi-product message. */
	MPM: kind({
		slots: (button, place) => ({
			thumbnail: {
				id: ids.buttonThumbnail(place.scope, button.index),
				label: `${position(button, place)} Thumbnail Product`,
				hint: `${caption(button)}product retailer ID (SKU) for the thumbnail`,
				required: true,
				type: 'string',
			},
			products: {
				id: ids.buttonProducts(place.scope, button.index),
				label: `${position(button, place)} Products`,
				hint: `retailer IDs separated by commas, or JSON sections; max ${TEMPLATE_LIMITS.mpmProducts}`,
				required: true,
				type: 'string',
			},
		}),
		build: ({ thumbnail, products }, { reader }) => {
			const thumbnailId = reader.required(thumbnail).trim();
			const sections = parseProductSections(products, reader.required(products));
			return { subType: 'mpm', parameter: { type: 'action', action: { thumbnail_product_retailer_id: thumbnailId, sections } } };
		},
	}),
};

/** The buttons that can be sent, with their slots, in template order. */
export function buttonSlots(buttons: TemplateButtonDefinition[], place: Place): ButtonSlots[] {
	const result: ButtonSlots[] = [];
	for (const button of buttons) {
		const buttonKind = Object.hasOwn(BUTTON_KINDS, button.type) ? BUTTON_KINDS[button.type] : undefined;
		const slots = buttonKind?.slots(button, place);
		if (buttonKind && slots) result.push({ index: button.index, kind: buttonKind, slots });
	}
	return result;
}

/** Appends the button components of one message to `components`. */
export function buildButtons(buttons: ButtonSlots[], input: ButtonBuildInput, components: IDataObject[]): void {
	for (const { index, kind: buttonKind, slots } of buttons) {
		const built = buttonKind.build(slots, input);
		if (built) components.push({ type: 'button', sub_type: built.subType, index: String(index), parameters: [built.parameter] });
	}
}
