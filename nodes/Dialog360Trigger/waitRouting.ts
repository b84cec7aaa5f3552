/**
 * The Trigger's part of "Send and Wait for Reply" (n8n glue around the pure waitReplies.ts):
 * registrations of free-text questions, handing answers to the waiting executions, the optional
 * short answer to late taps.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { dialog360Request, getConnection, postToN8n, type N8nPostResult } from '../common/transport';
import { claimOnce, releaseClaim } from '../common/waitClaims';
import { waitingBaseFromWebhookUrl } from '../common/waitIds';
import type { WebhookEvent } from './parser';
import type { TriggerStaticData } from './registration';
import { findResumes, readRegistration, readRegistryState, register, type Resume } from './waitReplies';

export interface WaitStaticData extends TriggerStaticData {
	waits?: unknown;
}

export interface WaitRoutingOptions {
	/** Emit answers as items too (default: they only resume their execution). */
	emitWaitingReplies?: boolean;
	/** n8n's waiting-webhook base URL when it cannot be derived from the Trigger's own URL. */
	waitingWebhookBaseUrl?: string;
	/** Sent back when a tap arrives for a question that was already answered or has expired. */
	lateReplyText?: string;
}

export type Outcome = 'resumed' | 'already-answered' | 'not-waiting' | 'declined' | 'failed' | 'duplicate';

export interface RoutedAnswer {
	resume: Resume;
	outcome: Outcome;
	detail?: string;
}

/** n8n's waiting-webhook base URL for this Trigger: the option, else derived from its production URL. */
export function waitingBase(context: IWebhookFunctions, options: WaitRoutingOptions): string | undefined {
	const configured = options.waitingWebhookBaseUrl?.trim();
	if (configured) return configured.replace(/\/+$/, '');
	const own = context.getNodeWebhookUrl('default');
	return own ? waitingBaseFromWebhookUrl(own) : undefined;
}

/** A registration POST from the Send node: stored, answered. undefined when the body is not one. */
export function handleRegistration(
	body: Record<string, unknown>,
	staticData: WaitStaticData,
	base: string | undefined,
	now: number,
): { status: number; body: IDataObject } | undefined {
	const registration = readRegistration(body, base, now);
	if (registration === undefined) return undefined;
	if (typeof registration === 'string') return { status: 400, body: { error: `Invalid wait registration: ${registration}` } };
	staticData.waits = register(readRegistryState(staticData.waits, now), registration);
	return { status: 200, body: { registered: true } };
}

/** The answers in a delivery, claimed (synchronously: no await before the claims are set). */
export function claimAnswers(events: readonly WebhookEvent[], staticData: WaitStaticData, base: string | undefined, now: number): { fresh: Resume[]; repeated: Resume[]; all: Resume[] } {
	const routing = findResumes(events, readRegistryState(staticData.waits, now), base);
	if (routing.changed) staticData.waits = routing.state;
	const fresh: Resume[] = [];
	const repeated: Resume[] = [];
	for (const resume of routing.resumes) {
		const messageId = resume.event.messageId ?? '';
		const newMessage = messageId === '' || claimOnce(`trigger-msg:${messageId}`, now);
		if (!newMessage) continue; // a redelivery of a message already handled: nothing at all
		if (claimOnce(`trigger:${resume.key}`, now)) fresh.push(resume);
		else repeated.push(resume);
	}
	return { fresh, repeated, all: routing.resumes };
}

function outcomeOf(result: N8nPostResult): { outcome: Outcome; detail?: string } {
	const body = result.body as { status?: unknown; reason?: unknown } | undefined;
	if (result.statusCode === 200 && body?.status === 'resumed') return { outcome: 'resumed' };
	if (result.statusCode === 200 && body?.status === 'ignored') {
		const reason = String(body.reason ?? '');
		return { outcome: /already answered/.test(reason) ? 'already-answered' : 'declined', detail: reason };
	}
	// n8n: 200 with its "no action required" page once the execution finished, 409 while it runs,
	// 404 when it does not exist (any more), 401 for a signature that does not match.
	if (result.statusCode === 200 || result.statusCode === 409) return { outcome: 'already-answered', detail: `HTTP ${result.statusCode}` };
	if (result.statusCode === 404) return { outcome: 'not-waiting', detail: 'HTTP 404' };
	if (result.statusCode === 401 || result.statusCode === 403) return { outcome: 'declined', detail: `HTTP ${result.statusCode}` };
	return { outcome: 'failed', detail: result.error ?? `HTTP ${result.statusCode}` };
}

/** Hands each fresh answer to its execution (one after the other), then the optional late answers. */
export async function deliverAnswers(
	context: IWebhookFunctions,
	claimed: { fresh: Resume[]; repeated: Resume[] },
	options: WaitRoutingOptions,
): Promise<RoutedAnswer[]> {
	const routed: RoutedAnswer[] = [];
	for (const resume of claimed.fresh) {
		const result = await postToN8n.call(context, resume.url, { event: resume.event as unknown as IDataObject });
		const { outcome, detail } = outcomeOf(result);
		// Not delivered (a later copy may try again), or refused (a forged ID, someone else's tap: the
		// claim must not block the recipient's real answer to the same question).
		if (outcome === 'failed' || outcome === 'declined') {
			releaseClaim(`trigger:${resume.key}`);
			if (resume.event.messageId) releaseClaim(`trigger-msg:${resume.event.messageId}`);
		}
		routed.push({ resume, outcome, ...(detail ? { detail } : {}) });
	}
	for (const resume of claimed.repeated) routed.push({ resume, outcome: 'already-answered', detail: 'answered before' });

	const text = options.lateReplyText?.trim();
	if (text) {
		const late = routed.filter((r) => (r.outcome === 'already-answered' || r.outcome === 'not-waiting') && r.resume.ref !== undefined);
		if (late.length > 0) {
			const connection = await getConnection.call(context);
			for (const { resume } of late) {
				const to = resume.event.from ?? resume.event.waId;
				const recipient = to ? { to } : resume.event.fromUserId ? { recipient: resume.event.fromUserId } : undefined;
				if (!recipient) continue;
				await dialog360Request
					.call(
						context,
						{
							method: 'POST',
							path: '/messages',
							body: {
								messaging_product: 'whatsapp',
								recipient_type: 'individual',
								...recipient,
								...(resume.event.messageId ? { context: { message_id: resume.event.messageId } } : {}),
								type: 'text',
								text: { body: text },
							},
						},
						connection,
					)
					.catch(() => undefined); // best effort: the late answer is a courtesy, never an error of the delivery
			}
		}
	}
	return routed;
}
