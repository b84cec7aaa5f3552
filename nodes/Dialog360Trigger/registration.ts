/**
 * Webhook registration for the Trigger, in three modes:
 *
 * - automatic: `GET`/`POST /v1/configs/webhook`
 *   (https://docs.360dialog.com/docs/messaging-api/api-reference/webhooks). A number has ONE main
 *   webhook. Activation saves the config that was there (URL and headers) in the node's static data
 *   and points the number at this workflow with the secret header; deactivation puts the saved
 *   config back, exactly.
 * - additional: `/multi_webhook`
 *   (https://docs.360dialog.com/partner/messaging/receiving-messages-via-webhook/multiple-webhooks-per-phone-number).
 *   Activation adds this workflow as one more destination of the number (name `n8n-<hash of the
 *   URL>`, with the secret header) and leaves the main webhook alone; deactivation removes exactly
 *   that destination. 360dialog documents no call that removes one destination, so removal switches
 *   multi-webhook off and on again with the other destinations as `GET /multi_webhook` listed them
 *   (docs/DEVELOPMENT.md, API assumption 21).
 * - manual: nothing is registered.
 *
 * "Listen for test event" in the editor runs the same hooks with the test URL (and separate static
 * data): the test URL is registered the same way for that session and what was there before is put back.
 *
 * The pure helpers come first; the lifecycle functions at the end are what the node's
 * `webhookMethods` call.
 *
 * Static data of the node (`getWorkflowStaticData('node')`), see `TriggerStaticData`:
 *   secret        generated webhook secret (when the node's Webhook Secret field is empty)
 *   registration  { url, previous, registeredAt } while this node owns the number's webhook
 *   additional    { url, name, enabledBefore, registeredAt, restore? } while this node is an additional webhook
 *   dedupe        the dedupe window (dedupe.ts)
 */
import { NodeApiError, NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import { isRecord, trimTrailingSlashes } from '../common/json';
import { dialog360Request, getConnection, type Dialog360Connection } from '../common/transport';
import { hashDedupeKey } from './dedupe';
import { generateSecret, WEBHOOK_HEADER, secretProblem, secretsMatch } from './secret';

export const WEBHOOK_CONFIG_PATH = '/v1/configs/webhook';
export const MULTI_WEBHOOK_PATH = '/multi_webhook';

/** What `GET /v1/configs/webhook` says and what `POST` takes. */
export interface WebhookConfig {
	/** `''` is the unset state the API reports (and accepts to switch delivery off). */
	url: string;
	headers?: Record<string, string>;
}

/** Saved by `create()` while this node owns the number's webhook. */
export interface RegistrationRecord {
	/** The URL this node registered. */
	url: string;
	/** The config before activation; null when the API answered 404 (nothing set). */
	previous: WebhookConfig | null;
	/** ISO 8601. */
	registeredAt: string;
}

/** One additional webhook of the number (`GET /multi_webhook` → `destinations[]`). */
export interface WebhookDestination extends WebhookConfig {
	/** Case-sensitive, unique per number. */
	name: string;
}

/** `GET /multi_webhook`. */
export interface MultiWebhookConfig {
	enabled: boolean;
	destinations: WebhookDestination[];
}

/** Saved by `create()` while this node is an additional webhook of the number. */
export interface AdditionalRecord {
	/** The URL this node registered. */
	url: string;
	/** The destination's name. */
	name: string;
	/** Whether multi-webhook was on before this node enabled it (then it stays on after removal). */
	enabledBefore: boolean;
	/** ISO 8601. */
	registeredAt: string;
	/** Set while a removal is under way: the other destinations to put back if it is interrupted. */
	restore?: WebhookDestination[];
}

export interface TriggerStaticData {
	secret?: string;
	registration?: RegistrationRecord;
	additional?: AdditionalRecord;
	dedupe?: unknown;
}

export type RegistrationMode = 'automatic' | 'additional' | 'manual';

/** A GET answer as a config; null for a body without the documented shape. */
export function toWebhookConfig(body: unknown): WebhookConfig | null {
	if (!isRecord(body)) return null;
	const url = typeof body.url === 'string' ? body.url : '';
	if (!isRecord(body.headers)) return { url };
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(body.headers)) if (typeof value === 'string') headers[name] = value;
	return { url, headers };
}

