/**
 * The editor's methods for the template form: the Template dropdown (approved templates, every
 * page, searchable; listSearch) and the variable fields of the chosen template (resourceMapping).
 * Both read the account's templates through the editor cache (editorCache.ts).
 */
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeType,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { getConnection } from '../../../common/transport';
import { FieldError } from '../../../common/validation';
import { isApproved, languagesOf, loadAllTemplates, MAX_PAGES, type TemplatePage, type TemplateSource } from '../../../common/templateList';
import { parseTemplateDefinition, templateLabel, type TemplateDefinition } from './definition';
import { editorPages } from './editorCache';
import { TEMPLATE_METHODS, TEMPLATE_PARAMS } from './form';
import { parseTemplateChoice } from './input';
import { templateSlots } from './slots';

/** The dropdown loads pages until it has at least this many matches, then offers "more". */
export const LIST_SEARCH_BATCH = 100;

// ---------------------------------------------------------------------------------------------
// The dropdown (listSearch)
// ---------------------------------------------------------------------------------------------

function titleCase(text: string): string {
	return text.toLowerCase().replace(/(^|[\s_])([a-z])/g, (_, space: string, letter: string) => `${space === '_' ? ' ' : space}${letter.toUpperCase()}`);
}

/** `order_update (de) · Utility`, value `order_update|de`. */
export function templateListItem(template: IDataObject): INodeListSearchItems {
	const name = String(template.name ?? '');
	const language = String(template.language ?? '');
	const category = typeof template.category === 'string' && template.category !== '' ? ` · ${titleCase(template.category)}` : '';
	return { name: `${name} (${language})${category}`, value: `${name}|${language}` };
}

/**
 * Search in the dropdown. `name|language` (the value format) matches that name part and language.
 * Otherwise every word must appear in the name, or start the language or category; in searches
 * of several words, a language-like word (`de`, `en_US`) only matches the language, so
 * "order de" finds the German order templates.
 */
export function matchesFilter(template: IDataObject, filter: string | undefined): boolean {
	const query = (filter ?? '').trim().toLowerCase();
	if (query === '') return true;
	const name = String(template.name ?? '').toLowerCase();
	const language = String(template.language ?? '').toLowerCase();
	const category = String(template.category ?? '').toLowerCase();
	const piped = /^([^|]*)\|([^|]*)$/.exec(query);
	if (piped) return name.includes(piped[1].trim()) && language.startsWith(piped[2].trim());
	const words = query.split(/\s+/);
	return words.every((word) => {
		const inLanguage = language.startsWith(word);
		if (words.length > 1 && /^[a-z]{2}(_[a-z]{2})?$/.test(word)) return inLanguage;
		return name.includes(word) || inLanguage || category.startsWith(word);
	});
}

const byNameAndLanguage = (a: INodeListSearchItems, b: INodeListSearchItems): number =>
	String(a.value).localeCompare(String(b.value));

/** Token `configs:250` / `graph:<cursor>` → where to continue. */
function parseToken(token: string | undefined): { source: TemplateSource; cursor: string } | undefined {
	const match = /^(configs|graph):(.+)$/.exec(token ?? '');
	return match ? { source: match[1] as TemplateSource, cursor: match[2] } : undefined;
}

/**
 * Approved templates matching `filter`: reads pages until at least LIST_SEARCH_BATCH match (or
 * the list ends), and returns a token that continues with the next page.
 */
async function searchTemplates(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const pages = editorPages(this, await getConnection.call(this));
	const resume = parseToken(paginationToken);
	let page: TemplatePage;
	let source: TemplateSource;
	if (resume) {
		source = resume.source;
		page = await pages.page(source, resume.cursor);
	} else {
		const first = await pages.first();
		source = first.source;
		page = first;
	}
	const results: INodeListSearchItems[] = [];
	for (let count = 1; ; count++) {
		results.push(...page.templates.filter((template) => isApproved(template) && matchesFilter(template, filter)).map(templateListItem));
		if (page.next === undefined || results.length >= LIST_SEARCH_BATCH || count >= MAX_PAGES) break;
		page = await pages.page(source, page.next);
	}
	results.sort(byNameAndLanguage);
	return { results, ...(page.next !== undefined ? { paginationToken: `${source}:${page.next}` } : {}) };
}

// ---------------------------------------------------------------------------------------------
// The variable fields (resourceMapping)
// ---------------------------------------------------------------------------------------------

/**
 * The resourceMapper fields of a template, in form order; the extras are offered under "Add
 * variable". The label is short (`Body {{first_name}}`, as errors name the field): n8n cuts long
 * labels off, and the example used to hide behind the cut. n8n's resource mapper has no other text
 * per field (no hint, description or placeholder), so the slot's hint is not shown.
 */
export function templateFields(definition: TemplateDefinition): ResourceMapperField[] {
	return templateSlots(definition).map((slot) => ({
		id: slot.id,
		displayName: slot.label,
		required: slot.required,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: slot.type,
		...(slot.optionalExtra ? { removed: true } : {}),
	}));
}

/** Reads the Template field in the editor; a notice when it is empty, unreadable or an expression that cannot be resolved here. */
function chosenTemplate(context: ILoadOptionsFunctions): { name: string; language: string } | { notice: string } {
	let value: unknown;
	try {
		value = context.getNodeParameter(TEMPLATE_PARAMS.template, '');
	} catch {
		value = undefined; // an expression that needs input data: no fields here
	}
	if (isRecord(value) && '__rl' in value) value = value.value;
	if (typeof value !== 'string' || value.trim() === '' || value.includes('{{')) {
		return { notice: 'Choose a template From List (or type name|language By Name) to see its variables. For templates chosen by expression, switch Variables Input to JSON.' };
	}
	let problem: string | undefined;
	let choice: { name: string; language: string } | undefined;
	try {
		choice = parseTemplateChoice(value);
	} catch (error) {
		problem = error instanceof FieldError ? error.message : String(error);
	}
	return choice ?? { notice: problem ?? 'The template could not be read' };
}

/** The fields of the chosen template, generated from its definition. */
async function getTemplateFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const choice = chosenTemplate(this);
	if ('notice' in choice) return { fields: [], emptyFieldsNotice: choice.notice };
	const templates = await loadAllTemplates(editorPages(this, await getConnection.call(this)));
	let language = choice.language;
	if (language === '') {
		const languages = languagesOf(templates, choice.name);
		if (languages.length !== 1) {
			return {
				fields: [],
				emptyFieldsNotice:
					languages.length > 1
						? `Template "${choice.name}" exists in ${languages.join(', ')}; add the language, e.g. ${choice.name}|${languages[0]}`
						: `No template named "${choice.name}" on this number`,
			};
		}
		language = languages[0];
	}
	const raw = templates.find((template) => template.name === choice.name && template.language === language);
	if (!raw) {
		return { fields: [], emptyFieldsNotice: `Template ${templateLabel({ name: choice.name, language })} was not found on this number` };
	}
	const fields = templateFields(parseTemplateDefinition(raw));
	return fields.length > 0 ? { fields } : { fields, emptyFieldsNotice: 'This template has no variables: it is sent exactly as approved' };
}

/** The methods the template form uses, under the names the form (and saved workflows) reference. */
export const templateMethods = {
	listSearch: { [TEMPLATE_METHODS.search]: searchTemplates },
	resourceMapping: { [TEMPLATE_METHODS.fields]: getTemplateFields },
} satisfies INodeType['methods'];
