/** The template definitions one execution of the Send node reads, loaded once per execution. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Dialog360Connection } from '../../../common/transport';
import { apiPages, languagesOf, loadAllTemplates } from '../../../common/templateList';
import type { TemplateCatalog } from './input';

/**
 * Loads the account's templates once per execution, on first use; never per item. Also answers
 * which languages a name exists in, for "name only" choices and helpful errors. Indexed by name,
 * so a large batch does not scan the whole list per item; the languages of a name are worked
 * out once per execution too (every item asks).
 */
export function createTemplateLookup(context: IExecuteFunctions, connection: Dialog360Connection): TemplateCatalog {
	let index: Promise<Map<string, IDataObject[]>> | undefined;
	const languagesByName = new Map<string, string[]>();
	const byName = async (name: string): Promise<IDataObject[]> => {
		index ??= loadAllTemplates(apiPages(context, connection)).then((templates) => {
			const map = new Map<string, IDataObject[]>();
			for (const template of templates) {
				const key = String(template.name ?? '');
				const named = map.get(key);
				if (named) named.push(template);
				else map.set(key, [template]);
			}
			return map;
		});
		return (await index).get(name) ?? [];
	};
	return {
		async find(name, language) {
			return (await byName(name)).find((template) => template.language === language);
		},
		async languages(name) {
			const templates = await byName(name);
			let languages = languagesByName.get(name);
			if (!languages) {
				languages = languagesOf(templates, name);
				languagesByName.set(name, languages);
			}
			return [...languages]; // a copy: the caller may change its list
		},
	};
}
