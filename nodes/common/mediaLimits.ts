/**
 * Supported media types and size limits of the WhatsApp Cloud API
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types).
 * Pure: used by the Send node, the Media node and the emulator tests.
 */

import { FieldError } from './validation';

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export const MEDIA_KINDS: MediaKind[] = ['image', 'video', 'audio', 'document', 'sticker'];

const MB = 1024 * 1024;
const KB = 1024;

export interface MediaRule {
	mimeTypes: string[];
	maxBytes: number;
	/** What the limit is, in words, for form hints and errors. */
	limitText: string;
}

export const MEDIA_RULES: Record<MediaKind, MediaRule> = {
	image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB, limitText: '5 MB' },
	video: { mimeTypes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB, limitText: '16 MB' },
	audio: {
		mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
		maxBytes: 16 * MB,
		limitText: '16 MB',
	},
	document: {
		mimeTypes: [
			'text/plain',
			'application/pdf',
			'application/msword',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'application/vnd.ms-excel',
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'application/vnd.ms-powerpoint',
			'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		],
		maxBytes: 100 * MB,
		limitText: '100 MB',
	},
	// Static stickers may be 100 KB, animated ones 500 KB; the file alone cannot tell which.
	sticker: { mimeTypes: ['image/webp'], maxBytes: 500 * KB, limitText: '500 KB (100 KB for static stickers)' },
};

/** `audio/ogg; codecs=opus` → `audio/ogg`, with known aliases mapped to the canonical type. */
export function baseMimeType(mimeType: string): string {
	const base = mimeType.split(';')[0].trim().toLowerCase();
	// Aliases some servers and operating systems send for supported types.
	if (base === 'video/3gp') return 'video/3gpp';
	if (base === 'image/jpg' || base === 'image/pjpeg') return 'image/jpeg';
	return base;
}

/** Which kind a MIME type belongs to, or undefined when WhatsApp does not support it. */
export function mediaKindOf(mimeType: string): MediaKind | undefined {
	const base = baseMimeType(mimeType);
	if (base === 'image/webp') return 'sticker';
	return MEDIA_KINDS.find((kind) => MEDIA_RULES[kind].mimeTypes.includes(base));
}

/** Rounds up, so a file one byte over "16 MB" never reads as "16.0 MB". */
export function formatBytes(bytes: number): string {
	const up = (value: number) => (Math.ceil(value * 10) / 10).toFixed(1);
	if (bytes >= MB) return `${up(bytes / MB)} MB`;
	if (bytes >= KB) return `${up(bytes / KB)} KB`;
	return `${bytes} bytes`;
}

/** Returns why a file cannot be sent as `kind`, or undefined when it can. */
export function checkMedia(kind: MediaKind, mimeType: string, sizeBytes: number | undefined): string | undefined {
	const rule = MEDIA_RULES[kind];
	const base = baseMimeType(mimeType);
	if (!rule.mimeTypes.includes(base)) {
		return `${kind} does not support MIME type "${mimeType || 'unknown'}"; WhatsApp accepts ${rule.mimeTypes.join(', ')}`;
	}
	if (sizeBytes !== undefined && sizeBytes > rule.maxBytes) {
		return `the ${kind} is ${formatBytes(sizeBytes)}; WhatsApp allows ${rule.limitText}`;
	}
	if (sizeBytes === 0) return `the ${kind} file is empty`;
	return undefined;
}

/** Throws FieldError when the file cannot be sent as `kind` (its MIME type or size). */
export function assertMediaAllowed(field: string, kind: MediaKind, mimeType: string, sizeBytes: number): void {
	const problem = checkMedia(kind, mimeType, sizeBytes);
	if (problem) throw new FieldError(field, `${field}: ${problem}`);
}
