/**
 * What users read about the nodes outside their forms: the subtitle under each node on the canvas
 * (evaluated the way n8n's editor does it: Workflow.expression.getSimpleParameterValue with the
 * node's parameters), the names in the node creator, and the Trigger's description.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Workflow, type INode, type INodeParameters, type INodeType, type INodeTypes } from 'n8n-workflow';

import { Dialog360 } from '../../nodes/Dialog360/Dialog360.node';
import { Dialog360Account } from '../../nodes/Dialog360Account/Dialog360Account.node';
import { MESSAGE_TYPES } from '../../nodes/Dialog360/messageTypes';
import { Dialog360Media } from '../../nodes/Dialog360Media/Dialog360Media.node';
import { Dialog360Trigger } from '../../nodes/Dialog360Trigger/Dialog360Trigger.node';
import { EVENT_KINDS, EVENT_OPTIONS } from '../../nodes/Dialog360Trigger/filters';

/** The subtitle as the editor shows it for a node of `nodeType` with `parameters`. */
function subtitleOf(nodeType: INodeType, parameters: INodeParameters): unknown {
	const type = `n8n-nodes-360dialog.${nodeType.description.name}`;
	const node: INode = { id: 'n1', name: 'Node', type, typeVersion: 1, position: [0, 0], parameters };
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ id: 'w1', nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, nodeType.description.subtitle as string, 'internal', {});
}

describe('Send node subtitle', () => {
	const send = new Dialog360();

	it.each(MESSAGE_TYPES.map((type) => [type.value, `Send ${type.name}`]))('%s → "%s"', (value, expected) => {
		expect(subtitleOf(send, { messageType: value })).toBe(expected);
	});

	it('names users read, not raw values', () => {
		expect(subtitleOf(send, { messageType: 'markAsRead' })).toBe('Send Mark as Read');
		expect(subtitleOf(send, { messageType: 'template' })).toBe('Send Template');
	});

	it('a workflow that omits the default Message Type reads as Send Text', () => {
		expect(subtitleOf(send, {})).toBe('Send Text');
	});

	it('an unknown value is shown as it is', () => {
		expect(subtitleOf(send, { messageType: 'hologram' })).toBe('Send hologram');
	});
});

describe('Trigger subtitle', () => {
	const trigger = new Dialog360Trigger();

	it.each([
		[['message'], 'On Messages'],
		[['status'], 'On Message Statuses'],
		[['error'], 'On Errors'],
		[['template'], 'On Template Updates'],
		[['call', 'preference'], 'On Calls, Marketing Opt-Outs and Opt-Ins'],
		[['message', 'status'], 'On Messages, Message Statuses'],
		[[], 'On All Events'],
	])('%j → "%s"', (events, expected) => {
		expect(subtitleOf(trigger, { events })).toBe(expected);
	});

	it('a workflow that omits the default selection reads as On Messages', () => {
		expect(subtitleOf(trigger, {})).toBe('On Messages');
	});
});

