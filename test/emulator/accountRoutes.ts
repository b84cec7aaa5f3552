/**
 * The number's account endpoints beyond sending: template creation and deletion (the created
 * templates join `state.templates`, so both listings and template sends see them), blocked users,
 * business profile and conversational components.
 *
 * - Templates: https://docs.360dialog.com/partner/messaging/template-messages/create-and-manage-template-messages
 *   (`POST /v1/configs/templates`), https://docs.360dialog.com/api/whatsapp-api/message-templates-api
 *   (`DELETE /v1/configs/templates/{name}` deletes every language). Assumptions: `?hsm_id=` deletes one
 *   template (Meta's parameter); a new template is PENDING, then reviewed as `settings.templateReview`
 *   says (approve / reject / manual) and a `message_template_status_update` webhook is delivered.
 * - Blocked users: https://docs.360dialog.com/docs/messaging-api/api-reference/block-users and
 *   https://developers.facebook.com/docs/whatsapp/cloud-api/block-users (only users who wrote in the
 *   last 24 hours, at most 1,000 per call). Assumption: a partial failure is HTTP 400, error 139100,
 *   with `added_users` and `failed_users`; unblocking a user who is not blocked succeeds.
 * - Business profile: https://docs.360dialog.com/docs/whatsapp-api/whatsapp-cloud-api/set-whatsapp-profile-information
 * - Conversational components: https://docs.360dialog.com/docs/messaging-api/api-reference/conversational-components
 *   and https://developers.facebook.com/docs/whatsapp/cloud-api/phone-numbers/conversational-components
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

import { isRecord, type Json } from '../support/json';
import { graphError, type ErrorReply } from './errors';
import type { EmulatorState } from './state';
import { checkTemplateCreation, CREATE_SUBCODES, normalizeTemplateBody } from './templateCreateRules';
import type { MessageTemplate, TemplateComponentDefinition } from './templates';

function send(reply: FastifyReply, error: ErrorReply): FastifyReply {
	return reply.code(error.status).send(error.body);
}

const invalid = (details: string, subcode?: number): ErrorReply => graphError(100, details, subcode === undefined ? {} : { subcode });

/** What a created template looks like when listed: authentication templates get WhatsApp's preset texts. */
function storedComponents(body: Json): TemplateComponentDefinition[] {
	const components = (body.components as Json[]).map((component) => structuredClone(component)) as unknown as TemplateComponentDefinition[];
	if (body.category !== 'AUTHENTICATION') return components;
	return components.map((component) => {
		if (component.type === 'BODY') {
			const security = component.add_security_recommendation ? ' For your security, do not share this code.' : '';
			return { ...component, text: `*{{1}}* is your verification code.${security}`, example: { body_text: [['123456']] } };
		}
		if (component.type === 'FOOTER') return { ...component, text: `This code expires in ${String(component.code_expiration_minutes)} minutes.` };
		if (component.type === 'BUTTONS') {
			return { ...component, buttons: (component.buttons ?? []).map((button) => ({ ...button, text: button.text ?? 'Copy code' })) };
		}
		return component;
	});
}

function registerTemplates(app: FastifyInstance, state: EmulatorState): void {
	app.post('/v1/configs/templates', async (request, reply) => {
		const body = normalizeTemplateBody(request.body);
		const problem = checkTemplateCreation(body, (handle) => state.account.uploads.file(handle));
		if (problem) return send(reply, invalid(problem.details, problem.subcode));
		const submitted = body as Json;
		const name = String(submitted.name);
		const language = String(submitted.language);
		if (state.templates.some((template) => template.name === name && template.language === language)) {
			return send(reply, invalid(`Content in this language already exists: ${name} (${language})`, CREATE_SUBCODES.exists));
		}
		const template: MessageTemplate = {
			id: state.account.nextTemplateId(),
			name,
			language,
			status: 'PENDING',
			category: submitted.category as MessageTemplate['category'],
			parameter_format: submitted.parameter_format === 'NAMED' ? 'NAMED' : 'POSITIONAL',
			components: storedComponents(submitted),
		};
		state.templates.push(template);
		const answer = structuredClone(template);
		state.reviewTemplate(template);
		return { ...answer, namespace: 'c8ae5f90_307a_ca4c_b8f6_d1e2a2573574', rejected_reason: 'NONE' };
	});

	app.delete<{ Params: { name: string }; Querystring: { hsm_id?: string } }>('/v1/configs/templates/:name', async (request, reply) => {
		const { name } = request.params;
		const id = request.query.hsm_id;
		const doomed = state.templates.filter((template) => template.name === name && (id === undefined || template.id === id));
		if (doomed.length === 0) {
			return send(reply, invalid(id === undefined ? `Message template "${name}" not found` : `Message template "${name}" with hsm_id ${id} not found`, 2593002));
		}
		state.templates = state.templates.filter((template) => !doomed.includes(template));
		return { success: true };
	});
}

