/**
 * Payments (India): `order_details` and `order_status` interactive messages. Every documented rule
 * broken once is answered with the Graph code (131008 missing, 131009 invalid) and details naming
 * the field; valid bodies, to any recipient country (assumption 29), are accepted.
 */
import type { AxiosInstance } from 'axios';

import { validateSendBody } from '../support/metaSpec';
import { startEmulator, type Emulator } from './index';
import { ORDER_RULES } from './sendRules';
import { apiClient, envelope } from './testUtils';

let emulator: Emulator;
let api: AxiosInstance;

beforeAll(async () => {
	emulator = await startEmulator();
	api = apiClient(emulator);
});

afterAll(() => emulator.close());

beforeEach(() => emulator.reset());

type Json = Record<string, unknown>;
const inr = (value: number, extra: Json = {}) => ({ value, offset: 100, ...extra });

/** A valid order: 2 × 100.00 (sale 90.00) + 1 × 50.00 = 230.00; + tax 10 + shipping 20 − discount 30 = 230.00. */
function orderParameters(): Json {
	return {
		reference_id: 'ORDER-1001.a_1',
		type: 'physical-goods',
		payment_settings: [{ type: 'payment_gateway', payment_gateway: { type: 'razorpay', configuration_name: 'main' } }],
		currency: 'INR',
		total_amount: inr(23000),
		order: {
			status: 'pending',
			items: [
				{ retailer_id: 'SKU-1', name: 'Bread', amount: inr(10000), sale_amount: inr(9000), quantity: 2 },
				{ retailer_id: 'SKU-2', name: 'Butter', amount: inr(5000), quantity: 1 },
			],
			subtotal: inr(23000),
			tax: inr(1000, { description: 'GST' }),
			shipping: inr(2000),
			discount: inr(3000, { discount_program_name: 'Welcome' }),
			expiration: { timestamp: String(Math.floor(Date.now() / 1000) + 3600), description: 'Pay within the hour' },
		},
	};
}

function orderDetails(change: (parameters: Json) => void = () => undefined, parts: Json = {}): Json {
	const parameters = orderParameters();
	change(parameters);
	return envelope('interactive', {
		interactive: { type: 'order_details', body: { text: 'Your order' }, action: { name: 'review_and_pay', parameters }, ...parts },
	});
}

function orderStatus(order: Json, parameters: Json = {}, parts: Json = {}): Json {
	return envelope('interactive', {
		interactive: {
			type: 'order_status',
			body: { text: 'Update on your order' },
			action: { name: 'review_order', parameters: { reference_id: 'ORDER-1001', order, ...parameters } },
			...parts,
		},
	});
}

const orderOf = (p: Json) => p.order as Json;
const itemsOf = (p: Json) => orderOf(p).items as Json[];

describe('order_details and order_status: valid bodies', () => {
	const valid: Array<[string, Json]> = [
		['order details with every part', orderDetails(undefined, { footer: { text: 'Thanks' }, header: { type: 'image', image: { link: 'https://example.com/a.jpg' } } })],
		['order details with an image header by media id', orderDetails(undefined, { header: { type: 'image', image: { id: '1037543291543636' } } })],
		[
			'order details by UPI intent (payment_type "upi")',
			orderDetails((p) => {
				delete p.payment_settings;
				Object.assign(p, { payment_type: 'upi', payment_configuration: 'upi-main' });
			}),
		],
		['order details by payment link', orderDetails((p) => (p.payment_settings = [{ type: 'payment_link', payment_link: { uri: 'https://rzp.io/i/abc' } }]))],
		['order details to a German number (no payments-country check, assumption 29)', { ...orderDetails(), to: '4915112345678' }],
		['order status with a description', orderStatus({ status: 'canceled', description: 'Out of stock' })],
		...['pending', 'processing', 'partially-shipped', 'shipped', 'completed'].map((status): [string, Json] => [`order status ${status}`, orderStatus({ status })]),
	];

	it.each(valid)('%s is accepted and valid against the spec', async (_name, body) => {
		expect(validateSendBody(body).errors).toEqual([]);
		const response = await api.post('/messages', body);
		expect(response.status).toBe(200);
		expect(emulator.messages()).toHaveLength(1);
	});
});

