/** The 360dialog Trigger's description and package wiring (its webhook(): test/integration/trigger-webhook.test.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { NodeConnectionTypes } from 'n8n-workflow';

import * as packageIndex from '../../../index';
import { Dialog360Trigger } from '../../../nodes/Dialog360Trigger/Dialog360Trigger.node';
import { EVENT_KINDS } from '../../../nodes/Dialog360Trigger/parser';

describe('node description', () => {
	const { description } = new Dialog360Trigger();

	it('is a trigger with one POST webhook that answers 200 with an empty body on receipt', () => {
		expect(description.name).toBe('dialog360Trigger');
		expect(description.displayName).toBe('360dialog Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.outputs).toEqual([NodeConnectionTypes.Main]);
		expect(description.credentials).toEqual([{ name: 'dialog360Api', required: true }]);
		expect(description.icon).toEqual({ light: 'file:360dialog.svg', dark: 'file:360dialog.dark.svg' });
		expect(description.usableAsTool).toBeUndefined();
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' },
		]);
	});

	it('ships its icons and codex file and is exported from the package index', () => {
		const dir = path.resolve(__dirname, '../../../nodes/Dialog360Trigger');
		expect(fs.existsSync(path.join(dir, '360dialog.svg'))).toBe(true);
		expect(fs.existsSync(path.join(dir, '360dialog.dark.svg'))).toBe(true);
		const codex = JSON.parse(fs.readFileSync(path.join(dir, 'Dialog360Trigger.node.json'), 'utf8'));
		expect(codex.node).toBe('n8n-nodes-360dialog.dialog360Trigger');
		expect(packageIndex.Dialog360Trigger).toBe(Dialog360Trigger);
	});

	it('offers three registration modes, Automatic first; the secret field and a notice for each automatic mode', () => {
		const registration = description.properties.find((p) => p.name === 'registration');
		expect(registration?.default).toBe('automatic');
		expect(registration?.options?.map((o) => (o as { value: string }).value)).toEqual(['automatic', 'additional', 'manual']);
		const notices = description.properties.filter((p) => p.type === 'notice' && p.displayOptions?.show?.registration);
		expect(notices.map((p) => p.displayOptions?.show?.registration)).toEqual([['automatic'], ['additional'], ['manual']]);
		const secrets = description.properties.filter((p) => p.name === 'webhookSecret');
		expect(secrets.map((p) => p.displayOptions?.show?.registration)).toEqual([['automatic', 'additional'], ['manual']]);
	});

	it("lists each event kind's fields in a notice shown when the kind is selected", () => {
		const kinds = description.properties.filter((p) => p.type === 'notice' && p.displayOptions?.show?.events).map((p) => p.displayOptions?.show?.events);
		expect(kinds.flat().sort()).toEqual([...EVENT_KINDS].sort());
	});

	it('has a complete webhook lifecycle', () => {
		const methods = new Dialog360Trigger().webhookMethods.default;
		expect(Object.keys(methods).sort()).toEqual(['checkExists', 'create', 'delete']);
	});
});
