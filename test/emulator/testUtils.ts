/**
 * Helpers for the emulator's own suites: an axios client bound to an emulator, a local webhook
 * receiver, and sample bodies.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import axios, { type AxiosInstance } from 'axios';

import { ENVELOPE, TO_WA_ID } from '../support/bodies';
import type { Emulator } from './index';

/** Never throws on HTTP status: tests assert on `status` and `data`. */
export function apiClient(emulator: Emulator, apiKey: string | null = emulator.apiKey): AxiosInstance {
	return axios.create({
		baseURL: emulator.url,
		headers: apiKey === null ? {} : { 'D360-API-KEY': apiKey },
		validateStatus: () => true,
	});
}

export function controlClient(emulator: Emulator): AxiosInstance {
	return axios.create({ baseURL: `${emulator.url}/_emulator`, validateStatus: () => true });
}

export const RECIPIENT = TO_WA_ID;

/** A message body of `type` to RECIPIENT (the canonical envelope of test/support/bodies.ts). */
export const envelope = (type: string, content: Record<string, unknown>): Record<string, unknown> => ({ ...ENVELOPE, type, ...content });

export interface ReceivedWebhook {
	headers: IncomingHttpHeaders;
	body: unknown;
	/** The request path, e.g. `/webhook` or `/webhook/extra` (one receiver can stand for several webhooks). */
	path: string;
}

/** A local webhook endpoint that records what it gets and answers with scripted statuses (then 200). */
export class WebhookReceiver {
	readonly received: ReceivedWebhook[] = [];
	private script: number[] = [];
	private waiters: Array<() => void> = [];
	private server!: Server;
	url = '';

	static async start(): Promise<WebhookReceiver> {
		const receiver = new WebhookReceiver();
		receiver.server = createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				const text = Buffer.concat(chunks).toString();
				receiver.received.push({ headers: request.headers, body: text ? JSON.parse(text) : undefined, path: request.url ?? '' });
				response.writeHead(receiver.script.shift() ?? 200).end();
				receiver.waiters.splice(0).forEach((wake) => wake());
			});
		});
		await new Promise<void>((done) => receiver.server.listen(0, '127.0.0.1', done));
		receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/webhook`;
		return receiver;
	}

	/** The next requests get these statuses, in order. */
	answerWith(...statuses: number[]): void {
		this.script = statuses;
	}

	/** Resolves once `count` webhooks have arrived in total. */
	async waitFor(count: number, timeoutMs = 5000): Promise<ReceivedWebhook[]> {
		const deadline = Date.now() + timeoutMs;
		while (this.received.length < count) {
			if (Date.now() > deadline) throw new Error(`expected ${count} webhooks, got ${this.received.length}`);
			await new Promise<void>((wake) => {
				this.waiters.push(wake);
				setTimeout(wake, 50);
			});
		}
		return this.received;
	}

	clear(): void {
		this.received.length = 0;
		this.script = [];
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((done) => this.server.close(() => done()));
	}
}
