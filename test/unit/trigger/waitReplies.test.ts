/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures and built bodies are read as loose JSON */
import { encodeWaitId } from '../../../nodes/common/waitIds';
import { parseWebhook } from '../../../nodes/Dialog360Trigger/parser';
import { findResumes, readRegistration, readRegistryState, register, REGISTRATION_FIELD } from '../../../nodes/Dialog360Trigger/waitReplies';
import { claimAnswers } from '../../../nodes/Dialog360Trigger/waitRouting';
import { clearClaims } from '../../../nodes/common/waitClaims';
import { loadWebhookFixture } from '../../support/fixtures';

const BASE = 'http://127.0.0.1:5678/webhook-waiting';
const NOW = Date.UTC(2026, 0, 1);
const ref = { executionId: '77', nodeId: 'node-1', option: '2', nonce: 'abcdef12', recipient: '4915112345678', signature: 'a'.repeat(64) };

function buttonReply(id: string, messageId = 'wamid.in1'): any {
	const payload = loadWebhookFixture<any>('message-interactive-button-reply');
	payload.entry[0].changes[0].value.messages[0].interactive.button_reply.id = id;
	payload.entry[0].changes[0].value.messages[0].id = messageId;
	return payload;
}

function text(body: string, context?: string, from = '4915112345678'): any {
	const payload = loadWebhookFixture<any>('message-text');
	const message = payload.entry[0].changes[0].value.messages[0];
	message.text.body = body;
	message.from = from;
	payload.entry[0].changes[0].value.contacts[0].wa_id = from;
	if (context) message.context = { from: '4930123456789', id: context };
	else delete message.context;
	return payload;
}

describe('which inbound events answer a waiting execution', () => {
	beforeEach(() => clearClaims());

	it('a button reply with a wait ID → the signed waiting-webhook URL', () => {
		const { resumes } = findResumes(parseWebhook(buttonReply(encodeWaitId(ref))), { texts: [] }, BASE);
		expect(resumes).toHaveLength(1);
		expect(resumes[0].url).toBe(`${BASE}/77/node-1?o=2&n=abcdef12&w=4915112345678&signature=${'a'.repeat(64)}`);
		expect(resumes[0].key).toBe('77:node-1:abcdef12');
	});

	it('ordinary and malformed IDs are ordinary events; without a waiting base nothing is routed', () => {
		for (const id of ['confirm-yes', 'd360w:77', `${encodeWaitId(ref)}x`, encodeWaitId({ ...ref, option: 't' })]) {
			expect(findResumes(parseWebhook(buttonReply(id)), { texts: [] }, BASE).resumes).toEqual([]);
		}
		expect(findResumes(parseWebhook(buttonReply(encodeWaitId(ref))), { texts: [] }, undefined).resumes).toEqual([]);
	});

	it('claims: a redelivery does nothing, a second tap on the same question is "repeated"', () => {
		const data: any = {};
		expect(claimAnswers(parseWebhook(buttonReply(encodeWaitId(ref), 'wamid.a')), data, BASE, NOW).fresh).toHaveLength(1);
		const again = claimAnswers(parseWebhook(buttonReply(encodeWaitId(ref), 'wamid.a')), data, BASE, NOW);
		expect([again.fresh.length, again.repeated.length]).toEqual([0, 0]);
		const other = claimAnswers(parseWebhook(buttonReply(encodeWaitId({ ...ref, option: '0' }), 'wamid.b')), data, BASE, NOW);
		expect([other.fresh.length, other.repeated.length]).toEqual([0, 1]);
	});

	it('free text: registered questions match a quoting reply from the recipient, once', () => {
		const url = `${BASE}/77/node-1?o=t&n=abcdef12&w=4915112345678&signature=${'b'.repeat(64)}`;
		const registration = readRegistration(
			{ [REGISTRATION_FIELD]: { messageId: 'wamid.Q', url, recipient: '4915112345678', anyMessage: false, expiresAt: NOW + 60_000, key: 'k' } },
			BASE,
			NOW,
		);
		expect(typeof registration).toBe('object');
		const state = register({ texts: [] }, registration as any);
		expect(findResumes(parseWebhook(text('hello')), state, BASE).resumes).toEqual([]);
		expect(findResumes(parseWebhook(text('yes', 'wamid.Q', '4915199999999')), state, BASE).resumes).toEqual([]);
		const hit = findResumes(parseWebhook(text('yes', 'wamid.Q')), state, BASE);
		expect(hit.resumes.map((r) => r.url)).toEqual([url]);
		expect(hit.state.texts).toEqual([]);
		// any next message, when asked for
		const any = register({ texts: [] }, { ...(registration as any), anyMessage: true });
		expect(findResumes(parseWebhook(text('hello')), any, BASE).resumes).toHaveLength(1);
		// expired ones are dropped when read
		expect(readRegistryState(JSON.parse(JSON.stringify(state)), NOW + 120_000).texts).toEqual([]);
	});

	it('registrations must point at this n8n’s waiting webhook', () => {
		const body = (url: string) => ({ [REGISTRATION_FIELD]: { messageId: 'm', url, recipient: '49', key: 'k' } });
		expect(readRegistration(body('https://evil.example.com/x'), BASE, NOW)).toMatch(/not a waiting-webhook URL/);
		expect(readRegistration(body(`${BASE}/1/n?o=t`), undefined, NOW)).toMatch(/not a waiting-webhook URL/);
		expect(readRegistration({ other: 1 }, BASE, NOW)).toBeUndefined();
	});
});
