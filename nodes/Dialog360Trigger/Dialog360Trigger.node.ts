import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { checkDeliveryBody, respond, type PlainResponse } from './delivery';
import { EVENT_OPTIONS, MESSAGE_TYPE_OPTIONS, STATUS_OPTIONS } from './filters';
import { DEFAULT_BINARY_PROPERTY, hasDownloadableMedia, itemsWithMedia, toItem } from './media';
import { checkExists, create, expectedSecret, remove } from './registration';
import { readSecretHeader, WEBHOOK_HEADER, secretsMatch } from './secret';
import { DEFAULT_DEDUPE_WINDOW_HOURS, readSelectOptions, selectEvents } from './select';
import { claimAnswers, deliverAnswers, handleRegistration, waitingBase, type WaitRoutingOptions, type WaitStaticData } from './waitRouting';

const options = <T extends string>(list: ReadonlyArray<{ name: string; value: T; description: string }>) =>
	list.map(({ name, value, description }) => ({ name, value, description }));

/**
 * The line under the node on the canvas: "On Messages", "On Messages, Message Statuses", … in the
 * words of the event selector, from the same option list. A workflow that omits the default reads
 * as Messages; an empty selection means every event.
 */
const EVENT_NAMES = Object.fromEntries(EVENT_OPTIONS.map(({ value, name }) => [value, name]));
const EVENTS = '($parameter["events"] || ["message"])';
const subtitle = `={{ ${EVENTS}.length ? "On " + ${EVENTS}.map((event) => (${JSON.stringify(EVENT_NAMES)})[event] || event).join(", ") : "On All Events" }}`;

