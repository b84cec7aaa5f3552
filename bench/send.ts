/**
 * `npm run bench:send` — bulk-send throughput of the Send node, run by n8n-core's engine, against
 * the emulator in a child process (100 ms added latency, its 50 rps / burst 150 rate limit on).
 *
 * Prints, measured side by side in one run:
 *   - paced + concurrent (the node's defaults: 50 msg/s, burst 150, 20 in flight): msg/s, ratio to
 *     the 50/s ceiling, failed items, 429s seen, peak RSS growth;
 *   - strictly sequential (1 in flight) as the baseline, and the speed-up between the two;
 *   - build + validate cost per item for template items (no HTTP), in µs;
 *   - media reuse: image messages (--messages of them) cycling through 3 distinct https links served
 *     by a local HTTPS server in this process; with the default Reuse Uploaded Media each link is
 *     uploaded once and every message sends its id.
 * Last lines: `send_ratio_to_ceiling=<x> failed=<n>`, then `media_reuse_uploads=<n>` (uploads to
 * /media, goal 3) with `media_reuse_by_id=<messages sent by id>`. Figures only: nothing here passes or fails.
 *
 * Flags: --messages N (default 1000), --sequential N (default = --messages), --template-items N (10000),
 * --reuse-messages N (default = --messages).
 */

import { randomBytes } from 'node:crypto';

import axios from 'axios';
import type { INodeExecutionData } from 'n8n-workflow';

import { Dialog360 } from '../nodes/Dialog360/Dialog360.node.ts'; // explicit: tsx would pick the codex Dialog360.node.json
import { runNode } from '../test/support/n8nHarness';
import { startLinkServer } from '../test/support/linkServer';
import { numberFlag, startEmulatorProcess } from './lib';
import { measureTemplateBuild } from './templateBuild';

const CEILING = 50;
const MESSAGES = numberFlag('messages', 1000);
const SEQUENTIAL = numberFlag('sequential', MESSAGES);
const TEMPLATE_ITEMS = numberFlag('template-items', 10_000);
const REUSE_MESSAGES = numberFlag('reuse-messages', MESSAGES);

/** Samples RSS every 10 ms while `work` runs; returns the peak growth over the value at start. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; baselineMb: number; peakGrowthMb: number }> {
	global.gc?.();
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
	try {
		const value = await work();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { value, baselineMb: baseline / 2 ** 20, peakGrowthMb: (peak - baseline) / 2 ** 20 };
	} finally {
		clearInterval(timer);
	}
}

async function sendRun(url: string, count: number, options: Record<string, number>) {
	const input: INodeExecutionData[] = Array.from({ length: count }, (_, i) => ({
		json: { phone: `+4915${String(100000000 + i)}`, name: `Customer ${i}` },
	}));
	await axios.post(`${url}/_emulator/reset`, {});
	await axios.post(`${url}/_emulator/faults`, { latencyMs: 100, rateLimit: true });
	const started = process.hrtime.bigint();
	const { value: result, baselineMb, peakGrowthMb } = await withPeakRss(() =>
		runNode({
			nodeType: new Dialog360(),
			typeName: 'n8n-nodes-360dialog.dialog360',
			parameters: { messageType: 'text', to: '={{ $json.phone }}', textBody: '=Hello {{ $json.name }}', options },
			credentials: { dialog360Api: { apiKey: 'test-key', environment: 'custom', baseUrl: url } },
			input,
			onError: 'continueRegularOutput',
		}),
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const errors = result.items.map((item) => item.json.error).filter((error): error is string => typeof error === 'string');
	const failed = errors.length + (result.error ? count : 0);
	// what failed, once per distinct message: a figure without its reason is no use
	const byMessage = new Map<string, number>();
	for (const error of errors) byMessage.set(error.slice(0, 200), (byMessage.get(error.slice(0, 200)) ?? 0) + 1);
	for (const [message, times] of byMessage) console.error(`   failed ${times}×: ${message}`);
	const requests = (await axios.get<Array<{ statusCode?: number; url: string }>>(`${url}/_emulator/requests`)).data;
	const accepted = (await axios.get<unknown[]>(`${url}/_emulator/messages`)).data.length;
	return {
		seconds,
		rate: count / seconds,
		failed,
		accepted,
		rejected429: requests.filter((request) => request.statusCode === 429).length,
		baselineMb,
		peakGrowthMb,
	};
}

/** Image messages cycling through 3 links; counts the uploads the emulator took and the messages sent by id. */
async function reuseRun(url: string, count: number) {
	const jpeg = () => Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), randomBytes(200 * 1024)]);
	const paths = ['/one.jpg', '/two.jpg', '/three.jpg'];
	const server = await startLinkServer(Object.fromEntries(paths.map((path) => [path, { body: jpeg(), contentType: 'image/jpeg' }])));
	try {
		await axios.post(`${url}/_emulator/reset`, {});
		await axios.post(`${url}/_emulator/faults`, { latencyMs: 100, rateLimit: true });
		const input: INodeExecutionData[] = Array.from({ length: count }, (_, i) => ({
			json: { phone: `+4915${String(100000000 + i)}`, link: server.url(paths[i % paths.length]) },
		}));
		const started = process.hrtime.bigint();
		const result = await runNode({
			nodeType: new Dialog360(),
			typeName: 'n8n-nodes-360dialog.dialog360',
			parameters: { messageType: 'image', to: '={{ $json.phone }}', mediaSource: 'url', mediaUrl: '={{ $json.link }}', options: {} },
			credentials: { dialog360Api: { apiKey: 'test-key', environment: 'custom', baseUrl: url } },
			input,
			onError: 'continueRegularOutput',
		});
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		const uploads = (await axios.get<{ uploads: number }>(`${url}/_emulator/media`)).data.uploads;
		const messages = (await axios.get<Array<{ body: { image?: { id?: string } } }>>(`${url}/_emulator/messages`)).data;
		const failed = result.items.filter((item) => typeof item.json.error === 'string').length + (result.error ? count : 0);
		return {
			seconds,
			uploads,
			byId: messages.filter((message) => typeof message.body.image?.id === 'string').length,
			failed,
			downloads: paths.reduce((sum, path) => sum + server.hits(path), 0),
		};
	} finally {
		await server.close();
	}
}

