/**
 * What the live API checks on a `POST /messages` body beyond Meta's spec: the length and count
 * limits of Meta's message docs (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 * and the per-type pages under https://developers.facebook.com/docs/whatsapp/cloud-api/messages/),
 * uniqueness rules, and fields the spec leaves optional although the API needs them. Pure and
 * stateless; template-store checks are in templateRules.ts.
 *
 * Deliberately independent of nodes/: the emulator is the yardstick the nodes are measured
 * against, so it must not share their tables.
 */
import { isRecord, type Json } from '../support/json';

export interface RuleIssue {
	/** Dotted path of the offending value, e.g. `interactive.action.buttons[1].reply.title`. */
	path: string;
	/** `missing` → Graph 131008, `invalid` → Graph 131009. */
	kind: 'missing' | 'invalid';
	message: string;
}

/** Length (characters) and count limits of send bodies, as Meta documents them per message type. */
export const SEND_LIMITS = {
	textBody: 4096,
	caption: 1024,
	interactiveHeaderText: 60,
	interactiveBodyText: 1024,
	interactiveFooterText: 60,
	replyButtons: 3,
	replyButtonTitle: 20,
	replyButtonId: 256,
	listButton: 20,
	listSections: 10,
	listRowsTotal: 10,
	listSectionTitle: 24,
	listRowId: 200,
	listRowTitle: 24,
	listRowDescription: 72,
	ctaDisplayText: 20,
	/** The spec allows 30; 360dialog and Meta's guide say 20. */
	flowCta: 20,
	productListSections: 10,
	productListProducts: 30,
	carouselCards: 10,
	bizOpaqueCallbackData: 512,
	templateHeaderTextParam: 60,
	/** whatsapp-api-js allows 32768 for body-only templates; 360dialog documents 1024. */
	templateBodyParam: 1024,
	couponCode: 15,
	otpCode: 15,
} as const;

/** Digits with country code; Meta tolerates a leading "+". */
const PHONE_NUMBER = /^\+?\d{6,15}$/;
/** Business-scoped user ID: `CC.<alnum>`, parent IDs `CC.ENT.<alnum>` (https://docs.360dialog.com/docs/resources/phone-numbers/usernames-and-bsuid). */
export const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;
const EMOJI = /\p{Extended_Pictographic}/u;
const CURRENCY_CODE = /^[A-Z]{3}$/;

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;

/**
 * Groups API (https://developers.facebook.com/documentation/business-messaging/whatsapp/groups/groups-messaging):
 * `recipient_type: "group"`, the group ID in `to`. Groups take text, media and templates only; the error for
 * another type is undocumented: 131009 (API assumptions 30, 31 in docs/DEVELOPMENT.md).
 */
const GROUP_TYPES = ['text', ...MEDIA_TYPES, 'template'];
/** A group ID: one word of base64 characters with at least one letter (a phone number is not one). */
export const GROUP_ID = /^(?=.*[A-Za-z])[A-Za-z0-9+/_=-]+$/;
const CAPTIONED_MEDIA = ['image', 'video', 'document'];


const chars = (text: string): number => [...text].length;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Collects issues; every check is a no-op when the value has the wrong type (the spec check reports that). */
class Issues {
	readonly items: RuleIssue[] = [];

	missing(path: string, message = `${path} is required`): void {
		this.items.push({ path, kind: 'missing', message });
	}

	invalid(path: string, message: string): void {
		this.items.push({ path, kind: 'invalid', message });
	}

	/** `value` must be a non-empty string (when `required`) of at most `max` characters. */
	text(value: unknown, path: string, max: number, required = false): void {
		if (value === undefined) {
			if (required) this.missing(path);
			return;
		}
		if (typeof value !== 'string') return;
		if (required && value.trim() === '') this.invalid(path, `${path} must not be empty`);
		const length = chars(value);
		if (length > max) this.invalid(path, `${path} has ${length} characters; max ${max}`);
	}

	count(items: unknown[], path: string, max: number, what = 'items', min = 0): void {
		if (items.length > max) this.invalid(path, `${path} has ${items.length} ${what}; max ${max}`);
		if (items.length < min) this.invalid(path, `${path} has ${items.length} ${what}; min ${min}`);
	}

	unique(values: Array<{ value: unknown; path: string }>, what: string): void {
		const seen = new Map<string, string>();
		for (const { value, path } of values) {
			if (typeof value !== 'string') continue;
			const first = seen.get(value);
			if (first) this.invalid(path, `${path} repeats the ${what} ${JSON.stringify(value)} of ${first}; ${what}s must be unique`);
			else seen.set(value, path);
		}
	}
}

