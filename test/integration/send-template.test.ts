/**
 * Template messages through the real node against the local emulator: the Template dropdown
 * (listSearch, every page, approved only, search, fallback endpoint), the generated variable
 * fields (resourceMapping), the exact bodies the emulator records, template definitions loaded
 * once per execution, and validation that stops a batch before anything is sent.
 *
 * listSearch and resourceMapping run in n8n-core's own LoadOptionsContext, the context the
 * editor's backend gives these methods.
 */
import 'reflect-metadata';
import { LoadOptionsContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeType,
	type IWorkflowExecuteAdditionalData,
	type NodeParameterValueType,
	type ResourceMapperFields,
	type ResourceMapperValue,
} from 'n8n-workflow';

import { Dialog360 } from '../../nodes/Dialog360/Dialog360.node';
import { TEMPLATE_PAGE_SIZE } from '../../nodes/common/templateList';
import { parseTemplateDefinition } from '../../nodes/Dialog360/messageTypes/template/definition';
import { EDITOR_CACHE_TTL_MS, editorTemplateCache } from '../../nodes/Dialog360/messageTypes/template/editorCache';
import { LIST_SEARCH_BATCH, templateFields } from '../../nodes/Dialog360/messageTypes/template/editor';
import { TEMPLATES, type MessageTemplate, type RecordedRequest } from '../emulator';
import { ENVELOPE, PNG_1X1, TO, TO_WA_ID } from '../support/bodies';
import { validateSendBody } from '../support/metaSpec';
import { acceptedBodies, runSendNode, SEND_NODE_TYPE } from '../support/sendNode';
import { emulatorCredential, useEmulator } from '../support/useEmulator';

/** A second key the emulator accepts: another credential of the same account. */
const SECOND_KEY = 'second-key';

const emulator = useEmulator({ apiKeys: ['test-key', SECOND_KEY] });
beforeEach(() => {
	// The editor keeps the template list for a few seconds; each test starts without it.
	editorTemplateCache.clear();
});

const keyOf = (template: { name: string; language: string }) => `${template.name}|${template.language}`;
const approvedKeys = () => emulator.templates.filter((t) => t.status === 'APPROVED').map(keyOf).sort();
const language = (code: string) => ({ code, policy: 'deterministic' });
const text = (value: string, name?: string) => ({ type: 'text', text: value, ...(name ? { parameter_name: name } : {}) });
const button = (index: number, subType: string, parameter: IDataObject) => ({ type: 'button', sub_type: subType, index: String(index), parameters: [parameter] });

/** Extra approved (and some paused) templates, so listings span several pages. */
function addTemplates(count: number): void {
	const extra: MessageTemplate[] = Array.from({ length: count }, (_, i) => ({
		id: `9${String(i).padStart(15, '0')}`,
		name: `bulk_notice_${String(i).padStart(3, '0')}`,
		language: 'en_US',
		status: i % 10 === 9 ? 'PAUSED' : 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [{ type: 'BODY', text: `Notice ${i} for {{1}}.`, example: { body_text: [['Max']] } }],
	}));
	emulator.templates = [...emulator.templates, ...extra];
}

/** API requests the emulator saw, read through its control API as a test client would. */
async function recordedRequests(): Promise<RecordedRequest[]> {
	const response = await fetch(`${emulator.url}/_emulator/requests`);
	return (await response.json()) as RecordedRequest[];
}

async function templateListRequests(): Promise<string[]> {
	return (await recordedRequests())
		.filter((request) => request.method === 'GET' && /^\/(v1\/configs\/templates|message_templates)/.test(request.url))
		.map((request) => request.url);
}

// ---------------------------------------------------------------------------------------------
// The editor side: listSearch and resourceMapping in n8n-core's LoadOptionsContext
// ---------------------------------------------------------------------------------------------

