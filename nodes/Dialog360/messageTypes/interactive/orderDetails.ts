/**
 * Order details ("Review and pay"): a bill the customer reviews and pays without leaving WhatsApp.
 * Only where WhatsApp payments are offered: India (INR) at the time of writing.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-in/pg (payment gateways, the fields and limits),
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-in/upi-intent (UPI intent),
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-in/payment-links (payment links),
 * https://docs.360dialog.com/partner/messaging/commerce-and-payments/payments-india-only/receive-whatsapp-payments-via-payments-gateway
 *
 * Amounts are typed in rupees and sent in paise (`{value, offset: 100}`). The subtotal and the
 * total are computed from the items, tax, shipping and discount, so they always add up the way
 * WhatsApp checks them (subtotal = Σ (sale price or price) × quantity; total = subtotal + tax +
 * shipping − discount). The header is optional; the pages state no type for it, but every example on
 * them and in Meta's OpenAPI spec sends an image, so only an image is offered; without one WhatsApp
 * shows the image of the first product. Where the docs
 * leave the shape open: docs/DEVELOPMENT.md, API assumptions 28 (body, limits) and 29 (outside India).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { FieldError, httpsUrl, optionalText, textOf } from '../../../common/validation';
import type { ParamReader } from '../types';
import { checkEntry, collectionEntries, describe, jsonArray, requiredId, requiredLabel } from './read';
import type { InteractiveVariant } from './variant';

/**
 * Limits of Meta's payments pages (above); characters unless named otherwise. Each is stated in the
 * parameter tables of .../payments-in/pg (payment_gateway, order, expiration, order_status) and
 * .../payments-in/upi-intent (payment_configuration), versions of Dec 12 and Nov 14, 2025 (API assumption 28).
 */
export const ORDER_LIMITS = {
	referenceId: 35,
	itemName: 60,
	/** `payment_gateway.configuration_name` and UPI intent's `payment_configuration`. */
	configurationName: 60,
	/** Tax, shipping and discount descriptions, and the discount program name. */
	amountDescription: 60,
	expirationDescription: 120,
	statusDescription: 120,
	/** An order may expire no sooner than this many seconds after it is sent ("Minimum threshold is 300 seconds"). */
	minExpirySeconds: 300,
} as const;

/** English letters, digits, underscores, dashes and dots; case sensitive. */
const REFERENCE_ID = /^[A-Za-z0-9_.-]+$/;
/** INR amounts are sent in paise. */
const INR_OFFSET = 100;
const GOODS_TYPES = ['digital-goods', 'physical-goods'];
const PAYMENT_GATEWAYS = ['billdesk', 'payu', 'razorpay', 'zaakpay'];
const JSON_ITEM_KEYS = ['retailer_id', 'name', 'amount', 'sale_amount', 'quantity', 'country_of_origin', 'importer_name', 'importer_address'];

export const PAYMENTS_NOTICE =
	'WhatsApp payments are offered only in India (at the time of writing): an Indian WhatsApp Business number sending to customers with Indian numbers. Elsewhere WhatsApp refuses the message or the customer cannot pay; send a CTA URL button with your own payment link instead.';

/** The order's reference: required, at most 35 letters, digits, `_`, `-` or `.`. Order Status uses it too. */
export function orderReferenceId(value: unknown): string {
	const field = 'Reference ID';
	const id = requiredLabel(field, value, ORDER_LIMITS.referenceId);
	if (!REFERENCE_ID.test(id)) {
		throw new FieldError(field, `Reference ID "${id}" may only contain English letters, digits, underscores, dashes and dots`);
	}
	return id;
}

export const referenceIdProperty: INodeProperties = {
	displayName: 'Reference ID',
	name: 'interactiveOrderReferenceId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'ORDER-1001',
	description:
		'Your unique ID for this order or invoice: up to 35 English letters, digits, _ - or . (case sensitive). Every order details message needs a new one; to send an order again, add a number (ORDER-1001-2).',
};

