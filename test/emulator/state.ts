/**
 * Everything the emulator remembers, and the behaviour switches tests can flip at run time.
 * Both the HTTP control API (/_emulator/*) and the programmatic handle work on this one object.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { AccountState } from './accountState';
import type { GatewayErrorShape } from './errors';
import { Faults } from './faults';
import type { MediaStore } from './mediaStore';
import { cloneTemplates, type MessageTemplate } from './templates';
import { WebhookDispatcher, type DeliveryResult, type WebhookConfig, type WebhookDestination, type WebhookRetrySettings } from './webhookDelivery';
import {
	freshenPayload,
	inboundSenders,
	inboundTextPayload,
	loadWebhookFixture,
	statusPayload,
	templateStatusPayload,
	type DeliveryStatus,
	type InboundTextInput,
	type PricingCategory,
} from './webhookPayloads';

// -----------------------------------------------------------------------------------------------
// Settings
// -----------------------------------------------------------------------------------------------

export interface EmulatorSettings {
	/** Send sent → delivered → read (or failed 131047) webhooks after each accepted message. Off by default so tests are deterministic. */
	autoStatuses: boolean;
	/** Pause before each automatic status (sent, delivered, read), to mimic real timing. */
	statusDelayMs: number;
	/** How long a media download URL works (Meta: 5 minutes). */
	mediaUrlTtlMs: number;
	webhookRetry: WebhookRetrySettings;
	/**
	 * `GET /v1/configs/webhook` with nothing set: 200 `{"url": ""}` or 404. Assumption: the live API
	 * answers one of the two; 360dialog does not document which.
	 */
	unsetWebhookResponse: 'empty-url' | 'not-found';
	/** Body of 360dialog's own errors (401 etc.), see errors.ts. */
	gatewayErrorShape: GatewayErrorShape;
	/** Encoding of `sha256` in `GET /{media-id}`. Webhook fixtures use base64. */
	sha256Encoding: 'base64' | 'hex';
	/** What `GET /health_status` reports. */
	healthStatus: 'AVAILABLE' | 'LIMITED' | 'BLOCKED';
	/** Enforce 360dialog's webhook URL rules (HTTPS, no port, no "_" in the host). Off so tests can use http://127.0.0.1:port. */
	strictWebhookUrl: boolean;
	/**
	 * What happens to a template created with `POST /v1/configs/templates`: it starts PENDING, then is
	 * approved or rejected after `templateReviewDelayMs` (with a `message_template_status_update`
	 * webhook), or stays PENDING until `POST /_emulator/templates/status` decides ('manual').
	 */
	templateReview: 'approve' | 'reject' | 'manual';
	templateReviewDelayMs: number;
	/** Request log size (oldest dropped first). */
	maxRecordedRequests: number;
	/** Size of the accepted-message and webhook-delivery logs (oldest dropped first). */
	maxRecordedMessages: number;
	/**
	 * Most additional webhooks (`/multi_webhook` destinations) per number. 360dialog: "a maximum of 3 unique
	 * webhooks"; whether the main webhook counts is not said (open question), so 3 destinations by default.
	 */
	maxMultiWebhookDestinations: number;
	/**
	 * Whether the number accepted the Marketing Messages API terms; when not, `POST /marketing_messages`
	 * answers 131055 as 360dialog documents for MM Lite.
	 */
	marketingMessagesOnboarded: boolean;
}

export const DEFAULT_SETTINGS: EmulatorSettings = {
	autoStatuses: false,
	statusDelayMs: 0,
	mediaUrlTtlMs: 5 * 60 * 1000,
	webhookRetry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000, timeoutMs: 5000 },
	unsetWebhookResponse: 'empty-url',
	gatewayErrorShape: 'error-string',
	sha256Encoding: 'base64',
	healthStatus: 'AVAILABLE',
	strictWebhookUrl: false,
	templateReview: 'approve',
	templateReviewDelayMs: 0,
	maxRecordedRequests: 1000,
	maxRecordedMessages: 100_000,
	maxMultiWebhookDestinations: 3,
	marketingMessagesOnboarded: true,
};

export type SettingsPatch = Partial<Omit<EmulatorSettings, 'webhookRetry'>> & { webhookRetry?: Partial<WebhookRetrySettings> };

const CHOICES: Partial<Record<keyof EmulatorSettings, readonly string[]>> = {
	unsetWebhookResponse: ['empty-url', 'not-found'],
	gatewayErrorShape: ['error-string', 'meta', 'meta-snake'],
	sha256Encoding: ['base64', 'hex'],
	healthStatus: ['AVAILABLE', 'LIMITED', 'BLOCKED'],
	templateReview: ['approve', 'reject', 'manual'],
};

