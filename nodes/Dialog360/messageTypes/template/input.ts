/**
 * What one item asks for: the chosen template (found in the account's definitions and checked
 * that it can be sent) and the values, from the mapped fields or the JSON parameters.
 */
import type { IDataObject } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { FieldError, jsonObject } from '../../../common/validation';
import type { BuildContext, TemplateLookup } from '../types';
import { parseTemplateDefinition, templateLabel, type TemplateDefinition } from './definition';
import { FORM, TEMPLATE_PARAMS } from './form';
import { TEMPLATE_LIMITS } from './limits';

export interface TemplateChoice {
	name: string;
	/** Empty when the user gave only a name. */
	language: string;
}

/** The last text `parseTemplateChoice` accepted and what it read (never a rejected one). */
let lastChoice: { text: string; name: string; language: string } | undefined;

/**
 * The Template field: `name|language` (list value and By Name), also `name (language)` as the
 * list shows it, or just `name`. A resource-locator object is unwrapped.
 */
export function parseTemplateChoice(value: unknown): TemplateChoice {
	const raw = isRecord(value) && '__rl' in value ? value.value : value;
	const text = raw === undefined || raw === null ? '' : String(raw).trim();
	// Every item of a send usually names the same template: reuse the last successful reading.
	if (lastChoice && text === lastChoice.text) return { name: lastChoice.name, language: lastChoice.language };
	if (text === '') {
		throw new FieldError(FORM.template, 'Template is required: pick one From List, or enter name|language By Name (e.g. order_update|en_US)');
	}
	const match = /^([^|]+)\|([^|]*)$/.exec(text) ?? /^(\S+)\s*\(\s*([A-Za-z]{2,3}(?:_[A-Za-z0-9]+)?)\s*\)/.exec(text);
	const name = (match ? match[1] : text).trim();
	const language = (match ? match[2] : '').trim();
	if (!/^[A-Za-z0-9_]+$/.test(name)) {
		throw new FieldError(
			FORM.template,
			`Template "${text}" is not a template name: names use letters, digits and _ only. Enter name|language, e.g. order_update|en_US`,
		);
	}
	if (language !== '' && !/^[A-Za-z]{2,3}(_[A-Za-z0-9]+)?$/.test(language)) {
		throw new FieldError(FORM.template, `Template language "${language}" is not a language code like en, en_US or pt_BR`);
	}
	lastChoice = { text, name, language };
	return { name, language };
}

/** The lookup with the optional extra the execution lookup (lookup.ts) provides: the languages a name exists in. */
export interface TemplateCatalog extends TemplateLookup {
	languages?(name: string): Promise<string[]>;
}

/**
 * The lookup hands out the same objects for every item of an execution: parse and check each
 * once. `problem` is why the definition cannot be sent (the FieldError message), if it cannot.
 */
const parsedDefinitions = new WeakMap<IDataObject, { definition: TemplateDefinition; problem?: string }>();

function parsedDefinition(raw: IDataObject): { definition: TemplateDefinition; problem?: string } {
	let parsed = parsedDefinitions.get(raw);
	if (!parsed) {
		const definition = parseTemplateDefinition(raw);
		const problem = definitionProblem(definition);
		parsed = problem === undefined ? { definition } : { definition, problem };
		parsedDefinitions.set(raw, parsed);
	}
	return parsed;
}

function definitionProblem(definition: TemplateDefinition): string | undefined {
	if (definition.status !== 'APPROVED') {
		return `Template ${templateLabel(definition)} is ${definition.status.toLowerCase()}; only approved templates can be sent`;
	}
	const unsupported = [definition.header, ...(definition.cards ?? []).map((card) => card.header)].find(
		(header): header is { format: 'unsupported'; raw: string } => header?.format === 'unsupported',
	);
	if (unsupported) {
		return `Template ${templateLabel(definition)} has a ${unsupported.raw.toLowerCase()} header, which this node cannot fill`;
	}
	if ((definition.cards?.length ?? 0) > TEMPLATE_LIMITS.carouselCards) {
		return `Template ${templateLabel(definition)} has ${definition.cards?.length} cards; WhatsApp allows ${TEMPLATE_LIMITS.carouselCards}`;
	}
	return undefined;
}

/** Finds the definition of the chosen template; FieldError when it is missing or not sendable. */
export async function resolveTemplate(lookup: TemplateCatalog, choice: TemplateChoice): Promise<TemplateDefinition> {
	const languages = lookup.languages ? await lookup.languages(choice.name) : undefined;
	let language = choice.language;
	if (language === '') {
		if (languages && languages.length === 1) language = languages[0];
		else if (languages && languages.length > 1) {
			throw new FieldError(
				FORM.template,
				`Template "${choice.name}" exists in ${languages.join(', ')}; add the language, e.g. ${choice.name}|${languages[0]}`,
			);
		}
	}
	const raw = language === '' ? undefined : await lookup.find(choice.name, language);
	if (!raw) {
		const where = language === '' ? '' : ` in language "${language}"`;
		const others = languages && languages.length > 0 ? `; it exists in ${languages.join(', ')}` : '; no template of that name exists on this number';
		throw new FieldError(FORM.template, `Template "${choice.name}"${where} was not found${others}`);
	}
	const { definition, problem } = parsedDefinition(raw);
	if (problem !== undefined) throw new FieldError(FORM.template, problem);
	return definition;
}

type Scalar = string | number | boolean;

/**
 * Flattens the JSON parameters: nested objects join keys with dots (`{"button": {"1": {"url": "x"}}}`
 * → `button.1.url`), and a `body` list fills positional variables from {{1}} on.
 */
export function flattenParameters(field: string, input: Record<string, unknown>): Record<string, Scalar> {
	const out: Record<string, Scalar> = {};
	const visit = (prefix: string, value: unknown): void => {
		if (value === undefined || value === null) return;
		if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
			out[prefix] = value;
			return;
		}
		if (Array.isArray(value)) {
			if (!/(^|\.)body$/.test(prefix)) {
				throw new FieldError(field, `${field}: "${prefix}" is a list; only "body" may be a list (its entries fill {{1}}, {{2}}, …)`);
			}
			value.forEach((entry, i) => visit(`${prefix}.${i + 1}`, entry));
			return;
		}
		if (isRecord(value)) {
			// Flow data is the one value that is an object itself.
			if (/\.flow_action_data$/.test(prefix)) {
				out[prefix] = JSON.stringify(value);
				return;
			}
			for (const [key, child] of Object.entries(value)) visit(prefix === '' ? key.trim() : `${prefix}.${key.trim()}`, child);
			return;
		}
		throw new FieldError(field, `${field}: "${prefix}" must be text, a number or true/false`);
	};
	visit('', input);
	return out;
}

/** The values the user gave, by field id, from the mapped fields or the JSON parameters. */
export function readTemplateValues(context: Pick<BuildContext, 'get'>): { values: Record<string, unknown>; source: string } {
	const mode = context.get<string>(TEMPLATE_PARAMS.inputMode, 'fields');
	if (mode === 'json') {
		const parsed = jsonObject(FORM.json, context.get<unknown>(TEMPLATE_PARAMS.json, '{}')) ?? {};
		return { values: flattenParameters(FORM.json, parsed), source: FORM.json };
	}
	const mapper = context.get<unknown>(TEMPLATE_PARAMS.fields, {});
	const value = isRecord(mapper) ? mapper.value : undefined;
	return { values: isRecord(value) ? { ...value } : {}, source: FORM.fields };
}
