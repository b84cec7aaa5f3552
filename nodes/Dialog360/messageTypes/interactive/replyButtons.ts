/**
 * Reply buttons: up to 3 quick-reply buttons under the message.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
 */
import type { IDataObject } from 'n8n-workflow';

import { FieldError, unique } from '../../../common/validation';
import type { ParamReader } from '../types';
import { INTERACTIVE_LIMITS as L } from './parts';
import { collectionEntries, idOrTitle, requiredLabel } from './read';
import type { InteractiveVariant } from './variant';

function replyButtons(context: ParamReader): IDataObject[] {
	const entries = collectionEntries(context.get('interactiveButtons', {}), 'button');
	if (entries.length === 0) throw new FieldError('Buttons', 'Buttons needs at least 1 button; add one with "Add Button"');
	if (entries.length > L.buttons) {
		throw new FieldError('Buttons', `Buttons has ${entries.length} buttons; WhatsApp allows ${L.buttons}`);
	}
	const buttons = entries.map((entry, index) => {
		const label = `Button ${index + 1}`;
		const title = requiredLabel(`${label} Title`, entry.title, L.buttonTitle);
		const id = idOrTitle(`${label} ID`, entry.id, title, L.buttonId);
		return { label, title, id };
	});
	// WhatsApp needs distinct titles and distinct IDs (an ID defaulted to its title counts too).
	unique(buttons.map((b) => ({ label: b.label, value: b.title })), 'Title');
	unique(buttons.map((b) => ({ label: b.label, value: b.id })), 'ID');
	return buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } }));
}

export const replyButtonsVariant: InteractiveVariant = {
	value: 'button',
	name: 'Reply Buttons',
	description: 'Up to 3 quick-reply buttons under the message',
	header: 'text-or-media',
	body: 'required',
	footer: true,
	properties: [
		{
			displayName: 'Buttons',
			name: 'interactiveButtons',
			type: 'fixedCollection',
			placeholder: 'Add Button',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			required: true,
			description:
				'1 to 3 buttons. The customer’s tap arrives in the 360dialog Trigger as a reply carrying the button ID.',
			options: [
				{
					displayName: 'Button',
					name: 'button',
					values: [
						{
							displayName: 'Title',
							name: 'title',
							type: 'string',
							default: '',
							required: true,
							placeholder: 'Yes, please',
							description: 'The button label, up to 20 characters; each button needs a different title',
						},
						{
							displayName: 'ID',
							name: 'id',
							type: 'string',
							default: '',
							placeholder: 'confirm_yes',
							description:
								'Up to 256 characters, different for each button; you get it back when the customer taps. Leave empty to use the title. Spaces at the start or end are removed.',
						},
					],
				},
			],
		},
	],
	action: (context) => ({ buttons: replyButtons(context) }),
};
