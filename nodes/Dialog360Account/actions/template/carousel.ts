/**
 * Template → Create, Marketing form with Template Type "Carousel (Cards)": the card list, its reading,
 * and each card's sample file (checked while the item is prepared, uploaded when it runs).
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/media-card-carousel-templates
 *
 * The cards are checked by the template rules (../../template/rules.ts) with a stand-in handle first, so
 * a card body of 161 characters is named before any file is looked at; then every card's file.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { HEADER_MEDIA_RULES, resumableUpload, uploadFileOf, type ResumableFile } from '../../../common/resumableUpload';
import type { Dialog360Connection } from '../../../common/transport';

import { withCardHandles, type CardForm } from '../../template/build';
import { readWithTypedVariables } from '../../template/typedVariables';
import { buttonTextValue, buttonTypeValue, PHONE_NUMBER_BUTTON, phoneNumberValue, QUICK_REPLY_BUTTON, URL_BUTTON, urlValues, variableExamplesField } from './fields';

const carouselShown = { category: ['MARKETING'], definition: ['form'], templateType: ['carousel'] };

/** Hides a Marketing field a carousel has no use for (it has no header, footer, buttons or offer of its own). */
export const hiddenInCarousel = { templateType: ['carousel'] };

export const carouselDescription: INodeProperties[] = [
	{
		displayName: 'Template Type',
		name: 'templateType',
		type: 'options',
		options: [
			{ name: 'Carousel (Cards)', value: 'carousel', description: 'A body above 2–10 cards, each an image or video with its own text and buttons' },
			{ name: 'Standard', value: 'standard', description: 'Header, body, footer and buttons' },
		],
		default: 'standard',
		displayOptions: { show: { category: ['MARKETING'], definition: ['form'] } },
	},
	{
		displayName: 'Carousel Cards',
		name: 'cards',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Card',
		default: {},
		description: '2 to 10 cards, all with the same header format and the same button types in the same order',
		displayOptions: { show: carouselShown },
		options: [
			{
				displayName: 'Card',
				name: 'card',
				values: [
					{
						displayName: 'Body',
						name: 'body',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						placeholder: 'Rooms from {{1}} a night.',
						description: 'Up to 160 characters; may not start or end with a variable',
					},
					variableExamplesField("A sample value for every variable of the card's body", '€99'),
					{
						displayName: 'Buttons',
						name: 'buttons',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Button',
						default: {},
						description: '1 or 2 buttons; every card has the same button types in the same order',
						options: [
							{
								displayName: 'Button',
								name: 'button',
								values: [
									phoneNumberValue,
									buttonTextValue('Button label, up to 25 characters'),
									buttonTypeValue([PHONE_NUMBER_BUTTON, QUICK_REPLY_BUTTON, URL_BUTTON]),
									...urlValues('https://shop.example.com/rooms/{{1}}', 'seaview'),
								],
							},
						],
					},
					{
						displayName: 'Header Binary Property',
						name: 'binaryProperty',
						type: 'string',
						default: 'data',
						hint: 'Image: JPEG or PNG up to 5 MB. Video: MP4 up to 16 MB.',
						description: "Name of the input item's binary property that holds the card's image or video; the node uploads it",
					},
					{
						displayName: 'Header Format',
						name: 'headerFormat',
						type: 'options',
						options: [
							{ name: 'Image', value: 'IMAGE' },
							{ name: 'Video', value: 'VIDEO' },
						],
						default: 'IMAGE',
						description: 'The same on every card',
					},
				],
			},
		],
	},
];

const entries = (value: unknown, key: string): IDataObject[] => (isRecord(value) && Array.isArray(value[key]) ? (value[key] as IDataObject[]) : []);

export interface CarouselCard extends CardForm {
	binaryProperty: string;
}

/** The form's cards; `{{1}}` typed into a card's body or URL stays a WhatsApp variable. */
export function readCards(context: IExecuteFunctions, itemIndex: number): CarouselCard[] {
	return entries(readWithTypedVariables(context, 'cards', itemIndex, {}), 'card').map((card) => ({
		headerFormat: String(card.headerFormat ?? 'IMAGE'),
		binaryProperty: typeof card.binaryProperty === 'string' ? card.binaryProperty : card.binaryProperty === undefined ? 'data' : String(card.binaryProperty),
		body: card.body as string,
		bodyExamples: entries(card.bodyExamples, 'example'),
		buttons: entries(card.buttons, 'button'),
	}));
}

/** The files to upload, one per distinct binary property, and which file each card shows. */
export interface CardFiles {
	files: Map<string, ResumableFile>;
	propertyOfCard: string[];
}

/** Every card's file, checked against the header media rules of its format (no request yet). */
export async function cardFiles(context: IExecuteFunctions, itemIndex: number, cards: CarouselCard[]): Promise<CardFiles> {
	const files = new Map<string, ResumableFile>();
	const propertyOfCard: string[] = [];
	for (const [index, card] of cards.entries()) {
		const field = `Carousel Card ${index + 1} Header Binary Property`;
		const format = String(card.headerFormat).toUpperCase() === 'VIDEO' ? 'VIDEO' : 'IMAGE';
		const file = await uploadFileOf(context, itemIndex, card.binaryProperty, field, HEADER_MEDIA_RULES[format]);
		if (!files.has(file.binaryPropertyName)) files.set(file.binaryPropertyName, file);
		propertyOfCard.push(file.binaryPropertyName);
	}
	return { files, propertyOfCard };
}

/** Uploads the cards' files one after another and returns the body with their handles, and the handles in card order. */
export async function uploadCardFiles(context: IExecuteFunctions, connection: Dialog360Connection, body: IDataObject, { files, propertyOfCard }: CardFiles): Promise<{ body: IDataObject; cardHandles: string[] }> {
	const handles = new Map<string, string>();
	for (const [property, file] of files) handles.set(property, await resumableUpload(context, connection, file));
	const cardHandles = propertyOfCard.map((property) => handles.get(property) as string);
	return { body: withCardHandles(body, cardHandles) as IDataObject, cardHandles };
}
