/**
 * Webhook registration for the Trigger: `GET`/`POST /v1/configs/webhook`
 * (https://docs.360dialog.com/docs/messaging-api/api-reference/webhooks).
 *
 * A number has ONE webhook. Activation saves the config that was there (URL and headers) in the
 * node's static data and points the number at this workflow with the secret header; deactivation
 * puts the saved config back, exactly. The pure helpers come first; the lifecycle functions at
 * the end are what the node's `webhookMethods` call.
 *
 * Static data of the node (`getWorkflowStaticData('node')`), see `TriggerStaticData`:
 *   secret        generated webhook secret (when the node's Webhook Secret field is empty)
 *   registration  { url, previous, registeredAt } while this node owns the number's webhook
 *   dedupe        the dedupe window (dedupe.ts)
 */
import { NodeApiError, NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import { isRecord, trimTrailingSlashes } from '../common/json';
import { dialog360Request, getConnection, type Dialog360Connection } from '../common/transport';
import { generateSecret, WEBHOOK_HEADER, secretProblem, secretsMatch } from './secret';

export const WEBHOOK_CONFIG_PATH = '/v1/configs/webhook';

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

export interface TriggerStaticData {
	secret?: string;
	registration?: RegistrationRecord;
	dedupe?: unknown;
}

export type RegistrationMode = 'automatic' | 'manual';

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

// -----------------------------------------------------------------------------------------------
// Lifecycle (called by webhookMethods.default.*)
// -----------------------------------------------------------------------------------------------

interface Settings {
	mode: RegistrationMode;
	/** The node's Webhook Secret field, trimmed; '' when empty. */
	secretParameter: string;
}

function readSettings(context: IHookFunctions): Settings {
	const mode = context.getNodeParameter('registration', 'automatic') === 'manual' ? 'manual' : 'automatic';
	const raw = context.getNodeParameter('webhookSecret', '');
	return { mode, secretParameter: typeof raw === 'string' ? raw.trim() : '' };
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