// ---------------------------------------------------------------------------------------------
// Amounts
// ---------------------------------------------------------------------------------------------

const isEmpty = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** "INR 1499.50", for messages. */
const inr = (paise: number): string => `INR ${(paise / 100).toFixed(2)}`;

const money = (paise: number, extra: IDataObject = {}): IDataObject => ({ value: paise, offset: INR_OFFSET, ...extra });

/** Rupees as typed or mapped (1499, 1499.5, "1499.50") → paise; at most 2 decimals. */
function rupees(field: string, value: unknown, positive: boolean): number {
	if (isEmpty(value)) throw new FieldError(field, `${field} is required`);
	const amount = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof amount !== 'number' || !Number.isFinite(amount)) {
		throw new FieldError(field, `${field} must be an amount in rupees such as 499 or 499.50; got ${describe(value)}`);
	}
	const paise = Math.round(amount * INR_OFFSET);
	if (Math.abs(amount * INR_OFFSET - paise) > 1e-6) {
		throw new FieldError(field, `${field} ${amount} has more than 2 decimals; give rupees and paise such as 499.50`);
	}
	if (positive ? paise <= 0 : paise < 0) throw new FieldError(field, `${field} must be ${positive ? 'more than 0' : '0 or more'}; got ${amount}`);
	return paise;
}

function optionalRupees(field: string, value: unknown, positive: boolean): number | undefined {
	return isEmpty(value) ? undefined : rupees(field, value, positive);
}

/** A JSON amount as Meta writes it: `{"value": <paise>, "offset": 100}`. */
function jsonMoney(field: string, label: string, value: unknown): number {
	const amount = checkEntry(field, label, value, ['value', 'offset']);
	if (amount.offset !== INR_OFFSET) {
		throw new FieldError(field, `${label} "offset" must be 100 (INR amounts are given in paise); got ${describe(amount.offset)}`);
	}
	if (!Number.isInteger(amount.value) || (amount.value as number) <= 0) {
		throw new FieldError(field, `${label} "value" must be a whole number of paise above 0; got ${describe(amount.value)}`);
	}
	return amount.value as number;
}

function quantityOf(field: string, value: unknown): number {
	if (isEmpty(value)) throw new FieldError(field, `${field} is required`);
	const quantity = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) {
		throw new FieldError(field, `${field} must be a whole number of 1 or more; got ${describe(value)}`);
	}
	return quantity;
}

// ---------------------------------------------------------------------------------------------
// Items: from the form (rupees) or JSON (Meta's shape)
// ---------------------------------------------------------------------------------------------

interface OrderItem {
	retailerId: string;
	name: string;
	amount: number;
	saleAmount?: number;
	quantity: number;
	/** JSON only: country_of_origin, importer_name, importer_address, passed on as given. */
	extra: IDataObject;
}

function itemsFromForm(value: unknown): OrderItem[] {
	return collectionEntries(value, 'item').map((item, i) => {
		const label = `Item ${i + 1}`;
		// Checked in the order the form shows the fields (alphabetical, n8n's rule).
		const name = requiredLabel(`${label} Name`, item.name, ORDER_LIMITS.itemName);
		const amount = rupees(`${label} Price`, item.price, true);
		const quantity = quantityOf(`${label} Quantity`, item.quantity);
		const retailerId = requiredId(`${label} Retailer ID`, item.retailerId);
		// The form's 0 (its default) means no sale price.
		const saleAmount = item.salePrice === 0 ? undefined : optionalRupees(`${label} Sale Price`, item.salePrice, true);
		return { retailerId, name, amount, saleAmount, quantity, extra: {} };
	});
}

