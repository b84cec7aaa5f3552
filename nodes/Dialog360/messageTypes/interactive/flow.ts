/**
 * Flow: one button that opens a WhatsApp Flow (a form inside the chat).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-flow-messages
 *
 * A Flow Token left empty is sent as "unused", the value Meta documents as the default, so the
 * body is explicit and the same on every API version.
 */
import type { IDataObject } from 'n8n-workflow';

import { FieldError, jsonObject, textOf } from '../../../common/validation';
import type { ParamReader } from '../types';
import { INTERACTIVE_LIMITS as L } from './parts';
import { requiredId, requiredLabel } from './read';
import type { InteractiveVariant } from './variant';

/** Sent when the Flow Token field is empty: Meta's documented default. */
export const DEFAULT_FLOW_TOKEN = 'unused';

/** Emoji: pictographs (including symbols such as ™ that phones may draw as emoji), flags and keycaps. */
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

/** WhatsApp rejects Flow buttons with emoji. */
export function containsEmoji(text: string): boolean {
	return EMOJI.test(text);
}

/** `flow_action_payload` for "navigate": a first screen, optionally with data for it. */
function navigatePayload(context: ParamReader): IDataObject | undefined {
	const screen = textOf('First Screen', context.get('interactiveFlowScreen', '')).trim();
	const data = jsonObject('Initial Data (JSON)', context.get('interactiveFlowData', ''));
	if (data !== undefined && Object.keys(data).length === 0) {
		throw new FieldError(
			'Initial Data (JSON)',
			'Initial Data (JSON) is an empty object; WhatsApp needs at least one field, or leave the field empty',
		);
	}
	if (data !== undefined && screen === '') {
		throw new FieldError('First Screen', 'First Screen is required when Initial Data (JSON) is set');
	}
	if (/\s/.test(screen)) {
		throw new FieldError('First Screen', `First Screen "${screen}" is not a screen ID: it contains spaces`);
	}
	// Without a screen WhatsApp opens the Flow's entry screen.
	if (screen === '') return undefined;
	return { screen, ...(data !== undefined ? { data: data as IDataObject } : {}) };
}

function flowParameters(context: ParamReader): IDataObject {
	const by = context.get<string>('interactiveFlowIdentifier', 'id');
	const identity =
		by === 'name'
			? { flow_name: requiredId('Flow Name', context.get('interactiveFlowName', '')) }
			: { flow_id: requiredId('Flow ID', context.get('interactiveFlowId', '')) };
	const cta = requiredLabel('Button Text', context.get('interactiveFlowCta', ''), L.flowCta);
	if (containsEmoji(cta)) {
		throw new FieldError('Button Text', `Button Text "${cta}" contains an emoji; WhatsApp does not allow emoji on Flow buttons`);
	}
	const mode = textOf('Flow Mode', context.get('interactiveFlowMode', 'published')).trim() || 'published';
	if (mode !== 'draft' && mode !== 'published') {
		throw new FieldError('Flow Mode', `Flow Mode must be "draft" or "published"; got "${mode}"`);
	}
	const action = context.get<string>('interactiveFlowAction', 'navigate');
	if (action !== 'navigate' && action !== 'data_exchange') {
		throw new FieldError('Flow Action', `Flow Action must be "navigate" or "data_exchange"; got "${action}"`);
	}
	const token = textOf('Flow Token', context.get('interactiveFlowReference', '')).trim() || DEFAULT_FLOW_TOKEN;
	const payload = action === 'navigate' ? navigatePayload(context) : undefined;
	return {
		flow_message_version: '3',
		flow_token: token,
		...identity,
		flow_cta: cta,
		flow_action: action,
		mode,
		...(payload ? { flow_action_payload: payload } : {}),
	};
}

export const flowVariant: InteractiveVariant = {
	value: 'flow',
	name: 'Flow',
	description: 'One button that opens a WhatsApp Flow (a form inside the chat)',
	header: 'optional-text',
	body: 'required',
	footer: true,
	properties: [
		{
			displayName: 'Identify Flow By',
			name: 'interactiveFlowIdentifier',
			type: 'options',
			noDataExpression: true,
			default: 'id',
			options: [
				{ name: 'Flow ID', value: 'id', description: 'The numeric ID shown in WhatsApp Manager → Flows' },
				{ name: 'Flow Name', value: 'name', description: 'The name you gave the Flow in WhatsApp Manager' },
			],
			description: 'Whether to name the Flow by its ID or its name',
		},
		{
			displayName: 'Flow ID',
			name: 'interactiveFlowId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '1234567890123456',
			description: 'The ID of the Flow, from WhatsApp Manager → Account tools → Flows',
			displayOptions: { show: { interactiveFlowIdentifier: ['id'] } },
		},
		{
			displayName: 'Flow Name',
			name: 'interactiveFlowName',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'appointment_booking',
			description: 'The name of the Flow exactly as in WhatsApp Manager',
			displayOptions: { show: { interactiveFlowIdentifier: ['name'] } },
		},
		{
			displayName: 'Button Text',
			name: 'interactiveFlowCta',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'Book now',
			description: 'Label of the button that opens the Flow, up to 20 characters, no emoji',
		},
		{
			displayName: 'Flow Mode',
			name: 'interactiveFlowMode',
			type: 'options',
			default: 'published',
			options: [
				{ name: 'Draft', value: 'draft', description: 'For testing a Flow that is not published yet' },
				{ name: 'Published', value: 'published', description: 'For a published Flow' },
			],
			description: 'Unpublished Flows can only be sent as Draft (otherwise WhatsApp answers error 131009)',
		},
		{
			displayName: 'Flow Action',
			name: 'interactiveFlowAction',
			type: 'options',
			noDataExpression: true,
			default: 'navigate',
			options: [
				{
					name: 'Data Exchange',
					value: 'data_exchange',
					description: 'Your Flow endpoint decides the first screen and its data',
				},
				{ name: 'Navigate', value: 'navigate', description: 'Open a screen of the Flow, optionally with data' },
			],
			description: 'How the Flow starts',
		},
		{
			displayName: 'First Screen',
			name: 'interactiveFlowScreen',
			type: 'string',
			default: '',
			placeholder: 'WELCOME_SCREEN',
			description:
				'The ID of the screen to open first. Leave empty to open the Flow’s entry screen. Required when Initial Data is set.',
			displayOptions: { show: { interactiveFlowAction: ['navigate'] } },
		},
		{
			displayName: 'Initial Data (JSON)',
			name: 'interactiveFlowData',
			type: 'json',
			default: '',
			placeholder: '{ "customer_name": "Ana", "order_id": "A-1001" }',
			description:
				'Optional data for the first screen, as a JSON object with at least one field. Leave empty for none.',
			displayOptions: { show: { interactiveFlowAction: ['navigate'] } },
		},
		{
			displayName: 'Flow Token',
			name: 'interactiveFlowReference',
			type: 'string',
			default: '',
			placeholder: 'booking-{{ $json.customerId }}',
			description:
				'Your own reference for this Flow session; it comes back with the customer’s answers so you can match them. Leave empty to send "unused".',
		},
	],
	action: (context) => ({ name: 'flow', parameters: flowParameters(context) }),
};