/** Merges a partial update, rejecting unknown keys and wrong types with a readable Error. */
export function mergeSettings(current: EmulatorSettings, patch: unknown): EmulatorSettings {
	if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new Error('settings must be a JSON object');
	const next: EmulatorSettings = { ...current, webhookRetry: { ...current.webhookRetry } };
	for (const [key, value] of Object.entries(patch)) {
		if (value === undefined) continue; // `{ autoStatuses: undefined }` means "leave as is"
		if (!(key in DEFAULT_SETTINGS)) throw new Error(`unknown setting "${key}"; known: ${Object.keys(DEFAULT_SETTINGS).join(', ')}`);
		const name = key as keyof EmulatorSettings;
		if (name === 'webhookRetry') {
			if (typeof value !== 'object' || value === null) throw new Error('webhookRetry must be an object');
			for (const [retryKey, retryValue] of Object.entries(value)) {
				if (!(retryKey in current.webhookRetry)) throw new Error(`unknown webhookRetry setting "${retryKey}"`);
				if (!Number.isInteger(retryValue) || (retryValue as number) < 0) throw new Error(`webhookRetry.${retryKey} must be a non-negative integer`);
				next.webhookRetry[retryKey as keyof WebhookRetrySettings] = retryValue as number;
			}
			if (next.webhookRetry.maxAttempts < 1) throw new Error('webhookRetry.maxAttempts must be at least 1');
			continue;
		}
		const expected = typeof DEFAULT_SETTINGS[name];
		if (typeof value !== expected) throw new Error(`${key} must be a ${expected}`);
		if (expected === 'number' && (!Number.isInteger(value) || (value as number) < 0)) throw new Error(`${key} must be a non-negative integer`);
		const choices = CHOICES[name];
		if (choices && !choices.includes(value as string)) throw new Error(`${key} must be one of ${choices.join(', ')}`);
		(next as unknown as Record<string, unknown>)[name] = value;
	}
	return next;
}

/** What to deliver as an inbound webhook: exactly one of `payload`, `fixture` or `text`. */
export interface InboundRequest {
	/** Any payload, sent as is. */
	payload?: unknown;
	/** A file of test/fixtures/webhooks, by name: "message-text". */
	fixture?: string;
	/** With `fixture`: new message IDs and timestamps, so the receiver does not see a duplicate. */
	fresh?: boolean;
	/** A generated text message from this user. */
	text?: InboundTextInput;
}

export interface InboundResult {
	payload: unknown;
	delivery: DeliveryResult;
}

// -----------------------------------------------------------------------------------------------
// Records
// -----------------------------------------------------------------------------------------------

export interface RecordedRequest {
	seq: number;
	at: string;
	method: string;
	/** Path with query string, as requested. */
	url: string;
	/** The API key is replaced by "REDACTED". */
	headers: Record<string, string | string[] | undefined>;
	/** JSON bodies only. */
	body?: unknown;
	/** Absent while in flight, and for dropped connections. */
	statusCode?: number;
	dropped?: boolean;
}

export interface RecordedMessage {
	/** The wamid the emulator assigned; null for mark-as-read. */
	wamid: string | null;
	kind: 'message' | 'mark_read';
	/** `/messages` or `/v1/messages`. */
	path: string;
	receivedAt: string;
	/** Exactly as received. */
	body: unknown;
	/** Canonical recipient (`contacts[0].wa_id` of the answer), if sent to a phone number. */
	waId?: string;
	/** BSUID recipient, if sent with `recipient`. */
	userId?: string;
	/** Group recipient (`recipient_type: "group"`), its group ID. */
	groupId?: string;
	/** Pricing category of the statuses: the template's category, or service for free-form. */
	category: PricingCategory;
	/** Statuses queued for the webhook so far, in order. */
	statuses: DeliveryStatus[];
}

const REDACTED_HEADERS = new Set(['d360-api-key', 'authorization']);

/** Free-form messages need an inbound message from the user within the last 24 hours (otherwise 131047). */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The number's additional webhooks (`GET /multi_webhook`). */
export interface MultiWebhookState {
	enabled: boolean;
	destinations: WebhookDestination[];
}

