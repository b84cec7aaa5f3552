/**
 * 360dialog Account node, Template resource, in n8n-core against the emulator: create from the form
 * (each category) and from JSON, Meta's rules checked before any request (errors name field and
 * item), the emulator's review and status webhook, the Send node sending the new template, list
 * (every page, filters), get, delete (by name, one language), Continue On Fail.
 */
import type { INodeParameters } from 'n8n-workflow';

import { PNG_1X1, TO_WA_ID } from '../support/bodies';
import { requestLines, runAccountNode } from '../support/accountNode';
import { acceptedBodies, runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

const account = (parameters: INodeParameters, input?: Parameters<typeof runAccountNode>[2], continueOnFail = false) =>
	runAccountNode(emulator, { resource: 'template', ...parameters }, input, { continueOnFail });

const utilityForm: INodeParameters = {
	operation: 'create',
	templateName: 'order_shipped',
	language: 'en_US',
	category: 'UTILITY',
	headerType: 'TEXT',
	headerText: 'Order {{1}}',
	headerExample: '4711',
	body: 'Hi {{1}}, your order {{2}} has shipped.',
	bodyExamples: { example: [{ variable: '1', example: 'Max' }, { variable: '2', example: '4711' }] },
	footer: 'Thanks for shopping with us',
	buttons: { button: [{ type: 'URL', text: 'Track', url: 'https://shop.example.com/t/{{1}}', urlSuffixExample: '4711' }, { type: 'PHONE_NUMBER', text: 'Call us', phoneNumber: '+4930123456789' }] },
};

describe('Template → Create', () => {
	it('creates a utility template from the form; once approved, the Send node sends it', async () => {
		const { items, error } = await account(utilityForm);
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: expect.objectContaining({ name: 'order_shipped', language: 'en_US', category: 'UTILITY', status: 'PENDING', id: expect.any(String) }), pairedItem: { item: 0 } }]);
		const posted = emulator.requests().find((request) => request.method === 'POST');
		expect(posted?.url).toBe('/v1/configs/templates');
		expect(posted?.body).toMatchObject({ name: 'order_shipped', parameter_format: 'POSITIONAL', components: expect.arrayContaining([expect.objectContaining({ type: 'BUTTONS' })]) });
		await emulator.idle();
		expect(emulator.templates.find((template) => template.name === 'order_shipped')?.status).toBe('APPROVED');

		const sent = await runSendNode(emulator, {
			messageType: 'template',
			to: TO_WA_ID,
			template: { __rl: true, mode: 'name', value: 'order_shipped|en_US' },
			templateParameterMode: 'json',
			templateParametersJson: '{"header.text.1": "4711", "body.1": "Max", "body.2": "4711", "button.0.url": "4711"}',
		});
		expect(sent.error).toBeUndefined();
		expect(acceptedBodies(emulator)).toHaveLength(1);
	});

	it('keeps {{1}} typed in the editor: fields n8n turned into expressions still create the template with its variables', async () => {
		// What n8n's editor stores once `{{` is typed: the field becomes an expression.
		const { items, error } = await account(
			{
				...utilityForm,
				templateName: '={{ $json.name }}',
				headerText: '=Order {{1}}',
				body: '=Hi {{1}}, your {{ $json.product }} order {{ 2 }} has shipped.',
				bodyExamples: { example: [{ variable: '1', example: 'Max' }, { variable: '2', example: '={{ $json.order }}' }] },
				buttons: { button: [{ type: 'URL', text: 'Track', url: '=https://shop.example.com/t/{{1}}', urlSuffixExample: '4711' }] },
			},
			[{ json: { name: 'typed_variables', product: 'coffee', order: '4711' } }],
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ name: 'typed_variables', status: 'PENDING' });
		const posted = emulator.requests().find((request) => request.method === 'POST')?.body as { components: Array<Record<string, unknown>> };
		expect(posted.components).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' }),
				expect.objectContaining({ type: 'BODY', text: 'Hi {{1}}, your coffee order {{2}} has shipped.', example: { body_text: [['Max', '4711']] } }),
				{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example.com/t/{{1}}', example: ['https://shop.example.com/t/4711'] }] },
			]),
		);
	});

	it('sets the time-to-live within the category’s range, and refuses one outside it before any request', async () => {
		const { error } = await account({ ...utilityForm, templateName: 'short_lived', timeToLiveSeconds: 3600 });
		expect(error).toBeUndefined();
		expect(emulator.requests().find((request) => request.method === 'POST')?.body).toMatchObject({ name: 'short_lived', message_send_ttl_seconds: 3600 });

		const before = emulator.requests().length;
		const tooLong = await account({ ...utilityForm, templateName: 'too_long_lived', timeToLiveSeconds: 86_400 }, [{ json: {} }, { json: {} }]);
		expect(tooLong.error?.message).toBe('Time to Live (Seconds) must be between 30 and 43,200 seconds for UTILITY templates, got 86,400 [item 0]');
		expect(emulator.requests()).toHaveLength(before);

		// A JSON body: the error names the JSON path.
		const json = await account({ operation: 'create', definition: 'json', templateJson: JSON.stringify({ name: 'auth_ttl', language: 'en', category: 'AUTHENTICATION', message_send_ttl_seconds: 1200, components: [{ type: 'BODY' }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] }] }) });
		expect(json.error?.message).toBe('Template JSON → message_send_ttl_seconds must be between 30 and 900 seconds for AUTHENTICATION templates, got 1,200 [item 0]');
	});

	it('creates marketing (named variables, quick replies and copy code) and authentication templates', async () => {
		// A handle from an earlier upload (the emulator accepts only handles it issued).
		const uploads = emulator.state.account.uploads;
		const session = uploads.create(PNG_1X1.length, 'image/png');
		uploads.append(session, PNG_1X1);
		const handle = uploads.complete(session).handle;
		const marketing = await account({
			operation: 'create',
			templateName: 'spring_sale',
			language: 'de',
			category: 'MARKETING',
			parameterFormat: 'NAMED',
			headerType: 'IMAGE',
			headerMediaSource: 'handle',
			headerHandle: handle,
			body: 'Hallo {{first_name}}, alles {{discount}} günstiger.',
			bodyExamples: { example: [{ variable: 'first_name', example: 'Erika' }, { variable: 'discount', example: '20%' }] },
			buttons: { button: [{ type: 'QUICK_REPLY', text: 'Stopp' }, { type: 'QUICK_REPLY', text: 'Mehr' }, { type: 'COPY_CODE', couponExample: 'SPRING20' }] },
		});
		expect(marketing.error).toBeUndefined();
		const auth = await account({ operation: 'create', templateName: 'login_code', language: 'en_US', category: 'AUTHENTICATION', codeExpirationMinutes: 5, otpType: 'COPY_CODE' });
		expect(auth.error).toBeUndefined();
		const bodies = emulator.requests().filter((request) => request.method === 'POST').map((request) => request.body);
		expect(bodies[1]).toEqual({
			name: 'login_code',
			language: 'en_US',
			category: 'AUTHENTICATION',
			components: [{ type: 'BODY', add_security_recommendation: true }, { type: 'FOOTER', code_expiration_minutes: 5 }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] }],
		});
	});

	it('creates from a JSON body given by an expression', async () => {
		const { items, error } = await account(
			{ operation: 'create', definition: 'json', templateJson: '={{ $json.template }}' },
			[{ json: { template: { name: 'x_json', language: 'en', category: 'utility', components: [{ type: 'BODY', text: 'Your code is ready.' }] } } }],
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ name: 'x_json', category: 'UTILITY', status: 'PENDING' });
	});

	it.each<[string, INodeParameters, string]>([
		['bad name', { templateName: 'Order Shipped' }, 'Template Name "Order Shipped" may contain only lowercase letters'],
		['missing example', { bodyExamples: { example: [{ variable: '1', example: 'Max' }] } }, 'Body Variable Examples: variable {{2}} needs an example value'],
		['body ends with a variable', { body: 'Hi {{1}}, your order is {{2}}' }, 'Body may not end with a variable'],
		['URL button without suffix example', { buttons: { button: [{ type: 'URL', text: 'Track', url: 'https://x.example/{{1}}' }] } }, 'Button 1 Example'],
		['copy code in a utility template', { buttons: { button: [{ type: 'COPY_CODE', couponExample: 'X' }] } }, 'Button 1 Type: copy-code (coupon) buttons are only allowed in MARKETING templates'],
	])('refuses %s before any request, naming field and item', async (_title, overrides, message) => {
		const { error } = await account({ ...utilityForm, ...overrides });
		expect(error?.message).toContain(message);
		expect(error?.message).toContain('[item 0]');
		expect(emulator.requests()).toEqual([]);
	});

	it('an invalid second item stops the run before the first is sent; with Continue On Fail only it fails', async () => {
		const parameters = { operation: 'create', definition: 'json', templateJson: '={{ $json.template }}' };
		const good = { name: 'good_one', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello there.' }] };
		const bad = { ...good, name: 'bad', components: [{ type: 'BODY', text: 'Hello {{2}}.' , example: { body_text: [['x']] } }] };
		const stopped = await account(parameters, [{ json: { template: good } }, { json: { template: bad } }]);
		expect(stopped.error?.message).toMatch(/Template JSON → BODY component: variables must be numbered .* \[item 1\]/);
		expect(emulator.requests()).toEqual([]);

		const continued = await account(parameters, [{ json: { template: good } }, { json: { template: bad } }], true);
		expect(continued.error).toBeUndefined();
		expect(continued.items.map((item) => [item.pairedItem, item.json.error === undefined])).toEqual([[{ item: 0 }, true], [{ item: 1 }, false]]);
		expect(requestLines(emulator)).toEqual(['POST /v1/configs/templates']);
	});

	it('an API refusal (name and language exist) is an item error', async () => {
		const { error } = await account({ ...utilityForm, templateName: 'hello_world', headerType: 'none', buttons: {}, body: 'Hi {{1}}, order {{2}} shipped.' });
		expect(error?.message).toMatch(/already exists|Invalid parameter/);
	});
});

