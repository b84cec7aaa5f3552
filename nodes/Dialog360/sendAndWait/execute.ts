/**
 * execute() of "Send and Wait for Reply": build the question (the interactive builders of
 * ../messageTypes/interactive with reply IDs that resume this execution), send it, and put the
 * execution to wait. Runs once, for the first input item (as n8n's own send-and-wait nodes do; the
 * editor says so for every node whose operation is `sendAndWait`).
 *
 * Timeout: n8n resumes a timed-out wait by running the node disabled, which passes the items of
 * its execute data through (n8n-core workflow-execute.js handleWaitingState + handleDisabledNode).
 * So the node puts the `timedOut: true` item there before it waits; an answer replaces it
 * (n8n webhook-helpers.js prepareExecutionData sets that entry's data to the webhook's output).
 */
import { randomBytes } from 'crypto';
import {
	NodeOperationError,
	WAIT_INDEFINITELY,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { toItemError } from '../../common/itemErrors';
import { dialog360Request, dialog360RequestFull, getConnection, postToN8n, type Dialog360Connection } from '../../common/transport';
import { FieldError, requiredText } from '../../common/validation';
import { toWebhookConfig, WEBHOOK_CONFIG_PATH, type WebhookConfig } from '../../Dialog360Trigger/registration';
import { REGISTRATION_FIELD } from '../../Dialog360Trigger/waitReplies';
import { WEBHOOK_HEADER } from '../../Dialog360Trigger/secret';
import { buildInteractiveBody, INTERACTIVE_LIMITS } from '../messageTypes/interactive';
import { recipientOf } from '../send';
import { encodeWaitId, looksLikeTriggerUrl, resumeParams, signatureOf } from '../../common/waitIds';
import type { ResponseType } from './properties';

const TEXT_LIMIT = 4096;

interface WaitOptions {
	defaultCountry?: string;
	footerText?: string;
	headerText?: string;
}

interface Choice {
	title: string;
	value: string;
	description?: string;
}

/** The wait limit as n8n's send-and-wait nodes compute it (utils/sendAndWait/configureWaitTillDate), plus seconds. */
export function waitTillDate(context: IExecuteFunctions, now = Date.now()): Date {
	if (context.getNodeParameter('limitWaitTime', 0, false) !== true) return WAIT_INDEFINITELY;
	const limitType = context.getNodeParameter('limitType', 0, 'afterTimeInterval') as string;
	let date: Date;
	if (limitType === 'afterTimeInterval') {
		const amount = Number(context.getNodeParameter('resumeAmount', 0, 1));
		const unit = context.getNodeParameter('resumeUnit', 0, 'hours') as string;
		const factor = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[unit] ?? 3_600_000;
		date = new Date(now + amount * factor);
	} else {
		date = new Date(String(context.getNodeParameter('maxDateAndTime', 0, '')));
	}
	if (Number.isNaN(date.getTime())) {
		throw new NodeOperationError(context.getNode(), 'Could not configure Limit Wait Time', { description: 'Invalid date format' });
	}
	return date;
}

/** Options of Reply Buttons / List as entered. */
export function readChoices(value: unknown): Choice[] {
	const entries = (value as { option?: unknown } | undefined)?.option;
	if (!Array.isArray(entries)) return [];
	return entries.map((entry: IDataObject) => {
		const title = typeof entry.title === 'string' ? entry.title.trim() : String(entry.title ?? '');
		const value = typeof entry.value === 'string' && entry.value.trim() !== '' ? entry.value.trim() : title;
		const description = typeof entry.description === 'string' && entry.description.trim() !== '' ? entry.description.trim() : undefined;
		return { title, value, ...(description ? { description } : {}) };
	});
}

export interface QuestionInput {
	responseType: ResponseType;
	message: string;
	options: WaitOptions;
	approveLabel?: string;
	declineLabel?: string;
	choices?: Choice[];
	listButtonText?: string;
	/** The reply ID of option `option` ('0'…'9', 'a', 'd'). */
	idFor: (option: string) => string;
}

/**
 * The message body's type-specific part (PURE apart from idFor): reply buttons and lists through
 * the Interactive message builders, so they get the same validation as the Interactive type.
 */
export function buildQuestion(input: QuestionInput): IDataObject {
	if (input.responseType === 'freeText') {
		return { type: 'text', text: { body: requiredText('Message', input.message, TEXT_LIMIT) } };
	}
	const values: Record<string, unknown> = {
		interactiveBodyText: input.message,
		interactiveFooterText: input.options.footerText ?? '',
		interactiveHeaderType: input.options.headerText ? 'text' : 'none',
		interactiveHeaderText: input.options.headerText ?? '',
	};
	if (input.responseType === 'list') {
		const choices = input.choices ?? [];
		if (choices.length > INTERACTIVE_LIMITS.rows) {
			throw new FieldError('Options', `List has ${choices.length} options; WhatsApp allows ${INTERACTIVE_LIMITS.rows}`);
		}
		values.interactiveType = 'list';
		values.interactiveListButtonText = input.listButtonText ?? 'Choose';
		values.interactiveListSectionsMode = 'fields';
		values.interactiveListSections = {
			section: [{ title: '', rows: { row: choices.map((c, i) => ({ title: c.title, id: input.idFor(String(i)), description: c.description ?? '' })) } }],
		};
	} else {
		const buttons =
			input.responseType === 'approval'
				? [
						{ title: input.approveLabel ?? 'Approve', id: input.idFor('a') },
						{ title: input.declineLabel ?? 'Decline', id: input.idFor('d') },
					]
				: (input.choices ?? []).map((c, i) => ({ title: c.title, id: input.idFor(String(i)) }));
		values.interactiveType = 'button';
		values.interactiveButtons = { button: buttons };
	}
	const reader = { itemIndex: 0, get: <T>(name: string, fallback?: T) => (name in values ? values[name] : fallback) as T };
	const built = buildInteractiveBody(reader);
	if (input.responseType === 'list') {
		for (const row of ((built.interactive as IDataObject).action as { sections: Array<{ rows: Array<{ id: string }> }> }).sections[0].rows) {
			if (row.id.length > INTERACTIVE_LIMITS.rowId) {
				throw new FieldError('Options', `The reply ID for a list row is ${row.id.length} characters, over WhatsApp's ${INTERACTIVE_LIMITS.rowId}; use Reply Buttons`);
			}
		}
	}
	return built;
}

/** The number's webhook config, or the reason it could not be read (never throws). */
async function readTriggerConfig(context: IExecuteFunctions, connection: Dialog360Connection): Promise<WebhookConfig | string> {
	try {
		const config = toWebhookConfig(await dialog360Request.call(context, { method: 'GET', path: WEBHOOK_CONFIG_PATH }, connection));
		return config ?? 'the webhook configuration could not be read';
	} catch (error) {
		return `the webhook configuration could not be read (${(error as Error).message})`;
	}
}

export async function executeSendAndWait(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const connection = await getConnection.call(context);
	try {
		return await sendAndWait(context, connection);
	} catch (error) {
		throw toItemError(context.getNode(), error, 0, 'Nothing was sent; the execution did not wait.');
	}
}

async function sendAndWait(context: IExecuteFunctions, connection: Dialog360Connection): Promise<INodeExecutionData[][]> {
	const responseType = context.getNodeParameter('responseType', 0, 'approval') as ResponseType;
	const options = (context.getNodeParameter('waitOptions', 0, {}) ?? {}) as WaitOptions;
	const to = String(context.getNodeParameter('to', 0, '') ?? '').trim();
	if (to === '') throw new FieldError('To', 'To is required: the phone number or BSUID of the customer');
	const recipientField = recipientOf(to, options.defaultCountry);
	const recipient = recipientField && 'to' in recipientField ? recipientField.to : (recipientField as { recipient: string }).recipient;
	const waitTill = waitTillDate(context);

	const executionId = String(context.getExecutionId());
	const nodeId = context.getNode().id;
	const nonce = randomBytes(5).toString('hex');
	const signedUrl = (option: string) => context.getSignedResumeUrl(resumeParams(option, nonce, recipient));
	const idFor = (option: string) =>
		encodeWaitId({ executionId, nodeId, option, nonce, recipient, signature: signatureOf(signedUrl(option)) });

	const question = buildQuestion({
		responseType,
		message: String(context.getNodeParameter('waitMessage', 0, '') ?? ''),
		options,
		approveLabel: responseType === 'approval' ? String(context.getNodeParameter('approveLabel', 0, 'Approve')) : undefined,
		declineLabel: responseType === 'approval' ? String(context.getNodeParameter('declineLabel', 0, 'Decline')) : undefined,
		choices: responseType === 'buttons' || responseType === 'list' ? readChoices(context.getNodeParameter('waitChoices', 0, {})) : undefined,
		listButtonText: responseType === 'list' ? String(context.getNodeParameter('listButtonText', 0, 'Choose')) : undefined,
		idFor,
	});
	const body: IDataObject = { messaging_product: 'whatsapp', recipient_type: 'individual', ...recipientField, ...question };

	const sent = await dialog360RequestFull.call(context, { method: 'POST', path: '/messages', body, itemIndex: 0 }, connection);
	const messageId = (sent.body as { messages?: Array<{ id?: string }> }).messages?.[0]?.id ?? '';

	// Replies come back only through a 360dialog Trigger: say so when none is registered (never fail).
	const warnings: string[] = [];
	const config = await readTriggerConfig(context, connection);
	const secret = typeof config === 'string' ? undefined : config.headers?.[WEBHOOK_HEADER];
	const triggerUrl = typeof config === 'string' ? '' : config.url;
	if (typeof config === 'string') {
		warnings.push(`Could not check that a 360dialog Trigger receives this number's replies: ${config}.`);
	} else if (!looksLikeTriggerUrl(triggerUrl) || !secret) {
		warnings.push(
			`No 360dialog Trigger receives this number's webhooks (webhook URL: ${triggerUrl || 'none'}), so the answer cannot reach this execution. Activate a workflow with a 360dialog Trigger (Automatic registration) for this number.`,
		);
	}
	if (responseType === 'freeText' && triggerUrl !== '' && secret && messageId !== '' && warnings.length === 0) {
		const registration = {
			messageId,
			url: signedUrl('t'),
			recipient,
			anyMessage: context.getNodeParameter('freeTextAnyMessage', 0, false) === true,
			expiresAt: waitTill.getTime() === WAIT_INDEFINITELY.getTime() ? undefined : waitTill.getTime() + 60_000,
			key: `${executionId}:${nodeId}:${nonce}`,
		};
		const result = await postToN8n.call(context, triggerUrl, { [REGISTRATION_FIELD]: registration }, { [WEBHOOK_HEADER]: secret });
		if (result.statusCode !== 200) {
			warnings.push(`The 360dialog Trigger did not accept the question (HTTP ${result.statusCode}${result.error ? `: ${result.error}` : ''}); a free-text answer cannot reach this execution.`);
		}
	}

	const summary: IDataObject = { responseType, messageId, to: recipient, ...(warnings.length ? { warnings } : {}) };
	// What the node outputs if the limit passes without an answer (see the module comment).
	context.getExecuteData().data = { main: [[{ json: { answered: false, timedOut: true, ...summary }, pairedItem: { item: 0 } }]] };
	if (warnings.length > 0) context.addExecutionHints(...warnings.map((message) => ({ message, location: 'outputPane' as const })));
	await context.putExecutionToWait(waitTill);
	return [[{ json: { status: 'waiting', ...summary, ...(waitTill.getTime() === WAIT_INDEFINITELY.getTime() ? {} : { waitTill: waitTill.toISOString() }) }, pairedItem: { item: 0 } }]];
}
