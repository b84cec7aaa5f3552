/**
 * Headless e2e against a REAL n8n (the pinned install, package installed from its npm pack tarball by
 * scripts/e2e.sh): `n8n import:credentials` (base URL = the local 360dialog emulator, in-process here),
 * `n8n import:workflow`, `n8n execute`. Everything the Send and Media nodes put on the wire is checked
 * against what the emulator recorded (which validates every body against Meta's schemas and WhatsApp's
 * limits, and the template store).
 *
 * `n8n execute` costs 3–5 s on an idle machine (15–20 s on a busy one), so there are only four runs:
 *   1. "every message type": Manual → Set (the values) → 28 Send nodes side by side, one per message
 *      type / source / interactive variant / template input mode / mark-as-read.
 *   2. "files": n8n's own Read/Write Files from Disk + Extract from File: a 50-row CSV → 50 template
 *      messages with per-row variables; image/document/voice/sticker/template header read from disk,
 *      uploaded and sent (binary source, and Media → Upload → send by id); a 3-row CSV with one bad row
 *      through a Send node set to "On Error: Continue" (continueRegularOutput).
 *   3. the CRM example (workflows/crm-lead-welcome-template.json) as shipped, from its Manual Trigger.
 *   4. the bad-row CSV without Continue On Fail: the run fails naming the item and field, nothing is sent.
 * Plus: every workflows/*.json imports cleanly (one `import:workflow` with everything above).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startEmulator, type Emulator, type RecordedMessage } from '../emulator';
import { N8n, type ExecuteResult } from './lib/n8n';
import {
	emulatorCredential,
	EXAMPLE_CREDENTIAL,
	exampleWorkflowFiles,
	extractCsvNode,
	loadExample,
	manualTrigger,
	mediaNode,
	nodeOutput,
	readFileNode,
	sendNode,
	setNode,
	WorkflowBuilder,
	type WfNode,
} from './lib/workflow';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const INBOUND_WAMID = 'wamid.HBgNNDkxNTExMjM0NTY3OBUCABIYFkZBS0VJTkJPVU5EMDAwMDAwMDAwMD01AA==';
const CUSTOMER = { input: '+49 151 12345678', waId: '4915112345678' };
const BSUID = 'DE.1300000000000000000001';
const ENVELOPE = { messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER.waId };

// ------------------------------------------------------------------------------------------------
// Workflow 1: every message type, all values from ONE Set node
// ------------------------------------------------------------------------------------------------

const VALUES = {
	to: CUSTOMER.input,
	bsuid: BSUID,
	inboundMessageId: INBOUND_WAMID,
	crmId: 'CRM-4711',
	greeting: 'Hallo Max! Your order 4711 is ready: https://shop.example.com/orders/4711',
	caption: 'Your order 4711',
	imageUrl: 'https://media.example.com/e2e/photo.jpg',
	videoUrl: 'https://media.example.com/e2e/clip.mp4',
	audioUrl: 'https://media.example.com/e2e/message.mp3',
	documentUrl: 'https://media.example.com/e2e/invoice.pdf',
	stickerUrl: 'https://media.example.com/e2e/sticker.webp',
	imageId: '1200000000000101',
	videoId: '1200000000000102',
	audioId: '1200000000000103',
	documentId: '1200000000000104',
	stickerId: '1200000000000105',
	latitude: '52,5219', // decimal comma, as spreadsheets export it
	longitude: 13.4132,
	placeName: 'Store Berlin',
	address: 'Alexanderplatz 1, 10178 Berlin',
	contactCards: [
		{ name: { formatted_name: 'Max Mustermann', first_name: 'Max' }, phones: [{ phone: '+49 151 12345678', type: 'CELL', wa_id: '4915112345678' }] },
	],
	listSections: [{ title: 'Delivery', rows: [{ id: 'ship_standard', title: 'Standard', description: '2–3 days' }, { title: 'Express' }] }],
	flowData: { customer_name: 'Max', order_id: '4711' },
	orderBody: ['Max', '€19.90', '15 January 2026'],
};

interface Case {
	node: WfNode;
	/** Exact body the emulator must have recorded. */
	body?: Json;
	/** Checks for bodies whose details are the builder's business (templates). */
	check?: (body: Json) => void;
}

const send = (name: string, parameters: Json, extra: Partial<WfNode> = {}) => sendNode(name, parameters, extra);
const toCustomer = { to: '={{ $json.to }}' };

