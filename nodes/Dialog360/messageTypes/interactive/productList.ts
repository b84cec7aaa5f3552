/**
 * Product list: up to 30 catalog items in up to 10 titled sections, under a required text header.
 * https://developers.facebook.com/docs/whatsapp/guides/commerce-guides/share-products-with-customers
 *
 * Sections always need a title here (the product list shows them as headings), even when there
 * is only one.
 */
import type { IDataObject } from 'n8n-workflow';

import { FieldError, textOf } from '../../../common/validation';
import type { ParamReader } from '../types';
import { catalogIdProperty, INTERACTIVE_LIMITS as L, sectionsModeOptions } from './parts';
import { checkEntry, collectionEntries, describe, jsonArray, requiredId, requiredLabel } from './read';
import type { InteractiveVariant } from './variant';

/** Sections as entered, before validation; the form and JSON inputs both become this. */
interface RawProductSection {
	title: unknown;
	productIds: unknown[];
}

/** "SKU-1, SKU-2\nSKU-3" or ["SKU-1", ...] → the ids as entered (empty entries dropped). */
function splitIds(value: unknown): unknown[] {
	if (Array.isArray(value)) return value.filter((id) => !(typeof id === 'string' && id.trim() === ''));
	if (value === undefined || value === null) return [];
	if (typeof value !== 'string') return [value];
	return value
		.split(/[\n,;]/)
		.map((id) => id.trim())
		.filter((id) => id !== '');
}

function productSectionsFromForm(value: unknown): RawProductSection[] {
	return collectionEntries(value, 'section').map((section) => ({
		title: section.title,
		productIds: splitIds(section.productRetailerIds),
	}));
}

function productSectionsFromJson(field: string, value: unknown): RawProductSection[] {
	return jsonArray(field, value, 'sections').map((entry, s) => {
		const section = checkEntry(field, `Section ${s + 1}`, entry, ['title', 'product_items']);
		const items = section.product_items ?? [];
		if (!Array.isArray(items)) {
			throw new FieldError(field, `Section ${s + 1} "product_items" must be a list of products, not ${describe(items)}`);
		}
		return {
			title: section.title,
			productIds: items.map(
				(item, p) => checkEntry(field, `Section ${s + 1} Product ${p + 1}`, item, ['product_retailer_id']).product_retailer_id,
			),
		};
	});
}

/** Validates product list sections (from the form or JSON) with WhatsApp's rules and builds them. */
function buildProductSections(sections: RawProductSection[]): IDataObject[] {
	if (sections.length === 0) throw new FieldError('Sections', 'Product List needs at least 1 section with at least 1 product');
	if (sections.length > L.sections) {
		throw new FieldError('Sections', `Product List has ${sections.length} sections; WhatsApp allows ${L.sections}`);
	}
	const total = sections.reduce((sum, section) => sum + section.productIds.length, 0);
	if (total > L.products) {
		throw new FieldError('Sections', `Product List has ${total} products; WhatsApp allows ${L.products} in total`);
	}
	return sections.map((section, s) => {
		const name = `Section ${s + 1}`;
		const title = requiredLabel(`${name} Title`, section.title, L.sectionTitle);
		if (section.productIds.length === 0) {
			throw new FieldError(`${name} Product Retailer IDs`, `${name} has no products; add at least 1 product retailer ID`);
		}
		const productItems = section.productIds.map((id, p) => {
			const field = `${name} Product ${p + 1}`;
			const text = textOf(field, id).trim();
			if (text === '') throw new FieldError(field, `${field} has an empty product retailer ID`);
			return { product_retailer_id: text };
		});
		return { title, product_items: productItems };
	});
}

function productListAction(context: ParamReader): IDataObject {
	const catalogId = requiredId('Catalog ID', context.get('interactiveCatalogId', ''));
	const mode = context.get<string>('interactiveProductSectionsMode', 'fields');
	const sections =
		mode === 'json'
			? buildProductSections(productSectionsFromJson('Sections (JSON)', context.get('interactiveProductSectionsJson', '')))
			: buildProductSections(productSectionsFromForm(context.get('interactiveProductSections', {})));
	return { catalog_id: catalogId, sections };
}

export const productListVariant: InteractiveVariant = {
	value: 'product_list',
	name: 'Product List',
	description: 'Up to 30 products from your catalog, grouped in sections',
	header: 'required-text',
	body: 'required',
	footer: true,
	properties: [
		catalogIdProperty,
		{
			displayName: 'Specify Sections',
			name: 'interactiveProductSectionsMode',
			type: 'options',
			noDataExpression: true,
			default: 'fields',
			options: sectionsModeOptions,
			description: 'How to give the sections and products of the list',
		},
		{
			displayName: 'Sections',
			name: 'interactiveProductSections',
			type: 'fixedCollection',
			placeholder: 'Add Section',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			required: true,
			description: '1 to 10 sections, each with a title, and at most 30 products in total',
			displayOptions: { show: { interactiveProductSectionsMode: ['fields'] } },
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
							required: true,
							placeholder: 'New arrivals',
							description: 'Up to 24 characters',
						},
						{
							displayName: 'Product Retailer IDs',
							name: 'productRetailerIds',
							type: 'string',
							default: '',
							required: true,
							placeholder: 'SKU-1, SKU-2, SKU-3',
							description:
								'The products’ Content IDs / SKUs, separated by commas or new lines (an expression may also return a list)',
						},
					],
				},
			],
		},
		{
			displayName: 'Sections (JSON)',
			name: 'interactiveProductSectionsJson',
			type: 'json',
			default: '',
			required: true,
			placeholder: '[{ "title": "New arrivals", "product_items": [{ "product_retailer_id": "SKU-1" }] }]',
			description:
				'An array of sections, each {"title", "product_items": [{"product_retailer_id"}]}. Same limits as the form: 1–10 sections, each with a title of up to 24 characters, at most 30 products in total.',
			hint: 'Tip: use an expression such as {{ $json.sections }} to map sections from earlier nodes',
			displayOptions: { show: { interactiveProductSectionsMode: ['json'] } },
		},
	],
	action: productListAction,
};
