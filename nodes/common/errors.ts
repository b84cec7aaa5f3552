/**
 * What a 360dialog / WhatsApp error means and what the user should do about it.
 *
 * Pure module (no n8n imports): the transport uses it for HTTP errors, the Trigger's webhook
 * parser uses the same guidance for errors that arrive asynchronously in `failed` statuses.
 * Sources: https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes and
 * https://docs.360dialog.com/docs/support/api-error-message-list.
 */

import { isRecord } from './json';

export interface ParsedApiError {
	/** WhatsApp/Graph error code (131047, 132001, …), when the body carries one. */
	code?: number;
	httpStatus?: number;
	/** Short title: Graph `message` without the `(#code)` prefix, or the gateway's text. */
	title: string;
	/** `error_data.details` (Graph) — the most specific human text the API gives. */
	details?: string;
	fbtraceId?: string;
	/** Which of the two documented body shapes it was. */
	shape: 'graph' | 'gateway' | 'none';
}

const CODE_PREFIX = /^\(#\d+\)\s*/;

function asText(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number') return String(value);
	return undefined;
}

function asCode(value: unknown): number | undefined {
	const n = typeof value === 'string' ? Number(value) : value;
	return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

/**
 * Reads an error body in any of the documented shapes, in this order: Graph `error` object,
 * gateway `error` string, legacy `meta.developerMessage` (or snake_case), then the raw body.
 * Assumption: 360dialog's own (gateway) errors come either as `{"error": "<text>"}` (its current
 * OpenAPI) or as `{"meta": {...}}` (older docs, camelCase or snake_case); which one a live key
 * gets is not documented, so all are read.
 */
export function parseErrorBody(body: unknown, httpStatus?: number): ParsedApiError {
	let parsed: unknown = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			parsed = body;
		}
	}
	// 360dialog's Marketing Messages Lite endpoint wraps Meta's envelope in `detail`
	// (https://docs.360dialog.com/partner/mm-lite-beta-program/mm-lite-sandbox-testing/expected-erros-and-programming-languages).
	if (isRecord(parsed) && isRecord(parsed.detail) && isRecord(parsed.detail.error)) parsed = parsed.detail;
	if (isRecord(parsed) && isRecord(parsed.error)) {
		const err = parsed.error;
		const data = isRecord(err.error_data) ? err.error_data : {};
		const rawMessage = asText(err.message) ?? asText(err.error_user_title) ?? 'Unknown error';
		return {
			code: asCode(err.code),
			httpStatus,
			title: rawMessage.replace(CODE_PREFIX, ''),
			details: asText(data.details) ?? asText(err.error_user_msg),
			fbtraceId: asText(err.fbtrace_id),
			shape: 'graph',
		};
	}
	if (isRecord(parsed) && typeof parsed.error === 'string') {
		return { httpStatus, title: parsed.error, shape: 'gateway' };
	}
	if (isRecord(parsed) && isRecord(parsed.meta)) {
		const meta = parsed.meta;
		const text = asText(meta.developerMessage) ?? asText(meta.developer_message);
		if (text) {
			return {
				httpStatus: httpStatus ?? asCode(meta.httpCode ?? meta.http_code),
				title: text,
				shape: 'gateway',
			};
		}
	}
	const raw = typeof parsed === 'string' ? parsed.trim() : isRecord(parsed) ? JSON.stringify(parsed) : '';
	return {
		httpStatus,
		title: raw !== '' ? raw.slice(0, 500) : httpStatus ? `HTTP ${httpStatus}` : 'Unknown error',
		shape: 'none',
	};
}

const RATE_LIMIT_CODES = new Set([130429, 131056, 4, 80007]);
const TEMPLATE_CODES = new Set([132000, 132001, 132005, 132007, 132008, 132012, 132015, 132016]);

export interface GuidanceContext {
	/** Name of the template that was sent, so 132xxx messages can name it. */
	templateName?: string;
	templateLanguage?: string;
}

/**
 * One or two sentences telling a non-developer what the error means and what to do.
 * Returns undefined when there is nothing more useful to say than the API's own text.
 */
