/**
 * Single product: one item of the catalog linked to the WhatsApp account. WhatsApp draws the
 * header from the product, so there is none to set; body and footer are optional.
 * https://developers.facebook.com/docs/whatsapp/guides/commerce-guides/share-products-with-customers
 */
import { catalogIdProperty } from './parts';
import { requiredId } from './read';
import type { InteractiveVariant } from './variant';

export const productVariant: InteractiveVariant = {
	value: 'product',
	name: 'Product',
	description: 'One product from the catalog linked to your WhatsApp account',
	header: 'none',
	body: 'optional',
	footer: true,
	properties: [
		catalogIdProperty,
		{
			displayName: 'Product Retailer ID',
			name: 'interactiveProductRetailerId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'SKU-12345',
			description: 'The product’s Content ID / SKU in the catalog',
		},
	],
	action(context) {
		const catalogId = requiredId('Catalog ID', context.get('interactiveCatalogId', ''));
		const productRetailerId = requiredId('Product Retailer ID', context.get('interactiveProductRetailerId', ''));
		return { catalog_id: catalogId, product_retailer_id: productRetailerId };
	},
};
