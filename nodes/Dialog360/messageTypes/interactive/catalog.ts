/**
 * Catalog: opens the whole catalog linked to the WhatsApp account ("View catalog" button).
 * https://developers.facebook.com/docs/whatsapp/guides/commerce-guides/share-products-with-customers
 *
 * WhatsApp draws the header itself (a product thumbnail and fixed text), so there is none to set.
 * Body text is required (up to 1024 characters), footer optional (up to 60). Without a thumbnail
 * product the `parameters` object is left out and WhatsApp shows the catalog's first item.
 */
import { textOf } from '../../../common/validation';
import type { InteractiveVariant } from './variant';

export const catalogVariant: InteractiveVariant = {
	value: 'catalog_message',
	name: 'Catalog',
	description: 'A button that opens the product catalog linked to your WhatsApp account',
	header: 'none',
	body: 'required',
	footer: true,
	properties: [
		{
			displayName: 'Thumbnail Product Retailer ID',
			name: 'interactiveCatalogThumbnailRetailerId',
			type: 'string',
			default: '',
			placeholder: 'SKU-12345',
			description:
				'Optional Content ID / SKU of the product whose image heads the message. Leave empty to show the first product of the catalog.',
		},
	],
	action(context) {
		const field = 'Thumbnail Product Retailer ID';
		const thumbnail = textOf(field, context.get('interactiveCatalogThumbnailRetailerId', '')).trim();
		return {
			name: 'catalog_message',
			...(thumbnail !== '' ? { parameters: { thumbnail_product_retailer_id: thumbnail } } : {}),
		};
	},
};
