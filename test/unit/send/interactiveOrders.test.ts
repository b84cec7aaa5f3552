/**
 * Order Details and Order Status (WhatsApp payments, India:
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-in/pg):
 * exact bodies from the form and from JSON, the amount arithmetic, every documented limit broken
 * once with the field and the message the user sees, and every body checked against Meta's spec
 * and the emulator's rules.
 */
import type { IDataObject } from 'n8n-workflow';

import { interactiveMessage } from '../../../nodes/Dialog360/messageTypes/interactive';
import { ORDER_LIMITS, PAYMENTS_NOTICE } from '../../../nodes/Dialog360/messageTypes/interactive/orderDetails';
import { checkSendRules } from '../../emulator/sendRules';
import { envelope } from '../../support/bodies';
import { validateSendBody } from '../../support/metaSpec';
import { build, fieldError } from './stubBuildContext';

type Params = Record<string, unknown>;

const inr = (value: number, extra: IDataObject = {}): IDataObject => ({ value, offset: 100, ...extra });
const inOneHour = (): number => Math.floor(Date.now() / 1000) + 3600;

/** A minimal valid order details form: one item of ₹100 × 1, no tax. */
const baseOrder: Params = {
	interactiveType: 'order_details',
	interactiveBodyText: 'Your order',
	interactiveOrderReferenceId: 'ORDER-1',
	interactiveOrderPaymentMethod: 'payment_gateway',
	interactiveOrderPaymentGateway: 'razorpay',
	interactiveOrderPaymentConfiguration: 'main',
	interactiveOrderItems: { item: [{ name: 'Bread', price: 100, quantity: 1, retailerId: 'SKU-1', salePrice: 0 }] },
	interactiveOrderTax: 0,
};

const order = (changes: Params): Params => ({ ...baseOrder, ...changes });
const item = (changes: Params) => ({ name: 'Bread', price: 100, quantity: 1, retailerId: 'SKU-1', salePrice: 0, ...changes });
const items = (...entries: Params[]): Params => ({ interactiveOrderItems: { item: entries } });

async function body(params: Params): Promise<IDataObject> {
	return (await build(interactiveMessage, params)).body;
}

async function parametersOf(params: Params): Promise<IDataObject> {
	const interactive = (await body(params)).interactive as IDataObject;
	return (interactive.action as IDataObject).parameters as IDataObject;
}

// ---------------------------------------------------------------------------------------------

interface BodyCase {
	name: string;
	params: Params;
	expected: IDataObject;
}

const expiry = inOneHour();

