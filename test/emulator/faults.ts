/**
 * Fault injection for API paths (never for /_emulator): answer the next N requests with a status,
 * add latency, drop connections without answering, and rate-limit /messages with a token bucket.
 */

export interface FaultRequest {
	/** Answer the next `count` matching requests with this HTTP status (body chosen per status unless `body` is given). */
	status?: number;
	count?: number;
	/** Seconds, sent as `Retry-After` with `status`. */
	retryAfter?: number;
	body?: unknown;
	/** Only requests whose path starts with this (e.g. "/messages"); default: every API path. */
	path?: string;
	/** Let this many matching requests through before the status (or dropped connection) applies: "fail the 2nd message" is `after: 1`. */
	after?: number;
	/** Added to every API request until set to 0. */
	latencyMs?: number;
	/**
	 * Token bucket on POST /messages and /v1/messages: `true` = 50 rps, burst 150 (360dialog's old
	 * On-Premise request limits, a sane client-side cap; the Cloud API allows 80 messages/s per number,
	 * https://docs.360dialog.com/partner/messaging/sending-and-receiving-messages/higher-throughput); `false` = off.
	 */
	rateLimit?: boolean | { rps?: number; burst?: number };
	/** Destroy the socket of the next N matching requests without answering. */
	dropConnection?: number;
	/**
	 * WhatsApp's pair rate limit on sends to one recipient: one message per `intervalMs` with a burst
	 * of `burst` borrowed from later (Meta: one every 6 s, bursts up to 45,
	 * https://developers.facebook.com/docs/whatsapp/cloud-api/overview#pair-rate-limits); going over
	 * answers Graph 131056. `true` = Meta's figures; `false` = off (the default, so tests that send
	 * many messages to one test number stay fast). Benchmarks scale `intervalMs` down.
	 */
	pairRateLimit?: boolean | { intervalMs?: number; burst?: number };
}

export interface StatusFault {
	status: number;
	remaining: number;
	/** Matching requests still let through before this fault applies. */
	after?: number;
	retryAfter?: number;
	body?: unknown;
	path?: string;
}

export interface DropFault {
	remaining: number;
	after?: number;
	path?: string;
}

export interface FaultSnapshot {
	statuses: StatusFault[];
	drops: DropFault[];
	latencyMs: number;
	rateLimit: { rps: number; burst: number } | null;
	pairRateLimit: { intervalMs: number; burst: number } | null;
}

export const DEFAULT_RATE_LIMIT = { rps: 50, burst: 150 };
export const DEFAULT_PAIR_RATE_LIMIT = { intervalMs: 6000, burst: 45 };

/** Paths the rate limit applies to. */
const SEND_PATHS = new Set(['/messages', '/v1/messages']);

class TokenBucket {
	private tokens: number;
	private last = Date.now();

	constructor(
		readonly rps: number,
		readonly burst: number,
	) {
		this.tokens = burst;
	}

	take(now = Date.now()): boolean {
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rps) / 1000);
		this.last = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}

const positiveInteger = (value: unknown, name: string): number => {
	if (!Number.isInteger(value) || (value as number) < 0) throw new Error(`${name} must be a non-negative integer`);
	return value as number;
};

const matches = (fault: { path?: string }, path: string): boolean => fault.path === undefined || path.startsWith(fault.path);

export class Faults {
	private statuses: StatusFault[] = [];
	private drops: DropFault[] = [];
	private latency = 0;
	private bucket: TokenBucket | null = null;
	private pairLimit: { intervalMs: number; burst: number } | null = null;
	/** One bucket per recipient while the pair rate limit is on. */
	private pairBuckets = new Map<string, TokenBucket>();