export function sameUrl(a: string, b: string): boolean {
	return a !== '' && trimTrailingSlashes(a) === trimTrailingSlashes(b);
}

/** Whether `config` sends to `url` with `secret` in the secret header (header names ignore case). */
export function pointsAt(config: WebhookConfig | null, url: string, secret: string): boolean {
	if (!config || !sameUrl(config.url, url)) return false;
	const wanted = WEBHOOK_HEADER.toLowerCase();
	for (const [name, value] of Object.entries(config.headers ?? {})) {
		if (name.toLowerCase() === wanted) return secretsMatch(value, secret);
	}
	return false;
}

/** `GET /multi_webhook` as a config; anything without the documented shape counts as "off, none". */
export function toMultiWebhookConfig(body: unknown): MultiWebhookConfig {
	if (!isRecord(body)) return { enabled: false, destinations: [] };
	const destinations: WebhookDestination[] = [];
	if (Array.isArray(body.destinations)) {
		for (const entry of body.destinations) {
			if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.url !== 'string') continue;
			const config = toWebhookConfig(entry);
			destinations.push(config?.headers ? { name: entry.name, url: entry.url, headers: config.headers } : { name: entry.name, url: entry.url });
		}
	}
	return { enabled: body.enabled === true, destinations };
}

/**
 * The name this node's additional webhook gets: `n8n-` and a hash of the URL, so the production and the
 * test URL of one node, and every other workflow, get names of their own, and a restart finds its own again.
 */
export function destinationName(url: string): string {
	return `n8n-${hashDedupeKey(trimTrailingSlashes(url))}`;
}

/** The destination that is this node's: by name, else by URL. */
export function findDestination(config: MultiWebhookConfig, name: string, url: string): WebhookDestination | undefined {
	return config.destinations.find((d) => d.name === name) ?? config.destinations.find((d) => sameUrl(d.url, url));
}

/**
 * Why 360dialog would refuse `url` as a webhook (https://docs.360dialog.com/docs/hub/webhook-url: HTTPS, no port, no underscore in
 * the host, publicly reachable), or undefined.
 */
export function webhookUrlProblem(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `"${url}" is not a valid URL`;
	}
	if (parsed.protocol !== 'https:') return `360dialog only accepts HTTPS webhook URLs, and n8n's webhook URL is ${url}`;
	if (parsed.port !== '') return `360dialog does not accept a port in the webhook URL (:${parsed.port} in ${url})`;
	if (parsed.hostname.includes('_')) return `360dialog does not accept "_" in the host of the webhook URL (${parsed.hostname})`;
	const host = parsed.hostname.toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '[::1]' || host === '0.0.0.0') {
		return `360dialog cannot reach ${parsed.hostname} from the internet`;
	}
	return undefined;
}

/**
 * The POST body that puts `previous` back; the unset state is `{"url": ""}`.
 * Assumption: posting an empty `url` clears the number's webhook (not documented by 360dialog).
 */
export function restoreBody(previous: WebhookConfig | null): IDataObject {
	if (previous === null) return { url: '' };
	return previous.headers === undefined ? { url: previous.url } : { url: previous.url, headers: { ...previous.headers } };
}

// -----------------------------------------------------------------------------------------------
// HTTP (through the shared transport only)
// -----------------------------------------------------------------------------------------------

/** The number's current webhook config; null when the API answers 404 ("not set"; 360dialog does not document the unset answer, see docs/DEVELOPMENT.md "API assumptions"). */
export async function readWebhookConfig(context: IHookFunctions, connection: Dialog360Connection): Promise<WebhookConfig | null> {
	const result = await dialog360Request.call(context, { method: 'GET', path: WEBHOOK_CONFIG_PATH }, connection).then(
		(body: unknown) => ({ ok: true as const, body }),
		(error: unknown) => ({ ok: false as const, error }),
	);
	if (result.ok) return toWebhookConfig(result.body);
	if (result.error instanceof NodeApiError && result.error.httpCode === '404') return null;
	// Any other failure (401, 5xx, network) surfaces as the transport's NodeApiError.
	throw result.error;
}

