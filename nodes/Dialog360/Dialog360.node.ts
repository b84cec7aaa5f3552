import {
	NodeConnectionTypes,
	sleep,
	type IDisplayOptions,
	type IExecuteFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { errorItem, toItemError } from '../common/itemErrors';
import { countryOptions } from '../common/phone';
import { PairPacer, runPaced, TokenBucket } from '../common/rateLimiter';
import { getConnection } from '../common/transport';
import { MESSAGE_TYPES, mergeMethods } from './messageTypes';
import { createTemplateLookup } from './messageTypes/template/lookup';
import type { MessageTypeModule } from './messageTypes/types';
import { customerOf, prepareItem, sendItem, type PreparedItem, type SendOptions } from './send';
import { executeSendAndWait } from './sendAndWait/execute';
import { SEND_AND_WAIT, sendAndWaitProperties, sendAndWaitWebhooks } from './sendAndWait/properties';
import { sendAndWaitWebhook } from './sendAndWait/webhook';

/** Adds `show.messageType` to a module's fields so each form shows only its own fields. */
function scopedToType(module: MessageTypeModule): INodeProperties[] {
	return module.properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, messageType: [module.value] },
		},
	}));
}

const NOT_SENT = 'This item was not sent.';
/** WhatsApp's pair rate limit: about one message every 6 s to one customer, bursts of up to 45 borrowed from later. */
const DEFAULT_CUSTOMER_INTERVAL_SECONDS = 6;
const DEFAULT_CUSTOMER_BURST = 45;
const statusUpdateTypes = MESSAGE_TYPES.filter((type) => type.isStatusUpdate).map((type) => type.value);

/**
 * The line under the node on the canvas, in the words of the Message Type dropdown ("Send Text",
 * "Send Mark as Read"): an n8n expression that looks the value up in a map built from the
 * registry, so a new message type gets its subtitle with its module. A workflow that omits the
 * default value reads as "text"; a value the map does not know is shown as it is.
 */
const SEND_SUBTITLES: Readonly<Record<string, string>> = Object.fromEntries(
	MESSAGE_TYPES.map((type) => [type.value, `Send ${type.name}`]),
);
const subtitle = `={{ $parameter["operation"] === "${SEND_AND_WAIT}" ? "Send and Wait for Reply" : (${JSON.stringify(SEND_SUBTITLES)})[$parameter["messageType"] || "text"] || "Send " + $parameter["messageType"] }}`;

/** Shows a property of the plain send only (operation `send`, the default of every existing workflow). */
function forSendOnly(property: INodeProperties): INodeProperties {
	const displayOptions: IDisplayOptions = { ...property.displayOptions, show: { ...property.displayOptions?.show, operation: ['send'] } };
	return { ...property, displayOptions };
}

const toProperty: INodeProperties = {
	displayName: 'To',
	name: 'to',
	type: 'string',
	default: '',
	required: true,
	placeholder: '+49 151 12345678',
	description:
		"The customer's phone number with country code (any format: +49 151 …, 0049…, or a WhatsApp ID like 4915112345678), or their BSUID (e.g. DE.1300…) when they hide their number. Numbers without a country code need Options → Default Country.",
	displayOptions: { hide: { messageType: statusUpdateTypes, recipientType: ['group'] } },
};

/** Individual (default) or a WhatsApp group; groups take text, media and templates only (groups.ts). */
const recipientTypeProperty: INodeProperties = {
	displayName: 'Recipient Type',
	name: 'recipientType',
	type: 'options',
	noDataExpression: true,
	default: 'individual',
	options: [
		{ name: 'Individual', value: 'individual', description: 'One customer, by phone number or BSUID' },
		{ name: 'Group', value: 'group', description: 'A WhatsApp group created with the Groups API (text, media and templates only)' },
	],
	description: 'Whether the message goes to one customer or to a WhatsApp group',
	displayOptions: { hide: { messageType: statusUpdateTypes } },
};

/** The To parameter again, as the group ID when Recipient Type is Group: no phone-number parsing. */
const groupIdProperty: INodeProperties = {
	displayName: 'Group ID',
	name: 'to',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD',
	description: 'The ID of the group, as the Groups API returned it when the group was created (a 360dialog Trigger item from the group shows it as groupId)',
	displayOptions: { show: { recipientType: ['group'] }, hide: { messageType: statusUpdateTypes } },
};