const BODY_CASES: BodyCase[] = [
	{
		name: 'everything from the form: UPI intent, a sale price, tax, shipping, discount, catalog, expiry, footer',
		params: {
			...baseOrder,
			interactiveFooterText: 'Thank you',
			interactiveOrderReferenceId: ' INV_2026.12-7 ',
			interactiveOrderGoodsType: 'digital-goods',
			interactiveOrderPaymentMethod: 'upi',
			interactiveOrderPaymentConfiguration: 'upi-main',
			...items(item({ name: 'Course', price: '1499.50', salePrice: 999, quantity: 2, retailerId: 'C-1' }), item({ name: 'Book', price: 250, retailerId: 'B-1' })),
			interactiveOrderTax: 180.25,
			interactiveOrderOptions: {
				catalogId: '1942',
				taxDescription: 'GST 18%',
				shipping: 40,
				shippingDescription: 'Courier',
				discount: 100.5,
				discountDescription: 'Loyalty',
				discountProgramName: 'Welcome offer',
				expiresAt: new Date(expiry * 1000).toISOString(),
				expirationDescription: 'Pay within the hour',
			},
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'order_details',
				body: { text: 'Your order' },
				footer: { text: 'Thank you' },
				action: {
					name: 'review_and_pay',
					parameters: {
						reference_id: 'INV_2026.12-7',
						type: 'digital-goods',
						payment_type: 'upi',
						payment_configuration: 'upi-main',
						currency: 'INR',
						// 2 × 999.00 + 250.00 = 2248.00; + 180.25 + 40.00 − 100.50 = 2367.75
						total_amount: inr(236775),
						order: {
							status: 'pending',
							catalog_id: '1942',
							items: [
								{ retailer_id: 'C-1', name: 'Course', amount: inr(149950), sale_amount: inr(99900), quantity: 2 },
								{ retailer_id: 'B-1', name: 'Book', amount: inr(25000), quantity: 1 },
							],
							subtotal: inr(224800),
							tax: inr(18025, { description: 'GST 18%' }),
							shipping: inr(4000, { description: 'Courier' }),
							discount: inr(10050, { description: 'Loyalty', discount_program_name: 'Welcome offer' }),
							expiration: { timestamp: String(expiry), description: 'Pay within the hour' },
						},
					},
				},
			},
		},
	},
	{
		name: 'payment link; items from JSON as an expression returns them ({items: [...]}), importer details passed on',
		params: {
			...baseOrder,
			interactiveOrderPaymentMethod: 'payment_link',
			interactiveOrderPaymentLink: 'https://rzp.io/i/abc',
			interactiveOrderItemsMode: 'json',
			interactiveOrderItemsJson: {
				items: [
					{
						retailer_id: 'SKU-9',
						name: 'Tea',
						amount: { value: 30000, offset: 100 },
						sale_amount: { value: 25000, offset: 100 },
						quantity: 3,
						country_of_origin: 'India',
						importer_name: 'Tea Co',
						importer_address: { address_line1: 'MG Road 1', city: 'Bengaluru', zone_code: 'KA', postal_code: '560001', country_code: 'IN' },
					},
				],
			},
			interactiveOrderTax: 0,
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'order_details',
				body: { text: 'Your order' },
				action: {
					name: 'review_and_pay',
					parameters: {
						reference_id: 'ORDER-1',
						type: 'physical-goods',
						payment_settings: [{ type: 'payment_link', payment_link: { uri: 'https://rzp.io/i/abc' } }],
						currency: 'INR',
						total_amount: inr(75000),
						order: {
							status: 'pending',
							items: [
								{
									retailer_id: 'SKU-9',
									name: 'Tea',
									amount: inr(30000),
									sale_amount: inr(25000),
									quantity: 3,
									country_of_origin: 'India',
									importer_name: 'Tea Co',
									importer_address: { address_line1: 'MG Road 1', city: 'Bengaluru', zone_code: 'KA', postal_code: '560001', country_code: 'IN' },
								},
							],
							subtotal: inr(75000),
							tax: inr(0),
						},
					},
				},
			},
		},
	},
	{
		name: 'order status: the reference and the status, without a description',
		params: { interactiveType: 'order_status', interactiveBodyText: 'Update', interactiveOrderReferenceId: 'ORDER-1', interactiveOrderStatus: 'completed' },
		expected: {
			type: 'interactive',
			interactive: {
				type: 'order_status',
				body: { text: 'Update' },
				action: { name: 'review_order', parameters: { reference_id: 'ORDER-1', order: { status: 'completed' } } },
			},
		},
	},
	{
		name: 'order status: canceled with a description at the limit',
		params: {
			interactiveType: 'order_status',
			interactiveBodyText: 'Sorry',
			interactiveOrderReferenceId: 'R'.repeat(35),
			interactiveOrderStatus: 'canceled',
			interactiveOrderStatusDescription: 'd'.repeat(120),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'order_status',
				body: { text: 'Sorry' },
				action: { name: 'review_order', parameters: { reference_id: 'R'.repeat(35), order: { status: 'canceled', description: 'd'.repeat(120) } } },
			},
		},
	},
];