export function isMarkAsRead(body: Json): boolean {
	return body.status !== undefined && body.type === undefined;
}

export function checkSendRules(body: unknown): RuleIssue[] {
	const issues = new Issues();
	if (!isRecord(body)) return issues.items;
	if (typeof body.messaging_product === 'string' && body.messaging_product !== 'whatsapp') {
		issues.invalid('messaging_product', `messaging_product is ${JSON.stringify(body.messaging_product)}; must be "whatsapp"`);
	}
	if (isMarkAsRead(body)) {
		if (body.status !== 'read') issues.invalid('status', `status is ${JSON.stringify(body.status)}; only "read" can be set`);
		return issues.items;
	}
	checkRecipient(body, issues);
	issues.text(body.biz_opaque_callback_data, 'biz_opaque_callback_data', SEND_LIMITS.bizOpaqueCallbackData);
	const type = body.type;
	const content = typeof type === 'string' ? body[type] : undefined;
	if (typeof type === 'string' && content === undefined && Object.prototype.hasOwnProperty.call(TYPE_CHECKS, type)) {
		issues.missing(type, `${type} is required when type is "${type}"`);
		return issues.items;
	}
	if (typeof type === 'string' && isRecord(content) && Object.prototype.hasOwnProperty.call(TYPE_CHECKS, type)) {
		TYPE_CHECKS[type]?.(content, issues);
	}
	if (type === 'contacts' && Array.isArray(body.contacts)) checkContacts(body.contacts, issues);
	return issues.items;
}

function checkRecipient(body: Json, issues: Issues): void {
	if (body.recipient_type === 'group') return checkGroupRecipient(body, issues);
	if (typeof body.to === 'string') {
		if (!PHONE_NUMBER.test(body.to)) {
			issues.invalid('to', `to is ${JSON.stringify(body.to)}; expected the phone number in international format, digits only (e.g. 4915112345678)`);
		}
	} else if (typeof body.recipient === 'string' && !BSUID.test(body.recipient)) {
		issues.invalid('recipient', `recipient is ${JSON.stringify(body.recipient)}; expected a business-scoped user ID such as DE.1300000000000000000001`);
	}
}

function checkGroupRecipient(body: Json, issues: Issues): void {
	if (typeof body.to !== 'string') return issues.missing('to', 'to (the group ID) is required when recipient_type is "group"');
	if (!GROUP_ID.test(body.to)) issues.invalid('to', `to is ${JSON.stringify(body.to)}; expected a group ID from the Groups API`);
	if (typeof body.type === 'string' && !GROUP_TYPES.includes(body.type)) {
		issues.invalid('type', `type "${body.type}" cannot be sent to a group; groups take ${GROUP_TYPES.join(', ')} messages only`);
	}
}

const TYPE_CHECKS: Record<string, ((content: Json, issues: Issues) => void) | undefined> = {
	text: (text, issues) => issues.text(text.body, 'text.body', SEND_LIMITS.textBody, true),
	...Object.fromEntries(MEDIA_TYPES.map((type) => [type, (media: Json, issues: Issues) => checkMedia(type, media, issues)])),
	location: (location, issues) => {
		checkCoordinate(location.latitude, 'location.latitude', 90, issues);
		checkCoordinate(location.longitude, 'location.longitude', 180, issues);
	},
	reaction: (reaction, issues) => {
		if (reaction.message_id === undefined) issues.missing('reaction.message_id');
		// An empty emoji removes the reaction, so "" is fine; absent is not.
		if (reaction.emoji === undefined) issues.missing('reaction.emoji', 'reaction.emoji is required ("" removes a reaction)');
	},
	interactive: checkInteractive,
	template: checkTemplate,
	contacts: undefined, // an array, checked by checkContacts
};

function checkMedia(type: string, media: Json, issues: Issues): void {
	if (CAPTIONED_MEDIA.includes(type)) issues.text(media.caption, `${type}.caption`, SEND_LIMITS.caption);
	else if (media.caption !== undefined) issues.invalid(`${type}.caption`, `${type}.caption is not supported; only image, video and document take a caption`);
}

function checkCoordinate(value: unknown, path: string, bound: number, issues: Issues): void {
	if (value === undefined) return issues.missing(path);
	const n = typeof value === 'string' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > bound) {
		issues.invalid(path, `${path} is ${JSON.stringify(value)}; expected a number between -${bound} and ${bound}`);
	}
}