/** Applies the credential's header auth, as n8n's CredentialsHelper does for generic auth. */
function credentialsHelper(credentials: ICredentialDataDecryptedObject) {
	return {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		runPreAuthentication: async () => undefined,
		preAuthentication: async () => undefined,
		getDecrypted: async () => ({ ...credentials }),
		authenticate: async (decrypted: ICredentialDataDecryptedObject, _type: string, request: IHttpRequestOptions) => ({
			...request,
			headers: { ...(request.headers ?? {}), 'D360-API-KEY': String(decrypted.apiKey) },
		}),
	};
}

function loadOptionsContext(parameters: INodeParameters, apiKey = emulator.apiKey): LoadOptionsContext {
	const nodeType = new Dialog360();
	const node: INode = {
		id: 'send-node',
		name: 'Send Template',
		type: SEND_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { messageType: 'template', to: TO, ...parameters },
		credentials: { dialog360Api: { id: 'cred-1', name: '360dialog' } },
	};
	const nodeTypes = {
		getByName: (): INodeType => nodeType,
		getByNameAndVersion: (): INodeType => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: false, nodeTypes, settings: {} });
	const base: IDataObject = {
		credentialsHelper: credentialsHelper(emulatorCredential(emulator, apiKey)) as unknown as IDataObject,
		currentNodeParameters: node.parameters,
		restApiUrl: 'http://localhost/rest',
		variables: {},
	};
	const additionalData = new Proxy(base, {
		get: (target, key) => (key in target ? target[key as string] : undefined),
	}) as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, workflow.getNode(node.name) as INode, additionalData, 'parameters.template');
}

const methods = new Dialog360().methods ?? {};

async function listSearch(filter?: string, paginationToken?: string, apiKey?: string): Promise<INodeListSearchResult> {
	const search = methods.listSearch?.searchTemplates;
	if (!search) throw new Error('listSearch.searchTemplates is not registered');
	return await search.call(loadOptionsContext({}, apiKey), filter, paginationToken);
}

/** Follows paginationToken to the end, as the dropdown does while the user scrolls. */
async function listAll(filter?: string): Promise<{ values: string[]; calls: number; firstPage: number }> {
	const values: string[] = [];
	let token: string | undefined;
	let calls = 0;
	let firstPage = 0;
	do {
		const page = await listSearch(filter, token);
		if (calls === 0) firstPage = page.results.length;
		calls++;
		values.push(...page.results.map((result) => String(result.value)));
		token = page.paginationToken;
	} while (token !== undefined && calls < 50);
	return { values, calls, firstPage };
}

async function fieldsFor(template: NodeParameterValueType): Promise<ResourceMapperFields> {
	const mapping = methods.resourceMapping?.getTemplateFields;
	if (!mapping) throw new Error('resourceMapping.getTemplateFields is not registered');
	return await mapping.call(loadOptionsContext({ template }));
}