export class EmulatorState {
	settings: EmulatorSettings;
	templates: MessageTemplate[];
	webhook: WebhookConfig | undefined;
	multiWebhook: MultiWebhookState = { enabled: false, destinations: [] };
	readonly apiKeys: ReadonlySet<string>;
	readonly requests: RecordedRequest[] = [];
	readonly messages: RecordedMessage[] = [];
	readonly deliveries: DeliveryResult[] = [];
	readonly faults = new Faults();
	readonly account = new AccountState();
	readonly dispatcher: WebhookDispatcher;
	/** wa_id or BSUID → time of the user's last inbound message. */
	private readonly windows = new Map<string, number>();
	private readonly conversations = new Map<string, { id: string; expires: number }>();
	private readonly byWamid = new Map<string, RecordedMessage>();
	private readonly instance = randomBytes(4).toString('hex').toUpperCase();
	private requestSeq = 0;
	private messageSeq = 0;
	private conversationSeq = 0;
	private readonly pendingEmissions = new Set<Promise<void>>();

	constructor(
		apiKeys: string[],
		private readonly initialSettings: EmulatorSettings,
		private readonly initialTemplates: readonly MessageTemplate[],
		readonly media: MediaStore,
	) {
		this.apiKeys = new Set(apiKeys);
		this.settings = initialSettings;
		this.templates = cloneTemplates(initialTemplates);
		this.dispatcher = new WebhookDispatcher({
			config: () => this.webhook,
			extras: () => (this.multiWebhook.enabled ? this.multiWebhook.destinations : []),
			retry: () => this.settings.webhookRetry,
			onResult: (result) => {
				this.deliveries.push(result);
				const excess = this.deliveries.length - this.settings.maxRecordedMessages;
				if (excess > 0) this.deliveries.splice(0, excess);
			},
		});
	}

	/** Unique per emulator; base64 like Meta's, and decodable for debugging. */
	newWamid(direction: 'in' | 'out', party: string): string {
		const blob = `${party}|${direction === 'out' ? 'FAKEOUTBOUND' : 'FAKEINBOUND'}|${this.instance}|${++this.messageSeq}`;
		return `wamid.${Buffer.from(blob).toString('base64')}`;
	}

	recordRequest(method: string, url: string, headers: Record<string, string | string[] | undefined>): RecordedRequest {
		const safe: RecordedRequest['headers'] = {};
		for (const [name, value] of Object.entries(headers)) safe[name] = REDACTED_HEADERS.has(name) ? 'REDACTED' : value;
		const record: RecordedRequest = { seq: ++this.requestSeq, at: new Date().toISOString(), method, url, headers: safe };
		this.requests.push(record);
		if (this.requests.length > this.settings.maxRecordedRequests) this.requests.splice(0, this.requests.length - this.settings.maxRecordedRequests);
		return record;
	}

	recordMessage(message: RecordedMessage): void {
		this.messages.push(message);
		if (message.wamid) this.byWamid.set(message.wamid, message);
		if (this.messages.length > this.settings.maxRecordedMessages) {
			for (const dropped of this.messages.splice(0, this.messages.length - this.settings.maxRecordedMessages)) {
				if (dropped.wamid) this.byWamid.delete(dropped.wamid);
			}
		}
	}

	findMessage(wamid: string): RecordedMessage | undefined {
		return this.byWamid.get(wamid);
	}

	openWindow(party: string, at = Date.now()): void {
		this.windows.set(party, at);
	}

	hasOpenWindow(party: string | undefined, now = Date.now()): boolean {
		const since = party === undefined ? undefined : this.windows.get(party);
		return since !== undefined && now - since < SERVICE_WINDOW_MS && since <= now;
	}

	/**
	 * Delivers an inbound payload now (behind earlier deliveries) and resolves with the outcome.
	 * Every sender in it gets an open customer-service window. Throws on a malformed request.
	 */
	async deliverInbound(request: InboundRequest): Promise<InboundResult> {
		const given = (['payload', 'fixture', 'text'] as const).filter((key) => request?.[key] !== undefined);
		if (given.length !== 1) throw new Error('give exactly one of payload, fixture or text');
		let payload: unknown;
		if (request.payload !== undefined) {
			payload = request.payload;
		} else if (request.fixture !== undefined) {
			if (typeof request.fixture !== 'string') throw new Error('fixture must be a file name such as "message-text"');
			payload = loadWebhookFixture(request.fixture);
			if (request.fresh) payload = freshenPayload(payload, (from) => this.newWamid('in', from));
		} else {
			const text = request.text as InboundTextInput;
			if (typeof text?.from !== 'string' || typeof text.text !== 'string') throw new Error('text needs "from" (a wa_id) and "text"');
			payload = inboundTextPayload(text, this.newWamid('in', text.from));
		}
		for (const sender of inboundSenders(payload)) this.openWindow(sender);
		return { payload, delivery: await this.dispatcher.deliver('inbound', payload) };
	}

