/**
 * `POST /messages` (and the sandbox's `/v1/messages`): validates like the Cloud API (Meta's
 * spec, the length/count limits of sendRules.ts, the template store), records what it accepts and
 * answers like the live API (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

import { validateSendBody } from '../support/metaSpec';
import { graphError, type ErrorReply } from './errors';
import { checkSendRules, isMarkAsRead } from './sendRules';
import type { EmulatorState, RecordedMessage } from './state';
import { checkTemplateMessage } from './templateRules';
import { findTemplate } from './templates';
import type { PricingCategory } from './webhookPayloads';

type Json = Record<string, unknown>;

/** Graph code per kind of problem: a missing field, an unknown field, or a bad value. */
const CODE_BY_KIND = { missing: 131008, unknown: 100, invalid: 131009 } as const;

/**
 * Every problem with the body, most specific first: the length/count rules, then the spec (minus
 * what the rules already reported for the same field).
 */
export function sendBodyIssues(body: unknown): Array<{ path: string; kind: keyof typeof CODE_BY_KIND; message: string }> {
	const rules = checkSendRules(body);
	const seen = new Set(rules.map((issue) => issue.path));
	return [...rules, ...validateSendBody(body).issues.filter((issue) => !seen.has(issue.path))];
}

/** Mexican mobile numbers typed as 52 + 10 digits become wa_id 521 + 10 digits (`wa_id` can differ from `to`). */
export function canonicalWaId(to: string): string {
	const digits = to.replace(/^\+/, '');
	return /^52\d{10}$/.test(digits) ? `521${digits.slice(2)}` : digits;
}

function send(reply: FastifyReply, error: ErrorReply): FastifyReply {
	return reply.code(error.status).headers(error.headers ?? {}).send(error.body);
}

export function registerMessagesRoute(app: FastifyInstance, state: EmulatorState): void {
	const handler = async (request: { body: unknown; url: string }, reply: FastifyReply) => {
		const body = request.body;
		const path = request.url.split('?')[0];
		const issues = sendBodyIssues(body);
		if (issues.length > 0) {
			return send(reply, graphError(CODE_BY_KIND[issues[0].kind], issues.map((issue) => issue.message).join('; ')));
		}
		const message = body as Json;
		const receivedAt = new Date().toISOString();
		if (isMarkAsRead(message)) {
			state.recordMessage({ wamid: null, kind: 'mark_read', path, receivedAt, body, category: 'service', statuses: [] });
			return { success: true };
		}

		// A group (Groups API) is addressed by its ID in `to`; it has no wa_id (API assumption 30: the answer's contact is just the input).
		const groupId = message.recipient_type === 'group' ? String(message.to) : undefined;
		const to = groupId === undefined && typeof message.to === 'string' ? message.to : undefined;
		const userId = to === undefined && groupId === undefined ? String(message.recipient) : undefined;
		let category: PricingCategory = 'service';
		if (message.type === 'template') {
			const template = message.template as Json;
			const problem = checkTemplateMessage(template, state.templates, { toBsuid: userId !== undefined });
			if (problem) return send(reply, graphError(problem.code, problem.details));
			const language = (template.language as Json).code as string;
			category = findTemplate(state.templates, String(template.name), language)?.category.toLowerCase() as PricingCategory;
		}

		if (state.faults.pairRateLimited(to === undefined ? (userId as string) : canonicalWaId(to))) {
			return send(reply, graphError(131056, 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.'));
		}
		const waId = to === undefined ? undefined : canonicalWaId(to);
		const wamid = state.newWamid('out', waId ?? groupId ?? (userId as string));
		const record: RecordedMessage = { wamid, kind: 'message', path, receivedAt, body, waId, userId, groupId, category, statuses: [] };
		state.recordMessage(record);
		if (state.settings.autoStatuses) void state.emitAutomaticStatuses(record);
		return {
			messaging_product: 'whatsapp',
			contacts: [groupId !== undefined ? { input: groupId } : to === undefined ? { input: userId, user_id: userId } : { input: to, wa_id: waId }],
			messages: [{ id: wamid, message_status: 'accepted' }],
		};
	};
	app.post('/messages', handler);
	app.post('/v1/messages', handler);
}
