/**
 * Interactive messages through the real Send node inside n8n-core, against the local emulator:
 * every variant is accepted and the emulator records exactly the body we expect (envelope added
 * by the router + the module's body). Parameters are given the way the n8n editor stores them,
 * including expressions that map sections and button titles from the input item.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Dialog360 } from '../../nodes/Dialog360/Dialog360.node';
import { envelope, TO, TO_WA_ID } from '../support/bodies';
import { validateSendBody } from '../support/metaSpec';
import { runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

beforeEach(() => {
	emulator.openConversation(TO_WA_ID);
});

/** An interactive message to `TO`. */
async function send(parameters: INodeParameters, input?: INodeExecutionData[]) {
	return await runSendNode(emulator, { messageType: 'interactive', to: TO, ...parameters }, input);
}

interface NodeCase {
	name: string;
	parameters: INodeParameters;
	input?: INodeExecutionData[];
	interactive: IDataObject;
}

const CASES: NodeCase[] = [
	{
		name: 'reply buttons with an image header; titles mapped from the item; an empty ID becomes the title',
		parameters: {
			interactiveType: 'button',
			interactiveHeaderType: 'image',
			interactiveHeaderMediaSource: 'link',
			interactiveHeaderMediaLink: 'https://example.com/offer.jpg',
			interactiveBodyText: '=Hi {{ $json.name }}, still interested?',
			interactiveFooterText: 'Reply any time',
			interactiveButtons: {
				button: [
					{ title: '={{ $json.yes }}', id: 'yes' },
					{ title: 'No thanks', id: '' },
				],
			},
		},
		input: [{ json: { name: 'Ana', yes: 'Yes please' } }],
		interactive: {
			type: 'button',
			header: { type: 'image', image: { link: 'https://example.com/offer.jpg' } },
			body: { text: 'Hi Ana, still interested?' },
			footer: { text: 'Reply any time' },
			action: {
				buttons: [
					{ type: 'reply', reply: { id: 'yes', title: 'Yes please' } },
					{ type: 'reply', reply: { id: 'No thanks', title: 'No thanks' } },
				],
			},
		},
	},
	{
		name: 'reply buttons with a text header',
		parameters: {
			interactiveType: 'button',
			interactiveHeaderType: 'text',
			interactiveHeaderText: 'Order 1001',
			interactiveBodyText: 'Did it arrive?',
			interactiveButtons: { button: [{ title: 'Yes', id: 'y' }, { title: 'No', id: 'n' }, { title: 'Partly', id: 'p' }] },
		},
		interactive: {
			type: 'button',
			header: { type: 'text', text: 'Order 1001' },
			body: { text: 'Did it arrive?' },
			action: {
				buttons: [
					{ type: 'reply', reply: { id: 'y', title: 'Yes' } },
					{ type: 'reply', reply: { id: 'n', title: 'No' } },
					{ type: 'reply', reply: { id: 'p', title: 'Partly' } },
				],
			},
		},
	},
	{
		name: 'list from the form: nested sections → rows',
		parameters: {
			interactiveType: 'list',
			interactiveHeaderText: 'Our menu',
			interactiveBodyText: 'What would you like?',
			interactiveFooterText: 'Prices incl. VAT',
			interactiveListButtonText: 'See options',
			interactiveListSectionsMode: 'fields',
			interactiveListSections: {
				section: [
					{
						title: 'Pizzas',
						rows: {
							row: [
								{ title: 'Margherita', id: 'p1', description: 'Tomato, mozzarella' },
								{ title: 'Funghi', id: 'p2', description: '' },
							],
						},
					},
					{ title: 'Drinks', rows: { row: [{ title: 'Water', id: '', description: '' }] } },
				],
			},
		},
		interactive: {
			type: 'list',
			header: { type: 'text', text: 'Our menu' },
			body: { text: 'What would you like?' },
			footer: { text: 'Prices incl. VAT' },
			action: {
				button: 'See options',
				sections: [
					{
						title: 'Pizzas',
						rows: [
							{ id: 'p1', title: 'Margherita', description: 'Tomato, mozzarella' },
							{ id: 'p2', title: 'Funghi' },
						],
					},
					{ title: 'Drinks', rows: [{ id: 'Water', title: 'Water' }] },
				],
			},
		},
	},
	{
		name: 'list from JSON mapped with an expression',
		parameters: {
			interactiveType: 'list',
			interactiveBodyText: 'Choose a slot',
			interactiveListButtonText: 'Slots',
			interactiveListSectionsMode: 'json',
			interactiveListSectionsJson: '={{ $json.sections }}',
		},
		input: [
			{
				json: {
					sections: [
						{ title: 'Monday', rows: [{ id: 'mon-9', title: '09:00', description: 'Dr. Roe' }] },
						{ title: 'Tuesday', rows: [{ id: 'tue-9', title: '09:00' }] },
					],
				},
			},
		],
		interactive: {
			type: 'list',
			body: { text: 'Choose a slot' },
			action: {
				button: 'Slots',
				sections: [
					{ title: 'Monday', rows: [{ id: 'mon-9', title: '09:00', description: 'Dr. Roe' }] },
					{ title: 'Tuesday', rows: [{ id: 'tue-9', title: '09:00' }] },
				],
			},
		},
	},
	{
		name: 'list from a JSON string typed into the field',
		parameters: {
			interactiveType: 'list',
			interactiveBodyText: 'Pick one',
			interactiveListButtonText: 'Open',
			interactiveListSectionsMode: 'json',
			interactiveListSectionsJson: '[{ "rows": [{ "id": "a", "title": "Alpha" }, { "id": "b", "title": "Beta" }] }]',
		},
		interactive: {
			type: 'list',
			body: { text: 'Pick one' },
			action: { button: 'Open', sections: [{ rows: [{ id: 'a', title: 'Alpha' }, { id: 'b', title: 'Beta' }] }] },
		},
	},
	{
		name: 'CTA URL with a video header by media ID',
		parameters: {
			interactiveType: 'cta_url',
			interactiveHeaderType: 'video',
			interactiveHeaderMediaSource: 'id',
			interactiveHeaderMediaId: '1037543291543636',
			interactiveBodyText: 'See how it works',
			interactiveCtaDisplayText: 'Read more',
			interactiveCtaUrl: '=https://example.com/orders/{{ $json.orderId }}',
		},
		input: [{ json: { orderId: 'A-1001' } }],
		interactive: {
			type: 'cta_url',
			header: { type: 'video', video: { id: '1037543291543636' } },
			body: { text: 'See how it works' },
			action: { name: 'cta_url', parameters: { display_text: 'Read more', url: 'https://example.com/orders/A-1001' } },
		},
	},
	{
		name: 'CTA URL without header',
		parameters: {
			interactiveType: 'cta_url',
			interactiveBodyText: 'Track your parcel',
			interactiveCtaDisplayText: 'Track',
			interactiveCtaUrl: 'https://example.com/t',
		},
		interactive: {
			type: 'cta_url',
			body: { text: 'Track your parcel' },
			action: { name: 'cta_url', parameters: { display_text: 'Track', url: 'https://example.com/t' } },
		},
	},
	{
		name: 'Flow by ID, navigate with first screen and data',
		parameters: {
			interactiveType: 'flow',
			interactiveHeaderText: 'Book a table',
			interactiveBodyText: 'Pick a time',
			interactiveFlowIdentifier: 'id',
			interactiveFlowId: '1234567890123456',
			interactiveFlowCta: 'Book now',
			interactiveFlowMode: 'draft',
			interactiveFlowAction: 'navigate',
			interactiveFlowScreen: 'WELCOME',
			interactiveFlowData: '={{ { customer_name: $json.name } }}',
			interactiveFlowReference: '=booking-{{ $json.id }}',
		},
		input: [{ json: { name: 'Ana', id: 42 } }],
		interactive: {
			type: 'flow',
			header: { type: 'text', text: 'Book a table' },
			body: { text: 'Pick a time' },
			action: {
				name: 'flow',
				parameters: {
					flow_message_version: '3',
					flow_token: 'booking-42',
					flow_id: '1234567890123456',
					flow_cta: 'Book now',
					flow_action: 'navigate',
					mode: 'draft',
					flow_action_payload: { screen: 'WELCOME', data: { customer_name: 'Ana' } },
				},
			},
		},
	},
	{
		name: 'Flow by name, data exchange, defaults (published, token "unused")',
		parameters: {
			interactiveType: 'flow',
			interactiveBodyText: 'Sign up',
			interactiveFlowIdentifier: 'name',
			interactiveFlowName: 'newsletter_signup',
			interactiveFlowCta: 'Sign up',
			interactiveFlowAction: 'data_exchange',
		},
		interactive: {
			type: 'flow',
			body: { text: 'Sign up' },
			action: {
				name: 'flow',
				parameters: {
					flow_message_version: '3',
					flow_token: 'unused',
					flow_name: 'newsletter_signup',
					flow_cta: 'Sign up',
					flow_action: 'data_exchange',
					mode: 'published',
				},
			},
		},
	},
	{
		name: 'location request',
		parameters: { interactiveType: 'location_request_message', interactiveBodyText: 'Where should we deliver?' },
		interactive: {
			type: 'location_request_message',
			body: { text: 'Where should we deliver?' },
			action: { name: 'send_location' },
		},
	},
	{
		name: 'product',
		parameters: {
			interactiveType: 'product',
			interactiveBodyText: 'Back in stock',
			interactiveFooterText: 'While supplies last',
			interactiveCatalogId: '367025965434465',
			interactiveProductRetailerId: 'SKU-12345',
		},
		interactive: {
			type: 'product',
			body: { text: 'Back in stock' },
			footer: { text: 'While supplies last' },
			action: { catalog_id: '367025965434465', product_retailer_id: 'SKU-12345' },
		},
	},
	{
		name: 'product list from the form (comma-separated IDs)',
		parameters: {
			interactiveType: 'product_list',
			interactiveHeaderText: 'Summer collection',
			interactiveBodyText: 'Our picks for you',
			interactiveCatalogId: '367025965434465',
			interactiveProductSectionsMode: 'fields',
			interactiveProductSections: {
				section: [
					{ title: 'Shirts', productRetailerIds: 'SKU-1, SKU-2' },
					{ title: 'Shoes', productRetailerIds: '={{ $json.shoes }}' },
				],
			},
		},
		input: [{ json: { shoes: ['SKU-9', 'SKU-10'] } }],
		interactive: {
			type: 'product_list',
			header: { type: 'text', text: 'Summer collection' },
			body: { text: 'Our picks for you' },
			action: {
				catalog_id: '367025965434465',
				sections: [
					{ title: 'Shirts', product_items: [{ product_retailer_id: 'SKU-1' }, { product_retailer_id: 'SKU-2' }] },
					{ title: 'Shoes', product_items: [{ product_retailer_id: 'SKU-9' }, { product_retailer_id: 'SKU-10' }] },
				],
			},
		},
	},
	{
		name: 'product list from JSON mapped with an expression',
		parameters: {
			interactiveType: 'product_list',
			interactiveHeaderText: 'For you',
			interactiveBodyText: 'Picked by our team',
			interactiveFooterText: 'Free shipping',
			interactiveCatalogId: 'c1',
			interactiveProductSectionsMode: 'json',
			interactiveProductSectionsJson: '={{ $json.sections }}',
		},
		input: [{ json: { sections: [{ title: 'Top', product_items: [{ product_retailer_id: 'A' }, { product_retailer_id: 'B' }] }] } }],
		interactive: {
			type: 'product_list',
			header: { type: 'text', text: 'For you' },
			body: { text: 'Picked by our team' },
			footer: { text: 'Free shipping' },
			action: {
				catalog_id: 'c1',
				sections: [{ title: 'Top', product_items: [{ product_retailer_id: 'A' }, { product_retailer_id: 'B' }] }],
			},
		},
	},
	{
		name: 'catalog with a thumbnail mapped from the item',
		parameters: {
			interactiveType: 'catalog_message',
			interactiveBodyText: '=Hi {{ $json.name }}, browse our catalog and order in the chat.',
			interactiveFooterText: 'Free shipping',
			interactiveCatalogThumbnailRetailerId: '={{ $json.topSeller }}',
		},
		input: [{ json: { name: 'Ana', topSeller: 'SKU-4711' } }],
		interactive: {
			type: 'catalog_message',
			body: { text: 'Hi Ana, browse our catalog and order in the chat.' },
			footer: { text: 'Free shipping' },
			action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'SKU-4711' } },
		},
	},
	{
		name: 'catalog without a thumbnail',
		parameters: { interactiveType: 'catalog_message', interactiveBodyText: 'Browse our catalog' },
		interactive: { type: 'catalog_message', body: { text: 'Browse our catalog' }, action: { name: 'catalog_message' } },
	},
	{
		name: 'call permission request',
		parameters: { interactiveType: 'call_permission_request', interactiveBodyText: '=Hi {{ $json.name }}, may we call you about your order?' },
		input: [{ json: { name: 'Ana' } }],
		interactive: {
			type: 'call_permission_request',
			body: { text: 'Hi Ana, may we call you about your order?' },
			action: { name: 'call_permission_request' },
		},
	},
	{
		name: 'order details: items from the form, prices in rupees sent in paise (more in send-orders.test.ts)',
		parameters: {
			interactiveType: 'order_details',
			interactiveBodyText: '=Your order, {{ $json.name }}',
			interactiveOrderReferenceId: '={{ $json.orderId }}',
			interactiveOrderPaymentConfiguration: 'razorpay-main',
			interactiveOrderItems: { item: [{ name: 'Bread', price: 49.5, quantity: 2, retailerId: 'SKU-1', salePrice: 0 }] },
			interactiveOrderTax: 5,
		},
		input: [{ json: { name: 'Ana', orderId: 'ORDER-1001' } }],
		interactive: {
			type: 'order_details',
			body: { text: 'Your order, Ana' },
			action: {
				name: 'review_and_pay',
				parameters: {
					reference_id: 'ORDER-1001',
					type: 'physical-goods',
					payment_settings: [{ type: 'payment_gateway', payment_gateway: { type: 'razorpay', configuration_name: 'razorpay-main' } }],
					currency: 'INR',
					total_amount: { value: 10400, offset: 100 },
					order: {
						status: 'pending',
						items: [{ retailer_id: 'SKU-1', name: 'Bread', amount: { value: 4950, offset: 100 }, quantity: 2 }],
						subtotal: { value: 9900, offset: 100 },
						tax: { value: 500, offset: 100 },
					},
				},
			},
		},
	},
	{
		name: 'order status',
		parameters: {
			interactiveType: 'order_status',
			interactiveBodyText: 'Your order is on its way',
			interactiveOrderReferenceId: 'ORDER-1001',
			interactiveOrderStatus: 'shipped',
		},
		interactive: {
			type: 'order_status',
			body: { text: 'Your order is on its way' },
			action: { name: 'review_order', parameters: { reference_id: 'ORDER-1001', order: { status: 'shipped' } } },
		},
	},
];

