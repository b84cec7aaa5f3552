/**
 * Image, video, audio, document and sticker messages: one factory, five modules
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/image-messages and the
 * video-, audio-, document- and sticker-messages pages next to it).
 * The file comes from a media ID, a public https link, or a binary field of the input item; binary
 * files are checked now (MIME type and size, nodes/common/mediaLimits.ts) and uploaded to /media in
 * the send phase.
 *
 * The five modules share their parameter names (`mediaSource`, `mediaUrl`, …): only one media
 * type is visible at a time, and a value carries over when the user switches between them.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { assertMediaAllowed, baseMimeType, type MediaKind } from '../../common/mediaLimits';
import { FieldError, httpsUrl, optionalText, optionalTrimmed, requireText } from '../../common/validation';
import type { BuildContext, BuiltMessage, MessageTypeModule } from './types';

export const MEDIA_CAPTION_LIMIT = 1024;

type MediaSource = 'id' | 'url' | 'binary';

interface KindText {
	name: string;
	/** "image", "video", … as used inside sentences. */
	noun: string;
	/** The accepted files in words, for descriptions. */
	files: string;
	description: string;
	caption: boolean;
}

const KINDS: Record<MediaKind, KindText> = {
	image: {
		name: 'Image',
		noun: 'image',
		files: 'JPEG or PNG, up to 5 MB',
		description: 'A JPEG or PNG picture (up to 5 MB) with an optional caption',
		caption: true,
	},
	video: {
		name: 'Video',
		noun: 'video',
		files: 'MP4 or 3GP with H.264 video and AAC audio, up to 16 MB',
		description: 'An MP4 or 3GP video (up to 16 MB) with an optional caption',
		caption: true,
	},
	audio: {
		name: 'Audio',
		noun: 'audio file',
		files: 'AAC, AMR, MP3, M4A or OGG (Opus), up to 16 MB',
		description: 'An audio file or voice message (up to 16 MB), without caption',
		caption: false,
	},
	document: {
		name: 'Document',
		noun: 'document',
		files: 'PDF, Word, Excel, PowerPoint or plain text, up to 100 MB',
		description: 'A PDF, Office or text file (up to 100 MB) with file name and optional caption',
		caption: true,
	},
	sticker: {
		name: 'Sticker',
		noun: 'sticker',
		files: 'WebP, 512×512 pixels, up to 100 KB (500 KB if animated)',
		description: 'A WebP sticker (512×512 pixels, up to 100 KB, animated up to 500 KB)',
		caption: false,
	},
};

const FIELD = {
	source: 'Source',
	id: 'Media ID',
	url: 'URL',
	binary: 'Input Binary Field',
	caption: 'Caption',
	fileName: 'File Name',
	voice: 'Send as Voice Message',
} as const;

function mediaProperties(kind: MediaKind): INodeProperties[] {
	const text = KINDS[kind];
	const properties: INodeProperties[] = [
		{
			displayName: 'Source',
			name: 'mediaSource',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Binary File',
					value: 'binary',
					description:
						'A file in a binary field of the input item (for example from HTTP Request, Google Drive or Read File). It is uploaded to 360dialog first.',
				},
				{
					name: 'Media ID',
					value: 'id',
					description: 'The ID of a file uploaded earlier (360dialog Media node → Upload) or of a received message',
				},
				{
					name: 'URL',
					value: 'url',
					description: `A public https:// link that WhatsApp downloads the ${text.noun} from`,
				},
			],
			default: 'url',
			description: `Where the ${text.noun} comes from`,
		},
		{
			displayName: 'URL',
			name: 'mediaUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: `https://example.com/files/${kind === 'document' ? 'invoice.pdf' : kind === 'sticker' ? 'sticker.webp' : kind === 'image' ? 'photo.jpg' : kind === 'video' ? 'clip.mp4' : 'message.mp3'}`,
			description: `Public https:// link to the ${text.noun} (${text.files}). WhatsApp downloads it when the message is sent, so it must be reachable without a login.`,
			displayOptions: { show: { mediaSource: ['url'] } },
		},
		{
			displayName: 'Media ID',
			name: 'mediaId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '1037543291543636',
			description: `ID of the ${text.noun} on 360dialog: from the 360dialog Media node (Upload) or from a received message. Uploaded files stay available for 30 days.`,
			displayOptions: { show: { mediaSource: ['id'] } },
		},
		{
			displayName: 'Input Binary Field',
			name: 'mediaBinaryProperty',
			type: 'string',
			default: 'data',
			required: true,
			placeholder: 'data',
			description: `Name of the input item's binary field that holds the file, usually "data" (${text.files}). Type and size are checked before anything is sent.`,
			displayOptions: { show: { mediaSource: ['binary'] } },
		},
	];
	if (text.caption) {
		properties.push({
			displayName: 'Caption',
			name: 'mediaCaption',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: `Optional text shown below the ${text.noun}, up to 1024 characters. WhatsApp formatting works: *bold*, _italic_.`,
		});
	}
	if (kind === 'document') {
		properties.push({
			displayName: 'File Name',
			name: 'mediaFileName',
			type: 'string',
			default: '',
			placeholder: 'invoice-2024-001.pdf',
			description:
				'Name the recipient sees, with extension (the extension decides the icon). Empty: the name of the binary file for binary files; WhatsApp picks a name otherwise.',
		});
	}
	if (kind === 'audio') {
		properties.push({
			displayName: 'Send as Voice Message',
			name: 'mediaVoiceNote',
			type: 'boolean',
			default: false,
			description:
				'Whether to send the audio as a voice message (microphone icon, automatic download, transcription). Needs an OGG file with the Opus codec; play-in-chat works up to 512 KB.',
		});
	}
	return properties;
}

