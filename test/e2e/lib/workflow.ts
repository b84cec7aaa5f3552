/**
 * Small builders for the workflows the e2e tests import into a real n8n, plus access to the example
 * workflows in `workflows/`. Node parameter names are the ones a user's workflow JSON has (what the
 * editor saves), so these workflows are exactly what n8n would store.
 *
 *   const wf = new WorkflowBuilder('my test');
 *   wf.add(manualTrigger('Start'));
 *   wf.add(setNode('Customer', { to: '+49 151 12345678' }), 'Start');
 *   wf.add(sendNode('Send text', { messageType: 'text', to: '={{ $json.to }}', textBody: 'Hi' }), 'Customer');
 *   await n8n.importWorkflow(wf.build());
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { WorkflowInput } from './n8n';

/** The package under test (scripts/e2e.sh exports it; the types users get are `<package>.<node>`). */
export const PKG = process.env.E2E_PACKAGE_NAME || 'n8n-nodes-360dialog';
export const TYPES = {
	send: `${PKG}.dialog360`,
	media: `${PKG}.dialog360Media`,
	trigger: `${PKG}.dialog360Trigger`,
	account: `${PKG}.dialog360Account`,
} as const;

/** The credential id every example workflow in workflows/ refers to (workflows/credentials/360dialog-emulator.json). */
export const EXAMPLE_CREDENTIAL = { id: 'd360EmulatorCred', name: '360dialog (local emulator)' } as const;

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const WORKFLOWS_DIR = path.join(REPO_ROOT, 'workflows');

/** The credential JSON `n8n import:credentials` takes, pointing at an emulator (custom base URL). */
export function emulatorCredential(baseUrl: string, apiKey = 'test-key', ref: { id: string; name: string } = EXAMPLE_CREDENTIAL) {
	return { id: ref.id, name: ref.name, type: 'dialog360Api', data: { apiKey, environment: 'custom', baseUrl } };
}

export interface WfNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	[key: string]: unknown;
}

type Extra = Partial<Omit<WfNode, 'name' | 'type' | 'parameters'>>;