describe('Template dropdown (listSearch)', () => {
	it('lists every approved template as "name (language) · Category", sorted, in one call', async () => {
		const page = await listSearch();
		expect(page.paginationToken).toBeUndefined();
		expect(page.results.map((result) => result.value)).toEqual(approvedKeys().sort((a, b) => a.localeCompare(b)));
		expect(page.results.find((result) => result.value === 'order_update|de')).toEqual({ name: 'order_update (de) · Utility', value: 'order_update|de' });
		expect(page.results.map((result) => result.value)).not.toContain('order_update|fr'); // pending
		expect(page.results.map((result) => result.value)).not.toContain('newsletter_weekly|en_US'); // paused
		expect(await templateListRequests()).toEqual([`/v1/configs/templates?limit=${TEMPLATE_PAGE_SIZE.configs}&offset=0`]);
	});

	it('pages through every template (360dialog offset paging), approved only', async () => {
		addTemplates(300); // 329 templates: pages at offset 0 and 250
		const { values, calls, firstPage } = await listAll();
		expect(values.sort()).toEqual(approvedKeys());
		expect(values).toHaveLength(24 + 270);
		expect(firstPage).toBeGreaterThanOrEqual(LIST_SEARCH_BATCH);
		expect(calls).toBe(2);
		expect(await templateListRequests()).toEqual([
			`/v1/configs/templates?limit=${TEMPLATE_PAGE_SIZE.configs}&offset=0`,
			`/v1/configs/templates?limit=${TEMPLATE_PAGE_SIZE.configs}&offset=250`,
		]);
	});

	it('falls back to Meta-style /message_templates (cursor paging) when the host lacks /v1/configs/templates', async () => {
		addTemplates(150); // 179 templates: two pages of 100
		emulator.injectFaults({ status: 404, count: 10, path: '/v1/configs/templates' });
		const { values } = await listAll();
		expect(values.sort()).toEqual(approvedKeys());
		const requests = await templateListRequests();
		expect(requests[0]).toBe(`/v1/configs/templates?limit=${TEMPLATE_PAGE_SIZE.configs}&offset=0`);
		expect(requests[1]).toBe(`/message_templates?limit=${TEMPLATE_PAGE_SIZE.graph}`);
		expect(requests.slice(2).every((url) => /^\/message_templates\?limit=100&after=/.test(url))).toBe(true);
		expect(requests.length).toBeGreaterThanOrEqual(3);
	});

	it.each([
		['order de', ['order_update|de']],
		['ORDER', ['order_update|de', 'order_update|en_US']],
		['verification', ['verification_code|de', 'verification_code|en_US']],
		['order_update|en', ['order_update|en_US']],
		['authentication en', ['login_code_one_tap|en_US', 'verification_code|en_US']],
		['black_friday', []], // pending: never offered
	])('search %j', async (filter, expected) => {
		const page = await listSearch(filter);
		expect(page.results.map((result) => result.value)).toEqual(expected);
	});

	it('search reaches templates on later pages', async () => {
		addTemplates(300);
		const { values } = await listAll('bulk_notice_29');
		expect(values.sort()).toEqual(['bulk_notice_290|en_US', 'bulk_notice_291|en_US', 'bulk_notice_292|en_US', 'bulk_notice_293|en_US', 'bulk_notice_294|en_US', 'bulk_notice_295|en_US', 'bulk_notice_296|en_US', 'bulk_notice_297|en_US', 'bulk_notice_298|en_US']);
	});

	it('an API error reaches the editor as the API error', async () => {
		emulator.injectFaults({ status: 401, count: 1, path: '/v1/configs/templates' });
		await expect(listSearch()).rejects.toMatchObject({ name: 'NodeApiError', httpCode: '401' });
	});
});

describe('Template variables (resourceMapping)', () => {
	const definition = (key: string) => parseTemplateDefinition(TEMPLATES.find((t) => keyOf(t) === key) as unknown as IDataObject);

	it.each(['order_update|de', 'appointment_reminder|en_US', 'summer_collection_carousel|en_US', 'verification_code|en_US', 'flash_sale_offer|en_US'])(
		'%s: the fields generated from its definition',
		async (key) => {
			const result = await fieldsFor({ __rl: true, mode: 'list', value: key, cachedResultName: key });
			expect(result).toEqual({ fields: templateFields(definition(key)) });
			expect(result.fields.length).toBeGreaterThan(0);
		},
	);

	it('a name typed By Name without language works when only one language is approved', async () => {
		expect(await fieldsFor({ __rl: true, mode: 'name', value: 'welcome_customer' })).toEqual({ fields: templateFields(definition('welcome_customer|de')) });
	});

	it.each([
		[{ __rl: true, mode: 'list', value: '' }, 'Choose a template From List (or type name|language By Name) to see its variables. For templates chosen by expression, switch Variables Input to JSON.'],
		[{ __rl: true, mode: 'name', value: 'order_update' }, 'Template "order_update" exists in en_US, de; add the language, e.g. order_update|en_US'],
		[{ __rl: true, mode: 'name', value: 'nope|en' }, 'Template nope (en) was not found on this number'],
		[{ __rl: true, mode: 'list', value: 'hello_world|en_US' }, 'This template has no variables: it is sent exactly as approved'],
		[{ __rl: true, mode: 'name', value: 'bad name' }, 'Template "bad name" is not a template name: names use letters, digits and _ only. Enter name|language, e.g. order_update|en_US'],
	])('%j → notice', async (template, notice) => {
		expect(await fieldsFor(template)).toEqual({ fields: [], emptyFieldsNotice: notice });
	});
});

