/**
 * Meta's template creation rules as the Account node checks them before any request
 * (nodes/Dialog360Account/template/rules.ts), from the form (build.ts) and from JSON; every error
 * names the field.
 */
import { buildTemplateFromForm, templateFromJson, type TemplateForm } from '../../../nodes/Dialog360Account/template/build';
import { checkTemplateCreate, checkVariables, FORM_LABELS, JSON_LABELS } from '../../../nodes/Dialog360Account/template/rules';
import { FieldError } from '../../../nodes/common/validation';

type Json = Record<string, unknown>;

function problem(run: () => unknown): { field: string; message: string } | undefined {
	try {
		run();
		return undefined;
	} catch (error) {
		if (error instanceof FieldError) return { field: error.field, message: error.message };
		throw error;
	}
}

const form = (overrides: Partial<TemplateForm> = {}): TemplateForm => ({
	name: 'order_shipped',
	language: 'en_US',
	category: 'UTILITY',
	body: 'Hi {{1}}, your order {{2}} has shipped.',
	bodyExamples: [
		{ variable: '1', example: 'Max' },
		{ variable: '2', example: '4711' },
	],
	...overrides,
});

const checkForm = (overrides: Partial<TemplateForm> = {}) => problem(() => checkTemplateCreate(buildTemplateFromForm(form(overrides)), FORM_LABELS));
const checkJson = (body: Json) => problem(() => checkTemplateCreate(templateFromJson('Template JSON', body), JSON_LABELS('Template JSON')));

describe('form → body', () => {
	it('builds header, body with examples, footer and buttons in Meta\'s shape', () => {
		const body = buildTemplateFromForm(
			form({
				category: 'MARKETING',
				headerType: 'TEXT',
				headerText: 'Order {{1}}',
				headerExample: '4711',
				footer: 'Reply STOP to opt out',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'Stop' },
					{ type: 'URL', text: 'Track', url: 'https://shop.example.com/t/{{1}}', urlSuffixExample: '4711' },
					{ type: 'PHONE_NUMBER', text: 'Call us', phoneNumber: '+4930123456789' },
					{ type: 'COPY_CODE', couponExample: 'SAVE20' },
				],
			}),
		);
		expect(body).toEqual({
			name: 'order_shipped',
			language: 'en_US',
			category: 'MARKETING',
			parameter_format: 'POSITIONAL',
			components: [
				{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['4711'] } },
				{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.', example: { body_text: [['Max', '4711']] } },
				{ type: 'FOOTER', text: 'Reply STOP to opt out' },
				{
					type: 'BUTTONS',
					buttons: [
						{ type: 'QUICK_REPLY', text: 'Stop' },
						{ type: 'URL', text: 'Track', url: 'https://shop.example.com/t/{{1}}', example: ['https://shop.example.com/t/4711'] },
						{ type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+4930123456789' },
						{ type: 'COPY_CODE', example: 'SAVE20' },
					],
				},
			],
		});
		expect(problem(() => checkTemplateCreate(body, FORM_LABELS))).toBeUndefined();
	});

	it('named variables give the _named_params examples', () => {
		const body = buildTemplateFromForm(form({ parameterFormat: 'NAMED', body: 'Hi {{first_name}}, welcome.', bodyExamples: [{ variable: '{{first_name}}', example: 'Max' }] }));
		expect(body.components).toEqual([{ type: 'BODY', text: 'Hi {{first_name}}, welcome.', example: { body_text_named_params: [{ param_name: 'first_name', example: 'Max' }] } }]);
		expect(problem(() => checkTemplateCreate(body, FORM_LABELS))).toBeUndefined();
	});

	it('authentication: fixed body, expiry footer, one OTP button', () => {
		const body = buildTemplateFromForm({ name: 'login_code', language: 'en_US', category: 'AUTHENTICATION', codeExpirationMinutes: 5, otpType: 'ONE_TAP', packageName: 'com.example.app', signatureHash: 'K8a/AINcGX7', autofillText: 'Autofill' });
		expect(body.components).toEqual([
			{ type: 'BODY', add_security_recommendation: true },
			{ type: 'FOOTER', code_expiration_minutes: 5 },
			{ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'ONE_TAP', supported_apps: [{ package_name: 'com.example.app', signature_hash: 'K8a/AINcGX7' }], autofill_text: 'Autofill' }] },
		]);
		expect(problem(() => checkTemplateCreate(body, FORM_LABELS))).toBeUndefined();
	});
});