export async function writeWebhookConfig(context: IHookFunctions, connection: Dialog360Connection, body: IDataObject): Promise<void> {
	await dialog360Request.call(context, { method: 'POST', path: WEBHOOK_CONFIG_PATH, body }, connection);
}

/** The number's additional webhooks; a 404 means the number has none (and the feature may be off for it). */
export async function readMultiWebhook(context: IHookFunctions, connection: Dialog360Connection): Promise<MultiWebhookConfig> {
	const result = await dialog360Request.call(context, { method: 'GET', path: MULTI_WEBHOOK_PATH }, connection).then(
		(body: unknown) => ({ ok: true as const, body }),
		(error: unknown) => ({ ok: false as const, error }),
	);
	if (result.ok) return toMultiWebhookConfig(result.body);
	if (result.error instanceof NodeApiError && result.error.httpCode === '404') return { enabled: false, destinations: [] };
	throw result.error;
}

async function writeMultiWebhook(context: IHookFunctions, connection: Dialog360Connection, method: 'POST' | 'PUT' | 'PATCH', body: IDataObject): Promise<void> {
	await dialog360Request.call(context, { method, path: MULTI_WEBHOOK_PATH, body }, connection);
}

const destinationBody = (destination: WebhookDestination): IDataObject =>
	destination.headers === undefined
		? { name: destination.name, url: destination.url }
		: { name: destination.name, url: destination.url, headers: { ...destination.headers } };

/** Multi-webhook on with exactly `destinations` (from off: POST enables with the first destinations). */
async function enableWith(context: IHookFunctions, connection: Dialog360Connection, destinations: WebhookDestination[]): Promise<void> {
	const body: IDataObject = { enabled: true };
	if (destinations.length > 0) body.destinations = destinations.map(destinationBody);
	await writeMultiWebhook(context, connection, 'POST', body);
}

// -----------------------------------------------------------------------------------------------
// Lifecycle (called by webhookMethods.default.*)
// -----------------------------------------------------------------------------------------------

interface Settings {
	mode: RegistrationMode;
	/** The node's Webhook Secret field, trimmed; '' when empty. */
	secretParameter: string;
}

function readSettings(context: IHookFunctions): Settings {
	const raw = context.getNodeParameter('registration', 'automatic');
	const mode: RegistrationMode = raw === 'manual' || raw === 'additional' ? raw : 'automatic';
	const secret = context.getNodeParameter('webhookSecret', '');
	return { mode, secretParameter: typeof secret === 'string' ? secret.trim() : '' };
}

function checkSecretParameter(context: IHookFunctions, settings: Settings): void {
	if (settings.secretParameter === '') {
		if (settings.mode === 'manual') {
			throw new NodeOperationError(context.getNode(), 'Registration "Manual" needs a Webhook Secret', {
				description: `Enter a random secret of at least 16 characters in the node and set the same value as the ${WEBHOOK_HEADER} header of the webhook in 360dialog.`,
			});
		}
		return;
	}
	const problem = secretProblem(settings.secretParameter);
	if (problem) throw new NodeOperationError(context.getNode(), problem);
}

function staticDataOf(context: IHookFunctions): TriggerStaticData {
	return context.getWorkflowStaticData('node') as TriggerStaticData;
}

function webhookUrlOf(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(context.getNode(), 'n8n did not provide a webhook URL for this node');
	return url;
}

/** The secret deliveries must carry: the node's field, else the generated one (if any yet). */
export function expectedSecret(secretParameter: unknown, staticData: TriggerStaticData): string | undefined {
	const fromParameter = typeof secretParameter === 'string' ? secretParameter.trim() : '';
	if (fromParameter !== '') return fromParameter;
	return typeof staticData.secret === 'string' && staticData.secret !== '' ? staticData.secret : undefined;
}

/**
 * True when nothing has to be registered: Manual mode, or the number already sends to this URL
 * with this secret and the config before it is saved.
 */
