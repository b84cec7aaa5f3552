/**
 * What the Send node does per item, in two phases: `prepareItem` reads, validates and builds the
 * body without sending anything; `sendItem` uploads pending binary media and posts the message
 * (and the further parts of a split text, in order).
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { withOutputFields } from '../common/itemErrors';
import { replaceAt } from '../common/json';
import { describeBinary } from '../common/mediaUpload';
import { PhoneNumberError, toRecipient } from '../common/phone';
import { dialog360RequestFull, PAIR_RATE_REASON, type Dialog360Connection } from '../common/transport';
import { FieldError, optionalText } from '../common/validation';
import { checkGroupMessageType, groupRecipient } from './groups';
import { reuseMediaLinks, uploadPendingBinary, type ReuseSetting } from './mediaReuse';
import { messageTypeByValue } from './messageTypes';
import { MARKETING_MESSAGES_ENDPOINT } from './messageTypes/template/marketing';
import type { BuildContext, BuiltMessage, MessageTypeModule, PendingUpload } from './messageTypes/types';

const BIZ_OPAQUE_LIMIT = 512;

export interface PreparedItem {
	message: BuiltMessage;
	module: MessageTypeModule;
	recipient: { to: string } | { recipient: string } | undefined;
}

export interface SendOptions {
	defaultCountry?: string;
	replyToMessageId?: string;
	bizOpaqueCallbackData?: string;
	messagesPerSecond?: number;
	burst?: number;
	maxConcurrent?: number;
	maxRetries?: number;
	retryBaseDelayMs?: number;
	pacePerCustomer?: boolean;
	customerBurst?: number;
	customerIntervalSeconds?: number;
	reuseMedia?: ReuseSetting;
}

/** How the batch paces one item's requests (see Dialog360.node.ts). */
export interface ItemPacing {
	/** The batch's rate, awaited before a retry so retries stay inside the messages-per-second rate. */
	beforeRetry?: () => Promise<void>;
	/** Least wait before retrying a 131056 (the customer interval). */
	pairRateDelayMs?: number;
	/** WhatsApp answered 131056 for this item's customer. */
	onPairRateLimit?: () => void;
	/** Awaited before each further part of a split text: its turn in the rate and in the customer's pacing. */
	beforeNextPart?: () => Promise<void>;
}

/** The customer a message goes to, as WhatsApp's pair rate limit counts them; undefined for status updates. */
export function customerOf(prepared: PreparedItem): string | undefined {
	const recipient = prepared.recipient;
	if (recipient === undefined) return undefined;
	return 'to' in recipient ? recipient.to : recipient.recipient;
}

function buildContext(context: IExecuteFunctions, itemIndex: number, templates: BuildContext['templates']): BuildContext {
	return {
		itemIndex,
		get: <T>(name: string, fallback?: T) => context.getNodeParameter(name, itemIndex, fallback as never) as T,
		binary: async (propertyName, field) => {
			const description = await describeBinary(context, itemIndex, propertyName, field);
			return { mimeType: description.mimeType, fileName: description.fileName, sizeBytes: description.sizeBytes };
		},
		templates,
	};
}

/** Phase 1 for one item: read, validate and build the body. Makes no request that sends anything. */
export async function prepareItem(
	context: IExecuteFunctions,
	itemIndex: number,
	templates: BuildContext['templates'],
): Promise<PreparedItem> {
	const typeValue = context.getNodeParameter('messageType', itemIndex) as string;
	const module = messageTypeByValue(typeValue);
	if (!module) throw new FieldError('Message Type', `Message Type "${typeValue}" is not supported`);
	const options = context.getNodeParameter('options', itemIndex, {}) as SendOptions;

	let recipient: PreparedItem['recipient'];
	const toGroup = !module.isStatusUpdate && context.getNodeParameter('recipientType', itemIndex, 'individual') === 'group';
	if (!module.isStatusUpdate) {
		const to = String(context.getNodeParameter('to', itemIndex, '') ?? '').trim();
		if (toGroup) {
			checkGroupMessageType(module);
			recipient = groupRecipient(to);
		} else {
			if (to === '') throw new FieldError('To', 'To is required: the phone number or BSUID of the customer');
			recipient = recipientOf(to, options.defaultCountry);
		}
	}
	const message = await module.build(buildContext(context, itemIndex, templates));
	if (!module.isStatusUpdate) {
		const tracking = optionalText('Tracking Data', options.bizOpaqueCallbackData, BIZ_OPAQUE_LIMIT);
		const replyTo = options.replyToMessageId?.trim();
		if (message.endpoint === MARKETING_MESSAGES_ENDPOINT) refuseForMarketingMessages(recipient, replyTo, tracking, toGroup);
		const envelope = { messaging_product: 'whatsapp', recipient_type: toGroup ? 'group' : 'individual', ...recipient };
		const trackingData = tracking ? { biz_opaque_callback_data: tracking } : {};
		message.body = { ...envelope, ...(replyTo ? { context: { message_id: replyTo } } : {}), ...trackingData, ...message.body };
		// Further parts go to the same recipient with the same tracking data; only the first quotes Reply To.
		message.followUps = message.followUps?.map((part) => ({ ...envelope, ...trackingData, ...part }));
	} else {
		message.body = { messaging_product: 'whatsapp', ...message.body };
	}
	return { message, module, recipient };
}

