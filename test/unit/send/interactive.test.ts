/**
 * Interactive messages (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
 * and the pages of the other variants): the exact body of every variant, every limit broken once
 * with the message the user sees, and every body the module can build checked against Meta's
 * OpenAPI spec and the emulator's length and count rules.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_FLOW_TOKEN,
	INTERACTIVE_LIMITS,
	INTERACTIVE_VARIANTS,
	containsEmoji,
	interactiveMessage,
	type InteractiveVariant,
} from '../../../nodes/Dialog360/messageTypes/interactive';
import type { BuildContext } from '../../../nodes/Dialog360/messageTypes/types';
import { FieldError } from '../../../nodes/common/validation';
import { checkSendRules } from '../../emulator/sendRules';
import { envelope } from '../../support/bodies';
import { validateSendBody } from '../../support/metaSpec';
import { fieldError, stubContext } from './stubBuildContext';

type Params = Record<string, unknown>;

function contextOf(params: Params): BuildContext {
	return {
		itemIndex: 0,
		get: <T>(name: string, fallback?: T) => (name in params ? (params[name] as T) : (fallback as T)),
		binary: async () => {
			throw new Error('interactive messages read no binary data');
		},
		templates: { find: async () => undefined },
	};
}

async function build(params: Params): Promise<IDataObject> {
	return (await interactiveMessage.build(contextOf(params))).body;
}

async function buildError(params: Params): Promise<FieldError> {
	try {
		await interactiveMessage.build(contextOf(params));
	} catch (error) {
		expect(error).toBeInstanceOf(FieldError);
		return error as FieldError;
	}
	throw new Error(`expected a FieldError for ${JSON.stringify(params)}`);
}

const x = (n: number, char = 'a'): string => char.repeat(n);
const buttons = (...entries: Array<{ title: unknown; id?: unknown }>) => ({ button: entries });
const rows = (...entries: Array<{ title: unknown; id?: unknown; description?: unknown }>) => ({ row: entries });
const listSections = (...entries: Array<{ title?: unknown; rows: ReturnType<typeof rows> }>) => ({ section: entries });
const productSections = (...entries: Array<{ title?: unknown; productRetailerIds: unknown }>) => ({ section: entries });

// ---------------------------------------------------------------------------------------------
// Exact bodies, one case per variant and shape. Every case is also checked against the spec.
// ---------------------------------------------------------------------------------------------

interface BodyCase {
	name: string;
	params: Params;
	expected: IDataObject;
}

const BODY_CASES: BodyCase[] = [
	{
		name: 'reply buttons: minimal, IDs default to the titles, IDs trimmed',
		params: {
			interactiveType: 'button',
			interactiveBodyText: 'Did the parcel arrive?',
			interactiveButtons: buttons({ title: 'Yes', id: '' }, { title: 'No', id: '  answer_no  ' }),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'button',
				body: { text: 'Did the parcel arrive?' },
				action: {
					buttons: [
						{ type: 'reply', reply: { id: 'Yes', title: 'Yes' } },
						{ type: 'reply', reply: { id: 'answer_no', title: 'No' } },
					],
				},
			},
		},
	},
	{
		name: 'reply buttons: 3 buttons, text header, footer, numbers from expressions become text',
		params: {
			interactiveType: 'button',
			interactiveHeaderType: 'text',
			interactiveHeaderText: 'Order 1001',
			interactiveBodyText: 'How was your delivery? 📦',
			interactiveFooterText: 'Reply any time',
			interactiveButtons: buttons({ title: 'Great 👍', id: 'r_great' }, { title: 'OK', id: 2 }, { title: 'Bad', id: 'r_bad' }),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'button',
				header: { type: 'text', text: 'Order 1001' },
				body: { text: 'How was your delivery? 📦' },
				footer: { text: 'Reply any time' },
				action: {
					buttons: [
						{ type: 'reply', reply: { id: 'r_great', title: 'Great 👍' } },
						{ type: 'reply', reply: { id: '2', title: 'OK' } },
						{ type: 'reply', reply: { id: 'r_bad', title: 'Bad' } },
					],
				},
			},
		},
	},
	{
		name: 'reply buttons: image header by URL',
		params: {
			interactiveType: 'button',
			interactiveHeaderType: 'image',
			interactiveHeaderMediaSource: 'link',
			interactiveHeaderMediaLink: ' https://example.com/offer.jpg ',
			interactiveBodyText: 'Like it?',
			interactiveButtons: buttons({ title: 'Yes', id: 'y' }),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'button',
				header: { type: 'image', image: { link: 'https://example.com/offer.jpg' } },
				body: { text: 'Like it?' },
				action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] },
			},
		},
	},
	{
		name: 'reply buttons: video header by media ID',
		params: {
			interactiveType: 'button',
			interactiveHeaderType: 'video',
			interactiveHeaderMediaSource: 'id',
			interactiveHeaderMediaId: ' 1037543291543636 ',
			interactiveBodyText: 'Watch and vote',
			interactiveButtons: buttons({ title: 'Up', id: 'up' }, { title: 'Down', id: 'down' }),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'button',
				header: { type: 'video', video: { id: '1037543291543636' } },
				body: { text: 'Watch and vote' },
				action: {
					buttons: [
						{ type: 'reply', reply: { id: 'up', title: 'Up' } },
						{ type: 'reply', reply: { id: 'down', title: 'Down' } },
					],
				},
			},
		},
	},
	{
		name: 'reply buttons: document header by URL',
		params: {
			interactiveType: 'button',
			interactiveHeaderType: 'document',
			interactiveHeaderMediaLink: 'https://example.com/invoice.pdf',
			interactiveBodyText: 'Your invoice. Pay now?',
			interactiveButtons: buttons({ title: 'Pay', id: 'pay' }),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'button',
				header: { type: 'document', document: { link: 'https://example.com/invoice.pdf' } },
				body: { text: 'Your invoice. Pay now?' },
				action: { buttons: [{ type: 'reply', reply: { id: 'pay', title: 'Pay' } }] },
			},
		},
	},
	{
		name: 'list: one section without title, row IDs default to titles, description only when given',
		params: {
			interactiveType: 'list',
			interactiveBodyText: 'Pick a pizza',
			interactiveListButtonText: 'Menu',
			interactiveListSections: listSections({
				title: '',
				rows: rows(
					{ title: 'Margherita', id: 'p1', description: 'Tomato, mozzarella' },
					{ title: 'Funghi', id: '', description: '' },
				),
			}),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'list',
				body: { text: 'Pick a pizza' },
				action: {
					button: 'Menu',
					sections: [
						{
							rows: [
								{ id: 'p1', title: 'Margherita', description: 'Tomato, mozzarella' },
								{ id: 'Funghi', title: 'Funghi' },
							],
						},
					],
				},
			},
		},
	},
	{
		name: 'list: two titled sections, 10 rows in total, header and footer',
		params: {
			interactiveType: 'list',
			interactiveHeaderText: 'Our menu',
			interactiveBodyText: 'What would you like?',
			interactiveFooterText: 'Prices incl. VAT',
			interactiveListButtonText: 'See options',
			interactiveListSectionsMode: 'fields',
			interactiveListSections: listSections(
				{ title: 'Pizzas', rows: rows(...[1, 2, 3, 4, 5, 6].map((n) => ({ title: `Pizza ${n}`, id: `p${n}` }))) },
				{ title: 'Drinks', rows: rows(...[1, 2, 3, 4].map((n) => ({ title: `Drink ${n}`, id: `d${n}`, description: 'Cold' }))) },
			),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'list',
				header: { type: 'text', text: 'Our menu' },
				body: { text: 'What would you like?' },
				footer: { text: 'Prices incl. VAT' },
				action: {
					button: 'See options',
					sections: [
						{ title: 'Pizzas', rows: [1, 2, 3, 4, 5, 6].map((n) => ({ id: `p${n}`, title: `Pizza ${n}` })) },
						{ title: 'Drinks', rows: [1, 2, 3, 4].map((n) => ({ id: `d${n}`, title: `Drink ${n}`, description: 'Cold' })) },
					],
				},
			},
		},
	},
	{
		name: 'list: sections as a JSON string',
		params: {
			interactiveType: 'list',
			interactiveBodyText: 'Choose a slot',
			interactiveListButtonText: 'Slots',
			interactiveListSectionsMode: 'json',
			interactiveListSectionsJson: JSON.stringify([
				{ title: 'Monday', rows: [{ id: 'mon-9', title: '09:00', description: 'Dr. Roe' }, { title: '10:00' }] },
				{ title: 'Tuesday', rows: [{ id: 'tue-9', title: '09:00' }] },
			]),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'list',
				body: { text: 'Choose a slot' },
				action: {
					button: 'Slots',
					sections: [
						{ title: 'Monday', rows: [{ id: 'mon-9', title: '09:00', description: 'Dr. Roe' }, { id: '10:00', title: '10:00' }] },
						{ title: 'Tuesday', rows: [{ id: 'tue-9', title: '09:00' }] },
					],
				},
			},
		},
	},
	{
		name: 'list: sections as an array returned by an expression (and wrapped in {sections})',
		params: {
			interactiveType: 'list',
			interactiveBodyText: 'Choose',
			interactiveListButtonText: 'Open',
			interactiveListSectionsMode: 'json',
			interactiveListSectionsJson: { sections: [{ rows: [{ id: 7, title: 'Seven' }] }] },
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'list',
				body: { text: 'Choose' },
				action: { button: 'Open', sections: [{ rows: [{ id: '7', title: 'Seven' }] }] },
			},
		},
	},
	{
		name: 'CTA URL: no header',
		params: {
			interactiveType: 'cta_url',
			interactiveBodyText: 'Track your parcel',
			interactiveCtaDisplayText: 'Track order',
			interactiveCtaUrl: 'https://example.com/track?id=1001',
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'cta_url',
				body: { text: 'Track your parcel' },
				action: { name: 'cta_url', parameters: { display_text: 'Track order', url: 'https://example.com/track?id=1001' } },
			},
		},
	},
	{
		name: 'CTA URL: text header and footer',
		params: {
			interactiveType: 'cta_url',
			interactiveHeaderType: 'text',
			interactiveHeaderText: 'Shipped!',
			interactiveBodyText: 'Your order is on its way',
			interactiveFooterText: 'Thanks for shopping',
			interactiveCtaDisplayText: 'Track',
			interactiveCtaUrl: 'https://example.com/t/1',
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'cta_url',
				header: { type: 'text', text: 'Shipped!' },
				body: { text: 'Your order is on its way' },
				footer: { text: 'Thanks for shopping' },
				action: { name: 'cta_url', parameters: { display_text: 'Track', url: 'https://example.com/t/1' } },
			},
		},
	},
	{
		name: 'CTA URL: document header by media ID',
		params: {
			interactiveType: 'cta_url',
			interactiveHeaderType: 'document',
			interactiveHeaderMediaSource: 'id',
			interactiveHeaderMediaId: '555',
			interactiveBodyText: 'Your contract',
			interactiveCtaDisplayText: 'Sign online',
			interactiveCtaUrl: 'https://example.com/sign',
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'cta_url',
				header: { type: 'document', document: { id: '555' } },
				body: { text: 'Your contract' },
				action: { name: 'cta_url', parameters: { display_text: 'Sign online', url: 'https://example.com/sign' } },
			},
		},
	},
	{
		name: 'Flow: by ID, navigate with first screen and data, own token, header and footer',
		params: {
			interactiveType: 'flow',
			interactiveHeaderText: 'Book a table',
			interactiveBodyText: 'Pick a time that suits you',
			interactiveFooterText: 'Takes 1 minute',
			interactiveFlowIdentifier: 'id',
			interactiveFlowId: '1234567890123456',
			interactiveFlowCta: 'Book now',
			interactiveFlowMode: 'published',
			interactiveFlowAction: 'navigate',
			interactiveFlowScreen: 'WELCOME',
			interactiveFlowData: '{ "customer_name": "Ana", "party": 4 }',
			interactiveFlowReference: 'booking-42',
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'flow',
				header: { type: 'text', text: 'Book a table' },
				body: { text: 'Pick a time that suits you' },
				footer: { text: 'Takes 1 minute' },
				action: {
					name: 'flow',
					parameters: {
						flow_message_version: '3',
						flow_token: 'booking-42',
						flow_id: '1234567890123456',
						flow_cta: 'Book now',
						flow_action: 'navigate',
						mode: 'published',
						flow_action_payload: { screen: 'WELCOME', data: { customer_name: 'Ana', party: 4 } },
					},
				},
			},
		},
	},
	{
		name: 'Flow: by name, data exchange, draft, token defaults to "unused"',
		params: {
			interactiveType: 'flow',
			interactiveBodyText: 'Sign up for our newsletter',
			interactiveFlowIdentifier: 'name',
			interactiveFlowName: 'newsletter_signup',
			interactiveFlowCta: 'Sign up',
			interactiveFlowMode: 'draft',
			interactiveFlowAction: 'data_exchange',
			interactiveFlowReference: '',
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'flow',
				body: { text: 'Sign up for our newsletter' },
				action: {
					name: 'flow',
					parameters: {
						flow_message_version: '3',
						flow_token: DEFAULT_FLOW_TOKEN,
						flow_name: 'newsletter_signup',
						flow_cta: 'Sign up',
						flow_action: 'data_exchange',
						mode: 'draft',
					},
				},
			},
		},
	},
	{
		name: 'Flow: navigate without first screen opens the entry screen (no payload)',
		params: {
			interactiveType: 'flow',
			interactiveBodyText: 'Tell us more',
			interactiveFlowId: '99',
			interactiveFlowCta: 'Start',
			interactiveFlowScreen: '',
			interactiveFlowData: '',
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'flow',
				body: { text: 'Tell us more' },
				action: {
					name: 'flow',
					parameters: {
						flow_message_version: '3',
						flow_token: 'unused',
						flow_id: '99',
						flow_cta: 'Start',
						flow_action: 'navigate',
						mode: 'published',
					},
				},
			},
		},
	},
	{
		name: 'Flow: data from an expression (object) with a first screen',
		params: {
			interactiveType: 'flow',
			interactiveBodyText: 'Confirm your details',
			interactiveFlowId: '99',
			interactiveFlowCta: 'Confirm',
			interactiveFlowScreen: 'DETAILS',
			interactiveFlowData: { email: 'ana@example.com', tags: ['vip'] },
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'flow',
				body: { text: 'Confirm your details' },
				action: {
					name: 'flow',
					parameters: {
						flow_message_version: '3',
						flow_token: 'unused',
						flow_id: '99',
						flow_cta: 'Confirm',
						flow_action: 'navigate',
						mode: 'published',
						flow_action_payload: { screen: 'DETAILS', data: { email: 'ana@example.com', tags: ['vip'] } },
					},
				},
			},
		},
	},
	{
		name: 'location request',
		params: { interactiveType: 'location_request_message', interactiveBodyText: 'Where should we deliver?' },
		expected: {
			type: 'interactive',
			interactive: {
				type: 'location_request_message',
				body: { text: 'Where should we deliver?' },
				action: { name: 'send_location' },
			},
		},
	},
	{
		name: 'product: body and footer',
		params: {
			interactiveType: 'product',
			interactiveBodyText: 'Back in stock',
			interactiveFooterText: 'While supplies last',
			interactiveCatalogId: '367025965434465',
			interactiveProductRetailerId: ' SKU-12345 ',
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'product',
				body: { text: 'Back in stock' },
				footer: { text: 'While supplies last' },
				action: { catalog_id: '367025965434465', product_retailer_id: 'SKU-12345' },
			},
		},
	},
	{
		name: 'product: no body, no footer',
		params: { interactiveType: 'product', interactiveCatalogId: '367025965434465', interactiveProductRetailerId: 'SKU-1' },
		expected: {
			type: 'interactive',
			interactive: { type: 'product', action: { catalog_id: '367025965434465', product_retailer_id: 'SKU-1' } },
		},
	},
	{
		name: 'product list: form, IDs separated by commas and new lines, or a list from an expression',
		params: {
			interactiveType: 'product_list',
			interactiveHeaderText: 'Summer collection',
			interactiveBodyText: 'Our picks for you',
			interactiveFooterText: 'Free shipping',
			interactiveCatalogId: '367025965434465',
			interactiveProductSectionsMode: 'fields',
			interactiveProductSections: productSections(
				{ title: 'Shirts', productRetailerIds: 'SKU-1, SKU-2\nSKU-3,' },
				{ title: 'Shoes', productRetailerIds: ['SKU-9', 10] },
			),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'product_list',
				header: { type: 'text', text: 'Summer collection' },
				body: { text: 'Our picks for you' },
				footer: { text: 'Free shipping' },
				action: {
					catalog_id: '367025965434465',
					sections: [
						{
							title: 'Shirts',
							product_items: [{ product_retailer_id: 'SKU-1' }, { product_retailer_id: 'SKU-2' }, { product_retailer_id: 'SKU-3' }],
						},
						{ title: 'Shoes', product_items: [{ product_retailer_id: 'SKU-9' }, { product_retailer_id: '10' }] },
					],
				},
			},
		},
	},
	{
		name: 'product list: JSON, 30 products in total',
		params: {
			interactiveType: 'product_list',
			interactiveHeaderText: 'Everything',
			interactiveBodyText: 'All 30',
			interactiveCatalogId: 'c1',
			interactiveProductSectionsMode: 'json',
			interactiveProductSectionsJson: JSON.stringify([
				{ title: 'A', product_items: Array.from({ length: 20 }, (_, i) => ({ product_retailer_id: `a${i}` })) },
				{ title: 'B', product_items: Array.from({ length: 10 }, (_, i) => ({ product_retailer_id: `b${i}` })) },
			]),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'product_list',
				header: { type: 'text', text: 'Everything' },
				body: { text: 'All 30' },
				action: {
					catalog_id: 'c1',
					sections: [
						{ title: 'A', product_items: Array.from({ length: 20 }, (_, i) => ({ product_retailer_id: `a${i}` })) },
						{ title: 'B', product_items: Array.from({ length: 10 }, (_, i) => ({ product_retailer_id: `b${i}` })) },
					],
				},
			},
		},
	},
	{
		name: 'catalog: body, footer and thumbnail (trimmed)',
		params: {
			interactiveType: 'catalog_message',
			interactiveBodyText: 'Hello! Ordering is easy: browse our catalog and add items.',
			interactiveFooterText: 'Best deals on WhatsApp',
			interactiveCatalogThumbnailRetailerId: ' SKU-4711 ',
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'catalog_message',
				body: { text: 'Hello! Ordering is easy: browse our catalog and add items.' },
				footer: { text: 'Best deals on WhatsApp' },
				action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'SKU-4711' } },
			},
		},
	},
	{
		name: 'catalog: no thumbnail leaves parameters out (WhatsApp shows the first item); header parameters are ignored',
		params: {
			interactiveType: 'catalog_message',
			interactiveHeaderType: 'text',
			interactiveHeaderText: 'Not sent',
			interactiveBodyText: 'Browse our catalog',
			interactiveCatalogThumbnailRetailerId: '  ',
		},
		expected: {
			type: 'interactive',
			interactive: { type: 'catalog_message', body: { text: 'Browse our catalog' }, action: { name: 'catalog_message' } },
		},
	},
	{
		name: 'catalog: limits reached exactly, a numeric thumbnail ID becomes text',
		params: {
			interactiveType: 'catalog_message',
			interactiveBodyText: x(1024),
			interactiveFooterText: x(60),
			interactiveCatalogThumbnailRetailerId: 4711,
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'catalog_message',
				body: { text: x(1024) },
				footer: { text: x(60) },
				action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: '4711' } },
			},
		},
	},
	{
		name: 'call permission request: body only; header and footer parameters are ignored',
		params: {
			interactiveType: 'call_permission_request',
			interactiveHeaderType: 'text',
			interactiveHeaderText: 'Not sent',
			interactiveFooterText: 'Not sent',
			interactiveBodyText: 'We would like to call you about order ON-12853.',
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'call_permission_request',
				body: { text: 'We would like to call you about order ON-12853.' },
				action: { name: 'call_permission_request' },
			},
		},
	},
	{
		name: 'call permission request: body limit reached exactly',
		params: { interactiveType: 'call_permission_request', interactiveBodyText: x(1024) },
		expected: {
			type: 'interactive',
			interactive: { type: 'call_permission_request', body: { text: x(1024) }, action: { name: 'call_permission_request' } },
		},
	},
	{
		name: 'order details: one item, payment gateway, amounts in rupees sent in paise (more cases: interactiveOrders.test.ts)',
		params: {
			interactiveType: 'order_details',
			interactiveBodyText: 'Your order 1001',
			interactiveOrderReferenceId: 'ORDER-1001',
			interactiveOrderPaymentConfiguration: 'razorpay-main',
			interactiveOrderItems: { item: [{ retailerId: 'SKU-1', name: 'Bread', price: 149.5, salePrice: 0, quantity: 2 }] },
			interactiveOrderTax: 15,
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'order_details',
				body: { text: 'Your order 1001' },
				action: {
					name: 'review_and_pay',
					parameters: {
						reference_id: 'ORDER-1001',
						type: 'physical-goods',
						payment_settings: [{ type: 'payment_gateway', payment_gateway: { type: 'razorpay', configuration_name: 'razorpay-main' } }],
						currency: 'INR',
						total_amount: { value: 31400, offset: 100 },
						order: {
							status: 'pending',
							items: [{ retailer_id: 'SKU-1', name: 'Bread', amount: { value: 14950, offset: 100 }, quantity: 2 }],
							subtotal: { value: 29900, offset: 100 },
							tax: { value: 1500, offset: 100 },
						},
					},
				},
			},
		},
	},
	{
		name: 'order status: status and description (more cases: interactiveOrders.test.ts)',
		params: {
			interactiveType: 'order_status',
			interactiveBodyText: 'Your order is on its way',
			interactiveFooterText: 'Thank you',
			interactiveOrderReferenceId: 'ORDER-1001',
			interactiveOrderStatus: 'shipped',
			interactiveOrderStatusDescription: 'Handed to the courier',
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'order_status',
				body: { text: 'Your order is on its way' },
				footer: { text: 'Thank you' },
				action: { name: 'review_order', parameters: { reference_id: 'ORDER-1001', order: { status: 'shipped', description: 'Handed to the courier' } } },
			},
		},
	},
	{
		name: 'limits reached exactly (not exceeded) are accepted',
		params: {
			interactiveType: 'button',
			interactiveHeaderType: 'text',
			interactiveHeaderText: x(60),
			interactiveBodyText: x(1024),
			interactiveFooterText: x(60),
			interactiveButtons: buttons({ title: x(20), id: x(256, 'i') }, { title: x(20, 'b'), id: x(256, 'j') }),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'button',
				header: { type: 'text', text: x(60) },
				body: { text: x(1024) },
				footer: { text: x(60) },
				action: {
					buttons: [
						{ type: 'reply', reply: { id: x(256, 'i'), title: x(20) } },
						{ type: 'reply', reply: { id: x(256, 'j'), title: x(20, 'b') } },
					],
				},
			},
		},
	},
	{
		name: 'an emoji counts as one character (a 20-character title with an emoji is 21 UTF-16 units)',
		params: {
			interactiveType: 'button',
			interactiveBodyText: 'Rate us',
			interactiveButtons: buttons({ title: `${x(19)}👍`, id: 'ok' }),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'button',
				body: { text: 'Rate us' },
				action: { buttons: [{ type: 'reply', reply: { id: 'ok', title: `${x(19)}👍` } }] },
			},
		},
	},
	{
		name: 'list limits reached exactly are accepted',
		params: {
			interactiveType: 'list',
			interactiveBodyText: 'b',
			interactiveListButtonText: x(20),
			interactiveListSections: listSections({
				title: x(24),
				rows: rows({ title: x(24), id: x(200), description: x(72) }),
			}),
		},
		expected: {
			type: 'interactive',
			interactive: {
				type: 'list',
				body: { text: 'b' },
				action: { button: x(20), sections: [{ title: x(24), rows: [{ id: x(200), title: x(24), description: x(72) }] }] },
			},
		},
	},
];

describe('interactive: exact bodies', () => {
	it.each(BODY_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		expect(await build(c.params)).toEqual(c.expected);
	});

	it('every interactive type of the form has at least one body case', () => {
		const typeOption = interactiveMessage.properties.find((p) => p.name === 'interactiveType');
		const offered = (typeOption?.options as Array<{ value: string }>).map((o) => o.value).sort();
		const covered = [...new Set(BODY_CASES.map((c) => String(c.params.interactiveType)))].sort();
		expect(covered).toEqual(offered);
	});

});

describe('interactive: every body validates against Meta’s spec and the emulator rules', () => {
	it.each(BODY_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		const full = envelope(await build(c.params));
		expect(validateSendBody(full).errors).toEqual([]);
		expect(checkSendRules(full)).toEqual([]);
	});

	it('the validator is not vacuous: a broken interactive body is rejected', () => {
		const broken = envelope({
			type: 'interactive',
			interactive: { type: 'button', body: { text: 'x' }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: x(21) } }] } },
		});
		expect(validateSendBody(broken).valid).toBe(false);
	});
});

// ---------------------------------------------------------------------------------------------
// Every rule broken once: the field and the message the user sees.
// ---------------------------------------------------------------------------------------------

const okButton = { interactiveType: 'button', interactiveBodyText: 'Body', interactiveButtons: buttons({ title: 'Yes', id: 'y' }) };
const okList = {
	interactiveType: 'list',
	interactiveBodyText: 'Body',
	interactiveListButtonText: 'Open',
	interactiveListSections: listSections({ rows: rows({ title: 'One', id: 'r1' }) }),
};
const okCta = {
	interactiveType: 'cta_url',
	interactiveBodyText: 'Body',
	interactiveCtaDisplayText: 'Open',
	interactiveCtaUrl: 'https://example.com',
};
const okFlow = { interactiveType: 'flow', interactiveBodyText: 'Body', interactiveFlowId: '1', interactiveFlowCta: 'Start' };
const okProduct = { interactiveType: 'product', interactiveCatalogId: 'c', interactiveProductRetailerId: 'p' };
const okCatalog = { interactiveType: 'catalog_message', interactiveBodyText: 'Body' };
const okProductList = {
	interactiveType: 'product_list',
	interactiveHeaderText: 'Header',
	interactiveBodyText: 'Body',
	interactiveCatalogId: 'c',
	interactiveProductSections: productSections({ title: 'All', productRetailerIds: 'p1' }),
};
const listJson = (sections: unknown) => ({ ...okList, interactiveListSectionsMode: 'json', interactiveListSectionsJson: sections });
const productJson = (sections: unknown) => ({
	...okProductList,
	interactiveProductSectionsMode: 'json',
	interactiveProductSectionsJson: sections,
});
const tenRows = (prefix: string) => rows(...Array.from({ length: 10 }, (_, i) => ({ title: `${prefix}${i}`, id: `${prefix}${i}` })));

interface ErrorCase {
	name: string;
	params: Params;
	field: string;
	message: string;
}

const ERROR_CASES: ErrorCase[] = [
	// Shared parts
	{
		name: 'header text too long',
		params: { ...okButton, interactiveHeaderType: 'text', interactiveHeaderText: x(61) },
		field: 'Header Text',
		message: 'Header Text has 61 characters; WhatsApp allows 60',
	},
	{
		name: 'text header chosen but empty',
		params: { ...okCta, interactiveHeaderType: 'text', interactiveHeaderText: ' ' },
		field: 'Header Text',
		message: 'Header Text is required',
	},
	{
		name: 'header media URL not https',
		params: { ...okButton, interactiveHeaderType: 'image', interactiveHeaderMediaLink: 'http://example.com/a.jpg' },
		field: 'Header Media URL',
		message: 'Header Media URL must start with https://; got "http://example.com/a.jpg"',
	},
	{
		name: 'header media URL not a URL',
		params: { ...okCta, interactiveHeaderType: 'video', interactiveHeaderMediaLink: 'my video' },
		field: 'Header Media URL',
		message: 'Header Media URL "my video" is not a valid URL',
	},
	{
		name: 'header media ID missing',
		params: { ...okButton, interactiveHeaderType: 'document', interactiveHeaderMediaSource: 'id', interactiveHeaderMediaId: '' },
		field: 'Header Media ID',
		message: 'Header Media ID is required',
	},
	{
		name: 'header media ID with spaces',
		params: { ...okButton, interactiveHeaderType: 'image', interactiveHeaderMediaSource: 'id', interactiveHeaderMediaId: '12 34' },
		field: 'Header Media ID',
		message: 'Header Media ID "12 34" is not a media ID: it contains spaces',
	},
	{
		name: 'list header text too long',
		params: { ...okList, interactiveHeaderText: x(61) },
		field: 'Header Text',
		message: 'Header Text has 61 characters; WhatsApp allows 60',
	},
	{
		name: 'body missing',
		params: { ...okButton, interactiveBodyText: '' },
		field: 'Body Text',
		message: 'Body Text is required',
	},
	{
		name: 'body too long',
		params: { ...okList, interactiveBodyText: x(1025) },
		field: 'Body Text',
		message: 'Body Text has 1025 characters; WhatsApp allows 1024',
	},
	{
		name: 'footer too long',
		params: { ...okCta, interactiveFooterText: x(61) },
		field: 'Footer Text',
		message: 'Footer Text has 61 characters; WhatsApp allows 60',
	},
	{
		name: 'unknown interactive type',
		params: { interactiveType: 'carousel' },
		field: 'Interactive Type',
		message:
			'Interactive Type "carousel" is not supported; use one of button, list, cta_url, flow, location_request_message, product, product_list, catalog_message, call_permission_request, order_details, order_status',
	},
	// Reply buttons
	{
		name: 'no buttons',
		params: { ...okButton, interactiveButtons: {} },
		field: 'Buttons',
		message: 'Buttons needs at least 1 button; add one with "Add Button"',
	},
	{
		name: '4 buttons',
		params: { ...okButton, interactiveButtons: buttons({ title: 'A' }, { title: 'B' }, { title: 'C' }, { title: 'D' }) },
		field: 'Buttons',
		message: 'Buttons has 4 buttons; WhatsApp allows 3',
	},
	{
		name: 'button title too long',
		params: { ...okButton, interactiveButtons: buttons({ title: 'Yes' }, { title: x(23) }) },
		field: 'Button 2 Title',
		message: 'Button 2 Title has 23 characters; WhatsApp allows 20',
	},
	{
		name: 'button title missing',
		params: { ...okButton, interactiveButtons: buttons({ title: 'Yes' }, { title: '', id: 'no' }) },
		field: 'Button 2 Title',
		message: 'Button 2 Title is required',
	},
	{
		name: 'button titles repeat',
		params: { ...okButton, interactiveButtons: buttons({ title: 'Yes', id: 'a' }, { title: 'No', id: 'b' }, { title: 'Yes', id: 'c' }) },
		field: 'Button 3 Title',
		message: 'Button 3 Title repeats "Yes" of Button 1; each must be unique',
	},
	{
		name: 'button ID too long',
		params: { ...okButton, interactiveButtons: buttons({ title: 'Yes', id: x(257) }) },
		field: 'Button 1 ID',
		message: 'Button 1 ID has 257 characters; WhatsApp allows 256',
	},
	{
		name: 'button IDs repeat (also when an ID defaults to the title)',
		params: { ...okButton, interactiveButtons: buttons({ title: 'Yes' }, { title: 'Sure', id: ' Yes ' }) },
		field: 'Button 2 ID',
		message: 'Button 2 ID repeats "Yes" of Button 1; each must be unique',
	},
	{
		name: 'button title given as an object',
		params: { ...okButton, interactiveButtons: buttons({ title: { text: 'Yes' } }) },
		field: 'Button 1 Title',
		message:
			'Button 1 Title must be text, but the expression gave an object: {"text":"Yes"}. Map one of its fields (for example {{ $json.customer.name }}) or join the list.',
	},
	// List
	{
		name: 'list button text missing',
		params: { ...okList, interactiveListButtonText: '' },
		field: 'Button Text',
		message: 'Button Text is required',
	},
	{
		name: 'list button text too long',
		params: { ...okList, interactiveListButtonText: x(21) },
		field: 'Button Text',
		message: 'Button Text has 21 characters; WhatsApp allows 20',
	},
	{
		name: 'no sections',
		params: { ...okList, interactiveListSections: {} },
		field: 'Sections',
		message: 'List needs at least 1 section with at least 1 row',
	},
	{
		name: '11 sections',
		params: {
			...okList,
			interactiveListSections: listSections(...Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, rows: rows({ title: `r${i}` }) }))),
		},
		field: 'Sections',
		message: 'List has 11 sections; WhatsApp allows 10',
	},
	{
		name: '11 rows across sections',
		params: { ...okList, interactiveListSections: listSections({ title: 'A', rows: tenRows('a') }, { title: 'B', rows: rows({ title: 'b' }) }) },
		field: 'Sections',
		message: 'List has 11 rows; WhatsApp allows 10 in total',
	},
	{
		name: 'section title missing with two sections',
		params: { ...okList, interactiveListSections: listSections({ title: 'A', rows: rows({ title: 'a' }) }, { title: '', rows: rows({ title: 'b' }) }) },
		field: 'Section 2 Title',
		message: 'Section 2 Title is required when the list has more than one section',
	},
	{
		name: 'section title too long',
		params: { ...okList, interactiveListSections: listSections({ title: x(25), rows: rows({ title: 'a' }) }) },
		field: 'Section 1 Title',
		message: 'Section 1 Title has 25 characters; WhatsApp allows 24',
	},
	{
		name: 'section without rows',
		params: { ...okList, interactiveListSections: listSections({ title: 'A', rows: rows({ title: 'a' }) }, { title: 'B', rows: rows() }) },
		field: 'Section 2 Rows',
		message: 'Section 2 has no rows; add at least 1 row',
	},
	{
		name: 'row title too long',
		params: { ...okList, interactiveListSections: listSections({ rows: rows({ title: 'ok' }, { title: x(25) }) }) },
		field: 'Row 2 Title',
		message: 'Row 2 Title has 25 characters; WhatsApp allows 24',
	},
	{
		name: 'row title missing (rows of several sections are named by section)',
		params: { ...okList, interactiveListSections: listSections({ title: 'A', rows: rows({ title: 'a' }) }, { title: 'B', rows: rows({ title: '', id: 'b' }) }) },
		field: 'Section 2 Row 1 Title',
		message: 'Section 2 Row 1 Title is required',
	},
	{
		name: 'row ID too long',
		params: { ...okList, interactiveListSections: listSections({ rows: rows({ title: 'a', id: x(201) }) }) },
		field: 'Row 1 ID',
		message: 'Row 1 ID has 201 characters; WhatsApp allows 200',
	},
	{
		name: 'row IDs repeat',
		params: {
			...okList,
			interactiveListSections: listSections({ rows: rows({ title: 'One', id: 'r1' }, { title: 'Two', id: 'r2' }, { title: 'Three', id: 'r1' }) }),
		},
		field: 'Row 3 ID',
		message: 'Row 3 ID repeats "r1" of Row 1; each must be unique',
	},
	{
		name: 'row IDs repeat across sections',
		params: {
			...okList,
			interactiveListSections: listSections({ title: 'A', rows: rows({ title: 'Same' }) }, { title: 'B', rows: rows({ title: 'Same' }) }),
		},
		field: 'Section 2 Row 1 ID',
		message: 'Section 2 Row 1 ID repeats "Same" of Section 1 Row 1; each must be unique',
	},
	{
		name: 'row description too long',
		params: { ...okList, interactiveListSections: listSections({ rows: rows({ title: 'a', description: x(73) }) }) },
		field: 'Row 1 Description',
		message: 'Row 1 Description has 73 characters; WhatsApp allows 72',
	},
	// List, JSON input: the same rules, plus the JSON shape
	{
		name: 'JSON sections empty',
		params: listJson(''),
		field: 'Sections (JSON)',
		message: 'Sections (JSON) is required',
	},
	{
		name: 'JSON sections not JSON',
		params: listJson('[{ title: "A" }]'),
		field: 'Sections (JSON)',
		message: expect.stringMatching(/^Sections \(JSON\) is not valid JSON: /) as unknown as string,
	},
	{
		name: 'JSON sections not an array',
		params: listJson('{"title": "A"}'),
		field: 'Sections (JSON)',
		message: 'Sections (JSON) must be an array of sections, not an object',
	},
	{
		name: 'JSON section not an object',
		params: listJson(['A']),
		field: 'Sections (JSON)',
		message: 'Section 1 must be an object with "title", "rows"; got "A"',
	},
	{
		name: 'JSON section with an unknown field',
		params: listJson([{ title: 'A', row: [] }]),
		field: 'Sections (JSON)',
		message: 'Section 1 has an unknown field "row"; use "title", "rows"',
	},
	{
		name: 'JSON rows not a list',
		params: listJson([{ rows: { id: 'a', title: 'A' } }]),
		field: 'Sections (JSON)',
		message: 'Section 1 "rows" must be a list of rows, not an object',
	},
	{
		name: 'JSON row with an unknown field',
		params: listJson([{ rows: [{ id: 'a', title: 'A', desc: 'x' }] }]),
		field: 'Sections (JSON)',
		message: 'Section 1 Row 1 has an unknown field "desc"; use "id", "title", "description"',
	},
	{
		name: 'JSON rows: 11 in total',
		params: listJson([{ title: 'A', rows: Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, title: 'x' })) }, { title: 'B', rows: Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, title: 'y' })) }]),
		field: 'Sections',
		message: 'List has 11 rows; WhatsApp allows 10 in total',
	},
	{
		name: 'JSON row IDs repeat',
		params: listJson([{ rows: [{ id: 'r1', title: 'One' }, { id: 'r2', title: 'Two' }, { id: 'r1', title: 'Three' }] }]),
		field: 'Row 3 ID',
		message: 'Row 3 ID repeats "r1" of Row 1; each must be unique',
	},
	// CTA URL
	{
		name: 'CTA display text too long',
		params: { ...okCta, interactiveCtaDisplayText: x(21) },
		field: 'Button Text',
		message: 'Button Text has 21 characters; WhatsApp allows 20',
	},
	{
		name: 'CTA display text missing',
		params: { ...okCta, interactiveCtaDisplayText: '' },
		field: 'Button Text',
		message: 'Button Text is required',
	},
	{
		name: 'CTA URL not https',
		params: { ...okCta, interactiveCtaUrl: 'http://example.com' },
		field: 'URL',
		message: 'URL must start with https://; got "http://example.com"',
	},
	{
		name: 'CTA URL missing',
		params: { ...okCta, interactiveCtaUrl: '' },
		field: 'URL',
		message: 'URL is required',
	},
	// Flow
	{
		name: 'Flow ID missing',
		params: { ...okFlow, interactiveFlowId: ' ' },
		field: 'Flow ID',
		message: 'Flow ID is required',
	},
	{
		name: 'Flow name missing',
		params: { ...okFlow, interactiveFlowIdentifier: 'name', interactiveFlowName: '' },
		field: 'Flow Name',
		message: 'Flow Name is required',
	},
	{
		name: 'Flow button text too long',
		params: { ...okFlow, interactiveFlowCta: x(21) },
		field: 'Button Text',
		message: 'Button Text has 21 characters; WhatsApp allows 20',
	},
	{
		name: 'Flow button text with emoji',
		params: { ...okFlow, interactiveFlowCta: 'Book now 📅' },
		field: 'Button Text',
		message: 'Button Text "Book now 📅" contains an emoji; WhatsApp does not allow emoji on Flow buttons',
	},
	{
		name: 'Flow mode not draft/published',
		params: { ...okFlow, interactiveFlowMode: 'live' },
		field: 'Flow Mode',
		message: 'Flow Mode must be "draft" or "published"; got "live"',
	},
	{
		name: 'Flow data is an empty object',
		params: { ...okFlow, interactiveFlowScreen: 'START', interactiveFlowData: '{}' },
		field: 'Initial Data (JSON)',
		message: 'Initial Data (JSON) is an empty object; WhatsApp needs at least one field, or leave the field empty',
	},
	{
		name: 'Flow data not JSON',
		params: { ...okFlow, interactiveFlowScreen: 'START', interactiveFlowData: '{name: Ana}' },
		field: 'Initial Data (JSON)',
		message: expect.stringMatching(/^Initial Data \(JSON\) is not valid JSON: /) as unknown as string,
	},
	{
		name: 'Flow data is an array',
		params: { ...okFlow, interactiveFlowScreen: 'START', interactiveFlowData: '[1]' },
		field: 'Initial Data (JSON)',
		message: 'Initial Data (JSON) must be a JSON object',
	},
	{
		name: 'Flow data without a first screen',
		params: { ...okFlow, interactiveFlowData: '{"a": 1}' },
		field: 'First Screen',
		message: 'First Screen is required when Initial Data (JSON) is set',
	},
	{
		name: 'Flow first screen with spaces',
		params: { ...okFlow, interactiveFlowScreen: 'WELCOME SCREEN' },
		field: 'First Screen',
		message: 'First Screen "WELCOME SCREEN" is not a screen ID: it contains spaces',
	},
	// Location request
	{
		name: 'location request without body',
		params: { interactiveType: 'location_request_message', interactiveBodyText: '' },
		field: 'Body Text',
		message: 'Body Text is required',
	},
	// Product
	{
		name: 'product without catalog ID',
		params: { ...okProduct, interactiveCatalogId: '' },
		field: 'Catalog ID',
		message: 'Catalog ID is required',
	},
	{
		name: 'product without product retailer ID',
		params: { ...okProduct, interactiveProductRetailerId: '' },
		field: 'Product Retailer ID',
		message: 'Product Retailer ID is required',
	},
	{
		name: 'product body too long',
		params: { ...okProduct, interactiveBodyText: x(1025) },
		field: 'Body Text',
		message: 'Body Text has 1025 characters; WhatsApp allows 1024',
	},
	// Catalog
	{
		name: 'catalog without body',
		params: { ...okCatalog, interactiveBodyText: ' ' },
		field: 'Body Text',
		message: 'Body Text is required',
	},
	{
		name: 'catalog body too long',
		params: { ...okCatalog, interactiveBodyText: x(1025) },
		field: 'Body Text',
		message: 'Body Text has 1025 characters; WhatsApp allows 1024',
	},
	{
		name: 'catalog footer too long',
		params: { ...okCatalog, interactiveFooterText: x(61) },
		field: 'Footer Text',
		message: 'Footer Text has 61 characters; WhatsApp allows 60',
	},
	{
		name: 'catalog thumbnail given as an object',
		params: { ...okCatalog, interactiveCatalogThumbnailRetailerId: { id: 'SKU-1' } },
		field: 'Thumbnail Product Retailer ID',
		message:
			'Thumbnail Product Retailer ID must be text, but the expression gave an object: {"id":"SKU-1"}. Map one of its fields (for example {{ $json.customer.name }}) or join the list.',
	},
	// Call permission request
	{
		name: 'call permission request without body',
		params: { interactiveType: 'call_permission_request', interactiveBodyText: '' },
		field: 'Body Text',
		message: 'Body Text is required',
	},
	{
		name: 'call permission request body too long',
		params: { interactiveType: 'call_permission_request', interactiveBodyText: x(1025) },
		field: 'Body Text',
		message: 'Body Text has 1025 characters; WhatsApp allows 1024',
	},
	// Product list
	{
		name: 'product list without header',
		params: { ...okProductList, interactiveHeaderText: '' },
		field: 'Header Text',
		message: 'Header Text is required',
	},
	{
		name: 'product list header too long',
		params: { ...okProductList, interactiveHeaderText: x(61) },
		field: 'Header Text',
		message: 'Header Text has 61 characters; WhatsApp allows 60',
	},
	{
		name: 'product list without catalog ID',
		params: { ...okProductList, interactiveCatalogId: '' },
		field: 'Catalog ID',
		message: 'Catalog ID is required',
	},
	{
		name: 'product list without sections',
		params: { ...okProductList, interactiveProductSections: {} },
		field: 'Sections',
		message: 'Product List needs at least 1 section with at least 1 product',
	},
	{
		name: 'product list with 11 sections',
		params: {
			...okProductList,
			interactiveProductSections: productSections(...Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, productRetailerIds: `p${i}` }))),
		},
		field: 'Sections',
		message: 'Product List has 11 sections; WhatsApp allows 10',
	},
	{
		name: 'product list with 31 products',
		params: {
			...okProductList,
			interactiveProductSections: productSections(
				{ title: 'A', productRetailerIds: Array.from({ length: 16 }, (_, i) => `a${i}`).join(',') },
				{ title: 'B', productRetailerIds: Array.from({ length: 15 }, (_, i) => `b${i}`) },
			),
		},
		field: 'Sections',
		message: 'Product List has 31 products; WhatsApp allows 30 in total',
	},
	{
		name: 'product section title missing',
		params: { ...okProductList, interactiveProductSections: productSections({ title: '', productRetailerIds: 'p1' }) },
		field: 'Section 1 Title',
		message: 'Section 1 Title is required',
	},
	{
		name: 'product section title too long',
		params: { ...okProductList, interactiveProductSections: productSections({ title: x(25), productRetailerIds: 'p1' }) },
		field: 'Section 1 Title',
		message: 'Section 1 Title has 25 characters; WhatsApp allows 24',
	},
	{
		name: 'product section without products',
		params: { ...okProductList, interactiveProductSections: productSections({ title: 'A', productRetailerIds: 'p1' }, { title: 'B', productRetailerIds: ' , ' }) },
		field: 'Section 2 Product Retailer IDs',
		message: 'Section 2 has no products; add at least 1 product retailer ID',
	},
	{
		name: 'product list JSON with an unknown field',
		params: productJson([{ title: 'A', products: ['p1'] }]),
		field: 'Sections (JSON)',
		message: 'Section 1 has an unknown field "products"; use "title", "product_items"',
	},
	{
		name: 'product list JSON product without retailer ID',
		params: productJson([{ title: 'A', product_items: [{ product_retailer_id: 'p1' }, { product_retailer_id: '' }] }]),
		field: 'Section 1 Product 2',
		message: 'Section 1 Product 2 has an empty product retailer ID',
	},
	{
		name: 'product list JSON with 31 products',
		params: productJson([{ title: 'A', product_items: Array.from({ length: 31 }, (_, i) => ({ product_retailer_id: `p${i}` })) }]),
		field: 'Sections',
		message: 'Product List has 31 products; WhatsApp allows 30 in total',
	},
];

describe('interactive: each broken rule names the field and the limit', () => {
	it.each(ERROR_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		const error = await buildError(c.params);
		expect({ field: error.field, message: error.message }).toEqual({ field: c.field, message: c.message });
	});
});

describe('interactive: form definition', () => {
	const properties = interactiveMessage.properties;

	it('prefixes every parameter name with "interactive" (one namespace for all message types)', () => {
		for (const property of properties) expect(property.name).toMatch(/^interactive[A-Z]/);
	});

	it('scopes every field except the type switch to its interactive types', () => {
		for (const property of properties.filter((p) => p.name !== 'interactiveType')) {
			expect(property.displayOptions?.show?.interactiveType).toEqual(expect.any(Array));
		}
	});

	it('lists the interactive types alphabetically with Reply Buttons as default', () => {
		const typeOption = properties.find((p) => p.name === 'interactiveType');
		const names = (typeOption?.options as Array<{ name: string }>).map((o) => o.name);
		expect(names).toEqual([
			'Call Permission Request',
			'Catalog',
			'CTA URL',
			'Flow',
			'List',
			'Location Request',
			'Order Details',
			'Order Status',
			'Product',
			'Product List',
			'Reply Buttons',
		]);
		expect(typeOption?.default).toBe('button');
	});

	it('offers only pure UI switches without expressions', () => {
		// A name defined once per header rule counts once.
		const switches = [...new Set(properties.filter((p) => p.noDataExpression).map((p) => p.name))].sort();
		expect(switches).toEqual([
			'interactiveFlowAction',
			'interactiveFlowIdentifier',
			'interactiveHeaderMediaSource',
			'interactiveHeaderType',
			'interactiveListSectionsMode',
			'interactiveOrderItemsMode',
			'interactiveOrderPaymentMethod',
			'interactiveProductSectionsMode',
			'interactiveType',
		]);
	});

	it('states the limits the module enforces', () => {
		expect(INTERACTIVE_LIMITS).toMatchObject({ buttons: 3, buttonTitle: 20, rows: 10, products: 30, flowCta: 20 });
	});
});

// ---------------------------------------------------------------------------------------------
// The shared fields are generated from each variant's declaration: check what the editor shows.
// ---------------------------------------------------------------------------------------------

const SHARED_FIELDS = [
	'interactiveHeaderType',
	'interactiveHeaderText',
	'interactiveHeaderMediaSource',
	'interactiveHeaderMediaLink',
	'interactiveHeaderMediaId',
	'interactiveHeaderMediaBinary',
	'interactiveBodyText',
	'interactiveFooterText',
];

/** n8n's rule for `displayOptions.show`: every listed parameter has one of the listed values. */
function isShown(property: INodeProperties, params: Params): boolean {
	const show = property.displayOptions?.show ?? {};
	return Object.entries(show).every(([name, allowed]) => (allowed as unknown[]).includes(params[name]));
}