// ---------------------------------------------------------------------------------------------
// Sending through the node
// ---------------------------------------------------------------------------------------------

/** A template message to `TO`. */
function send(parameters: INodeParameters, input?: INodeExecutionData[], continueOnFail = false) {
	return runSendNode(emulator, { messageType: 'template', to: TO, ...parameters }, input, { continueOnFail });
}

const fromList = (key: string) => ({ __rl: true, mode: 'list', value: key, cachedResultName: key });
const mapped = (value: ResourceMapperValue['value']): ResourceMapperValue => ({
	mappingMode: 'defineBelow',
	value,
	matchingColumns: [],
	schema: [],
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});

describe('Send node: template messages', () => {
	it('sends the exact body from mapped fields with expressions, and outputs the message id', async () => {
		const { items, error } = await send(
			{
				template: fromList('order_update|en_US'),
				templateParameterMode: 'fields',
				templateFields: mapped({
					'header.image': 'https://cdn.example.com/order.jpg',
					'body.1': '={{ $json.firstName }}',
					'body.2': '={{ $json.total }}',
					'body.2.currency': '=EUR {{ $json.amount }}',
					'body.3': '={{ $json.date }}',
					'button.0.payload': '=STOP_{{ $json.customerId }}',
					'button.1.url': '={{ $json.orderId }}',
				}),
			},
			[{ json: { firstName: 'Max', total: '€19.90', amount: 19.9, date: '15 January 2026', customerId: 42, orderId: 'A 17/B' } }],
		);
		expect(error).toBeUndefined();
		const expected = {
			...ENVELOPE,
			type: 'template',
			template: {
				name: 'order_update',
				language: language('en_US'),
				components: [
					{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/order.jpg' } }] },
					{
						type: 'body',
						parameters: [text('Max'), { type: 'currency', currency: { fallback_value: '€19.90', code: 'EUR', amount_1000: 19900 } }, text('15 January 2026')],
					},
					button(0, 'quick_reply', { type: 'payload', payload: 'STOP_42' }),
					button(1, 'url', { type: 'text', text: 'A%2017/B' }),
				],
			},
		};
		expect(acceptedBodies(emulator)).toEqual([expected]);
		expect(validateSendBody(expected).errors).toEqual([]);
		expect(items).toEqual([
			{
				json: { messageId: emulator.messages()[0].wamid, messageStatus: 'accepted', waId: TO_WA_ID, input: TO_WA_ID, type: 'template', to: TO_WA_ID },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('By Name from an expression with JSON parameters (the AI-agent path): named and carousel templates', async () => {
		const { error } = await send(
			{
				template: { __rl: true, mode: 'name', value: '={{ $json.template }}|{{ $json.lang }}' },
				templateParameterMode: 'json',
				templateParametersJson: '={{ JSON.stringify($json.params) }}',
			},
			[
				{
					json: {
						template: 'back_in_stock',
						lang: 'en_US',
						params: { header: { text: { product_name: 'Linen shirt' } }, body: { first_name: 'Max', product_name: 'Linen shirt', price: '€39.00' }, 'button.0.url': 'linen-shirt' },
					},
				},
				{
					json: {
						template: 'summer_collection_carousel',
						lang: 'en_US',
						params: {
							body: ['Max'],
							card: {
								0: { header: { image: 'https://cdn.example.com/1.jpg' }, body: ['15%'], button: { 1: { url: 'a' } } },
								1: { header: { image: 'https://cdn.example.com/2.jpg' }, body: ['10%'], button: { 0: { payload: 'MORE' }, 1: { url: 'b' } } },
								2: { header: { image: '1234567890' }, body: ['5%'], button: { 1: { url: 'c' } } },
							},
						},
					},
				},
			],
		);
		expect(error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([
			{
				...ENVELOPE,
				type: 'template',
				template: {
					name: 'back_in_stock',
					language: language('en_US'),
					components: [
						{ type: 'header', parameters: [text('Linen shirt', 'product_name')] },
						{ type: 'body', parameters: [text('Max', 'first_name'), text('Linen shirt', 'product_name'), text('€39.00', 'price')] },
						button(0, 'url', { type: 'text', text: 'linen-shirt' }),
					],
				},
			},
			{
				...ENVELOPE,
				type: 'template',
				template: {
					name: 'summer_collection_carousel',
					language: language('en_US'),
					components: [
						{ type: 'body', parameters: [text('Max')] },
						{
							type: 'carousel',
							cards: [
								{
									card_index: 0,
									components: [
										{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/1.jpg' } }] },
										{ type: 'body', parameters: [text('15%')] },
										button(1, 'url', { type: 'text', text: 'a' }),
									],
								},
								{
									card_index: 1,
									components: [
										{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/2.jpg' } }] },
										{ type: 'body', parameters: [text('10%')] },
										button(0, 'quick_reply', { type: 'payload', payload: 'MORE' }),
										button(1, 'url', { type: 'text', text: 'b' }),
									],
								},
								{
									card_index: 2,
									components: [
										{ type: 'header', parameters: [{ type: 'image', image: { id: '1234567890' } }] },
										{ type: 'body', parameters: [text('5%')] },
										button(1, 'url', { type: 'text', text: 'c' }),
									],
								},
							],
						},
					],
				},
			},
		]);
	});

	it('authentication: the code goes into the body and the OTP button', async () => {
		const { error } = await send({ template: fromList('verification_code|de'), templateParameterMode: 'json', templateParametersJson: '{"otp.code": "482913"}' });
		expect(error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([
			{
				...ENVELOPE,
				type: 'template',
				template: {
					name: 'verification_code',
					language: language('de'),
					components: [{ type: 'body', parameters: [text('482913')] }, button(0, 'url', { type: 'text', text: '482913' })],
				},
			},
		]);
	});

	it('uploads a binary header image first, then sends the template with the media id', async () => {
		const { error } = await send(
			{
				template: fromList('flash_sale_offer|en_US'),
				templateFields: mapped({
					'header.image': 'data',
					'body.1': 'Max',
					'body.2': '30%',
					'lto.expiration': '2099-12-31T23:00:00Z',
					'button.0.coupon': 'FLASH30',
					'button.1.url': 'FLASH30',
				}),
			},
			[{ json: {}, binary: { data: { data: PNG_1X1.toString('base64'), mimeType: 'image/png', fileName: 'sale.png' } } }],
		);
		expect(error).toBeUndefined();
		const calls = emulator.requests().map((request) => `${request.method} ${request.url.split('?')[0]}`);
		expect(calls).toEqual(['GET /v1/configs/templates', 'POST /media', 'POST /messages']);
		const [uploaded] = emulator.state.media.list();
		expect(uploaded).toMatchObject({ kind: 'image', mimeType: 'image/png', filename: 'sale.png' });
		expect(acceptedBodies(emulator)).toEqual([
			{
				...ENVELOPE,
				type: 'template',
				template: {
					name: 'flash_sale_offer',
					language: language('en_US'),
					components: [
						{ type: 'header', parameters: [{ type: 'image', image: { id: uploaded.id } }] },
						{ type: 'body', parameters: [text('Max'), text('30%')] },
						{ type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expiration_time_ms: 4102441200000 } }] },
						button(0, 'copy_code', { type: 'coupon_code', coupon_code: 'FLASH30' }),
						button(1, 'url', { type: 'text', text: 'FLASH30' }),
					],
				},
			},
		]);
	});

	it('loads the template definitions ONCE for a 20-item execution', async () => {
		const input = Array.from({ length: 20 }, (_, i) => ({ json: { name: `Customer ${i}`, order: String(4700 + i) } }));
		const { items, error } = await send(
			{
				template: fromList('shipping_confirmation|en_US'),
				templateFields: mapped({ 'header.text.1': '={{ $json.order }}', 'body.1': '={{ $json.name }}', 'body.2': 'DHL', 'button.0.url': '={{ $json.order }}' }),
			},
			input,
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(20);
		const requests = await recordedRequests();
		expect(requests.filter((request) => request.method === 'GET').map((request) => request.url)).toEqual([
			`/v1/configs/templates?limit=${TEMPLATE_PAGE_SIZE.configs}&offset=0`,
		]);
		expect(requests.filter((request) => request.method === 'POST' && request.url === '/messages')).toHaveLength(20);
		expect(acceptedBodies(emulator)[13]).toEqual({
			...ENVELOPE,
			type: 'template',
			template: {
				name: 'shipping_confirmation',
				language: language('en_US'),
				components: [
					{ type: 'header', parameters: [text('4713')] },
					{ type: 'body', parameters: [text('Customer 13'), text('DHL')] },
					button(0, 'url', { type: 'text', text: '4713' }),
				],
			},
		});
	});

	it('pages through all templates once per execution, however many items', async () => {
		addTemplates(300);
		const input = Array.from({ length: 20 }, (_, i) => ({ json: { name: `C${i}` } }));
		const { error } = await send({ template: fromList('bulk_notice_280|en_US'), templateFields: mapped({ 'body.1': '={{ $json.name }}' }) }, input);
		expect(error).toBeUndefined();
		expect(await templateListRequests()).toEqual([
			`/v1/configs/templates?limit=${TEMPLATE_PAGE_SIZE.configs}&offset=0`,
			`/v1/configs/templates?limit=${TEMPLATE_PAGE_SIZE.configs}&offset=250`,
		]);
		expect(emulator.messages()).toHaveLength(20);
	});

	it('a missing variable in one row stops the batch before anything is sent (no 132000 from the API)', async () => {
		const input = Array.from({ length: 20 }, (_, i) => ({ json: { name: `Customer ${i}`, total: i === 13 ? '' : '€10' } }));
		const { error } = await send(
			{
				template: fromList('order_update|de'),
				templateFields: mapped({ 'header.image': 'https://cdn.example.com/a.jpg', 'body.1': '={{ $json.name }}', 'body.2': '={{ $json.total }}', 'body.3': 'morgen', 'button.1.url': 'x' }),
			},
			input,
		);
		expect(error?.message).toBe('Body {{2}} is required by template order_update (de) (field "body.2") [item 13]');
		expect(error?.description).toBe('Field "Body {{2}}" of item 13. This item was not sent.');
		expect(emulator.requests().filter((request) => request.method === 'POST')).toEqual([]);
	});

	it('an unknown field and a too-long header stop the item; Continue On Fail sends the good rows', async () => {
		const { items, error } = await send(
			{
				template: fromList('shipping_confirmation|en_US'),
				templateFields: mapped({ 'header.text.1': '={{ $json.header }}', 'body.1': 'Max', 'body.2': 'DHL', 'button.0.url': '1' }),
			},
			[{ json: { header: 'ok' } }, { json: { header: 'x'.repeat(61) } }],
			true,
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.error ?? 'sent')).toEqual(['sent', 'Header {{1}} has 61 characters; WhatsApp allows 60 [item 1]']);
		expect(emulator.messages()).toHaveLength(1);

		const stale = await send({
			template: fromList('shipping_confirmation|en_US'),
			templateFields: mapped({ 'header.text.1': 'a', 'body.1': 'Max', 'body.2': 'DHL', 'body.3': 'stale', 'button.0.url': '1' }),
		});
		expect(stale.error?.message).toBe(
			'Template Variables has "body.3", which template shipping_confirmation (en_US) does not have; its fields are header.text.1, body.1, body.2, button.0.url. Refresh the variable list or remove it. [item 0]',
		);
	});

	it('templates that are not approved, or unknown, fail before sending', async () => {
		const pending = await send({ template: fromList('order_update|fr'), templateFields: mapped({}) });
		expect(pending.error?.message).toBe('Template order_update (fr) is pending; only approved templates can be sent [item 0]');
		const unknown = await send({ template: { __rl: true, mode: 'name', value: 'order_update|es' }, templateFields: mapped({}) });
		expect(unknown.error?.message).toBe('Template "order_update" in language "es" was not found; it exists in en_US, de [item 0]');
		expect(emulator.requests().filter((request) => request.method === 'POST')).toEqual([]);
	});

	it('an API template error names the template (errorContext)', async () => {
		emulator.injectFaults({
			status: 404,
			count: 1,
			path: '/messages',
			body: {
				error: {
					message: '(#132001) Template name does not exist in the translation',
					type: 'OAuthException',
					code: 132001,
					error_data: { messaging_product: 'whatsapp', details: 'template name (welcome_customer) does not exist in de' },
					fbtrace_id: 'AbCdEf',
				},
			},
		});
		const { error } = await send({ template: fromList('welcome_customer|de'), templateFields: mapped({ 'body.first_name': 'Erika', 'body.shop_name': 'Shop' }) });
		expect(error?.message).toContain('Template "welcome_customer" (de) does not exist in this language or is not approved');
		expect(error?.description).toContain('Details: template name (welcome_customer) does not exist in de');
	});
});

// ---------------------------------------------------------------------------------------------
// The editor loads the template list once per burst of requests (editorCache.ts)
// ---------------------------------------------------------------------------------------------

describe('Editor requests share the template list', () => {
	const pick = (key: string) => ({ __rl: true, mode: 'list', value: key, cachedResultName: key });
	const firstPage = `/v1/configs/templates?limit=${TEMPLATE_PAGE_SIZE.configs}&offset=0`;

	afterEach(() => jest.restoreAllMocks());

	it('picking a template (list search, then the fields, then the fields again) lists the templates once', async () => {
		await listSearch();
		await listSearch('order');
		expect((await fieldsFor(pick('order_update|de'))).fields.length).toBeGreaterThan(0);
		expect((await fieldsFor(pick('order_update|de'))).fields.length).toBeGreaterThan(0);
		expect(await templateListRequests()).toEqual([firstPage]);
	});

	it('requests that arrive together share one request', async () => {
		const [page, fields, other] = await Promise.all([listSearch(), fieldsFor(pick('order_update|de')), fieldsFor(pick('appointment_reminder|en_US'))]);
		expect(page.results.length).toBeGreaterThan(0);
		expect(fields.fields.length).toBeGreaterThan(0);
		expect(other.fields.length).toBeGreaterThan(0);
		expect(await templateListRequests()).toEqual([firstPage]);
	});

	it('every page is shared, and the list is loaded again once its lifetime is over', async () => {
		addTemplates(300); // pages at offset 0 and 250
		await listAll();
		await fieldsFor(pick('bulk_notice_299|en_US'));
		expect(await templateListRequests()).toHaveLength(2);
		const now = Date.now();
		jest.spyOn(Date, 'now').mockReturnValue(now + EDITOR_CACHE_TTL_MS + 1);
		await listSearch();
		expect(await templateListRequests()).toHaveLength(3);
	});

	it('another credential gets its own list, and no cache key contains an API key', async () => {
		await listSearch();
		await listSearch(undefined, undefined, SECOND_KEY);
		await listSearch(undefined, undefined, SECOND_KEY);
		expect(await templateListRequests()).toEqual([firstPage, firstPage]);
		const keys = editorTemplateCache.keys();
		expect(keys).toHaveLength(2);
		for (const key of keys) {
			expect(key).not.toContain(emulator.apiKey);
			expect(key).not.toContain(SECOND_KEY);
		}
	});

	it('a failed request is not kept: the next one asks again', async () => {
		emulator.injectFaults({ status: 401, count: 1, path: '/v1/configs/templates' });
		await expect(listSearch()).rejects.toMatchObject({ name: 'NodeApiError', httpCode: '401' });
		expect((await listSearch()).results.length).toBeGreaterThan(0);
		expect(await templateListRequests()).toEqual([firstPage, firstPage]);
	});

	it('an execution loads its own list, whatever the editor loaded', async () => {
		await listSearch();
		const { error } = await send({ template: fromList('welcome_customer|de'), templateFields: mapped({ 'body.first_name': 'Erika', 'body.shop_name': 'Shop' }) });
		expect(error).toBeUndefined();
		expect(await templateListRequests()).toEqual([firstPage, firstPage]);
	});
});