function itemsFromJson(field: string, value: unknown): OrderItem[] {
	return jsonArray(field, value, 'items').map((entry, i) => {
		const label = `Item ${i + 1}`;
		const item = checkEntry(field, label, entry, JSON_ITEM_KEYS);
		if (item.amount === undefined) throw new FieldError(field, `${label} needs "amount": {"value": <paise>, "offset": 100}`);
		const extra: IDataObject = {};
		for (const key of ['country_of_origin', 'importer_name'] as const) {
			if (item[key] !== undefined) extra[key] = requiredId(`${label} ${key}`, item[key]);
		}
		if (item.importer_address !== undefined) {
			if (!isRecord(item.importer_address)) {
				throw new FieldError(field, `${label} "importer_address" must be an object; got ${describe(item.importer_address)}`);
			}
			extra.importer_address = item.importer_address as IDataObject;
		}
		return {
			retailerId: requiredId(`${label} Retailer ID`, item.retailer_id),
			name: requiredLabel(`${label} Name`, item.name, ORDER_LIMITS.itemName),
			amount: jsonMoney(field, `${label} "amount"`, item.amount),
			saleAmount: item.sale_amount === undefined ? undefined : jsonMoney(field, `${label} "sale_amount"`, item.sale_amount),
			quantity: quantityOf(`${label} Quantity`, item.quantity),
			extra,
		};
	});
}

/** The items as WhatsApp takes them, and their subtotal in paise. */
function buildItems(items: OrderItem[]): { items: IDataObject[]; subtotal: number } {
	if (items.length === 0) throw new FieldError('Items', 'Order Details needs at least 1 item');
	let subtotal = 0;
	const built = items.map((item, i) => {
		const label = `Item ${i + 1}`;
		if (item.saleAmount !== undefined && item.saleAmount >= item.amount) {
			throw new FieldError(
				`${label} Sale Price`,
				`${label} Sale Price (${inr(item.saleAmount)}) must be less than its Price (${inr(item.amount)})`,
			);
		}
		// WhatsApp computes the subtotal from the sale price where there is one.
		subtotal += (item.saleAmount ?? item.amount) * item.quantity;
		return {
			retailer_id: item.retailerId,
			name: item.name,
			amount: money(item.amount),
			...(item.saleAmount !== undefined ? { sale_amount: money(item.saleAmount) } : {}),
			quantity: item.quantity,
			...item.extra,
		};
	});
	return { items: built, subtotal };
}

// ---------------------------------------------------------------------------------------------
// Payment, expiration, the order
// ---------------------------------------------------------------------------------------------

function paymentOf(context: ParamReader): IDataObject {
	const method = context.get<string>('interactiveOrderPaymentMethod', 'payment_gateway');
	const configuration = () => requiredLabel('Payment Configuration', context.get('interactiveOrderPaymentConfiguration', ''), ORDER_LIMITS.configurationName);
	switch (method) {
		case 'payment_gateway': {
			const gateway = textOf('Payment Gateway', context.get('interactiveOrderPaymentGateway', 'razorpay')).trim();
			if (!PAYMENT_GATEWAYS.includes(gateway)) {
				throw new FieldError('Payment Gateway', `Payment Gateway "${gateway}" is not supported; use one of ${PAYMENT_GATEWAYS.join(', ')}`);
			}
			return { payment_settings: [{ type: 'payment_gateway', payment_gateway: { type: gateway, configuration_name: configuration() } }] };
		}
		case 'upi':
			return { payment_type: 'upi', payment_configuration: configuration() };
		case 'payment_link': {
			const uri = httpsUrl('Payment Link', context.get('interactiveOrderPaymentLink', ''));
			return { payment_settings: [{ type: 'payment_link', payment_link: { uri } }] };
		}
		default:
			throw new FieldError('Payment Method', `Payment Method "${String(method)}" is not supported; use payment_gateway, upi or payment_link`);
	}
}

/** A date and time (ISO text, a Date, a Luxon DateTime) or Unix seconds → Unix seconds. */
function unixSeconds(field: string, value: unknown): number {
	if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim()))) return Math.floor(Number(value));
	let millis = Number.NaN;
	if (typeof value === 'string') millis = Date.parse(value.trim());
	else if (value instanceof Date) millis = value.getTime();
	else if (isRecord(value) && typeof value.toMillis === 'function') millis = (value.toMillis as () => number)();
	if (!Number.isFinite(millis)) {
		throw new FieldError(field, `${field} must be a date and time such as 2026-12-31T18:00:00 or Unix seconds; got ${describe(value)}`);
	}
	return Math.floor(millis / 1000);
}