describe('order details and order status: exact bodies', () => {
	it.each(BODY_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		expect(await body(c.params)).toEqual(c.expected);
	});

	it.each(BODY_CASES.map((c) => [c.name, c] as const))('valid against Meta’s spec and the emulator rules: %s', async (_name, c) => {
		const full = envelope(await body(c.params));
		expect(validateSendBody(full).errors).toEqual([]);
		expect(checkSendRules(full)).toEqual([]);
	});

	it('reads items given as a JSON string too', async () => {
		const parameters = await parametersOf(
			order({ interactiveOrderItemsMode: 'json', interactiveOrderItemsJson: '[{"retailer_id":"A","name":"A","amount":{"value":500,"offset":100},"quantity":2}]' }),
		);
		expect(parameters.total_amount).toEqual(inr(1000));
	});

	it('takes a payment configuration name of 60 characters, by gateway and by UPI intent', async () => {
		const name = 'c'.repeat(60);
		const gateway = await body(order({ interactiveOrderPaymentConfiguration: name }));
		const upi = await body(order({ interactiveOrderPaymentMethod: 'upi', interactiveOrderPaymentConfiguration: name }));
		for (const built of [gateway, upi]) {
			expect(JSON.stringify(built)).toContain(`"${name}"`);
			expect(checkSendRules(envelope(built))).toEqual([]);
		}
	});

	it('sends every gateway by its name', async () => {
		for (const gateway of ['billdesk', 'payu', 'razorpay', 'zaakpay']) {
			const parameters = await parametersOf(order({ interactiveOrderPaymentGateway: gateway }));
			expect(parameters.payment_settings).toEqual([{ type: 'payment_gateway', payment_gateway: { type: gateway, configuration_name: 'main' } }]);
		}
	});

	it('sends every status of the form', async () => {
		for (const status of ['pending', 'processing', 'partially-shipped', 'shipped', 'completed', 'canceled']) {
			const full = envelope(await body({ interactiveType: 'order_status', interactiveBodyText: 'x', interactiveOrderReferenceId: 'R', interactiveOrderStatus: status }));
			expect(checkSendRules(full)).toEqual([]);
			expect(validateSendBody(full).errors).toEqual([]);
		}
	});

	it('takes Unix seconds and Date values for Expires At', async () => {
		const seconds = inOneHour();
		for (const expiresAt of [seconds, String(seconds), new Date(seconds * 1000)]) {
			const parameters = await parametersOf(order({ interactiveOrderOptions: { expiresAt } }));
			expect((parameters.order as IDataObject).expiration).toEqual({ timestamp: String(seconds) });
		}
	});
});

// ---------------------------------------------------------------------------------------------

interface ErrorCase {
	name: string;
	params: Params;
	field: string;
	message: string;
}

const json = (entries: unknown): Params => order({ interactiveOrderItemsMode: 'json', interactiveOrderItemsJson: entries });
const jsonItem = (changes: Params = {}) => ({ retailer_id: 'A', name: 'A', amount: { value: 500, offset: 100 }, quantity: 1, ...changes });