function checkContacts(contacts: unknown[], issues: Issues): void {
	contacts.forEach((contact, i) => {
		const at = `contacts[${i}]`;
		if (!isRecord(contact)) return;
		if (!isRecord(contact.name)) return issues.missing(`${at}.name`);
		if (contact.name.formatted_name === undefined) issues.missing(`${at}.name.formatted_name`);
		const parts = ['first_name', 'last_name', 'middle_name', 'prefix', 'suffix'];
		if (!parts.some((part) => typeof (contact.name as Json)[part] === 'string')) {
			issues.missing(`${at}.name`, `${at}.name needs at least one of ${parts.join(', ')} besides formatted_name`);
		}
	});
}

// -----------------------------------------------------------------------------------------------
// Interactive: https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
// and the pages of the other types; catalog_message from
// https://developers.facebook.com/docs/whatsapp/guides/commerce-guides/share-products-with-customers,
// call_permission_request from https://developers.facebook.com/docs/whatsapp/cloud-api/calling/user-call-permissions
// -----------------------------------------------------------------------------------------------

/** Interactive types that only take a text header. */
const TEXT_HEADER_ONLY = ['list', 'product_list', 'flow'];
/**
 * Interactive types that take no header: WhatsApp draws it from the product (product) or the
 * catalog (catalog_message); a free-form call permission request supports neither header nor footer.
 */
const NO_HEADER = ['product', 'catalog_message', 'call_permission_request', 'order_status'];
/**
 * Interactive types whose header, when sent, is an image. order_details: "Optional. … If a header
 * is not provided, the API uses an image of the first available product as the header"
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-in/pg),
 * and Meta's OpenAPI example "Send Order Details Message" sends `{type: "image", image: {link}}`.
 * That another header type is refused with 131009 is an assumption (28): no error is documented.
 */
const IMAGE_HEADER_ONLY = ['order_details'];
const NO_FOOTER = ['call_permission_request'];
/** Interactive types whose body may be left out ("optional, but recommended" for call permission requests). */
const BODY_OPTIONAL = ['product', 'call_permission_request'];

function checkInteractive(interactive: Json, issues: Issues): void {
	const type = interactive.type;
	if (typeof type !== 'string') return;
	const header = interactive.header;
	if (header !== undefined && NO_HEADER.includes(type)) {
		issues.invalid('interactive.header', `interactive.header is not allowed for ${type} messages`);
	} else if (header === undefined && type === 'product_list') {
		issues.missing('interactive.header', 'interactive.header (type "text") is required for product_list messages');
	} else if (isRecord(header)) {
		checkInteractiveHeader(header, type, issues);
	}
	if (interactive.body === undefined && !BODY_OPTIONAL.includes(type)) {
		issues.missing('interactive.body', `interactive.body is required for ${type} messages`);
	}
	if (isRecord(interactive.body)) issues.text(interactive.body.text, 'interactive.body.text', SEND_LIMITS.interactiveBodyText, true);
	if (interactive.footer !== undefined && NO_FOOTER.includes(type)) {
		issues.invalid('interactive.footer', `interactive.footer is not allowed for ${type} messages`);
	} else if (isRecord(interactive.footer)) {
		issues.text(interactive.footer.text, 'interactive.footer.text', SEND_LIMITS.interactiveFooterText, true);
	}
	if (!isRecord(interactive.action)) return;
	const action = interactive.action;
	switch (type) {
		case 'button':
			return checkReplyButtons(action, issues);
		case 'list':
			return checkList(action, issues);
		case 'cta_url':
			return checkCtaUrl(action, issues);
		case 'flow':
			return checkFlow(action, issues);
		case 'product':
			if (action.catalog_id === undefined) issues.missing('interactive.action.catalog_id');
			if (action.product_retailer_id === undefined) issues.missing('interactive.action.product_retailer_id');
			return;
		case 'product_list':
			if (action.catalog_id === undefined) issues.missing('interactive.action.catalog_id');
			return checkProductSections(list(action.sections), 'interactive.action.sections', issues);
		case 'location_request_message':
			return checkActionName(action, 'send_location', issues);
		case 'catalog_message':
			return checkCatalog(action, issues);
		case 'call_permission_request':
			return checkActionName(action, 'call_permission_request', issues);
		case 'order_details':
			return checkOrderDetails(action, issues);
		case 'order_status':
			return checkOrderStatus(action, issues);
	}
}

