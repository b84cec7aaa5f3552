/**
 * Order Details and Order Status (WhatsApp payments, India) through the real Send node inside
 * n8n-core, against the emulator: items mapped from the input by expression, the computed totals
 * accepted by the emulator's independent arithmetic, a bad row reported with its field and item
 * before anything is sent, Continue On Fail, and the optional image header (binary file or link).
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { PNG_1X1, TO, TO_WA_ID } from '../support/bodies';
import { validateSendBody } from '../support/metaSpec';
import { runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

beforeEach(() => {
	emulator.openConversation(TO_WA_ID);
});

/** An order details message whose items, reference and discount come from the input item. */
const ORDER: INodeParameters = {
	messageType: 'interactive',
	to: TO,
	interactiveType: 'order_details',
	interactiveBodyText: '=Order {{ $json.orderId }}',
	interactiveOrderReferenceId: '={{ $json.orderId }}',
	interactiveOrderGoodsType: 'digital-goods',
	interactiveOrderPaymentMethod: 'upi',
	interactiveOrderPaymentConfiguration: 'upi-main',
	interactiveOrderItemsMode: 'json',
	interactiveOrderItemsJson: '={{ $json.items }}',
	interactiveOrderTax: '={{ $json.tax }}',
	interactiveOrderOptions: { discount: '={{ $json.discount }}', discountProgramName: 'Welcome' },
};

const paise = (value: number) => ({ value, offset: 100 });
const row = (orderId: string, items: unknown[], extra: IDataObject = {}): INodeExecutionData => ({ json: { orderId, items, tax: 18, discount: 10, ...extra } });
const course = (value: number, quantity = 1, sale?: number) => ({ retailer_id: 'C-1', name: 'Course', amount: paise(value), ...(sale ? { sale_amount: paise(sale) } : {}), quantity });

async function send(input: INodeExecutionData[], parameters: INodeParameters = ORDER, continueOnFail = false) {
	return await runSendNode(emulator, parameters, input, { continueOnFail });
}

