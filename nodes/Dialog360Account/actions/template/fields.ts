/**
 * Form pieces the template body and each carousel card share: the variable examples and the button
 * values every button kind has (type, text, URL with its suffix example, phone number). The fields
 * of one list stay in n8n's alphabetical order, so callers insert their own extras where they sort.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** "Body Variable Examples": one sample value per variable, as Meta's review requires. */
export function variableExamplesField(description: string, examplePlaceholder: string): INodeProperties {
	return {
		displayName: 'Body Variable Examples',
		name: 'bodyExamples',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Example',
		default: {},
		description,
		options: [
			{
				displayName: 'Example',
				name: 'example',
				values: [
					{ displayName: 'Variable', name: 'variable', type: 'string', default: '', placeholder: '1 or first_name' },
					{ displayName: 'Example', name: 'example', type: 'string', default: '', placeholder: examplePlaceholder },
				],
			},
		],
	};
}

export const PHONE_NUMBER_BUTTON: INodePropertyOptions = { name: 'Phone Number', value: 'PHONE_NUMBER' };
export const QUICK_REPLY_BUTTON: INodePropertyOptions = { name: 'Quick Reply', value: 'QUICK_REPLY' };
export const URL_BUTTON: INodePropertyOptions = { name: 'URL', value: 'URL', description: 'A link; {{1}} at the end makes the suffix a send-time value' };

export const phoneNumberValue: INodeProperties = { displayName: 'Phone Number', name: 'phoneNumber', type: 'string', default: '', placeholder: '+4930123456789' };

export function buttonTextValue(description: string): INodeProperties {
	return { displayName: 'Text', name: 'text', type: 'string', default: '', description };
}

/** The button's kind, from the kinds this list offers (sorted by name, as n8n's lint wants). */
export function buttonTypeValue(kinds: INodePropertyOptions[]): INodeProperties {
	return { displayName: 'Type', name: 'type', type: 'options', options: kinds, default: 'QUICK_REPLY' };
}

/** "URL" and "URL Suffix Example", with examples that fit the list. */
export function urlValues(urlPlaceholder: string, suffixPlaceholder: string): INodeProperties[] {
	return [
		{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: urlPlaceholder },
		{ displayName: 'URL Suffix Example', name: 'urlSuffixExample', type: 'string', default: '', placeholder: suffixPlaceholder, description: 'Sample value of {{1}} in the URL' },
	];
}