function checkActionName(action: Json, name: string, issues: Issues): void {
	if (action.name !== name) {
		issues.invalid('interactive.action.name', `interactive.action.name is ${JSON.stringify(action.name)}; must be "${name}"`);
	}
}

/** `parameters` is optional (without it WhatsApp shows the catalog's first item); when sent, it names the thumbnail. */
function checkCatalog(action: Json, issues: Issues): void {
	checkActionName(action, 'catalog_message', issues);
	if (!isRecord(action.parameters)) return;
	const at = 'interactive.action.parameters.thumbnail_product_retailer_id';
	const thumbnail = action.parameters.thumbnail_product_retailer_id;
	if (thumbnail === undefined) return issues.missing(at, `${at} is required when parameters is sent; leave parameters out for the first item`);
	if (typeof thumbnail === 'string' && thumbnail.trim() === '') issues.invalid(at, `${at} must not be empty`);
}

function checkInteractiveHeader(header: Json, type: string, issues: Issues): void {
	const headerType = header.type;
	if (typeof headerType !== 'string') return;
	if (TEXT_HEADER_ONLY.includes(type) && headerType !== 'text') {
		issues.invalid('interactive.header.type', `interactive.header.type is "${headerType}"; ${type} messages only take a "text" header`);
	}
	if (IMAGE_HEADER_ONLY.includes(type) && headerType !== 'image') {
		issues.invalid('interactive.header.type', `interactive.header.type is "${headerType}"; ${type} messages only take an "image" header`);
	}
	if (headerType === 'text') {
		issues.text(header.text, 'interactive.header.text', SEND_LIMITS.interactiveHeaderText, true);
	} else if (header[headerType] === undefined) {
		issues.missing(`interactive.header.${headerType}`, `interactive.header.${headerType} is required when header.type is "${headerType}"`);
	}
}

function checkReplyButtons(action: Json, issues: Issues): void {
	const buttons = list(action.buttons);
	issues.count(buttons, 'interactive.action.buttons', SEND_LIMITS.replyButtons, 'buttons', 1);
	const titles: Array<{ value: unknown; path: string }> = [];
	const ids: Array<{ value: unknown; path: string }> = [];
	buttons.forEach((button, i) => {
		if (!isRecord(button) || !isRecord(button.reply)) return;
		const at = `interactive.action.buttons[${i}].reply`;
		issues.text(button.reply.title, `${at}.title`, SEND_LIMITS.replyButtonTitle, true);
		issues.text(button.reply.id, `${at}.id`, SEND_LIMITS.replyButtonId, true);
		if (typeof button.reply.id === 'string' && button.reply.id !== button.reply.id.trim()) {
			issues.invalid(`${at}.id`, `${at}.id must not start or end with spaces`);
		}
		titles.push({ value: button.reply.title, path: `${at}.title` });
		ids.push({ value: button.reply.id, path: `${at}.id` });
	});
	issues.unique(titles, 'title');
	issues.unique(ids, 'id');
}

function checkList(action: Json, issues: Issues): void {
	issues.text(action.button, 'interactive.action.button', SEND_LIMITS.listButton, true);
	const sections = list(action.sections);
	issues.count(sections, 'interactive.action.sections', SEND_LIMITS.listSections, 'sections', 1);
	const rowIds: Array<{ value: unknown; path: string }> = [];
	let rowCount = 0;
	sections.forEach((section, s) => {
		if (!isRecord(section)) return;
		const at = `interactive.action.sections[${s}]`;
		issues.text(section.title, `${at}.title`, SEND_LIMITS.listSectionTitle, sections.length > 1);
		list(section.rows).forEach((row, r) => {
			rowCount++;
			if (!isRecord(row)) return;
			const rowAt = `${at}.rows[${r}]`;
			issues.text(row.id, `${rowAt}.id`, SEND_LIMITS.listRowId, true);
			issues.text(row.title, `${rowAt}.title`, SEND_LIMITS.listRowTitle, true);
			issues.text(row.description, `${rowAt}.description`, SEND_LIMITS.listRowDescription);
			rowIds.push({ value: row.id, path: `${rowAt}.id` });
		});
	});
	if (rowCount > SEND_LIMITS.listRowsTotal) {
		issues.invalid('interactive.action.sections', `interactive.action.sections have ${rowCount} rows in total; max ${SEND_LIMITS.listRowsTotal}`);
	}
	if (rowCount === 0 && sections.length > 0) issues.invalid('interactive.action.sections', 'interactive.action.sections have no rows; min 1');
	issues.unique(rowIds, 'row id');
}

