/**
 * Parser behaviour beyond the single fixtures: batches, value-level errors, the legacy flat
 * shape, template/account updates, unknown fields and types, BSUID senders, garbage input.
 */
import fc from 'fast-check';
import { guidanceFor } from '../../../nodes/common/errors';
import { isEcho, parseWebhook, unixSecondsToIso, type MessageEvent, type WebhookEvent } from '../../../nodes/Dialog360Trigger/parser';
import { listWebhookFixtures, loadWebhookFixture } from '../../support/fixtures';

const META_A = { display_phone_number: '4930123456789', phone_number_id: '109000000000001' };
const META_B = { display_phone_number: '4930999999999', phone_number_id: '109000000000002' };

function envelope(entries: Array<{ id?: unknown; time?: unknown; changes: unknown[] }>): unknown {
	return { object: 'whatsapp_business_account', entry: entries };
}

function textMessage(id: string, from = '4915112345678', extra: Record<string, unknown> = {}) {
	return { from, id, timestamp: '1767225600', type: 'text', text: { body: `body of ${id}` }, ...extra };
}

function messagesChange(metadata: unknown, messages: unknown[], contacts?: unknown[], field = 'messages') {
	return { field, value: { messaging_product: 'whatsapp', metadata, ...(contacts ? { contacts } : {}), messages } };
}

const summary = (items: WebhookEvent[]) =>
	items.map((item) => [item.event, item.type, item.wabaId, item.phoneNumberId, item.event === 'message' || item.event === 'status' ? item.messageId : undefined]);

describe('batches', () => {
	it('keeps entry order, change order, and within a value messages → statuses → errors', () => {
		const body = envelope([
			{
				id: 'WABA-1',
				changes: [
					{
						field: 'messages',
						value: {
							metadata: META_A,
							// Deliberately listed errors, statuses, messages: output order is fixed anyway.
							errors: [{ code: 131000, title: 'Something went wrong' }],
							statuses: [{ id: 'out-1', status: 'sent', timestamp: '1767225600', recipient_id: '1' }],
							messages: [textMessage('in-1'), textMessage('in-2')],
						},
					},
					messagesChange(META_B, [textMessage('in-3')]),
				],
			},
			{ id: 'WABA-2', changes: [messagesChange(META_A, [textMessage('in-4')])] },
		]);
		expect(summary(parseWebhook(body))).toEqual([
			['message', 'text', 'WABA-1', '109000000000001', 'in-1'],
			['message', 'text', 'WABA-1', '109000000000001', 'in-2'],
			['status', 'sent', 'WABA-1', '109000000000001', 'out-1'],
			['error', 'error', 'WABA-1', '109000000000001', undefined],
			['message', 'text', 'WABA-1', '109000000000002', 'in-3'],
			['message', 'text', 'WABA-2', '109000000000001', 'in-4'],
		]);
	});

	it('reads every change of several concatenated fixtures', () => {
		const names = listWebhookFixtures();
		const bodies = names.map((name) => loadWebhookFixture(name));
		const merged = envelope(bodies.flatMap((body) => body.entry));
		const expectedCount = bodies.reduce((sum, body) => sum + parseWebhook(body).length, 0);
		// One item per fixture, except the two batches (5 each) and the history chunk (2 messages).
		expect(expectedCount).toBe(names.length + 4 + 4 + 1);
		expect(parseWebhook(merged)).toHaveLength(expectedCount);
	});

	it('matches each message to its own sender in a value with many contacts (first match wins)', () => {
		const contacts = Array.from({ length: 12 }, (_, i) => ({ profile: { name: `Customer ${i}` }, wa_id: `49151000000${10 + i}` }));
		contacts.push({ profile: { name: 'Duplicate of 3' }, wa_id: '4915100000013' });
		const messages = Array.from({ length: 12 }, (_, i) => textMessage(`in-${i}`, `49151000000${10 + (11 - i)}`));
		const items = parseWebhook(envelope([{ id: 'W', changes: [messagesChange(META_A, messages, contacts)] }]));
		expect(items.map((item) => item.event === 'message' && item.contactName)).toEqual(
			Array.from({ length: 12 }, (_, i) => `Customer ${11 - i}`),
		);
	});

	it('parses 50,000 messages in one value without trouble', () => {
		const messages = Array.from({ length: 50_000 }, (_, i) => textMessage(`in-${i}`));
		const items = parseWebhook(envelope([{ id: 'W', changes: [messagesChange(META_A, messages, [{ wa_id: '4915112345678' }])] }]));
		expect(items).toHaveLength(50_000);
		expect(items[49_999]).toMatchObject({ messageId: 'in-49999', waId: '4915112345678' });
	});
});

