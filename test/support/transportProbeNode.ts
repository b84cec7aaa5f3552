/**
 * A minimal node that sends one request per item through the shared transport, so transport
 * tests run inside a real n8n execution context (credential auth, helpers, error wrapping).
 */
import { NodeConnectionTypes, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { dialog360RequestFull, getConnection } from '../../nodes/common/transport';

export class TransportProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Transport Probe',
		name: 'transportProbe',
		group: ['transform'],
		version: 1,
		description: 'test only',
		defaults: { name: 'Transport Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dialog360Api', required: true }],
		properties: [
			{ displayName: 'Method', name: 'method', type: 'string', default: 'POST' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '/messages' },
			{ displayName: 'Body', name: 'body', type: 'json', default: '{}' },
			{ displayName: 'Retry', name: 'retry', type: 'json', default: '{"baseDelayMs":5,"maxDelayMs":2000}' },
			{ displayName: 'Template Name', name: 'templateName', type: 'string', default: '' },
			{ displayName: 'Count Pacing', name: 'countPacing', type: 'boolean', default: false },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const connection = await getConnection.call(this);
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const method = this.getNodeParameter('method', i) as 'GET' | 'POST';
			const bodyText = this.getNodeParameter('body', i) as string;
			const templateName = this.getNodeParameter('templateName', i) as string;
			const retries: number[] = [];
			// what happened, in order: "wait <ms>" before a retry, "pace" when the pacing hook ran
			const events: string[] = [];
			const countPacing = this.getNodeParameter('countPacing', i) as boolean;
			const response = await dialog360RequestFull.call(
				this,
				{
					method,
					path: this.getNodeParameter('path', i) as string,
					body: method === 'GET' ? undefined : JSON.parse(bodyText),
					itemIndex: i,
					retry: JSON.parse(this.getNodeParameter('retry', i) as string),
					errorContext: templateName ? { templateName } : undefined,
					onRetry: ({ delayMs }) => {
						retries.push(Math.round(delayMs));
						events.push('wait');
					},
					beforeRetry: countPacing ? async () => void events.push('pace') : undefined,
				},
				connection,
			);
			const json: IDataObject = { body: response.body as IDataObject, attempts: response.attempts, retryDelays: retries };
			if (countPacing) json.events = events;
			out.push({ json, pairedItem: { item: i } });
		}
		return [out];
	}
}
