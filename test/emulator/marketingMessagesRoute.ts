/**
 * `POST /marketing_messages`: Meta's Marketing Messages API as 360dialog offers it ("MM Lite", beta,
 * https://docs.360dialog.com/partner/mm-lite-beta-program/sending-messages). MARKETING templates only;
 * the body is checked against Meta's MarketingMessageRequestPayload schema and the template store.
 *
 * Errors come wrapped in `detail`, as 360dialog's "Expected Errors" page shows them
 * (https://docs.360dialog.com/partner/mm-lite-beta-program/mm-lite-sandbox-testing/expected-erros-and-programming-languages):
 * a message that is not a template → (#100) "Message must be a template message."; a number that has
 * not accepted the terms → 131055. Assumption: a template of another category is refused with code
 * 100 as well ("Message must be a marketing template message."); the page's example for it is not shown.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

import { validateMarketingMessageBody } from '../support/metaSpec';
import { graphError, type ErrorReply } from './errors';
import { canonicalWaId } from './messagesRoute';
import { checkSendRules } from './sendRules';
import type { EmulatorState, RecordedMessage } from './state';
import { checkTemplateMessage } from './templateRules';
import { findTemplate } from './templates';

type Json = Record<string, unknown>;

function sendWrapped(reply: FastifyReply, error: ErrorReply): FastifyReply {
	return reply.code(error.status).send({ detail: error.body });
}

export function registerMarketingMessagesRoute(app: FastifyInstance, state: EmulatorState): void {
	app.post('/marketing_messages', async (request, reply) => {
		const body = request.body as Json;
		if (!state.settings.marketingMessagesOnboarded) return sendWrapped(reply, graphError(131055, 'The number has not accepted the Marketing Messages API terms.'));
		if (body?.type !== 'template') return sendWrapped(reply, graphError(100, 'Message must be a template message.'));
		const spec = validateMarketingMessageBody(body);
		const rules = checkSendRules(body);
		const issues = [...rules, ...spec.issues];
		if (issues.length > 0) return sendWrapped(reply, graphError(issues[0].kind === 'missing' ? 131008 : 100, issues.map((issue) => issue.message).join('; ')));

		const template = body.template as Json;
		const problem = checkTemplateMessage(template, state.templates, { toBsuid: false });
		if (problem) return sendWrapped(reply, graphError(problem.code, problem.details));
		const definition = findTemplate(state.templates, String(template.name), String((template.language as Json).code));
		if (definition?.category !== 'MARKETING') return sendWrapped(reply, graphError(100, 'Message must be a marketing template message.'));

		const to = String(body.to);
		const waId = canonicalWaId(to);
		const wamid = state.newWamid('out', waId);
		const record: RecordedMessage = {
			wamid,
			kind: 'message',
			path: '/marketing_messages',
			receivedAt: new Date().toISOString(),
			body,
			waId,
			category: 'marketing_lite',
			statuses: [],
		};
		state.recordMessage(record);
		if (state.settings.autoStatuses) void state.emitAutomaticStatuses(record);
		return { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: waId }], messages: [{ id: wamid, message_status: 'accepted' }] };
	});
}
