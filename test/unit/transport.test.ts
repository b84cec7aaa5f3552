/**
 * Transport, the pure parts: error mapping of both documented body shapes (and every error fixture)
 * and the retry policy. The requests themselves, inside n8n-core's engine against a scripted
 * server: test/integration/transport.test.ts.
 */
import { readdirSync } from 'node:fs';

import { describeApiError, parseErrorBody } from '../../nodes/common/errors';
import { apiPath, backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, resolveBaseUrl } from '../../nodes/common/transport';
import { ERROR_FIXTURES_DIR, loadErrorFixture } from '../support/fixtures';

describe('error mapping (pure)', () => {
	const fixtures = readdirSync(ERROR_FIXTURES_DIR).filter((file) => file.endsWith('.json'));

	it('covers every error fixture', () => {
		expect(fixtures.sort()).toEqual([
			'graph-130429-rate-limit-hit.json',
			'graph-131009-parameter-value-not-valid.json',
			'graph-132001-template-does-not-exist.json',
		]);
	});

	it.each([
		[
			'graph-131009-parameter-value-not-valid.json',
			400,
			'WhatsApp error 131009: Parameter value is not valid. A field value is not valid. The details say which one; fix the input and send again.',
			'Details: Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: 3',
		],
		[
			'graph-132001-template-does-not-exist.json',
			404,
			'WhatsApp error 132001: Template name does not exist in the translation. Template "order_update" does not exist in this language or is not approved. Check the exact name and the language code (for example "en" vs "en_US").',
			'Details: template name (order_update) does not exist in de',
		],
		[
			'graph-130429-rate-limit-hit.json',
			429,
			'WhatsApp error 130429: Rate limit hit. The WhatsApp rate limit was hit. Lower the send rate (Options → Messages per Second) or try again shortly.',
			'Details: Cloud API message throughput has been reached.',
		],
	])('%s maps to a message that names the code and says what to do', (file, status, message, details) => {
		const parsed = parseErrorBody(loadErrorFixture(file), status);
		const described = describeApiError(parsed, { templateName: 'order_update' });
		expect(described.message).toBe(message);
		expect(described.description).toContain(details);
		expect(described.description).toContain(`HTTP status: ${status}`);
	});

	it.each([
		[{ error: 'Invalid api_key' }, 401, '360dialog error (HTTP 401): Invalid api_key. The API key was rejected. Check the key in the 360dialog credential (and that the environment, Production or Sandbox, matches the key).'],
		[{ meta: { httpCode: 401, developerMessage: 'Invalid api_key or token expired', success: false } }, 401, '360dialog error (HTTP 401): Invalid api_key or token expired. The API key was rejected. Check the key in the 360dialog credential (and that the environment, Production or Sandbox, matches the key).'],
		[{ meta: { http_code: 400, developer_message: 'You have exceeded the endpoint rate limit.', success: false } }, 400, '360dialog error (HTTP 400): You have exceeded the endpoint rate limit.'],
		[{ error: 'WhatsApp for Business API not available' }, 502, '360dialog error (HTTP 502): WhatsApp for Business API not available. 360dialog or WhatsApp had a server problem. Try again later; if it persists, check the 360dialog status page.'],
		['<html>Bad Gateway</html>', 502, '360dialog error (HTTP 502): <html>Bad Gateway</html>. 360dialog or WhatsApp had a server problem. Try again later; if it persists, check the 360dialog status page.'],
		['', 503, '360dialog error (HTTP 503): HTTP 503. 360dialog or WhatsApp had a server problem. Try again later; if it persists, check the 360dialog status page.'],
	])('gateway body %j (HTTP %i)', (body, status, message) => {
		expect(describeApiError(parseErrorBody(body, status)).message).toBe(message);
	});

	it.each([
		[131047, 'Send an approved template message instead'],
		[131026, 'could not be delivered'],
		[132000, 'number of parameters does not match template "welcome"'],
		[132012, 'A parameter of template "welcome"'],
		[100, 'A field value is not valid'],
		[131056, 'Too many messages to the same customer'],
	])('code %i gives its guidance', (code, fragment) => {
		const parsed = parseErrorBody({ error: { message: `(#${code}) x`, code } }, 400);
		expect(describeApiError(parsed, { templateName: 'welcome' }).message).toContain(fragment);
	});
});

describe('retry policy (pure)', () => {
	it('reads Retry-After as seconds or an HTTP date', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('2', now)).toBe(2000);
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
	});

	it('backs off exponentially with jitter and caps waits', () => {
		for (let attempt = 1; attempt <= 6; attempt++) {
			const ceiling = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1));
			const delay = backoffDelay(attempt, DEFAULT_RETRY_POLICY);
			expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
			expect(delay).toBeLessThanOrEqual(ceiling);
		}
		expect(backoffDelay(1, DEFAULT_RETRY_POLICY, 120_000)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
	});

	it('resolves the base URL and the sandbox messages path', () => {
		expect(resolveBaseUrl({ environment: 'production' })).toBe('https://waba-v2.360dialog.io');
		expect(resolveBaseUrl({ environment: 'sandbox' })).toBe('https://waba-sandbox.360dialog.io');
		expect(resolveBaseUrl({ environment: 'custom', baseUrl: 'http://127.0.0.1:4360//' })).toBe('http://127.0.0.1:4360');
		expect(apiPath('sandbox', '/messages')).toBe('/v1/messages');
		expect(apiPath('production', '/messages')).toBe('/messages');
		expect(apiPath('sandbox', '/media')).toBe('/media');
	});
});
