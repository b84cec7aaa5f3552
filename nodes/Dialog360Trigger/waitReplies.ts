/**
 * PURE. Which inbound events answer a waiting "Send and Wait for Reply" execution, and where their
 * answer goes.
 *
 * - Button / list replies carry everything in their ID (../common/waitIds.ts): the
 *   execution, the node, the option, the recipient and n8n's own signature. Nothing is stored.
 * - Free-text answers have no ID: the Send node registers the message it sent (wamid → signed
 *   resume URL) with this Trigger (a POST with the webhook secret), kept in the Trigger's static
 *   data (saved with the workflow in n8n's database, so it survives restarts and is shared by every
 *   n8n process of the instance), bounded and expiring.
 */
import { decodeWaitId, resumeUrl, sameRecipient, type WaitRef } from '../common/waitIds';
import type { MessageEvent, WebhookEvent } from './parser';

export const REGISTRATION_FIELD = 'd360WaitRegistration';
export const MAX_TEXT_WAITS = 1000;
const MAX_WAIT_MS = 400 * 24 * 3_600_000;

export interface TextWait {
	/** wamid of the question. */
	messageId: string;
	/** Signed waiting-webhook URL (option `t`). */
	url: string;
	/** wa_id or BSUID the question went to. */
	recipient: string;
	/** The next text from the recipient counts even without quoting the question. */
	anyMessage: boolean;
	/** Epoch ms. */
	expiresAt: number;
	/** Claim key (node id + nonce). */
	key: string;
}

export interface WaitRegistryState {
	texts: TextWait[];
}

export interface Resume {
	event: MessageEvent;
	url: string;
	/** Claim key: one answer per question. */
	key: string;
	ref?: WaitRef;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function readRegistryState(value: unknown, now: number): WaitRegistryState {
	const texts = isRecord(value) && Array.isArray(value.texts) ? value.texts : [];
	return { texts: texts.filter((t): t is TextWait => isTextWait(t) && t.expiresAt > now) };
}

function isTextWait(value: unknown): value is TextWait {
	return (
		isRecord(value) &&
		typeof value.messageId === 'string' &&
		typeof value.url === 'string' &&
		typeof value.recipient === 'string' &&
		typeof value.anyMessage === 'boolean' &&
		typeof value.expiresAt === 'number' &&
		typeof value.key === 'string'
	);
}

/**
 * A registration body from the Send node, checked: the URL must be a signed URL under this n8n's
 * waiting-webhook base (so the secret alone cannot make the Trigger post elsewhere). undefined when
 * the body is not a registration; an error string when it is one but broken.
 */
export function readRegistration(body: Record<string, unknown>, waitingBase: string | undefined, now: number): TextWait | string | undefined {
	const value = body[REGISTRATION_FIELD];
	if (value === undefined) return undefined;
	if (!isRecord(value)) return 'registration must be an object';
	const { messageId, url, recipient, anyMessage, expiresAt, key } = value;
	if (typeof messageId !== 'string' || messageId === '') return 'messageId missing';
	if (typeof recipient !== 'string' || recipient === '') return 'recipient missing';
	if (typeof key !== 'string' || key === '') return 'key missing';
	if (typeof url !== 'string' || waitingBase === undefined || !url.startsWith(`${waitingBase.replace(/\/+$/, '')}/`)) {
		return 'url is not a waiting-webhook URL of this n8n';
	}
	const expires = typeof expiresAt === 'number' && Number.isFinite(expiresAt) ? Math.min(expiresAt, now + MAX_WAIT_MS) : now + MAX_WAIT_MS;
	return { messageId, url, recipient, anyMessage: anyMessage === true, expiresAt: expires, key };
}

export function register(state: WaitRegistryState, wait: TextWait): WaitRegistryState {
	const texts = [...state.texts.filter((t) => t.messageId !== wait.messageId), wait];
	return { texts: texts.slice(-MAX_TEXT_WAITS) };
}

const senderOf = (event: MessageEvent) => ({ waId: event.waId, from: event.from, userId: event.fromUserId ?? event.userId });

/**
 * The events that answer a waiting execution, and the registry without the free-text waits they
 * used. `waitingBase` undefined: button/list answers cannot be routed (they are then left to the
 * workflow). Button and list replies whose ID is not a well-formed wait ID are ordinary events.
 */
export function findResumes(
	events: readonly WebhookEvent[],
	state: WaitRegistryState,
	waitingBase: string | undefined,
): { resumes: Resume[]; state: WaitRegistryState; changed: boolean } {
	const resumes: Resume[] = [];
	let texts = state.texts;
	let changed = false;
	for (const event of events) {
		if (event.event !== 'message') continue;
		if ((event.type === 'interactive.button_reply' || event.type === 'interactive.list_reply') && waitingBase !== undefined) {
			const ref = decodeWaitId(event.replyId);
			if (ref && ref.option !== 't') {
				resumes.push({ event, url: resumeUrl(waitingBase, ref), key: `${ref.executionId}:${ref.nodeId}:${ref.nonce}`, ref });
			}
			continue;
		}
		if (event.type !== 'text' || event.fromMe === true) continue;
		const sender = senderOf(event);
		const quoted = event.contextMessageId !== undefined ? texts.find((t) => t.messageId === event.contextMessageId) : undefined;
		const wait =
			quoted && sameRecipient(quoted.recipient, sender)
				? quoted
				: [...texts].reverse().find((t) => t.anyMessage && sameRecipient(t.recipient, sender));
		if (!wait) continue;
		texts = texts.filter((t) => t !== wait);
		changed = true;
		resumes.push({ event, url: wait.url, key: wait.key });
	}
	return { resumes, state: { texts }, changed };
}
