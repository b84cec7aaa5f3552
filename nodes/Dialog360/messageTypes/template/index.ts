/**
 * Template messages: an approved template of the account with its variables, the only message
 * allowed outside the 24-hour window. See
 * https://docs.360dialog.com/docs/messaging-api/api-reference/templates and
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
 *
 * One grammar names every value a template can take (names.ts): the editor turns a definition into
 * fields with these ids (editor.ts), and the builder reads values by the same ids, whether they
 * come from those fields or from the plain JSON "Parameters" (AI agents, expressions). Everything is
 * checked against the definition before anything is sent: a missing variable, an unknown field or
 * a broken limit is a FieldError.
 *
 *   definition.ts   a template definition as the account lists it
 *   names.ts        field ids and labels;  limits.ts  WhatsApp's limits for the values
 *   slots.ts        which values a definition takes;  buttons.ts  the table of button kinds
 *   reader.ts       reading one item's values;  build.ts  plan + build of the `template` object
 *   input.ts        the chosen template and the values of an item;  media.ts  header media
 *   form.ts         the form;  editor.ts  list search and resource mapper (editorCache.ts)
 *   lookup.ts       the per-execution lookup (the account's templates are listed by common/templateList.ts)
 *   marketing.ts    a marketing template through the Marketing Messages API (MM Lite)
 */
import type { BuiltMessage, MessageTypeModule, PendingUpload } from '../types';
import { buildTemplateObject } from './build';
import { templateMethods } from './editor';
import { templateProperties, TEMPLATE_PARAMS } from './form';
import { parseTemplateChoice, readTemplateValues, resolveTemplate } from './input';
import { marketingMessagesRoute } from './marketing';
import { mediaResolver } from './media';

export const templateMessage: MessageTypeModule = {
	value: 'template',
	name: 'Template',
	description: 'An approved template with its variables: the only message allowed outside the 24-hour window',
	properties: templateProperties,
	methods: templateMethods,
	async build(context): Promise<BuiltMessage> {
		const choice = parseTemplateChoice(context.get<unknown>(TEMPLATE_PARAMS.template, ''));
		const definition = await resolveTemplate(context.templates, choice);
		const { values, source } = readTemplateValues(context);
		const uploads: PendingUpload[] = [];
		const template = await buildTemplateObject(definition, values, { resolveMedia: mediaResolver(context, uploads), source });
		const marketing = marketingMessagesRoute(context, definition);
		return {
			body: { type: 'template', template, ...marketing?.body },
			...(marketing ? { endpoint: marketing.endpoint } : {}),
			...(uploads.length > 0 ? { uploads } : {}),
			errorContext: { templateName: definition.name, templateLanguage: definition.language },
		};
	},
};
