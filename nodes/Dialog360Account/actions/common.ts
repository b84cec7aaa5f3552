/**
 * Form fields and lookups that several Account operations share: Return All / Limit for list
 * operations, and a template found by name (and language) in the account's template list.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { apiPages, loadAllTemplates } from '../../common/templateList';
import type { Dialog360Connection } from '../../common/transport';
import { numberInRange } from '../../common/validation';

/** n8n's usual Return All / Limit pair. */
export const returnAllFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** The most results an item asks for: Infinity with Return All. */
export function readLimit(context: IExecuteFunctions, itemIndex: number): number {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? Infinity : numberInRange('Limit', context.getNodeParameter('limit', itemIndex, 50), 1, Number.MAX_SAFE_INTEGER);
}

/** The Template Name field of Get and Delete. */
export const templateNameField: INodeProperties = {
	displayName: 'Template Name',
	name: 'templateName',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'order_update',
};

/**
 * The translations of template `name` (every language, or only `language`; only those `usable`
 * accepts). None found: an error naming the languages it does exist in, with `consequence` appended
 * to the message ("; nothing was deleted").
 */
export async function findTemplate(
	context: IExecuteFunctions,
	connection: Dialog360Connection,
	itemIndex: number,
	name: string,
	language: string,
	consequence = '',
	usable: (template: IDataObject) => boolean = () => true,
): Promise<IDataObject[]> {
	const templates = (await loadAllTemplates(apiPages(context, connection, itemIndex))).filter((template) => template.name === name);
	const found = templates.filter((template) => (!language || template.language === language) && usable(template));
	if (found.length === 0) {
		const languages = templates.map((template) => String(template.language));
		throw new NodeOperationError(context.getNode(), `Template "${name}"${language ? ` in ${language}` : ''} was not found${consequence} [item ${itemIndex}]`, {
			itemIndex,
			description: languages.length > 0 ? `It exists in: ${languages.join(', ')}.` : 'No template of the account has this name.',
		});
	}
	return found;
}