function expirationOf(options: IDataObject, nowSeconds: number): IDataObject | undefined {
	const description = optionalText('Expiration Description', textOf('Expiration Description', options.expirationDescription), ORDER_LIMITS.expirationDescription);
	if (isEmpty(options.expiresAt)) {
		if (description !== undefined) throw new FieldError('Expiration Description', 'Expiration Description needs Expires At');
		return undefined;
	}
	const timestamp = unixSeconds('Expires At', options.expiresAt);
	if (timestamp < nowSeconds + ORDER_LIMITS.minExpirySeconds) {
		throw new FieldError(
			'Expires At',
			`Expires At (${new Date(timestamp * 1000).toISOString()}) must be at least 5 minutes from now; WhatsApp refuses an order that expires sooner`,
		);
	}
	return { timestamp: String(timestamp), ...(description !== undefined ? { description } : {}) };
}

/** An optional description of an amount, ≤ 60 characters. */
function amountDescription(field: string, value: unknown): IDataObject {
	const text = optionalText(field, textOf(field, value), ORDER_LIMITS.amountDescription);
	return text === undefined ? {} : { description: text };
}

function orderDetailsParameters(context: ParamReader): IDataObject {
	const referenceId = orderReferenceId(context.get('interactiveOrderReferenceId', ''));
	const goodsType = textOf('Goods Type', context.get('interactiveOrderGoodsType', 'physical-goods')).trim();
	if (!GOODS_TYPES.includes(goodsType)) {
		throw new FieldError('Goods Type', `Goods Type "${goodsType}" is not supported; use digital-goods or physical-goods`);
	}
	const payment = paymentOf(context);
	const currency = textOf('Currency', context.get('interactiveOrderCurrency', 'INR')).trim();
	if (currency !== 'INR') throw new FieldError('Currency', `Currency "${currency}" is not supported; WhatsApp payments take INR only`);

	const mode = context.get<string>('interactiveOrderItemsMode', 'fields');
	const { items, subtotal } = buildItems(
		mode === 'json'
			? itemsFromJson('Items (JSON)', context.get('interactiveOrderItemsJson', ''))
			: itemsFromForm(context.get('interactiveOrderItems', {})),
	);
	const tax = rupees('Tax', context.get('interactiveOrderTax', 0), false);

	const options = (context.get<IDataObject>('interactiveOrderOptions', {}) ?? {}) as IDataObject;
	const catalogId = textOf('Catalog ID', options.catalogId).trim();
	const shipping = optionalRupees('Shipping', options.shipping, false);
	const discount = optionalRupees('Discount', options.discount, false);
	const discountProgram = optionalText('Discount Program Name', textOf('Discount Program Name', options.discountProgramName), ORDER_LIMITS.amountDescription);
	const total = subtotal + tax + (shipping ?? 0) - (discount ?? 0);
	if (total <= 0) {
		throw new FieldError('Discount', `Discount (${inr(discount ?? 0)}) leaves nothing to pay: the order comes to ${inr(total + (discount ?? 0))} before the discount`);
	}
	const expiration = expirationOf(options, Math.floor(Date.now() / 1000));

	return {
		reference_id: referenceId,
		type: goodsType,
		...payment,
		currency,
		total_amount: money(total),
		order: {
			status: 'pending',
			...(catalogId !== '' ? { catalog_id: catalogId } : {}),
			items,
			subtotal: money(subtotal),
			tax: money(tax, amountDescription('Tax Description', options.taxDescription)),
			...(shipping !== undefined ? { shipping: money(shipping, amountDescription('Shipping Description', options.shippingDescription)) } : {}),
			...(discount !== undefined
				? {
						discount: money(discount, {
							...amountDescription('Discount Description', options.discountDescription),
							...(discountProgram !== undefined ? { discount_program_name: discountProgram } : {}),
						}),
					}
				: {}),
			...(expiration ? { expiration } : {}),
		},
	};
}

