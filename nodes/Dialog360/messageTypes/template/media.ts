/** Header media of a template: an https:// link, a media ID, or a binary field of the item (uploaded in the send phase). */
import type { IDataObject } from 'n8n-workflow';

import { assertMediaAllowed } from '../../../common/mediaLimits';
import { FieldError, httpsUrl } from '../../../common/validation';
import type { BuildContext, PendingUpload } from '../types';
import type { MediaResolver } from './build';

const EXPLICIT_MEDIA = /^(id|binary):\s*(.*)$/i;
const HTTP_LINK = /^https?:\/\//i;
const OTHER_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Links `httpsUrl` accepted, by value: a bulk send usually repeats one header image, and parsing
 * it as a URL is the costliest check of an item. Rejected links are not kept. Emptied when full.
 */
const acceptedLinks = new Map<string, string>();
const ACCEPTED_LINKS_LIMIT = 1000;

function mediaLink(label: string, value: string): string {
	const known = acceptedLinks.get(value);
	if (known !== undefined) return known;
	const link = httpsUrl(label, value);
	if (acceptedLinks.size >= ACCEPTED_LINKS_LIMIT) acceptedLinks.clear();
	acceptedLinks.set(value, link);
	return link;
}

/**
 * Resolves header media for one item. A binary field is checked now (MIME type, size) and added
 * to `uploads` with the path of its media object in the send body (`['template', ...path]`),
 * where send.ts puts the media ID after the upload.
 */
export function mediaResolver(context: BuildContext, uploads: PendingUpload[]): MediaResolver {
	return async (label, kind, value, path) => {
		const explicit = EXPLICIT_MEDIA.exec(value);
		if (!explicit && HTTP_LINK.test(value)) return { link: mediaLink(label, value) };
		if ((explicit && explicit[1].toLowerCase() === 'id') || (!explicit && /^\d+$/.test(value))) {
			const id = explicit ? explicit[2].trim() : value;
			if (id === '' || /\s/.test(id)) throw new FieldError(label, `${label}: "${value}" is not a media ID`);
			return { id };
		}
		if (!explicit && OTHER_SCHEME.test(value)) {
			throw new FieldError(label, `${label} must be an https:// link, a media ID or the name of a binary field; got "${value}"`);
		}
		const property = explicit ? explicit[2].trim() : value;
		const file = await context.binary(property, label);
		assertMediaAllowed(label, kind, file.mimeType, file.sizeBytes);
		const media: IDataObject = {};
		if (kind === 'document' && file.fileName) media.filename = file.fileName;
		uploads.push({ binaryPropertyName: property, kind, mimeType: file.mimeType, fileName: file.fileName, path: ['template', ...path] });
		return media;
	};
}
