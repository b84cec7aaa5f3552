/**
 * Phone Number → Get Health: `GET /health_status`, whether this number can send and why not
 * (https://docs.360dialog.com/docs/messaging-api/api-reference/health). Quality rating and messaging
 * limit tier are not part of the Messaging API a number's key reaches; they arrive as
 * `phone_number_quality_update` events (360dialog Trigger) and show in the Hub.
 */
import type { IDataObject } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { dialog360Request } from '../../../common/transport';
import type { AccountOperation } from '../types';

/** The node's output of a /health_status answer; PURE. */
export function readHealth(answer: unknown): IDataObject {
	const health = isRecord(answer) && isRecord(answer.health_status) ? answer.health_status : {};
	const entities = (Array.isArray(health.entities) ? health.entities.filter(isRecord) : []).map((entity) => ({
		type: entity.entity_type,
		id: entity.id,
		canSendMessage: entity.can_send_message,
		...(Array.isArray(entity.errors) ? { errors: entity.errors } : {}),
		...(Array.isArray(entity.additional_info) ? { additionalInfo: entity.additional_info } : {}),
	}));
	const problems = entities.flatMap((entity) =>
		(Array.isArray(entity.errors) ? entity.errors.filter(isRecord) : []).map((error) => ({
			entity: entity.type,
			code: error.error_code,
			description: error.error_description,
			solution: error.possible_solution,
		})),
	);
	return {
		canSendMessage: health.can_send_message as string | undefined,
		phoneNumberId: isRecord(answer) ? (answer.id as string | undefined) : undefined,
		problems,
		entities,
	};
}

export const getHealth: AccountOperation = {
	description: [],
	prepare() {
		return async (ctx, connection, index) => [readHealth(await dialog360Request.call(ctx, { method: 'GET', path: '/health_status', itemIndex: index }, connection))];
	},
};
