/**
 * The Resumable Upload API as 360dialog passes it through
 * (https://docs.360dialog.com/docs/messaging-api/api-reference/media-uploads,
 * https://docs.360dialog.com/docs/account-management/set-whatsapp-profile-information):
 *
 * - `POST /uploads?file_name&file_length&file_type` → `{id: "upload:…"}`
 * - `POST /upload:{session}` with the header `file_offset` and the file's bytes as the body → `{h: "<handle>"}`
 * - `GET /upload:{session}` → `{id, file_offset}` (where to resume)
 *
 * The handle is what a template's `example.header_handle` and a profile's `profile_picture_handle`
 * take; accountRoutes.ts accepts only handles issued here (API assumption 36).
 */
import { createHash } from 'node:crypto';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { gatewayError, GATEWAY_MESSAGES, graphError, type ErrorReply } from './errors';
import type { EmulatorState } from './state';
import { MAX_UPLOAD_BYTES, UPLOAD_FILE_TYPES, type UploadSession } from './uploadSessions';

function send(reply: FastifyReply, error: ErrorReply): FastifyReply {
	return reply.code(error.status).send(error.body);
}

const invalid = (details: string): ErrorReply => graphError(100, details);

/** The bytes of an upload request, kept out of the request log (which records a summary instead). */
const uploadedBytes = new WeakMap<FastifyRequest, Buffer>();

/** Reads a raw body of any content type, up to one byte over the largest file (that byte proves "too long"). */
function registerRawBody(scope: FastifyInstance): void {
	scope.removeAllContentTypeParsers();
	scope.addContentTypeParser('*', (request, payload, done) => {
		const chunks: Buffer[] = [];
		let length = 0;
		payload.on('data', (chunk: Buffer) => {
			length += chunk.length;
			if (length <= MAX_UPLOAD_BYTES + 1) chunks.push(chunk);
		});
		payload.on('error', (error) => done(error, undefined));
		payload.on('end', () => {
			const bytes = Buffer.concat(chunks);
			uploadedBytes.set(request, bytes);
			done(null, { length, sha256: createHash('sha256').update(bytes).digest('hex') });
		});
	});
}

function sessionOf(state: EmulatorState, id: string, signature: string | undefined): UploadSession | ErrorReply {
	const session = state.account.uploads.get(id);
	if (!session) return invalid(`upload session ${id} does not exist or has expired; create one with POST /uploads`);
	if (signature !== session.signature) return invalid('the upload session id must be used whole, including its ?sig= part');
	return session;
}

export function registerUploadRoutes(app: FastifyInstance, state: EmulatorState): void {
	app.post<{ Querystring: { file_name?: string; file_length?: string; file_type?: string } }>('/uploads', async (request, reply) => {
		const { file_name: fileName, file_length: rawLength, file_type: fileType } = request.query;
		const fileLength = Number(rawLength);
		if (rawLength === undefined || !/^\d+$/.test(rawLength) || fileLength < 1) return send(reply, invalid('file_length must be the file size in bytes (a positive whole number)'));
		if (fileLength > MAX_UPLOAD_BYTES) return send(reply, invalid(`file_length ${fileLength} is over the ${MAX_UPLOAD_BYTES} bytes an upload may have`));
		if (fileType === undefined || !UPLOAD_FILE_TYPES.includes(fileType)) return send(reply, invalid(`file_type must be one of ${UPLOAD_FILE_TYPES.join(', ')}, got ${JSON.stringify(fileType ?? null)}`));
		const session = state.account.uploads.create(fileLength, fileType, fileName);
		return { id: `${session.id}?sig=${session.signature}` };
	});

	void app.register(async (scope) => {
		registerRawBody(scope);

		// `/upload:…` is one path segment; every other single-segment POST is not an endpoint.
		scope.post<{ Params: { sessionId: string }; Querystring: { sig?: string } }>('/:sessionId', async (request, reply) => {
			if (!request.params.sessionId.startsWith('upload:')) return send(reply, gatewayError(state.settings.gatewayErrorShape, 404, GATEWAY_MESSAGES.notFound));
			const session = sessionOf(state, request.params.sessionId, request.query.sig);
			if (!('fileLength' in session)) return send(reply, session);
			const rawOffset = request.headers.file_offset;
			if (request.query && 'file_offset' in (request.query as Record<string, unknown>) && rawOffset === undefined) {
				return send(reply, invalid('file_offset must be sent as an HTTP header, not as a query parameter'));
			}
			const offset = rawOffset === undefined ? 0 : Number(rawOffset);
			if (!Number.isInteger(offset) || offset !== session.offset) {
				return send(reply, invalid(`file_offset ${String(rawOffset)} does not match the session's offset ${session.offset}; resume from there`));
			}
			const bytes = uploadedBytes.get(request) ?? Buffer.alloc(0);
			if (session.handle) return { h: session.handle };
			if (offset + bytes.length > session.fileLength) {
				return send(reply, invalid(`the body has ${bytes.length} bytes from offset ${offset}, more than the ${session.fileLength} bytes given as file_length`));
			}
			if (bytes.length === 0) return send(reply, invalid('the body must be the bytes of the file'));
			state.account.uploads.append(session, bytes);
			if (session.offset < session.fileLength) {
				return send(reply, invalid(`received ${session.offset} of ${session.fileLength} bytes; send the rest with file_offset ${session.offset}`));
			}
			return { h: state.account.uploads.complete(session).handle };
		});
	});
}

/** `GET /upload:{session}` shares its path pattern with `GET /{media-id}`; mediaRoutes.ts hands such ids here. */
export function uploadSessionStatus(state: EmulatorState, id: string, signature: string | undefined): { answer: Record<string, unknown> } | { error: ErrorReply } {
	const session = sessionOf(state, id, signature);
	if (!('fileLength' in session)) return { error: session };
	return { answer: { id: session.id, file_offset: session.offset } };
}
