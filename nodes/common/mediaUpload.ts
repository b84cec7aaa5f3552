/**
 * Reading n8n binary data and uploading it to POST /media. Shared by the Send node (binary
 * sources are uploaded first, then sent by id) and the Media node's Upload operation.
 */
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { dialog360Request, type Dialog360Connection } from './transport';
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

/** Uploads one binary property as multipart (`messaging_product` + `file`) and returns the media id. */
export async function uploadBinary(
	context: IExecuteFunctions,
	connection: Dialog360Connection,
	upload: UploadRequest,
): Promise<string> {
	const buffer = await context.helpers.getBinaryDataBuffer(upload.itemIndex, upload.binaryPropertyName);
	const form = new FormData();
	form.append('messaging_product', 'whatsapp');
	form.append('file', new Blob([buffer], { type: upload.mimeType }), upload.fileName ?? 'file');
	const response = (await dialog360Request.call(
		context,
		{ method: 'POST', path: '/media', body: form, itemIndex: upload.itemIndex },
		connection,
	)) as { id?: string };
	if (!response?.id) throw new FieldError('Media', 'The upload answered without a media id');
	return String(response.id);
}
