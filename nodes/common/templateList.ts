/**
 * The account's template definitions, page by page, for the editor (editor.ts) and for executions
 * (lookup.ts).
 *
 * Endpoints: `GET /v1/configs/templates` (limit/offset paging, `{waba_templates, count, total,
 * offset, limit}`; https://docs.360dialog.com/docs/messaging-api/api-reference/templates) is used
 * first, because 360dialog documents it for its Cloud API host. Assumption: a host that answers it
 * with 404, 405 or 501 lacks it and serves Meta's `GET /message_templates` (`{data, paging:
 * {cursors: {after}, next}}`) instead, which returns the same template objects.
 */
import { NodeApiError, type IDataObject } from 'n8n-workflow';

import { isRecord } from './json';
import { dialog360Request, type Dialog360Connection, type Dialog360Context } from './transport';

export type TemplateSource = 'configs' | 'graph';

export const TEMPLATE_ENDPOINTS: Record<TemplateSource, string> = {
	configs: '/v1/configs/templates',
	graph: '/message_templates',
};

/** Templates per request: 360dialog's listing pages by offset (its default page is 1000), Meta's by cursor. */
export const TEMPLATE_PAGE_SIZE: Record<TemplateSource, number> = { configs: 250, graph: 100 };
/** A guard against a paging loop that never ends (1000 pages of 250 is far beyond Meta's cap). */
export const MAX_PAGES = 1000;

export interface TemplatePage {
	templates: IDataObject[];
	/** Where the next page starts (offset or cursor), or undefined on the last page. */
	next?: string;
}

/** The first page, and which endpoint answered it (the following pages come from the same one). */
export type FirstTemplatePage = TemplatePage & { source: TemplateSource };

/** Where pages come from: the API itself, or the editor's short-lived cache in front of it (editorCache.ts). */
export interface TemplatePages {
	first(): Promise<FirstTemplatePage>;
	page(source: TemplateSource, cursor: string): Promise<TemplatePage>;
}

interface PageRequest {
	context: Dialog360Context;
	connection: Dialog360Connection;
	source: TemplateSource;
	cursor?: string;
	itemIndex?: number;
}

const records = (value: unknown): IDataObject[] => (Array.isArray(value) ? (value.filter(isRecord) as IDataObject[]) : []);

/** One page from either endpoint, with where the next one starts. */
async function fetchTemplatePage({ context, connection, source, cursor, itemIndex }: PageRequest): Promise<TemplatePage> {
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

/** The first page, from `/v1/configs/templates` or, when the host lacks it, `/message_templates`. */
async function fetchFirstTemplatePage(request: Omit<PageRequest, 'source' | 'cursor'>): Promise<FirstTemplatePage> {
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

/** Pages straight from the API. */
export function apiPages(context: Dialog360Context, connection: Dialog360Connection, itemIndex?: number): TemplatePages {
	return {
		first: async () => await fetchFirstTemplatePage({ context, connection, itemIndex }),
		page: async (source, cursor) => await fetchTemplatePage({ context, connection, source, cursor, itemIndex }),
	};
}

/** Every template of the account (all statuses), page by page. */
export async function loadAllTemplates(pages: TemplatePages): Promise<IDataObject[]> {
	const first = await pages.first();
	const all = [...first.templates];
	let next = first.next;
	for (let count = 1; next !== undefined && count < MAX_PAGES; count++) {
		const page = await pages.page(first.source, next);
		all.push(...page.templates);
		next = page.next;
	}
	return all;
}

export const isApproved = (template: IDataObject): boolean => String(template.status ?? '').toUpperCase() === 'APPROVED';

/** Distinct languages of the templates called `name`: approved ones, or all when none is approved. */
export function languagesOf(templates: IDataObject[], name: string): string[] {
	const named = templates.filter((template) => template.name === name);
	const approved = named.filter(isApproved);
	return [...new Set((approved.length > 0 ? approved : named).map((template) => String(template.language)))];
}