const ERROR_CASES: ErrorCase[] = [
	{ name: 'no reference ID', params: order({ interactiveOrderReferenceId: ' ' }), field: 'Reference ID', message: 'Reference ID is required' },
	{ name: 'reference ID of 36', params: order({ interactiveOrderReferenceId: 'R'.repeat(36) }), field: 'Reference ID', message: 'Reference ID has 36 characters; WhatsApp allows 35' },
	{
		name: 'reference ID with other characters',
		params: order({ interactiveOrderReferenceId: 'ORDER#1' }),
		field: 'Reference ID',
		message: 'Reference ID "ORDER#1" may only contain English letters, digits, underscores, dashes and dots',
	},
	{ name: 'unknown goods type', params: order({ interactiveOrderGoodsType: 'services' }), field: 'Goods Type', message: 'Goods Type "services" is not supported; use digital-goods or physical-goods' },
	{ name: 'no payment configuration', params: order({ interactiveOrderPaymentConfiguration: '' }), field: 'Payment Configuration', message: 'Payment Configuration is required' },
	{
		name: 'unknown gateway',
		params: order({ interactiveOrderPaymentGateway: 'stripe' }),
		field: 'Payment Gateway',
		message: 'Payment Gateway "stripe" is not supported; use one of billdesk, payu, razorpay, zaakpay',
	},
	{
		name: 'payment link over http',
		params: order({ interactiveOrderPaymentMethod: 'payment_link', interactiveOrderPaymentLink: 'http://rzp.io/i/abc' }),
		field: 'Payment Link',
		message: 'Payment Link must start with https://; got "http://rzp.io/i/abc"',
	},
	{ name: 'currency other than INR', params: order({ interactiveOrderCurrency: 'USD' }), field: 'Currency', message: 'Currency "USD" is not supported; WhatsApp payments take INR only' },
	{ name: 'no items', params: order({ interactiveOrderItems: {} }), field: 'Items', message: 'Order Details needs at least 1 item' },
	{ name: 'item without a name', params: order(items(item({}), item({ name: '' }))), field: 'Item 2 Name', message: 'Item 2 Name is required' },
	{ name: 'item name of 61', params: order(items(item({ name: 'n'.repeat(61) }))), field: 'Item 1 Name', message: 'Item 1 Name has 61 characters; WhatsApp allows 60' },
	{ name: 'price 0', params: order(items(item({ price: 0 }))), field: 'Item 1 Price', message: 'Item 1 Price must be more than 0; got 0' },
	{ name: 'price with 3 decimals', params: order(items(item({ price: 10.005 }))), field: 'Item 1 Price', message: 'Item 1 Price 10.005 has more than 2 decimals; give rupees and paise such as 499.50' },
	{ name: 'price that is not a number', params: order(items(item({ price: 'ten' }))), field: 'Item 1 Price', message: 'Item 1 Price must be an amount in rupees such as 499 or 499.50; got "ten"' },
	{ name: 'quantity 0', params: order(items(item({ quantity: 0 }))), field: 'Item 1 Quantity', message: 'Item 1 Quantity must be a whole number of 1 or more; got 0' },
	{ name: 'fractional quantity', params: order(items(item({ quantity: '1.5' }))), field: 'Item 1 Quantity', message: 'Item 1 Quantity must be a whole number of 1 or more; got "1.5"' },
	{ name: 'no retailer ID', params: order(items(item({ retailerId: '' }))), field: 'Item 1 Retailer ID', message: 'Item 1 Retailer ID is required' },
	{
		name: 'sale price not below the price',
		params: order(items(item({}), item({ price: 50, salePrice: 50 }))),
		field: 'Item 2 Sale Price',
		message: 'Item 2 Sale Price (INR 50.00) must be less than its Price (INR 50.00)',
	},
	{ name: 'negative tax', params: order({ interactiveOrderTax: -1 }), field: 'Tax', message: 'Tax must be 0 or more; got -1' },
	{
		name: 'discount that leaves nothing to pay',
		params: order({ interactiveOrderOptions: { discount: 100 } }),
		field: 'Discount',
		message: 'Discount (INR 100.00) leaves nothing to pay: the order comes to INR 100.00 before the discount',
	},
	{
		name: 'gateway configuration name of 61',
		params: order({ interactiveOrderPaymentConfiguration: 'c'.repeat(61) }),
		field: 'Payment Configuration',
		message: 'Payment Configuration has 61 characters; WhatsApp allows 60',
	},
	{
		name: 'UPI payment configuration of 61',
		params: order({ interactiveOrderPaymentMethod: 'upi', interactiveOrderPaymentConfiguration: 'c'.repeat(61) }),
		field: 'Payment Configuration',
		message: 'Payment Configuration has 61 characters; WhatsApp allows 60',
	},
	{ name: 'tax description of 61', params: order({ interactiveOrderOptions: { taxDescription: 'd'.repeat(61) } }), field: 'Tax Description', message: 'Tax Description has 61 characters; WhatsApp allows 60' },
	{
		name: 'discount program name of 61',
		params: order({ interactiveOrderOptions: { discount: 1, discountProgramName: 'd'.repeat(61) } }),
		field: 'Discount Program Name',
		message: 'Discount Program Name has 61 characters; WhatsApp allows 60',
	},
	{
		name: 'expiry in 2 minutes',
		params: order({ interactiveOrderOptions: { expiresAt: Math.floor(Date.now() / 1000) + 120 } }),
		field: 'Expires At',
		message: 'must be at least 5 minutes from now; WhatsApp refuses an order that expires sooner',
	},
	{
		name: 'expiry that is not a date',
		params: order({ interactiveOrderOptions: { expiresAt: 'tomorrow' } }),
		field: 'Expires At',
		message: 'Expires At must be a date and time such as 2026-12-31T18:00:00 or Unix seconds; got "tomorrow"',
	},
	{
		name: 'expiration description without a time',
		params: order({ interactiveOrderOptions: { expirationDescription: 'Soon' } }),
		field: 'Expiration Description',
		message: 'Expiration Description needs Expires At',
	},
	{
		name: 'expiration description of 121',
		params: order({ interactiveOrderOptions: { expiresAt: inOneHour(), expirationDescription: 'd'.repeat(121) } }),
		field: 'Expiration Description',
		message: 'Expiration Description has 121 characters; WhatsApp allows 120',
	},
	// JSON items
	{ name: 'JSON that is not a list', params: json({ item: 1 }), field: 'Items (JSON)', message: 'Items (JSON) must be an array of items, not an object' },
	{ name: 'JSON item with an unknown field', params: json([jsonItem({ price: 5 })]), field: 'Items (JSON)', message: 'Item 1 has an unknown field "price"; use "retailer_id", "name", "amount", "sale_amount", "quantity", "country_of_origin", "importer_name", "importer_address"' },
	{ name: 'JSON item without amount', params: json([jsonItem({ amount: undefined })]), field: 'Items (JSON)', message: 'Item 1 needs "amount": {"value": <paise>, "offset": 100}' },
	{
		name: 'JSON amount with another offset',
		params: json([jsonItem({ amount: { value: 5, offset: 1 } })]),
		field: 'Items (JSON)',
		message: 'Item 1 "amount" "offset" must be 100 (INR amounts are given in paise); got 1',
	},
	{
		name: 'JSON amount in rupees with decimals',
		params: json([jsonItem({ amount: { value: 5.5, offset: 100 } })]),
		field: 'Items (JSON)',
		message: 'Item 1 "amount" "value" must be a whole number of paise above 0; got 5.5',
	},
	{
		name: 'JSON sale amount above the amount',
		params: json([jsonItem(), jsonItem({ sale_amount: { value: 600, offset: 100 } })]),
		field: 'Item 2 Sale Price',
		message: 'Item 2 Sale Price (INR 6.00) must be less than its Price (INR 5.00)',
	},
	// Order status
	{
		name: 'order status: unknown status',
		params: { interactiveType: 'order_status', interactiveBodyText: 'x', interactiveOrderReferenceId: 'R', interactiveOrderStatus: 'delivered' },
		field: 'Order Status',
		message: 'Order Status "delivered" is not supported; use one of pending, processing, partially-shipped, shipped, completed, canceled',
	},
	{
		name: 'order status: description of 121',
		params: { interactiveType: 'order_status', interactiveBodyText: 'x', interactiveOrderReferenceId: 'R', interactiveOrderStatusDescription: 'd'.repeat(121) },
		field: 'Status Description',
		message: 'Status Description has 121 characters; WhatsApp allows 120',
	},
	{
		name: 'order status: bad reference ID',
		params: { interactiveType: 'order_status', interactiveBodyText: 'x', interactiveOrderReferenceId: 'ORDER 1' },
		field: 'Reference ID',
		message: 'Reference ID "ORDER 1" may only contain English letters, digits, underscores, dashes and dots',
	},
	{ name: 'order status: no body', params: { interactiveType: 'order_status', interactiveOrderReferenceId: 'R' }, field: 'Body Text', message: 'Body Text is required' },
];

