/**
 * The control API for tests, under /_emulator (no API key, never faulted, not logged).
 * Every route has a twin on the programmatic handle (index.ts).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

import type { FaultRequest } from './faults';
import { mergeSettings, type EmulatorState, type InboundRequest } from './state';
import type { MessageTemplate } from './templates';
import type { DeliveryStatus } from './webhookPayloads';

const STATUSES: readonly DeliveryStatus[] = ['sent', 'delivered', 'read', 'failed', 'played'];

const badRequest = (reply: FastifyReply, message: string) => reply.code(400).send({ error: message });

/** `?limit=N` → the last N records. */
function lastN<T>(items: readonly T[], limit: string | undefined): readonly T[] {
	const n = Number(limit);
	return limit !== undefined && Number.isInteger(n) && n >= 0 ? items.slice(Math.max(0, items.length - n)) : items;
}

function checkTemplate(value: unknown): MessageTemplate {
	const template = value as Partial<MessageTemplate> | null;
	if (typeof template !== 'object' || template === null) throw new Error('template must be an object');
	for (const key of ['name', 'language', 'status', 'category'] as const) {
		if (typeof template[key] !== 'string') throw new Error(`template.${key} must be a string`);
	}
	if (!Array.isArray(template.components)) throw new Error('template.components must be an array');
	return { id: String(Date.now()), ...template } as MessageTemplate;
}

export function registerControlRoutes(app: FastifyInstance, state: EmulatorState): void {
	app.get<{ Querystring: { limit?: string } }>('/_emulator/requests', async (request) => lastN(state.requests, request.query.limit));
	app.get<{ Querystring: { limit?: string } }>('/_emulator/messages', async (request) => lastN(state.messages, request.query.limit));
	app.get<{ Querystring: { limit?: string } }>('/_emulator/deliveries', async (request) => lastN(state.deliveries, request.query.limit));

	app.get('/_emulator/faults', async () => state.faults.snapshot());
	app.post('/_emulator/faults', async (request, reply) => {
		try {
			state.faults.apply(request.body as FaultRequest);
		} catch (error) {
			return badRequest(reply, (error as Error).message);
		}
		return state.faults.snapshot();
	});
	app.delete('/_emulator/faults', async () => {
		state.faults.clear();
		return state.faults.snapshot();
	});

	app.post('/_emulator/inbound', async (request, reply) => {
		try {
			return await state.deliverInbound(request.body as InboundRequest);
		} catch (error) {
			return badRequest(reply, (error as Error).message);
		}
	});

	app.post('/_emulator/statuses', async (request, reply) => {
		const body = (request.body ?? {}) as { messageId?: string; status?: DeliveryStatus; errorCode?: number };
		if (!STATUSES.includes(body.status as DeliveryStatus)) return badRequest(reply, `status must be one of ${STATUSES.join(', ')}`);
		const message = typeof body.messageId === 'string' ? state.findMessage(body.messageId) : undefined;
		if (!message) return reply.code(404).send({ error: `no accepted message with id ${JSON.stringify(body.messageId)}` });
		return state.emitStatus(message, body.status as DeliveryStatus, body.errorCode);
	});

	app.post('/_emulator/conversations', async (request, reply) => {
		const body = (request.body ?? {}) as { waId?: string; openedAt?: number };
		if (typeof body.waId !== 'string' || body.waId === '') return badRequest(reply, 'waId (a wa_id or BSUID) is required');
		if (body.openedAt !== undefined && !Number.isFinite(body.openedAt)) return badRequest(reply, 'openedAt must be a Unix time in milliseconds');
		const openedAt = body.openedAt ?? Date.now();
		state.openWindow(body.waId, openedAt);
		return { waId: body.waId, openedAt, open: state.hasOpenWindow(body.waId) };
	});

	// Uploads counted since the last reset, and the uploaded media kept now (SHA-256 in hex).
	app.get('/_emulator/media', async () => ({
		uploads: state.media.uploads,
		media: state.media.list().map(({ id, kind, mimeType, filename, fileSize, sha256 }) => ({ id, kind, mimeType, filename, fileSize, sha256: sha256.toString('hex') })),
	}));
	app.post('/_emulator/media/expire-urls', async () => ({ expired: state.media.expireUrls() }));

	app.get('/_emulator/settings', async () => state.settings);
	app.post('/_emulator/settings', async (request, reply) => {
		try {
			state.settings = mergeSettings(state.settings, request.body);
		} catch (error) {
			return badRequest(reply, (error as Error).message);
		}
		return state.settings;
	});

	app.get('/_emulator/templates', async () => state.templates);
	app.post('/_emulator/templates', async (request, reply) => {
		let template: MessageTemplate;
		try {
			template = checkTemplate((request.body as { template?: unknown } | undefined)?.template);
		} catch (error) {
			return badRequest(reply, (error as Error).message);
		}
		state.templates = [...state.templates.filter((t) => !(t.name === template.name && t.language === template.language)), template];
		return template;
	});

	// Decides the review of a template (settings.templateReview "manual"): {name, language, status, reason?}.
	app.post('/_emulator/templates/status', async (request, reply) => {
		const body = (request.body ?? {}) as { name?: unknown; language?: unknown; status?: unknown; reason?: unknown };
		const template = state.templates.find((t) => t.name === body.name && t.language === body.language);
		if (!template) return reply.code(404).send({ error: `no template ${String(body.name)} (${String(body.language)})` });
		const statuses = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED'];
		if (typeof body.status !== 'string' || !statuses.includes(body.status)) return badRequest(reply, `status must be one of ${statuses.join(', ')}`);
		const delivery = await state.setTemplateStatus(template, body.status as MessageTemplate['status'], typeof body.reason === 'string' ? body.reason : undefined);
		return { template, delivery };
	});

	app.post('/_emulator/idle', async () => {
		await state.idle();
		return { idle: true };
	});

	app.post('/_emulator/reset', async () => {
		await state.reset();
		return { reset: true };
	});
}