	/** Sends one status of a recorded message to the webhook. */
	async emitStatus(message: RecordedMessage, status: DeliveryStatus, errorCode?: number): Promise<DeliveryResult> {
		const payload = statusPayload({
			messageId: message.wamid ?? '',
			status,
			waId: message.waId,
			userId: message.userId,
			groupId: message.groupId,
			category: message.category,
			conversationId: this.conversationId(message.waId ?? message.userId ?? message.groupId ?? '', message.category),
			bizOpaqueCallbackData: (message.body as { biz_opaque_callback_data?: string }).biz_opaque_callback_data,
			errorCode,
		});
		message.statuses.push(status);
		return this.dispatcher.deliver('status', payload);
	}

	/**
	 * What WhatsApp would report for a message just accepted: sent, delivered, read; or failed with
	 * 131047 for a free-form message outside the customer-service window (templates always pass).
	 */
	emitAutomaticStatuses(message: RecordedMessage): Promise<void> {
		// Tracked so idle() also waits for statuses still sleeping out statusDelayMs.
		const run = this.runAutomaticStatuses(message).finally(() => this.pendingEmissions.delete(run));
		this.pendingEmissions.add(run);
		return run;
	}

	/** Starts the review of a template just created, as `settings.templateReview` says. */
	reviewTemplate(template: MessageTemplate): void {
		const { templateReview, templateReviewDelayMs } = this.settings;
		if (templateReview === 'manual') return;
		const run = (async () => {
			await sleep(templateReviewDelayMs); // at least a turn: the create answer says PENDING
			if (!this.templates.includes(template)) return; // deleted meanwhile
			await this.setTemplateStatus(template, templateReview === 'approve' ? 'APPROVED' : 'REJECTED', templateReview === 'reject' ? 'INVALID_FORMAT' : undefined);
		})().finally(() => this.pendingEmissions.delete(run));
		this.pendingEmissions.add(run);
	}

	/** Changes a template's status and sends the `message_template_status_update` webhook. */
	async setTemplateStatus(template: MessageTemplate, status: MessageTemplate['status'], reason?: string): Promise<DeliveryResult> {
		template.status = status;
		if (status === 'REJECTED') template.rejected_reason = reason ?? 'INVALID_FORMAT';
		else delete template.rejected_reason;
		const payload = templateStatusPayload({ id: template.id, name: template.name, language: template.language, category: template.category, event: status, reason: status === 'REJECTED' ? template.rejected_reason : undefined });
		return await this.dispatcher.deliver('template', payload);
	}

	/** Resolves when no automatic status is pending and no webhook delivery is queued or running. */
	async idle(): Promise<void> {
		while (this.pendingEmissions.size > 0) await Promise.all(this.pendingEmissions);
		await this.dispatcher.idle();
	}

	private async runAutomaticStatuses(message: RecordedMessage): Promise<void> {
		const isTemplate = (message.body as { type?: string }).type === 'template';
		// API assumption 30: a group has no customer-service window to check (none is documented for groups).
		if (!isTemplate && message.groupId === undefined && !this.hasOpenWindow(message.waId ?? message.userId)) {
			await this.emitStatus(message, 'failed', 131047);
			return;
		}
		for (const status of ['sent', 'delivered', 'read'] as const) {
			if (this.settings.statusDelayMs > 0) await sleep(this.settings.statusDelayMs);
			void this.emitStatus(message, status);
		}
	}

	private conversationId(party: string, category: PricingCategory): string {
		const key = `${party}|${category}`;
		const now = Date.now();
		let conversation = this.conversations.get(key);
		if (!conversation || conversation.expires <= now) {
			conversation = { id: `EMUCONV${this.instance}${(++this.conversationSeq).toString(16).padStart(8, '0')}`, expires: now + SERVICE_WINDOW_MS };
			this.conversations.set(key, conversation);
		}
		return conversation.id;
	}

	/** Back to the state right after start (settings and templates included); uploaded media files go, the inbound media are back. */
	async reset(): Promise<void> {
		this.settings = this.initialSettings;
		this.templates = cloneTemplates(this.initialTemplates);
		this.webhook = undefined;
		this.multiWebhook = { enabled: false, destinations: [] };
		this.requests.length = 0;
		this.messages.length = 0;
		this.deliveries.length = 0;
		this.byWamid.clear();
		this.windows.clear();
		this.conversations.clear();
		this.faults.clear();
		this.account.reset();
		await this.media.clear();
	}
}
