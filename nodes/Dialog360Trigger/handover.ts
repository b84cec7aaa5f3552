/**
 * What the Trigger's webhook() hands to its execute(): the events as items, each with a small
 * receipt saying which process received the delivery, and what execute() does with them.
 *
 * n8n runs a webhook node's `execute` (when it has one) as the first step of the execution, with
 * the items webhook() returned as input: on the receiving process on a single n8n, on a worker in
 * queue mode. execute() strips the receipts, claims the events in n8n's processed-data store
 * (claims.ts) and emits only what this execution owns.
 */
import { randomUUID } from 'crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { isRecord } from '../common/json';
import type { WebhookEvent } from './parser';

/** The item field that carries the receipt from webhook() to execute(); never emitted. */
export const RECEIPT_FIELD = '__dialog360Receipt';

/** This process, for the receipts (a new id per start). */
export const PROCESS_ID = randomUUID();

export interface Receipt {
	/** PROCESS_ID of the process whose webhook() received the delivery. */
	by: string;
	/** The event's dedupe key; absent when the event is never deduped. */
	key?: string;
}

/** An item for `event` with its receipt. */
export function itemWithReceipt(event: WebhookEvent, key: string | undefined, extra: IDataObject = {}): INodeExecutionData {
	const receipt: Receipt = key === undefined ? { by: PROCESS_ID } : { by: PROCESS_ID, key };
	return { json: { ...(event as unknown as IDataObject), ...extra, [RECEIPT_FIELD]: receipt as unknown as IDataObject } };
}

export interface ReceivedItem {
	item: INodeExecutionData;
	/** Index in execute()'s input (for pairedItem). */
	index: number;
	key?: string;
	/** Whether this process received the delivery (so no other process writes its claims). */
	receivedHere: boolean;
}

/**
 * The input items without their receipts. Items without a receipt (pinned data, an older
 * execution resumed by a newer version) are never deduped and count as received elsewhere.
 */
export function readReceipts(items: readonly INodeExecutionData[]): ReceivedItem[] {
	return items.map((item, index) => {
		const { [RECEIPT_FIELD]: raw, ...json } = item.json;
		const receipt = isRecord(raw) ? raw : undefined;
		const key = typeof receipt?.key === 'string' && receipt.key !== '' ? receipt.key : undefined;
		return { item: { ...item, json, pairedItem: { item: index } }, index, key, receivedHere: receipt?.by === PROCESS_ID };
	});
}

/** The claimant id of one execution's claims: unique even when two runs share an execution id. */
export const claimantId = (executionId: string | undefined): string => `${executionId ?? 'run'}.${randomUUID().slice(0, 8)}`;