describe('order details and order status: each broken rule names the field', () => {
	it.each(ERROR_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		const error = await fieldError(() => build(interactiveMessage, c.params));
		expect(error.field).toBe(c.field);
		if (c.name.startsWith('expiry in')) expect(error.message).toContain(c.message);
		else expect(error.message).toBe(c.message);
	});
});

describe('order details and order status: the form', () => {
	const properties = interactiveMessage.properties;

	it('tells where WhatsApp payments work, in both variants', () => {
		const notices = properties.filter((p) => p.type === 'notice' && p.displayName === PAYMENTS_NOTICE);
		expect(notices.map((p) => p.displayOptions?.show?.interactiveType)).toEqual([['order_details'], ['order_status']]);
		expect(PAYMENTS_NOTICE).toContain('India');
		const typeOption = properties.find((p) => p.name === 'interactiveType');
		for (const value of ['order_details', 'order_status']) {
			const option = (typeOption?.options as Array<{ value: string; description: string }>).find((o) => o.value === value);
			expect(option?.description).toContain('Only where WhatsApp payments are offered: India');
		}
	});

	it('states the documented limits', () => {
		expect(ORDER_LIMITS).toEqual({
			referenceId: 35,
			itemName: 60,
			configurationName: 60,
			amountDescription: 60,
			expirationDescription: 120,
			statusDescription: 120,
			minExpirySeconds: 300,
		});
	});
});

// ---------------------------------------------------------------------------------------------
// The optional image header of order details (Meta's OpenAPI example "Send Order Details Message"
// sends one; without it WhatsApp shows the first product's image)
// ---------------------------------------------------------------------------------------------