/** The shared fields a variant's declaration asks for, given the Header and Header Media From choices. */
function declaredSharedFields(variant: InteractiveVariant, headerType: string, mediaSource: string): string[] {
	const fields: string[] = [];
	const sourceField = { id: 'interactiveHeaderMediaId', binary: 'interactiveHeaderMediaBinary' }[mediaSource] ?? 'interactiveHeaderMediaLink';
	if (variant.header === 'text-or-media') {
		fields.push('interactiveHeaderType');
		if (headerType === 'text') fields.push('interactiveHeaderText');
		if (['image', 'video', 'document'].includes(headerType)) fields.push('interactiveHeaderMediaSource', sourceField);
	}
	// The Header dropdown of optional-image offers none and image only, so other kinds never show here.
	if (variant.header === 'optional-image') {
		fields.push('interactiveHeaderType');
		if (headerType === 'image') fields.push('interactiveHeaderMediaSource', sourceField);
	}
	if (variant.header === 'optional-text' || variant.header === 'required-text') fields.push('interactiveHeaderText');
	if (variant.body !== 'none') fields.push('interactiveBodyText');
	if (variant.footer) fields.push('interactiveFooterText');
	return fields.sort();
}

describe('interactive: generated shared fields match each variant’s declaration', () => {
	const properties = interactiveMessage.properties;
	const choices = ['none', 'text', 'image', 'video', 'document'].flatMap((headerType) =>
		['link', 'id', 'binary'].map((mediaSource) => ({ headerType, mediaSource })),
	);

	it.each(INTERACTIVE_VARIANTS.map((v) => [v.value, v] as const))('%s', (_value, variant) => {
		for (const { headerType, mediaSource } of choices) {
			const params = { interactiveType: variant.value, interactiveHeaderType: headerType, interactiveHeaderMediaSource: mediaSource };
			const shown = properties.filter((p) => SHARED_FIELDS.includes(p.name) && isShown(p, params));
			const names = shown.map((p) => p.name);
			expect({ headerType, mediaSource, names: [...names].sort() }).toEqual({
				headerType,
				mediaSource,
				names: declaredSharedFields(variant, headerType, mediaSource),
			});
			// A field shown at most once, required exactly when the declaration says so.
			expect(new Set(names).size).toBe(names.length);
			const required = (name: string) => shown.find((p) => p.name === name)?.required === true;
			if (names.includes('interactiveBodyText')) expect(required('interactiveBodyText')).toBe(variant.body === 'required');
			if (names.includes('interactiveHeaderText')) expect(required('interactiveHeaderText')).toBe(variant.header !== 'optional-text');
		}
	});

	it('shows each variant’s own fields for that variant only', () => {
		for (const property of properties.filter((p) => p.name !== 'interactiveType' && !SHARED_FIELDS.includes(p.name))) {
			const owners = INTERACTIVE_VARIANTS.filter((v) => v.properties.some((own) => own.name === property.name));
			expect(owners.length).toBeGreaterThan(0);
			expect(property.displayOptions?.show?.interactiveType).toHaveLength(1);
			expect(owners.map((v) => v.value)).toContain(property.displayOptions?.show?.interactiveType?.[0]);
		}
	});

	it('offers every registered variant once in the dropdown, and nothing else', () => {
		const typeOption = properties.find((p) => p.name === 'interactiveType');
		const offered = (typeOption?.options as Array<{ value: string }>).map((o) => o.value);
		expect([...offered].sort()).toEqual(INTERACTIVE_VARIANTS.map((v) => v.value).sort());
	});

	it('ignores the parameters of parts a variant does not declare', async () => {
		const body = await build({
			interactiveType: 'location_request_message',
			interactiveHeaderType: 'text',
			interactiveHeaderText: 'Ignored',
			interactiveFooterText: 'Ignored',
			interactiveBodyText: 'Where are you?',
		});
		expect(body.interactive).toEqual({ type: 'location_request_message', body: { text: 'Where are you?' }, action: { name: 'send_location' } });
	});
});

