/**
 * A map pin: coordinates plus optional name and address
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/location-messages).
 */
import type { IDataObject } from 'n8n-workflow';

import { FieldError, numberInRange, optionalTrimmed } from '../../common/validation';
import type { MessageTypeModule } from './types';

/**
 * Reads a coordinate typed by hand or mapped from a sheet: numbers, numeric strings, and a decimal
 * comma ("52,5200" from spreadsheets in many locales; a thousands separator is impossible here).
 */
export function coordinate(field: string, value: unknown, limit: 90 | 180): number {
	if (value === undefined || value === null) throw new FieldError(field, `${field} is required`);
	if (typeof value !== 'string') return numberInRange(field, value, -limit, limit);
	let text = value.trim();
	if (text === '') throw new FieldError(field, `${field} is required`);
	if (/^[+-]?\d+,\d+$/.test(text)) text = text.replace(',', '.');
	if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
		const example = limit === 90 ? '52.5219' : '13.4132';
		throw new FieldError(field, `${field} must be a number in decimal degrees like ${example}; got "${value}"`);
	}
	return numberInRange(field, text, -limit, limit);
}

export const locationMessage: MessageTypeModule = {
	value: 'location',
	name: 'Location',
	description: 'A map pin with optional name and address',
	properties: [
		{
			displayName: 'Latitude',
			name: 'locationLatitude',
			type: 'string',
			default: '',
			required: true,
			placeholder: '52.5219',
			description: 'North–south position in decimal degrees, from -90 to 90 (e.g. 52.5219 for Berlin). A decimal comma also works.',
		},
		{
			displayName: 'Longitude',
			name: 'locationLongitude',
			type: 'string',
			default: '',
			required: true,
			placeholder: '13.4132',
			description: 'East–west position in decimal degrees, from -180 to 180 (e.g. 13.4132 for Berlin). A decimal comma also works.',
		},
		{
			displayName: 'Name',
			name: 'locationName',
			type: 'string',
			default: '',
			placeholder: 'Store Berlin',
			description: 'Optional name of the place, shown above the address',
		},
		{
			displayName: 'Address',
			name: 'locationAddress',
			type: 'string',
			default: '',
			placeholder: 'Alexanderplatz 1, 10178 Berlin',
			description: 'Optional address shown below the name',
		},
	],
	build(context) {
		const location: IDataObject = {
			latitude: coordinate('Latitude', context.get('locationLatitude', ''), 90),
			longitude: coordinate('Longitude', context.get('locationLongitude', ''), 180),
		};
		const name = optionalTrimmed('Name', context.get('locationName', ''));
		const address = optionalTrimmed('Address', context.get('locationAddress', ''));
		if (name) location.name = name;
		if (address) location.address = address;
		return { body: { type: 'location', location } };
	},
};
