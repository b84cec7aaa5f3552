/**
 * Per-item errors, the same way in every node: validation problems name the rule, the field and the
 * item; API and operation errors pass through; with Continue On Fail the item becomes an output item
 * carrying its error.
 */
import { NodeOperationError, type IDataObject, type INode, type INodeExecutionData } from 'n8n-workflow';

import { FieldError } from './validation';

/**
 * The error users see for one item. `consequence` says what happened to the item
 * ("This item was not sent.").
 */
export function toItemError(node: INode, error: unknown, itemIndex: number, consequence: string): Error {
	if (error instanceof FieldError) {
		return new NodeOperationError(node, `${error.message} [item ${itemIndex}]`, {
			itemIndex,
			description: `Field "${error.field}" of item ${itemIndex}. ${consequence}`,
		});
	}
	if (error instanceof NodeOperationError || (error instanceof Error && error.name === 'NodeApiError')) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * Fields the Continue On Fail item of this error carries besides the error: what had been done
 * before it failed (the ids of the parts of a split text already sent). Kept in the error's context.
 */
export function withOutputFields<E extends NodeOperationError>(error: E, fields: IDataObject): E {
	error.context.outputFields = fields;
	return error;
}

/** The output item Continue On Fail puts in place of a failed one. */
export function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const description = 'description' in error && typeof error.description === 'string' && error.description ? error.description : undefined;
	const context = 'context' in error ? (error.context as IDataObject | undefined) : undefined;
	const fields = context?.outputFields as IDataObject | undefined;
	return {
		json: { error: error.message, ...(description ? { errorDescription: description } : {}), ...fields },
		pairedItem: { item: itemIndex },
	};
}
