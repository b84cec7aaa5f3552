import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { MEDIA_KINDS, MEDIA_RULES } from '../common/mediaLimits';
import { getConnection } from '../common/transport';
import { errorItem, toItemError } from '../common/itemErrors';
import { runMediaOperation, type MediaOperation } from './operations';

const KIND_NAMES: Record<string, string> = {
	image: 'Image',
	video: 'Video',
	audio: 'Audio',
	document: 'Document',
	sticker: 'Sticker',
};

const withMediaId = ['getInfo', 'download', 'delete'];

const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an uploaded media file from WhatsApp',
				action: 'Delete media',
			},
			{
				name: 'Download',
				value: 'download',
				description: 'Download a media file (e.g. from an incoming message) as binary data',
				action: 'Download media',
			},
			{
				name: 'Get Info',
				value: 'getInfo',
				description: 'Get the MIME type, size, SHA-256 and short-lived URL of a media file',
				action: 'Get media info',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload binary data to WhatsApp and get a media ID to send',
				action: 'Upload media',
			},
		],
		default: 'download',
	},
	// Upload
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to upload',
		displayOptions: { show: { operation: ['upload'] } },
	},
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		options: [
			{ name: 'Automatic (From MIME Type)', value: 'auto', description: 'WebP files count as stickers' },
			...MEDIA_KINDS.map((kind) => ({
				name: KIND_NAMES[kind],
				value: kind,
				description: `${MEDIA_RULES[kind].mimeTypes.join(', ')}; up to ${MEDIA_RULES[kind].limitText}`,
			})),
		],
		default: 'auto',
		description: 'What the file will be sent as; its MIME type and size are checked against the WhatsApp limits of this type before uploading',
		displayOptions: { show: { operation: ['upload'] } },
	},
	{
		displayName: 'Options',
		name: 'uploadOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['upload'] } },
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'invoice.pdf',
				description: 'File name to upload with; defaults to the file name of the binary data',
			},
			{
				displayName: 'MIME Type',
				name: 'mimeType',
				type: 'string',
				default: '',
				placeholder: 'application/pdf',
				description: 'Overrides the MIME type of the binary data, e.g. audio/ogg for a voice note saved as application/octet-stream',
			},
		],
	},
	// Get Info, Download, Delete
	{
		displayName: 'Media ID',
		name: 'mediaId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1037543291543636',
		description:
			'Numeric ID of the media, e.g. the mediaId field of a 360dialog Trigger item or of an Upload. An expression that gives a whole Trigger item (or its media object) also works: its MIME type, SHA-256 and file name are then used too.',
		displayOptions: { show: { operation: withMediaId } },
	},
	// Download
	{
		displayName: 'Put Output File in Field',
		name: 'outputBinaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		displayOptions: { show: { operation: ['download'] } },
	},
	{
		displayName: 'Options',
		name: 'downloadOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['download'] } },
		options: [
			{
				displayName: 'Expected SHA-256',
				name: 'sha256',
				type: 'string',
				default: '',
				placeholder: '={{ $json.sha256 }}',
				description:
					'SHA-256 from the incoming message (hex or base64). Checked when WhatsApp itself does not give one; a mismatch fails the item.',
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: '={{ $json.filename }}',
				description: 'File name for the binary data, e.g. the document file name from the Trigger. Defaults to the media ID plus an extension, e.g. 1037543291543636.pdf.',
			},
			{
				displayName: 'MIME Type',
				name: 'mimeType',
				type: 'string',
				default: '',
				placeholder: '={{ $json.mimeType }}',
				description: 'Used when WhatsApp does not report the MIME type of the file',
			},
		],
	},
];

export class Dialog360Media implements INodeType {
	description: INodeTypeDescription = {
		displayName: '360dialog Media',
		name: 'dialog360Media',
		icon: { light: 'file:360dialog.svg', dark: 'file:360dialog.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Upload, download, inspect and delete WhatsApp media files through 360dialog',
		defaults: { name: '360dialog Media' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dialog360Api', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const connection = await getConnection.call(this);
		const continueOnFail = this.continueOnFail();
		const output: INodeExecutionData[] = [];

		// One item at a time: media GETs that fail count towards 360dialog's error throttle, and
		// large files should not be transferred side by side.
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const operation = this.getNodeParameter('operation', itemIndex) as MediaOperation;
				output.push(await runMediaOperation(this, connection, operation, itemIndex));
			} catch (error) {
				const itemError = toItemError(this.getNode(), error, itemIndex, 'No request was made for this item.');
				if (!continueOnFail) throw itemError;
				output.push(errorItem(itemError, itemIndex));
			}
		}
		return [output];
	}
}