describe('rules, named by form field', () => {
	it.each<[string, Partial<TemplateForm>, string, RegExp]>([
		['upper case name', { name: 'Order_Shipped' }, 'Template Name', /lowercase letters, digits and underscores/],
		['name with a space', { name: 'order shipped' }, 'Template Name', /lowercase/],
		['name too long', { name: 'a'.repeat(513) }, 'Template Name', /513 characters; WhatsApp allows 512/],
		['language', { language: 'english' }, 'Language', /not a WhatsApp language code/],
		['category', { category: 'PROMO' }, 'Category', /must be one of MARKETING, UTILITY, AUTHENTICATION/],
		['empty body', { body: '', bodyExamples: [] }, 'Body', /Body is required/],
		['body too long', { body: `Hi ${'x'.repeat(1100)}.`, bodyExamples: [] }, 'Body', /WhatsApp allows 1024/],
		['gap in numbering', { body: 'Hi {{1}} and {{3}}.', bodyExamples: [{ variable: '1', example: 'a' }, { variable: '3', example: 'b' }] }, 'Body', /\{\{2\}\} is missing/],
		['named variable in a positional template', { body: 'Hi {{name}}.', bodyExamples: [{ variable: 'name', example: 'a' }] }, 'Body', /not positional/],
		['malformed variable', { body: 'Hi {{1}, welcome.', bodyExamples: [] }, 'Body', /malformed variable/],
		['body starts with a variable', { body: '{{1}}, your order {{2}} shipped.' }, 'Body', /may not start with a variable/],
		['body ends with a variable', { body: 'Hi {{1}}, your order is {{2}}' }, 'Body', /may not end with a variable/],
		['missing example', { bodyExamples: [{ variable: '1', example: 'Max' }] }, 'Body Variable Examples', /\{\{2\}\} needs an example value/],
		['example for an unused variable', { bodyExamples: [{ variable: '1', example: 'a' }, { variable: '2', example: 'b' }, { variable: '3', example: 'c' }] }, 'Body Variable Examples', /\{\{3\}\}, which the body does not use/],
		['header text too long', { headerType: 'TEXT', headerText: 'x'.repeat(61) }, 'Header Text', /WhatsApp allows 60/],
		['two header variables', { headerType: 'TEXT', headerText: '{{1}} and {{2}}', headerExample: 'a' }, 'Header Text', /a header allows 1/],
		['header variable without example', { headerType: 'TEXT', headerText: 'Order {{1}}' }, 'Header Variable Example', /needs an example value/],
		['image header without handle', { headerType: 'IMAGE' }, 'Header Media Handle', /needs one example media handle/],
		['footer too long', { footer: 'x'.repeat(61) }, 'Footer', /WhatsApp allows 60/],
		['footer variable', { footer: 'Hi {{1}}' }, 'Footer', /may not contain variables/],
		['button text too long', { buttons: [{ type: 'QUICK_REPLY', text: 'x'.repeat(26) }] }, 'Button 1 Text', /WhatsApp allows 25/],
		['button without text', { buttons: [{ type: 'QUICK_REPLY', text: '' }] }, 'Button 1 Text', /required/],
		['URL variable not at the end', { buttons: [{ type: 'URL', text: 'Go', url: 'https://x.example/{{1}}/track', urlSuffixExample: '1' }] }, 'Button 1 URL', /at the end/],
		['URL variable without example', { buttons: [{ type: 'URL', text: 'Go', url: 'https://x.example/{{1}}' }] }, 'Button 1 Example', /must be the URL with a sample suffix/],
		['URL not http', { buttons: [{ type: 'URL', text: 'Go', url: 'ftp://x.example/' }] }, 'Button 1 URL', /not an http\(s\) URL/],
		['three URL buttons', { buttons: [1, 2, 3].map((n) => ({ type: 'URL', text: `Go ${n}`, url: `https://x.example/${n}` })) }, 'Buttons', /3 URL buttons; WhatsApp allows 2/],
		['two phone buttons', { buttons: [1, 2].map((n) => ({ type: 'PHONE_NUMBER', text: `Call ${n}`, phoneNumber: '+4930123456' })) }, 'Buttons', /2 phone-number buttons; WhatsApp allows 1/],
		['eleven buttons', { buttons: Array.from({ length: 11 }, (_, n) => ({ type: 'QUICK_REPLY', text: `Q${n}` })) }, 'Buttons', /11 buttons; WhatsApp allows 10/],
		['quick replies split by a URL', { buttons: [{ type: 'QUICK_REPLY', text: 'A' }, { type: 'URL', text: 'Go', url: 'https://x.example/' }, { type: 'QUICK_REPLY', text: 'B' }] }, 'Button 2 Type', /grouped together/],
		['copy code in a utility template', { buttons: [{ type: 'COPY_CODE', couponExample: 'SAVE20' }] }, 'Button 1 Type', /only allowed in MARKETING/],
		['coupon too long', { category: 'MARKETING', buttons: [{ type: 'COPY_CODE', couponExample: 'X'.repeat(16) }] }, 'Button 1 Example', /WhatsApp allows 15/],
		['bad phone number', { buttons: [{ type: 'PHONE_NUMBER', text: 'Call', phoneNumber: 'call me' }] }, 'Button 1 Phone Number', /not a phone number/],
	])('%s', (_title, overrides, field, message) => {
		const found = checkForm(overrides);
		expect(found?.field).toBe(field);
		expect(found?.message).toMatch(message);
	});

	it.each<[string, Partial<TemplateForm>, string, RegExp]>([
		['zero-tap without accepted terms', { otpType: 'ZERO_TAP', packageName: 'com.example.app', signatureHash: 'K8a/AINcGX7' }, 'Button 1 OTP Type', /zero_tap_terms_accepted/],
		['one-tap without package', { otpType: 'ONE_TAP', signatureHash: 'K8a/AINcGX7' }, 'Button 1 Package Name', /required/],
		['one-tap with a wrong hash', { otpType: 'ONE_TAP', packageName: 'com.example.app', signatureHash: 'short' }, 'Button 1 Signature Hash', /11-character/],
		['expiry above 90', { codeExpirationMinutes: 120 }, 'Code Expiration (Minutes)', /1 to 90/],
	])('authentication: %s', (_title, overrides, field, message) => {
		const found = checkForm({ category: 'AUTHENTICATION', body: undefined, bodyExamples: undefined, ...overrides });
		expect(found?.field).toBe(field);
		expect(found?.message).toMatch(message);
	});
});