function mediaCases(): Case[] {
	const kinds = [
		{ kind: 'image', caption: true },
		{ kind: 'video', caption: true },
		{ kind: 'audio', caption: false },
		{ kind: 'document', caption: true },
		{ kind: 'sticker', caption: false },
	] as const;
	return kinds.flatMap(({ kind, caption }) => {
		const extras: Json = caption ? { caption: VALUES.caption } : {};
		if (kind === 'document') extras.filename = 'invoice-4711.pdf';
		const fields: Json = caption ? { mediaCaption: '={{ $json.caption }}' } : {};
		if (kind === 'document') fields.mediaFileName = 'invoice-4711.pdf';
		const viaUrl: Case = {
			node: send(`${kind} by link`, { messageType: kind, ...toCustomer, mediaSource: 'url', mediaUrl: `={{ $json.${kind}Url }}`, ...fields }),
			body: { ...ENVELOPE, type: kind, [kind]: { link: (VALUES as Json)[`${kind}Url`], ...extras } },
		};
		const voice = kind === 'audio';
		const viaId: Case = {
			node: send(`${kind} by id`, {
				messageType: kind,
				...toCustomer,
				mediaSource: 'id',
				mediaId: `={{ $json.${kind}Id }}`,
				...fields,
				...(voice ? { mediaVoiceNote: true } : {}),
			}),
			body: { ...ENVELOPE, type: kind, [kind]: { id: (VALUES as Json)[`${kind}Id`], ...extras, ...(voice ? { voice: true } : {}) } },
		};
		return [viaUrl, viaId];
	});
}