describe('Send node → emulator: interactive messages', () => {
	it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		const result = await send(c.parameters, c.input);
		expect(result.error).toBeUndefined();
		const expected = envelope({ type: 'interactive', interactive: c.interactive });

		const recorded = emulator.messages();
		expect(recorded).toHaveLength(1);
		expect(recorded[0].body).toEqual(expected);
		expect(validateSendBody(recorded[0].body).errors).toEqual([]);

		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			messageId: recorded[0].wamid,
			messageStatus: 'accepted',
			waId: TO_WA_ID,
			type: 'interactive',
		});
	});

	it('covers every interactive type the form offers', () => {
		const typeOption = new Dialog360().description.properties.find((p) => p.name === 'interactiveType');
		const offered = (typeOption?.options as Array<{ value: string }>).map((o) => o.value).sort();
		expect([...new Set(CASES.map((c) => String(c.parameters.interactiveType)))].sort()).toEqual(offered);
	});

	it('sends one message per item, each with its own mapped sections', async () => {
		const result = await send(
			{
				interactiveType: 'list',
				interactiveBodyText: '=Hi {{ $json.name }}',
				interactiveListButtonText: 'Options',
				interactiveListSectionsMode: 'json',
				interactiveListSectionsJson: '={{ $json.sections }}',
			},
			[
				{ json: { name: 'Ana', sections: [{ rows: [{ id: 'a1', title: 'A one' }] }] } },
				{ json: { name: 'Ben', sections: [{ rows: [{ id: 'b1', title: 'B one' }, { id: 'b2', title: 'B two' }] }] } },
			],
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		const bodies = emulator.messages().map((m) => m.body as IDataObject);
		expect(bodies.map((b) => (b.interactive as IDataObject).body)).toEqual([{ text: 'Hi Ana' }, { text: 'Hi Ben' }]);
		expect(bodies.map((b) => ((b.interactive as IDataObject).action as IDataObject).sections)).toEqual([
			[{ rows: [{ id: 'a1', title: 'A one' }] }],
			[{ rows: [{ id: 'b1', title: 'B one' }, { id: 'b2', title: 'B two' }] }],
		]);
	});

	it('stops before sending anything when one item breaks a rule, naming the rule and the item', async () => {
		const result = await send(
			{
				interactiveType: 'list',
				interactiveBodyText: 'Choose',
				interactiveListButtonText: 'Open',
				interactiveListSectionsMode: 'json',
				interactiveListSectionsJson: '={{ $json.sections }}',
			},
			[
				{ json: { sections: [{ rows: [{ id: 'r1', title: 'One' }] }] } },
				{ json: { sections: [{ rows: [{ id: 'r1', title: 'One' }, { id: 'r2', title: 'Two' }, { id: 'r1', title: 'Three' }] }] } },
			],
		);
		expect(result.error?.message).toBe('Row 3 ID repeats "r1" of Row 1; each must be unique [item 1]');
		expect(emulator.messages()).toHaveLength(0);
	});

	it('reports a too long button title from the form', async () => {
		const result = await send({
			interactiveType: 'button',
			interactiveBodyText: 'Body',
			interactiveButtons: { button: [{ title: 'Yes', id: 'y' }, { title: 'This title is way too long', id: 'n' }] },
		});
		expect(result.error?.message).toBe('Button 2 Title has 26 characters; WhatsApp allows 20 [item 0]');
		expect(emulator.messages()).toHaveLength(0);
	});

	it('reports a call permission request whose mapped body is empty, before sending', async () => {
		const result = await send({ interactiveType: 'call_permission_request', interactiveBodyText: '={{ $json.reason }}' }, [{ json: { reason: '' } }]);
		expect(result.error?.message).toBe('Body Text is required [item 0]');
		expect(emulator.messages()).toHaveLength(0);
	});

	it('with Continue On Fail, sends the good items and reports the bad one', async () => {
		const result = await send(
			{
				interactiveType: 'cta_url',
				interactiveBodyText: 'Open it',
				interactiveCtaDisplayText: 'Open',
				interactiveCtaUrl: '={{ $json.url }}',
			},
			[{ json: { url: 'https://example.com/a' } }, { json: { url: 'http://example.com/b' } }],
		);
		expect(result.error?.message).toBe('URL must start with https://; got "http://example.com/b" [item 1]');

		const lenient = await runSendNode(
			emulator,
			{
				messageType: 'interactive',
				to: TO,
				interactiveType: 'cta_url',
				interactiveBodyText: 'Open it',
				interactiveCtaDisplayText: 'Open',
				interactiveCtaUrl: '={{ $json.url }}',
			},
			[{ json: { url: 'https://example.com/a' } }, { json: { url: 'http://example.com/b' } }],
			{ continueOnFail: true },
		);
		expect(lenient.error).toBeUndefined();
		expect(lenient.items).toHaveLength(2);
		expect(lenient.items[0].json).toMatchObject({ messageStatus: 'accepted', type: 'interactive' });
		expect(lenient.items[1].json.error).toBe('URL must start with https://; got "http://example.com/b" [item 1]');
		expect(emulator.messages().map((m) => (((m.body as IDataObject).interactive as IDataObject).action as IDataObject).parameters)).toEqual([
			{ display_text: 'Open', url: 'https://example.com/a' },
		]);
	});
});
