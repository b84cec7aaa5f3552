/**
 * Account endpoints: the phone webhook config and the number's additional webhooks
 * (https://docs.360dialog.com/docs/messaging-api/api-reference/webhooks), `GET /health_status`
 * and both template listings (https://docs.360dialog.com/docs/messaging-api/api-reference/templates):
 * 360dialog's `GET /v1/configs/templates` (limit/offset) and Meta's
 * `GET /message_templates` (cursor paging, small default page so clients must follow `next`).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

import { gatewayError, graphError, type ErrorReply } from './errors';
import type { EmulatorState } from './state';
import type { MessageTemplate } from './templates';
import type { WebhookDestination } from './webhookDelivery';
import { BUSINESS } from './webhookPayloads';

type Query = Record<string, string | undefined>;

function send(reply: FastifyReply, error: ErrorReply): FastifyReply {
	return reply.code(error.status).send(error.body);
}

/** Why a webhook URL would be refused, or undefined. */
export function webhookUrlProblem(url: string, strict: boolean): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `url ${JSON.stringify(url)} is not an absolute URL`;
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'url must be http(s)';
	if (!strict) return undefined;
	// 360dialog's rules (https://docs.360dialog.com/docs/hub/webhook-url); off by default so tests can use local receivers.
	if (parsed.protocol !== 'https:') return 'url must use HTTPS';
	if (parsed.port !== '') return 'url must not contain a port';
	if (parsed.hostname.includes('_')) return 'url host must not contain "_"';
	return undefined;
}

function registerWebhookConfig(app: FastifyInstance, state: EmulatorState): void {
	app.get('/v1/configs/webhook', async (_request, reply) => {
		if (state.webhook) return state.webhook;
		if (state.settings.unsetWebhookResponse === 'not-found') return send(reply, gatewayError(state.settings.gatewayErrorShape, 404, 'Webhook URL not set'));
		return { url: '' };
	});

	app.post('/v1/configs/webhook', async (request, reply) => {
		const body = request.body as { url?: unknown; headers?: unknown } | undefined;
		const bad = (message: string) => send(reply, gatewayError(state.settings.gatewayErrorShape, 400, message));
		if (typeof body !== 'object' || body === null || typeof body.url !== 'string') return bad('url is required');
		if (body.headers !== undefined) {
			const headers = body.headers;
			if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
				return bad('headers must be an object of strings');
			}
		}
		if (body.url === '') {
			state.webhook = undefined; // an empty URL switches delivery off
			return { url: '' };
		}
		const problem = webhookUrlProblem(body.url, state.settings.strictWebhookUrl);
		if (problem) return bad(problem);
		state.webhook = body.headers === undefined ? { url: body.url } : { url: body.url, headers: { ...(body.headers as Record<string, string>) } };
		return state.webhook;
	});
}

