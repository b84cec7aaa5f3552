/**
 * What users read about the nodes outside their forms: the subtitle under each node on the canvas
 * (evaluated the way n8n's editor does it: Workflow.expression.getSimpleParameterValue with the
 * node's parameters), the names in the node creator, and the Trigger's description.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Workflow, type INode, type INodeParameters, type INodeType, type INodeTypes } from 'n8n-workflow';

import { Dialog360 } from '../../nodes/Dialog360/Dialog360.node';
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

describe('names in the node creator', () => {
	const descriptions = [new Dialog360(), new Dialog360Media(), new Dialog360Trigger()].map((node) => node.description);

	it('every node has its own display name', () => {
		expect(descriptions.map((d) => d.displayName)).toEqual(['360dialog', '360dialog Media', '360dialog Trigger']);
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
		]) {
			const codex = JSON.parse(fs.readFileSync(path.join(root, dir, `${dir}.node.json`), 'utf8'));
			expect(codex.node).toBe(`n8n-nodes-360dialog.${name}`);
		}
	});
});
