/**
 * Media reuse (Send node option "Reuse Uploaded Media"). 360dialog recommends sending media by
 * id: a link reused for many messages is better uploaded to /media once, and its media id reused
 * (https://docs.360dialog.com/docs/messaging/media, "Media IDs vs Media links").
 *
 * Within one execution, each distinct media link and each distinct binary file is uploaded to
 * /media once; every message then sends it by `id`. Items that need the same media while its
 * upload runs wait for that one upload (a promise per media, kept for the execution).
 *
 * Links: the node downloads the link (size limits of the media kind) and streams it into the
 * upload. When the download or the upload fails, the message still goes out by link and its output
 * says so (`mediaReuse: "link"` and `mediaReuseError`). Every media object sent by link counts:
 * the message's own media, template header media (also in carousel cards) and interactive headers.
 */
import { createHash } from 'node:crypto';
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { isRecord, replaceAt } from '../common/json';
import { extensionForMimeType } from '../common/mediaDownload';
import { baseMimeType, checkMedia, MEDIA_KINDS, MEDIA_RULES, type MediaKind } from '../common/mediaLimits';
import { binarySource, uploadBinary, uploadMedia, type UploadSource } from '../common/mediaUpload';
import { openLink, type Dialog360Connection, type DownloadStream } from '../common/transport';
import { FieldError } from '../common/validation';
import type { PendingUpload } from './messageTypes/types';

/** `auto`: on when the node gets more than one input item (a bulk send), off for a single message. */
export type ReuseSetting = 'auto' | 'always' | 'never';

export interface ReuseOptions {
	reuseMedia?: ReuseSetting;
}

/** A media object of a built body that refers to its file by `link`. */
export interface MediaLink {
	path: Array<string | number>;
	kind: MediaKind;
	link: string;
}

type LinkOutcome = { id: string } | { error: string };

interface ExecutionCache {
	links: Map<string, Promise<LinkOutcome>>;
	binaries: Map<string, Promise<string>>;
}

/** One cache per execution of the node: n8n creates a new execute context for every run. */
const caches = new WeakMap<IExecuteFunctions, ExecutionCache>();

function cacheOf(context: IExecuteFunctions): ExecutionCache {
	let cache = caches.get(context);
	if (!cache) {
		cache = { links: new Map(), binaries: new Map() };
		caches.set(context, cache);
	}
	return cache;
}

export function reuseEnabled(context: IExecuteFunctions, options: ReuseOptions): boolean {
	const setting = options.reuseMedia ?? 'auto';
	if (setting === 'always') return true;
	if (setting === 'never') return false;
	return context.getInputData().length > 1;
}

/** Every media object sent by link, wherever it sits in the body. */
export function mediaLinks(value: unknown, path: Array<string | number> = []): MediaLink[] {
	if (Array.isArray(value)) return value.flatMap((entry, index) => mediaLinks(entry, [...path, index]));
	if (!isRecord(value)) return [];
	return Object.entries(value).flatMap(([key, entry]) => {
		if ((MEDIA_KINDS as string[]).includes(key) && isRecord(entry) && typeof entry.link === 'string') {
			return [{ path: [...path, key], kind: key as MediaKind, link: entry.link }];
		}
		return mediaLinks(entry, [...path, key]);
	});
}

/** The body with the media object at `path` sending `id` instead of its link (other fields stay). */
function withMediaId(body: IDataObject, path: ReadonlyArray<string | number>, id: string): IDataObject {
	return replaceAt(body, path, (value) => {
		const media: IDataObject = { id, ...(value as IDataObject) };
		delete media.link;
		return media;
	}) as IDataObject;
}

/**
 * Phase 2, before the message is posted: with reuse on, each media link of the body becomes the
 * id of its upload. Returns the body to send and what the output item reports.
 */
export async function reuseMediaLinks(
	context: IExecuteFunctions,
	connection: Dialog360Connection,
	itemIndex: number,
	body: IDataObject,
	options: ReuseOptions,
): Promise<{ body: IDataObject; report: IDataObject }> {
	if (!reuseEnabled(context, options)) return { body, report: {} };
	const links = mediaLinks(body);
	if (links.length === 0) return { body, report: {} };
	const { links: cache } = cacheOf(context);
	let result = body;
	const errors: string[] = [];
	for (const media of links) {
		const key = `${media.kind} ${media.link}`;
		let outcome = cache.get(key);
		if (!outcome) {
			outcome = uploadLink(context, connection, itemIndex, media);
			cache.set(key, outcome);
		}
		const settled = await outcome;
		if ('id' in settled) result = withMediaId(result, media.path, settled.id);
		else errors.push(settled.error);
	}
	if (errors.length === 0) return { body: result, report: { mediaReuse: 'id' } };
	return { body: result, report: { mediaReuse: 'link', mediaReuseError: errors.join('; ') } };
}

async function uploadLink(
	context: IExecuteFunctions,
	connection: Dialog360Connection,
	itemIndex: number,
	media: MediaLink,
): Promise<LinkOutcome> {
	try {
		const source = await linkSource(context, media);
		return { id: await uploadMedia(context, connection, source, itemIndex) };
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		return { error: `${media.link} was sent by link: ${reason}` };
	}
}

