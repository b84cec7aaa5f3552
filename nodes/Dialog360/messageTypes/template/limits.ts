/**
 * WhatsApp's limits for template values (Meta's message reference:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages): header text
 * variables up to 60 characters, body variables up to 1024, coupon and one-time codes up to 15,
 * up to 10 carousel cards, multi-product messages up to 10 sections with 30 products in all and
 * section titles up to 24 characters.
 */
import { FieldError } from '../../../common/validation';

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

const LINE_BREAK_OR_TAB = /[\n\r\t]/;
const FIVE_SPACES = / {5,}/;
/** Either of the two above: one test for the usual text that has neither. */
const FORBIDDEN_IN_VARIABLE = /[\n\r\t]| {5}/;

/** Meta rejects text variables with line breaks, tabs or more than 4 spaces in a row (error 132018). */
export function checkVariableText(label: string, text: string): void {
	if (!FORBIDDEN_IN_VARIABLE.test(text)) return;
	if (LINE_BREAK_OR_TAB.test(text)) {
		throw new FieldError(label, `${label} contains a line break or tab; WhatsApp does not allow them inside template variables`);
	}
	if (FIVE_SPACES.test(text)) {
		throw new FieldError(label, `${label} has more than 4 spaces in a row; WhatsApp does not allow that inside template variables`);
	}
}
