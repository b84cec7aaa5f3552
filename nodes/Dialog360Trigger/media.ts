/**
 * The Trigger's "Download Media" option: inbound image/video/audio/document/sticker messages get
 * their file as n8n binary data, through the Media node's download module (common/mediaDownload).
 *
 * A failed download never loses the event: the item is emitted without binary data and with
 * `mediaDownloadError` saying why.
 */
import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { downloadMedia } from '../common/mediaDownload';
import { getConnection, type Dialog360Connection } from '../common/transport';
import type { WebhookEvent } from './parser';

export const DOWNLOADABLE_TYPES: ReadonlySet<string> = new Set(['image', 'video', 'audio', 'document', 'sticker']);

export const DEFAULT_BINARY_PROPERTY = 'data';

/** Whether the event carries a file the option downloads. */
export function hasDownloadableMedia(event: WebhookEvent): boolean {
	return event.event === 'message' && DOWNLOADABLE_TYPES.has(event.type) && typeof event.mediaId === 'string' && event.mediaId !== '';
}

export function toItem(event: WebhookEvent): INodeExecutionData {
	return { json: event as unknown as IDataObject };
}

function errorText(error: unknown): string {
	if (error instanceof Error) {
		const description = (error as { description?: unknown }).description;
		return typeof description === 'string' && description !== '' ? `${error.message}: ${description}` : error.message;
	}
	return String(error);
}

/**
 * The items with `binary[binaryProperty]` on media messages. Runs in the execution (execute()), so
 * the file lands in the binary data store of the process that runs it (a worker in queue mode,
 * where n8n keeps binary data in its database). Downloads run one after the other: media GETs
 * count towards 360dialog's error throttle, and batches with media are rare.
 */
export async function withMedia(context: IExecuteFunctions, items: readonly INodeExecutionData[], binaryProperty: string): Promise<INodeExecutionData[]> {
	const property = binaryProperty.trim() || DEFAULT_BINARY_PROPERTY;
	let connection: Dialog360Connection | undefined;
	const out: INodeExecutionData[] = [];
	for (const original of items) {
		const item: INodeExecutionData = { ...original };
		const event = item.json as unknown as WebhookEvent;
		if (event.event === 'message' && hasDownloadableMedia(event)) {
			try {
				connection ??= await getConnection.call(context);
				const media = await downloadMedia(context, connection, event.mediaId as string, {
					mimeType: event.mimeType,
					fileName: event.filename,
					sha256: event.sha256,
				});
				const binary: IBinaryKeyData = { [property]: media.binary };
				item.binary = binary;
			} catch (error) {
				item.json = { ...item.json, mediaDownloadError: errorText(error) } as IDataObject;
			}
		}
		out.push(item);
	}
	return out;
}
