/**
 * How the values of a template are named: the field ids (what the resource mapper and the JSON
 * "Parameters" use, and what the builder reads) and the labels (what the form and errors show).
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
import type { HeaderMediaKind } from './definition';

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

/** Where a header, body or button sits: the template itself or one carousel card. */
export interface Place {
	/** Prefix of the field ids: '' or `card.0.`. */
	scope: string;
	/** Prefix of the labels: '' or `Card 1 `. */
	labelPrefix: string;
}

export const TEMPLATE_PLACE: Place = { scope: '', labelPrefix: '' };

export function cardPlace(cardIndex: number): Place {
	return { scope: TEMPLATE_FIELD_IDS.cardScope(cardIndex), labelPrefix: `Card ${cardIndex + 1} ` };
}

/** `{{first_name}}`: how labels name a variable. */
export const variableLabel = (key: string): string => `{{${key}}}`;

export const exampleHint = (example: string | undefined): string | undefined =>
	example !== undefined && example !== '' ? `e.g. ${example}` : undefined;

/** The parts that are given, joined with ", " (empty parts left out). */
export const joinHint = (...parts: Array<string | undefined>): string => parts.filter(Boolean).join(', ');

/** One value a template takes, as the form, the JSON parameters and errors name it (slots.ts makes them). */
export interface TemplateSlot {
	id: string;
	/** How the form and errors name the field, e.g. `Body {{1}}`, `Card 2 Button 1 URL Suffix`. */
	label: string;
	/**
	 * Where the value goes, its rules and the template's example (`e.g. Max`). Not shown in the form
	 * yet: n8n's resource mapper shows a field's label only (`ResourceMapperField` has no hint,
	 * description or placeholder, and `defaultValue` would be sent as the value).
	 */
	hint?: string;
	required: boolean;
	/** Offered under "Add variable" only (typed-parameter options, rarely needed extras). */
	optionalExtra?: boolean;
	type: 'string' | 'boolean';
}