describe('Template → Get Many / Get / Delete', () => {
	it('lists every page with filters', async () => {
		const all = await account({ operation: 'list', returnAll: true });
		expect(all.items).toHaveLength(emulator.templates.length);
		const filtered = await account({ operation: 'list', returnAll: true, filters: { status: 'APPROVED', category: 'AUTHENTICATION', language: 'de' } });
		expect(filtered.items.map((item) => `${item.json.name}|${item.json.language}`)).toEqual(['verification_code|de']);
		const named = await account({ operation: 'list', returnAll: false, limit: 2, filters: { name: 'order' } });
		expect(named.items.map((item) => item.json.name)).toEqual(['order_update', 'order_update']);
		expect(named.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('gets a template in one language or all', async () => {
		const one = await account({ operation: 'get', templateName: 'order_update', language: 'de' });
		expect(one.items.map((item) => item.json.language)).toEqual(['de']);
		const every = await account({ operation: 'get', templateName: 'order_update' });
		expect(every.items.map((item) => item.json.language)).toEqual(['en_US', 'de', 'fr']);
		const missing = await account({ operation: 'get', templateName: 'order_update', language: 'it' });
		expect(missing.error?.message).toContain('Template "order_update" in it was not found [item 0]');
		expect((missing.error as { description?: string }).description).toContain('en_US, de, fr');
	});

	it('deletes one language (by its id), then every language', async () => {
		const one = await account({ operation: 'delete', templateName: 'order_update', language: 'de' });
		expect(one.items[0].json).toMatchObject({ name: 'order_update', language: 'de', deleted: true });
		expect(emulator.templates.filter((template) => template.name === 'order_update').map((template) => template.language)).toEqual(['en_US', 'fr']);
		const all = await account({ operation: 'delete', templateName: 'order_update' });
		expect(all.items[0].json).toEqual({ name: 'order_update', deleted: true });
		expect(emulator.templates.some((template) => template.name === 'order_update')).toBe(false);
		const again = await account({ operation: 'delete', templateName: 'order_update' }, undefined, true);
		expect(again.items[0].json.error).toBeDefined();
		const bad = await account({ operation: 'delete', templateName: 'Order Update' });
		expect(bad.error?.message).toContain('Template Name "Order Update" is not a template name (lowercase letters, digits and underscores) [item 0]');
	});
});
