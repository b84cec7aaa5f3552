/**
 * `npm run bench:send` — bulk-send throughput of the Send node, run by n8n-core's engine, against
 * the emulator in a child process (100 ms added latency, its 50 rps / burst 150 rate limit on).
 *
 * Prints, measured side by side in one run:
 *   - paced + concurrent (the node's defaults: 50 msg/s, burst 150, 20 in flight): msg/s, ratio to
 *     the 50/s ceiling, failed items, 429s seen, peak RSS growth;
 *   - strictly sequential (1 in flight) as the baseline, and the speed-up between the two;
 *   - build + validate cost per item for template items (no HTTP), in µs;
 *   - pair rate: 200 messages to one customer mixed into 1,000 to others, with the emulator's pair
 *     rate limit (131056) on, paced per customer (the default) and not: failed items, 131056 answers,
 *     the number's rate while the others go out against the same others sent alone;
 *   - media reuse: image messages (--messages of them) cycling through 3 distinct https links served
 *     by a local HTTPS server in this process; with the default Reuse Uploaded Media each link is
 *     uploaded once and every message sends its id.
 * Last lines: `pair_failed=<n> pair_rate_ratio=<x>`, `send_ratio_to_ceiling=<x> failed=<n> pair_failed=<n>`, then
 * `media_reuse_uploads=<n>` (uploads to /media, goal 3) with `media_reuse_by_id=<messages sent by id>`.
 * Figures only: nothing here passes or fails.
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
const PAIR_HEAVY = numberFlag('pair-heavy', 200);
const PAIR_INTERVAL_MS = 300;
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

/** The pair-rate run's recipient mix: `others` customers once each, and `heavy` messages to one customer spread among them. */
const BUSY_PHONE = '+4915199999999';
function pairRunPhones(others: number, heavy: number): string[] {
	const phones = Array.from({ length: others }, (_, i) => `+4915${String(100000000 + i)}`);
	const every = Math.max(1, Math.floor(others / Math.max(1, heavy)));
	for (let k = heavy - 1; k >= 0; k--) phones.splice(k * every, 0, BUSY_PHONE);
	return phones;
}

/**
 * WhatsApp's pair rate limit: `PAIR_HEAVY` messages to one customer mixed into `MESSAGES` to others,
 * the emulator refusing with 131056 above one message per interval (burst 45), time scaled down
 * 20× (6 s → 300 ms) and the node told the same interval. `phones` empty = only the others.
 */
async function pairRun(url: string, phones: string[], options: Record<string, unknown>) {
	await axios.post(`${url}/_emulator/reset`, {});
	await axios.post(`${url}/_emulator/faults`, { latencyMs: 100, rateLimit: true, pairRateLimit: { intervalMs: PAIR_INTERVAL_MS, burst: 45 } });
	const started = Date.now();
	const result = await runNode({
		nodeType: new Dialog360(),
		typeName: 'n8n-nodes-360dialog.dialog360',
		parameters: { messageType: 'text', to: '={{ $json.phone }}', textBody: '=Hello {{ $json.n }}', options: { customerIntervalSeconds: PAIR_INTERVAL_MS / 1000, ...options } },
		credentials: { dialog360Api: { apiKey: 'test-key', environment: 'custom', baseUrl: url } },
		input: phones.map((phone, n) => ({ json: { phone, n } })),
		onError: 'continueRegularOutput',
	});
	const failed = result.items.filter((item) => typeof item.json.error === 'string').length + (result.error ? phones.length : 0);
	const requests = (await axios.get<Array<{ statusCode?: number; url: string }>>(`${url}/_emulator/requests`)).data;
	const messages = (await axios.get<Array<{ waId?: string; receivedAt: string }>>(`${url}/_emulator/messages`)).data;
	const busyWaId = BUSY_PHONE.slice(1);
	const lastOther = Math.max(...messages.filter((message) => message.waId !== busyWaId).map((message) => Date.parse(message.receivedAt)));
	// Every message the number sent until the last of the others went out: the number's rate while
	// the others were sent, which the one customer's waiting must not lower.
	const sentMeanwhile = messages.filter((message) => Date.parse(message.receivedAt) <= lastOther).length;
	return {
		failed,
		refused: requests.filter((request) => request.statusCode === 400).length,
		othersSeconds: (lastOther - started) / 1000,
		numberRate: sentMeanwhile / ((lastOther - started) / 1000),
		seconds: (Date.now() - started) / 1000,
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

		const mixedPhones = pairRunPhones(MESSAGES, PAIR_HEAVY);
		const othersAlone = await pairRun(url, pairRunPhones(MESSAGES, 0), {});
		const pairPaced = await pairRun(url, mixedPhones, {});
		const pairUnpaced = await pairRun(url, mixedPhones, { pacePerCustomer: false });
		console.log(
			`pair rate (${PAIR_HEAVY} to one customer mixed into ${MESSAGES} to others; emulator 131056 above 1 per ${PAIR_INTERVAL_MS} ms, burst 45 = Meta's 6 s scaled 20×): ` +
				`paced ${pairPaced.seconds.toFixed(1)} s, failed ${pairPaced.failed}, 131056 answers ${pairPaced.refused}; the others all out after ${pairPaced.othersSeconds.toFixed(1)} s ` +
				`at ${pairPaced.numberRate.toFixed(1)} msg/s for the number (others alone: ${othersAlone.othersSeconds.toFixed(1)} s at ${othersAlone.numberRate.toFixed(1)} msg/s, ` +
				`ratio ${(pairPaced.numberRate / othersAlone.numberRate).toFixed(2)}); ` +
				`not paced: failed ${pairUnpaced.failed}, 131056 answers ${pairUnpaced.refused}`,
		);

		const template = await measureTemplateBuild(TEMPLATE_ITEMS);
		console.log(
			`template build + validate: ${TEMPLATE_ITEMS} items in ${template.totalMs.toFixed(1)} ms = ${template.microsPerItem.toFixed(2)} µs/item (goal < 50) [${template.what}]`,
		);
		const reuse = await reuseRun(url, REUSE_MESSAGES);
		console.log(
			`media reuse (${REUSE_MESSAGES} images, 3 distinct links, default options): ${reuse.seconds.toFixed(2)} s, ` +
				`${reuse.uploads} uploads to /media, ${reuse.downloads} link downloads, ${reuse.byId} messages sent by id, failed ${reuse.failed}`,
		);
		console.log(`pair_failed=${pairPaced.failed} pair_rate_ratio=${(pairPaced.numberRate / othersAlone.numberRate).toFixed(2)}`);
		console.log(`send_ratio_to_ceiling=${(paced.rate / CEILING).toFixed(3)} failed=${paced.failed + sequential.failed} pair_failed=${pairPaced.failed}`);
		console.log(`media_reuse_uploads=${reuse.uploads} media_reuse_by_id=${reuse.byId}`);
	} finally {
		child.kill('SIGTERM');
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