/** Media ID as typed or mapped; catches links and pasted text early. */
function mediaId(value: unknown): string {
	const id = requireText(FIELD.id, value).trim();
	if (/^https?:\/\//i.test(id)) {
		throw new FieldError(FIELD.id, `Media ID "${id}" is a link; choose Source → URL to send a file from a link`);
	}
	if (/\s/.test(id)) throw new FieldError(FIELD.id, `Media ID "${id}" contains spaces; a media ID is a single word like 1037543291543636`);
	return id;
}

async function buildMedia(kind: MediaKind, context: BuildContext): Promise<BuiltMessage> {
	const text = KINDS[kind];
	const source = context.get<MediaSource>('mediaSource', 'url');

	// Everything except the file reference itself; `id`/`link` go first in the object.
	const extras: IDataObject = {};
	if (text.caption) {
		const caption = optionalText(FIELD.caption, context.get<string>('mediaCaption', ''), MEDIA_CAPTION_LIMIT);
		if (caption !== undefined) extras.caption = caption;
	}
	const fileName = kind === 'document' ? optionalTrimmed(FIELD.fileName, context.get<string>('mediaFileName', '')) : undefined;
	if (fileName) extras.filename = fileName;
	const voice = kind === 'audio' && context.get<boolean>('mediaVoiceNote', false) === true;
	if (voice) extras.voice = true;

	if (source === 'url') {
		return { body: { type: kind, [kind]: { link: httpsUrl(FIELD.url, context.get<string>('mediaUrl', '')), ...extras } } };
	}
	if (source === 'id') {
		return { body: { type: kind, [kind]: { id: mediaId(context.get<string>('mediaId', '')), ...extras } } };
	}
	if (source !== 'binary') {
		throw new FieldError(FIELD.source, `Source "${String(source)}" is not supported; choose URL, Media ID or Binary File`);
	}

	const propertyName = requireText(FIELD.binary, context.get<string>('mediaBinaryProperty', 'data')).trim();
	const file = await context.binary(propertyName, FIELD.binary);
	assertMediaAllowed(FIELD.binary, kind, file.mimeType, file.sizeBytes);
	if (voice && baseMimeType(file.mimeType) !== 'audio/ogg') {
		throw new FieldError(
			FIELD.voice,
			`${FIELD.voice} needs an OGG file with the Opus codec; the file in "${propertyName}" is ${file.mimeType}. Turn the option off to send it as a normal audio file.`,
		);
	}
	if (kind === 'document' && !fileName && file.fileName) extras.filename = file.fileName;

	return {
		body: { type: kind, [kind]: { ...extras } },
		uploads: [{ binaryPropertyName: propertyName, kind, mimeType: file.mimeType, fileName: fileName || file.fileName, path: [kind] }],
	};
}

function mediaMessageType(kind: MediaKind): MessageTypeModule {
	return {
		value: kind,
		name: KINDS[kind].name,
		description: KINDS[kind].description,
		properties: mediaProperties(kind),
		build: async (context) => await buildMedia(kind, context),
	};
}

export const imageMessage = mediaMessageType('image');
export const videoMessage = mediaMessageType('video');
export const audioMessage = mediaMessageType('audio');
export const documentMessage = mediaMessageType('document');
export const stickerMessage = mediaMessageType('sticker');

/** In dropdown order. */
export const MEDIA_MESSAGE_TYPES: MessageTypeModule[] = [imageMessage, videoMessage, audioMessage, documentMessage, stickerMessage];
