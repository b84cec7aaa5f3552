/**
 * Drives the 360dialog Trigger through n8n-core's real WebhookContext (webhook()) and HookContext
 * (webhookMethods), the classes n8n 2.41's WebhookService instantiates, on a real Workflow.
 *
 * What n8n itself does around the node is reproduced from n8n 2.41.1's
 * `dist/webhooks/webhook-helpers.js` (executeWebhook) and `live-webhooks.js`:
 * - a new Workflow per request, built from the static data as saved; after the call the static
 *   data is saved again when `__dataChanged` is set (WorkflowStaticDataService.saveStaticData);
 * - `noWebhookResponse: true` → n8n writes nothing (the node answered itself);
 * - no `workflowData` → no execution, n8n answers 200 `{"message":"Webhook call received"}`;
 * - `workflowData` → an execution starts; with `responseMode: 'onReceived'` n8n answers 200 with
 *   the body given by `responseData` (`'noData'` → empty; unset → the literal "firstEntryJson"),
 *   unless `noWebhookResponse` was also set.
 */
import { configureBinaryMode, runNode, TestCredentialsHelper } from './n8nHarness';
import { processedDataStore } from './processedData';

import { HookContext, WebhookContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
} from 'n8n-workflow';

import { Dialog360Trigger } from '../../nodes/Dialog360Trigger/Dialog360Trigger.node';

export const TRIGGER_TYPE = 'n8n-nodes-360dialog.dialog360Trigger';
export const WEBHOOK_ID = '6f1c2d3e-0000-4000-8000-000000000001';

/** Records what is written, like an http.ServerResponse. */
export class FakeResponse {
	statusCode = 200;
	headers: Record<string, string> = {};
	body = '';
	headersSent = false;
	writableEnded = false;
	writes = 0;
	private readonly finishListeners: Array<() => void> = [];

	/** Like http.ServerResponse's `finish`: after the answer was written (the Trigger listens for it). */
	once(event: string, listener: () => void): this {
		if (event === 'finish') this.finishListeners.push(listener);
		return this;
	}

	writeHead(statusCode: number, headers: Record<string, string> = {}): this {
		if (this.headersSent) throw new Error('headers already sent');
		this.statusCode = statusCode;
		for (const [name, value] of Object.entries(headers)) this.headers[name.toLowerCase()] = value;
		this.headersSent = true;
		return this;
	}

	end(body?: string): this {
		if (this.writableEnded) throw new Error('response ended twice');
		this.headersSent = true;
		this.writableEnded = true;
		this.writes++;
		if (body !== undefined) this.body += body;
		for (const listener of this.finishListeners.splice(0)) listener();
		return this;
	}
}

/** The parts of an incoming request the trigger and n8n's context read. */
export interface FakeRequest {
	method: string;
	headers: Record<string, string | string[] | undefined>;
	body?: unknown;
	rawBody?: Buffer;
	query: IDataObject;
	params: IDataObject;
}

export interface Delivery {
	headers?: Record<string, string>;
	/** A JSON body: sent as raw bytes and parsed into `req.body`, as n8n does for application/json. */
	json?: unknown;
	/** Raw bytes with n8n leaving `req.body` unparsed (another content type). */
	raw?: Buffer | string;
	/** `req.body` exactly (with `raw`, or alone). */
	body?: unknown;
}

export interface DeliveryResult {
	status: number;
	/** What webhook() handed to the execution (with the receipts execute() reads). */
	handedOver: INodeExecutionData[];
	/** The response body as sent. */
	body: string;
	headers: Record<string, string>;
	/** Whether n8n would start an execution (webhook() returned workflowData). */
	executionStarted: boolean;
	/** What the execution's first step (the Trigger's execute()) emitted: what the workflow gets. */
	items: INodeExecutionData[];
	result: IWebhookResponseData;
}

