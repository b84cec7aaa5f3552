import {
	NodeConnectionTypes,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { checkDeliveryBody, respond, type PlainResponse } from './delivery';
import { EVENT_OPTIONS, MESSAGE_TYPE_OPTIONS, STATUS_OPTIONS } from './filters';
import { claimKeys, claimQueues, DEFAULT_SETTLE_MS, type ClaimResult } from './claims';
import { claimantId, itemWithReceipt, readReceipts } from './handover';
import { DEFAULT_BINARY_PROPERTY, hasDownloadableMedia, withMedia } from './media';
import { checkExists, create, expectedSecret, remove } from './registration';
import { readSecretHeader, WEBHOOK_HEADER, secretsMatch } from './secret';
import { DEFAULT_DEDUPE_WINDOW_HOURS, DEFAULT_REMEMBERED_EVENTS, dedupeEnabled, readSelectOptions, rememberDelivered, selectParsed } from './select';
import { parseWebhook } from './parser';
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

/** What each event kind's items carry, shown under Start Workflow On when the kind is selected. */
const EVENT_FIELDS: Array<{ kind: string; text: string }> = [
	{
		kind: 'message',
		text: 'Messages: messageId, from, waId, contactName, type (text, image, …, edit, revoke) and the content flattened: text, mediaId, caption, replyId, buttonPayload, flowResponse, … Edits and deletions (type edit / revoke) carry originalMessageId; an edit also has editedType and the new content (text, caption, …).',
	},
	{ kind: 'status', text: 'Message statuses: type = sent, delivered, read, failed or played; messageId, recipientId, bizOpaqueCallbackData, conversation, pricing; failures add errorCode, errorTitle, errorDetails and guidance.' },
	{
		kind: 'call',
		text: 'Calls: type = connect, terminate, status or permission_reply; callId, direction, from, to, waId (the customer), status (RINGING, ACCEPTED, REJECTED; COMPLETED or FAILED on terminate), startTime, endTime, duration, sdpType, bizOpaqueCallbackData, errorCode. Permission replies: messageId, permissionResponse (accept / reject), permissionExpiresAt, permissionSource.',
	},
	{ kind: 'preference', text: 'Marketing opt-outs and opt-ins: type = stop or resume, waId and contactName of the customer, category (marketing_messages), detail, timestamp. Honour a stop before the next marketing template.' },
	{ kind: 'error', text: 'Errors: errorCode, errorTitle, errorDetails, guidance; timestamp is the entry time, or when it was received (timestampSource).' },
	{
		kind: 'template',
		text: 'Template updates: type = the webhook field; templateId, templateName, templateLanguage, updateEvent (APPROVED, REJECTED, PAUSED, …), reason, templateCategory, previousQualityScore, newQualityScore, previousCategory, newCategory, correctCategory, templateElement, templateTitle, templateFooter, templateButtons.',
	},
	{
		kind: 'account',
		text: 'Account updates: type = the webhook field; updateEvent, displayPhoneNumber, currentLimit, oldLimit, maxDailyConversationsPerBusiness, decision, requestedVerifiedName, rejectionReason, alertSeverity, alertStatus, alertType, alertDescription, entityType, entityId, banState, restrictions, violationType.',
	},
	{ kind: 'group', text: 'Groups: type = group_create, group_delete, group_settings_update, group_add_participants, group_remove_participants; groupId, requestId, subject, description, addedParticipants, removedParticipants.' },
	{ kind: 'echo', text: 'Sent from the WhatsApp Business app: messageId, from (the business), to and waId (the customer), type and content as for messages.' },
	{ kind: 'history', text: 'Chat history: one item per past message, with threadId and waId (the chat), messageId, from, type and content, historyStatus, phase, chunkOrder, progress; type progress for a chunk without messages, error when sharing was declined.' },
	{ kind: 'app_state', text: 'WhatsApp Business app contacts: type = contact, action (add or remove), contactPhoneNumber (also waId), contactFullName, contactFirstName.' },
	{ kind: 'unknown', text: 'Unknown events: type = the webhook field; everything else is in raw.' },
];

const EVENT_FIELD_NOTICES: INodeProperties[] = EVENT_FIELDS.map(({ kind, text }) => ({
	displayName: text,
	name: `${kind}FieldsNotice`,
	type: 'notice',
	default: '',
	displayOptions: { show: { events: [kind] } },
}));

const properties: INodeProperties[] = [
	{
		displayName:
			'A WhatsApp number has ONE main webhook. Activating this workflow points the number of the selected credential at this trigger and replaces the current webhook; deactivating puts the previous one back. To keep the current webhook (a CRM, say) and receive the events as well, choose Automatic, as an Additional Webhook. 360dialog only accepts HTTPS URLs without a port and without "_" in the host, so n8n on :5678 needs a reverse proxy on port 443, and n8n must know that public address: N8N_WEBHOOK_URL on n8n 2.x, WEBHOOK_URL on n8n 1.x.',
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
				name: 'Automatic, as an Additional Webhook',
				value: 'additional',
				description: "Add this trigger as an extra webhook of the number (360dialog's multiple webhooks) and remove exactly that one again; the number's main webhook stays as it is",
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
		displayName:
			"Shares the number: activating adds this trigger as an additional webhook (360dialog's multiple webhooks, at most 3 per number) and deactivating removes exactly that one; the number's main webhook (your CRM, for example) stays as it is. 360dialog sends an event to the additional webhooks only after the main webhook answered it with 200, so the number needs a working main webhook, and events arrive a little later. Same URL rules as Automatic: HTTPS on port 443, no \"_\" in the host, N8N_WEBHOOK_URL (n8n 2.x) or WEBHOOK_URL (n8n 1.x) set to n8n's public address.",
		name: 'additionalWebhookNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { registration: ['additional'] } },
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
		displayOptions: { show: { registration: ['automatic', 'additional'] } },
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
			'Which events start the workflow. Every status of every sent message is an execution of its own, so add statuses only when you need them. Nothing selected means all events except the WhatsApp Business app ones, which start the workflow only when selected.',
		hint: 'One item per event. Every item has event, type, timestamp (ISO), phoneNumberId, displayPhoneNumber, wabaId, field and raw (the object as WhatsApp sent it); items about a customer name them with waId (and from, fromUserId, username, contactName where given). The fields of each kind are listed below and in the README.',
	},
	...EVENT_FIELD_NOTICES,
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
					'360dialog delivers at least once and retries for hours. A message (by ID) or a status (by message ID and status) starts the workflow only once: redeliveries are dropped for this many hours by the n8n process that received the first one, and always by the execution itself (see Remembered Events). 0 turns deduplication off.',
			},
			{
				displayName: 'Download Media',
				name: 'downloadMedia',
				type: 'boolean',
				default: false,
				description:
					'Whether to download the file of image, video, audio, document and sticker messages into binary data. The download runs in the execution, after the delivery was acknowledged; a failed download still emits the message, with a mediaDownloadError field.',
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
				displayName: 'Remembered Events',
				name: 'rememberedEvents',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_REMEMBERED_EVENTS,
				description:
					"How many of the latest events each execution checks against, in n8n's processed-data store (its database), so a redelivery is dropped after a restart and on any n8n process in queue mode. The list is read and written once per execution: about 60 bytes per event.",
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
			'Starts the workflow when WhatsApp events arrive through 360dialog: customer messages (edits and deletions included), message statuses, calls, marketing opt-outs, errors, template, account and group updates, and on request the WhatsApp Business app echoes, history and contacts',
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
		const events = parseWebhook(checked.body);
		const answers = claimAnswers(events, staticData, base, now);
		const emitAnswers = waitOptions.emitWaitingReplies === true;
		const answerIds = new Set(answers.all.map((a) => a.event.messageId ?? ''));
		const selectOptions = readSelectOptions(this.getNodeParameter('events', ['message']), nodeOptions);
		const scope = dedupeScope(this.getWorkflow().id, this.getNode().id);
		const selection = selectParsed(events, { ...selectOptions, skipMessageIds: emitAnswers ? undefined : answerIds }, now, scope);
		if (selection.events.length === 0 && answers.all.length === 0) {
			respond(response, 200);
			return { noWebhookResponse: true };
		}

		if (answers.all.length > 0) {
			// Answers are handed to n8n's waiting executions with HTTP calls that can take longer than
			// 360dialog waits, so this rare path acknowledges first and answers itself.
			respond(response, 200);
			rememberDelivered(scope, selection.keys, selectOptions, now);
			const routed = await deliverAnswers(this, answers, waitOptions);
			// An answer that could not be handed over is not lost: it starts this workflow like any message.
			const failed = new Set(routed.filter((r) => r.outcome === 'failed').map((r) => r.resume.event.messageId ?? ''));
			const outcomes = new Map(routed.map((r) => [r.resume.event.messageId ?? '', r]));
			const items = selection.events.map((event, i) => itemWithReceipt(event, selection.keys[i]));
			if (!emitAnswers) {
				for (const answer of answers.all) {
					if (failed.has(answer.event.messageId ?? '')) items.push(itemWithReceipt(answer.event, undefined));
				}
			}
			if (items.length === 0) return { noWebhookResponse: true };
			for (const item of items) {
				const messageId = item.json.event === 'message' && typeof item.json.messageId === 'string' ? item.json.messageId : '';
				const routedAnswer = outcomes.get(messageId);
				if (routedAnswer && messageId !== '') {
					item.json.waitingReply = { resumed: routedAnswer.outcome === 'resumed', outcome: routedAnswer.outcome, ...(routedAnswer.detail ? { detail: routedAnswer.detail } : {}) };
				}
			}
			return { noWebhookResponse: true, workflowData: [items] };
		}

		// n8n answers 200 (responseMode onReceived, empty body) once it has created the execution:
		// in queue mode, once the execution is in the queue. Only then does this process remember the
		// keys, so a delivery whose execution could not be created is not dropped when it comes again.
		whenAcknowledged(this.getResponseObject(), () => rememberDelivered(scope, selection.keys, selectOptions, Date.now()));
		return { workflowData: [selection.events.map((event, i) => itemWithReceipt(event, selection.keys[i]))] };
	}

	/**
	 * The first step of every execution this Trigger starts (n8n runs a webhook node's execute with
	 * the items webhook() returned): on a worker in queue mode. Claims the events in n8n's
	 * processed-data store so each starts the workflow once across restarts and processes
	 * (claims.ts), then downloads media when asked.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const received = readReceipts(this.getInputData());
		const nodeOptions = this.getNodeParameter('options', 0, {}) as IDataObject;
		const selectOptions = readSelectOptions([], nodeOptions);
		let kept = received;
		// Test events (manual mode) are not recorded, so the production delivery still runs later.
		if (this.getMode() !== 'manual' && dedupeEnabled(selectOptions) && received.some((r) => r.key !== undefined)) {
			const keys = received.flatMap((r) => (r.key === undefined ? [] : [r.key]));
			// Another process received the delivery: claims from other processes may interleave with ours.
			const settleMs = received.every((r) => r.receivedHere) ? 0 : DEFAULT_SETTLE_MS;
			const maxEntries = (selectOptions.rememberedEvents ?? DEFAULT_REMEMBERED_EVENTS) * (settleMs > 0 ? 2 : 1);
			const record = async (values: string[]) => {
				const result = await this.helpers.checkProcessedAndRecord(values, 'node', { mode: 'entries', maxEntries });
				return new Set(result.processed.map(String));
			};
			const scope = dedupeScope(this.getWorkflow().id, this.getNode().id);
			let claims: ClaimResult;
			try {
				claims = await claimQueues.use(scope, record, async (queued) =>
					await claimKeys(keys, queued, { claimant: claimantId(this.getExecutionId()), settleMs, sleep }),
				);
			} catch (error) {
				// The execution fails and shows why; its events stay in its input, so it can be retried.
				throw new NodeOperationError(this.getNode(), `Could not record the events in n8n's processed data: ${error instanceof Error ? error.message : String(error)}`, {
					description: 'The Trigger records every event in n8n’s database before the workflow runs, so a redelivery does not run it twice. Retry the execution once the database answers again.',
				});
			}
			if (settleMs === 0) rememberDelivered(scope, keys, selectOptions, Date.now());
			kept = received.filter((r) => r.key === undefined || claims.won.has(r.key));
			if (claims.duplicates.size > 0) {
				this.logger.debug(`360dialog Trigger: ${claims.duplicates.size} event(s) already handled by another execution`, { keys: [...claims.duplicates] });
			}
		}
		if (kept.length === 0) return [[]];
		const items = kept.map((r) => r.item);
		if (nodeOptions.downloadMedia === true && items.some((item) => hasDownloadableMedia(item.json as never))) {
			return [await withMedia(this, items, String(nodeOptions.binaryPropertyName ?? ''))];
		}
		return [items];
	}
}

/** Names a Trigger node's dedupe state: the workflow and the node. */
function dedupeScope(workflowId: string | undefined, nodeId: string): string {
	return `${workflowId ?? ''}:${nodeId}`;
}

/** Calls `then` once n8n has answered the delivery with 200 (its `finish` event), never otherwise. */
function whenAcknowledged(response: unknown, then: () => void): void {
	const emitter = response as { once?: (event: string, listener: () => void) => unknown; statusCode?: number };
	if (typeof emitter.once !== 'function') return;
	emitter.once('finish', () => {
		if (emitter.statusCode === 200) then();
	});
}