export async function checkExists(context: IHookFunctions): Promise<boolean> {
	const settings = readSettings(context);
	checkSecretParameter(context, settings);
	if (settings.mode === 'manual') return true;
	const data = staticDataOf(context);
	const secret = expectedSecret(settings.secretParameter, data);
	const url = webhookUrlOf(context);
	if (settings.mode === 'additional') {
		const record = data.additional;
		if (secret === undefined || record === undefined || record.restore !== undefined || !sameUrl(record.url, url)) return false;
		const connection = await getConnection.call(context);
		const config = await readMultiWebhook(context, connection);
		const ours = config.enabled ? findDestination(config, record.name, url) : undefined;
		return ours !== undefined && pointsAt(ours, url, secret);
	}
	if (secret === undefined || data.registration === undefined || !sameUrl(data.registration.url, url)) return false;
	const connection = await getConnection.call(context);
	return pointsAt(await readWebhookConfig(context, connection), url, secret);
}

/** Saves the current config, then points the number at this webhook with the secret header. */
export async function create(context: IHookFunctions): Promise<boolean> {
	const settings = readSettings(context);
	checkSecretParameter(context, settings);
	if (settings.mode === 'manual') return true;
	const url = webhookUrlOf(context);
	const connection = await getConnection.call(context);
	if (connection.environment !== 'custom') {
		const problem = webhookUrlProblem(url);
		if (problem) {
			throw new NodeOperationError(context.getNode(), problem, {
				description:
					"Serve n8n over HTTPS on port 443 (for example behind a reverse proxy) and tell n8n that public address (N8N_WEBHOOK_URL on n8n 2.x, WEBHOOK_URL on n8n 1.x), or switch Registration to Manual. The check is skipped for credentials with the environment \"Custom Base URL\" (emulator or proxy).",
			});
		}
	}

	const data = staticDataOf(context);
	let secret = expectedSecret(settings.secretParameter, data);
	if (secret === undefined) {
		secret = generateSecret();
		data.secret = secret;
	}
	if (settings.mode === 'additional') {
		await createAdditional(context, connection, data, url, secret);
		return true;
	}

	const current = await readWebhookConfig(context, connection);
	let previous: WebhookConfig | null;
	if (current !== null && sameUrl(current.url, url)) {
		// Already ours (re-activation after a restart, a changed secret): keep what was saved
		// before it; without a record, what came before is unknown and the unset state is restored.
		previous = data.registration && sameUrl(data.registration.url, url) ? data.registration.previous : null;
	} else {
		previous = current;
	}

	await writeWebhookConfig(context, connection, { url, headers: { [WEBHOOK_HEADER]: secret } });
	data.registration = { url, previous, registeredAt: new Date().toISOString() };
	return true;
}

/**
 * Puts the saved config back when the number still sends to the URL this node registered.
 * If someone set another URL meanwhile, that one is left alone.
 */
export async function remove(context: IHookFunctions): Promise<boolean> {
	const settings = readSettings(context);
	if (settings.mode === 'manual') return true;
	if (settings.mode === 'additional') return await removeAdditional(context);
	const data = staticDataOf(context);
	const record = data.registration;
	const connection = await getConnection.call(context);
	const current = await readWebhookConfig(context, connection);
	if (record === undefined) {
		// Nothing saved (static data lost): stop deliveries to a URL that is no longer listening.
		if (current !== null && sameUrl(current.url, webhookUrlOf(context))) {
			await writeWebhookConfig(context, connection, restoreBody(null));
		}
		return true;
	}
	if (current !== null && sameUrl(current.url, record.url)) {
		await writeWebhookConfig(context, connection, restoreBody(record.previous));
	}
	delete data.registration;
	return true;
}

// -----------------------------------------------------------------------------------------------
// Additional webhook (Registration "Automatic, as an Additional Webhook")
// -----------------------------------------------------------------------------------------------

/**
 * Adds this node as an additional webhook of the number, or brings its destination up to date
 * (URL, secret header). The main webhook is read, never written: it must exist, since 360dialog sends
 * the additional webhooks an event only after the main one took it.
 */
