/**
 * Media endpoints (https://docs.360dialog.com/docs/waba-messaging/media/upload-retrieve-or-delete-media):
 * upload (`POST /media`, multipart), info (`GET /{media-id}`), download through the 360dialog
 * proxy path (`GET /whatsapp_business/attachments/?mid&ext&hash`: Meta's lookaside URL with the
 * host swapped) and delete (`DELETE /{media-id}`).
 */
import { createReadStream } from 'node:fs';

import type { FastifyInstance, FastifyReply } from 'fastify';

import { graphError, graphNotFound, type ErrorReply } from './errors';
import { ATTACHMENTS_PATH } from './mediaStore';
import type { EmulatorState } from './state';
import { uploadSessionStatus } from './uploadRoutes';

function send(reply: FastifyReply, error: ErrorReply): FastifyReply {
	return reply.code(error.status).send(error.body);
}

const MEDIA_ID = /^\d+$/;

export function registerMediaRoutes(app: FastifyInstance, state: EmulatorState): void {
	app.post('/media', async (request, reply) => {
		if (!request.isMultipart()) {
			return send(reply, graphError(131008, 'the body must be multipart/form-data with the fields messaging_product and file'));
		}
		const fields: Record<string, string> = {};
		let saved: Awaited<ReturnType<typeof state.media.save>> | undefined;
		for await (const part of request.parts()) {
			if (part.type === 'field') {
				fields[part.fieldname] = String(part.value);
			} else if (part.fieldname !== 'file' || saved !== undefined) {
				part.file.resume(); // not ours: drain it so the upload completes
			} else if (!part.filename) {
				part.file.resume();
				saved = { error: 'file: the part needs a filename (Content-Disposition: form-data; name="file"; filename="…")' };
			} else {
				saved = await state.media.save(part.file, part.mimetype, part.filename, () => part.file.truncated);
			}
		}
		// Checked after the parts are read: the fields may come before or after the file.
		if (fields.messaging_product === undefined) {
			if (saved && 'media' in saved) await state.media.delete(saved.media.id);
			return send(reply, graphError(131008, 'messaging_product is required (set it to "whatsapp")'));
		}
		if (fields.messaging_product !== 'whatsapp') {
			if (saved && 'media' in saved) await state.media.delete(saved.media.id);
			return send(reply, graphError(131009, `messaging_product is ${JSON.stringify(fields.messaging_product)}; must be "whatsapp"`));
		}
		if (!saved) return send(reply, graphError(131008, 'file is required'));
		if ('error' in saved) return send(reply, graphError(131053, saved.error));
		return { id: saved.media.id };
	});

	app.get<{ Params: { mediaId: string }; Querystring: { sig?: string } }>('/:mediaId', async (request, reply) => {
		if (request.params.mediaId.startsWith('upload:')) {
			const status = uploadSessionStatus(state, request.params.mediaId, request.query.sig);
			return 'error' in status ? send(reply, status.error) : status.answer;
		}
		const media = MEDIA_ID.test(request.params.mediaId) ? state.media.get(request.params.mediaId) : undefined;
		if (!media) return send(reply, graphNotFound(request.params.mediaId));
		return {
			messaging_product: 'whatsapp',
			url: state.media.issueUrl(media.id, state.settings.mediaUrlTtlMs),
			mime_type: media.mimeType,
			sha256: media.sha256.toString(state.settings.sha256Encoding),
			file_size: media.fileSize,
			id: media.id,
		};
	});

	app.delete<{ Params: { mediaId: string } }>('/:mediaId', async (request, reply) => {
		const deleted = MEDIA_ID.test(request.params.mediaId) && (await state.media.delete(request.params.mediaId));
		if (!deleted) return send(reply, graphNotFound(request.params.mediaId));
		return { success: true };
	});

	app.get<{ Querystring: { mid?: string; hash?: string } }>(ATTACHMENTS_PATH, async (request, reply) => {
		const { mid = '', hash = '' } = request.query;
		const ttlSeconds = Math.round(state.settings.mediaUrlTtlMs / 1000);
		const found = state.media.lookupUrl(mid, hash, state.settings.mediaUrlTtlMs);
		if ('error' in found) {
			const details =
				found.error === 'expired'
					? `the media URL has expired (URLs work for ${ttlSeconds} s); call GET /${mid} for a new one`
					: 'the media URL is not valid (unknown mid/hash, or the media was deleted); call GET /{media-id} for a new one';
			return send(reply, graphError(100, details, { httpStatus: 404 }));
		}
		const { media } = found;
		return reply
			.header('content-type', media.mimeType)
			.header('content-length', media.fileSize)
			.header('content-disposition', `attachment; filename="${media.filename.replace(/["\\\r\n]/g, '_')}"`)
			.send(createReadStream(media.filePath));
	});
}