// ---------------------------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------------------------

const rupeeField = { type: 'number', typeOptions: { minValue: 0, numberPrecision: 2 } } as const;

export const orderDetailsVariant: InteractiveVariant = {
	value: 'order_details',
	name: 'Order Details',
	description: 'A bill the customer reviews and pays inside WhatsApp. Only where WhatsApp payments are offered: India.',
	header: 'optional-image',
	body: 'required',
	footer: true,
	properties: [
		{ displayName: PAYMENTS_NOTICE, name: 'interactiveOrderDetailsNotice', type: 'notice', default: '' },
		referenceIdProperty,
		{
			displayName: 'Goods Type',
			name: 'interactiveOrderGoodsType',
			type: 'options',
			default: 'physical-goods',
			options: [
				{ name: 'Digital Goods', value: 'digital-goods', description: 'Services, subscriptions, downloads' },
				{ name: 'Physical Goods', value: 'physical-goods', description: 'Items that are shipped or handed over' },
			],
			description: 'What the customer pays for',
		},
		{
			displayName: 'Payment Method',
			name: 'interactiveOrderPaymentMethod',
			type: 'options',
			noDataExpression: true,
			default: 'payment_gateway',
			options: [
				{
					name: 'Payment Gateway',
					value: 'payment_gateway',
					description: 'Pay inside WhatsApp through BillDesk, PayU, Razorpay or Zaakpay (UPI, cards, net banking, wallets)',
				},
				{ name: 'Payment Link', value: 'payment_link', description: 'A payment link from your payment gateway' },
				{ name: 'UPI Intent', value: 'upi', description: 'Opens the customer’s UPI app with the amount filled in' },
			],
			description: 'How the customer pays; set up in WhatsApp Manager → Account tools → Payment configurations',
		},
		{
			displayName: 'Payment Gateway',
			name: 'interactiveOrderPaymentGateway',
			type: 'options',
			default: 'razorpay',
			options: [
				{ name: 'BillDesk', value: 'billdesk' },
				{ name: 'PayU', value: 'payu' },
				{ name: 'Razorpay', value: 'razorpay' },
				{ name: 'Zaakpay', value: 'zaakpay' },
			],
			description: 'The gateway of the payment configuration below',
			displayOptions: { show: { interactiveOrderPaymentMethod: ['payment_gateway'] } },
		},
		{
			displayName: 'Payment Configuration',
			name: 'interactiveOrderPaymentConfiguration',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'my-razorpay-config',
			description: 'The name of the payment configuration in WhatsApp Manager → Account tools → Payment configurations (up to 60 characters)',
			displayOptions: { show: { interactiveOrderPaymentMethod: ['payment_gateway', 'upi'] } },
		},
		{
			displayName: 'Payment Link',
			name: 'interactiveOrderPaymentLink',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://rzp.io/i/abc123',
			description: 'The https:// payment link your gateway created for this order (same reference ID, amount and expiry)',
			displayOptions: { show: { interactiveOrderPaymentMethod: ['payment_link'] } },
		},
		{
			displayName: 'Currency',
			name: 'interactiveOrderCurrency',
			type: 'options',
			default: 'INR',
			options: [{ name: 'INR (Indian Rupee)', value: 'INR' }],
			description: 'WhatsApp payments take Indian rupees only',
		},
		{
			displayName: 'Specify Items',
			name: 'interactiveOrderItemsMode',
			type: 'options',
			noDataExpression: true,
			default: 'fields',
			options: [
				{ name: 'Using Fields Below', value: 'fields', description: 'Fill in the items one by one, prices in rupees' },
				{ name: 'Using JSON', value: 'json', description: 'Map the items from your data with an expression that returns the items array' },
			],
			description: 'How to give the items of the order',
		},
		{
			displayName: 'Items',
			name: 'interactiveOrderItems',
			type: 'fixedCollection',
			placeholder: 'Add Item',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			required: true,
			description: 'At least 1 item. The subtotal and the total are computed from them.',
			displayOptions: { show: { interactiveOrderItemsMode: ['fields'] } },
			options: [
				{
					displayName: 'Item',
					name: 'item',
					values: [
						{
							displayName: 'Name',
							name: 'name',
							type: 'string',
							default: '',
							required: true,
							placeholder: 'Sourdough bread',
							description: 'Shown to the customer, up to 60 characters',
						},
						{ displayName: 'Price', name: 'price', ...rupeeField, default: 0, required: true, description: 'Price of one, in rupees (e.g. 149.50)' },
						{ displayName: 'Quantity', name: 'quantity', type: 'number', typeOptions: { minValue: 1 }, default: 1, required: true },
						{
							displayName: 'Retailer ID',
							name: 'retailerId',
							type: 'string',
							default: '',
							required: true,
							placeholder: 'SKU-1',
							description: 'Your ID of the product (its Content ID / SKU in the catalog, if you use one)',
						},
						{
							displayName: 'Sale Price',
							name: 'salePrice',
							...rupeeField,
							default: 0,
							description: 'Discounted price of one, in rupees (0 for none); must be less than Price. Used for the subtotal.',
						},
					],
				},
			],
		},
		{
			displayName: 'Items (JSON)',
			name: 'interactiveOrderItemsJson',
			type: 'json',
			default: '',
			required: true,
			placeholder: '[{ "retailer_id": "SKU-1", "name": "Bread", "amount": { "value": 14950, "offset": 100 }, "quantity": 1 }]',
			description:
				'An array of items as WhatsApp takes them: {"retailer_id", "name", "amount": {"value": paise, "offset": 100}, "quantity"}, optionally "sale_amount", "country_of_origin", "importer_name", "importer_address". Amounts in paise (₹149.50 = 14950).',
			hint: 'Tip: use an expression such as {{ $json.items }} to map the items from earlier nodes',
			displayOptions: { show: { interactiveOrderItemsMode: ['json'] } },
		},
		{
			displayName: 'Tax',
			name: 'interactiveOrderTax',
			...rupeeField,
			default: 0,
			required: true,
			description: 'Tax on the whole order, in rupees (0 for none)',
		},
		{
			displayName: 'Order Options',
			name: 'interactiveOrderOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Catalog ID',
					name: 'catalogId',
					type: 'string',
					default: '',
					description: 'The catalog the Retailer IDs belong to; WhatsApp then shows the products’ images',
				},
				{ displayName: 'Discount', name: 'discount', ...rupeeField, default: 0, description: 'Discount on the whole order, in rupees' },
				{ displayName: 'Discount Description', name: 'discountDescription', type: 'string', default: '', description: 'Up to 60 characters' },
				{
					displayName: 'Discount Program Name',
					name: 'discountProgramName',
					type: 'string',
					default: '',
					description: 'Name of the offer behind the discount, up to 60 characters',
				},
				{
					displayName: 'Expiration Description',
					name: 'expirationDescription',
					type: 'string',
					default: '',
					description: 'Shown with the expiry, up to 120 characters (needs Expires At)',
				},
				{
					displayName: 'Expires At',
					name: 'expiresAt',
					type: 'dateTime',
					default: '',
					description: 'When the customer can no longer pay; at least 5 minutes after sending',
				},
				{ displayName: 'Shipping', name: 'shipping', ...rupeeField, default: 0, description: 'Shipping cost, in rupees' },
				{ displayName: 'Shipping Description', name: 'shippingDescription', type: 'string', default: '', description: 'Up to 60 characters' },
				{ displayName: 'Tax Description', name: 'taxDescription', type: 'string', default: '', description: 'Up to 60 characters' },
			],
		},
	],
	action: (context) => ({ name: 'review_and_pay', parameters: orderDetailsParameters(context) }),
};