async function createAdditional(context: IHookFunctions, connection: Dialog360Connection, data: TriggerStaticData, url: string, secret: string): Promise<void> {
	const main = await readWebhookConfig(context, connection);
	if (main === null || main.url === '') {
		throw new NodeOperationError(context.getNode(), 'The number has no main webhook, so an additional webhook would receive nothing', {
			description:
				'360dialog sends the additional webhooks an event only after the main webhook answered it with 200. Set the main webhook first (your CRM, or another tool), or use Registration "Automatic" to make this trigger the main webhook.',
		});
	}
	if (sameUrl(main.url, url)) {
		throw new NodeOperationError(context.getNode(), "This trigger is already the number's main webhook", {
			description: 'Deactivate the workflow that registered it (Registration "Automatic") first, or keep that mode.',
		});
	}
	const headers = { [WEBHOOK_HEADER]: secret };
	let config = await readMultiWebhook(context, connection);
	let previous = data.additional;
	if (previous?.restore !== undefined) {
		// An earlier removal was interrupted: if it had switched multi-webhook off, put the others back first.
		const { restore, ...rest } = previous;
		if (!config.enabled && (restore.length > 0 || rest.enabledBefore)) {
			await enableWith(context, connection, restore);
			config = await readMultiWebhook(context, connection);
		}
		previous = rest;
		data.additional = rest;
	}
	const name = previous !== undefined && sameUrl(previous.url, url) ? previous.name : destinationName(url);
	const ours: WebhookDestination = { name, url, headers };
	let enabledBefore: boolean;
	if (!config.enabled) {
		enabledBefore = false;
		await enableWith(context, connection, [ours]);
	} else {
		const existing = findDestination(config, name, url);
		// Re-activation (an n8n restart, a changed secret) keeps what was known about the state before.
		enabledBefore = previous !== undefined && sameUrl(previous.url, url) ? previous.enabledBefore : true;
		if (existing === undefined) {
			await writeMultiWebhook(context, connection, 'PUT', { destinations: [destinationBody(ours)] });
		} else {
			ours.name = existing.name;
			if (!pointsAt(existing, url, secret)) {
				await writeMultiWebhook(context, connection, 'PATCH', { name: existing.name, url, headers: { ...headers } });
			}
		}
	}
	data.additional = { url, name: ours.name, enabledBefore, registeredAt: new Date().toISOString() };
}

/**
 * Removes exactly this node's additional webhook; the main webhook and the other destinations stay.
 * With no call documented for that, multi-webhook is switched off and on again with the others (as
 * `GET /multi_webhook` listed them, headers included); when this node had switched it on and nothing
 * else is left, it stays off, as it was before.
 */
async function removeAdditional(context: IHookFunctions): Promise<boolean> {
	const data = staticDataOf(context);
	const record = data.additional;
	const url = record?.url ?? webhookUrlOf(context);
	const name = record?.name ?? destinationName(url);
	const connection = await getConnection.call(context);
	const config = await readMultiWebhook(context, connection);
	if (record?.restore !== undefined && !config.enabled) {
		// An interrupted removal: our destination is gone already, the others still have to come back.
		if (record.restore.length > 0 || record.enabledBefore) await enableWith(context, connection, record.restore);
		delete data.additional;
		return true;
	}
	const ours = config.enabled ? findDestination(config, name, url) : undefined;
	if (ours === undefined) {
		// Someone removed it (or switched multi-webhook off) meanwhile: nothing of ours is left.
		delete data.additional;
		return true;
	}
	const others = config.destinations.filter((d) => d !== ours);
	// Static data lost: keep multi-webhook on when others use it, as it must have been.
	const keepOn = others.length > 0 || record?.enabledBefore === true;
	data.additional = { ...(record ?? { url, name, enabledBefore: keepOn, registeredAt: new Date().toISOString() }), restore: others };
	await writeMultiWebhook(context, connection, 'POST', { enabled: false });
	if (keepOn) await enableWith(context, connection, others);
	delete data.additional;
	return true;
}
