/**
 * Order status: tells the customer what became of an order sent with Order Details (same
 * Reference ID); WhatsApp also updates the status shown on that order. Payments in India only.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-in/pg (order_status message),
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-in/orderstatustemplate (the status values)
 *
 * Cancelling fails when the order already has a successful or pending payment: WhatsApp knows
 * that, the node does not.
 */
import { FieldError, optionalText, textOf } from '../../../common/validation';
import { ORDER_LIMITS, PAYMENTS_NOTICE, orderReferenceId, referenceIdProperty } from './orderDetails';
import type { InteractiveVariant } from './variant';

const ORDER_STATUSES = ['pending', 'processing', 'partially-shipped', 'shipped', 'completed', 'canceled'];

export const orderStatusVariant: InteractiveVariant = {
	value: 'order_status',
	name: 'Order Status',
	description: 'Updates the customer on an order sent with Order Details. Only where WhatsApp payments are offered: India.',
	header: 'none',
	body: 'required',
	footer: true,
	properties: [
		{ displayName: PAYMENTS_NOTICE, name: 'interactiveOrderStatusNotice', type: 'notice', default: '' },
		{
			...referenceIdProperty,
			description: 'The Reference ID of the Order Details message this status is about',
		},
		{
			displayName: 'Order Status',
			name: 'interactiveOrderStatus',
			type: 'options',
			default: 'processing',
			options: [
				{ name: 'Canceled', value: 'canceled', description: 'Cancels the order; fails if it already has a successful or pending payment' },
				{ name: 'Completed', value: 'completed', description: 'Nothing more is expected from anyone' },
				{ name: 'Partially Shipped', value: 'partially-shipped', description: 'Some of the products were shipped' },
				{ name: 'Pending', value: 'pending', description: 'The customer has not paid successfully yet' },
				{ name: 'Processing', value: 'processing', description: 'Payment authorized; you are fulfilling the order' },
				{ name: 'Shipped', value: 'shipped', description: 'All products were shipped' },
			],
			description: 'The new status of the order',
		},
		{
			displayName: 'Status Description',
			name: 'interactiveOrderStatusDescription',
			type: 'string',
			default: '',
			placeholder: 'Handed to the courier',
			description: 'Optional reason or detail shown with the status, up to 120 characters',
		},
	],
	action(context) {
		const referenceId = orderReferenceId(context.get('interactiveOrderReferenceId', ''));
		const status = textOf('Order Status', context.get('interactiveOrderStatus', 'processing')).trim();
		if (!ORDER_STATUSES.includes(status)) {
			throw new FieldError('Order Status', `Order Status "${status}" is not supported; use one of ${ORDER_STATUSES.join(', ')}`);
		}
		const field = 'Status Description';
		const description = optionalText(field, textOf(field, context.get('interactiveOrderStatusDescription', '')), ORDER_LIMITS.statusDescription);
		return {
			name: 'review_order',
			parameters: { reference_id: referenceId, order: { status, ...(description !== undefined ? { description } : {}) } },
		};
	},
};
