/**
 * The contract of every operation of the Account node (one file per operation, as n8n's own
 * `v2/actions/<resource>/<operation>.operation.ts` nodes do): its form fields and a `prepare` that
 * reads and validates the item's parameters WITHOUT any request, returning the request to run.
 * The node prepares every item first, so an invalid item stops the run before anything is sent.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Dialog360Connection } from '../../common/transport';

/** Runs the prepared request(s) of one item; returns the item's output objects (list operations: many). */
export type PreparedRun = (context: IExecuteFunctions, connection: Dialog360Connection, itemIndex: number) => Promise<IDataObject[]>;

export interface AccountOperation {
	/** Fields of this operation (displayOptions are added by the resource's index). */
	description: INodeProperties[];
	/**
	 * Reads and checks the parameters of one item; throws FieldError naming the field. Async only to
	 * read binary data's metadata (its size), never to send a request.
	 */
	prepare(context: IExecuteFunctions, itemIndex: number, connection: Dialog360Connection): PreparedRun | Promise<PreparedRun>;
}

export interface AccountResource {
	/** The Operation dropdown of this resource. */
	operations: Array<{ name: string; value: string; description: string; action: string }>;
	defaultOperation: string;
	byOperation: Record<string, AccountOperation>;
}