const sendProperties: INodeProperties[] = [
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		noDataExpression: true,
		options: MESSAGE_TYPES.map((type) => ({ name: type.name, value: type.value, description: type.description, action: type.action ?? `Send ${type.name.toLowerCase()}` })),
		default: 'text',
	},
	recipientTypeProperty,
	toProperty,
	groupIdProperty,
	...MESSAGE_TYPES.flatMap(scopedToType),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Burst',
				name: 'burst',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 150,
				description: 'How many messages may go out at once before the rate above applies',
			},
			{
				displayName: 'Customer Burst',
				name: 'customerBurst',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 45 },
				default: DEFAULT_CUSTOMER_BURST,
				description:
					'With Pace Messages per Customer: how many messages may go to one customer at once before the spacing applies. WhatsApp tolerates bursts of up to 45, borrowed from the following minutes.',
			},
			{
				displayName: 'Customer Interval (Seconds)',
				name: 'customerIntervalSeconds',
				type: 'number',
				typeOptions: { minValue: 0.01, maxValue: 60, numberPrecision: 2 },
				default: DEFAULT_CUSTOMER_INTERVAL_SECONDS,
				description:
					"With Pace Messages per Customer: the seconds between two messages to the same customer once the burst is used up. WhatsApp's limit is about 6; a message it refuses for this reason waits this long and is tried again (Retries on Rate Limit).",
			},
			{
				displayName: 'Default Country',
				name: 'defaultCountry',
				type: 'options',
				default: '',
				options: [{ name: '— None (Numbers Must Start with + or 00) —', value: '' }, ...countryOptions()],
				description: 'Country used for phone numbers written without a country code, like 0151 12345678',
			},
			{
				displayName: 'First Retry Wait (Ms)',
				name: 'retryBaseDelayMs',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1000,
				description: 'Wait before the first retry; it doubles for every further retry unless 360dialog says how long to wait',
			},
			{
				displayName: 'Messages per Second',
				name: 'messagesPerSecond',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 50,
				description:
					'Upper bound on the send rate when many items run at once. 360dialog numbers handle 80 messages/s by default; 50 leaves room for other traffic.',
			},
			{
				displayName: 'Pace Messages per Customer',
				name: 'pacePerCustomer',
				type: 'boolean',
				default: true,
				description:
					'Whether to space messages to the same customer in this execution so WhatsApp does not refuse them (about one message every 6 seconds to one customer is allowed, error 131056). Messages to other customers are not held up.',
			},
			{
				displayName: 'Parallel Requests',
				name: 'maxConcurrent',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 20,
				description: 'How many requests may wait for an answer at the same time',
			},
			{
				displayName: 'Reply To Message ID',
				name: 'replyToMessageId',
				type: 'string',
				default: '',
				placeholder: 'wamid.HBgN…',
				description:
					'Quote an earlier message in the chat (its wamid, such as the messageId of a 360dialog Trigger item). Messages older than about 30 days show without the quote.',
			},
			{
				displayName: 'Retries on Rate Limit',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 4,
				description:
					'How often a message rejected with 429/503 (rate limit or overload) or 131056 (too many messages to one customer) is tried again. Other errors are never retried, so nothing is sent twice.',
			},
			{
				displayName: 'Reuse Uploaded Media',
				name: 'reuseMedia',
				type: 'options',
				default: 'auto',
				options: [
					{
						name: 'When Sending More Than One Item',
						value: 'auto',
						description: 'On for bulk sends (more than one input item), off for a single message',
					},
					{ name: 'Always', value: 'always' },
					{ name: 'Never', value: 'never', description: 'Every message sends its link, every binary file is uploaded per item' },
				],
				description:
					'Whether each media link and binary file is uploaded to 360dialog once per run and every message sends it by ID, as 360dialog recommends. If a link cannot be downloaded or uploaded, the message goes out with the link.',
			},
			{
				displayName: 'Tracking Data',
				name: 'bizOpaqueCallbackData',
				type: 'string',
				default: '',
				description:
					'Up to 512 characters of your own data (e.g. a CRM ID). WhatsApp echoes it in the status webhooks of this message, so the Trigger can match statuses to your records.',
			},
		],
	},
];