/** A `destinations[]` entry, checked: name, url and optional string headers. */
function toDestination(value: unknown, at: string, strict: boolean): WebhookDestination | string {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${at} must be an object`;
	const { name, url, headers } = value as { name?: unknown; url?: unknown; headers?: unknown };
	if (typeof name !== 'string' || name === '') return `${at}.name is required`;
	if (typeof url !== 'string' || url === '') return `${at}.url is required`;
	const problem = webhookUrlProblem(url, strict);
	if (problem) return `${at}: ${problem}`;
	if (headers === undefined) return { name, url };
	if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
		return `${at}.headers must be an object of strings`;
	}
	return { name, url, headers: { ...(headers as Record<string, string>) } };
}

/** `destinations` of a POST / PUT body: an array of destinations with names unique among themselves. */
function toDestinations(value: unknown, strict: boolean): WebhookDestination[] | string {
	if (!Array.isArray(value)) return 'destinations must be an array';
	const out: WebhookDestination[] = [];
	for (let i = 0; i < value.length; i++) {
		const destination = toDestination(value[i], `destinations[${i}]`, strict);
		if (typeof destination === 'string') return destination;
		if (out.some((d) => d.name === destination.name)) return `destination name "${destination.name}" is used twice`;
		out.push(destination);
	}
	return out;
}

/**
 * Additional webhooks per number (https://docs.360dialog.com/docs/messaging-api/api-reference/webhooks,
 * https://docs.360dialog.com/partner/messaging/receiving-messages-via-webhook/multiple-webhooks-per-phone-number):
 * GET the configuration, POST to enable (optionally with the first destinations) or disable, PUT to append
 * destinations, PATCH to change one destination's url / headers by name. Names are case-sensitive unique IDs;
 * at most `maxMultiWebhookDestinations`. No call to remove a single destination is documented, so none is offered.
 * Assumptions where the docs are silent (docs/DEVELOPMENT.md, API assumption 21): disabling drops the
 * destinations, enabling with `destinations` sets exactly those, every change applies at once.
 */
function registerMultiWebhook(app: FastifyInstance, state: EmulatorState): void {
	const bad = (reply: FastifyReply, status: number, message: string) => send(reply, gatewayError(state.settings.gatewayErrorShape, status, message));
	const copy = () => ({
		enabled: state.multiWebhook.enabled,
		destinations: state.multiWebhook.destinations.map((d) => (d.headers ? { name: d.name, url: d.url, headers: { ...d.headers } } : { name: d.name, url: d.url })),
	});

	app.get('/multi_webhook', async () => copy());

	app.post('/multi_webhook', async (request, reply) => {
		const body = request.body as { enabled?: unknown; destinations?: unknown } | undefined;
		if (typeof body !== 'object' || body === null || typeof body.enabled !== 'boolean') return bad(reply, 400, 'enabled (boolean) is required');
		if (!body.enabled) {
			state.multiWebhook = { enabled: false, destinations: [] };
			return { message: 'Multi-webhook disabled' };
		}
		let destinations: WebhookDestination[] = [];
		if (body.destinations !== undefined) {
			const checked = toDestinations(body.destinations, state.settings.strictWebhookUrl);
			if (typeof checked === 'string') return bad(reply, 400, checked);
			destinations = checked;
		}
		if (state.multiWebhook.enabled && destinations.length > 0) return bad(reply, 409, 'multi-webhook is already enabled; use PUT to add destinations');
		if (destinations.length > state.settings.maxMultiWebhookDestinations) {
			return bad(reply, 400, `at most ${state.settings.maxMultiWebhookDestinations} webhook destinations per phone number`);
		}
		state.multiWebhook = { enabled: true, destinations: state.multiWebhook.enabled ? state.multiWebhook.destinations : destinations };
		return { message: 'Multi-webhook enabled' };
	});

	app.put('/multi_webhook', async (request, reply) => {
		if (!state.multiWebhook.enabled) return bad(reply, 400, 'multi-webhook is not enabled; enable it with POST first');
		const body = request.body as { destinations?: unknown } | undefined;
		const checked = toDestinations(body?.destinations, state.settings.strictWebhookUrl);
		if (typeof checked === 'string') return bad(reply, 400, checked);
		const taken = checked.find((d) => state.multiWebhook.destinations.some((existing) => existing.name === d.name));
		if (taken) return bad(reply, 409, `a destination named "${taken.name}" already exists`);
		const total = state.multiWebhook.destinations.length + checked.length;
		if (total > state.settings.maxMultiWebhookDestinations) {
			return bad(reply, 400, `at most ${state.settings.maxMultiWebhookDestinations} webhook destinations per phone number (${total} requested)`);
		}
		state.multiWebhook.destinations.push(...checked);
		return { message: 'Destinations added' };
	});

	app.patch('/multi_webhook', async (request, reply) => {
		if (!state.multiWebhook.enabled) return bad(reply, 400, 'multi-webhook is not enabled; enable it with POST first');
		const body = request.body as { name?: unknown; url?: unknown; headers?: unknown } | undefined;
		if (typeof body?.name !== 'string' || body.name === '') return bad(reply, 400, 'name is required');
		const destination = state.multiWebhook.destinations.find((d) => d.name === body.name);
		if (!destination) return bad(reply, 404, `no destination named "${body.name}"`);
		const merged = toDestination({ name: destination.name, url: body.url ?? destination.url, headers: body.headers ?? destination.headers }, 'body', state.settings.strictWebhookUrl);
		if (typeof merged === 'string') return bad(reply, 400, merged);
		Object.assign(destination, merged);
		if (merged.headers === undefined) delete destination.headers;
		return { message: 'Destination updated' };
	});
}

function registerHealth(app: FastifyInstance, state: EmulatorState): void {
	app.get('/health_status', async () => {
		const overall = state.settings.healthStatus;
		const entity = (type: string, id: string, status = 'AVAILABLE') => ({ entity_type: type, id, can_send_message: status });
		const phone: Record<string, unknown> = entity('PHONE_NUMBER', BUSINESS.phoneNumberId, overall);
		if (overall === 'BLOCKED') {
			phone.errors = [
				{
					error_code: 141006,
					error_description: 'There is an error with the payment method.',
					possible_solution: 'There was an error with your payment method. Please add a new payment method to the account.',
				},
			];
		}
		if (overall === 'LIMITED') phone.additional_info = ['Your phone number has reached its messaging limit for business-initiated conversations.'];
		return {
			health_status: {
				can_send_message: overall,
				entities: [phone, entity('WABA', BUSINESS.wabaId), entity('BUSINESS', '103000000000001'), entity('APP', '104000000000001')],
			},
			id: BUSINESS.phoneNumberId,
		};
	});
}

/** A non-negative integer query value, the default when absent, or an Error. */
function integer(query: Query, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number | Error {
	const raw = query[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0) return new Error(`${name} must be a non-negative integer`);
	return Math.min(value, max);
}

function registerWabaTemplates(app: FastifyInstance, state: EmulatorState): void {
	// 360dialog: `?limit=&offset=&filters={"status":"approved"}&sort=name|-name`; default limit 1000.
	app.get('/v1/configs/templates', async (request, reply) => {
		const query = request.query as Query;
		const limit = integer(query, 'limit', 1000);
		const offset = integer(query, 'offset', 0);
		if (limit instanceof Error) return send(reply, gatewayError(state.settings.gatewayErrorShape, 400, limit.message));
		if (offset instanceof Error) return send(reply, gatewayError(state.settings.gatewayErrorShape, 400, offset.message));
		let filters: Record<string, unknown> = {};
		if (query.filters) {
			try {
				filters = JSON.parse(query.filters) as Record<string, unknown>;
			} catch {
				return send(reply, gatewayError(state.settings.gatewayErrorShape, 400, 'filters must be a JSON object'));
			}
		}
		let templates = state.templates.filter((template) =>
			Object.entries(filters).every(([key, value]) => String(template[key as keyof MessageTemplate] ?? '').toLowerCase() === String(value).toLowerCase()),
		);
		if (query.sort === 'name' || query.sort === '-name') {
			const direction = query.sort === 'name' ? 1 : -1;
			templates = [...templates].sort((a, b) => direction * a.name.localeCompare(b.name));
		}
		const page = templates.slice(offset, offset + limit).map((template) => ({
			...template,
			namespace: 'c8ae5f90_307a_ca4c_b8f6_d1e2a2573574',
			rejected_reason: template.rejected_reason ?? 'NONE',
		}));
		return { count: page.length, filters, limit, offset, sort: query.sort ? [query.sort] : [], total: templates.length, waba_templates: page };
	});
}

const encodeCursor = (index: number): string => Buffer.from(`emu-template:${index}`).toString('base64url');

function decodeCursor(cursor: string): number | undefined {
	const match = /^emu-template:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
	return match ? Number(match[1]) : undefined;
}

function registerMetaTemplates(app: FastifyInstance, state: EmulatorState, baseUrl: () => string): void {
	// Meta: `?limit=&after=|before=` plus filters `status`, `name` (contains), `language`, `category`.
	app.get('/message_templates', async (request, reply) => {
		const query = request.query as Query;
		const limit = integer(query, 'limit', 10, 100);
		if (limit instanceof Error) return send(reply, graphError(100, limit.message));
		if (limit === 0) return send(reply, graphError(100, 'limit must be at least 1'));
		const templates = state.templates.filter(
			(t) =>
				(!query.status || t.status === query.status.toUpperCase()) &&
				(!query.category || t.category === query.category.toUpperCase()) &&
				(!query.language || t.language === query.language) &&
				(!query.name || t.name.includes(query.name)),
		);
		let start = 0;
		let end = limit;
		const cursor = query.after ?? query.before;
		if (cursor !== undefined) {
			const index = decodeCursor(cursor);
			if (index === undefined) return send(reply, graphError(100, 'invalid paging cursor'));
			// `after`: the page following that item; `before`: the page ending just before it.
			start = query.after !== undefined ? index + 1 : Math.max(0, index - limit);
			end = query.after !== undefined ? start + limit : index;
		}
		const data = templates.slice(start, end).map(({ rejected_reason: _hidden, ...template }) => template);
		const paging: Record<string, unknown> = {
			cursors: data.length > 0 ? { before: encodeCursor(start), after: encodeCursor(start + data.length - 1) } : {},
		};
		const link = (cursor: Record<string, string>) => {
			const params = new URLSearchParams();
			for (const [key, value] of Object.entries(query)) if (value !== undefined && key !== 'after' && key !== 'before') params.set(key, value);
			params.set('limit', String(limit));
			for (const [key, value] of Object.entries(cursor)) params.set(key, value);
			return `${baseUrl()}/message_templates?${params.toString()}`;
		};
		if (start + data.length < templates.length) paging.next = link({ after: encodeCursor(start + data.length - 1) });
		if (start > 0 && data.length > 0) paging.previous = link({ before: encodeCursor(start) });
		return { data, paging };
	});
}

export function registerConfigRoutes(app: FastifyInstance, state: EmulatorState, baseUrl: () => string): void {
	registerWebhookConfig(app, state);
	registerMultiWebhook(app, state);
	registerHealth(app, state);
	registerWabaTemplates(app, state);
	registerMetaTemplates(app, state, baseUrl);
}
