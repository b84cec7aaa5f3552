/**
 * What the Media node does per item. Reads the node's parameters and calls the shared media
 * modules (mediaUpload.ts, mediaDownload.ts); the HTTP work happens there.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	deleteMedia,
	downloadMedia,
	extensionForMimeType,
	getMediaInfo,
	normalizeMediaId,
	type KnownMediaDetails,
} from '../common/mediaDownload';
import { MEDIA_KINDS, MEDIA_RULES, mediaKindOf, type MediaKind } from '../common/mediaLimits';
import { assertMediaAllowed } from '../common/mediaLimits';
import { describeBinary, uploadBinary } from '../common/mediaUpload';
import type { Dialog360Connection } from '../common/transport';
import { FieldError } from '../common/validation';
import { isRecord } from '../common/json';

export type MediaOperation = 'upload' | 'getInfo' | 'download' | 'delete';

function text(value: unknown): string | undefined {
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The Media ID field takes an id, or (through an expression) a whole 360dialog Trigger item
 * (`mediaId`, `mimeType`, `sha256`, `filename`) or a raw webhook media object (`id`,
 * `mime_type`, `sha256`, `filename`). Details found there fill options left empty.
 */
export function readMediaReference(value: unknown): { mediaId: unknown; known: KnownMediaDetails } {
	if (!isRecord(value)) return { mediaId: value, known: {} };
	const source = isRecord(value.media) ? value.media : value;
	return {
		mediaId: source.mediaId ?? source.id,
		known: {
			mimeType: text(source.mimeType ?? source.mime_type),
			sha256: text(source.sha256),
			fileName: text(source.filename ?? source.fileName),
		},
	};
}

function mediaIdParameter(context: IExecuteFunctions, itemIndex: number) {
	const reference = readMediaReference(context.getNodeParameter('mediaId', itemIndex, ''));
	return { mediaId: normalizeMediaId(reference.mediaId), known: reference.known };
}

interface UploadOptions {
	mimeType?: string;
	fileName?: string;
}

async function upload(context: IExecuteFunctions, connection: Dialog360Connection, itemIndex: number): Promise<IDataObject> {
	const field = 'Input Binary Field';
	const propertyName = String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim() || 'data';
	const chosenKind = context.getNodeParameter('mediaType', itemIndex, 'auto') as MediaKind | 'auto';
	const options = (context.getNodeParameter('uploadOptions', itemIndex, {}) ?? {}) as UploadOptions;

	const binary = await describeBinary(context, itemIndex, propertyName, field);
	const mimeType = text(options.mimeType) ?? text(binary.mimeType) ?? '';
	if (mimeType === '') {
		throw new FieldError('MIME Type', `The file in "${propertyName}" has no MIME type; set Options → MIME Type`);
	}
	const kind = chosenKind === 'auto' ? mediaKindOf(mimeType) : chosenKind;
	if (!kind || !MEDIA_KINDS.includes(kind)) {
		const supported = MEDIA_KINDS.flatMap((each) => MEDIA_RULES[each].mimeTypes).join(', ');
		throw new FieldError('MIME Type', `MIME type "${mimeType}" is not supported by WhatsApp; it accepts ${supported}`);
	}
	assertMediaAllowed(field, kind, mimeType, binary.sizeBytes);
	const fileName = text(options.fileName) ?? text(binary.fileName) ?? `media.${extensionForMimeType(mimeType)}`;
	const mediaId = await uploadBinary(context, connection, { itemIndex, binaryPropertyName: propertyName, mimeType, fileName });
	return { mediaId, mimeType, fileName, fileSize: binary.sizeBytes };
}

async function getInfo(context: IExecuteFunctions, connection: Dialog360Connection, itemIndex: number): Promise<IDataObject> {
	const { mediaId } = mediaIdParameter(context, itemIndex);
	const info = await getMediaInfo(context, connection, mediaId, itemIndex);
	return {
		mediaId: info.mediaId,
		url: info.url,
		mimeType: info.mimeType,
		sha256: info.sha256,
		fileSize: info.fileSize,
	};
}

interface DownloadOptions {
	mimeType?: string;
	fileName?: string;
	sha256?: string;
}

async function download(
	context: IExecuteFunctions,
	connection: Dialog360Connection,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const { mediaId, known } = mediaIdParameter(context, itemIndex);
	const propertyName = String(context.getNodeParameter('outputBinaryPropertyName', itemIndex, 'data') ?? '').trim() || 'data';
	const options = (context.getNodeParameter('downloadOptions', itemIndex, {}) ?? {}) as DownloadOptions;
	const result = await downloadMedia(context, connection, mediaId, {
		itemIndex,
		mimeType: text(options.mimeType) ?? known.mimeType,
		fileName: text(options.fileName) ?? known.fileName,
		sha256: text(options.sha256) ?? known.sha256,
	});
	return {
		json: {
			mediaId: result.info.mediaId,
			mimeType: result.mimeType,
			fileName: result.fileName,
			fileSize: result.fileSize,
			sha256: result.sha256,
			sha256Verified: result.sha256Verified,
			...(result.urlRefreshed ? { urlRefreshed: true } : {}),
		},
		binary: { [propertyName]: result.binary },
		pairedItem: { item: itemIndex },
	};
}

async function remove(context: IExecuteFunctions, connection: Dialog360Connection, itemIndex: number): Promise<IDataObject> {
	const { mediaId } = mediaIdParameter(context, itemIndex);
	await deleteMedia(context, connection, mediaId, itemIndex);
	return { mediaId, deleted: true };
}

/** Runs one operation for one item and returns its output item (with pairedItem). */
export async function runMediaOperation(
	context: IExecuteFunctions,
	connection: Dialog360Connection,
	operation: MediaOperation,
	itemIndex: number,
): Promise<INodeExecutionData> {
	switch (operation) {
		case 'upload':
			return { json: await upload(context, connection, itemIndex), pairedItem: { item: itemIndex } };
		case 'getInfo':
			return { json: await getInfo(context, connection, itemIndex), pairedItem: { item: itemIndex } };
		case 'download':
			return await download(context, connection, itemIndex);
		case 'delete':
			return { json: await remove(context, connection, itemIndex), pairedItem: { item: itemIndex } };
		default:
			throw new FieldError('Operation', `Operation "${String(operation)}" is not supported`);
	}
}
