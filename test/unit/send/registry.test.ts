/** The message-type registry: the node's editor methods are the methods of every message type together. */
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { Dialog360 } from '../../../nodes/Dialog360/Dialog360.node';
import { MESSAGE_TYPES, mergeMethods } from '../../../nodes/Dialog360/messageTypes';
import type { MessageTypeModule } from '../../../nodes/Dialog360/messageTypes/types';

const fakeType = (value: string, methods: MessageTypeModule['methods']): MessageTypeModule => ({
	value,
	name: value,
	description: value,
	properties: [],
	build: () => ({ body: {} }),
	methods,
});

const options = async function (this: ILoadOptionsFunctions) {
	return [];
};

describe('editor methods of the message types', () => {
	it('the node offers the template methods under the names saved workflows use', () => {
		const methods = new Dialog360().methods ?? {};
		expect(Object.keys(methods).sort()).toEqual(['listSearch', 'resourceMapping']);
		expect(Object.keys(methods.listSearch ?? {})).toEqual(['searchTemplates']);
		expect(Object.keys(methods.resourceMapping ?? {})).toEqual(['getTemplateFields']);
		expect(methods).toEqual(mergeMethods(MESSAGE_TYPES));
	});

	it('merges the methods of several types by kind', () => {
		const merged = mergeMethods([fakeType('a', { loadOptions: { first: options } }), fakeType('b', { loadOptions: { second: options } }), fakeType('c', undefined)]);
		expect(merged).toEqual({ loadOptions: { first: options, second: options } });
	});

	it('a method name defined by two types is refused', () => {
		expect(() => mergeMethods([fakeType('a', { loadOptions: { same: options } }), fakeType('b', { loadOptions: { same: options } })])).toThrow(
			'Message type "b" defines loadOptions.same, which another message type defines too',
		);
	});
});
