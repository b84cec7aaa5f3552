/**
 * Template definitions from the account: the Template dropdown (approved only, every page,
 * searchable), the variable fields generated from a definition (resourceMapper), and the
 * per-execution lookup the template message type reads its definitions from.
 *
 * Endpoints (API digest §2.10, §9.12): `GET /v1/configs/templates` (limit/offset paging,
 * `{waba_templates, count, total, offset, limit}`) is used first, because 360dialog documents it
 * for its Cloud API host. When a host answers it with 404, 405 or 501, the Meta-style
 * `GET /message_templates` (`{data, paging: {cursors: {after}, next}}`) is used instead. Both
 * return the same template objects.
 */
import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
	type INodeType,
	type ResourceMapperFields,
} from 'n8n-workflow';

import { dialog360Request, getConnection, type Dialog360Connection, type Dialog360Context } from '../shared/transport';
import {
	parseTemplateChoice,
	parseTemplateDefinition,
	TEMPLATE_METHODS,
	TEMPLATE_PARAMS,
	templateFields,
	templateLabel,
	type TemplateCatalog,
} from './messageTypes/template';
import { FieldError } from '../shared/validation';

export type TemplateSource = 'configs' | 'graph';

export const TEMPLATE_ENDPOINTS: Record<TemplateSource, string> = {
	configs: '/v1/configs/templates',
	graph: '/message_templates',
};

/** Templates per request: 360dialog's listing pages by offset (its default page is 1000), Meta's by cursor. */
export const TEMPLATE_PAGE_SIZE: Record<TemplateSource, number> = { configs: 250, graph: 100 };
/** The dropdown loads pages until it has at least this many matches, then offers "more". */
export const LIST_SEARCH_BATCH = 100;
/** A guard against a paging loop that never ends (1000 pages of 250 is far beyond Meta's cap). */
const MAX_PAGES = 1000;

export interface TemplatePage {
	templates: IDataObject[];
	/** Where the next page starts (offset or cursor), or undefined on the last page. */
	next?: string;
}

interface PageRequest {
	context: Dialog360Context;
	connection: Dialog360Connection;
	source: TemplateSource;
	cursor?: string;
	itemIndex?: number;
}

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const records = (value: unknown): IDataObject[] => (Array.isArray(value) ? value.filter(isRecord) : []);

/** One page from either endpoint, with where the next one starts. */
export async function fetchTemplatePage({ context, connection, source, cursor, itemIndex }: PageRequest): Promise<TemplatePage> {
	if (source === 'configs') {
		const offset = cursor === undefined ? 0 : Number(cursor);
		const response = (await dialog360Request.call(
			context,
			{ method: 'GET', path: TEMPLATE_ENDPOINTS.configs, qs: { limit: TEMPLATE_PAGE_SIZE.configs, offset }, itemIndex },
			connection,
		)) as IDataObject | undefined;
		const templates = records(response?.waba_templates);
		const total = Number(response?.total);
		const end = offset + templates.length;
		const more = Number.isFinite(total) ? end < total : templates.length >= TEMPLATE_PAGE_SIZE.configs;
		return { templates, next: more && templates.length > 0 ? String(end) : undefined };
	}
	const response = (await dialog360Request.call(
		context,
		{ method: 'GET', path: TEMPLATE_ENDPOINTS.graph, qs: { limit: TEMPLATE_PAGE_SIZE.graph, ...(cursor ? { after: cursor } : {}) }, itemIndex },
		connection,
	)) as IDataObject | undefined;
	const templates = records(response?.data);
	const paging = isRecord(response?.paging) ? response.paging : {};
	const cursors = isRecord(paging.cursors) ? paging.cursors : {};
	const after = typeof cursors.after === 'string' ? cursors.after : undefined;
	const next = paging.next && after && after !== cursor && templates.length > 0 ? after : undefined;
	return { templates, next };
}

