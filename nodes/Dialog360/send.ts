/**
 * What the Send node does per item, in two phases: `prepareItem` reads, validates and builds the
 * body without sending anything; `sendItem` uploads pending binary media and posts the message.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { describeBinary } from '../common/mediaUpload';
import { PhoneNumberError, toRecipient } from '../common/phone';
import { dialog360RequestFull, type Dialog360Connection } from '../common/transport';
import { FieldError, optionalText } from '../common/validation';
import { reuseMediaLinks, uploadPendingBinary, type ReuseSetting } from './mediaReuse';
import { messageTypeByValue } from './messageTypes';
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
	reuseMedia?: ReuseSetting;
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
	if (!module.isStatusUpdate) {
		const to = String(context.getNodeParameter('to', itemIndex, '') ?? '').trim();
		if (to === '') throw new FieldError('To', 'To is required: the phone number or BSUID of the customer');
		recipient = recipientOf(to, options.defaultCountry);
	}
	const message = await module.build(buildContext(context, itemIndex, templates));
	if (!module.isStatusUpdate) {
		const tracking = optionalText('Tracking Data', options.bizOpaqueCallbackData, BIZ_OPAQUE_LIMIT);
		const replyTo = options.replyToMessageId?.trim();
		message.body = {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			...recipient,
			...(replyTo ? { context: { message_id: replyTo } } : {}),
			...(tracking ? { biz_opaque_callback_data: tracking } : {}),
			...message.body,
		};
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
	/** The batch's pacing, awaited before a retry so retries stay inside the messages-per-second rate. */
	pace?: () => Promise<void>,
): Promise<IDataObject> {
	const uploads = prepared.message.uploads ?? [];
	const mediaIds: string[] = [];
	for (const upload of uploads) mediaIds.push(await uploadPendingBinary(context, connection, itemIndex, upload, options));
	const media = await reuseMediaLinks(context, connection, itemIndex, withUploadedMedia(prepared.message.body, uploads, mediaIds), options);
	const messageBody = media.body;
	let retries = 0;
	const response = await dialog360RequestFull.call(
		context,
		{
			method: 'POST',
			path: '/messages',
			body: messageBody,
			itemIndex,
			errorContext: prepared.message.errorContext,
			retry: { maxAttempts: (options.maxRetries ?? 4) + 1, baseDelayMs: options.retryBaseDelayMs ?? 1000 },
			onRetry: () => retries++,
			beforeRetry: pace,
		},
		connection,
	);
	const body = (response.body ?? {}) as SendResponse;
	if (prepared.module.isStatusUpdate) {
		return { success: body.success === true, type: prepared.module.value, messageId: prepared.message.body.message_id };
	}
	const contact = body.contacts?.[0] ?? {};
	const sent = body.messages?.[0] ?? {};
	return {
		messageId: sent.id,
		messageStatus: sent.message_status ?? 'accepted',
		waId: contact.wa_id,
		...(contact.user_id ? { userId: contact.user_id } : {}),
		input: contact.input,
		type: prepared.message.body.type,
		...prepared.recipient,
		...(retries > 0 ? { retries } : {}),
		...media.report,
	};
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

function replaceAt(container: unknown, path: ReadonlyArray<string | number>, replace: (value: unknown) => unknown): unknown {
	if (path.length === 0) return replace(container);
	const [key, ...rest] = path;
	if (Array.isArray(container)) {
		const copy = [...container];
		copy[key as number] = replaceAt(copy[key as number], rest, replace);
		return copy;
	}
	const record = (container ?? {}) as IDataObject;
	return { ...record, [key]: replaceAt(record[key], rest, replace) };
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