describe('Send node → emulator: order details and order status', () => {
	it('sends one order per item with items mapped by expression; the emulator’s arithmetic agrees', async () => {
		const result = await send([row('ORDER-1', [course(49900, 2, 39900)]), row('ORDER-2', [course(10000), { ...course(5000, 3), retailer_id: 'C-2' }])]);
		expect(result.error).toBeUndefined();
		const bodies = emulator.messages().map((m) => m.body as IDataObject);
		expect(bodies).toHaveLength(2);
		for (const body of bodies) expect(validateSendBody(body).errors).toEqual([]);
		const parameters = bodies.map((b) => ((b.interactive as IDataObject).action as IDataObject).parameters as IDataObject);
		// 2 × 399.00 + 18.00 − 10.00 = 806.00;  100.00 + 3 × 50.00 + 18.00 − 10.00 = 258.00
		expect(parameters.map((p) => [p.reference_id, p.payment_type, p.payment_configuration, p.total_amount])).toEqual([
			['ORDER-1', 'upi', 'upi-main', paise(80600)],
			['ORDER-2', 'upi', 'upi-main', paise(25800)],
		]);
		expect((parameters[0].order as IDataObject).discount).toEqual({ ...paise(1000), discount_program_name: 'Welcome' });
		expect(result.items.map((i) => i.json)).toMatchObject([
			{ messageStatus: 'accepted', type: 'interactive', waId: TO_WA_ID },
			{ messageStatus: 'accepted', type: 'interactive', waId: TO_WA_ID },
		]);
	});

	it('stops before sending anything when one row breaks a rule, naming the field and the item', async () => {
		const result = await send([row('ORDER-1', [course(10000)]), row('ORDER-2', [course(10000, 1, 12000)])]);
		expect(result.error?.message).toBe('Item 1 Sale Price (INR 120.00) must be less than its Price (INR 100.00) [item 1]');
		expect(emulator.requests()).toEqual([]);
	});

	it('reports a bad reference ID from the data', async () => {
		const result = await send([row('ORDER 1', [course(10000)])]);
		expect(result.error?.message).toBe('Reference ID "ORDER 1" may only contain English letters, digits, underscores, dashes and dots [item 0]');
		expect(emulator.requests()).toEqual([]);
	});

	it('with Continue On Fail, sends the good orders and reports the bad one', async () => {
		const result = await send([row('ORDER-1', [course(10000)]), row('ORDER-2', [course(500)], { discount: 50 })], ORDER, true);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ messageStatus: 'accepted', type: 'interactive' });
		expect(result.items[1].json.error).toBe('Discount (INR 50.00) leaves nothing to pay: the order comes to INR 23.00 before the discount [item 1]');
		expect(emulator.messages()).toHaveLength(1);
	});

	it('sends an order status for the same reference', async () => {
		const result = await send([{ json: { orderId: 'ORDER-1', status: 'processing' } }], {
			messageType: 'interactive',
			to: TO,
			interactiveType: 'order_status',
			interactiveBodyText: 'Payment received, we are packing your order',
			interactiveOrderReferenceId: '={{ $json.orderId }}',
			interactiveOrderStatus: '={{ $json.status }}',
			interactiveOrderStatusDescription: 'Ships tomorrow',
		});
		expect(result.error).toBeUndefined();
		const [recorded] = emulator.messages();
		expect(validateSendBody(recorded.body).errors).toEqual([]);
		expect(((recorded.body as IDataObject).interactive as IDataObject).action).toEqual({
			name: 'review_order',
			parameters: { reference_id: 'ORDER-1', order: { status: 'processing', description: 'Ships tomorrow' } },
		});
	});

	describe('the optional image header', () => {
		const headerOf = (body: unknown) => ((body as IDataObject).interactive as IDataObject).header as IDataObject;
		const withImage = (parameters: INodeParameters): INodeParameters => ({ ...ORDER, interactiveHeaderType: 'image', ...parameters });
		const withFile = (item: INodeExecutionData, data: Buffer, mimeType: string, fileName: string): INodeExecutionData => ({
			...item,
			binary: { photo: { data: data.toString('base64'), mimeType, fileName } },
		});

		it('uploads the image of a binary property and sends the order with its media id', async () => {
			const input = [withFile(row('ORDER-1', [course(10000)]), PNG_1X1, 'image/png', 'bill.png')];
			const result = await send(input, withImage({ interactiveHeaderMediaSource: 'binary', interactiveHeaderMediaBinary: 'photo' }));
			expect(result.error).toBeUndefined();
			expect(emulator.mediaUploads()).toBe(1);
			const [recorded] = emulator.messages();
			expect(validateSendBody(recorded.body).errors).toEqual([]);
			expect(headerOf(recorded.body)).toEqual({ type: 'image', image: { id: expect.any(String) } });
			expect(result.items[0].json).toMatchObject({ messageStatus: 'accepted', type: 'interactive' });
		});

		it('sends the image by the link mapped from the item', async () => {
			const result = await send([row('ORDER-1', [course(10000)], { image: 'https://example.com/bill.jpg' })], withImage({ interactiveHeaderMediaLink: '={{ $json.image }}' }));
			expect(result.error).toBeUndefined();
			const [recorded] = emulator.messages();
			expect(validateSendBody(recorded.body).errors).toEqual([]);
			expect(headerOf(recorded.body)).toEqual({ type: 'image', image: { link: 'https://example.com/bill.jpg' } });
		});

		it('refuses a file that is not an image, naming the field and the item, before anything is sent', async () => {
			const input = [
				withFile(row('ORDER-1', [course(10000)]), PNG_1X1, 'image/png', 'bill.png'),
				withFile(row('ORDER-2', [course(10000)]), Buffer.from('%PDF-1.4'), 'application/pdf', 'bill.pdf'),
			];
			const result = await send(input, withImage({ interactiveHeaderMediaSource: 'binary', interactiveHeaderMediaBinary: 'photo' }));
			expect(result.error?.message).toBe(
				'Header Input Binary Field: image does not support MIME type "application/pdf"; WhatsApp accepts image/jpeg, image/png [item 1]',
			);
			expect(emulator.requests()).toEqual([]);
		});

		it('refuses an http:// link from the data, naming the field and the item', async () => {
			const result = await send([row('ORDER-1', [course(10000)], { image: 'http://example.com/bill.jpg' })], withImage({ interactiveHeaderMediaLink: '={{ $json.image }}' }));
			expect(result.error?.message).toBe('Header Media URL must start with https://; got "http://example.com/bill.jpg" [item 0]');
			expect(emulator.requests()).toEqual([]);
		});
	});
});
