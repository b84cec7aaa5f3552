/**
 * Marketing templates through Meta's Marketing Messages API, which 360dialog offers as "MM Lite"
 * (beta): `POST /marketing_messages` with the body of a template message
 * (https://docs.360dialog.com/partner/mm-lite-beta-program/sending-messages). It sends MARKETING
 * templates only; anything else is refused before the request. The time-to-live of such a message
 * is the template's own (`message_send_ttl_seconds`, 12 h to 30 days,
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/time-to-live),
 * so there is nothing to set per message.
 */
import type { IDataObject } from 'n8n-workflow';

import { FieldError } from '../../../common/validation';
import type { ParamReader } from '../types';
import type { TemplateDefinition } from './definition';
import { FORM, TEMPLATE_PARAMS } from './form';

export const MARKETING_MESSAGES_ENDPOINT = '/marketing_messages';

/** The endpoint and extra body fields when the form asks for the Marketing Messages API; undefined otherwise. */
export function marketingMessagesRoute(
	context: ParamReader,
	definition: Pick<TemplateDefinition, 'name' | 'language' | 'category'>,
): { endpoint: typeof MARKETING_MESSAGES_ENDPOINT; body: IDataObject } | undefined {
	if (context.get<boolean>(TEMPLATE_PARAMS.marketingApi, false) !== true) return undefined;
	if (definition.category !== 'MARKETING') {
		throw new FieldError(
			FORM.marketingApi,
			`${FORM.marketingApi}: template ${definition.name} (${definition.language}) is ${definition.category || 'of no category'}; the Marketing Messages API sends MARKETING templates only. Switch the option off to send it through the Cloud API.`,
		);
	}
	const sharing = context.get<string>(TEMPLATE_PARAMS.activitySharing, 'account');
	return {
		endpoint: MARKETING_MESSAGES_ENDPOINT,
		body: sharing === 'on' ? { message_activity_sharing: true } : sharing === 'off' ? { message_activity_sharing: false } : {},
	};
}
