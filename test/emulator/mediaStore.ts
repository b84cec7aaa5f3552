/**
 * Uploaded media: files streamed to a temp directory (never buffered), per-kind MIME and size
 * limits (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types),
 * and short-lived download URLs shaped like Meta's lookaside URLs
 * (https://docs.360dialog.com/docs/waba-messaging/media/upload-retrieve-or-delete-media). Plus the media
 * of inbound messages: files given at creation (the emulator gives the ones behind its webhook
 * fixtures' media IDs), known from the start and again after `clear()`.
 *
 * The limits table is the emulator's own, deliberately not imported from nodes/.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export type MediaKind = 'audio' | 'document' | 'image' | 'sticker' | 'video';

const KB = 1024;
const MB = 1024 * KB;

// Written from Meta's supported-media-types table on purpose rather than imported from nodes/common/mediaLimits.ts:
// the emulator is an independent model of 360dialog, so a mistake in the node's table shows up as
// a disagreement in tests instead of being shared by both sides.
export const MEDIA_LIMITS: Record<MediaKind, { mimeTypes: string[]; maxBytes: number; label: string }> = {
	audio: { mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'], maxBytes: 16 * MB, label: '16 MB' },
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
		label: '100 MB',
	},
	image: { mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB, label: '5 MB' },
	// An upload cannot tell static (100 KB) from animated (500 KB) stickers; the larger limit applies.
	sticker: { mimeTypes: ['image/webp'], maxBytes: 500 * KB, label: '500 KB' },
	video: { mimeTypes: ['video/mp4', 'video/3gp', 'video/3gpp'], maxBytes: 16 * MB, label: '16 MB' },
};

/** 360dialog's overall cap for Cloud API media. */
export const MAX_MEDIA_BYTES = 100 * MB;

/** `audio/ogg; codecs=opus` → audio. */
export function mediaKindOf(mimeType: string): MediaKind | undefined {
	const base = mimeType.split(';')[0].trim().toLowerCase();
	return (Object.keys(MEDIA_LIMITS) as MediaKind[]).find((kind) => MEDIA_LIMITS[kind].mimeTypes.includes(base));
}

export interface StoredMedia {
	id: string;
	kind: MediaKind;
	/** As uploaded (the part's Content-Type). */
	mimeType: string;
	filename: string;
	fileSize: number;
	/** SHA-256 of the bytes; encoded per the `sha256Encoding` setting when shown. */
	sha256: Buffer;
	filePath: string;
	uploadedAt: string;
	/** true for inbound media given at creation: its file is not the store's (never deleted). */
	inbound?: boolean;
}

/** Media a user sent (an inbound message's media ID), served from an existing file. */
export interface InboundMediaFile {
	id: string;
	mimeType: string;
	filename: string;
	filePath: string;
}

export type SaveResult = { media: StoredMedia } | { error: string };

interface IssuedUrl {
	mediaId: string;
	issuedAt: number;
	/** Set by `expireUrls()`. */
	revoked: boolean;
}

export type UrlLookup = { media: StoredMedia } | { error: 'unknown' | 'expired' };

export const LOOKASIDE_ORIGIN = 'https://lookaside.fbsbx.com';
export const ATTACHMENTS_PATH = '/whatsapp_business/attachments/';

export class MediaStore {
	private readonly media = new Map<string, StoredMedia>();
	private readonly urls = new Map<string, IssuedUrl>();
	/** Numeric IDs like Meta's; random start so two emulators do not hand out the same IDs. */
	private nextId = 1_200_000_000_000_000 + randomInt(0, 1_000_000) * 1000;

	private readonly inboundMedia: StoredMedia[];
	/** Successful `POST /media` uploads since start or the last `clear()` (deleted ones included). */
	private uploadCount = 0;

	private constructor(
		readonly dir: string,
		inbound: readonly InboundMediaFile[],
	) {
		const uploadedAt = new Date().toISOString();
		this.inboundMedia = inbound.map((file) => {
			const kind = mediaKindOf(file.mimeType);
			if (!kind) throw new Error(`inbound media ${file.id}: type ${JSON.stringify(file.mimeType)} is not a WhatsApp media type`);
			const bytes = readFileSync(file.filePath);
			const sha256 = createHash('sha256').update(bytes).digest();
			return { ...file, kind, fileSize: bytes.length, sha256, uploadedAt, inbound: true };
		});
		this.addInbound();
	}

	/** `inbound`: media IDs of messages users sent, known from the start (and again after `clear()`). */
	static async create(inbound: readonly InboundMediaFile[] = []): Promise<MediaStore> {
		return new MediaStore(await mkdtemp(path.join(tmpdir(), '360dialog-emulator-media-')), inbound);
	}

