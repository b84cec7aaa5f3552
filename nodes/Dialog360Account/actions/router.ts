/**
 * resource → operation → the operation's module. Every item is prepared (read + validated, no
 * request) before the first request goes out; then the prepared requests run one item after another.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItem, toItemError } from '../../common/itemErrors';
import { getConnection } from '../../common/transport';
import { FieldError } from '../../common/validation';
import { blockedUser } from './blockedUser';
import { businessProfile } from './businessProfile';
import { phoneNumber } from './phoneNumber';
import { template } from './template';
import type { AccountResource, PreparedRun } from './types';
import { webhook } from './webhook';

export const RESOURCES: Record<string, AccountResource> = { template, blockedUser, businessProfile, phoneNumber, webhook };

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const connection = await getConnection.call(this);
	const continueOnFail = this.continueOnFail();
	const prepared: Array<PreparedRun | Error> = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const module = RESOURCES[resource]?.byOperation[operation];
			if (!module) throw new FieldError('Operation', `Operation "${operation}" of resource "${resource}" is not supported`);
			prepared.push(await module.prepare(this, itemIndex, connection));
		} catch (error) {
			const itemError = toItemError(this.getNode(), error, itemIndex, 'No request was made for this item.');
			if (!continueOnFail) throw itemError;
			prepared.push(itemError);
		}
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const run = prepared[itemIndex];
		if (run instanceof Error) {
			output.push(errorItem(run, itemIndex));
			continue;
		}
		try {
			const results = await run(this, connection, itemIndex);
			for (const json of results) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			const itemError = toItemError(this.getNode(), error, itemIndex, 'The request for this item failed.');
			if (!continueOnFail) throw itemError;
			output.push(errorItem(itemError, itemIndex));
		}
	}
	return [output];
}