async function main() {
	const { url, child } = await startEmulatorProcess();
	try {
		console.log(`Send benchmark: ${MESSAGES} texts, emulator ${url} with 100 ms latency and 50 rps / burst 150 rate limit`);
		const paced = await sendRun(url, MESSAGES, {});
		console.log(
			`paced (defaults 50/s, burst 150, 20 in flight): ${paced.seconds.toFixed(2)} s, ${paced.rate.toFixed(1)} msg/s, ` +
				`ratio to ${CEILING}/s ceiling ${(paced.rate / CEILING).toFixed(3)}, failed ${paced.failed}, accepted ${paced.accepted}, ` +
				`429s retried ${paced.rejected429}, RSS ${paced.baselineMb.toFixed(0)} MB + peak ${paced.peakGrowthMb.toFixed(1)} MB`,
		);
		const sequential = await sendRun(url, SEQUENTIAL, { maxConcurrent: 1 });
		console.log(
			`sequential baseline (1 in flight, ${SEQUENTIAL} msgs): ${sequential.seconds.toFixed(2)} s, ${sequential.rate.toFixed(1)} msg/s, ` +
				`failed ${sequential.failed}, RSS peak growth ${sequential.peakGrowthMb.toFixed(1)} MB`,
		);
		console.log(`speed-up paced vs sequential: ${(paced.rate / sequential.rate).toFixed(2)}x`);

		const template = await measureTemplateBuild(TEMPLATE_ITEMS);
		console.log(
			`template build + validate: ${TEMPLATE_ITEMS} items in ${template.totalMs.toFixed(1)} ms = ${template.microsPerItem.toFixed(2)} µs/item (goal < 50) [${template.what}]`,
		);
		const reuse = await reuseRun(url, REUSE_MESSAGES);
		console.log(
			`media reuse (${REUSE_MESSAGES} images, 3 distinct links, default options): ${reuse.seconds.toFixed(2)} s, ` +
				`${reuse.uploads} uploads to /media, ${reuse.downloads} link downloads, ${reuse.byId} messages sent by id, failed ${reuse.failed}`,
		);
		console.log(`send_ratio_to_ceiling=${(paced.rate / CEILING).toFixed(3)} failed=${paced.failed + sequential.failed}`);
		console.log(`media_reuse_uploads=${reuse.uploads} media_reuse_by_id=${reuse.byId}`);
	} finally {
		child.kill('SIGTERM');
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