function checkCtaUrl(action: Json, issues: Issues): void {
	if (!isRecord(action.parameters)) return;
	issues.text(action.parameters.display_text, 'interactive.action.parameters.display_text', SEND_LIMITS.ctaDisplayText, true);
}

function checkFlow(action: Json, issues: Issues): void {
	const parameters = action.parameters;
	if (!isRecord(parameters)) return;
	const at = 'interactive.action.parameters';
	issues.text(parameters.flow_cta, `${at}.flow_cta`, SEND_LIMITS.flowCta, true);
	if (typeof parameters.flow_cta === 'string' && EMOJI.test(parameters.flow_cta)) {
		issues.invalid(`${at}.flow_cta`, `${at}.flow_cta must not contain emoji`);
	}
	const flowAction = parameters.flow_action ?? 'navigate';
	if (parameters.flow_action_payload !== undefined && flowAction !== 'navigate') {
		issues.invalid(`${at}.flow_action_payload`, `${at}.flow_action_payload is only allowed with flow_action "navigate"`);
	}
	const payload = parameters.flow_action_payload;
	if (isRecord(payload) && payload.data !== undefined && isRecord(payload.data) && Object.keys(payload.data).length === 0) {
		issues.invalid(`${at}.flow_action_payload.data`, `${at}.flow_action_payload.data must not be empty; leave it out instead`);
	}
}

/** product_list sections and MPM template sections share the limits. */
function checkProductSections(sections: unknown[], at: string, issues: Issues): void {
	issues.count(sections, at, SEND_LIMITS.productListSections, 'sections', 1);
	let products = 0;
	sections.forEach((section, s) => {
		if (!isRecord(section)) return;
		issues.text(section.title, `${at}[${s}].title`, SEND_LIMITS.listSectionTitle, sections.length > 1);
		products += list(section.product_items).length;
	});
	if (products > SEND_LIMITS.productListProducts) {
		issues.invalid(at, `${at} have ${products} products in total; max ${SEND_LIMITS.productListProducts}`);
	}
}

// -----------------------------------------------------------------------------------------------
// Payments (India): order_details and order_status,
// https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-in/pg
// (payment gateways), .../payments-in/upi-intent (payment_type "upi"), .../payments-in/payment-links.
// API assumptions 28 (shape, limits) and 29: any recipient country is accepted, no orders are kept.
// -----------------------------------------------------------------------------------------------

// The limits as stated in the parameter tables of .../payments-in/pg and .../payments-in/upi-intent.
export const ORDER_RULES = {
	referenceId: 35,
	itemName: 60,
	/** payment_gateway.configuration_name and payment_configuration ("must not exceed 60 characters"). */
	configurationName: 60,
	amountDescription: 60,
	expirationDescription: 120,
	statusDescription: 120,
	/** An order may not expire sooner than this after it is sent. */
	minExpirySeconds: 300,
	/** INR amounts are in paise. */
	inrOffset: 100,
} as const;

const ORDER_REFERENCE_ID = /^[A-Za-z0-9_.-]+$/;
const GOODS_TYPES = ['digital-goods', 'physical-goods'];
const GATEWAYS = ['billdesk', 'payu', 'razorpay', 'zaakpay'];
const ORDER_STATUSES = ['pending', 'processing', 'partially-shipped', 'shipped', 'completed', 'canceled'];

function checkReferenceId(value: unknown, path: string, issues: Issues): void {
	if (value === undefined) return issues.missing(path);
	if (typeof value !== 'string') return;
	issues.text(value, path, ORDER_RULES.referenceId, true);
	if (value !== '' && !ORDER_REFERENCE_ID.test(value)) {
		issues.invalid(path, `${path} ${JSON.stringify(value)} may contain only English letters, digits, underscores, dashes and dots`);
	}
}

/** An amount `{value, offset}`: value a whole number (of paise: offset 100 for INR). Returns the value when it is one. */
function checkAmount(amount: unknown, path: string, issues: Issues, required: boolean, positive: boolean): number | undefined {
	if (amount === undefined) {
		if (required) issues.missing(path);
		return undefined;
	}
	if (!isRecord(amount)) return undefined;
	if (amount.offset !== ORDER_RULES.inrOffset) {
		issues.invalid(`${path}.offset`, `${path}.offset is ${JSON.stringify(amount.offset)}; must be ${ORDER_RULES.inrOffset} for INR`);
	}
	const value = amount.value;
	if (!Number.isInteger(value) || (value as number) < (positive ? 1 : 0)) {
		issues.invalid(`${path}.value`, `${path}.value is ${JSON.stringify(value)}; expected a ${positive ? 'positive' : 'non-negative'} integer`);
		return undefined;
	}
	issues.text(amount.description, `${path}.description`, ORDER_RULES.amountDescription);
	return value as number;
}