	private addInbound(): void {
		for (const media of this.inboundMedia) this.media.set(media.id, { ...media });
	}

	/**
	 * Streams an upload to disk, hashing and counting as it goes. On a bad type or size the rest
	 * of the stream is drained (so the client gets an answer, not a reset) and nothing is kept.
	 */
	async save(file: Readable, mimeType: string, filename: string, truncated: () => boolean): Promise<SaveResult> {
		const kind = mediaKindOf(mimeType);
		if (!kind) {
			file.resume();
			await new Promise((done) => file.once('end', done).once('error', done));
			const supported = (Object.keys(MEDIA_LIMITS) as MediaKind[]).map((k) => `${k}: ${MEDIA_LIMITS[k].mimeTypes.join(', ')}`).join('; ');
			return { error: `file: type ${JSON.stringify(mimeType || 'unknown')} is not supported. Supported types are ${supported}` };
		}
		const limit = MEDIA_LIMITS[kind].maxBytes;
		const id = String(this.nextId++);
		const filePath = path.join(this.dir, id);
		const hash = createHash('sha256');
		let size = 0;
		const meter = new Transform({
			transform(chunk: Buffer, _encoding, done) {
				size += chunk.length;
				if (size > limit) return done(); // keep draining, stop writing
				hash.update(chunk);
				done(null, chunk);
			},
		});
		await pipeline(file, meter, createWriteStream(filePath));
		if (size > limit || truncated()) {
			await unlink(filePath).catch(() => undefined);
			const bytes = truncated() ? `more than ${MAX_MEDIA_BYTES}` : String(size);
			return { error: `file: ${mimeType} of ${bytes} bytes is larger than the ${kind} limit of ${MEDIA_LIMITS[kind].label} (${limit} bytes)` };
		}
		if (size === 0) {
			await unlink(filePath).catch(() => undefined);
			return { error: 'file: the file is empty' };
		}
		const media: StoredMedia = { id, kind, mimeType, filename, fileSize: size, sha256: hash.digest(), filePath, uploadedAt: new Date().toISOString() };
		this.media.set(id, media);
		this.uploadCount++;
		return { media };
	}

	get uploads(): number {
		return this.uploadCount;
	}

	get(id: string): StoredMedia | undefined {
		return this.media.get(id);
	}

	/** Media uploaded with `POST /media` (not the inbound media given at creation). */
	list(): StoredMedia[] {
		return [...this.media.values()].filter((media) => !media.inbound);
	}

	/** The inbound media given at creation that are still there (`DELETE` removes them until `clear()`). */
	inbound(): StoredMedia[] {
		return [...this.media.values()].filter((media) => media.inbound);
	}

	async delete(id: string): Promise<boolean> {
		const media = this.media.get(id);
		if (!media) return false;
		this.media.delete(id);
		if (!media.inbound) await unlink(media.filePath).catch(() => undefined);
		return true;
	}

	/** A fresh lookaside-style URL for the media; valid for the TTL given at lookup time. */
	issueUrl(mediaId: string, ttlMs: number): string {
		const now = Date.now();
		if (this.urls.size > 10_000) {
			for (const [hash, url] of this.urls) if (url.revoked || now - url.issuedAt > ttlMs) this.urls.delete(hash);
		}
		const hash = randomBytes(18).toString('base64url');
		this.urls.set(hash, { mediaId, issuedAt: now, revoked: false });
		const ext = Math.floor(now / 1000);
		return `${LOOKASIDE_ORIGIN}${ATTACHMENTS_PATH}?mid=${mediaId}&ext=${ext}&hash=${hash}`;
	}

	lookupUrl(mid: string, hash: string, ttlMs: number): UrlLookup {
		const url = this.urls.get(hash);
		const media = this.media.get(mid);
		if (!url || url.mediaId !== mid || !media) return { error: 'unknown' };
		if (url.revoked || Date.now() - url.issuedAt > ttlMs) return { error: 'expired' };
		return { media };
	}

	/** Every URL handed out so far stops working (new `GET /{media-id}` calls give working ones). */
	expireUrls(): number {
		for (const url of this.urls.values()) url.revoked = true;
		return this.urls.size;
	}

	/** Uploads (and their files) go; the inbound media given at creation are back. */
	async clear(): Promise<void> {
		const files = this.list().map((media) => media.filePath);
		this.media.clear();
		this.urls.clear();
		this.uploadCount = 0;
		this.addInbound();
		await Promise.all(files.map((file) => unlink(file).catch(() => undefined)));
	}

	async close(): Promise<void> {
		this.media.clear();
		this.urls.clear();
		await rm(this.dir, { recursive: true, force: true });
	}
}
