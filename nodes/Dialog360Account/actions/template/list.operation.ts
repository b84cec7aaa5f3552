/**
 * Template → List: every page of the account's templates (GET /v1/configs/templates, limit/offset;
 * Meta's /message_templates when a host lacks it), filtered by name, status, category and language.
 * https://docs.360dialog.com/docs/messaging-api/api-reference/templates
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { apiPages, loadAllTemplates } from '../../../common/templateList';
import { textOf } from '../../../common/validation';
import { readLimit, returnAllFields } from '../common';
import type { AccountOperation } from '../types';

export const STATUS_OPTIONS = [
	{ name: 'Approved', value: 'APPROVED' },
	{ name: 'Disabled', value: 'DISABLED' },
	{ name: 'Paused', value: 'PAUSED' },
	{ name: 'Pending', value: 'PENDING' },
	{ name: 'Rejected', value: 'REJECTED' },
];

export const CATEGORY_OPTIONS = [
	{ name: 'Authentication', value: 'AUTHENTICATION' },
	{ name: 'Marketing', value: 'MARKETING' },
	{ name: 'Utility', value: 'UTILITY' },
];

const description: INodeProperties[] = [
	...returnAllFields,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Category',
				name: 'category',
				type: 'options',
				options: CATEGORY_OPTIONS,
				default: 'MARKETING',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'en_US',
				description: 'Only templates in this language code',
			},
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'order',
				description: 'Only templates whose name contains this text',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: STATUS_OPTIONS,
				default: 'APPROVED',
			},
		],
	},
];

interface Filters {
	name?: string;
	status?: string;
	category?: string;
	language?: string;
}

export function matchesFilters(template: IDataObject, filters: Filters): boolean {
	const same = (a: unknown, b: string | undefined) => !b || String(a ?? '').toUpperCase() === b.toUpperCase();
	return (
		(!filters.name || String(template.name ?? '').includes(filters.name)) &&
		same(template.status, filters.status) &&
		same(template.category, filters.category) &&
		(!filters.language || template.language === filters.language)
	);
}

export const list: AccountOperation = {
	description,
	prepare(context, itemIndex) {
		const limit = readLimit(context, itemIndex);
		const raw = (context.getNodeParameter('filters', itemIndex, {}) ?? {}) as Filters;
		const filters: Filters = {
			name: textOf('Name Contains', raw.name).trim() || undefined,
			status: raw.status || undefined,
			category: raw.category || undefined,
			language: textOf('Language', raw.language).trim() || undefined,
		};
		return async (ctx, connection, index) => {
			const templates = await loadAllTemplates(apiPages(ctx, connection, index));
			return templates.filter((template) => matchesFilters(template, filters)).slice(0, limit);
		};
	},
};