const MAX_BLOCK_PER_CALL = 1000;
const digits = (value: string): string => value.replace(/\D/g, '');

function registerBlockUsers(app: FastifyInstance, state: EmulatorState): void {
	const readUsers = (body: unknown): string[] | ErrorReply => {
		if (!isRecord(body) || body.messaging_product !== 'whatsapp') return invalid('messaging_product must be "whatsapp"');
		const entries = Array.isArray(body.block_users) ? body.block_users : undefined;
		if (!entries || entries.length === 0) return invalid('block_users must be a non-empty list of {"user": "<phone number or wa_id>"}');
		if (entries.length > MAX_BLOCK_PER_CALL) return invalid(`block_users: at most ${MAX_BLOCK_PER_CALL} users per request, got ${entries.length}`);
		const users: string[] = [];
		for (const entry of entries) {
			if (!isRecord(entry) || typeof entry.user !== 'string' || digits(entry.user).length < 6) return invalid('block_users: each entry needs "user", a phone number or wa_id');
			users.push(entry.user);
		}
		return users;
	};

	app.post('/block_users', async (request, reply) => {
		const users = readUsers(request.body);
		if (!Array.isArray(users)) return send(reply, users);
		const added: Json[] = [];
		const failed: Json[] = [];
		for (const input of users) {
			const waId = digits(input);
			if (!state.hasOpenWindow(waId)) {
				failed.push({
					input,
					wa_id: waId,
					errors: [{ message: 'Failed to block/unblock users', code: 139100, error_data: { details: 'Users can only be blocked within 24 hours of their last message to the business' } }],
				});
				continue;
			}
			state.account.block(waId);
			added.push({ input, wa_id: waId });
		}
		const result = { messaging_product: 'whatsapp', block_users: { added_users: added, ...(failed.length > 0 ? { failed_users: failed } : {}) } };
		if (failed.length === 0) return result;
		const error = graphError(139100, `${failed.length} of ${users.length} users could not be blocked`);
		return reply.code(error.status).send({ ...result, ...(error.body as Json) });
	});

	app.delete('/block_users', async (request, reply) => {
		const users = readUsers(request.body);
		if (!Array.isArray(users)) return send(reply, users);
		const removed = users.map((input) => {
			state.account.unblock(digits(input));
			return { input, wa_id: digits(input) };
		});
		return { messaging_product: 'whatsapp', block_users: { removed_users: removed } };
	});

	const cursor = (index: number): string => Buffer.from(`emu-blocked:${index}`).toString('base64url');
	app.get<{ Querystring: { limit?: string; after?: string } }>('/block_users', async (request, reply) => {
		const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
		if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return send(reply, invalid('limit must be between 1 and 1000'));
		let start = 0;
		if (request.query.after !== undefined) {
			const match = /^emu-blocked:(\d+)$/.exec(Buffer.from(request.query.after, 'base64url').toString());
			if (!match) return send(reply, invalid('invalid paging cursor'));
			start = Number(match[1]) + 1;
		}
		const all = state.account.blocked;
		const page = all.slice(start, start + limit);
		const paging: Json = { cursors: page.length > 0 ? { before: cursor(start), after: cursor(start + page.length - 1) } : {} };
		if (start + page.length < all.length) paging.next = `/block_users?limit=${limit}&after=${cursor(start + page.length - 1)}`;
		return { data: [{ block_users: page.map((waId) => ({ input: waId, wa_id: waId })) }], paging };
	});
}

const VERTICALS = ['UNDEFINED', 'OTHER', 'AUTO', 'BEAUTY', 'APPAREL', 'EDU', 'ENTERTAIN', 'EVENT_PLAN', 'FINANCE', 'GROCERY', 'GOVT', 'HOTEL', 'HEALTH', 'NONPROFIT', 'PROF_SERVICES', 'RETAIL', 'TRAVEL', 'RESTAURANT', 'NOT_A_BIZ'];
const PROFILE_FIELDS = ['about', 'address', 'description', 'email', 'profile_picture_url', 'websites', 'vertical'];

function profileProblem(body: Json): string | undefined {
	const text = (key: string, min: number, max: number) => {
		const value = body[key];
		if (value === undefined) return undefined;
		if (typeof value !== 'string' || [...value].length < min || [...value].length > max) return `${key} must be text of ${min} to ${max} characters`;
		return undefined;
	};
	const problem = text('about', 1, 139) ?? text('address', 0, 256) ?? text('description', 0, 512) ?? text('email', 0, 128);
	if (problem) return problem;
	if (typeof body.email === 'string' && body.email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email)) return 'email is not a valid email address';
	if (body.vertical !== undefined && !VERTICALS.includes(String(body.vertical))) return `vertical must be one of ${VERTICALS.join(', ')}`;
	if (body.websites !== undefined) {
		const websites = body.websites;
		if (!Array.isArray(websites) || websites.length > 2 || websites.some((url) => typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url) || url.length > 256)) {
			return 'websites must be at most 2 http(s) URLs of 256 characters at most';
		}
	}
	const unknown = Object.keys(body).find((key) => key !== 'messaging_product' && key !== 'profile_picture_handle' && !PROFILE_FIELDS.includes(key));
	return unknown ? `unknown field ${unknown}` : undefined;
}