describe('containsEmoji', () => {
	it.each([
		['Book now', false],
		['Jetzt buchen', false],
		['Café & Bar', false],
		['Book 📅', true],
		['Go ➡️', true],
		['🇩🇪 Termin', true],
		['Press 1️⃣', true],
	])('%s → %s', (text, expected) => {
		expect(containsEmoji(text)).toBe(expected);
	});
});

// ---------------------------------------------------------------------------------------------
// Header Media From → Binary File: the same media header fields serve every rule that has them
// ---------------------------------------------------------------------------------------------

describe('interactive: a media header from a binary file', () => {
	const stub = (params: Params, binaries: Record<string, { mimeType: string; fileName?: string; sizeBytes: number }>) =>
		interactiveMessage.build(stubContext(params, binaries));

	it('uploads a reply buttons document header and sends it by id', async () => {
		const built = await stub(
			{ ...okButton, interactiveHeaderType: 'document', interactiveHeaderMediaSource: 'binary', interactiveHeaderMediaBinary: 'data' },
			{ data: { mimeType: 'application/pdf', fileName: 'invoice.pdf', sizeBytes: 1000 } },
		);
		expect((built.body.interactive as IDataObject).header).toEqual({ type: 'document', document: {} });
		expect(built.uploads).toEqual([
			{ binaryPropertyName: 'data', kind: 'document', mimeType: 'application/pdf', fileName: 'invoice.pdf', path: ['interactive', 'header', 'document'] },
		]);
	});

	it('checks the file against the header kind', async () => {
		const error = await fieldError(() =>
			stub({ ...okCta, interactiveHeaderType: 'video', interactiveHeaderMediaSource: 'binary' }, { data: { mimeType: 'image/png', sizeBytes: 10 } }),
		);
		expect(error.field).toBe('Header Input Binary Field');
		expect(error.message).toContain('video does not support MIME type "image/png"');
	});

	it('uploads nothing for a text header', async () => {
		const built = await stub({ ...okButton, interactiveHeaderType: 'text', interactiveHeaderText: 'Hi', interactiveHeaderMediaSource: 'binary' }, {});
		expect(built.uploads).toBeUndefined();
	});
});