describe('value-level errors', () => {
	it('gives one error item per entry of value.errors, with guidance and the entry time', () => {
		const errors = [
			{ code: 131000, title: 'Something went wrong', message: 'Something went wrong', error_data: { details: 'Try later' } },
			{ code: '131026', message: 'Message undeliverable' },
			{ code: 999999, title: 'New error' },
			'not an object',
		];
		const body = envelope([{ id: 'W', time: 1767225600, changes: [{ field: 'messages', value: { metadata: META_A, errors } }] }]);
		const items = parseWebhook(body);
		expect(items).toStrictEqual([
			{
				event: 'error',
				type: 'error',
				timestamp: '2026-01-01T00:00:00.000Z',
				phoneNumberId: '109000000000001',
				displayPhoneNumber: '4930123456789',
				wabaId: 'W',
				field: 'messages',
				raw: errors[0],
				timestampSource: 'entry',
				errorCode: 131000,
				errorTitle: 'Something went wrong',
				errorDetails: 'Try later',
				guidance: guidanceFor(131000),
			},
			{
				event: 'error',
				type: 'error',
				timestamp: '2026-01-01T00:00:00.000Z',
				phoneNumberId: '109000000000001',
				displayPhoneNumber: '4930123456789',
				wabaId: 'W',
				field: 'messages',
				raw: errors[1],
				timestampSource: 'entry',
				errorCode: 131026,
				errorTitle: 'Message undeliverable',
				guidance: guidanceFor(131026),
			},
			{
				event: 'error',
				type: 'error',
				timestamp: '2026-01-01T00:00:00.000Z',
				phoneNumberId: '109000000000001',
				displayPhoneNumber: '4930123456789',
				wabaId: 'W',
				field: 'messages',
				raw: errors[2],
				timestampSource: 'entry',
				errorCode: 999999,
				errorTitle: 'New error',
			},
		]);
		expect(items[0].raw).toBe(errors[0]);
	});

	it('an error without entry time is stamped with the time the body was received', () => {
		const body = envelope([{ id: 'W', changes: [{ field: 'messages', value: { errors: [{ code: 131000 }] } }] }]);
		const [item] = parseWebhook(body, { receivedAt: Date.UTC(2026, 0, 5, 8, 30) });
		expect(item).toMatchObject({ event: 'error', errorCode: 131000, timestamp: '2026-01-05T08:30:00.000Z', timestampSource: 'received' });
		expect(item.phoneNumberId).toBeUndefined();
		// Without receivedAt: now.
		const [now] = parseWebhook(body);
		expect(Math.abs(Date.parse(now.timestamp ?? '') - Date.now())).toBeLessThan(60_000);
	});
});

