/**
 * Delivers webhook payloads to the configured URL like 360dialog does
 * (https://docs.360dialog.com/partner/messaging/receiving-messages-via-webhook): POST with the
 * configured headers, retry on non-2xx or connection errors with exponential backoff, one
 * delivery at a time in order (a slow endpoint delays everything after it).
 *
 * Additional webhooks of the number (`/multi_webhook`,
 * https://docs.360dialog.com/partner/messaging/receiving-messages-via-webhook/multiple-webhooks-per-phone-number)
 * get a copy only after the main webhook answered it with 2xx ("extra webhooks will only get these
 * notifications if the main destination successfully receives them"), one after the other, each
 * with the same retries. Assumption (not documented): with no main webhook set, nobody gets anything.
 *
 * Uses node:http without keep-alive so nothing lingers after a test.
 */
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WebhookConfig {
	url: string;
	/** Sent with every delivery, e.g. a shared secret the Trigger checks (https://docs.360dialog.com/docs/hub/webhook-url). */
	headers?: Record<string, string>;
}

/** One additional webhook of the number (`/multi_webhook` destinations). */
export interface WebhookDestination extends WebhookConfig {
	/** Case-sensitive, unique per number: the destination's ID. */
	name: string;
}

export interface WebhookRetrySettings {
	/** Attempts in total, including the first. */
	maxAttempts: number;
	/** Delay before the second attempt; doubles per attempt. */
	baseDelayMs: number;
	maxDelayMs: number;
	/** Per attempt (360dialog's documented hard limit is 5 s). */
	timeoutMs: number;
}

export interface DeliveryAttempt {
	attempt: number;
	at: string;
	/** The receiver's HTTP status; absent when the connection failed. */
	status?: number;
	error?: string;
	durationMs: number;
}

export interface DeliveryResult {
	id: number;
	kind: 'inbound' | 'status' | 'template';
	/** The URL used, or null when no webhook was configured. */
	url: string | null;
	delivered: boolean;
	attempts: DeliveryAttempt[];
	payload: unknown;
	/** Why nothing (more) was attempted: no webhook, or the emulator closed. */
	note?: string;
	/** Additional webhooks: the name of the destination this result is for (absent: the main webhook). */
	destination?: string;
	/** On the main webhook's result: what each additional webhook got (only after the main one answered 2xx). */
	extras?: DeliveryResult[];
}

export function backoffDelay(attempt: number, retry: WebhookRetrySettings): number {
	return Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
}

/** One POST; resolves with the status code as soon as the response head arrives. */
function postOnce(url: URL, headers: Record<string, string>, body: string, timeoutMs: number, signal: AbortSignal): Promise<number> {
	return new Promise((resolve, reject) => {
		const transport = url.protocol === 'https:' ? https : http;
		const request = transport.request(
			url,
			{
				method: 'POST',
				agent: false,
				signal,
				timeout: timeoutMs,
				headers: {
					'user-agent': '360dialog-emulator',
					...headers,
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body),
				},
			},
			(response) => {
				response.resume();
				resolve(response.statusCode ?? 0);
			},
		);
		request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		request.on('error', reject);
		request.end(body);
	});
}

export interface DispatcherOptions {
	config(): WebhookConfig | undefined;
	/** The additional webhooks that get a copy (empty while multi-webhook is off). */
	extras(): readonly WebhookDestination[];
	retry(): WebhookRetrySettings;
	onResult(result: DeliveryResult): void;
}

export class WebhookDispatcher {
	private tail: Promise<unknown> = Promise.resolve();
	private readonly aborter = new AbortController();
	private nextId = 1;

	constructor(private readonly options: DispatcherOptions) {}

	/** Queues a delivery behind the earlier ones and resolves when it has succeeded or given up. */
	deliver(kind: DeliveryResult['kind'], payload: unknown): Promise<DeliveryResult> {
		const id = this.nextId++;
		const run = this.tail.then(() => this.run(id, kind, payload));
		this.tail = run.catch(() => undefined);
		return run;
	}

	/** Resolves once every queued delivery (including ones queued meanwhile) has finished. */
	async idle(): Promise<void> {
		let tail: Promise<unknown>;
		do {
			tail = this.tail;
			await tail;
		} while (tail !== this.tail);
	}

	/** Stops retrying and aborts requests in flight. */
	close(): void {
		this.aborter.abort();
	}

	private async run(id: number, kind: DeliveryResult['kind'], payload: unknown): Promise<DeliveryResult> {
		// Read at delivery time: a delivery queued before the URL changed goes to the new URL, as live.
		const config = this.options.config();
		const result: DeliveryResult = { id, kind, url: config?.url || null, delivered: false, attempts: [], payload };
		if (!config?.url) {
			result.note = 'no webhook URL configured';
		} else {
			const body = JSON.stringify(payload);
			await this.attempt(result, config, body);
			const extras = result.delivered ? this.options.extras() : [];
			if (extras.length > 0) {
				result.extras = [];
				for (const destination of extras) {
					const extra: DeliveryResult = { id, kind, url: destination.url, delivered: false, attempts: [], payload, destination: destination.name };
					await this.attempt(extra, destination, body);
					result.extras.push(extra);
				}
			}
		}
		this.options.onResult(result);
		return result;
	}

	/** POSTs `body` to one receiver with the retry policy, recording every attempt on `result`. */
	private async attempt(result: DeliveryResult, config: WebhookConfig, body: string): Promise<void> {
		const retry = this.options.retry();
		const signal = this.aborter.signal;
		const url = new URL(config.url);
		for (let attempt = 1; attempt <= retry.maxAttempts && !signal.aborted; attempt++) {
			const started = Date.now();
			const record: DeliveryAttempt = { attempt, at: new Date(started).toISOString(), durationMs: 0 };
			try {
				record.status = await postOnce(url, config.headers ?? {}, body, retry.timeoutMs, signal);
			} catch (error) {
				record.error = (error as Error).message;
			}
			record.durationMs = Date.now() - started;
			result.attempts.push(record);
			if (record.status !== undefined && record.status >= 200 && record.status < 300) {
				result.delivered = true;
				break;
			}
			if (attempt < retry.maxAttempts) await sleep(backoffDelay(attempt, retry), undefined, { signal }).catch(() => undefined);
		}
		if (signal.aborted && !result.delivered) result.note = 'emulator closed';
	}
}
