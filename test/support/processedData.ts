/**
 * A processed-data store for n8n-core's DataDeduplicationService in tests, behaving like n8n's
 * own (n8n 2.41.1 `dist/deduplication/deduplication-helper.js`, mode 'entries'): one row per
 * workflow and scope ('node' → `n:<node id>`), values kept as MD5/base64 hashes in insertion order,
 * trimmed to `maxEntries` from the oldest, and every call a read-modify-write of the whole row
 * without a lock. `latencyMs` puts time between the read and the write, so tests can make two
 * writers interleave the way two n8n processes do (the second write replaces the first).
 */
import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

const hash = (value: DeduplicationItemTypes): string => createHash('md5').update(String(value)).digest('base64');

export class RacyProcessedData implements IDataDeduplicator {
	/** Row value by `workflowId|context`, as the database holds it (JSON). */
	readonly rows = new Map<string, string>();
	/** Time between a call's read and its write. */
	latencyMs = 0;
	writes = 0;

	private rowKey(scope: DeduplicationScope, data: ICheckProcessedContextData): string {
		return `${data.workflow.id}|${scope === 'node' ? `n:${data.node?.id ?? ''}` : ''}`;
	}

	private read(key: string): string[] | undefined {
		const row = this.rows.get(key);
		return row === undefined ? undefined : (JSON.parse(row) as { data: string[] }).data;
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		if (options.mode !== 'entries') throw new Error(`RacyProcessedData supports mode 'entries' only, not ${options.mode}`);
		const key = this.rowKey(scope, contextData);
		const data = [...(this.read(key) ?? [])];
		if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
		const known = new Set(data);
		const output: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			const h = hash(item);
			if (known.has(h)) output.processed.push(item);
			else {
				output.new.push(item);
				data.push(h);
				known.add(h);
			}
		}
		if (options.maxEntries) data.splice(0, Math.max(0, data.length - options.maxEntries));
		this.rows.set(key, JSON.stringify({ mode: options.mode, data }));
		this.writes++;
		return output;
	}

	async removeProcessed(): Promise<void> {}

	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		this.rows.delete(this.rowKey(scope, contextData));
	}

	async getProcessedDataCount(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<number> {
		return this.read(this.rowKey(scope, contextData))?.length ?? 0;
	}

	/** Forget everything (between tests). */
	reset(): void {
		this.rows.clear();
		this.latencyMs = 0;
		this.writes = 0;
	}
}

let installed: RacyProcessedData | undefined;

/** The store behind n8n-core's DataDeduplicationService in this test process (installed once). */
export async function processedDataStore(): Promise<RacyProcessedData> {
	if (!installed) {
		installed = new RacyProcessedData();
		await DataDeduplicationService.init(installed);
	}
	return installed;
}