describe('Account subtitle', () => {
	const account = new Dialog360Account();

	it.each([
		[{ resource: 'template', operation: 'create' }, 'Template: Create'],
		[{ resource: 'template', operation: 'list' }, 'Template: Get Many'],
		[{ resource: 'template', operation: 'delete' }, 'Template: Delete'],
		[{ resource: 'blockedUser', operation: 'block' }, 'Blocked User: Block'],
		[{ resource: 'businessProfile', operation: 'update' }, 'Business Profile: Update'],
		[{ resource: 'phoneNumber', operation: 'getHealth' }, 'Phone Number: Get Health'],
		[{ resource: 'webhook', operation: 'set' }, 'Webhook: Set'],
	])('%j → "%s"', (parameters, expected) => {
		expect(subtitleOf(account, parameters)).toBe(expected);
	});

	it('every operation of every resource reads as "<Resource>: <Operation>" in the words of the dropdowns', () => {
		const resource = account.description.properties.find((p) => p.name === 'resource')!;
		for (const r of resource.options as Array<{ name: string; value: string }>) {
			const operation = account.description.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(r.value))!;
			for (const o of operation.options as Array<{ name: string; value: string }>) {
				expect(subtitleOf(account, { resource: r.value, operation: o.value })).toBe(`${r.name}: ${o.name}`);
			}
		}
	});

	it('a workflow that omits the defaults reads as the defaults of the form', () => {
		const resource = account.description.properties.find((p) => p.name === 'resource')!;
		expect(subtitleOf(account, {})).toBe(subtitleOf(account, { resource: resource.default as string }));
		for (const operation of account.description.properties.filter((p) => p.name === 'operation')) {
			const value = operation.displayOptions!.show!.resource![0] as string;
			expect(subtitleOf(account, { resource: value })).toBe(subtitleOf(account, { resource: value, operation: operation.default as string }));
		}
	});

	it('a workflow that omits the defaults reads as them (Template: Get Many; Webhook: Get)', () => {
		expect(subtitleOf(account, {})).toBe('Template: Get Many');
		expect(subtitleOf(account, { operation: 'create' })).toBe('Template: Create');
		expect(subtitleOf(account, { resource: 'webhook' })).toBe('Webhook: Get');
	});

	it('unknown values are shown as they are', () => {
		expect(subtitleOf(account, { resource: 'template', operation: 'archive' })).toBe('Template: archive');
		// n8n drops parameters no property shows: an unknown resource has no operation
		expect(subtitleOf(account, { resource: 'catalog', operation: 'list' })).toBe('catalog');
	});
});

describe('names in the node creator', () => {
	const descriptions = [new Dialog360(), new Dialog360Media(), new Dialog360Trigger(), new Dialog360Account()].map((node) => node.description);

	it('every node has its own display name', () => {
		expect(descriptions.map((d) => d.displayName)).toEqual(['360dialog', '360dialog Media', '360dialog Trigger', '360dialog Account']);
	});

	it('the Trigger keeps "Trigger" in its name: its event selector is not one n8n turns into node-creator actions', () => {
		// n8n's node creator makes actions of a trigger property labelled "Event", "Events" or "Trigger On", and
		// shows a node with actions without the word "Trigger": it would then read "360dialog" like the Send node.
		const trigger = new Dialog360Trigger().description;
		const labels = trigger.properties.map((property) => property.displayName.toLowerCase());
		expect(labels.filter((label) => ['event', 'events', 'trigger on'].includes(label))).toEqual([]);
		// The Send node has an "operation" property since Send and Wait: n8n recognises send-and-wait nodes only by
		// `parameters.operation === 'sendAndWait'` (n8n webhooks/waiting-webhooks.js isSendAndWaitRequest), so the name
		// is not free. Its default `send` keeps every existing workflow as it was. No "resource".
		const send = new Dialog360().description;
		const operation = send.properties.filter((property) => ['operation', 'resource'].includes(property.name));
		expect(operation.map((p) => [p.name, p.default, (p.options as Array<{ value: string }>).map((o) => o.value)])).toEqual([
			['operation', 'send', ['send', 'sendAndWait']],
		]);
	});

	it('the Trigger description names every event kind it emits', () => {
		const description = new Dialog360Trigger().description.description;
		expect(EVENT_OPTIONS.map((option) => option.value).sort()).toEqual([...EVENT_KINDS].sort());
		for (const words of ['messages', 'message statuses', 'calls', 'marketing opt-outs', 'errors', 'template, account and group updates', 'whatsapp business app']) {
			expect(description.toLowerCase()).toContain(words);
		}
	});

	it('each codex file names its node under the package name', () => {
		const root = path.resolve(__dirname, '../../nodes');
		for (const [dir, name] of [
			['Dialog360', 'dialog360'],
			['Dialog360Media', 'dialog360Media'],
			['Dialog360Trigger', 'dialog360Trigger'],
			['Dialog360Account', 'dialog360Account'],
		]) {
			const codex = JSON.parse(fs.readFileSync(path.join(root, dir, `${dir}.node.json`), 'utf8'));
			expect(codex.node).toBe(`n8n-nodes-360dialog.${name}`);
		}
	});
});