function checkPaymentSettings(parameters: Json, at: string, issues: Issues): void {
	if (parameters.payment_settings === undefined) {
		// UPI intent: a payment configuration by name instead of payment_settings.
		if (parameters.payment_type === undefined) {
			return issues.missing(`${at}.payment_settings`, `${at}.payment_settings (or payment_type "upi" with payment_configuration) is required`);
		}
		if (parameters.payment_type !== 'upi') {
			issues.invalid(`${at}.payment_type`, `${at}.payment_type is ${JSON.stringify(parameters.payment_type)}; must be "upi"`);
		}
		if (typeof parameters.payment_configuration !== 'string' || parameters.payment_configuration.trim() === '') {
			issues.missing(`${at}.payment_configuration`, `${at}.payment_configuration (the configuration name) is required with payment_type "upi"`);
		} else {
			issues.text(parameters.payment_configuration, `${at}.payment_configuration`, ORDER_RULES.configurationName, true);
		}
		return;
	}
	const settings = list(parameters.payment_settings);
	issues.count(settings, `${at}.payment_settings`, Number.POSITIVE_INFINITY, 'settings', 1);
	settings.forEach((setting, i) => {
		const settingAt = `${at}.payment_settings[${i}]`;
		if (!isRecord(setting)) return;
		if (setting.type === 'payment_gateway') {
			const gateway = setting.payment_gateway;
			if (!isRecord(gateway)) return issues.missing(`${settingAt}.payment_gateway`);
			if (!GATEWAYS.includes(String(gateway.type))) {
				issues.invalid(`${settingAt}.payment_gateway.type`, `${settingAt}.payment_gateway.type is ${JSON.stringify(gateway.type)}; expected one of ${GATEWAYS.join(', ')}`);
			}
			issues.text(gateway.configuration_name, `${settingAt}.payment_gateway.configuration_name`, ORDER_RULES.configurationName, true);
		} else if (setting.type === 'payment_link') {
			const uri = isRecord(setting.payment_link) ? setting.payment_link.uri : undefined;
			if (typeof uri !== 'string' || !uri.startsWith('https://')) {
				issues.invalid(`${settingAt}.payment_link.uri`, `${settingAt}.payment_link.uri must be an https:// link`);
			}
		} else {
			issues.invalid(`${settingAt}.type`, `${settingAt}.type is ${JSON.stringify(setting.type)}; expected payment_gateway or payment_link`);
		}
	});
}