/** Whether the host does not have this endpoint at all, so the other one should be tried. */
function isMissingEndpoint(error: unknown): boolean {
	return error instanceof NodeApiError && ['404', '405', '501'].includes(String(error.httpCode));
}

/**
 * The first page, from `/v1/configs/templates` or, when the host lacks it, `/message_templates`.
 * Returns the source that answered, for the following pages.
 */
export async function fetchFirstTemplatePage(
	request: Omit<PageRequest, 'source' | 'cursor'>,
): Promise<TemplatePage & { source: TemplateSource }> {
	let page: TemplatePage | undefined;
	let failure: unknown;
	try {
		page = await fetchTemplatePage({ ...request, source: 'configs' });
	} catch (error) {
		failure = error;
	}
	if (page) return { ...page, source: 'configs' };
	// Thrown after the catch block: an API error other than "no such endpoint" goes to the user.
	if (!isMissingEndpoint(failure)) throw failure as Error;
	return { ...(await fetchTemplatePage({ ...request, source: 'graph' })), source: 'graph' };
}

/** Every template of the account (all statuses), page by page. */
export async function loadAllTemplates(
	context: Dialog360Context,
	connection: Dialog360Connection,
	itemIndex?: number,
): Promise<IDataObject[]> {
	const first = await fetchFirstTemplatePage({ context, connection, itemIndex });
	const all = [...first.templates];
	let next = first.next;
	for (let pages = 1; next !== undefined && pages < MAX_PAGES; pages++) {
		const page = await fetchTemplatePage({ context, connection, source: first.source, cursor: next, itemIndex });
		all.push(...page.templates);
		next = page.next;
	}
	return all;
}

const isApproved = (template: IDataObject): boolean => String(template.status ?? '').toUpperCase() === 'APPROVED';

/** Distinct languages of the templates called `name`: approved ones, or all when none is approved. */
export function languagesOf(templates: IDataObject[], name: string): string[] {
	const named = templates.filter((template) => template.name === name);
	const approved = named.filter(isApproved);
	return [...new Set((approved.length > 0 ? approved : named).map((template) => String(template.language)))];
}

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
		index ??= loadAllTemplates(context, connection).then((templates) => {
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
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const connection = await getConnection.call(this);
	const resume = parseToken(paginationToken);
	let page: TemplatePage;
	let source: TemplateSource;
	if (resume) {
		source = resume.source;
		page = await fetchTemplatePage({ context: this, connection, source, cursor: resume.cursor });
	} else {
		const first = await fetchFirstTemplatePage({ context: this, connection });
		source = first.source;
		page = first;
	}
	const results: INodeListSearchItems[] = [];
	for (let pages = 1; ; pages++) {
		results.push(...page.templates.filter((template) => isApproved(template) && matchesFilter(template, filter)).map(templateListItem));
		if (page.next === undefined || results.length >= LIST_SEARCH_BATCH || pages >= MAX_PAGES) break;
		page = await fetchTemplatePage({ context: this, connection, source, cursor: page.next });
	}
	results.sort(byNameAndLanguage);
	return { results, ...(page.next !== undefined ? { paginationToken: `${source}:${page.next}` } : {}) };
}

// ---------------------------------------------------------------------------------------------
// The variable fields (resourceMapping)
// ---------------------------------------------------------------------------------------------

/** Reads the Template field in the editor; undefined when it is an expression that cannot be resolved here. */
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
export async function getTemplateFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const choice = chosenTemplate(this);
	if ('notice' in choice) return { fields: [], emptyFieldsNotice: choice.notice };
	const connection = await getConnection.call(this);
	const templates = await loadAllTemplates(this, connection);
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

export const templateMethods: INodeType['methods'] = {
	listSearch: { [TEMPLATE_METHODS.search]: searchTemplates },
	resourceMapping: { [TEMPLATE_METHODS.fields]: getTemplateFields },
};
