import { showFor } from '../display';
import type { AccountResource } from '../types';
import { create } from './create.operation';
import { remove } from './delete.operation';
import { get } from './get.operation';
import { list } from './list.operation';

export const template: AccountResource = {
	operations: [
		{ name: 'Create', value: 'create', description: 'Submit a new template for review', action: 'Create a template' },
		{ name: 'Delete', value: 'delete', description: 'Delete a template by name, in every language or one', action: 'Delete a template' },
		{ name: 'Get', value: 'get', description: 'Get a template by name and language', action: 'Get a template' },
		{ name: 'Get Many', value: 'list', description: 'List the templates of the account', action: 'Get many templates' },
	],
	defaultOperation: 'list',
	byOperation: { create, delete: remove, get, list },
};

export const templateFields = Object.entries(template.byOperation).flatMap(([operation, { description }]) => showFor('template', operation, description));