describe('legacy flat shape (On-Premise / sandbox)', () => {
	const NO_ORIGIN = { phoneNumberId: undefined, displayPhoneNumber: undefined, wabaId: undefined, field: undefined };

	it('reads top-level contacts + messages', () => {
		const body = {
			contacts: [{ profile: { name: 'Max Mustermann' }, wa_id: '4915112345678' }],
			messages: [{ from: '4915112345678', id: 'ABGGFlA5FpafAgo6EHkO', timestamp: '1767225600', type: 'text', text: { body: 'Hi sandbox' } }],
		};
		expect(parseWebhook(body)).toStrictEqual([
			{
				event: 'message',
				type: 'text',
				timestamp: '2026-01-01T00:00:00.000Z',
				...NO_ORIGIN,
				raw: body.messages[0],
				messageId: 'ABGGFlA5FpafAgo6EHkO',
				from: '4915112345678',
				waId: '4915112345678',
				contactName: 'Max Mustermann',
				text: 'Hi sandbox',
				forwarded: false,
			},
		]);
	});

	it('reads top-level statuses and errors', () => {
		const body = {
			statuses: [{ id: 'gBGGFlA5FpafAgkOuJbRq54qwbM', recipient_id: '4915112345678', status: 'read', timestamp: '1767225600' }],
			errors: [{ code: 1014, title: 'Internal error' }],
		};
		expect(parseWebhook(body, { receivedAt: Date.UTC(2026, 0, 5) })).toStrictEqual([
			{
				event: 'status',
				type: 'read',
				timestamp: '2026-01-01T00:00:00.000Z',
				...NO_ORIGIN,
				raw: body.statuses[0],
				status: 'read',
				messageId: 'gBGGFlA5FpafAgkOuJbRq54qwbM',
				recipientId: '4915112345678',
			},
			{
				event: 'error',
				type: 'error',
				timestamp: '2026-01-05T00:00:00.000Z',
				timestampSource: 'received',
				...NO_ORIGIN,
				raw: body.errors[0],
				errorCode: 1014,
				errorTitle: 'Internal error',
			},
		]);
	});

	it('maps the On-Premise `voice` type to an audio voice note', () => {
		const [item] = parseWebhook({
			messages: [{ from: '4915112345678', id: 'v1', timestamp: '1767225600', type: 'voice', voice: { id: 'media-1', mime_type: 'audio/ogg; codecs=opus' } }],
		});
		expect(item).toMatchObject({ event: 'message', type: 'audio', voice: true, mediaId: 'media-1', mimeType: 'audio/ogg; codecs=opus' });
	});

	it('needs the business number to spot echoes, since there is no metadata', () => {
		const [item] = parseWebhook({ messages: [textMessage('e1', '4930123456789')] });
		expect(isEcho(item)).toBe(false);
		expect(isEcho(item, '+49 30 123456789')).toBe(true);
	});
});

describe('change fields other than messages', () => {
	it('turns a template status update into one template item', () => {
		const value = {
			event: 'APPROVED',
			message_template_id: 1234567890,
			message_template_name: 'order_update',
			message_template_language: 'de',
			reason: 'NONE',
			message_template_category: 'UTILITY',
		};
		const body = envelope([{ id: '102000000000001', time: 1767226000, changes: [{ field: 'message_template_status_update', value }] }]);
		expect(parseWebhook(body)).toStrictEqual([
			{
				event: 'template',
				type: 'message_template_status_update',
				timestamp: '2026-01-01T00:06:40.000Z',
				phoneNumberId: undefined,
				displayPhoneNumber: undefined,
				wabaId: '102000000000001',
				field: 'message_template_status_update',
				timestampSource: 'entry',
				raw: value,
				updateEvent: 'APPROVED',
				templateId: '1234567890',
				templateName: 'order_update',
				templateLanguage: 'de',
				templateCategory: 'UTILITY',
				reason: 'NONE',
			},
		]);
	});

	it('emits number and account updates as account items, category changes as template items', () => {
		const body = envelope([
			{
				id: 'W',
				changes: [
					{ field: 'phone_number_quality_update', value: { display_phone_number: '4930123456789', event: 'FLAGGED', current_limit: 'TIER_1K' } },
					{ field: 'account_update', value: { phone_number: '4930123456789', event: 'VERIFIED_ACCOUNT' } },
					{ field: 'template_category_update', value: { message_template_id: '77', new_category: 'MARKETING' } },
					{ field: 'security', value: { display_phone_number: '4930123456789', event: 'PIN_CHANGED', requester: '1' } },
				],
			},
		]);
		const items = parseWebhook(body);
		const updateEvent = (item: WebhookEvent) => (item.event === 'template' || item.event === 'account' ? item.updateEvent : null);
		expect(items.map((item) => [item.event, item.type, updateEvent(item)])).toEqual([
			['account', 'phone_number_quality_update', 'FLAGGED'],
			['account', 'account_update', 'VERIFIED_ACCOUNT'],
			['template', 'template_category_update', undefined],
			['account', 'security', 'PIN_CHANGED'],
		]);
		expect(items[0]).toMatchObject({ displayPhoneNumber: '4930123456789', currentLimit: 'TIER_1K', timestampSource: 'received' });
		// account_update names the number as phone_number.
		expect(items[1].displayPhoneNumber).toBe('4930123456789');
		expect(items[2]).toMatchObject({ templateId: '77', newCategory: 'MARKETING' });
	});

	it('gives every other field its own kind, an unknown field one unknown item, and nothing for values without items', () => {
		const body = envelope([
			{
				id: 'W',
				changes: [
					{ field: 'smb_message_echoes', value: { metadata: META_A, message_echoes: [{ from: '4930123456789', to: '1', id: 'x', type: 'text' }] } },
					{ field: 'history', value: { metadata: META_A, history: [{ threads: [], metadata: { phase: 2, chunk_order: 3, progress: 100 } }] } },
					{ field: 'smb_app_state_sync', value: { state_sync: [] } },
					{ field: 'some_future_field', value: { event: 'X' } },
					{ field: 'messages', value: { metadata: META_A, contacts: [{ wa_id: '1' }] } },
					{ field: 'calls', value: { metadata: META_A, calls: [] } },
				],
			},
		]);
		const items = parseWebhook(body);
		expect(items.map((item) => [item.event, item.type])).toEqual([
			['echo', 'text'],
			['history', 'progress'],
			['unknown', 'some_future_field'],
		]);
		expect(items[1]).toMatchObject({ phase: 2, chunkOrder: 3, progress: 100 });
		expect(items[2].raw).toEqual({ event: 'X' });
	});

	it('reads messages/statuses whatever the field is called, and passes the field on', () => {
		const [item] = parseWebhook(envelope([{ id: 'W', changes: [messagesChange(META_A, [textMessage('m')], undefined, 'messages_v2')] }]));
		expect(item).toMatchObject({ event: 'message', type: 'text', field: 'messages_v2' });
	});
});