/** A profile picture is an image handle from the resumable upload (API assumption 36: JPEG or PNG). */
function pictureProblem(handle: unknown, state: EmulatorState): string | undefined {
	if (handle === undefined) return undefined;
	const file = typeof handle === 'string' ? state.account.uploads.file(handle) : undefined;
	if (!file) return 'profile_picture_handle is not a handle from the resumable upload (POST /uploads, then POST /upload:…)';
	if (!['image/jpeg', 'image/jpg', 'image/png'].includes(file.fileType)) return `profile_picture_handle: the profile picture must be a JPEG or PNG image, not ${file.fileType}`;
	return undefined;
}

function registerProfile(app: FastifyInstance, state: EmulatorState): void {
	app.get<{ Querystring: { fields?: string } }>('/whatsapp_business_profile', async (request) => {
		const fields = (request.query.fields ?? PROFILE_FIELDS.join(',')).split(',').map((field) => field.trim());
		const profile: Json = { messaging_product: 'whatsapp' };
		for (const field of fields) if (state.account.profile[field] !== undefined) profile[field] = structuredClone(state.account.profile[field]);
		return { data: [profile] };
	});

	app.post('/whatsapp_business_profile', async (request, reply) => {
		const body = request.body;
		if (!isRecord(body) || body.messaging_product !== 'whatsapp') return send(reply, invalid('messaging_product must be "whatsapp"'));
		const problem = profileProblem(body) ?? pictureProblem(body.profile_picture_handle, state);
		if (problem) return send(reply, invalid(problem));
		for (const field of PROFILE_FIELDS) if (body[field] !== undefined) state.account.profile[field] = structuredClone(body[field]);
		if (typeof body.profile_picture_handle === 'string') {
			// The picture gets a new URL, as WhatsApp's CDN would give it.
			const file = state.account.uploads.file(body.profile_picture_handle);
			state.account.profile.profile_picture_url = `https://pps.whatsapp.net/v/t61.emulator/${file?.sha256.slice(0, 16) ?? 'profile'}.jpg`;
		}
		return { success: true };
	});
}

function automationProblem(body: Json): string | undefined {
	if (body.enable_welcome_message !== undefined && typeof body.enable_welcome_message !== 'boolean') return 'enable_welcome_message must be a boolean';
	if (body.prompts !== undefined) {
		const prompts = body.prompts;
		if (!Array.isArray(prompts) || prompts.length > 4 || prompts.some((prompt) => typeof prompt !== 'string' || prompt === '' || [...prompt].length > 80)) {
			return 'prompts: at most 4 ice breakers of 80 characters at most';
		}
	}
	if (body.commands !== undefined) {
		const commands = body.commands;
		if (!Array.isArray(commands) || commands.length > 30) return 'commands: at most 30 commands';
		for (const command of commands) {
			if (!isRecord(command) || typeof command.command_name !== 'string' || !/^\S{1,32}$/.test(command.command_name)) return 'commands: command_name must be 1 to 32 characters without spaces';
			if (typeof command.command_description !== 'string' || command.command_description === '' || [...command.command_description].length > 256) {
				return 'commands: command_description must be 1 to 256 characters';
			}
		}
	}
	return undefined;
}

function registerConversationalAutomation(app: FastifyInstance, state: EmulatorState): void {
	app.get('/conversational_automation', async () => ({
		conversational_automation: { ...structuredClone(state.account.automation), id: state.account.phoneNumberId },
		id: state.account.phoneNumberId,
	}));

	app.post('/conversational_automation', async (request, reply) => {
		const body = request.body;
		if (!isRecord(body)) return send(reply, invalid('the body must be a JSON object'));
		const problem = automationProblem(body);
		if (problem) return send(reply, invalid(problem));
		const automation = state.account.automation;
		if (body.enable_welcome_message !== undefined) automation.enable_welcome_message = body.enable_welcome_message as boolean;
		if (body.prompts !== undefined) automation.prompts = structuredClone(body.prompts as string[]);
		if (body.commands !== undefined) automation.commands = structuredClone(body.commands as Array<{ command_name: string; command_description: string }>);
		return { success: true };
	});
}

export function registerAccountRoutes(app: FastifyInstance, state: EmulatorState): void {
	registerTemplates(app, state);
	registerBlockUsers(app, state);
	registerProfile(app, state);
	registerConversationalAutomation(app, state);
}
