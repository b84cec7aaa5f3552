/**
 * A local 360dialog (WhatsApp Cloud API) emulator for tests, benchmarks and end-to-end runs.
 *
 *   const emulator = await startEmulator();            // 127.0.0.1, ephemeral port, key "test-key"
 *   await axios.post(`${emulator.url}/messages`, body, { headers: { 'D360-API-KEY': emulator.apiKey } });
 *   expect(emulator.messages()[0].body).toEqual(body);
 *   await emulator.close();
 *
 * What it serves, and the control API under /_emulator, is described in README.md beside this file.
 */
import type { AddressInfo } from 'node:net';

import { warmUpMetaSpec } from '../support/metaSpec';
import { buildApp } from './app';
import type { FaultRequest, FaultSnapshot } from './faults';
import { MediaStore, type InboundMediaFile } from './mediaStore';
import {
	DEFAULT_SETTINGS,
	EmulatorState,
	mergeSettings,
	type EmulatorSettings,
	type InboundRequest,
	type InboundResult,
	type MultiWebhookState,
	type RecordedMessage,
	type RecordedRequest,
	type SettingsPatch,
} from './state';
import { TEMPLATES, type MessageTemplate } from './templates';
import type { DeliveryResult, WebhookConfig } from './webhookDelivery';
import { fixtureMediaFiles, type DeliveryStatus } from './webhookPayloads';

export type { EmulatorSettings, InboundRequest, InboundResult, MultiWebhookState, RecordedMessage, RecordedRequest, SettingsPatch } from './state';
export type { FaultRequest, FaultSnapshot } from './faults';
export type { DeliveryAttempt, DeliveryResult, WebhookConfig, WebhookDestination, WebhookRetrySettings } from './webhookDelivery';
export type { DeliveryStatus, FixtureMediaFile, FixtureMediaReference } from './webhookPayloads';
export type { InboundMediaFile, StoredMedia } from './mediaStore';
export type { MessageTemplate, TemplateButton, TemplateComponentDefinition } from './templates';
export { TEMPLATES } from './templates';
export { BUSINESS } from './webhookPayloads';
export { SEND_LIMITS } from './sendRules';
export { MEDIA_LIMITS } from './mediaStore';

export const DEFAULT_API_KEY = 'test-key';

export interface StartEmulatorOptions extends SettingsPatch {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Loopback only, on purpose. */
	host?: '127.0.0.1';
	/** Keys accepted in `D360-API-KEY`; default ["test-key"]. */
	apiKeys?: string[];
	/** The template store; default `TEMPLATES`. */
	templates?: readonly MessageTemplate[];
	/** Webhook config at start (as if set with `POST /v1/configs/webhook`). */
	webhook?: WebhookConfig;
	/**
	 * Media of inbound messages, known from the start (and after reset): by default the files of
	 * test/fixtures/media behind the media IDs of the webhook fixtures, so a workflow can download the media
	 * of a delivered fixture. `[]` for none.
	 */
	inboundMedia?: readonly InboundMediaFile[];
}

export interface Emulator {
	/** `http://127.0.0.1:<port>`: use as the credential's base URL. */
	readonly url: string;
	readonly port: number;
	/** The first accepted key. */
	readonly apiKey: string;
	readonly apiKeys: readonly string[];
	/** Live state, for anything the methods below do not cover. */
	readonly state: EmulatorState;