const properties: INodeProperties[] = [
	{
		displayName:
			'A WhatsApp number has ONE webhook. Activating this workflow points the number of the selected credential at this trigger and replaces the current webhook; deactivating puts the previous one back. 360dialog only accepts HTTPS URLs without a port and without "_" in the host, so n8n on :5678 needs a reverse proxy on port 443, and n8n must know that public address: N8N_WEBHOOK_URL on n8n 2.x, WEBHOOK_URL on n8n 1.x.',
		name: 'oneWebhookNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { registration: ['automatic'] } },
	},
	{
		displayName: 'Registration',
		name: 'registration',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description: "Set the number's webhook when the workflow is activated and restore the previous one when it is deactivated",
			},
			{
				name: 'Manual',
				value: 'manual',
				description: 'Register nothing: you set the URL and the secret header in 360dialog yourself',
			},
		],
		default: 'automatic',
	},
	{
		displayName: 'Webhook Secret',
		name: 'webhookSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		placeholder: 'Empty: generated and kept for you',
		hint: 'Leave empty: a random secret is generated when the workflow is activated, registered with 360dialog and kept with this workflow.',
		description: `Sent by 360dialog in the ${WEBHOOK_HEADER} header of every delivery; requests without it are refused with 401`,
		displayOptions: { show: { registration: ['automatic'] } },
	},
	{
		// n8n's notice keeps only <a>, <ul> and <li>: the steps are list items, one value per line.
		displayName: [
			'Register the webhook yourself, once per number:<ul>',
			"<li>1. Copy this node's Production URL (Webhook URLs, above).</li>",
			'<li>2. Fill in the Webhook Secret below (at least 16 random characters).</li>',
			'<li>3. Send this request (360dialog hub or any HTTP client):</li>',
			'<li>POST https://waba-v2.360dialog.io/v1/configs/webhook</li>',
			'<li>Header D360-API-KEY: your API key</li>',
			`<li>Body {"url": "PRODUCTION_URL", "headers": {"${WEBHOOK_HEADER}": "WEBHOOK_SECRET"}}</li>`,
			'<li>4. Activate this workflow.</li></ul>',
			'A number has one webhook; 360dialog accepts only HTTPS URLs without a port or "_" in the host. Deliveries without the header are refused with 401.',
		].join(''),
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { registration: ['manual'] } },
	},
	{
		displayName: 'Webhook Secret',
		name: 'webhookSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description: `A random string of at least 16 characters. 360dialog must send it in the ${WEBHOOK_HEADER} header; requests without it are refused with 401.`,
		displayOptions: { show: { registration: ['manual'] } },
	},
	{
		// Not "Trigger On" / "Events": with one of those labels n8n's node creator lists each option as an
		// action and then drops "Trigger" from the node's name, so the Send node and this one both read "360dialog".
		displayName: 'Start Workflow On',
		name: 'events',
		type: 'multiOptions',
		options: options(EVENT_OPTIONS),
		default: ['message'],
		description:
			'Which events start the workflow. Every status of every sent message is an execution of its own, so add statuses only when you need them. Nothing selected means all events.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Deduplication Window (Hours)',
				name: 'dedupeWindowHours',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_DEDUPE_WINDOW_HOURS,
				description:
					'360dialog delivers at least once and retries for hours. A message (by ID) or a status (by message ID and status) seen within this window starts the workflow only once. 0 turns this off.',
			},
			{
				displayName: 'Download Media',
				name: 'downloadMedia',
				type: 'boolean',
				default: false,
				description:
					'Whether to download the file of image, video, audio, document and sticker messages into binary data. The delivery is acknowledged before the download; a failed download still emits the message, with a mediaDownloadError field.',
			},
			{
				displayName: 'Emit Answers to Waiting Executions',
				name: 'emitWaitingReplies',
				type: 'boolean',
				default: false,
				description:
					'Whether a reply that answers a "Send and Wait for Reply" question also starts this workflow (with a waitingReply field saying whether it resumed its execution). Off: it only resumes the execution that asked.',
			},
			{
				displayName: 'Ignore Own Messages',
				name: 'ignoreOwnEchoes',
				type: 'boolean',
				default: true,
				description: 'Whether to skip messages sent by the business number itself (echoes in coexistence setups), so a reply cannot trigger the workflow again',
			},
			{
				displayName: 'Late Reply Answer',
				name: 'lateReplyText',
				type: 'string',
				default: '',
				placeholder: 'This request has already been answered',
				description:
					'Text sent back when the customer taps a "Send and Wait for Reply" button or list row of a question that was already answered or is no longer waiting. Empty: nothing is sent.',
			},
			{
				displayName: 'Media Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: DEFAULT_BINARY_PROPERTY,
				description: 'Name of the binary property the downloaded file is put in',
				displayOptions: { show: { downloadMedia: [true] } },
			},
			{
				displayName: 'Message Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: options(STATUS_OPTIONS),
				default: [],
				description: 'Only these statuses (when Start Workflow On includes Message Statuses). Nothing selected means all.',
			},
			{
				displayName: 'Message Types',
				name: 'messageTypes',
				type: 'multiOptions',
				options: options(MESSAGE_TYPE_OPTIONS),
				default: [],
				description: 'Only these message types (when Start Workflow On includes Messages). Nothing selected means all.',
			},
			{
				displayName: 'Waiting Webhook Base URL',
				name: 'waitingWebhookBaseUrl',
				type: 'string',
				default: '',
				placeholder: 'https://n8n.example.com/webhook-waiting',
				description:
					'Where "Send and Wait for Reply" answers are handed to n8n. Empty: derived from this node\'s production URL with n8n\'s default endpoint names (…/webhook/… → …/webhook-waiting). Set it when N8N_ENDPOINT_WEBHOOK or N8N_ENDPOINT_WEBHOOK_WAIT are changed.',
			},
		],
	},
];

