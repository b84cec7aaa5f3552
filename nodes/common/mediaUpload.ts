/**
 * Reading n8n binary data and uploading it to POST /media. Shared by the Send node (binary
 * sources are uploaded first, then sent by id) and the Media node's Upload operation.
 */
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { base64Chunks, isPlainBase64, multipartBody, type MultipartBody } from './multipart';
import { dialog360Request, type Dialog360Connection, type StreamedBody } from './transport';
import { FieldError } from './validation';

export interface BinaryDescription {
	binary: IBinaryData;
	mimeType: string;
	fileName?: string;
	sizeBytes: number;
}

/** Size in bytes of a binary property, in memory mode (base64) or filesystem/S3 mode (metadata). */
async function binarySize(context: IExecuteFunctions, binary: IBinaryData): Promise<number> {
	if (binary.id) {
		const metadata = await context.helpers.getBinaryMetadata(binary.id);
		if (typeof metadata.fileSize === 'number') return metadata.fileSize;
	}
	if (typeof binary.bytes === 'number') return binary.bytes;
	return Buffer.byteLength(binary.data ?? '', 'base64');
}

/** Looks up a binary property of an input item; FieldError names the field when it is missing. */
export async function describeBinary(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	field: string,
): Promise<BinaryDescription> {
	const name = propertyName.trim();
	const binary = context.getInputData()[itemIndex]?.binary?.[name];
	if (!binary) {
		const available = Object.keys(context.getInputData()[itemIndex]?.binary ?? {});
		throw new FieldError(
			field,
			`${field}: the input item has no binary property "${name}"${
				available.length ? `; it has ${available.map((key) => `"${key}"`).join(', ')}` : '; it has no binary data at all'
			}`,
		);
	}
	return { binary, mimeType: binary.mimeType, fileName: binary.fileName, sizeBytes: await binarySize(context, binary) };
}

export interface UploadRequest {
	itemIndex: number;
	binaryPropertyName: string;
	mimeType: string;
	fileName?: string;
}

/** A file to upload: its size must be known up front (the multipart body has a Content-Length). */
export interface UploadSource {
	sizeBytes: number;
	mimeType: string;
	fileName: string;
	/** Opens the file's bytes; called once per attempt, so a retry reads the file again. */
	open(): Promise<AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer>>;
}

/**
 * The bytes of a binary property without loading the file: a stream from n8n's binary data
 * store (filesystem or S3 mode), or the in-memory base64 text decoded chunk by chunk.
 */
export async function binarySource(
	context: IExecuteFunctions,
	binary: IBinaryData,
	mimeType: string,
	fileName: string,
): Promise<UploadSource> {
	const binaryId = binary.id;
	if (binaryId) {
		const sizeBytes = await binarySize(context, binary);
		return { sizeBytes, mimeType, fileName, open: async () => await context.helpers.getBinaryStream(binaryId) };
	}
	const base64 = binary.data ?? '';
	// From the text itself, not the item's `bytes` field: the body's length must be exact.
	const sizeBytes = Buffer.byteLength(base64, 'base64');
	if (!isPlainBase64(base64)) {
		// Line-wrapped base64 (hand-made items): decoded once; such files are small in practice.
		const bytes = Buffer.from(base64, 'base64');
		return { sizeBytes: bytes.length, mimeType, fileName, open: async () => [bytes] };
	}
	return { sizeBytes, mimeType, fileName, open: async () => base64Chunks(base64) };
}

/** The transport's `openBody` for a file: the source opened anew per attempt, closed when the attempt is over. */
export function streamedBody(source: UploadSource, body: MultipartBody): () => Promise<StreamedBody> {
	return async () => {
		const file = await source.open();
		const chunks = body.chunks(file);
		const release = () => {
			void chunks.return(undefined).catch(() => undefined);
			// A stream the request never read to its end (refused connection, early answer) stays open otherwise.
			(file as { destroy?: () => void }).destroy?.();
		};
		return { chunks, contentType: body.contentType, contentLength: body.contentLength, release };
	};
}

/**
 * Uploads a file as multipart (`messaging_product` + `file`, as 360dialog's "Upload media" shows:
 * https://docs.360dialog.com/docs/waba-messaging/media/upload-retrieve-or-delete-media) and
 * returns the media id. The body is streamed; a retried attempt opens the file again.
 */
export async function uploadMedia(
	context: IExecuteFunctions,
	connection: Dialog360Connection,
	source: UploadSource,
	itemIndex: number,
): Promise<string> {
	const body = multipartBody(
		{ messaging_product: 'whatsapp' },
		{ field: 'file', fileName: source.fileName, contentType: source.mimeType, sizeBytes: source.sizeBytes },
	);
	const response = (await dialog360Request.call(
		context,
		{ method: 'POST', path: '/media', itemIndex, openBody: streamedBody(source, body) },
		connection,
	)) as { id?: string };
	if (!response?.id) throw new FieldError('Media', 'The upload answered without a media id');
	return String(response.id);
}

/** Uploads one binary property of an input item and returns the media id. */
export async function uploadBinary(
	context: IExecuteFunctions,
	connection: Dialog360Connection,
	upload: UploadRequest,
): Promise<string> {
	const binary = context.getInputData()[upload.itemIndex]?.binary?.[upload.binaryPropertyName.trim()];
	if (!binary) throw new FieldError('Input Binary Field', `The input item has no binary property "${upload.binaryPropertyName}"`);
	const source = await binarySource(context, binary, upload.mimeType, upload.fileName ?? 'file');
	return await uploadMedia(context, connection, source, upload.itemIndex);
}
