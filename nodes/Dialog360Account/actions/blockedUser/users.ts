/**
 * Block Users API, shared by block / unblock / list.
 * https://docs.360dialog.com/docs/messaging-api/api-reference/block-users
 * https://developers.facebook.com/docs/whatsapp/cloud-api/block-users
 *
 * Meta's limits: only users who messaged the business in the last 24 hours can be blocked, and one
 * call takes at most 1,000 users. A partial failure is answered with HTTP 400 (error 139100) that
 * still lists `added_users` / `removed_users` and `failed_users`; the node reads it as a result.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { normalizePhoneNumber } from '../../../common/phone';
import { dialog360Request, type Dialog360Connection } from '../../../common/transport';
import { FieldError, textOf } from '../../../common/validation';

export const MAX_USERS_PER_CALL = 1000;

export const usersField = (action: string): INodeProperties => ({
	displayName: 'Users',
	name: 'users',
	type: 'string',
	default: '',
	required: true,
	placeholder: '+4915112345678, +4917612345678',
	description: `Phone numbers (wa_id or international form) to ${action}, separated by commas or new lines, or a list from an expression; at most 1,000`,
});

/** The Users field: text or a list → distinct wa_ids (digits only). */
export function readUsers(value: unknown): string[] {
	const entries = Array.isArray(value) ? value.map((entry, index) => textOf(`Users entry ${index + 1}`, entry)) : textOf('Users', value).split(/[,\n;]/);
	const users: string[] = [];
	for (const entry of entries.map((each) => each.trim()).filter((each) => each !== '')) {
		let waId: string | undefined;
		let problem: string | undefined;
		try {
			waId = normalizePhoneNumber(entry);
		} catch (error) {
			problem = (error as Error).message;
		}
		// Thrown after the catch block, so the FieldError names the field.
		if (waId === undefined) throw new FieldError('Users', `Users: ${problem ?? `"${entry}" is not a phone number`}`);
		if (!users.includes(waId)) users.push(waId);
	}
	if (users.length === 0) throw new FieldError('Users', 'Users is required: give at least one phone number');
	if (users.length > MAX_USERS_PER_CALL) throw new FieldError('Users', `Users has ${users.length} numbers; WhatsApp takes at most ${MAX_USERS_PER_CALL} per call (split the list over several items)`);
	return users;
}

const isBlockAnswer = (_status: number, body: unknown): boolean => isRecord(body) && isRecord(body.block_users);

interface UserResult {
	input?: string;
	wa_id?: string;
	errors?: unknown;
}

const results = (value: unknown): UserResult[] => (Array.isArray(value) ? value.filter(isRecord) : []) as UserResult[];

function firstError(user: UserResult): string | undefined {
	const errors = Array.isArray(user.errors) ? user.errors.filter(isRecord) : [];
	const error = errors[0];
	if (!error) return undefined;
	const details = isRecord(error.error_data) ? error.error_data.details : undefined;
	return String(details ?? error.message ?? 'failed');
}

/** POST (block) or DELETE (unblock) /block_users for one item's users. */
export async function changeBlock(
	context: IExecuteFunctions,
	connection: Dialog360Connection,
	itemIndex: number,
	method: 'POST' | 'DELETE',
	users: string[],
): Promise<IDataObject[]> {
	const answer = (await dialog360Request.call(
		context,
		{
			method,
			path: '/block_users',
			body: { messaging_product: 'whatsapp', block_users: users.map((user) => ({ user })) },
			itemIndex,
			acceptError: isBlockAnswer,
		},
		connection,
	)) as IDataObject | undefined;
	const outcome = isRecord(answer?.block_users) ? answer.block_users : {};
	const done = results(method === 'POST' ? outcome.added_users : (outcome.removed_users ?? outcome.added_users));
	const failed = results(outcome.failed_users).map((user) => ({ input: user.input, waId: user.wa_id, error: firstError(user) }));
	if (done.length === 0 && failed.length > 0) {
		throw new NodeOperationError(context.getNode(), `No user was ${method === 'POST' ? 'blocked' : 'unblocked'}: ${failed[0].input}: ${failed[0].error} [item ${itemIndex}]`, {
			itemIndex,
			description:
				method === 'POST'
					? 'WhatsApp blocks only users who messaged this number in the last 24 hours.'
					: 'Only blocked users can be unblocked.',
		});
	}
	const key = method === 'POST' ? 'blocked' : 'unblocked';
	return [{ [key]: done.map((user) => ({ input: user.input, waId: user.wa_id })), failed, [`${key}Count`]: done.length, failedCount: failed.length }];
}
