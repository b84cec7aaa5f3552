/**
 * A tiny HTTPS file server on 127.0.0.1 that serves media "links" to the Send node (media messages
 * accept only https:// links). Its certificate is the self-signed one in test/fixtures/tls. While
 * it runs, TLS connections to 127.0.0.1 that name no CA of their own trust that certificate (and
 * only it), so n8n's request helper verifies the server as usual; `close()` undoes this.
 * (NODE_TLS_REJECT_UNAUTHORIZED would not do: jest gives each test file its own copy of the env.)
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import tls from 'node:tls';

export interface LinkFile {
	body: Buffer;
	contentType: string;
	/** Send no Content-Length (chunked), as some servers do. */
	chunked?: boolean;
	/** Answer this status instead of the file. */
	status?: number;
}

export interface LinkServer {
	/** `https://127.0.0.1:<port><path>` */
	url(path: string): string;
	/** GET requests seen for a path since start or `resetHits()`. */
	hits(path: string): number;
	resetHits(): void;
	close(): Promise<void>;
}

const TLS_DIR = resolve(__dirname, '../fixtures/tls');

/** Makes TLS connections to 127.0.0.1 trust `cert`; returns the undo. */
function trustOnLoopback(cert: Buffer): () => void {
	const original = tls.connect;
	tls.connect = function connect(this: unknown, ...args: unknown[]) {
		const options = args.find((arg): arg is tls.ConnectionOptions => typeof arg === 'object' && arg !== null);
		if (options && options.ca === undefined && options.host === '127.0.0.1') options.ca = cert;
		return (original as (...rest: unknown[]) => tls.TLSSocket).apply(this, args);
	} as typeof tls.connect;
	return () => {
		tls.connect = original;
	};
}

export async function startLinkServer(files: Record<string, LinkFile>): Promise<LinkServer> {
	const hits = new Map<string, number>();
	const cert = readFileSync(resolve(TLS_DIR, 'loopback-cert.pem'));
	const server: Server = createServer(
		{ key: readFileSync(resolve(TLS_DIR, 'loopback-key.pem')), cert },
		(request, response) => {
			const path = (request.url ?? '/').split('?')[0];
			hits.set(path, (hits.get(path) ?? 0) + 1);
			const file = files[path];
			if (!file) {
				response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
				return;
			}
			if (file.status !== undefined) {
				response.writeHead(file.status, { 'content-type': 'text/plain' }).end(`status ${file.status}`);
				return;
			}
			response.writeHead(200, { 'content-type': file.contentType, ...(file.chunked ? {} : { 'content-length': String(file.body.length) }) });
			if (file.chunked) {
				// Two writes, so the body really goes out chunked.
				const half = Math.floor(file.body.length / 2);
				response.write(file.body.subarray(0, half));
				response.end(file.body.subarray(half));
			} else {
				response.end(file.body);
			}
		},
	);
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const untrust = trustOnLoopback(cert);
	const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url: (path) => `${origin}${path}`,
		hits: (path) => hits.get(path) ?? 0,
		resetHits: () => hits.clear(),
		close: async () => {
			untrust();
			server.closeAllConnections();
			await new Promise<void>((done) => server.close(() => done()));
		},
	};
}
