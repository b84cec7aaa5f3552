/**
 * Resumable upload sessions and the file handles they issue (template header examples, profile
 * pictures). Written from the public docs, not from the node's code:
 * - https://docs.360dialog.com/docs/messaging-api/api-reference/media-uploads
 *   (`POST /uploads?file_name&file_length&file_type` → `{id: "upload:…"}`, `POST /upload:{id}` with the
 *   header `file_offset` → `{h}`)
 * - https://docs.360dialog.com/docs/account-management/set-whatsapp-profile-information
 * - https://developers.facebook.com/docs/graph-api/guides/upload (file types, `file_offset`, resuming)
 *
 * Assumptions (docs/DEVELOPMENT.md, API assumption 36): the bytes of one request must complete the
 * file (a shorter body leaves the session at the new offset, to be resumed; a longer one is refused);
 * handles look like Meta's `4::<base64 MIME type>:<random>` and are only valid on this emulator.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The file types Meta's resumable upload accepts. */
export const UPLOAD_FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/jpg', 'image/png', 'video/mp4'];

/** The largest file a session may announce (Meta's document limit, 100 MB). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export interface UploadSession {
	id: string;
	/** Meta's session ids carry a signature as `?sig=…`; clients append the id to the path as it is. */
	signature: string;
	fileName?: string;
	fileLength: number;
	fileType: string;
	offset: number;
	hash: ReturnType<typeof createHash>;
	/** The first bytes, enough to recognise the file format. */
	head: Buffer;
	handle?: string;
}

export interface UploadedFile {
	handle: string;
	fileName?: string;
	fileType: string;
	fileLength: number;
	sha256: string;
	head: Buffer;
}

const HEAD_BYTES = 16;

export class UploadSessions {
	private sessions = new Map<string, UploadSession>();
	private files = new Map<string, UploadedFile>();

	create(fileLength: number, fileType: string, fileName?: string): UploadSession {
		const id = `upload:${randomBytes(18).toString('base64url')}`;
		const session: UploadSession = {
			id,
			signature: randomBytes(9).toString('base64url'),
			fileName,
			fileLength,
			fileType,
			offset: 0,
			hash: createHash('sha256'),
			head: Buffer.alloc(0),
		};
		this.sessions.set(id, session);
		return session;
	}

	get(id: string): UploadSession | undefined {
		return this.sessions.get(id);
	}

	/** Takes one chunk at the session's offset; the caller checked offset and length. */
	append(session: UploadSession, chunk: Buffer): void {
		session.hash.update(chunk);
		if (session.head.length < HEAD_BYTES) session.head = Buffer.concat([session.head, chunk.subarray(0, HEAD_BYTES - session.head.length)]);
		session.offset += chunk.length;
	}

	/** Issues the handle of a complete session (once; later calls return the same). */
	complete(session: UploadSession): UploadedFile {
		if (session.handle) return this.files.get(session.handle) as UploadedFile;
		const handle = `4::${Buffer.from(session.fileType).toString('base64')}:${randomBytes(24).toString('base64url')}`;
		const file: UploadedFile = {
			handle,
			fileName: session.fileName,
			fileType: session.fileType,
			fileLength: session.fileLength,
			sha256: session.hash.digest('hex'),
			head: session.head,
		};
		session.handle = handle;
		this.files.set(handle, file);
		return file;
	}

	/** The file behind a handle this emulator issued. */
	file(handle: string): UploadedFile | undefined {
		return this.files.get(handle);
	}

	list(): UploadedFile[] {
		return [...this.files.values()];
	}

	reset(): void {
		this.sessions.clear();
		this.files.clear();
	}
}
