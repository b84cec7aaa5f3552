/**
 * PURE. What a reply button / list row ID of a "Send and Wait for Reply" message carries, and the
 * n8n waiting-webhook URL it stands for.
 *
 * `getSignedResumeUrl({o, n, w})` (n8n-core node-execution-context) returns
 * `<webhookWaitingBaseUrl>/<executionId>/<nodeId>?o=…&n=…&w=…&signature=<hmac>`, where the HMAC
 * (n8n-core utils/signature-helpers) covers path + query without `signature`, keyed with the
 * instance's secret. n8n checks it itself on the waiting webhook (n8n webhooks/waiting-webhooks
 * `validateSignature`, used because our node's `operation` is `sendAndWait`). The ID carries every
 * part except the base URL, so the Trigger can rebuild the exact URL; change any part (option,
 * recipient, execution) and n8n answers 401.
 *
 *   d360w:<executionId>:<nodeId>:<option>:<nonce>:<recipient>:<signature>
 *
 * nodeId and recipient are URI-encoded (a BSUID contains a dot, never a colon once encoded).
 * - option: `0`–`9` (button / list row index), `a` approve, `d` decline, `t` free text
 * - nonce: random per send; one answer per nonce (claims), so a node that waits twice in a loop
 *   is not resumed by a tap on the first round's message
 * - recipient: the wa_id (digits) or BSUID the message went to; the Send node compares it with
 *   the sender of the answer
 */
export const WAIT_ID_PREFIX = 'd360w';
export const SIGNATURE_PARAM = 'signature';

export interface WaitRef {
	executionId: string;
	nodeId: string;
	option: string;
	nonce: string;
	recipient: string;
	signature: string;
}

const HEX_64 = /^[0-9a-f]{64}$/;
const OPTION = /^([0-9]|a|d|t)$/;
const NONCE = /^[0-9a-z]{4,16}$/;
const EXECUTION_ID = /^[0-9A-Za-z_-]{1,40}$/;

export function encodeWaitId(ref: WaitRef): string {
	return [
		WAIT_ID_PREFIX,
		ref.executionId,
		encodeURIComponent(ref.nodeId),
		ref.option,
		ref.nonce,
		encodeURIComponent(ref.recipient),
		ref.signature,
	].join(':');
}

/** The parts of a reply ID; undefined for anything that is not a well-formed wait ID (never throws). */
export function decodeWaitId(id: unknown): WaitRef | undefined {
	if (typeof id !== 'string' || id.length > 256 || !id.startsWith(`${WAIT_ID_PREFIX}:`)) return undefined;
	const parts = id.split(':');
	if (parts.length !== 7) return undefined;
	const [, executionId, nodeIdEncoded, option, nonce, recipientEncoded, signature] = parts;
	if (!EXECUTION_ID.test(executionId) || !OPTION.test(option) || !NONCE.test(nonce) || !HEX_64.test(signature)) return undefined;
	let nodeId: string;
	let recipient: string;
	try {
		nodeId = decodeURIComponent(nodeIdEncoded);
		recipient = decodeURIComponent(recipientEncoded);
	} catch {
		return undefined;
	}
	if (nodeId === '' || recipient === '') return undefined;
	return { executionId, nodeId, option, nonce, recipient, signature };
}

/** The signed query parameters, in the order the Send node passes them to getSignedResumeUrl. */
export function resumeParams(option: string, nonce: string, recipient: string): Record<string, string> {
	return { o: option, n: nonce, w: recipient };
}

/**
 * The waiting-webhook URL a reply ID stands for: built like n8n-core's getSignedResumeUrl
 * (`new URL(base + /id/encodeURIComponent(nodeId))`, parameters set in order, signature last), so
 * path and query are byte for byte what was signed.
 */
export function resumeUrl(waitingBaseUrl: string, ref: WaitRef): string {
	const url = new URL(`${waitingBaseUrl.replace(/\/+$/, '')}/${ref.executionId}/${encodeURIComponent(ref.nodeId)}`);
	for (const [key, value] of Object.entries(resumeParams(ref.option, ref.nonce, ref.recipient))) url.searchParams.set(key, value);
	url.searchParams.set(SIGNATURE_PARAM, ref.signature);
	return url.toString();
}

/** The signature of a URL returned by getSignedResumeUrl. */
export function signatureOf(signedUrl: string): string {
	const signature = new URL(signedUrl).searchParams.get(SIGNATURE_PARAM) ?? '';
	if (!HEX_64.test(signature)) throw new Error('n8n returned a resume URL without a signature');
	return signature;
}

/**
 * n8n's waiting-webhook base URL from the Trigger's own production URL
 * (`<base>/<endpoint webhook>/<webhookId>/webhook`): the same host and prefix, with n8n's default
 * endpoint names (`webhook` → `webhook-waiting`, N8N_ENDPOINT_WEBHOOK / N8N_ENDPOINT_WEBHOOK_WAIT).
 * undefined when the URL does not have that shape (custom endpoint names: use the Trigger option).
 */
export function waitingBaseFromWebhookUrl(webhookUrl: string): string | undefined {
	let url: URL;
	try {
		url = new URL(webhookUrl);
	} catch {
		return undefined;
	}
	const match = /^(.*)\/webhook\/[^/]+\/webhook\/?$/.exec(url.pathname);
	if (!match) return undefined;
	return `${url.origin}${match[1]}/webhook-waiting`;
}

/** Whether a webhook URL has the shape of a 360dialog Trigger's production URL in n8n. */
export function looksLikeTriggerUrl(webhookUrl: string): boolean {
	return waitingBaseFromWebhookUrl(webhookUrl) !== undefined;
}

/**
 * A wa_id in the form WhatsApp may report for the same person: Brazil mobiles without the 9 after
 * the area code, Mexico without the 1 after 52, Argentina without the 9 after 54.
 */
function canonicalWaId(value: string): string {
	const digits = value.replace(/\D/g, '');
	if (/^55\d{2}9\d{8}$/.test(digits)) return digits.slice(0, 4) + digits.slice(5);
	if (/^521\d{10}$/.test(digits)) return `52${digits.slice(3)}`;
	if (/^549\d{10}$/.test(digits)) return `54${digits.slice(3)}`;
	return digits;
}

/** Whether the sender of an answer (wa_id and/or BSUID) is the recipient the message went to. */
export function sameRecipient(expected: string, sender: { waId?: unknown; from?: unknown; userId?: unknown }): boolean {
	const want = expected.trim();
	if (want === '') return false;
	const candidates = [sender.waId, sender.from, sender.userId].filter((v): v is string => typeof v === 'string' && v !== '');
	if (/^\d+$/.test(want)) return candidates.some((c) => /^\+?\d+$/.test(c) && canonicalWaId(c) === canonicalWaId(want));
	return candidates.some((c) => c === want);
}
