/**
 * `npm run bench:media` (`npx tsx bench/media.ts`) — upload and download of one large file by the
 * Media node, run by n8n-core's engine in filesystem binary mode, against the emulator in a child
 * process (so RSS measures the n8n side only).
 *
 * The file is a 64 MB application/pdf (documents may be 100 MB; video stops at 16 MB).
 * Prints, for download and upload: MB/s, peak RSS growth over the baseline just before the run, and
 * peak growth of Buffer memory (process.memoryUsage().arrayBuffers)
 * (sampled every 2 ms; GC first when run with --expose-gc), after a 1 MB warm-up of both. Download
 * runs first, on a process that has not yet held the large file in memory. Last lines:
 *   media_upload_rss_ratio=<peak RSS growth during upload / file size>       (goal < 0.5)
 *   media_download_rss_ratio=<peak RSS growth during download / file size>   (goal < 0.5)
 * Figures only: nothing here passes or fails.
 *
 * Flags: --mb N (file size in MiB, default 64).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { INodeParameters } from 'n8n-workflow';

import { Dialog360Media } from '../nodes/Dialog360Media/Dialog360Media.node.ts'; // explicit: tsx would pick the codex .node.json
import { configureBinaryMode, runNode } from '../test/support/n8nHarness';
import { numberFlag, startEmulatorProcess } from './lib';

const MIB = 1024 * 1024;
const FILE_BYTES = Math.round(numberFlag('mb', 64) * MIB);
const MIME_TYPE = 'application/pdf';
const API_KEY = 'test-key';

/** Writes `bytes` random bytes to a file in 1 MiB chunks; returns its SHA-256 (hex). */
async function writeRandomFile(path: string, bytes: number): Promise<string> {
	const hash = createHash('sha256');
	const out = createWriteStream(path);
	for (let written = 0; written < bytes; ) {
		const chunk = randomBytes(Math.min(MIB, bytes - written));
		hash.update(chunk);
		written += chunk.length;
		if (!out.write(chunk)) await new Promise<void>((done) => out.once('drain', () => done()));
	}
	await new Promise<void>((done, fail) => out.end((error?: Error | null) => (error ? fail(error) : done())));
	return hash.digest('hex');
}

interface Measured<T> {
	value: T;
	seconds: number;
	baselineMb: number;
	peakGrowthBytes: number;
	/** Peak growth of memory held by Buffers/ArrayBuffers: shows whether the file was buffered whole. */
	peakBufferGrowthBytes: number;
}

/** Samples RSS every 2 ms while `work` runs; peak growth is over the RSS right before it. */
async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
	global.gc?.();
	global.gc?.();
	await new Promise((done) => setTimeout(done, 50));
	const baseline = process.memoryUsage();
	let peak = baseline.rss;
	let peakBuffers = baseline.arrayBuffers;
	const sample = () => {
		const usage = process.memoryUsage();
		peak = Math.max(peak, usage.rss);
		peakBuffers = Math.max(peakBuffers, usage.arrayBuffers);
	};
	const timer = setInterval(sample, 2);
	const started = process.hrtime.bigint();
	try {
		const value = await work();
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		sample();
		return {
			value,
			seconds,
			baselineMb: baseline.rss / MIB,
			peakGrowthBytes: peak - baseline.rss,
			peakBufferGrowthBytes: peakBuffers - baseline.arrayBuffers,
		};
	} finally {
		clearInterval(timer);
	}
}

const mb = (bytes: number) => (bytes / MIB).toFixed(1);