	/** Adds faults; throws a readable Error on a bad request (the control API answers 400 with it). */
	apply(request: FaultRequest): void {
		if (typeof request !== 'object' || request === null) throw new Error('the fault request must be a JSON object');
		if (request.path !== undefined && typeof request.path !== 'string') throw new Error('path must be a string');
		const after = request.after === undefined ? undefined : positiveInteger(request.after, 'after') || undefined;
		if (request.status !== undefined) {
			const status = positiveInteger(request.status, 'status');
			if (status < 100 || status > 599) throw new Error('status must be an HTTP status (100-599)');
			const retryAfter = request.retryAfter === undefined ? undefined : positiveInteger(request.retryAfter, 'retryAfter');
			const count = positiveInteger(request.count ?? 1, 'count');
			if (count > 0) this.statuses.push({ status, remaining: count, retryAfter, body: request.body, path: request.path, after });
		}
		if (request.dropConnection !== undefined) {
			const count = positiveInteger(request.dropConnection, 'dropConnection');
			if (count > 0) this.drops.push({ remaining: count, path: request.path, after });
		}
		if (request.latencyMs !== undefined) this.latency = positiveInteger(request.latencyMs, 'latencyMs');
		if (request.rateLimit !== undefined) {
			const limit = request.rateLimit;
			if (limit === false) this.bucket = null;
			else {
				const options = limit === true ? {} : limit;
				this.bucket = new TokenBucket(options.rps ?? DEFAULT_RATE_LIMIT.rps, options.burst ?? DEFAULT_RATE_LIMIT.burst);
			}
		}
		if (request.pairRateLimit !== undefined) {
			const limit = request.pairRateLimit;
			this.pairBuckets.clear();
			if (limit === false) this.pairLimit = null;
			else {
				const options = limit === true ? {} : limit;
				const intervalMs = positiveInteger(options.intervalMs ?? DEFAULT_PAIR_RATE_LIMIT.intervalMs, 'pairRateLimit.intervalMs');
				const burst = positiveInteger(options.burst ?? DEFAULT_PAIR_RATE_LIMIT.burst, 'pairRateLimit.burst');
				if (intervalMs === 0 || burst === 0) throw new Error('pairRateLimit.intervalMs and pairRateLimit.burst must be at least 1');
				this.pairLimit = { intervalMs, burst };
			}
		}
	}

	clear(): void {
		this.statuses = [];
		this.drops = [];
		this.latency = 0;
		this.bucket = null;
		this.pairLimit = null;
		this.pairBuckets.clear();
	}

	snapshot(): FaultSnapshot {
		return {
			statuses: this.statuses.map((fault) => ({ ...fault })),
			drops: this.drops.map((fault) => ({ ...fault })),
			latencyMs: this.latency,
			rateLimit: this.bucket && { rps: this.bucket.rps, burst: this.bucket.burst },
			pairRateLimit: this.pairLimit && { ...this.pairLimit },
		};
	}

	get latencyMs(): number {
		return this.latency;
	}

	/** Consumes one drop for this path, if any is pending. */
	takeDrop(path: string): boolean {
		return this.take(this.drops, path) !== undefined;
	}

	/** Consumes one status fault for this path, if any is pending (first added, first used). */
	takeStatus(path: string): StatusFault | undefined {
		return this.take(this.statuses, path);
	}

	/** True when the request must be refused by the rate limiter. */
	rateLimited(method: string, path: string): boolean {
		return this.bucket !== null && method === 'POST' && SEND_PATHS.has(path) && !this.bucket.take();
	}

	/** True when a message to this recipient (phone number, BSUID or group) goes over the pair rate limit. */
	pairRateLimited(recipient: string): boolean {
		if (this.pairLimit === null) return false;
		let bucket = this.pairBuckets.get(recipient);
		if (!bucket) {
			bucket = new TokenBucket(1000 / this.pairLimit.intervalMs, this.pairLimit.burst);
			this.pairBuckets.set(recipient, bucket);
		}
		return !bucket.take();
	}

	private take<T extends { remaining: number; path?: string; after?: number }>(queue: T[], path: string): T | undefined {
		const index = queue.findIndex((fault) => fault.remaining > 0 && matches(fault, path));
		if (index === -1) return undefined;
		const fault = queue[index];
		if (fault.after) {
			fault.after--;
			return undefined;
		}
		fault.remaining--;
		if (fault.remaining === 0) queue.splice(index, 1);
		return fault;
	}
}
