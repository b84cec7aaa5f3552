/**
 * The shared secret that proves a webhook delivery comes from 360dialog: a custom header set when
 * the webhook URL is registered (`headers` in
 * https://docs.360dialog.com/docs/messaging-api/api-reference/webhooks), sent with every delivery.
 * 360dialog does not forward Meta's `X-Hub-Signature-256`, and its HMAC header
 * (https://docs.360dialog.com/partner/onboarding/webhook-events-and-setup/signature-validation)
 * needs a partner platform secret. Assumption: that HMAC header is not present on a direct
 * client's per-number webhooks, so it is not used.
 *
 * Pure module apart from `crypto` (allowed in community nodes). No n8n imports.
 */
import { createHash, randomBytes, timingSafeEqual } from 'crypto';

/** Header 360dialog is told to send with every delivery. Incoming header names arrive lower-cased. */
export const WEBHOOK_HEADER = 'X-360-Webhook-Secret';

/** Shortest secret accepted from the node's parameter (a generated one has 64 characters). */
export const MIN_SECRET_LENGTH = 16;

/** 256 random bits as 64 hex characters: header-safe, no quoting or encoding issues. */
export function generateSecret(): string {
	return randomBytes(32).toString('hex');
}

/** The secret header of a request, or undefined when missing, empty or sent more than once. */
export function readSecretHeader(headers: Record<string, unknown> | undefined): string | undefined {
	if (!headers) return undefined;
	const value = headers[WEBHOOK_HEADER.toLowerCase()];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Constant-time comparison. Both sides are hashed first, so `timingSafeEqual` always sees two
 * 32-byte buffers and the length of the expected secret does not leak either.
 */
export function secretsMatch(given: string | undefined, expected: string | undefined): boolean {
	if (given === undefined || expected === undefined || expected === '') return false;
	const a = createHash('sha256').update(given, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(a, b);
}

/** Why a secret typed into the node cannot be used, or undefined when it is fine. */
export function secretProblem(secret: string): string | undefined {
	if (secret.length < MIN_SECRET_LENGTH) return `The webhook secret must have at least ${MIN_SECRET_LENGTH} characters`;
	if (!/^[\x21-\x7e]+$/.test(secret)) return 'The webhook secret may only contain printable ASCII characters without spaces (it is sent as an HTTP header)';
	return undefined;
}