interface SendResponse {
	contacts?: Array<{ input?: string; wa_id?: string; user_id?: string }>;
	messages?: Array<{ id?: string; message_status?: string }>;
	success?: boolean;
}

/** Phase 2 for one item: pending uploads, then POST /messages. Returns the output JSON. */
export async function sendItem(
	context: IExecuteFunctions,
	connection: Dialog360Connection,
	itemIndex: number,
	prepared: PreparedItem,
	options: SendOptions,
	pacing: ItemPacing = {},
): Promise<IDataObject> {
	const uploads = prepared.message.uploads ?? [];
	const mediaIds: string[] = [];
	for (const upload of uploads) mediaIds.push(await uploadPendingBinary(context, connection, itemIndex, upload, options));
	const media = await reuseMediaLinks(context, connection, itemIndex, withUploadedMedia(prepared.message.body, uploads, mediaIds), options);
	const messageBody = media.body;
	let retries = 0;
	const post = async (body: IDataObject) => await postMessage(context, connection, itemIndex, body, prepared, options, () => retries++, pacing);
	const body = await post(messageBody);
	if (prepared.module.isStatusUpdate) {
		return { success: body.success === true, type: prepared.module.value, messageId: prepared.message.body.message_id };
	}
	const contact = body.contacts?.[0] ?? {};
	const sent = body.messages?.[0] ?? {};
	const followUps = prepared.message.followUps;
	const partsOutput = followUps ? await sendFollowUps(context, itemIndex, sent.id, followUps, post, pacing.beforeNextPart) : {};
	return {
		messageId: sent.id,
		...partsOutput,
		messageStatus: sent.message_status ?? 'accepted',
		waId: contact.wa_id,
		...(contact.user_id ? { userId: contact.user_id } : {}),
		input: contact.input,
		type: prepared.message.body.type,
		...prepared.recipient,
		...(prepared.message.endpoint === MARKETING_MESSAGES_ENDPOINT ? { sentVia: 'marketing_messages' } : {}),
		...(retries > 0 ? { retries } : {}),
		...media.report,
	};
}

/** One POST /messages, with the retries the options allow. */
async function postMessage(
	context: IExecuteFunctions,
	connection: Dialog360Connection,
	itemIndex: number,
	body: IDataObject,
	prepared: PreparedItem,
	options: SendOptions,
	onRetry: () => void,
	pacing: ItemPacing,
): Promise<SendResponse> {
	const response = await dialog360RequestFull.call(
		context,
		{
			method: 'POST',
			path: prepared.message.endpoint ?? '/messages',
			body,
			itemIndex,
			errorContext: prepared.message.errorContext,
			retry: {
				maxAttempts: (options.maxRetries ?? 4) + 1,
				baseDelayMs: options.retryBaseDelayMs ?? 1000,
				...(pacing.pairRateDelayMs !== undefined ? { pairRateDelayMs: pacing.pairRateDelayMs } : {}),
			},
			onRetry: ({ reason }) => {
				onRetry();
				if (reason === PAIR_RATE_REASON) pacing.onPairRateLimit?.();
			},
			beforeRetry: pacing.beforeRetry,
		},
		connection,
	);
	return (response.body ?? {}) as SendResponse;
}

