/**
 * Call permission request: asks the customer whether the business may call them on WhatsApp.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/calling/user-call-permissions
 *
 * Only the body can be set: free-form permission requests take no header or footer, and the
 * buttons are WhatsApp's own. Meta lets the body out, but recommends one so the customer knows why
 * they are asked; this node requires it (up to 1024 characters).
 */
import type { InteractiveVariant } from './variant';

export const callPermissionRequestVariant: InteractiveVariant = {
	value: 'call_permission_request',
	name: 'Call Permission Request',
	description: 'Asks the customer for permission to call them on WhatsApp',
	header: 'none',
	body: 'required',
	footer: false,
	properties: [],
	action: () => ({ name: 'call_permission_request' }),
};
