/**
 * Marketing templates through the Marketing Messages API (360dialog's MM Lite, beta): the Send
 * node posts to /marketing_messages, the emulator checks the body against Meta's
 * MarketingMessageRequestPayload and the template store. Everything the API does not take is refused
 * before the request, naming the field and the item.
 */
import type { INodeExecutionData, INodeParameters, ResourceMapperValue } from 'n8n-workflow';

import { TO, TO_WA_ID } from '../support/bodies';
import { validateMarketingMessageBody } from '../support/metaSpec';
import { runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

const fromList = (key: string) => ({ __rl: true, mode: 'list', value: key, cachedResultName: key });
const mapped = (value: ResourceMapperValue['value']): ResourceMapperValue => ({
	mappingMode: 'defineBelow',
	value,
	matchingColumns: [],
	schema: [],
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});

const WELCOME = { template: fromList('welcome_customer|de'), templateFields: mapped({ 'body.first_name': 'Erika', 'body.shop_name': 'Example Shop' }) };

function send(parameters: INodeParameters, input?: INodeExecutionData[], continueOnFail = false) {
	return runSendNode(emulator, { messageType: 'template', to: TO, templateViaMarketingMessages: true, ...parameters }, input, { continueOnFail });
}

describe('Send node: marketing templates through the Marketing Messages API (MM Lite)', () => {
	it('posts the template to /marketing_messages with activity sharing as chosen; the body is what Meta’s schema allows', async () => {
		const { items, error } = await send({ ...WELCOME, templateActivitySharing: 'on' });
		expect(error).toBeUndefined();
		const [sent] = emulator.messages();
		expect(sent.path).toBe('/marketing_messages');
		expect(sent.body).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: TO_WA_ID,
			type: 'template',
			template: {
				name: 'welcome_customer',
				language: { code: 'de', policy: 'deterministic' },
				components: [
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'Erika', parameter_name: 'first_name' },
							{ type: 'text', text: 'Example Shop', parameter_name: 'shop_name' },
						],
					},
				],
			},
			message_activity_sharing: true,
		});
		expect(validateMarketingMessageBody(sent.body)).toMatchObject({ valid: true, errors: [] });
		expect(items[0]).toEqual({
			json: { messageId: sent.wamid, messageStatus: 'accepted', waId: TO_WA_ID, input: TO_WA_ID, type: 'template', to: TO_WA_ID, sentVia: 'marketing_messages' },
			pairedItem: { item: 0 },
		});
	});

	it('leaves message_activity_sharing out unless chosen, and sends false when switched off', async () => {
		await send(WELCOME);
		await send({ ...WELCOME, templateActivitySharing: 'off' });
		const [byDefault, off] = emulator.messages().map((message) => message.body as Record<string, unknown>);
		expect(byDefault).not.toHaveProperty('message_activity_sharing');
		expect(off.message_activity_sharing).toBe(false);
	});

	it('refuses a utility template before sending, naming the option and the item', async () => {
		const { error } = await send({ template: fromList('shipping_confirmation|en_US'), templateFields: mapped({ 'header.text.1': '1', 'body.1': 'Max', 'body.2': 'DHL', 'button.0.url': '1' }) }, [{ json: {} }, { json: {} }]);
		expect(error?.message).toBe(
			'Send via Marketing Messages API: template shipping_confirmation (en_US) is UTILITY; the Marketing Messages API sends MARKETING templates only. Switch the option off to send it through the Cloud API. [item 0]',
		);
		expect(emulator.requests().filter((request) => request.method === 'POST')).toEqual([]);
	});

	it.each([
		['Reply To Message ID', { options: { replyToMessageId: 'wamid.X' } }, 'Reply To Message ID is not available with Send via Marketing Messages API [item 0]'],
		['Tracking Data', { options: { bizOpaqueCallbackData: 'crm-1' } }, 'Tracking Data is not available with Send via Marketing Messages API [item 0]'],
		['a BSUID', { to: 'DE.1300ABCdef123' }, "To: a BSUID is not available with Send via Marketing Messages API; use the customer's phone number [item 0]"],
	])('refuses %s, which the Marketing Messages API does not take', async (_name, parameters, message) => {
		const { error } = await send({ ...WELCOME, ...parameters });
		expect(error?.message).toBe(message);
		expect(emulator.messages()).toHaveLength(0);
	});

	it('a number not onboarded: 131055 (in 360dialog’s `detail` wrapper) becomes an error that says what to do', async () => {
		emulator.configure({ marketingMessagesOnboarded: false });
		const { error } = await send(WELCOME);
		expect(error?.message).toContain('WhatsApp error 131055');
		expect(error?.message).toContain('accept its terms in the 360dialog hub');
		expect(error?.description).toContain('Details: The number has not accepted the Marketing Messages API terms.');
		expect(emulator.messages()).toHaveLength(0);
	});

	it('the emulator refuses what the API refuses: a text message, a non-marketing template (independent of the node)', async () => {
		const post = async (body: unknown) =>
			await fetch(`${emulator.url}/marketing_messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'D360-API-KEY': emulator.apiKey }, body: JSON.stringify(body) });
		const text = await post({ messaging_product: 'whatsapp', recipient_type: 'individual', to: TO_WA_ID, type: 'text', text: { body: 'hi' } });
		expect(text.status).toBe(400);
		expect(await text.json()).toMatchObject({ detail: { error: { code: 100, error_data: { details: 'Message must be a template message.' } } } });
		const utility = await post({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: TO_WA_ID,
			type: 'template',
			template: { name: 'appointment_reminder', language: { code: 'en_US' } },
		});
		expect(utility.status).toBe(400);
		expect(JSON.stringify(await utility.json())).toMatch(/"code":(100|132\d+)/);
		expect(emulator.messages()).toHaveLength(0);
	});
});