	/** API requests seen (API key redacted), oldest first; bounded by `maxRecordedRequests`. */
	requests(): readonly RecordedRequest[];
	/** Accepted messages and mark-as-read calls, bodies exactly as received. */
	messages(): readonly RecordedMessage[];
	/** Webhook deliveries that finished (delivered or given up). */
	deliveries(): readonly DeliveryResult[];
	webhook(): WebhookConfig | undefined;
	setWebhook(config: WebhookConfig | undefined): void;
	/** The number's additional webhooks (`GET /multi_webhook`), live. */
	multiWebhook(): MultiWebhookState;
	/** Same body as `POST /_emulator/faults`. */
	injectFaults(request: FaultRequest): FaultSnapshot;
	clearFaults(): void;
	readonly settings: EmulatorSettings;
	configure(patch: SettingsPatch): EmulatorSettings;
	/** The live template store (replace entries or push new ones freely). */
	templates: MessageTemplate[];
	/** Same as `POST /_emulator/inbound`. */
	deliverInbound(request: InboundRequest): Promise<InboundResult>;
	/** Sends one status webhook for an accepted message. */
	emitStatus(wamid: string, status: DeliveryStatus, errorCode?: number): Promise<DeliveryResult>;
	/** Opens the 24 h customer-service window for a wa_id/BSUID, as an inbound message would. */
	openConversation(party: string, openedAt?: number): void;
	/** Makes every media URL handed out so far expire now. */
	expireMediaUrls(): number;
	/** Successful `POST /media` uploads since start or the last reset (as `GET /_emulator/media` → `uploads`). */
	mediaUploads(): number;
	/** Resolves when no automatic status is pending and no webhook delivery is queued or running. */
	idle(): Promise<void>;
	/** Back to the state after start: clears records, webhook, faults, windows and uploaded media; restores settings, templates and the inbound media. */
	reset(): Promise<void>;
	close(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
	const { port = 0, host = '127.0.0.1', apiKeys = [DEFAULT_API_KEY], templates = TEMPLATES, webhook, inboundMedia, ...settingsPatch } = options;
	if (host !== '127.0.0.1') throw new Error('the emulator only listens on 127.0.0.1');
	if (apiKeys.length === 0) throw new Error('apiKeys must not be empty');
	const settings = mergeSettings(DEFAULT_SETTINGS, settingsPatch);
	// Compile every schema before the first request, so benchmarks do not time it.
	warmUpMetaSpec();

	const media = await MediaStore.create(inboundMedia ?? fixtureMediaFiles());
	const state = new EmulatorState(apiKeys, settings, templates, media);
	state.webhook = webhook;
	let url = '';
	const app = buildApp(state, () => url);
	try {
		await app.listen({ port, host });
	} catch (error) {
		await media.close();
		throw error;
	}
	const actualPort = (app.server.address() as AddressInfo).port;
	url = `http://${host}:${actualPort}`;

	let closed: Promise<void> | undefined;
	return {
		url,
		port: actualPort,
		apiKey: apiKeys[0],
		apiKeys: [...apiKeys],
		state,
		requests: () => state.requests,
		messages: () => state.messages,
		deliveries: () => state.deliveries,
		webhook: () => state.webhook,
		setWebhook: (config) => {
			state.webhook = config;
		},
		multiWebhook: () => state.multiWebhook,
		injectFaults: (request) => {
			state.faults.apply(request);
			return state.faults.snapshot();
		},
		clearFaults: () => state.faults.clear(),
		get settings() {
			return state.settings;
		},
		configure: (patch) => (state.settings = mergeSettings(state.settings, patch)),
		get templates() {
			return state.templates;
		},
		set templates(next: MessageTemplate[]) {
			state.templates = next;
		},
		deliverInbound: (request) => state.deliverInbound(request),
		emitStatus: (wamid, status, errorCode) => {
			const message = state.findMessage(wamid);
			if (!message) return Promise.reject(new Error(`no accepted message with id ${wamid}`));
			return state.emitStatus(message, status, errorCode);
		},
		openConversation: (party, openedAt) => state.openWindow(party, openedAt),
		expireMediaUrls: () => state.media.expireUrls(),
		mediaUploads: () => state.media.uploads,
		idle: () => state.idle(),
		reset: () => state.reset(),
		close: () => {
			closed ??= (async () => {
				state.dispatcher.close();
				await app.close();
				await media.close();
			})();
			return closed;
		},
	};
}