export class Dialog360Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: '360dialog Trigger',
		name: 'dialog360Trigger',
		icon: { light: 'file:360dialog.svg', dark: 'file:360dialog.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle,
		description:
			'Starts the workflow when WhatsApp events arrive through 360dialog: customer messages, message statuses (sent, delivered, read, failed, played), errors WhatsApp reports, and template and account updates',
		defaults: { name: '360dialog Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dialog360Api', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Answer 200 as soon as the execution is registered, with an empty body ('noData');
				// without responseData n8n would send the literal string "firstEntryJson".
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'webhook',
			},
		],
		eventTriggerDescription: 'Waiting for a WhatsApp message to your 360dialog number',
		activationMessage: 'WhatsApp messages to your 360dialog number now start this workflow.',
		properties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject() as unknown as { rawBody?: unknown };
		const response = this.getResponseObject() as unknown as PlainResponse;
		const staticData = this.getWorkflowStaticData('node') as WaitStaticData;

		// Every refusal and every "nothing to emit" is answered here and returns noWebhookResponse
		// without workflowData: n8n then sends nothing more and starts no execution.
		const secret = expectedSecret(this.getNodeParameter('webhookSecret', ''), staticData);
		if (!secretsMatch(readSecretHeader(this.getHeaderData() as Record<string, unknown>), secret)) {
			respond(response, 401, { error: `Unauthorized: missing or wrong ${WEBHOOK_HEADER} header` });
			return { noWebhookResponse: true };
		}
		const checked = checkDeliveryBody({ body: this.getBodyData(), rawBody: request.rawBody });
		if (!checked.ok) {
			respond(response, checked.status, { error: checked.error });
			return { noWebhookResponse: true };
		}

		const nodeOptions = this.getNodeParameter('options', {}) as IDataObject;
		const waitOptions = nodeOptions as WaitRoutingOptions;
		const now = Date.now();
		const base = waitingBase(this, waitOptions);

		// Send and wait: a free-text question registered by the Send node (authenticated by the secret).
		const registration = handleRegistration(checked.body, staticData, base, now);
		if (registration) {
			respond(response, registration.status, registration.body);
			return { noWebhookResponse: true };
		}
		// Answers to waiting executions go to those executions, not into this workflow (unless asked).
		const answers = claimAnswers(checked.body, staticData, base, now);
		const emitAnswers = waitOptions.emitWaitingReplies === true;
		const answerIds = new Set(answers.all.map((a) => a.event.messageId ?? ''));
		const selection = selectEvents(
			checked.body,
			{ ...readSelectOptions(this.getNodeParameter('events', ['message']), nodeOptions), skipMessageIds: emitAnswers ? undefined : answerIds },
			staticData.dedupe,
			Date.now(),
			`${this.getWorkflow().id ?? ''}:${this.getNode().id}`,
		);
		if (selection.dedupeState !== undefined) staticData.dedupe = selection.dedupeState;
		if (selection.events.length === 0 && answers.all.length === 0) {
			respond(response, 200);
			return { noWebhookResponse: true };
		}

		// Acknowledge now, then hand n8n the execution (workflowData + noWebhookResponse: n8n runs it
		// and leaves the answer alone). Answering ourselves also makes n8n save the dedupe window in
		// static data before the execution starts; with n8n's own deferred onReceived answer, real
		// n8n 2.41 kept only the first window update, so redeliveries after a restart got through.
		respond(response, 200);
		if (answers.all.length > 0) {
			const routed = await deliverAnswers(this, answers, waitOptions);
			// An answer that could not be handed over is not lost: it starts this workflow like any message.
			const failed = new Set(routed.filter((r) => r.outcome === 'failed').map((r) => r.resume.event.messageId ?? ''));
			const outcomes = new Map(routed.map((r) => [r.resume.event.messageId ?? '', r]));
			const events = emitAnswers ? selection.events : [...selection.events, ...answers.all.filter((a) => failed.has(a.event.messageId ?? '')).map((a) => a.event)];
			if (events.length === 0) return { noWebhookResponse: true };
			const items = events.map((event) => {
				const item = toItem(event);
				const messageId = event.event === 'message' ? (event.messageId ?? '') : '';
				const routedAnswer = outcomes.get(messageId);
				if (routedAnswer && messageId !== '') {
					item.json.waitingReply = { resumed: routedAnswer.outcome === 'resumed', outcome: routedAnswer.outcome, ...(routedAnswer.detail ? { detail: routedAnswer.detail } : {}) };
				}
				return item;
			});
			return { noWebhookResponse: true, workflowData: [items] };
		}
		if (nodeOptions.downloadMedia === true && selection.events.some(hasDownloadableMedia)) {
			// Downloads can take longer than 360dialog waits, so they happen after the answer.
			const items = await itemsWithMedia(this, selection.events, String(nodeOptions.binaryPropertyName ?? ''));
			return { noWebhookResponse: true, workflowData: [items] };
		}
		return { noWebhookResponse: true, workflowData: [selection.events.map(toItem)] };
	}
}
