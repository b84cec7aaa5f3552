import { showFor } from '../display';
import type { AccountResource } from '../types';
import { getComponents } from './getComponents.operation';
import { getHealth } from './getHealth.operation';
import { setComponents } from './setComponents.operation';

export const phoneNumber: AccountResource = {
	operations: [
		{ name: 'Get Conversational Components', value: 'getConversationalComponents', description: 'Get commands, ice breakers and the welcome message setting', action: 'Get conversational components' },
		{ name: 'Get Health', value: 'getHealth', description: 'Whether this number can send messages, and what blocks or limits it', action: 'Get the health status' },
		{ name: 'Set Conversational Components', value: 'setConversationalComponents', description: 'Replace commands, ice breakers and the welcome message setting', action: 'Set conversational components' },
	],
	defaultOperation: 'getHealth',
	byOperation: { getConversationalComponents: getComponents, getHealth, setConversationalComponents: setComponents },
};

export const phoneNumberFields = Object.entries(phoneNumber.byOperation).flatMap(([operation, { description }]) => showFor('phoneNumber', operation, description));