/**
 * The parts after the first (a split text), one after the other so that they arrive in order
 * (assumed, as Meta promises no order: docs/DEVELOPMENT.md, API assumption 33). When one fails, the
 * item fails with the ids of the parts already sent, so that nobody sends the whole text again
 * blindly. Returns `messageIds` (all parts, in order) and `parts`.
 */
async function sendFollowUps(
	context: IExecuteFunctions,
	itemIndex: number,
	firstId: string | undefined,
	followUps: IDataObject[],
	post: (body: IDataObject) => Promise<SendResponse>,
	beforeNextPart?: () => Promise<void>,
): Promise<IDataObject> {
	const messageIds = [firstId];
	const parts = followUps.length + 1;
	for (const body of followUps) {
		// Every part is a message of its own: it takes its turn in the batch's rate and in the customer's pacing.
		await beforeNextPart?.();
		let response: SendResponse;
		try {
			response = await post(body);
		} catch (error) {
			throw partlySentError(context, error, itemIndex, messageIds, parts);
		}
		messageIds.push(response.messages?.[0]?.id);
	}
	return { messageIds, parts };
}

function partlySentError(
	context: IExecuteFunctions,
	cause: unknown,
	itemIndex: number,
	sentIds: Array<string | undefined>,
	parts: number,
): NodeOperationError {
	const failed = sentIds.length + 1;
	const ids = sentIds.map((id) => id ?? '(no id returned)').join(', ');
	const sentText = sentIds.length === 1 ? `part 1 was sent (${ids})` : `parts 1–${sentIds.length} were sent (${ids})`;
	const reason = cause instanceof Error ? cause.message : String(cause);
	const details = (cause as { description?: unknown }).description;
	const error = new NodeOperationError(context.getNode(), `Part ${failed} of ${parts} failed; ${sentText}: ${reason} [item ${itemIndex}]`, {
		itemIndex,
		description: [
			`Item ${itemIndex} was sent only in part: parts ${failed}–${parts} were not sent. Do not send the whole text again, or the customer gets the first ${sentIds.length === 1 ? 'part' : 'parts'} twice.`,
			typeof details === 'string' ? details : '',
		]
			.join(' ')
			.trim(),
	});
	return withOutputFields(error, { messageIds: sentIds, partsSent: sentIds.length, parts });
}

/**
 * The body with each upload's media id put first into the media object its `path` names (`id`
 * leads, as in every other media object; caption, file name etc. stay). Copies along each path,
 * so the prepared body is left as phase 1 built it.
 */
export function withUploadedMedia(body: IDataObject, uploads: readonly PendingUpload[], mediaIds: readonly string[]): IDataObject {
	let result = body;
	uploads.forEach((upload, index) => {
		result = replaceAt(result, upload.path, (media) => ({ id: mediaIds[index], ...(media as IDataObject) })) as IDataObject;
	});
	return result;
}

/**
 * The Marketing Messages API takes a phone number and the template, nothing else of the envelope
 * (Meta's MarketingMessageRequestPayload has no `context`, `biz_opaque_callback_data` or `recipient`).
 */
function refuseForMarketingMessages(recipient: PreparedItem['recipient'], replyTo: string | undefined, tracking: string | undefined, toGroup: boolean): void {
	const why = 'is not available with Send via Marketing Messages API';
	// Meta's MarketingMessageRequestPayload takes recipient_type "individual" only.
	if (toGroup) throw new FieldError('Recipient Type', `Recipient Type: a WhatsApp group ${why}; it sends to individual customers only`);
	if (recipient && 'recipient' in recipient) throw new FieldError('To', `To: a BSUID ${why}; use the customer's phone number`);
	if (replyTo) throw new FieldError('Reply To Message ID', `Reply To Message ID ${why}`);
	if (tracking) throw new FieldError('Tracking Data', `Tracking Data ${why}`);
}

/** Phone number or BSUID → `{to}` / `{recipient}`; a bad number becomes a FieldError on "To". */
export function recipientOf(input: string, defaultCountry: string | undefined): PreparedItem['recipient'] {
	let problem: string | undefined;
	try {
		return toRecipient(input, { defaultCountry: (defaultCountry || undefined) as never });
	} catch (error) {
		if (!(error instanceof PhoneNumberError)) problem = `To could not be read: ${(error as Error).message}`;
		else problem = error.message;
	}
	throw new FieldError('To', problem);
}