describe('order_details and order_status: each broken rule', () => {
	const cases: Array<{ name: string; body: Json; code: number; details: string }> = [
		{
			name: 'reference_id longer than 35',
			body: orderDetails((p) => (p.reference_id = 'R'.repeat(ORDER_RULES.referenceId + 1))),
			code: 131009,
			details: 'interactive.action.parameters.reference_id has 36 characters; max 35',
		},
		{
			name: 'reference_id with a space',
			body: orderDetails((p) => (p.reference_id = 'ORDER 1')),
			code: 131009,
			details: 'reference_id "ORDER 1" may contain only English letters, digits, underscores, dashes and dots',
		},
		{ name: 'missing parameters', body: envelope('interactive', { interactive: { type: 'order_details', body: { text: 'x' }, action: { name: 'review_and_pay' } } }), code: 131008, details: 'interactive.action.parameters is required' },
		{ name: 'wrong action name', body: orderDetails(undefined, { action: { name: 'pay', parameters: orderParameters() } }), code: 131009, details: 'interactive.action.name is "pay"; must be "review_and_pay"' },
		{ name: 'unknown goods type', body: orderDetails((p) => (p.type = 'services')), code: 131009, details: 'interactive.action.parameters.type is "services"' },
		{ name: 'currency other than INR', body: orderDetails((p) => (p.currency = 'EUR')), code: 131009, details: 'currency is "EUR"; only "INR" is supported' },
		{ name: 'no payment settings', body: orderDetails((p) => delete p.payment_settings), code: 131008, details: 'payment_settings (or payment_type "upi" with payment_configuration) is required' },
		{
			name: 'unknown payment gateway',
			body: orderDetails((p) => (p.payment_settings = [{ type: 'payment_gateway', payment_gateway: { type: 'stripe', configuration_name: 'x' } }])),
			code: 131009,
			details: 'payment_settings[0].payment_gateway.type is "stripe"',
		},
		{
			name: 'payment link over http',
			body: orderDetails((p) => (p.payment_settings = [{ type: 'payment_link', payment_link: { uri: 'http://rzp.io/i/abc' } }])),
			code: 131009,
			details: 'payment_settings[0].payment_link.uri must be an https:// link',
		},
		{ name: 'order status other than pending', body: orderDetails((p) => (orderOf(p).status = 'processing')), code: 131009, details: 'takes "pending" only' },
		{ name: 'no items', body: orderDetails((p) => (orderOf(p).items = [])), code: 131009, details: 'interactive.action.parameters.order.items has 0 items; min 1' },
		{ name: 'item name longer than 60', body: orderDetails((p) => (itemsOf(p)[1].name = 'n'.repeat(61))), code: 131009, details: 'order.items[1].name has 61 characters; max 60' },
		{ name: 'sale amount not below amount', body: orderDetails((p) => (itemsOf(p)[0].sale_amount = inr(10000))), code: 131009, details: 'order.items[0].sale_amount.value 10000 must be less than amount.value 10000' },
		{ name: 'fractional quantity', body: orderDetails((p) => (itemsOf(p)[1].quantity = 1.5)), code: 131009, details: 'order.items[1].quantity is 1.5; expected a positive integer' },
		{ name: 'offset other than 100', body: orderDetails((p) => (itemsOf(p)[1].amount = { value: 50, offset: 1 })), code: 131009, details: 'order.items[1].amount.offset is 1; must be 100 for INR' },
		{ name: 'subtotal that is not the sum of the items', body: orderDetails((p) => (orderOf(p).subtotal = inr(25000))), code: 131009, details: 'subtotal.value is 25000; the items (sale_amount or amount × quantity) add up to 23000' },
		{ name: 'total that does not add up', body: orderDetails((p) => (p.total_amount = inr(26000))), code: 131009, details: 'total_amount.value is 26000; subtotal + tax + shipping - discount is 23000' },
		{ name: 'missing tax', body: orderDetails((p) => delete orderOf(p).tax), code: 131008, details: 'interactive.action.parameters.order.tax is required' },
		{ name: 'tax description longer than 60', body: orderDetails((p) => (orderOf(p).tax = inr(1000, { description: 'd'.repeat(61) }))), code: 131009, details: 'order.tax.description has 61 characters; max 60' },
		{
			name: 'expiration sooner than 300 seconds',
			body: orderDetails((p) => (orderOf(p).expiration = { timestamp: String(Math.floor(Date.now() / 1000) + 60) })),
			code: 131009,
			details: 'order.expiration.timestamp must be at least 300 seconds in the future',
		},
		{
			name: 'configuration_name longer than 60',
			body: orderDetails((p) => (p.payment_settings = [{ type: 'payment_gateway', payment_gateway: { type: 'razorpay', configuration_name: 'c'.repeat(61) } }])),
			code: 131009,
			details: 'payment_gateway.configuration_name has 61 characters; max 60',
		},
		{
			name: 'UPI payment_configuration longer than 60',
			body: orderDetails((p) => {
				delete p.payment_settings;
				Object.assign(p, { payment_type: 'upi', payment_configuration: 'c'.repeat(61) });
			}),
			code: 131009,
			details: 'payment_configuration has 61 characters; max 60',
		},
		{ name: 'a text header', body: orderDetails(undefined, { header: { type: 'text', text: 'Bill' } }), code: 131009, details: 'order_details messages only take an "image" header' },
		{
			name: 'a video header',
			body: orderDetails(undefined, { header: { type: 'video', video: { link: 'https://example.com/a.mp4' } } }),
			code: 131009,
			details: 'interactive.header.type is "video"; order_details messages only take an "image" header',
		},
		{
			name: 'a document header',
			body: orderDetails(undefined, { header: { type: 'document', document: { id: '1' } } }),
			code: 131009,
			details: 'interactive.header.type is "document"; order_details messages only take an "image" header',
		},
		{ name: 'an image header without the image', body: orderDetails(undefined, { header: { type: 'image' } }), code: 131008, details: 'interactive.header.image is required' },
		{ name: 'order status: unknown status', body: orderStatus({ status: 'delivered' }), code: 131009, details: 'order.status is "delivered"; expected one of pending, processing' },
		{ name: 'order status: description longer than 120', body: orderStatus({ status: 'shipped', description: 'd'.repeat(121) }), code: 131009, details: 'order.description has 121 characters; max 120' },
		{ name: 'order status: missing reference_id', body: orderStatus({ status: 'shipped' }, { reference_id: undefined }), code: 131008, details: 'interactive.action.parameters.reference_id is required' },
		{ name: 'order status: a header', body: orderStatus({ status: 'shipped' }, {}, { header: { type: 'text', text: 'x' } }), code: 131009, details: 'interactive.header is not allowed for order_status messages' },
	];

	it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, { body, code, details }) => {
		const response = await api.post('/messages', JSON.parse(JSON.stringify(body)));
		expect(response.status).toBe(400);
		expect(response.data.error.code).toBe(code);
		expect(response.data.error.error_data.details).toContain(details);
		expect(emulator.messages()).toHaveLength(0);
	});
});