describe('rules on a JSON body, named by path', () => {
	const valid = { name: 'x_1', language: 'de', category: 'marketing', components: [{ type: 'BODY', text: 'Hallo {{1}}!', example: { body_text: [['Erika']] } }] };

	it('accepts a valid body (category in any case, language as {code})', () => {
		expect(checkJson(valid)).toBeUndefined();
		expect(checkJson({ ...valid, language: { code: 'de' } })).toBeUndefined();
	});

	it.each<[string, Json, string, RegExp]>([
		['no components', { ...valid, components: [] }, 'Template JSON → components', /at least a body/],
		['twice a body', { ...valid, components: [valid.components[0], valid.components[0]] }, 'Template JSON → components', /more than once/],
		['unknown component', { ...valid, components: [...valid.components, { type: 'GALLERY' }] }, 'Template JSON → components', /not one of HEADER/],
		['auth with body text', { ...valid, category: 'AUTHENTICATION', components: [{ type: 'BODY', text: 'Code {{1}}.' }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] }] }, 'Template JSON → BODY component', /fixed text/],
		['auth with a header', { ...valid, category: 'AUTHENTICATION', components: [{ type: 'HEADER', format: 'TEXT', text: 'x' }, { type: 'BODY' }] }, 'Template JSON → HEADER component', /no header/],
		['auth with a quick reply', { ...valid, category: 'AUTHENTICATION', components: [{ type: 'BODY' }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'x' }] }] }, 'Template JSON → button 1 type', /must be OTP/],
		['OTP button in a marketing template', { ...valid, components: [...valid.components, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] }] }, 'Template JSON → button 1 type', /belong to authentication/],
		['named examples missing', { ...valid, parameter_format: 'NAMED', components: [{ type: 'BODY', text: 'Hi {{first_name}}!', example: { body_text_named_params: [] } }] }, 'Template JSON → BODY example', /needs an example value/],
		['not JSON', { broken: true }, 'Template JSON → name', /required/],
	])('%s', (_title, body, field, message) => {
		const found = checkJson(body);
		expect(found?.field).toBe(field);
		expect(found?.message).toMatch(message);
	});

	it('a JSON text that does not parse names the field', () => {
		expect(problem(() => templateFromJson('Template JSON', '{nope'))?.message).toMatch(/Template JSON is not valid JSON/);
	});
});

describe('checkVariables', () => {
	it('returns the distinct variables in order and accepts repeats', () => {
		expect(checkVariables('Body', 'a {{1}} b {{2}} c {{1}} d', false)).toEqual(['1', '2']);
		expect(checkVariables('Body', 'a {{ first_name }} b', true)).toEqual(['first_name']);
	});

	it('refuses mixing styles', () => {
		expect(problem(() => checkVariables('Body', 'a {{1}} b {{name}} c', false))?.message).toMatch(/not positional/);
		expect(problem(() => checkVariables('Body', 'a {{1}} b', true))?.message).toMatch(/not a named variable/);
	});
});