const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Send Message', value: 'send', description: 'Send a WhatsApp message', action: 'Send a message' },
			{
				name: 'Send and Wait for Reply',
				value: SEND_AND_WAIT,
				description: 'Ask with reply buttons, a list, approve/decline or free text, and continue when the customer answers in WhatsApp',
				action: 'Send message and wait for reply',
			},
		],
		default: 'send',
	},
	...sendProperties.map(forSendOnly),
	// The same To field for Send and Wait (a second property of one name, shown for the other operation).
	{ ...toProperty, displayOptions: { show: { operation: [SEND_AND_WAIT] } } },
	...sendAndWaitProperties,
];

export class Dialog360 implements INodeType {
	description: INodeTypeDescription = {
		displayName: '360dialog',
		name: 'dialog360',
		icon: { light: 'file:360dialog.svg', dark: 'file:360dialog.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle,
		description:
			'Send WhatsApp messages through 360dialog: text, media, location, contacts, reactions, interactive buttons and lists, templates, and read receipts',
		defaults: { name: '360dialog' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dialog360Api', required: true }],
		webhooks: sendAndWaitWebhooks,
		properties,
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWaitWebhook(this);
	}

	methods = mergeMethods(MESSAGE_TYPES);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getNodeParameter('operation', 0, 'send') === SEND_AND_WAIT) return await executeSendAndWait(this);
		const items = this.getInputData();
		const connection = await getConnection.call(this);
		const templates = createTemplateLookup(this, connection);
		const continueOnFail = this.continueOnFail();
		const options = (this.getNodeParameter('options', 0, {}) as SendOptions) ?? {};

		// Phase 1: every item is validated before anything is sent, so a bad row never leaves
		// half of a batch delivered (unless Continue On Fail asks to send the good ones).
		const prepared: Array<PreparedItem | Error> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				prepared.push(await prepareItem(this, itemIndex, templates));
			} catch (error) {
				// Without Continue On Fail the whole batch stops before anything is sent; with it, only this item is skipped.
				const itemError = toItemError(this.getNode(), error, itemIndex, NOT_SENT);
				if (!continueOnFail) throw itemError;
				prepared.push(itemError);
			}
		}

		// Phase 2: paced, bounded-concurrency sending; results keep input order. Messages to one
		// customer go one after the other within WhatsApp's pair rate limit; others are not held up.
		const bucket = new TokenBucket(options.messagesPerSecond ?? 50, options.burst ?? 150);
		const customerIntervalMs = (options.customerIntervalSeconds ?? DEFAULT_CUSTOMER_INTERVAL_SECONDS) * 1000;
		const pairs = options.pacePerCustomer === false ? undefined : new PairPacer(customerIntervalMs, options.customerBurst ?? DEFAULT_CUSTOMER_BURST);
		const customerAt = (itemIndex: number) => {
			const item = prepared[itemIndex];
			return item instanceof Error ? undefined : customerOf(item);
		};
		const outcomes = await runPaced(
			items.length,
			async (itemIndex) => {
				const item = prepared[itemIndex];
				if (item instanceof Error) throw item;
				const customer = customerOf(item);
				return await sendItem(this, connection, itemIndex, item, options, {
					beforeRetry: async () => await sleep(bucket.reserve()),
					pairRateDelayMs: customerIntervalMs,
					onPairRateLimit: () => customer !== undefined && pairs?.exhaust(customer),
					beforeNextPart: async () => {
						if (customer !== undefined && pairs) {
							pairs.answered(customer);
							await sleep(pairs.take(customer));
						}
						await sleep(bucket.reserve());
					},
				});
			},
			{
				concurrency: options.maxConcurrent ?? 20,
				bucket,
				sleep: async (ms) => await sleep(ms),
				stopOnError: !continueOnFail,
				pairs,
				customerOf: customerAt,
			},
		);

		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const outcome = outcomes[itemIndex];
			if (outcome?.ok) {
				output.push({ json: outcome.value, pairedItem: { item: itemIndex } });
				continue;
			}
			if (!outcome) continue; // never started: an earlier item failed and the node stops
			const error = toItemError(this.getNode(), outcome.error, itemIndex, NOT_SENT);
			if (!continueOnFail) throw error;
			output.push(errorItem(error, itemIndex));
		}
		return [output];
	}
}
