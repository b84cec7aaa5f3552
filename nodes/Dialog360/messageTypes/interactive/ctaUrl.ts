/**
 * CTA URL: one button that opens an https:// page.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-cta-url-messages
 */
import { httpsUrl } from '../../../common/validation';
import { INTERACTIVE_LIMITS as L } from './parts';
import { requiredLabel } from './read';
import type { InteractiveVariant } from './variant';

export const ctaUrlVariant: InteractiveVariant = {
	value: 'cta_url',
	name: 'CTA URL',
	description: 'One button that opens a web page (https link)',
	header: 'text-or-media',
	body: 'required',
	footer: true,
	properties: [
		{
			displayName: 'Button Text',
			name: 'interactiveCtaDisplayText',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'Track order',
			description: 'Label of the button, up to 20 characters',
		},
		{
			displayName: 'URL',
			name: 'interactiveCtaUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/orders/{{ $json.orderId }}',
			description: 'The https:// page the button opens',
		},
	],
	action(context) {
		const displayText = requiredLabel('Button Text', context.get('interactiveCtaDisplayText', ''), L.ctaDisplayText);
		const url = httpsUrl('URL', context.get('interactiveCtaUrl', ''));
		return { name: 'cta_url', parameters: { display_text: displayText, url } };
	},
};