export function guidanceFor(
	code: number | undefined,
	httpStatus?: number,
	context: GuidanceContext = {},
): string | undefined {
	const template = context.templateName
		? `template "${context.templateName}"${context.templateLanguage ? ` (${context.templateLanguage})` : ''}`
		: 'the template';
	switch (code) {
		case 131047:
			return 'More than 24 hours have passed since the customer last wrote, so free-form messages are not allowed. Send an approved template message instead; once the customer replies, the 24-hour window opens again.';
		case 131026:
			return 'The message could not be delivered: the number may not use WhatsApp, the customer may not have accepted the latest terms, or runs an old WhatsApp version. Check the number; do not resend right away.';
		case 131049:
			return 'Meta did not deliver this marketing message to protect the customer experience (per-user marketing limit). Wait at least 24 hours before trying this customer again.';
		case 131050:
			return 'The customer has stopped marketing messages from your business. Do not resend.';
		case 131051:
			return 'This message type is not supported by WhatsApp.';
		case 131052:
			return "The customer's media could not be downloaded. Ask the customer to send it again.";
		case 131053:
			return 'The media could not be used: check that the file type and size are supported and that a link is a public HTTPS URL.';
		case 131008:
			return 'A required field is missing from the message. Check the fields of this message type.';
		case 131009:
		case 100:
			return 'A field value is not valid. The details say which one; fix the input and send again.';
		case 131021:
			return 'The recipient is the sending business number itself. Use a different recipient.';
		case 131031:
			return 'The WhatsApp Business account is locked. Contact 360dialog support.';
		case 131005:
			return 'Access denied. Check that the API key belongs to this phone number and has the needed permissions.';
		case 131000:
		case 131016:
			return 'WhatsApp had a temporary problem. Try again in a moment.';
		case 131048:
			return 'Too many customers flagged recent messages as spam, so sending is limited. Slow down and improve message quality.';
		case 131055:
			return 'The number is not onboarded to the Marketing Messages API (MM Lite): accept its terms in the 360dialog hub, or send without Options → Send via Marketing Messages API.';
		case 131057:
			return 'The business account is in maintenance mode. Try again later.';
		case 133010:
			return 'The phone number is not registered on the WhatsApp Cloud API. Finish registration in the 360dialog hub.';
		case 368:
			return 'The account is temporarily blocked for policy violations. Check the account status in the 360dialog hub.';
		case 131062:
			return 'This message cannot be sent to a BSUID recipient. Use the phone number instead.';
		case 137000:
			return "The recipient's identity changed since the identity key hash was taken. Verify the customer and send again without the hash.";
	}
	if (code !== undefined && RATE_LIMIT_CODES.has(code)) {
		return code === 131056
			? 'Too many messages to the same customer in a short time (about one every 6 seconds is allowed, short bursts tolerated). Keep Options → Pace Messages per Customer on, or allow more Retries on Rate Limit when earlier executions also wrote to this customer.'
			: 'The WhatsApp rate limit was hit. Lower the send rate (Options → Messages per Second) or try again shortly.';
	}
	if (code !== undefined && TEMPLATE_CODES.has(code)) {
		switch (code) {
			case 132000:
				return `The number of parameters does not match ${template}. Fill exactly the variables the approved template has.`;
			case 132001:
				return `${capitalize(template)} does not exist in this language or is not approved. Check the exact name and the language code (for example "en" vs "en_US").`;
			case 132005:
				return `The text of ${template} is too long once the variables are filled in. Shorten the variable values.`;
			case 132007:
				return `A variable of ${template} breaks WhatsApp's formatting rules (for example new lines, tabs or more than 4 spaces in a row).`;
			case 132015:
				return `${capitalize(template)} is paused because of low quality. Use another template or wait until it is active again.`;
			case 132016:
				return `${capitalize(template)} is disabled. Use another approved template.`;
			default:
				return `A parameter of ${template} has a value or format WhatsApp does not accept. Check each variable against the template.`;
		}
	}
	if (httpStatus === 401) {
		return 'The API key was rejected. Check the key in the 360dialog credential (and that the environment, Production or Sandbox, matches the key).';
	}
	if (httpStatus === 403) {
		return 'This endpoint or action is blocked for this API key. Check the channel status in the 360dialog hub.';
	}
	if (httpStatus === 429) {
		return 'The 360dialog rate limit was hit. Lower the send rate (Options → Messages per Second) or try again shortly.';
	}
	if (httpStatus !== undefined && httpStatus >= 500) {
		return '360dialog or WhatsApp had a server problem. Try again later; if it persists, check the 360dialog status page.';
	}
	return undefined;
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The one-line message shown as the error title in n8n: names the code and says what to do. */
export function describeApiError(parsed: ParsedApiError, context: GuidanceContext = {}): {
	message: string;
	description: string;
} {
	const label = parsed.code !== undefined ? `WhatsApp error ${parsed.code}` : `360dialog error${parsed.httpStatus ? ` (HTTP ${parsed.httpStatus})` : ''}`;
	const guidance = guidanceFor(parsed.code, parsed.httpStatus, context);
	const message = `${label}: ${parsed.title}${guidance ? `. ${guidance}` : ''}`;
	const descriptionParts = [
		parsed.details ? `Details: ${parsed.details}` : undefined,
		parsed.httpStatus ? `HTTP status: ${parsed.httpStatus}` : undefined,
		parsed.fbtraceId ? `Trace ID: ${parsed.fbtraceId}` : undefined,
	].filter((part): part is string => part !== undefined);
	return { message, description: descriptionParts.join('\n') };
}
