/**
 * Template → Delete by name: every language (`DELETE /v1/configs/templates/{name}`), or one
 * language. Assumption: 360dialog passes Meta's `hsm_id` query through, so one translation is deleted
 * with `DELETE /v1/configs/templates/{name}?hsm_id={id}` (the id found in the template list first).
 * https://docs.360dialog.com/api/whatsapp-api/message-templates-api ("delete all translations … by name"),
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates#deleting-templates
 */
import { NodeOperationError, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { apiPages, loadAllTemplates } from '../../../Dialog360/messageTypes/template/account';
import { dialog360Request } from '../../../common/transport';
import { FieldError, requireText, textOf } from '../../../common/validation';
import { TEMPLATE_NAME_PATTERN } from '../../template/rules';
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
		description: 'Delete only this translation; empty deletes the template in every language',
	},
];

export const remove: AccountOperation = {
	description,
	prepare(context, itemIndex) {
		const name = requireText('Template Name', context.getNodeParameter('templateName', itemIndex, '')).trim();
		if (!TEMPLATE_NAME_PATTERN.test(name)) throw new FieldError('Template Name', `Template Name "${name}" is not a template name (lowercase letters, digits and underscores)`);
		const language = textOf('Language', context.getNodeParameter('language', itemIndex, '')).trim();
		return async (ctx, connection, index) => {
			const path = `/v1/configs/templates/${encodeURIComponent(name)}`;
			if (!language) {
				await dialog360Request.call(ctx, { method: 'DELETE', path, itemIndex: index, errorContext: { templateName: name } }, connection);
				return [{ name, deleted: true }];
			}
			const templates = (await loadAllTemplates(apiPages(ctx, connection, index))).filter((template) => template.name === name);
			const target = templates.find((template) => template.language === language) as IDataObject | undefined;
			if (!target?.id) {
				throw new NodeOperationError(ctx.getNode(), `Template "${name}" in ${language} was not found; nothing was deleted [item ${index}]`, {
					itemIndex: index,
					description: templates.length > 0 ? `It exists in: ${templates.map((template) => String(template.language)).join(', ')}.` : 'No template of the account has this name.',
				});
			}
			await dialog360Request.call(
				ctx,
				{ method: 'DELETE', path, qs: { hsm_id: String(target.id) }, itemIndex: index, errorContext: { templateName: name, templateLanguage: language } },
				connection,
			);
			return [{ name, language, id: String(target.id), deleted: true }];
		};
	},
};
