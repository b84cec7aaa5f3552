/** Template → Get: one template by name (and language), read from the account's template list. */
import { NodeOperationError, type INodeProperties } from 'n8n-workflow';

import { apiPages, loadAllTemplates } from '../../../Dialog360/messageTypes/template/account';
import { requireText, textOf } from '../../../common/validation';
import type { AccountOperation } from '../types';

const description: INodeProperties[] = [
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'order_update',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: '',
		placeholder: 'en_US',
		description: 'Language code of the translation; empty returns every language of the template, one item each',
	},
];

export const get: AccountOperation = {
	description,
	prepare(context, itemIndex) {
		const name = requireText('Template Name', context.getNodeParameter('templateName', itemIndex, '')).trim();
		const language = textOf('Language', context.getNodeParameter('language', itemIndex, '')).trim();
		return async (ctx, connection, index) => {
			const templates = (await loadAllTemplates(apiPages(ctx, connection, index))).filter((template) => template.name === name);
			const found = language ? templates.filter((template) => template.language === language) : templates;
			if (found.length === 0) {
				const languages = templates.map((template) => String(template.language));
				throw new NodeOperationError(ctx.getNode(), `Template "${name}"${language ? ` in ${language}` : ''} was not found [item ${index}]`, {
					itemIndex: index,
					description: languages.length > 0 ? `It exists in: ${languages.join(', ')}.` : 'No template of the account has this name.',
				});
			}
			return found;
		};
	},
};