function checkOrderDetails(action: Json, issues: Issues): void {
	checkActionName(action, 'review_and_pay', issues);
	const at = 'interactive.action.parameters';
	const parameters = action.parameters;
	if (!isRecord(parameters)) return issues.missing(at);
	checkReferenceId(parameters.reference_id, `${at}.reference_id`, issues);
	if (!GOODS_TYPES.includes(String(parameters.type))) {
		issues.invalid(`${at}.type`, `${at}.type is ${JSON.stringify(parameters.type)}; expected ${GOODS_TYPES.join(' or ')}`);
	}
	checkPaymentSettings(parameters, at, issues);
	if (parameters.currency !== 'INR') issues.invalid(`${at}.currency`, `${at}.currency is ${JSON.stringify(parameters.currency)}; only "INR" is supported`);
	const total = checkAmount(parameters.total_amount, `${at}.total_amount`, issues, true, true);
	const order = parameters.order;
	if (!isRecord(order)) return issues.missing(`${at}.order`);
	const orderAt = `${at}.order`;
	if (order.status !== 'pending') {
		issues.invalid(`${orderAt}.status`, `${orderAt}.status is ${JSON.stringify(order.status)}; an order_details message takes "pending" only`);
	}
	const items = list(order.items);
	issues.count(items, `${orderAt}.items`, Number.POSITIVE_INFINITY, 'items', 1);
	let itemsTotal: number | undefined = 0;
	items.forEach((item, i) => {
		const itemAt = `${orderAt}.items[${i}]`;
		if (!isRecord(item)) return;
		issues.text(item.retailer_id, `${itemAt}.retailer_id`, Number.POSITIVE_INFINITY, true);
		issues.text(item.name, `${itemAt}.name`, ORDER_RULES.itemName, true);
		const amount = checkAmount(item.amount, `${itemAt}.amount`, issues, true, true);
		const sale = checkAmount(item.sale_amount, `${itemAt}.sale_amount`, issues, false, true);
		if (amount !== undefined && sale !== undefined && sale >= amount) {
			issues.invalid(`${itemAt}.sale_amount`, `${itemAt}.sale_amount.value ${sale} must be less than amount.value ${amount}`);
		}
		const quantity = item.quantity;
		if (quantity === undefined) issues.missing(`${itemAt}.quantity`);
		else if (!Number.isInteger(quantity) || (quantity as number) < 1) {
			issues.invalid(`${itemAt}.quantity`, `${itemAt}.quantity is ${JSON.stringify(quantity)}; expected a positive integer`);
		}
		const price = sale ?? amount;
		itemsTotal = itemsTotal === undefined || price === undefined || !Number.isInteger(quantity) ? undefined : itemsTotal + price * (quantity as number);
	});
	const subtotal = checkAmount(order.subtotal, `${orderAt}.subtotal`, issues, true, true);
	if (subtotal !== undefined && itemsTotal !== undefined && subtotal !== itemsTotal) {
		issues.invalid(`${orderAt}.subtotal`, `${orderAt}.subtotal.value is ${subtotal}; the items (sale_amount or amount × quantity) add up to ${itemsTotal}`);
	}
	const tax = checkAmount(order.tax, `${orderAt}.tax`, issues, true, false);
	const shipping = checkAmount(order.shipping, `${orderAt}.shipping`, issues, false, false);
	const discount = checkAmount(order.discount, `${orderAt}.discount`, issues, false, false);
	if (isRecord(order.discount)) issues.text(order.discount.discount_program_name, `${orderAt}.discount.discount_program_name`, ORDER_RULES.amountDescription);
	if (total !== undefined && subtotal !== undefined && tax !== undefined) {
		const expected = subtotal + tax + (shipping ?? 0) - (discount ?? 0);
		if (total !== expected) {
			issues.invalid(`${at}.total_amount`, `${at}.total_amount.value is ${total}; subtotal + tax + shipping - discount is ${expected}`);
		}
	}
	if (isRecord(order.expiration)) checkExpiration(order.expiration, `${orderAt}.expiration`, issues);
}

function checkExpiration(expiration: Json, at: string, issues: Issues): void {
	const timestamp = expiration.timestamp;
	if (timestamp === undefined) issues.missing(`${at}.timestamp`);
	else if (typeof timestamp !== 'string' || !/^\d+$/.test(timestamp)) {
		issues.invalid(`${at}.timestamp`, `${at}.timestamp is ${JSON.stringify(timestamp)}; expected Unix seconds as a string`);
	} else if (Number(timestamp) < Math.floor(Date.now() / 1000) + ORDER_RULES.minExpirySeconds) {
		issues.invalid(`${at}.timestamp`, `${at}.timestamp must be at least ${ORDER_RULES.minExpirySeconds} seconds in the future`);
	}
	issues.text(expiration.description, `${at}.description`, ORDER_RULES.expirationDescription);
}

function checkOrderStatus(action: Json, issues: Issues): void {
	checkActionName(action, 'review_order', issues);
	const at = 'interactive.action.parameters';
	const parameters = action.parameters;
	if (!isRecord(parameters)) return issues.missing(at);
	checkReferenceId(parameters.reference_id, `${at}.reference_id`, issues);
	const order = parameters.order;
	if (!isRecord(order)) return issues.missing(`${at}.order`);
	if (order.status === undefined) issues.missing(`${at}.order.status`);
	else if (!ORDER_STATUSES.includes(String(order.status))) {
		issues.invalid(`${at}.order.status`, `${at}.order.status is ${JSON.stringify(order.status)}; expected one of ${ORDER_STATUSES.join(', ')}`);
	}
	issues.text(order.description, `${at}.order.description`, ORDER_RULES.statusDescription);
}

// -----------------------------------------------------------------------------------------------
// Template parameters
// -----------------------------------------------------------------------------------------------

/** Parameter type → the object key it carries. */
const PARAMETER_KEYS: Record<string, string> = {
	text: 'text',
	currency: 'currency',
	date_time: 'date_time',
	image: 'image',
	video: 'video',
	document: 'document',
	location: 'location',
	product: 'product',
	payload: 'payload',
	coupon_code: 'coupon_code',
	action: 'action',
	limited_time_offer: 'limited_time_offer',
};