export function node(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Extra = {}): WfNode {
	return { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

const withCredential = (credential: { id: string; name: string }) => ({ credentials: { dialog360Api: { ...credential } } });

/** The 360dialog Send node. `parameters.options` defaults to {}. */
export function sendNode(name: string, parameters: Record<string, unknown>, extra: Extra & { credential?: { id: string; name: string } } = {}): WfNode {
	const { credential = EXAMPLE_CREDENTIAL, ...rest } = extra;
	return node(name, TYPES.send, 1, { options: {}, ...parameters }, { ...withCredential(credential), ...rest });
}

export function mediaNode(name: string, parameters: Record<string, unknown>, extra: Extra & { credential?: { id: string; name: string } } = {}): WfNode {
	const { credential = EXAMPLE_CREDENTIAL, ...rest } = extra;
	return node(name, TYPES.media, 1, parameters, { ...withCredential(credential), ...rest });
}

export function accountNode(name: string, parameters: Record<string, unknown>, extra: Extra & { credential?: { id: string; name: string } } = {}): WfNode {
	const { credential = EXAMPLE_CREDENTIAL, ...rest } = extra;
	return node(name, TYPES.account, 1, parameters, { ...withCredential(credential), ...rest });
}

export function triggerNode(name: string, parameters: Record<string, unknown>, extra: Extra & { credential?: { id: string; name: string } } = {}): WfNode {
	const { credential = EXAMPLE_CREDENTIAL, ...rest } = extra;
	return node(name, TYPES.trigger, 1, { options: {}, ...parameters }, { webhookId: randomUUID(), ...withCredential(credential), ...rest });
}

export const manualTrigger = (name = 'Start'): WfNode => node(name, 'n8n-nodes-base.manualTrigger', 1, {});
export const noOpNode = (name: string): WfNode => node(name, 'n8n-nodes-base.noOp', 1, {});

/** Set node (v3.4, "manual mapping"): one assignment per field; arrays/objects are typed as such. */
export function setNode(name: string, fields: Record<string, unknown>, options: Record<string, unknown> = {}): WfNode {
	const assignments = Object.entries(fields).map(([field, value]) => {
		let type = 'string';
		let stored: unknown = value;
		if (typeof value === 'number') type = 'number';
		else if (typeof value === 'boolean') type = 'boolean';
		else if (Array.isArray(value)) [type, stored] = ['array', JSON.stringify(value)];
		else if (value !== null && typeof value === 'object') [type, stored] = ['object', JSON.stringify(value)];
		return { id: randomUUID(), name: field, value: stored, type };
	});
	return node(name, 'n8n-nodes-base.set', 3.4, { mode: 'manual', assignments: { assignments }, includeOtherFields: false, options });
}

/** Read/Write Files from Disk → read (binary property `data`). */
export const readFileNode = (name: string, fileSelector: string): WfNode =>
	node(name, 'n8n-nodes-base.readWriteFile', 1, { operation: 'read', fileSelector, options: {} });

/** Extract from File → CSV (first row = header). */
export const extractCsvNode = (name: string): WfNode =>
	node(name, 'n8n-nodes-base.extractFromFile', 1, { operation: 'csv', binaryPropertyName: 'data', options: {} });

/** Switch (v3.2) on one string expression: one output per value (renamed to the value) + a fallback output. */
export function switchNode(name: string, leftValue: string, values: string[]): WfNode {
	return node(name, 'n8n-nodes-base.switch', 3.2, {
		rules: {
			values: values.map((value) => ({
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
					conditions: [{ id: randomUUID(), leftValue, rightValue: value, operator: { type: 'string', operation: 'equals' } }],
					combinator: 'and',
				},
				renameOutput: true,
				outputKey: value,
			})),
		},
		options: { fallbackOutput: 'extra' },
	});
}

/** Collects nodes and main connections; lays nodes out on a grid (column = distance from the start). */
export class WorkflowBuilder {
	readonly nodes: WfNode[] = [];
	readonly connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	private readonly rows = new Map<number, number>();

	constructor(
		readonly name: string,
		readonly id?: string,
	) {}

	/** Adds `n`, connected from `from` (a node name, or [name, output index]). Returns the node name. */
	add(n: WfNode, from?: string | [string, number] | Array<string | [string, number]>): string {
		if (this.nodes.some((existing) => existing.name === n.name)) throw new Error(`duplicate node name "${n.name}"`);
		const sources = from === undefined ? [] : Array.isArray(from) && (from.length !== 2 || typeof from[1] !== 'number') ? (from as Array<string | [string, number]>) : [from as string | [string, number]];
		let column = 0;
		for (const source of sources) {
			const [sourceName, output] = typeof source === 'string' ? [source, 0] : source;
			const upstream = this.nodes.find((existing) => existing.name === sourceName);
			if (!upstream) throw new Error(`unknown source node "${sourceName}"`);
			column = Math.max(column, upstream.position[0] / 260 + 1);
			const outputs = (this.connections[sourceName] ??= { main: [] }).main;
			while (outputs.length <= output) outputs.push([]);
			outputs[output].push({ node: n.name, type: 'main', index: 0 });
		}
		const row = this.rows.get(column) ?? 0;
		this.rows.set(column, row + 1);
		n.position = [column * 260, row * 160];
		this.nodes.push(n);
		return n.name;
	}

	build(): WorkflowInput {
		return { ...(this.id ? { id: this.id } : {}), name: this.name, nodes: this.nodes, connections: this.connections, settings: { executionOrder: 'v1' } };
	}
}

/** Example workflow files (workflows/*.json), parsed. */
export function exampleWorkflowFiles(): string[] {
	return fs
		.readdirSync(WORKFLOWS_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort();
}

export function loadExample(file: string): WorkflowInput & { id: string; nodes: WfNode[] } {
	return JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8'));
}

/** Output items of a node in an IRun (first run, first output unless given). */
export function nodeOutput(
	run: { data: { resultData: { runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>> } } } | undefined,
	nodeName: string,
	output = 0,
): Array<Record<string, unknown>> {
	const items = run?.data.resultData.runData[nodeName]?.[0]?.data?.main?.[output] ?? [];
	return items.map((i) => i.json);
}