describe('order details: the optional image header', () => {
	const withImage = (changes: Params): Params => order({ interactiveHeaderType: 'image', ...changes });
	const png = { mimeType: 'image/png', fileName: 'bill.png', sizeBytes: 2048 };

	it('sends no header unless one is chosen', async () => {
		expect((await body(baseOrder)).interactive).not.toHaveProperty('header');
		expect((await body(order({ interactiveHeaderType: 'none' }))).interactive).not.toHaveProperty('header');
	});

	it.each([
		['a link', { interactiveHeaderMediaSource: 'link', interactiveHeaderMediaLink: ' https://example.com/bill.jpg ' }, { link: 'https://example.com/bill.jpg' }],
		['a media ID', { interactiveHeaderMediaSource: 'id', interactiveHeaderMediaId: ' 1037543291543636 ' }, { id: '1037543291543636' }],
	])('sends an image header from %s, valid against Meta’s spec and the emulator rules', async (_name, params, image) => {
		const built = await build(interactiveMessage, withImage(params));
		expect((built.body.interactive as IDataObject).header).toEqual({ type: 'image', image });
		expect(built.uploads).toBeUndefined();
		const full = envelope(built.body);
		expect(validateSendBody(full).errors).toEqual([]);
		expect(checkSendRules(full)).toEqual([]);
	});

	it('uploads an image from a binary field and leaves its id to the send phase', async () => {
		const built = await build(interactiveMessage, withImage({ interactiveHeaderMediaSource: 'binary', interactiveHeaderMediaBinary: ' photo ' }), { photo: png });
		expect((built.body.interactive as IDataObject).header).toEqual({ type: 'image', image: {} });
		expect(built.uploads).toEqual([{ binaryPropertyName: 'photo', kind: 'image', mimeType: 'image/png', fileName: 'bill.png', path: ['interactive', 'header', 'image'] }]);
		// As sent, with the id of the upload filled in.
		const sent = envelope({ ...built.body, interactive: { ...(built.body.interactive as IDataObject), header: { type: 'image', image: { id: '555' } } } });
		expect(validateSendBody(sent).errors).toEqual([]);
		expect(checkSendRules(sent)).toEqual([]);
	});

	it.each([
		['a text header', order({ interactiveHeaderType: 'text', interactiveHeaderText: 'Bill' }), undefined, 'Header', 'Header "text" is not possible for this type; use None or Image'],
		['a video header', order({ interactiveHeaderType: 'video' }), undefined, 'Header', 'Header "video" is not possible for this type; use None or Image'],
		['an http link', withImage({ interactiveHeaderMediaLink: 'http://example.com/a.jpg' }), undefined, 'Header Media URL', 'Header Media URL must start with https://; got "http://example.com/a.jpg"'],
		['no link', withImage({}), undefined, 'Header Media URL', 'Header Media URL is required'],
		['a media ID with spaces', withImage({ interactiveHeaderMediaSource: 'id', interactiveHeaderMediaId: '12 34' }), undefined, 'Header Media ID', 'Header Media ID "12 34" is not a media ID: it contains spaces'],
		['an empty binary field name', withImage({ interactiveHeaderMediaSource: 'binary', interactiveHeaderMediaBinary: ' ' }), { data: png }, 'Header Input Binary Field', 'Header Input Binary Field is required'],
		[
			'a missing binary field',
			withImage({ interactiveHeaderMediaSource: 'binary', interactiveHeaderMediaBinary: 'photo' }),
			{},
			'Header Input Binary Field',
			'Header Input Binary Field: the input item has no binary property "photo"',
		],
		[
			'a PDF as the image',
			withImage({ interactiveHeaderMediaSource: 'binary' }),
			{ data: { mimeType: 'application/pdf', fileName: 'bill.pdf', sizeBytes: 2048 } },
			'Header Input Binary Field',
			'Header Input Binary Field: image does not support MIME type "application/pdf"; WhatsApp accepts image/jpeg, image/png',
		],
		[
			'an image over 5 MB',
			withImage({ interactiveHeaderMediaSource: 'binary' }),
			{ data: { ...png, sizeBytes: 5 * 1024 * 1024 + 1 } },
			'Header Input Binary Field',
			'Header Input Binary Field: the image is 5.1 MB; WhatsApp allows 5 MB',
		],
	])('refuses %s, naming the field', async (_name, params, binaries, field, message) => {
		const error = await fieldError(() => build(interactiveMessage, params, binaries));
		expect({ field: error.field, message: error.message }).toEqual({ field, message });
	});

	it('offers None and Image only, and no header for order status', () => {
		const headerFor = (type: string) =>
			interactiveMessage.properties.filter((p) => p.name === 'interactiveHeaderType' && (p.displayOptions?.show?.interactiveType as string[]).includes(type));
		const [orderHeader, ...others] = headerFor('order_details');
		expect(others).toEqual([]);
		expect(orderHeader.default).toBe('none');
		expect((orderHeader.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['image', 'none']);
		expect(headerFor('order_status')).toEqual([]);
	});
});