function checkTemplate(template: Json, issues: Issues): void {
	checkTemplateComponents(list(template.components), 'template.components', issues);
}

function checkTemplateComponents(components: unknown[], at: string, issues: Issues): void {
	components.forEach((component, c) => {
		if (!isRecord(component)) return;
		const componentAt = `${at}[${c}]`;
		const type = component.type;
		if (type === 'carousel') return checkCarousel(component, componentAt, issues);
		if (type === 'button') {
			if (component.sub_type === undefined) issues.missing(`${componentAt}.sub_type`, `${componentAt}.sub_type is required for button components`);
			if (component.index === undefined) issues.missing(`${componentAt}.index`, `${componentAt}.index is required for button components`);
		}
		list(component.parameters).forEach((parameter, p) => {
			if (isRecord(parameter)) checkParameter(parameter, String(type), `${componentAt}.parameters[${p}]`, issues);
		});
	});
}

function checkCarousel(component: Json, at: string, issues: Issues): void {
	const cards = list(component.cards);
	issues.count(cards, `${at}.cards`, SEND_LIMITS.carouselCards, 'cards', 1);
	cards.forEach((card, i) => {
		if (!isRecord(card)) return;
		const cardAt = `${at}.cards[${i}]`;
		if (card.card_index === undefined) issues.missing(`${cardAt}.card_index`);
		checkTemplateComponents(list(card.components), `${cardAt}.components`, issues);
	});
}

function checkParameter(parameter: Json, componentType: string, at: string, issues: Issues): void {
	const type = parameter.type;
	if (type === undefined) return issues.missing(`${at}.type`);
	const key = typeof type === 'string' ? PARAMETER_KEYS[type] : undefined;
	if (!key) {
		return issues.invalid(`${at}.type`, `${at}.type is ${JSON.stringify(type)}; expected one of ${Object.keys(PARAMETER_KEYS).join(', ')}`);
	}
	const value = parameter[key];
	if (value === undefined) return issues.missing(`${at}.${key}`, `${at}.${key} is required for a ${type} parameter`);
	switch (type) {
		case 'text':
			return issues.text(
				value,
				`${at}.text`,
				componentType === 'header' ? SEND_LIMITS.templateHeaderTextParam : SEND_LIMITS.templateBodyParam,
				true,
			);
		case 'coupon_code':
			return issues.text(value, `${at}.coupon_code`, SEND_LIMITS.couponCode, true);
		case 'currency':
			return checkCurrency(value, `${at}.currency`, issues);
		case 'date_time':
			if (isRecord(value) && value.fallback_value === undefined) issues.missing(`${at}.date_time.fallback_value`);
			return;
		case 'image':
		case 'video':
		case 'document':
			if (isRecord(value) && (value.id === undefined) === (value.link === undefined)) {
				issues.missing(`${at}.${type}`, `${at}.${type} needs exactly one of id or link`);
			}
			return;
		case 'location':
			if (isRecord(value)) {
				checkCoordinate(value.latitude, `${at}.location.latitude`, 90, issues);
				checkCoordinate(value.longitude, `${at}.location.longitude`, 180, issues);
			}
			return;
		case 'action':
			if (isRecord(value) && Array.isArray(value.sections)) checkProductSections(value.sections, `${at}.action.sections`, issues);
			return;
		case 'limited_time_offer':
			if (isRecord(value) && !Number.isInteger(value.expiration_time_ms)) {
				issues.missing(`${at}.limited_time_offer.expiration_time_ms`, `${at}.limited_time_offer.expiration_time_ms must be a Unix time in milliseconds`);
			}
			return;
	}
}

function checkCurrency(value: unknown, at: string, issues: Issues): void {
	if (!isRecord(value)) return;
	if (value.fallback_value === undefined) issues.missing(`${at}.fallback_value`);
	if (value.code === undefined) issues.missing(`${at}.code`);
	else if (typeof value.code !== 'string' || !CURRENCY_CODE.test(value.code)) {
		issues.invalid(`${at}.code`, `${at}.code is ${JSON.stringify(value.code)}; expected an ISO 4217 code such as "EUR"`);
	}
	if (value.amount_1000 === undefined) issues.missing(`${at}.amount_1000`);
	else if (!Number.isInteger(value.amount_1000) || (value.amount_1000 as number) <= 0) {
		issues.invalid(`${at}.amount_1000`, `${at}.amount_1000 is ${JSON.stringify(value.amount_1000)}; expected a positive integer (amount × 1000)`);
	}
}