export interface TriggerHarnessOptions {
	parameters?: INodeParameters;
	credentials?: ICredentialDataDecryptedObject;
	/** n8n's WEBHOOK_URL + '/webhook'; default https://n8n.example.com/webhook. */
	webhookBaseUrl?: string;
	webhookTestBaseUrl?: string;
	nodeName?: string;
	/** Workflow static data as saved in the database. */
	staticData?: IDataObject;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

let harnessCount = 0;
let executionCount = 0;

export class TriggerHarness {
	readonly nodeType: INodeType = new Dialog360Trigger();
	readonly node: INode;
	/** Static data as the database holds it (JSON, replaced on every save). */
	savedStaticData: IDataObject;
	/** How often static data was saved. */
	saves = 0;
	private readonly nodeTypes: INodeTypes;
	private readonly webhookBaseUrl: string;
	private readonly webhookTestBaseUrl: string;
	/** One harness is one workflow: its own id, as n8n gives every workflow (the node keys in-process state on it). */
	readonly workflowId = `wf-${++harnessCount}`;

	constructor(private readonly options: TriggerHarnessOptions = {}) {
		const description = this.nodeType.description;
		const node: INode = {
			id: 'trigger-node',
			name: options.nodeName ?? '360dialog Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: {},
			credentials: { dialog360Api: { id: 'cred-1', name: '360dialog' } },
		};
		// Defaults filled in as n8n does when a workflow is saved.
		node.parameters = NodeHelpers.getNodeParameters(description.properties, options.parameters ?? {}, true, false, node, description) ?? {};
		this.node = node;
		const nodeType = this.nodeType;
		this.nodeTypes = {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		};
		this.webhookBaseUrl = options.webhookBaseUrl ?? 'https://n8n.example.com/webhook';
		this.webhookTestBaseUrl = options.webhookTestBaseUrl ?? 'https://n8n.example.com/webhook-test';
		this.savedStaticData = clone(options.staticData ?? {});
	}

	/** The node's own static data as saved (`node:<name>`). */
	get nodeStaticData(): IDataObject {
		return (this.savedStaticData[`node:${this.node.name}`] as IDataObject | undefined) ?? {};
	}

	/** Production (or test) URL n8n gives this node. */
	webhookUrl(test = false): string {
		return `${test ? this.webhookTestBaseUrl : this.webhookBaseUrl}/${WEBHOOK_ID}/webhook`;
	}

	private newWorkflow(): Workflow {
		return new Workflow({
			id: this.workflowId,
			name: 'Trigger test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: this.nodeTypes,
			staticData: clone(this.savedStaticData),
			settings: { executionOrder: 'v1' },
		});
	}

	private save(workflow: Workflow): void {
		if (workflow.staticData.__dataChanged === true) {
			this.savedStaticData = clone(workflow.staticData);
			this.saves++;
		}
	}

	private additionalData(extra: IDataObject = {}): IWorkflowExecuteAdditionalData {
		const base: IDataObject = {
			credentialsHelper: new TestCredentialsHelper(this.options.credentials ? { dialog360Api: this.options.credentials } : {}) as unknown as IDataObject,
			restApiUrl: 'https://n8n.example.com/rest',
			webhookBaseUrl: this.webhookBaseUrl,
			webhookTestBaseUrl: this.webhookTestBaseUrl,
			webhookWaitingBaseUrl: 'https://n8n.example.com/webhook-waiting',
			formWaitingBaseUrl: 'https://n8n.example.com/form-waiting',
			variables: {},
			...extra,
		};
		return new Proxy(base, {
			get: (target, key) => (key in target ? target[key as string] : undefined),
		}) as unknown as IWorkflowExecuteAdditionalData;
	}

	private webhookData(additionalData: IWorkflowExecuteAdditionalData, isTest: boolean): IWebhookData {
		const webhookDescription = this.nodeType.description.webhooks![0];
		return {
			httpMethod: 'POST',
			node: this.node.name,
			path: `${WEBHOOK_ID}/webhook`,
			webhookDescription,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: WEBHOOK_ID,
			isTest,
		};
	}

	/** Runs `webhookMethods.default[method]` as n8n's WebhookService does on (de)activation. */
	async hook(method: 'checkExists' | 'create' | 'delete', test = false, activation: WorkflowActivateMode = 'activate'): Promise<boolean> {
		const workflow = this.newWorkflow();
		const additionalData = this.additionalData();
		const context = new HookContext(workflow, this.node, additionalData, test ? 'manual' : 'trigger', activation, this.webhookData(additionalData, test));
		const fn = this.nodeType.webhookMethods?.default?.[method];
		if (!fn) throw new Error(`the trigger has no webhookMethods.default.${method}`);
		try {
			return (await fn.call(context)) as boolean;
		} finally {
			this.save(workflow);
		}
	}

