/**
 * Template → Delete by name: every language (`DELETE /v1/configs/templates/{name}`), or one
 * language. Assumption: 360dialog passes Meta's `hsm_id` query through, so one translation is deleted
 * with `DELETE /v1/configs/templates/{name}?hsm_id={id}` (the id found in the template list first).
 * https://docs.360dialog.com/api/whatsapp-api/message-templates-api ("delete all translations … by name"),
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates#deleting-templates
 */
import type { INodeProperties } from 'n8n-workflow';

import { dialog360Request } from '../../../common/transport';
import { FieldError, requireText, textOf } from '../../../common/validation';
import { TEMPLATE_NAME_PATTERN } from '../../template/rules';
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
			const [target] = await findTemplate(ctx, connection, index, name, language, '; nothing was deleted', (template) => Boolean(template.id));
			await dialog360Request.call(
				ctx,
				{ method: 'DELETE', path, qs: { hsm_id: String(target.id) }, itemIndex: index, errorContext: { templateName: name, templateLanguage: language } },
				connection,
			);
			return [{ name, language, id: String(target.id), deleted: true }];
		};
	},
};