/** The MIME type the server names, or the one the link's file extension stands for in this kind. */
function linkMimeType(kind: MediaKind, link: string, contentType: string | undefined): string | undefined {
	const accepted = MEDIA_RULES[kind].mimeTypes;
	if (contentType && accepted.includes(baseMimeType(contentType))) return baseMimeType(contentType);
	const extension = /\.([a-z0-9]+)$/i.exec(new URL(link).pathname)?.[1]?.toLowerCase().replace('jpeg', 'jpg');
	return accepted.find((mimeType) => extensionForMimeType(mimeType) === extension) ?? contentType;
}

function linkFileName(link: string, mimeType: string): string {
	const last = new URL(link).pathname.split('/').pop() ?? '';
	let name = '';
	try {
		name = decodeURIComponent(last).trim();
	} catch {
		name = last;
	}
	return name !== '' ? name : `media.${extensionForMimeType(mimeType)}`;
}

/** Reads a stream into memory, stopping at `limit` bytes (the server gave no Content-Length). */
async function readLimited(stream: DownloadStream, limit: number): Promise<Buffer[] | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		size += (chunk as Buffer).length;
		if (size > limit) {
			stream.destroy();
			return undefined;
		}
		chunks.push(chunk as Buffer);
	}
	return chunks;
}

/**
 * The link's file as an upload source. With a Content-Length the download streams straight into
 * the upload (a retried upload downloads again); without one, the file is read into memory up to
 * the kind's size limit, because the multipart body needs its length up front.
 */
async function linkSource(context: IExecuteFunctions, media: MediaLink): Promise<UploadSource> {
	const limit = MEDIA_RULES[media.kind].maxBytes;
	const first = await openLink.call(context, media.link, 'URL');
	const mimeType = linkMimeType(media.kind, media.link, first.contentType) ?? '';
	const fileName = linkFileName(media.link, mimeType);
	const typeProblem = checkMedia(media.kind, mimeType, undefined);
	if (typeProblem) {
		first.stream.destroy();
		throw new FieldError('URL', typeProblem);
	}

	if (first.contentLength === undefined) {
		const chunks = await readLimited(first.stream, limit);
		if (!chunks) throw new FieldError('URL', `the ${media.kind} is larger than ${MEDIA_RULES[media.kind].limitText}`);
		const sizeBytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
		const problem = checkMedia(media.kind, mimeType, sizeBytes);
		if (problem) throw new FieldError('URL', problem);
		return { sizeBytes, mimeType, fileName, open: async () => chunks };
	}

	const sizeBytes = first.contentLength;
	const problem = checkMedia(media.kind, mimeType, sizeBytes);
	if (problem) {
		first.stream.destroy();
		throw new FieldError('URL', problem);
	}
	let unread: DownloadStream | undefined = first.stream;
	return {
		sizeBytes,
		mimeType,
		fileName,
		open: async () => {
			if (unread) {
				const stream = unread;
				unread = undefined;
				return stream;
			}
			const again = await openLink.call(context, media.link, 'URL');
			if (again.contentLength !== sizeBytes) {
				again.stream.destroy();
				throw new FieldError('URL', 'the file behind the link changed between two attempts');
			}
			return again.stream;
		},
	};
}

/**
 * Uploads a binary file of the item (Source → Binary File, template header binaries): once per
 * execution for the same file when reuse is on, as a plain upload otherwise. The same file is the
 * same binary id (filesystem/S3 mode) or the same content, type and name (memory mode). A failed
 * upload is not kept, so a later item tries again.
 */
export async function uploadPendingBinary(
	context: IExecuteFunctions,
	connection: Dialog360Connection,
	itemIndex: number,
	upload: PendingUpload,
	options: ReuseOptions,
): Promise<string> {
	if (!reuseEnabled(context, options)) return await uploadBinary(context, connection, { itemIndex, ...upload });
	const binary = context.getInputData()[itemIndex]?.binary?.[upload.binaryPropertyName.trim()];
	if (!binary) return await uploadBinary(context, connection, { itemIndex, ...upload });
	const key = `${binaryIdentity(binary)} ${upload.mimeType} ${upload.fileName ?? ''}`;
	const { binaries } = cacheOf(context);
	let pending = binaries.get(key);
	if (!pending) {
		pending = (async () =>
			await uploadMedia(context, connection, await binarySource(context, binary, upload.mimeType, upload.fileName ?? 'file'), itemIndex))();
		binaries.set(key, pending);
		pending.catch(() => binaries.delete(key));
	}
	return await pending;
}

/** A binary id names stored data; in-memory data is known by a hash of its text. */
function binaryIdentity(binary: IBinaryData): string {
	if (binary.id) return `id:${binary.id}`;
	const hash = createHash('sha256');
	const text = binary.data ?? '';
	// In slices, so the whole text is never copied into one more buffer.
	for (let offset = 0; offset < text.length; offset += 1 << 20) hash.update(text.slice(offset, offset + (1 << 20)));
	return `sha256:${hash.digest('hex')}`;
}