async function main(): Promise<void> {
	if (!global.gc) console.log('(run with node --expose-gc for a GC before each baseline: npx tsx --expose-gc bench/media.ts)');
	const work = mkdtempSync(join(tmpdir(), 'bench-media-'));
	const binaryDir = join(work, 'n8n-binary');
	const filePath = join(work, 'big.pdf');
	const { url, child } = await startEmulatorProcess();
	try {
		const expectedSha = await writeRandomFile(filePath, FILE_BYTES);
		await configureBinaryMode('filesystem', binaryDir);
		const credentials = { dialog360Api: { apiKey: API_KEY, environment: 'custom', baseUrl: url } };
		const node = new Dialog360Media();
		const run = (parameters: INodeParameters, input?: Parameters<typeof runNode>[0]['input']) =>
			runNode({
				nodeType: node,
				typeName: 'n8n-nodes-360dialog.dialog360Media',
				parameters,
				credentials,
				input,
				binaryMode: 'filesystem',
				binaryDataPath: binaryDir,
			});

		console.log(`media benchmark: ${mb(FILE_BYTES)} MB ${MIME_TYPE}, n8n binary mode "filesystem", emulator at ${url} (child process)`);

		// Seed: put the file on the emulator without the node (fetch streams the file-backed Blob).
		const form = new FormData();
		form.append('messaging_product', 'whatsapp');
		form.append('file', await openAsBlob(filePath, { type: MIME_TYPE }), 'seed.pdf');
		const seeded = (await (await fetch(`${url}/media`, { method: 'POST', headers: { 'D360-API-KEY': API_KEY }, body: form })).json()) as { id?: string };
		if (!seeded.id) throw new Error(`seeding the emulator failed: ${JSON.stringify(seeded)}`);

		// Warm-up with a small file, so module loading and first-use costs are not counted below.
		const small = new FormData();
		small.append('messaging_product', 'whatsapp');
		small.append('file', new Blob([randomBytes(MIB)], { type: MIME_TYPE }), 'warm.pdf');
		const warm = (await (await fetch(`${url}/media`, { method: 'POST', headers: { 'D360-API-KEY': API_KEY }, body: small })).json()) as { id?: string };
		const warmDownload = await run({ operation: 'download', mediaId: warm.id });
		if (warmDownload.error) throw warmDownload.error;
		const warmUpload = await run({ operation: 'upload' }, [{ json: {}, binary: { data: warmDownload.items[0].binary!.data } }]);
		if (warmUpload.error) throw warmUpload.error;

		// Download.
		const download = await measure(async () => await run({ operation: 'download', mediaId: seeded.id }));
		if (download.value.error) throw download.value.error;
		const downloaded = download.value.items[0];
		const binary = downloaded.binary!.data;
		if (!binary.id) throw new Error('the download is not stored in filesystem mode');
		if (downloaded.json.sha256 !== expectedSha || downloaded.json.fileSize !== FILE_BYTES) {
			throw new Error(`download mismatch: ${JSON.stringify(downloaded.json)}`);
		}
		const downloadRatio = download.peakGrowthBytes / FILE_BYTES;
		console.log(
			`download: ${(FILE_BYTES / MIB / download.seconds).toFixed(1)} MB/s (${download.seconds.toFixed(2)} s), ` +
				`peak RSS growth ${mb(download.peakGrowthBytes)} MB over ${download.baselineMb.toFixed(0)} MB = ${downloadRatio.toFixed(3)} × file size ` +
				`(Buffers +${mb(download.peakBufferGrowthBytes)} MB), stored on disk as ${binary.id.split(':')[0]}, SHA-256 verified`,
		);

		// Upload: the input item's binary data is on disk (filesystem mode), as after a Read File node.
		const stored = await Container.get(BinaryDataService).store(
			{ type: 'execution', workflowId: 'bench', executionId: 'bench-upload' },
			createReadStream(filePath),
			{ mimeType: MIME_TYPE, fileName: 'upload.pdf', data: '' },
		);
		const upload = await measure(async () => await run({ operation: 'upload' }, [{ json: {}, binary: { data: stored } }]));
		if (upload.value.error) throw upload.value.error;
		const uploadedId = upload.value.items[0].json.mediaId as string;
		const info = await run({ operation: 'getInfo', mediaId: uploadedId });
		const infoJson = info.items[0]?.json ?? {};
		if (infoJson.fileSize !== FILE_BYTES || Buffer.from(String(infoJson.sha256), 'base64').toString('hex') !== expectedSha) {
			throw new Error(`upload mismatch: ${JSON.stringify(infoJson)}`);
		}
		const uploadRatio = upload.peakGrowthBytes / FILE_BYTES;
		console.log(
			`upload (filesystem mode, streamed from disk):   ${(FILE_BYTES / MIB / upload.seconds).toFixed(1)} MB/s (${upload.seconds.toFixed(2)} s), ` +
				`peak RSS growth ${mb(upload.peakGrowthBytes)} MB over ${upload.baselineMb.toFixed(0)} MB = ${uploadRatio.toFixed(3)} × file size ` +
				`(Buffers +${mb(upload.peakBufferGrowthBytes)} MB), SHA-256 matches`,
		);
		console.log(`media_upload_rss_ratio=${uploadRatio.toFixed(3)}`);
		console.log(`media_download_rss_ratio=${downloadRatio.toFixed(3)}`);
	} finally {
		child.kill('SIGTERM');
		rmSync(work, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
