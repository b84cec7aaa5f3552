/** Template → Get: one template by name (and language), read from the account's template list. */
import type { INodeProperties } from 'n8n-workflow';

import { textOf, requireText } from '../../../common/validation';
import { findTemplate, templateNameField } from '../common';
import type { AccountOperation } from '../types';

const description: INodeProperties[] = [
	templateNameField,
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
		return async (ctx, connection, index) => await findTemplate(ctx, connection, index, name, language);
	},
};