function interactiveCases(): Case[] {
	const interactive = (name: string, parameters: Json, body: Json): Case => ({
		node: send(name, { messageType: 'interactive', ...toCustomer, ...parameters }),
		body: { ...ENVELOPE, type: 'interactive', interactive: body },
	});
	return [
		interactive(
			'interactive reply buttons',
			{
				interactiveType: 'button',
				interactiveHeaderType: 'image',
				interactiveHeaderMediaSource: 'link',
				interactiveHeaderMediaLink: '={{ $json.imageUrl }}',
				interactiveBodyText: 'Is the delivery date OK for you?',
				interactiveFooterText: 'Reply STOP to opt out',
				interactiveButtons: { button: [{ title: 'Yes', id: 'confirm_yes' }, { title: 'Change date', id: '' }] },
			},
			{
				type: 'button',
				header: { type: 'image', image: { link: VALUES.imageUrl } },
				body: { text: 'Is the delivery date OK for you?' },
				footer: { text: 'Reply STOP to opt out' },
				action: { buttons: [{ type: 'reply', reply: { id: 'confirm_yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'Change date', title: 'Change date' } }] },
			},
		),
		interactive(
			'interactive list (fields)',
			{
				interactiveType: 'list',
				interactiveHeaderText: 'Our menu',
				interactiveBodyText: 'Pick a pizza',
				interactiveListButtonText: 'See options',
				interactiveListSectionsMode: 'fields',
				interactiveListSections: {
					section: [
						{ title: 'Pizzas', rows: { row: [{ title: 'Margherita', id: 'p1', description: 'Tomato, mozzarella' }, { title: 'Funghi', id: 'p2' }] } },
						{ title: 'Drinks', rows: { row: [{ title: 'Water', id: 'd1' }] } },
					],
				},
			},
			{
				type: 'list',
				header: { type: 'text', text: 'Our menu' },
				body: { text: 'Pick a pizza' },
				action: {
					button: 'See options',
					sections: [
						{ title: 'Pizzas', rows: [{ id: 'p1', title: 'Margherita', description: 'Tomato, mozzarella' }, { id: 'p2', title: 'Funghi' }] },
						{ title: 'Drinks', rows: [{ id: 'd1', title: 'Water' }] },
					],
				},
			},
		),
		interactive(
			'interactive list (JSON)',
			{
				interactiveType: 'list',
				interactiveBodyText: 'How should we ship?',
				interactiveListButtonText: 'Shipping',
				interactiveListSectionsMode: 'json',
				interactiveListSectionsJson: '={{ $json.listSections }}',
			},
			{
				type: 'list',
				body: { text: 'How should we ship?' },
				action: {
					button: 'Shipping',
					sections: [{ title: 'Delivery', rows: [{ id: 'ship_standard', title: 'Standard', description: '2–3 days' }, { id: 'Express', title: 'Express' }] }],
				},
			},
		),
		interactive(
			'interactive CTA URL',
			{
				interactiveType: 'cta_url',
				interactiveHeaderType: 'text',
				interactiveHeaderText: 'Order 4711',
				interactiveBodyText: 'Track your parcel online.',
				interactiveCtaDisplayText: 'Track order',
				interactiveCtaUrl: '=https://shop.example.com/track/{{ $json.crmId }}',
			},
			{
				type: 'cta_url',
				header: { type: 'text', text: 'Order 4711' },
				body: { text: 'Track your parcel online.' },
				action: { name: 'cta_url', parameters: { display_text: 'Track order', url: 'https://shop.example.com/track/CRM-4711' } },
			},
		),
		interactive(
			'interactive Flow',
			{
				interactiveType: 'flow',
				interactiveBodyText: 'Book your appointment in two taps.',
				interactiveFlowIdentifier: 'id',
				interactiveFlowId: '1234567890123456',
				interactiveFlowCta: 'Book now',
				interactiveFlowMode: 'draft',
				interactiveFlowAction: 'navigate',
				interactiveFlowScreen: 'WELCOME_SCREEN',
				interactiveFlowData: '={{ $json.flowData }}',
				interactiveFlowReference: '',
			},
			{
				type: 'flow',
				body: { text: 'Book your appointment in two taps.' },
				action: {
					name: 'flow',
					parameters: {
						flow_message_version: '3',
						flow_token: 'unused',
						flow_id: '1234567890123456',
						flow_cta: 'Book now',
						flow_action: 'navigate',
						mode: 'draft',
						flow_action_payload: { screen: 'WELCOME_SCREEN', data: VALUES.flowData },
					},
				},
			},
		),
		interactive(
			'interactive location request',
			{ interactiveType: 'location_request_message', interactiveBodyText: 'Where should we pick you up?' },
			{ type: 'location_request_message', body: { text: 'Where should we pick you up?' }, action: { name: 'send_location' } },
		),
		interactive(
			'interactive product',
			{
				interactiveType: 'product',
				interactiveBodyText: 'Back in stock',
				interactiveFooterText: 'Only a few left',
				interactiveCatalogId: '367025965434465',
				interactiveProductRetailerId: 'SKU-12345',
			},
			{
				type: 'product',
				body: { text: 'Back in stock' },
				footer: { text: 'Only a few left' },
				action: { catalog_id: '367025965434465', product_retailer_id: 'SKU-12345' },
			},
		),
		interactive(
			'interactive product list',
			{
				interactiveType: 'product_list',
				interactiveHeaderText: 'Summer collection',
				interactiveBodyText: 'Our picks for you',
				interactiveCatalogId: '367025965434465',
				interactiveProductSectionsMode: 'fields',
				interactiveProductSections: { section: [{ title: 'Shirts', productRetailerIds: 'SKU-1, SKU-2' }, { title: 'Shorts', productRetailerIds: 'SKU-3' }] },
			},
			{
				type: 'product_list',
				header: { type: 'text', text: 'Summer collection' },
				body: { text: 'Our picks for you' },
				action: {
					catalog_id: '367025965434465',
					sections: [
						{ title: 'Shirts', product_items: [{ product_retailer_id: 'SKU-1' }, { product_retailer_id: 'SKU-2' }] },
						{ title: 'Shorts', product_items: [{ product_retailer_id: 'SKU-3' }] },
					],
				},
			},
		),
	];
}

/** `components` of a template body, by type (and button index). */
function component(body: Json, type: string, index?: number): Json | undefined {
	return (body.template.components as Json[] | undefined)?.find((c) => c.type === type && (index === undefined || Number(c.index) === index));
}

function allTypesCases(): Case[] {
	return [
		{
			node: send('text', {
				messageType: 'text',
				...toCustomer,
				textBody: '={{ $json.greeting }}',
				previewUrl: true,
				options: { replyToMessageId: '={{ $json.inboundMessageId }}', bizOpaqueCallbackData: '={{ $json.crmId }}' },
			}),
			body: {
				...ENVELOPE,
				context: { message_id: INBOUND_WAMID },
				biz_opaque_callback_data: 'CRM-4711',
				type: 'text',
				text: { body: VALUES.greeting, preview_url: true },
			},
		},
		{
			node: send('text to a BSUID', { messageType: 'text', to: '={{ $json.bsuid }}', textBody: 'Hi from n8n' }),
			body: { messaging_product: 'whatsapp', recipient_type: 'individual', recipient: BSUID, type: 'text', text: { body: 'Hi from n8n' } },
		},
		...mediaCases(),
		{
			node: send('location', {
				messageType: 'location',
				...toCustomer,
				locationLatitude: '={{ $json.latitude }}',
				locationLongitude: '={{ $json.longitude }}',
				locationName: '={{ $json.placeName }}',
				locationAddress: '={{ $json.address }}',
			}),
			body: { ...ENVELOPE, type: 'location', location: { latitude: 52.5219, longitude: 13.4132, name: VALUES.placeName, address: VALUES.address } },
		},
		{
			node: send('contacts (fields)', {
				messageType: 'contacts',
				...toCustomer,
				contactsInputMode: 'fields',
				contactsCards: {
					card: [
						{
							formattedName: 'Erika Musterfrau',
							firstName: 'Erika',
							lastName: 'Musterfrau',
							phones: { phone: [{ number: '+49 176 12345678', type: 'WORK', waId: '+49 176 12345678' }] },
							emails: { email: [{ email: 'erika@example.com', type: 'WORK' }] },
							additionalFields: { company: 'Example GmbH', birthday: '1990-01-31', urls: { url: [{ url: 'example.com', type: 'WORK' }] } },
						},
					],
				},
			}),
			body: {
				...ENVELOPE,
				type: 'contacts',
				contacts: [
					{
						name: { formatted_name: 'Erika Musterfrau', first_name: 'Erika', last_name: 'Musterfrau' },
						phones: [{ phone: '+49 176 12345678', type: 'WORK', wa_id: '4917612345678' }],
						emails: [{ email: 'erika@example.com', type: 'WORK' }],
						urls: [{ url: 'https://example.com', type: 'WORK' }],
						org: { company: 'Example GmbH' },
						birthday: '1990-01-31',
					},
				],
			},
		},
		{
			node: send('contacts (JSON)', { messageType: 'contacts', ...toCustomer, contactsInputMode: 'json', contactsJson: '={{ $json.contactCards }}' }),
			body: { ...ENVELOPE, type: 'contacts', contacts: VALUES.contactCards },
		},
		{
			node: send('reaction', { messageType: 'reaction', ...toCustomer, reactionMessageId: '={{ $json.inboundMessageId }}', reactionEmoji: '👍🏽' }),
			body: { ...ENVELOPE, type: 'reaction', reaction: { message_id: INBOUND_WAMID, emoji: '👍🏽' } },
		},
		{
			node: send('reaction removed', { messageType: 'reaction', ...toCustomer, reactionMessageId: '={{ $json.inboundMessageId }}', reactionEmoji: '' }),
			body: { ...ENVELOPE, type: 'reaction', reaction: { message_id: INBOUND_WAMID, emoji: '' } },
		},
		...interactiveCases(),
		{
			node: send('template (fields, named)', {
				messageType: 'template',
				...toCustomer,
				template: { __rl: true, mode: 'list', value: 'appointment_reminder|en_US' },
				templateParameterMode: 'fields',
				templateFields: {
					mappingMode: 'defineBelow',
					value: {
						'header.text.clinic_name': 'Praxis Mitte',
						'body.first_name': '={{ $json.contactCards[0].name.first_name }}',
						'body.appointment_date': '15 January 2026',
						'body.appointment_time': '10:30',
					},
					matchingColumns: [],
					schema: [],
				},
			}),
			check: (body) => {
				assert.equal(body.type, 'template');
				assert.deepEqual(body.template.language, { code: 'en_US', policy: 'deterministic' });
				assert.equal(body.template.name, 'appointment_reminder');
				assert.deepEqual(component(body, 'header')?.parameters, [{ type: 'text', parameter_name: 'clinic_name', text: 'Praxis Mitte' }]);
				assert.deepEqual(component(body, 'body')?.parameters, [
					{ type: 'text', parameter_name: 'first_name', text: 'Max' },
					{ type: 'text', parameter_name: 'appointment_date', text: '15 January 2026' },
					{ type: 'text', parameter_name: 'appointment_time', text: '10:30' },
				]);
			},
		},
		{
			node: send('template (JSON, positional, by name)', {
				messageType: 'template',
				...toCustomer,
				template: { __rl: true, mode: 'name', value: 'order_update|en_US' },
				templateParameterMode: 'json',
				templateParametersJson: '={{ { "header.image": $json.imageUrl, "body": $json.orderBody, "button.1.url": "4711" } }}',
			}),
			check: (body) => {
				assert.equal(body.template.name, 'order_update');
				assert.equal(body.template.language.code, 'en_US');
				assert.deepEqual(component(body, 'header')?.parameters, [{ type: 'image', image: { link: VALUES.imageUrl } }]);
				assert.deepEqual(
					component(body, 'body')?.parameters.map((p: Json) => p.text),
					VALUES.orderBody,
				);
				const button = component(body, 'button', 1);
				assert.equal(button?.sub_type, 'url');
				assert.deepEqual(button?.parameters, [{ type: 'text', text: '4711' }]);
			},
		},
		{
			node: send('mark as read', { messageType: 'markAsRead', markAsReadMessageId: '={{ $json.inboundMessageId }}', markAsReadTypingIndicator: true }),
			body: { messaging_product: 'whatsapp', status: 'read', message_id: INBOUND_WAMID, typing_indicator: { type: 'text' } },
		},
	];
}

// ------------------------------------------------------------------------------------------------
// Workflow 2: files read by n8n's own nodes
// ------------------------------------------------------------------------------------------------

const CSV_ROWS = 50;
const leadRow = (i: number) => ({
	name: `Kunde ${i + 1}`,
	phone: `+49 151 2000 ${String(i + 1).padStart(4, '0')}`,
	waId: `491512000${String(i + 1).padStart(4, '0')}`,
	order: `A-${1000 + i}`,
	carrier: i % 2 === 0 ? 'DHL' : 'UPS',
	tracking: `JJD${String(900000 + i)}`,
});

/** Tiny files with the right magic bytes; the nodes check MIME type (from the extension) and size. */
const FILES: Record<string, Buffer> = {
	'photo.png': Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2048, 7)]),
	'manual.pdf': Buffer.from('%PDF-1.4\n% e2e test document\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'),
	'voice.ogg': Buffer.concat([Buffer.from('OggS'), Buffer.alloc(4096, 3)]),
	'sticker.webp': Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(1024, 5)]),
	'invoice.pdf': Buffer.from('%PDF-1.4\n% e2e invoice\n%%EOF\n'),
};

