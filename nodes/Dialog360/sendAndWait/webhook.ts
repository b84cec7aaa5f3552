/**
 * webhook() of the Send node: n8n calls it when its waiting webhook
 * (`<webhook-waiting>/<executionId>/<nodeId>?o&n&w&signature`) is requested with a valid signature
 * (n8n checks it before; n8n webhooks/waiting-webhooks.js validateSignature). The 360dialog Trigger
 * posts `{event}` (the parsed inbound message) to it.
 *
 * Returning `workflowData` resumes the execution with it as this node's output; answering and
 * returning no `workflowData` leaves the execution waiting (n8n webhook-helpers.js executeWebhook:
 * without workflowData it only answers). That is how an answer from someone else, a second answer
 * and anything malformed are declined.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { claimOnce } from '../../common/waitClaims';
import { respond, type PlainResponse } from '../../Dialog360Trigger/delivery';
import { readChoices } from './execute';
import { sameRecipient } from '../../common/waitIds';
import type { ResponseType } from './properties';

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const OPTION_FOR: Record<ResponseType, RegExp> = { approval: /^[ad]$/, buttons: /^[0-2]$/, list: /^[0-9]$/, freeText: /^t$/ };

export async function sendAndWaitWebhook(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const response = context.getResponseObject() as unknown as PlainResponse;
	const ignore = (reason: string): IWebhookResponseData => {
		respond(response, 200, { status: 'ignored', reason });
		return { noWebhookResponse: true };
	};
	const query = context.getQueryData() as IDataObject;
	const body = context.getBodyData();
	const event = isRecord(body) && isRecord(body.event) ? body.event : undefined;
	const option = str(query.o);
	const nonce = str(query.n);
	const recipient = str(query.w);
	if (!event || !option || !nonce || !recipient) return ignore('not an answer from the 360dialog Trigger');

	const responseType = context.getNodeParameter('responseType', 'approval') as ResponseType;
	if (!OPTION_FOR[responseType]?.test(option)) return ignore(`option "${option}" does not belong to a ${responseType} question`);
	const sender = { waId: event.waId, from: event.from, userId: event.fromUserId ?? event.userId };
	if (!sameRecipient(recipient, sender)) return ignore('the answer did not come from the recipient of the question');
	if (!claimOnce(`send:${context.getNode().id}:${nonce}`)) return ignore('this question was already answered');

	const json: IDataObject = {
		answered: true,
		timedOut: false,
		responseType,
		from: { waId: str(event.waId) ?? str(event.from), name: str(event.contactName), ...(str(event.fromUserId) ? { userId: event.fromUserId } : {}) },
		answeredAt: str(event.timestamp) ?? new Date().toISOString(),
		answerMessageId: str(event.messageId),
		questionMessageId: str(event.contextMessageId),
	};
	if (responseType === 'approval') {
		json.approved = option === 'a';
		json.answer = str(event.replyTitle);
	} else if (responseType === 'freeText') {
		json.text = typeof event.text === 'string' ? event.text : '';
		json.answer = json.text;
	} else {
		const index = Number(option);
		let configured: { title: string; value: string; description?: string } | undefined;
		try {
			configured = readChoices(context.getNodeParameter('waitChoices', {}))[index];
		} catch {
			configured = undefined; // an expression that needs the item: the title WhatsApp sent back is enough
		}
		const title = str(event.replyTitle) ?? configured?.title ?? '';
		json.option = { index, title, value: configured?.value ?? title, ...(configured?.description ? { description: configured.description } : {}) };
		json.answer = title;
	}
	json.message = isRecord(event.raw) ? event.raw : event;

	respond(response, 200, { status: 'resumed' });
	return { noWebhookResponse: true, workflowData: [[{ json, pairedItem: { item: 0 } }]] };
}