	/** n8n's activation: checkExists, then create when it answered false. Returns whether create ran. */
	async activate(test = false): Promise<boolean> {
		if (await this.hook('checkExists', test)) return false;
		await this.hook('create', test);
		return true;
	}

	async deactivate(test = false): Promise<void> {
		await this.hook('delete', test, 'update' as WorkflowActivateMode);
	}

	/** Calls webhook() with a real request/response pair (e.g. from a local HTTP server). */
	async handle(request: FakeRequest, response: FakeResponse | import('node:http').ServerResponse): Promise<IWebhookResponseData> {
		await configureBinaryMode('default');
		const workflow = this.newWorkflow();
		const additionalData = this.additionalData({ httpRequest: request as unknown as IDataObject, httpResponse: response as unknown as IDataObject });
		const context = new WebhookContext(workflow, this.node, additionalData, 'webhook', this.webhookData(additionalData, false), [], null);
		let result: IWebhookResponseData;
		try {
			result = await this.nodeType.webhook!.call(context);
		} finally {
			this.save(workflow);
		}
		this.answerLikeN8n(result, response);
		return result;
	}

	/** What n8n 2.41's executeWebhook does with the result (see the module comment). */
	private answerLikeN8n(result: IWebhookResponseData, response: FakeResponse | import('node:http').ServerResponse): void {
		if (result.noWebhookResponse === true) {
			if (!response.writableEnded) throw new Error('webhook() returned noWebhookResponse without answering: the caller would hang');
			return;
		}
		if (response.writableEnded) throw new Error('webhook() answered itself but did not return noWebhookResponse: n8n would answer again');
		if (result.workflowData === undefined) {
			const text = JSON.stringify(result.webhookResponse ?? { message: 'Webhook call received' });
			response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
			response.end(text);
			return;
		}
		const responseData = this.nodeType.description.webhooks![0].responseData ?? 'firstEntryJson';
		if (responseData === 'noData') {
			response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
			response.end();
			return;
		}
		response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		response.end(String(responseData));
	}

	/**
	 * The execution n8n starts with webhook()'s items: the Trigger's execute() as its first node, in
	 * n8n-core's engine, with n8n-core's processed-data helpers on `processedDataStore()`.
	 */
	async runExecution(items: INodeExecutionData[], options: { mode?: 'webhook' | 'manual'; executionId?: string } = {}): Promise<INodeExecutionData[]> {
		await processedDataStore();
		const run = await runNode({
			nodeType: this.nodeType,
			typeName: TRIGGER_TYPE,
			nodeName: this.node.name,
			nodeId: this.node.id,
			workflowId: this.workflowId,
			parameters: this.node.parameters,
			credentials: this.options.credentials ? { dialog360Api: this.options.credentials } : undefined,
			input: items,
			mode: options.mode ?? 'webhook',
			executionId: options.executionId ?? `exec-${++executionCount}`,
		});
		if (run.error) throw run.error;
		return run.items;
	}

	/** One delivery through webhook() with a FakeResponse, then its execution. */
	async deliver(delivery: Delivery): Promise<DeliveryResult> {
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(delivery.headers ?? {})) headers[name.toLowerCase()] = value;
		let body: unknown = delivery.body;
		let rawBody: Buffer | undefined;
		if (delivery.json !== undefined) {
			rawBody = Buffer.from(JSON.stringify(delivery.json));
			body = delivery.body ?? JSON.parse(rawBody.toString('utf8'));
			headers['content-type'] ??= 'application/json';
		} else if (delivery.raw !== undefined) {
			rawBody = Buffer.isBuffer(delivery.raw) ? delivery.raw : Buffer.from(delivery.raw);
		}
		const request: FakeRequest = { method: 'POST', headers, body, rawBody, query: {}, params: {} };
		const response = new FakeResponse();
		const result = await this.handle(request, response);
		const handedOver = result.workflowData?.[0] ?? [];
		return {
			status: response.statusCode,
			body: response.body,
			headers: response.headers,
			executionStarted: result.workflowData !== undefined,
			handedOver,
			items: result.workflowData === undefined ? [] : await this.runExecution(handedOver),
			result,
		};
	}
}