const toCustomerFixed = { to: CUSTOMER.input };
const textPerRow = { messageType: 'text', to: '={{ $json.phone }}', textBody: '=Hi {{ $json.name }}, your code is {{ $json.code }}' };
const CUSTOMERS_CSV = ['name,phone,code', 'Anna,+49 151 3000 0001,111', 'Bernd,not a number,222', 'Clara,+49 151 3000 0003,333'].join('\n') + '\n';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

function filesWorkflow(dir: string): WorkflowBuilder {
	const wf = new WorkflowBuilder('e2e: files read by n8n (CSV, media, continue on fail)', 'e2eFilesWorkflow');
	wf.add(manualTrigger('Start'));

	// 50 template messages from a CSV
	wf.add(readFileNode('Read leads.csv', path.join(dir, 'leads.csv')), 'Start');
	wf.add(extractCsvNode('Extract leads'), 'Read leads.csv');
	wf.add(
		send('Shipping template per row', {
			messageType: 'template',
			to: '={{ $json.phone }}',
			template: { __rl: true, mode: 'list', value: 'shipping_confirmation|en_US' },
			templateParameterMode: 'fields',
			templateFields: {
				mappingMode: 'defineBelow',
				value: {
					'header.text.1': '={{ $json.order }}',
					'body.1': '={{ $json.name }}',
					'body.2': '={{ $json.carrier }}',
					'button.0.url': '={{ $json.tracking }}',
				},
				matchingColumns: [],
				schema: [],
			},
			options: { bizOpaqueCallbackData: '={{ $json.order }}' },
		}),
		'Extract leads',
	);

	// binary media from disk
	wf.add(readFileNode('Read photo.png', path.join(dir, 'photo.png')), 'Start');
	wf.add(send('Image from file', { messageType: 'image', ...toCustomerFixed, mediaSource: 'binary', mediaBinaryProperty: 'data', mediaCaption: 'From disk' }), 'Read photo.png');
	wf.add(readFileNode('Read manual.pdf', path.join(dir, 'manual.pdf')), 'Start');
	wf.add(send('Document from file', { messageType: 'document', ...toCustomerFixed, mediaSource: 'binary', mediaBinaryProperty: 'data' }), 'Read manual.pdf');
	wf.add(readFileNode('Read voice.ogg', path.join(dir, 'voice.ogg')), 'Start');
	wf.add(send('Voice note from file', { messageType: 'audio', ...toCustomerFixed, mediaSource: 'binary', mediaBinaryProperty: 'data', mediaVoiceNote: true }), 'Read voice.ogg');
	wf.add(readFileNode('Read sticker.webp', path.join(dir, 'sticker.webp')), 'Start');
	wf.add(mediaNode('Upload sticker', { operation: 'upload', binaryPropertyName: 'data', mediaType: 'auto', uploadOptions: {} }), 'Read sticker.webp');
	wf.add(send('Sticker by uploaded id', { messageType: 'sticker', ...toCustomerFixed, mediaSource: 'id', mediaId: '={{ $json.mediaId }}' }), 'Upload sticker');
	wf.add(readFileNode('Read invoice.pdf', path.join(dir, 'invoice.pdf')), 'Start');
	wf.add(
		send('Template with document header from file', {
			messageType: 'template',
			...toCustomerFixed,
			template: { __rl: true, mode: 'name', value: 'invoice_available|en_US' },
			templateParameterMode: 'json',
			templateParametersJson: '{ "header.document": "binary:data", "body": ["INV-2026-001", "€99.00", "31 January 2026"] }',
		}),
		'Read invoice.pdf',
	);

	// continue on fail: row 2 of 3 has a bad phone number
	wf.add(readFileNode('Read customers.csv', path.join(dir, 'customers.csv')), 'Start');
	wf.add(extractCsvNode('Extract customers'), 'Read customers.csv');
	wf.add(send('Text per row (continue on fail)', textPerRow, { onError: 'continueRegularOutput' }), 'Extract customers');
	return wf;
}