describe('messages: types, identities, context', () => {
	const parseOne = (message: unknown, contacts?: unknown[]) =>
		parseWebhook(envelope([{ id: 'W', changes: [messagesChange(META_A, [message], contacts)] }]))[0];

	it('passes unknown types through as `unknown` with the original type', () => {
		expect(parseOne({ from: '1', id: 'a', type: 'ephemeral', ephemeral: {} })).toMatchObject({ type: 'unknown', originalType: 'ephemeral' });
		expect(parseOne({ from: '1', id: 'b', type: 'interactive', interactive: { type: 'future_reply' } })).toMatchObject({
			type: 'unknown',
			originalType: 'interactive.future_reply',
		});
		// The call permission answer is a call event of its own, not an unknown message.
		expect(parseOne({ from: '1', id: 'b2', type: 'interactive', interactive: { type: 'call_permission_reply' } })).toMatchObject({
			event: 'call',
			type: 'permission_reply',
			messageId: 'b2',
		});
		expect(parseOne({ from: '1', id: 'c', type: 'interactive' })).toMatchObject({ type: 'unknown', originalType: 'interactive' });
		const untyped = parseOne({ from: '1', id: 'd', type: 42 });
		expect(untyped).toMatchObject({ event: 'message', type: 'unknown' });
		expect(untyped).not.toHaveProperty('originalType');
		expect(parseOne({ from: '1', id: 'e', type: 'request_welcome' })).toMatchObject({ type: 'request_welcome' });
	});

	it('keeps an nfm_reply response that is not valid JSON as the raw string', () => {
		const item = parseOne({
			from: '1',
			id: 'f',
			type: 'interactive',
			interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{"flow_token": "tok", broken' } },
		});
		expect(item).toMatchObject({ type: 'interactive.nfm_reply', flowName: 'flow', flowResponse: '{"flow_token": "tok", broken' });
		expect(item).not.toHaveProperty('flowToken');
	});

	it('reads a BSUID-only sender (no from, no wa_id)', () => {
		const message = { from_user_id: 'DE.1300000000000000000009', id: 'g', timestamp: '1767225600', type: 'text', text: { body: 'hi' } };
		const item = parseOne(message, [
			{ profile: { name: 'Hidden Number', username: '@hidden' }, user_id: 'DE.1300000000000000000009', parent_user_id: 'DE.ENT.1' },
		]);
		expect(item).toStrictEqual({
			event: 'message',
			type: 'text',
			timestamp: '2026-01-01T00:00:00.000Z',
			phoneNumberId: '109000000000001',
			displayPhoneNumber: '4930123456789',
			wabaId: 'W',
			field: 'messages',
			raw: message,
			messageId: 'g',
			from: undefined,
			fromUserId: 'DE.1300000000000000000009',
			userId: 'DE.1300000000000000000009',
			parentUserId: 'DE.ENT.1',
			username: '@hidden',
			contactName: 'Hidden Number',
			text: 'hi',
			forwarded: false,
		});
	});

	it('reads forwarded flags, referred products and from_me', () => {
		expect(parseOne(textMessage('h', '1', { context: { forwarded: true } }))).toMatchObject({ forwarded: true });
		expect(parseOne(textMessage('i', '1', { context: { frequently_forwarded: true } }))).toMatchObject({ forwarded: true });
		const product = { catalog_id: 'C1', product_retailer_id: 'SKU' };
		expect(parseOne(textMessage('j', '1', { context: { from: '4930123456789', id: 'wamid.X', referred_product: product } }))).toMatchObject({
			contextFrom: '4930123456789',
			contextMessageId: 'wamid.X',
			referredProduct: product,
			forwarded: false,
		});
		expect(parseOne(textMessage('k', '1', { from_me: true }))).toMatchObject({ fromMe: true });
	});

	it('ignores content fields of the wrong type instead of copying them', () => {
		const item = parseOne({
			from: '1',
			id: 'l',
			timestamp: 'yesterday',
			type: 'location',
			location: { latitude: '52.5', longitude: null, name: 7 },
			referral: 'not an object',
			errors: 'nope',
		});
		expect(item).toStrictEqual({
			event: 'message',
			type: 'location',
			timestamp: expect.any(String),
			timestampSource: 'received',
			phoneNumberId: '109000000000001',
			displayPhoneNumber: '4930123456789',
			wabaId: 'W',
			field: 'messages',
			raw: expect.any(Object),
			messageId: 'l',
			from: '1',
			waId: '1',
			forwarded: false,
		});
	});
});

describe('edits, deletions and group messages', () => {
	const parseOne = (message: unknown) => parseWebhook(envelope([{ id: 'W', changes: [messagesChange(META_A, [message])] }]))[0];

	it('flattens the new content of an edited media message, keeping the edit type', () => {
		const item = parseOne({
			from: '1',
			id: 'e1',
			timestamp: '1767225600',
			type: 'edit',
			edit: { original_message_id: 'wamid.ORIGINAL', message: { type: 'image', image: { caption: 'new caption', mime_type: 'image/jpeg', sha256: 'x', id: '42' } } },
		});
		expect(item).toMatchObject({ event: 'message', type: 'edit', editedType: 'image', originalMessageId: 'wamid.ORIGINAL', caption: 'new caption', mediaId: '42' });
		expect(item).not.toHaveProperty('originalType');
	});

	it('keeps an edit without usable content as an edit with what it has', () => {
		expect(parseOne({ from: '1', id: 'e2', type: 'edit', edit: { original_message_id: 'wamid.O' } })).toMatchObject({ type: 'edit', originalMessageId: 'wamid.O' });
		expect(parseOne({ from: '1', id: 'e3', type: 'edit', edit: 'x' })).toMatchObject({ type: 'edit' });
		const odd = parseOne({ from: '1', id: 'e4', type: 'edit', edit: { original_message_id: 'wamid.O', message: { type: 'future', future: {} } } });
		expect(odd).toMatchObject({ type: 'edit', editedType: 'future' });
		expect(odd).not.toHaveProperty('originalType');
		expect(parseOne({ from: '1', id: 'r1', type: 'revoke', revoke: {} })).toMatchObject({ type: 'revoke' });
	});

	it('passes the group of a group message on', () => {
		expect(parseOne(textMessage('g1', '1', { group_id: 'GROUP-1' }))).toMatchObject({ type: 'text', groupId: 'GROUP-1' });
	});

	it('reads the opt-out that comes as a system message as a preference', () => {
		const item = parseOne({
			from: '4915112345678',
			id: 'sys-1',
			timestamp: '1767225600',
			type: 'system',
			system: { body: 'User requested to stop marketing messages', marketing: 'stop', type: 'user_preference_changed' },
		});
		expect(item).toMatchObject({
			event: 'preference',
			type: 'stop',
			waId: '4915112345678',
			category: 'marketing_messages',
			detail: 'User requested to stop marketing messages',
			messageId: 'sys-1',
			timestamp: '2026-01-01T00:00:00.000Z',
		});
	});

	it('stamps a message without its own time with the entry time', () => {
		const [item] = parseWebhook(envelope([{ id: 'W', time: 1767225660, changes: [messagesChange(META_A, [{ from: '1', id: 'n', type: 'text', text: { body: 'x' } }])] }]));
		expect(item).toMatchObject({ timestamp: '2026-01-01T00:01:00.000Z', timestampSource: 'entry' });
	});
});

describe('calls', () => {
	const callsChange = (value: Record<string, unknown>) => ({ field: 'calls', value: { messaging_product: 'whatsapp', metadata: META_A, ...value } });

	it('a business-initiated call names the callee as the customer', () => {
		const [item] = parseWebhook(
			envelope([{ id: 'W', changes: [callsChange({ calls: [{ id: 'wacid.B', from: '4930123456789', to: '4915112345678', event: 'connect', timestamp: '1767225600', direction: 'BUSINESS_INITIATED', session: { sdp_type: 'answer', sdp: 'v=0' } }] })] }]),
		);
		expect(item).toMatchObject({ event: 'call', type: 'connect', waId: '4915112345678', from: '4930123456789', to: '4915112345678', sdpType: 'answer' });
	});

	it('without a direction, the party that is not the business number is the customer', () => {
		const call = (from: string, to: string) =>
			parseWebhook(envelope([{ id: 'W', changes: [callsChange({ calls: [{ id: 'wacid.C', from, to, event: 'connect', timestamp: '1767225600' }] })] }]))[0];
		expect(call('4915112345678', '4930123456789')).toMatchObject({ waId: '4915112345678' });
		expect(call('4930123456789', '4915112345678')).toMatchObject({ waId: '4915112345678' });
	});

	it('a failed call carries its error; value-level errors next to it become error items', () => {
		const items = parseWebhook(
			envelope([
				{
					id: 'W',
					changes: [
						callsChange({
							calls: [
								{
									id: 'wacid.F',
									from: '4915112345678',
									to: '4930123456789',
									event: 'terminate',
									direction: 'USER_INITIATED',
									timestamp: '1767225700',
									status: 'FAILED',
									start_time: '1767225600',
									end_time: '1767225700',
									duration: '100',
									errors: [{ code: 138021, title: 'No media for a long time', error_data: { details: 'The client stopped the call.' } }],
								},
							],
							errors: [{ code: 131000, title: 'Something went wrong' }],
						}),
					],
				},
			]),
			{ receivedAt: Date.UTC(2026, 0, 1) },
		);
		expect(items.map((item) => [item.event, item.type, item.field])).toEqual([
			['call', 'terminate', 'calls'],
			['error', 'error', 'calls'],
		]);
		expect(items[0]).toMatchObject({ status: 'FAILED', duration: 100, errorCode: 138021, errorTitle: 'No media for a long time', errorDetails: 'The client stopped the call.' });
	});

	it('a call status is a call event even when it arrives in the messages field', () => {
		const [item] = parseWebhook(
			envelope([{ id: 'W', changes: [{ field: 'messages', value: { metadata: META_A, statuses: [{ id: 'wacid.S', type: 'call', status: 'REJECTED', timestamp: '1767225600', recipient_id: '4915112345678' }] } }] }]),
		);
		expect(item).toMatchObject({ event: 'call', type: 'status', callId: 'wacid.S', status: 'REJECTED', waId: '4915112345678' });
	});

	it('a rejected permission request and a permanent permission', () => {
		const reply = (answer: Record<string, unknown>) =>
			parseWebhook(envelope([{ id: 'W', changes: [messagesChange(META_A, [{ from: '1', id: 'p', timestamp: '1767225600', type: 'interactive', interactive: { type: 'call_permission_reply', call_permission_reply: answer } }])] }]))[0];
		const rejected = reply({ response: 'reject', response_source: 'user_action' });
		expect(rejected).toMatchObject({ event: 'call', type: 'permission_reply', permissionResponse: 'reject' });
		expect(rejected).not.toHaveProperty('permissionExpiresAt');
		expect(reply({ response: 'accept', is_permanent: true })).toMatchObject({ permissionPermanent: true });
	});
});

describe('coexistence', () => {
	it('history: one item per message of every thread, with the thread as the customer', () => {
		const history = {
			metadata: { phase: 1, chunk_order: 2, progress: 40 },
			threads: [
				{ id: '4915112345678', messages: [{ from: '4915112345678', id: 'h1', timestamp: '1767225600', type: 'text', text: { body: 'a' } }] },
				{ id: '4917612345678', messages: [{ from: '4930123456789', id: 'h2', timestamp: '1767225601', type: 'media_placeholder' }] },
			],
		};
		const items = parseWebhook(envelope([{ id: 'W', changes: [{ field: 'history', value: { metadata: META_A, history: [history] } }] }]));
		expect(items.map((item) => item.event === 'history' && [item.type, item.waId, item.fromMe, item.phase, item.chunkOrder, item.progress])).toEqual([
			['text', '4915112345678', undefined, 1, 2, 40],
			['unknown', '4917612345678', true, 1, 2, 40],
		]);
		expect(items[1]).toMatchObject({ originalType: 'media_placeholder' });
	});

	it('an echo of an edit is an echo of type edit', () => {
		const [item] = parseWebhook(
			envelope([
				{
					id: 'W',
					changes: [
						{
							field: 'smb_message_echoes',
							value: { metadata: META_A, message_echoes: [{ from: '4930123456789', to: '4915112345678', id: 'x', timestamp: '1767225600', type: 'edit', edit: { original_message_id: 'y', message: { type: 'text', text: { body: 'fixed' } } } }] },
						},
					],
				},
			]),
		);
		expect(item).toMatchObject({ event: 'echo', type: 'edit', originalMessageId: 'y', text: 'fixed', waId: '4915112345678' });
	});

	it('a removed contact has only its number', () => {
		const [item] = parseWebhook(
			envelope([{ id: 'W', changes: [{ field: 'smb_app_state_sync', value: { metadata: META_A, state_sync: [{ type: 'contact', contact: { phone_number: '1' }, action: 'remove', metadata: { timestamp: '1767225600' } }] } }] }]),
		);
		expect(item).toMatchObject({ event: 'app_state', type: 'contact', action: 'remove', contactPhoneNumber: '1', waId: '1' });
		expect(item).not.toHaveProperty('contactFullName');
	});
});

describe('statuses', () => {
	const parseStatus = (status: unknown) =>
		parseWebhook(envelope([{ id: 'W', changes: [{ field: 'messages', value: { metadata: META_A, statuses: [status] } }] }]))[0];

	it('passes other status strings through and marks a missing status as unknown', () => {
		expect(parseStatus({ id: 'a', status: 'played', timestamp: '1767225600' })).toMatchObject({ type: 'played', status: 'played' });
		expect(parseStatus({ id: 'b' })).toMatchObject({ event: 'status', type: 'unknown', status: undefined });
	});

	it('reads BSUID recipients (recipient_id omitted)', () => {
		const item = parseStatus({ id: 'c', status: 'delivered', recipient_user_id: 'DE.13000001', parent_recipient_user_id: 'DE.ENT.1' });
		expect(item).toMatchObject({ recipientUserId: 'DE.13000001', parentRecipientUserId: 'DE.ENT.1' });
		expect(item).not.toHaveProperty('recipientId');
	});

	it('takes the first error of a failed status; unknown codes get no guidance', () => {
		const item = parseStatus({ id: 'd', status: 'failed', errors: [{ code: 135000, title: 'Generic user error' }, { code: 131047 }] });
		expect(item).toMatchObject({ errorCode: 135000, errorTitle: 'Generic user error' });
		expect(item).not.toHaveProperty('guidance');
	});
});

describe('timestamps', () => {
	it.each([
		['1767225600', '2026-01-01T00:00:00.000Z'],
		[1767225600, '2026-01-01T00:00:00.000Z'],
		['0', '1970-01-01T00:00:00.000Z'],
		['', undefined],
		['  ', undefined],
		['abc', undefined],
		['-5', undefined],
		['1e300', undefined],
		['99999999999999999', undefined],
		[null, undefined],
		[{}, undefined],
		[Number.NaN, undefined],
		['253402300799', '9999-12-31T23:59:59.000Z'],
		['253402300800', '+010000-01-01T00:00:00.000Z'],
		['8640000000000', '+275760-09-13T00:00:00.000Z'],
		['8640000000001', undefined],
		['1767225600.5', '2026-01-01T00:00:00.500Z'],
	])('%p → %p', (input, expected) => {
		expect(unixSecondsToIso(input)).toBe(expected);
	});

	it('the cached fast path agrees with Date#toISOString for any valid time', () => {
		// Neighbouring values share the day cache, random ones miss it: test both.
		const seconds = fc.oneof(
			fc.integer({ min: 0, max: 8_640_000_000_000 }),
			fc.integer({ min: 1_767_225_600 - 90_000, max: 1_767_225_600 + 90_000 }),
			fc.double({ min: 0, max: 4_000_000_000, noNaN: true }),
		);
		fc.assert(
			fc.property(fc.array(seconds, { minLength: 1, maxLength: 5 }), (values) => {
				for (const value of values) {
					expect(unixSecondsToIso(value)).toBe(new Date(value * 1000).toISOString());
					expect(unixSecondsToIso(String(value))).toBe(new Date(Number(String(value)) * 1000).toISOString());
				}
			}),
			{ numRuns: 3_000 },
		);
	});
});

describe('garbage input', () => {
	const garbage: Array<[string, unknown]> = [
		['null', null],
		['undefined', undefined],
		['number', 1],
		['string', 'x'],
		['JSON string of a non-object', '[1,2]'],
		['boolean', true],
		['empty array', []],
		['array of envelopes', [loadWebhookFixture('message-text')]],
		['empty object', {}],
		['entry string', { entry: 'x' }],
		['entry object', { entry: { changes: [] } }],
		['entry null items', { entry: [null, 1, 'x', []] }],
		['changes string', { entry: [{ changes: 'x' }] }],
		['changes null', { entry: [{ changes: [null] }] }],
		['change without value', { entry: [{ changes: [{ field: 'messages' }] }] }],
		['value array', { entry: [{ changes: [{ field: 'messages', value: [] }] }] }],
		['messages not an array', { entry: [{ changes: [{ field: 'messages', value: { messages: { id: 'x' } } }] }] }],
		['messages of junk', { entry: [{ changes: [{ field: 'messages', value: { messages: [null, 1, 'x', [], true] } }] }] }],
		['statuses of junk', { entry: [{ changes: [{ field: 'messages', value: { statuses: [null, [1]] } }] }] }],
		['flat with entry junk', { entry: 5, messages: [textMessage('x')] }],
		['flat messages object', { messages: 'x', statuses: {} }],
	];

	it.each(garbage)('%s → []', (_label, input) => {
		expect(parseWebhook(input)).toEqual([]);
	});

	it('does not throw even on a non-JSON object whose getter throws', () => {
		const hostile = {
			get entry(): unknown {
				throw new Error('boom');
			},
		};
		expect(parseWebhook(hostile)).toEqual([]);
	});

	it('accepts the body as JSON text', () => {
		const text = JSON.stringify(loadWebhookFixture('batch-3-messages-2-statuses'));
		expect(parseWebhook(text)).toHaveLength(5);
	});

	it('survives wrong types at every level of a real body', () => {
		const body = loadWebhookFixture('message-interactive-nfm-reply');
		const value = body.entry[0].changes[0].value;
		value.metadata = 'x';
		value.contacts = [null, 5, { profile: 'x', wa_id: 4915112345678 }];
		value.messages[0].context = [];
		value.messages[0].interactive.nfm_reply.response_json = 12;
		const [item] = parseWebhook(body);
		expect(item).toMatchObject({ type: 'interactive.nfm_reply', flowResponse: 12, waId: '4915112345678' });
		expect(item.phoneNumberId).toBeUndefined();
	});
});

describe('isEcho', () => {
	const [customerMessage] = parseWebhook(loadWebhookFixture('message-text'));
	const [status] = parseWebhook(loadWebhookFixture('status-sent'));

	it('is false for a customer message and for anything that is not a message', () => {
		expect(isEcho(customerMessage)).toBe(false);
		expect(isEcho(customerMessage, '4930123456789')).toBe(false);
		expect(isEcho(status, '4915112345678')).toBe(false);
	});

	it('is true when from equals the display number, or from_me is set', () => {
		const body = loadWebhookFixture('message-text');
		body.entry[0].changes[0].value.messages[0].from = '4930123456789';
		expect(isEcho(parseWebhook(body)[0])).toBe(true);
		const fromMe = loadWebhookFixture('message-text');
		fromMe.entry[0].changes[0].value.messages[0].from_me = true;
		expect(isEcho(parseWebhook(fromMe)[0])).toBe(true);
	});

	it('compares digits only, so a formatted display number still matches', () => {
		const body = loadWebhookFixture('message-text');
		body.entry[0].changes[0].value.metadata.display_phone_number = '+49 30 123456789';
		body.entry[0].changes[0].value.messages[0].from = '4930123456789';
		expect(isEcho(parseWebhook(body)[0])).toBe(true);
		expect(isEcho({ ...(customerMessage as MessageEvent), from: '', displayPhoneNumber: '' })).toBe(false);
	});
});
