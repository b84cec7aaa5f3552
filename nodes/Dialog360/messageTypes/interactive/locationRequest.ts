/**
 * Location request: body text and a "Send location" button, nothing else (no header or footer).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/location-request-messages
 */
import type { InteractiveVariant } from './variant';

export const locationRequestVariant: InteractiveVariant = {
	value: 'location_request_message',
	name: 'Location Request',
	description: 'Asks the customer to share their location with one tap',
	header: 'none',
	body: 'required',
	footer: false,
	properties: [],
	action: () => ({ name: 'send_location' }),
};
