/**
 * The Resumable Upload API as 360dialog passes it through: it turns a file into a handle, which is
 * what a template's media header example (`example.header_handle`) and the business profile's
 * `profile_picture_handle` take. Used by the Account node.
 *
 * 1. `POST /uploads?file_name=&file_length=&file_type=` → `{id: "upload:…"}`
 * 2. `POST /upload:…` with the header `file_offset: 0` and the file's bytes as the body → `{h: "…"}`
 *
 * https://docs.360dialog.com/docs/messaging-api/api-reference/media-uploads
 * https://docs.360dialog.com/docs/account-management/set-whatsapp-profile-information
 * https://developers.facebook.com/docs/graph-api/guides/upload
 *
 * The bytes are streamed like every upload (mediaUpload.ts): from n8n's binary storage when it keeps
 * them on disk, decoded chunk by chunk in memory mode; a retry opens the file again.
 */
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { baseMimeType, formatBytes } from './mediaLimits';
import { binarySource, describeBinary, streamedBody } from './mediaUpload';
import { rawFileBody } from './multipart';
import { dialog360Request, type Dialog360Connection } from './transport';
import { FieldError, requireText } from './validation';

const MB = 1024 * 1024;

export interface UploadRule {
	/** What the file is for, in errors: "image header", "profile photo". */
	noun: string;
	mimeTypes: string[];
	maxBytes: number;
	limitText: string;
}

/**
 * Media header samples (Meta: image JPEG/PNG up to 5 MB, video MP4 up to 16 MB, document PDF up to
 * 100 MB; MP4 and PDF are also the only video and document types the resumable upload takes):
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components#media-headers
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types
 */
export const HEADER_MEDIA_RULES: Record<'IMAGE' | 'VIDEO' | 'DOCUMENT', UploadRule> = {
	IMAGE: { noun: 'image header', mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB, limitText: '5 MB' },
	VIDEO: { noun: 'video header', mimeTypes: ['video/mp4'], maxBytes: 16 * MB, limitText: '16 MB' },
	DOCUMENT: { noun: 'document header', mimeTypes: ['application/pdf'], maxBytes: 100 * MB, limitText: '100 MB' },
};

/** The business profile photo: a JPEG or PNG image of up to 5 MB (API assumption 37). */
export const PROFILE_PHOTO_RULE: UploadRule = { noun: 'profile photo', mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB, limitText: '5 MB' };

/** Throws a FieldError naming `field` when the file does not fit `rule`. */
export function checkUploadFile(field: string, rule: UploadRule, mimeType: string, sizeBytes: number): void {
	const base = baseMimeType(mimeType ?? '');
	if (!rule.mimeTypes.includes(base)) {
		throw new FieldError(field, `${field}: the ${rule.noun} must be ${rule.mimeTypes.join(' or ')}; the file is ${mimeType || 'of unknown type'}`);
	}
	if (sizeBytes === 0) throw new FieldError(field, `${field}: the ${rule.noun} file is empty`);
	if (sizeBytes > rule.maxBytes) throw new FieldError(field, `${field}: the ${rule.noun} is ${formatBytes(sizeBytes)}; WhatsApp allows ${rule.limitText}`);
}

export interface ResumableFile {
	itemIndex: number;
	binaryPropertyName: string;
	binary: IBinaryData;
	mimeType: string;
	fileName?: string;
	sizeBytes: number;
	/** The form field, for an answer without a handle. */
	field: string;
}

/** A binary property of the item as a file to upload, checked against `rule` before any request is made. */
export async function uploadFileOf(context: IExecuteFunctions, itemIndex: number, propertyName: unknown, field: string, rule: UploadRule): Promise<ResumableFile> {
	const property = requireText(field, propertyName).trim();
	const file = await describeBinary(context, itemIndex, property, field);
	checkUploadFile(field, rule, file.mimeType, file.sizeBytes);
	return { itemIndex, binaryPropertyName: property, binary: file.binary, mimeType: file.mimeType, fileName: file.fileName, sizeBytes: file.sizeBytes, field };
}

/** `upload:…` as the session id must appear in the path; the reference shows the id also without the prefix. */
export function uploadSessionPath(id: unknown): string | undefined {
	if (typeof id !== 'string' || id.trim() === '' || /[\s/#]/.test(id.trim())) return undefined;
	const trimmed = id.trim();
	return `/${trimmed.startsWith('upload:') ? trimmed : `upload:${trimmed}`}`;
}

/** Uploads one binary property and returns its handle. */
export async function resumableUpload(context: IExecuteFunctions, connection: Dialog360Connection, file: ResumableFile): Promise<string> {
	const { itemIndex } = file;
	const fileType = baseMimeType(file.mimeType);
	const session = (await dialog360Request.call(
		context,
		{
			method: 'POST',
			path: '/uploads',
			qs: { file_name: file.fileName || `upload.${fileType.split('/')[1]}`, file_length: file.sizeBytes, file_type: fileType },
			itemIndex,
		},
		connection,
	)) as { id?: unknown } | undefined;
	const path = uploadSessionPath(session?.id);
	if (!path) throw new FieldError(file.field, `${file.field}: the upload session was not created (the answer had no id)`);

	// The transport opens the file anew for every attempt (retries only when the answer proves nothing was taken).
	const source = await binarySource(context, file.binary, fileType, file.fileName || 'upload');
	const answer = (await dialog360Request.call(
		context,
		{
			method: 'POST',
			path,
			headers: { file_offset: '0' },
			openBody: streamedBody(source, rawFileBody('application/octet-stream', source.sizeBytes)),
			itemIndex,
			timeoutMs: 300_000,
		},
		connection,
	)) as { h?: unknown } | undefined;
	const handle = answer?.h;
	if (typeof handle !== 'string' || handle === '') throw new FieldError(file.field, `${file.field}: the upload finished without a file handle`);
	return handle;
}
