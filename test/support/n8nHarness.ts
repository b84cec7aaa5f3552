/**
 * Runs nodes inside n8n-core's real WorkflowExecute engine, so tests exercise the real
 * IExecuteFunctions (expressions, getNodeParameter, getCredentials, helpers.httpRequestWithAuthentication,
 * continueOnFail, pairedItem checks) rather than hand-made mocks. n8n's own NodeTestHarness is not
 * published, so this is the same idea built on n8n-core's public exports.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-unit-'));

import 'reflect-metadata';
import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type ICredentialsHelper,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	type IConnections,
	type IExecuteData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { Dialog360Api } from '../../credentials/Dialog360Api.credentials';

class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(type: string): INodeType {
		return this.getByNameAndVersion(type);
	}

	getByNameAndVersion(type: string): INodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}

	getKnownTypes() {
		return {};
	}
}

/** Substitutes `{{$credentials.x}}` in a generic-auth template value. */
function resolveCredentialTemplate(value: string, credentials: ICredentialDataDecryptedObject): string {
	const body = value.startsWith('=') ? value.slice(1) : value;
	return body.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key: string) => String(credentials[key] ?? ''));
}

/** Applies each credential type's generic `authenticate` block, like n8n's CredentialsHelper does. */
export class TestCredentialsHelper implements Partial<ICredentialsHelper> {
	private readonly credentialTypes: Record<string, ICredentialType> = { dialog360Api: new Dialog360Api() };

	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		request: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.credentialTypes[typeName]?.authenticate;
		if (!authenticate || typeof authenticate === 'function' || authenticate.type !== 'generic') return request;
		const headers: IDataObject = { ...(request.headers ?? {}) };
		for (const [name, template] of Object.entries(authenticate.properties.headers ?? {})) {
			headers[name] = resolveCredentialTemplate(String(template), credentials);
		}
		return { ...request, headers };
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used in tests');
	}

	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string) {
		const data = this.credentials[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties() {
		return [];
	}
}

export interface RunNodeOptions {
	/** The node under test: type name, instance and parameters. */
	nodeType: INodeType;
	typeName?: string;
	parameters: INode['parameters'];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	input?: INodeExecutionData[];
	/** n8n's per-node "On Error" setting; 'continueRegularOutput' is what Continue On Fail sets. */
	onError?: INode['onError'];
	continueOnFail?: boolean;
	nodeName?: string;
	typeVersion?: number;
	/**
	 * n8n's binary data mode for this run. 'default' (the default) keeps binary data in memory as
	 * base64; 'filesystem' stores it under `binaryDataPath` (a temp dir when omitted) and items
	 * carry only an `id`, as in a real n8n instance with N8N_DEFAULT_BINARY_DATA_MODE=filesystem.
	 */
	binaryMode?: BinaryMode;
	/** Storage directory for binaryMode 'filesystem'. */
	binaryDataPath?: string;
	/** n8n's execution mode (default 'manual'); a Trigger's execute runs in 'webhook' mode. */
	mode?: WorkflowExecuteMode;
	executionId?: string;
	workflowId?: string;
	nodeId?: string;
}

export type BinaryMode = 'default' | 'filesystem';

let configuredBinary: { mode: BinaryMode; path?: string } = { mode: 'default' };

/**
 * Switches n8n-core's BinaryDataService (a DI singleton) between memory and filesystem mode.
 * Without `init()` the service has no manager and keeps data in memory, which is how every run
 * without `binaryMode` behaves.
 */
export async function configureBinaryMode(mode: BinaryMode, storagePath?: string): Promise<string | undefined> {
	const path = mode === 'filesystem' ? (storagePath ?? configuredBinary.path ?? mkdtempSync(join(tmpdir(), 'n8n-binary-'))) : undefined;
	if (configuredBinary.mode === mode && (mode === 'default' || configuredBinary.path === path)) return path;
	const config = Container.get(BinaryDataConfig);
	config.mode = mode;
	if (path) config.localStoragePath = path;
	await Container.get(BinaryDataService).init();
	configuredBinary = { mode, path: path ?? configuredBinary.path };
	return path;
}

export interface RunNodeResult {
	run: IRun;
	/** Items of the node's first output (empty when the node failed). */
	items: INodeExecutionData[];
	/** All outputs of the node. */
	outputs: INodeExecutionData[][];
	/** The workflow-level error when the execution failed. */
	error?: Error & { description?: string; context?: IDataObject };
}

/**
 * Executes `Start (pass-through) → node` in a real n8n-core engine with `input` fed to the node
 * and returns what the node emitted.
 */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	await configureBinaryMode(options.binaryMode ?? 'default', options.binaryDataPath);
	const typeName = options.typeName ?? 'n8n-nodes-360dialog.underTest';
	const nodeName = options.nodeName ?? 'Node Under Test';
	const node: INode = {
		id: options.nodeId ?? 'node-under-test',
		name: nodeName,
		type: typeName,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: options.credentials
			? Object.fromEntries(Object.keys(options.credentials).map((type) => [type, { id: `cred-${type}`, name: type }]))
			: undefined,
		onError: options.onError,
		continueOnFail: options.continueOnFail,
	};
	const nodes = [node];
	const connections: IConnections = {};
	const workflowId = options.workflowId ?? 'test-workflow';
	const executionId = options.executionId ?? 'test-execution';
	const mode = options.mode ?? 'manual';
	const workflow = new Workflow({
		id: workflowId,
		name: 'Test',
		nodes,
		connections,
		active: false,
		nodeTypes: new TestNodeTypes({ [typeName]: options.nodeType }),
		settings: { executionOrder: 'v1' },
	});

	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflowId,
		name: 'Test',
		nodes,
		connections,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	let resolveRun!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));

	const base: IDataObject = {
		executionId,
		hooks,
		restApiUrl: 'http://localhost/rest',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		variables: {},
		currentNodeParameters: undefined,
		credentialsHelper: new TestCredentialsHelper(options.credentials ?? {}) as unknown as IDataObject,
	};
	// n8n-core probes optional fields of additionalData; unknown ones must read as undefined.
	const additionalData = new Proxy(base, {
		get: (target, key) => (key in target ? target[key as string] : undefined),
	}) as unknown as IWorkflowExecuteAdditionalData;

	const input = options.input ?? [{ json: {} }];
	const executeData: IExecuteData = { node, data: { main: [input] }, source: null };
	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [executeData],
			waitingExecution: {},
			waitingExecutionSource: null,
		},
	} as unknown as IRunExecutionData;

	await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	const run = await finished;
	const nodeRuns = run.data.resultData.runData[nodeName] ?? [];
	const outputs = (nodeRuns[0]?.data?.main ?? []).map((items) => items ?? []);
	return {
		run,
		items: outputs[0] ?? [],
		outputs,
		error: run.data.resultData.error as RunNodeResult['error'],
	};
}