function badRowWorkflow(dir: string): WorkflowBuilder {
	const wf = new WorkflowBuilder('e2e: bad row without continue on fail', 'e2eBadRowStopWf');
	wf.add(manualTrigger('Start'));
	wf.add(readFileNode('Read customers.csv', path.join(dir, 'customers.csv')), 'Start');
	wf.add(extractCsvNode('Extract customers'), 'Read customers.csv');
	wf.add(send('Text per row', textPerRow), 'Extract customers');
	return wf;
}

// ------------------------------------------------------------------------------------------------

function describeRun(res: ExecuteResult): string {
	return `${res.errorMessage ?? ''}\n--- stdout (tail)\n${res.stdout.slice(-3000)}\n--- stderr (tail)\n${res.stderr.slice(-2000)}`;
}

describe('headless: real n8n executes the nodes against the emulator', () => {
	let emulator: Emulator;
	let n8n: N8n;
	let filesDir: string;
	const timings: string[] = [];
	const allTypes = allTypesCases();
	const ids = { allTypes: 'e2eAllMsgTypesWf', files: 'e2eFilesWorkflow', badRow: 'e2eBadRowStopWf' };

	before(async () => {
		emulator = await startEmulator();
		n8n = await N8n.fresh({ env: {} });
		// n8n 2.x only reads/writes files inside N8N_RESTRICT_FILE_ACCESS_TO, by default ~/.n8n-files: the harness
		// runs n8n with HOME = its user folder, so that is n8n.filesDir (no override needed)
		filesDir = n8n.filesDir;
		for (const [name, data] of Object.entries(FILES)) fs.writeFileSync(path.join(filesDir, name), data);
		const csv = ['name,phone,order,carrier,tracking', ...Array.from({ length: CSV_ROWS }, (_, i) => Object.values(leadRow(i)).filter((_, k) => k !== 2).join(','))];
		fs.writeFileSync(path.join(filesDir, 'leads.csv'), csv.join('\n') + '\n');
		fs.writeFileSync(path.join(filesDir, 'customers.csv'), CUSTOMERS_CSV);

		let t0 = Date.now();
		await n8n.importCredentials([emulatorCredential(emulator.url)]);
		timings.push(`import:credentials ${Date.now() - t0} ms`);

		const typesWf = new WorkflowBuilder('e2e: every message type from one Set node', ids.allTypes);
		typesWf.add(manualTrigger('Start'));
		typesWf.add(setNode('Values', VALUES), 'Start');
		for (const c of allTypes) typesWf.add(c.node, 'Values');

		const examples = exampleWorkflowFiles().map(loadExample);
		t0 = Date.now();
		await n8n.importWorkflow([typesWf.build(), filesWorkflow(filesDir).build(), badRowWorkflow(filesDir).build(), ...examples]);
		timings.push(`import:workflow (${3 + examples.length} workflows) ${Date.now() - t0} ms`);
	});

	after(async () => {
		console.log(`  timings: ${timings.join('; ')}`);
		await n8n?.dispose();
		await emulator?.close();
	});

	/** Messages the emulator accepted during `fn`. */
	async function executeAndCollect(workflowId: string): Promise<{ res: ExecuteResult; recorded: RecordedMessage[] }> {
		const before = emulator.messages().length;
		const res = await n8n.execute(workflowId);
		timings.push(`execute ${workflowId} ${res.ms} ms`);
		return { res, recorded: emulator.messages().slice(before) };
	}

	test('every workflows/*.json example imports cleanly with its credential reference', async () => {
		const files = exampleWorkflowFiles();
		assert.ok(files.length >= 5, `examples: ${files.join(', ')}`);
		const rows = await n8n.db.query<{ id: string; name: string; nodes: string }>('SELECT id, name, nodes FROM workflow_entity');
		for (const file of files) {
			const wf = loadExample(file);
			const stored = rows.find((r) => r.id === wf.id);
			assert.ok(stored, `${file}: workflow ${wf.id} not in the DB after import`);
			assert.equal(stored.name, wf.name);
			const nodes = JSON.parse(stored.nodes) as WfNode[];
			assert.deepEqual(nodes.map((n) => n.type).sort(), wf.nodes.map((n) => n.type).sort(), `${file}: node types changed on import`);
			for (const n of nodes.filter((x) => x.type.startsWith('n8n-nodes-360dialog.'))) {
				assert.deepEqual(n.credentials?.dialog360Api, EXAMPLE_CREDENTIAL, `${file} / ${n.name}: credential reference`);
			}
		}
	});

	test(`every message type (${allTypes.length} Send nodes fed by one Set node) reaches the emulator as expected`, async () => {
		const { res, recorded } = await executeAndCollect(ids.allTypes);
		assert.ok(res.ok, `run failed: ${describeRun(res)}`);
		assert.equal(recorded.length, allTypes.length, `recorded ${recorded.length} of ${allTypes.length} messages`);
		const byWamid = new Map(recorded.filter((m) => m.wamid).map((m) => [m.wamid, m]));
		for (const c of allTypes) {
			const out = nodeOutput(res.run, c.node.name);
			assert.equal(out.length, 1, `${c.node.name}: output items ${JSON.stringify(out)}`);
			let body: Json;
			if (c.node.parameters.messageType === 'markAsRead') {
				assert.deepEqual(out[0], { success: true, type: 'markAsRead', messageId: INBOUND_WAMID });
				const reads = recorded.filter((m) => m.kind === 'mark_read');
				assert.equal(reads.length, 1);
				body = reads[0].body as Json;
			} else {
				const record = byWamid.get(String(out[0].messageId));
				assert.ok(record, `${c.node.name}: output messageId ${String(out[0].messageId)} not recorded by the emulator`);
				assert.equal(out[0].messageStatus, 'accepted');
				assert.equal(out[0].type, c.node.parameters.messageType);
				body = record.body as Json;
			}
			if (c.body) assert.deepEqual(body, c.body, `${c.node.name}: body`);
			c.check?.(body);
		}
	});

	test('files read by n8n: 50 CSV rows → 50 templates; media from disk uploaded and sent; continue on fail', async () => {
		const { res, recorded } = await executeAndCollect(ids.files);
		assert.ok(res.ok, `run failed: ${describeRun(res)}`);
		const byWamid = new Map(recorded.filter((m) => m.wamid).map((m) => [m.wamid as string, m.body as Json]));
		const sentBy = (nodeName: string): Json[] =>
			nodeOutput(res.run, nodeName).map((o) => {
				const body = byWamid.get(String(o.messageId));
				assert.ok(body, `${nodeName}: ${JSON.stringify(o)} not recorded by the emulator`);
				return body;
			});

		// --- CSV → templates (order of rows kept)
		const templates = sentBy('Shipping template per row');
		assert.equal(templates.length, CSV_ROWS);
		templates.forEach((body, i) => {
			const row = leadRow(i);
			assert.equal(body.to, row.waId, `row ${i}: to`);
			assert.equal(body.biz_opaque_callback_data, row.order);
			assert.equal(body.template.name, 'shipping_confirmation');
			assert.deepEqual(component(body, 'header')?.parameters, [{ type: 'text', text: row.order }], `row ${i}: header`);
			assert.deepEqual(component(body, 'body')?.parameters, [{ type: 'text', text: row.name }, { type: 'text', text: row.carrier }], `row ${i}: body`);
			assert.deepEqual(component(body, 'button', 0)?.parameters, [{ type: 'text', text: row.tracking }], `row ${i}: button`);
		});

		// --- media read from disk: uploaded to /media (same bytes), then sent by id
		const uploaded = (id: unknown, file: string, mimeType: string) => {
			const media = emulator.state.media.get(String(id));
			assert.ok(media, `media ${String(id)} (${file}) was not uploaded`);
			assert.equal(media.mimeType.split(';')[0], mimeType, `${file}: MIME type`);
			assert.ok(media.sha256.equals(sha256(FILES[file])), `${file}: uploaded bytes differ from the file`);
		};
		const [image] = sentBy('Image from file');
		assert.equal(image.type, 'image');
		assert.equal(image.image.caption, 'From disk');
		uploaded(image.image.id, 'photo.png', 'image/png');
		const [doc] = sentBy('Document from file');
		assert.equal(doc.document.filename, 'manual.pdf');
		uploaded(doc.document.id, 'manual.pdf', 'application/pdf');
		const [voice] = sentBy('Voice note from file');
		assert.equal(voice.audio.voice, true);
		uploaded(voice.audio.id, 'voice.ogg', 'audio/ogg');
		const [upload] = nodeOutput(res.run, 'Upload sticker');
		assert.equal(upload.mimeType, 'image/webp');
		const [sticker] = sentBy('Sticker by uploaded id');
		assert.deepEqual(sticker.sticker, { id: upload.mediaId });
		uploaded(upload.mediaId, 'sticker.webp', 'image/webp');
		const [invoice] = sentBy('Template with document header from file');
		const header = component(invoice, 'header')?.parameters[0];
		assert.equal(header?.type, 'document');
		assert.equal(header?.document.filename, 'invoice.pdf');
		uploaded(header?.document.id, 'invoice.pdf', 'application/pdf');

		// --- continue on fail: rows 1 and 3 sent, row 2 is an error item; the run still succeeds
		const rows = nodeOutput(res.run, 'Text per row (continue on fail)');
		assert.equal(rows.length, 3, JSON.stringify(rows));
		assert.match(String(rows[1].error), /"not a number" is not a valid phone number.*\[item 1\]/, `row 2: ${JSON.stringify(rows[1])}`);
		assert.match(String(rows[1].errorDescription), /Field "To" of item 1/);
		assert.equal(rows[1].messageId, undefined);
		for (const [i, code] of [[0, '111'], [2, '333']] as const) {
			const body = byWamid.get(String(rows[i].messageId));
			assert.ok(body, `row ${i + 1} not sent: ${JSON.stringify(rows[i])}`);
			assert.match(body.text.body, new RegExp(`your code is ${code}$`));
		}
		assert.equal(recorded.length, CSV_ROWS + 5 + 2, 'messages recorded in this run');
	});

	test('the CRM example runs as shipped (Manual Trigger → Set → welcome template with variables)', async () => {
		const wf = loadExample('crm-lead-welcome-template.json');
		const { res, recorded } = await executeAndCollect(wf.id);
		assert.ok(res.ok, `run failed: ${describeRun(res)}`);
		assert.equal(recorded.length, 1);
		const body = recorded[0].body as Json;
		assert.equal(body.to, '4915123456789');
		assert.equal(body.biz_opaque_callback_data, 'CRM-10042');
		assert.equal(body.template.name, 'welcome_customer');
		assert.equal(body.template.language.code, 'de');
		assert.deepEqual(component(body, 'body')?.parameters, [
			{ type: 'text', parameter_name: 'first_name', text: 'Erika' },
			{ type: 'text', parameter_name: 'shop_name', text: 'Example Shop' },
		]);
	});

	test('a bad row without Continue On Fail fails the run, names item and field, and sends nothing', async () => {
		const { res, recorded } = await executeAndCollect(ids.badRow);
		assert.equal(res.ok, false, 'the run should fail');
		const error = res.run?.data.resultData.error;
		assert.match(error?.message ?? '', /"not a number" is not a valid phone number.*\[item 1\]/, describeRun(res));
		assert.match(error?.description ?? '', /Field "To" of item 1/);
		assert.equal(error?.node?.name, 'Text per row');
		assert.equal(recorded.length, 0, 'validation happens before anything is sent: rows 1 and 3 must not go out either');
	});
});
