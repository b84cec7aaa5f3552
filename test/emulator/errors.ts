/**
 * The two error body families (https://docs.360dialog.com/docs/support/api-error-message-list,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes):
 * - Meta's Graph envelope, which 360dialog passes through for send/media errors:
 *   `{"error": {message: "(#code) title", type, code, error_data: {messaging_product, details}, error_subcode?, fbtrace_id}}`
 * - 360dialog's own gateway errors (key, blocked endpoint, outages), which are not Graph-shaped.
 *   Assumption: a live key gets either the current OpenAPI's `{"error": "<text>"}` or the older
 *   docs' `{"meta": {...}}` (camelCase or snake_case); which one is not documented, so it is a
 *   setting, `{"error": "<text>"}` by default.
 */
import { randomBytes } from 'node:crypto';

export interface GraphErrorDefinition {
	title: string;
	/**
	 * The HTTP status the emulator answers with: the typical value seen for the code (Meta does not
	 * fix one; e.g. 130429 comes as 400 or 429, 132001 as 404 or 400, so clients branch on `code`).
	 */
	httpStatus: number;
	subcode?: number;
}

/** Codes the emulator produces, with Meta's titles (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). */
export const GRAPH_ERRORS: Record<number, GraphErrorDefinition> = {
	100: { title: 'Invalid parameter', httpStatus: 400 },
	131000: { title: 'Something went wrong', httpStatus: 500 },
	131008: { title: 'Required parameter is missing', httpStatus: 400 },
	131009: { title: 'Parameter value is not valid', httpStatus: 400 },
	131016: { title: 'Service unavailable', httpStatus: 503 },
	131053: { title: 'Media upload error', httpStatus: 400 },
	131055: { title: 'You must accept the Marketing Messages Lite API terms to use the API.', httpStatus: 400 },
	131056: { title: '(Business Account, Consumer Account) pair rate limit hit', httpStatus: 400 },
	131062: { title: 'Business-scoped user ID recipient not supported', httpStatus: 400 },
	130429: { title: 'Rate limit hit', httpStatus: 429 },
	132000: { title: 'Number of parameters does not match the expected number of params', httpStatus: 400 },
	132001: { title: 'Template name does not exist in the translation', httpStatus: 404, subcode: 2388040 },
	132012: { title: 'Parameter format does not match format in the created template', httpStatus: 400 },
	132015: { title: 'Template is Paused', httpStatus: 400 },
	132016: { title: 'Template is Disabled', httpStatus: 400 },
	139100: { title: 'Failed to block/unblock users', httpStatus: 400 },
};

export interface ErrorReply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

const fbtraceId = (): string => `A${randomBytes(17).toString('base64url').slice(0, 22)}`;

export function graphError(code: number, details: string, overrides: { httpStatus?: number; subcode?: number; type?: string } = {}): ErrorReply {
	const definition = GRAPH_ERRORS[code] ?? { title: 'Unknown error', httpStatus: 400 };
	const subcode = overrides.subcode ?? definition.subcode;
	return {
		status: overrides.httpStatus ?? definition.httpStatus,
		body: {
			error: {
				message: `(#${code}) ${definition.title}`,
				type: overrides.type ?? 'OAuthException',
				code,
				error_data: { messaging_product: 'whatsapp', details },
				...(subcode === undefined ? {} : { error_subcode: subcode }),
				fbtrace_id: fbtraceId(),
			},
		},
	};
}

/** Graph's answer for an object ID that does not exist (media IDs). */
export function graphNotFound(id: string): ErrorReply {
	return {
		status: 404,
		body: {
			error: {
				message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
				type: 'GraphMethodException',
				code: 100,
				error_subcode: 33,
				fbtrace_id: fbtraceId(),
			},
		},
	};
}

export type GatewayErrorShape = 'error-string' | 'meta' | 'meta-snake';

export function gatewayError(shape: GatewayErrorShape, status: number, message: string): ErrorReply {
	switch (shape) {
		case 'meta':
			return { status, body: { meta: { success: false, httpCode: status, developerMessage: message } } };
		case 'meta-snake':
			return { status, body: { meta: { success: false, http_code: status, developer_message: message } } };
		default:
			return { status, body: { error: message } };
	}
}

/** Texts of the documented gateway errors (https://docs.360dialog.com/docs/support/api-error-message-list). */
export const GATEWAY_MESSAGES = {
	invalidKey: 'Invalid api_key',
	endpointRateLimit: 'You have exceeded the endpoint rate limit.',
	blocked: 'The endpoint is blocked',
	unavailable: 'WhatsApp for Business API not available',
	internal: 'Internal server error',
	notFound: 'Not found',
} as const;

/**
 * The body an injected fault answers with, chosen to look like what that status carries live:
 * Graph 130429 / 131000 / 131016 where Meta produces them, gateway bodies where 360dialog does.
 */
export function faultReply(status: number, shape: GatewayErrorShape): ErrorReply {
	switch (status) {
		case 429:
			return graphError(130429, 'Cloud API message throughput has been reached.', { httpStatus: 429 });
		case 503:
			return graphError(131016, 'A service is temporarily unavailable.', { httpStatus: 503 });
		case 500:
			return graphError(131000, 'An unknown error occurred.', { httpStatus: 500 });
		case 400:
			return gatewayError(shape, 400, GATEWAY_MESSAGES.endpointRateLimit);
		case 401:
			return gatewayError(shape, 401, GATEWAY_MESSAGES.invalidKey);
		case 403:
			return gatewayError(shape, 403, GATEWAY_MESSAGES.blocked);
		case 502:
		case 504:
			return gatewayError(shape, status, GATEWAY_MESSAGES.unavailable);
		default:
			return status >= 500 ? gatewayError(shape, status, GATEWAY_MESSAGES.internal) : graphError(131000, `Injected fault (HTTP ${status}).`, { httpStatus: status });
	}
}
