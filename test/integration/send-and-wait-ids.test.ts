/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures and built bodies are read as loose JSON */
import { buildResumeUrlSuffix, generateUrlSignature, prepareUrlForSigning, validateUrlSignature } from 'n8n-core';

import { buildQuestion } from '../../nodes/Dialog360/sendAndWait/execute';
import {
	decodeWaitId,
	encodeWaitId,
	looksLikeTriggerUrl,
	resumeParams,
	resumeUrl,
	sameRecipient,
	signatureOf,
	waitingBaseFromWebhookUrl,
	type WaitRef,
} from '../../nodes/common/waitIds';
import { FieldError } from '../../nodes/common/validation';
import { validateSendBody } from '../support/metaSpec';

const SECRET = 'instance-hmac-secret';
const BASE = 'https://n8n.example.com/webhook-waiting';
const NODE_ID = '3f2b6c1e-9a4d-4e8b-8f00-123456789abc';

/** n8n-core's getSignedResumeUrl (node-execution-context.js), with a known secret. */
function signedResumeUrl(executionId: string, nodeId: string, parameters: Record<string, string>): string {
	const url = new URL(`${BASE}${buildResumeUrlSuffix(executionId, nodeId)}`);
	for (const [key, value] of Object.entries(parameters)) url.searchParams.set(key, value);
	url.searchParams.set('signature', generateUrlSignature(prepareUrlForSigning(url), SECRET));
	return url.toString();
}

function refFor(option: string, recipient = '4915112345678', executionId = '1234567890'): WaitRef {
	const nonce = 'a1b2c3d4e5';
	const signature = signatureOf(signedResumeUrl(executionId, NODE_ID, resumeParams(option, nonce, recipient)));
	return { executionId, nodeId: NODE_ID, option, nonce, recipient, signature };
}

const valid = (url: string) => validateUrlSignature(new URL(url).searchParams.get('signature') ?? '', new URL(url), SECRET);

describe('wait IDs', () => {
	it('round-trip, and the rebuilt URL is exactly the one n8n signed', () => {
		for (const recipient of ['4915112345678', 'DE.1300000000000001']) {
			const ref = refFor('1', recipient);
			const id = encodeWaitId(ref);
			expect(id.length).toBeLessThanOrEqual(200); // fits a list row ID (the smaller limit)
			expect(decodeWaitId(id)).toEqual(ref);
			const url = resumeUrl(BASE, decodeWaitId(id)!);
			expect(url).toBe(signedResumeUrl(ref.executionId, NODE_ID, resumeParams('1', ref.nonce, recipient)));
			expect(valid(url)).toBe(true);
		}
	});

	it('any changed part breaks n8n’s signature (option, recipient, execution, nonce)', () => {
		const ref = refFor('a');
		for (const forged of [
			{ ...ref, option: 'd' },
			{ ...ref, recipient: '4915199999999' },
			{ ...ref, executionId: '1234567891' },
			{ ...ref, nonce: 'ffffffffff' },
		]) {
			expect(valid(resumeUrl(BASE, forged))).toBe(false);
		}
		expect(valid(resumeUrl(BASE, ref))).toBe(true);
	});

	it('malformed IDs decode to undefined (never throw)', () => {
		const good = encodeWaitId(refFor('0'));
		for (const bad of [
			undefined,
			42,
			'',
			'confirm-yes',
			'd360w:',
			good.replace(/:[0-9a-f]{64}$/, ':xyz'),
			good.replace('d360w:', 'd360x:'),
			`${good}:extra`,
			good.replace(':0:', ':7x:'),
			good.replace(NODE_ID, '%E0%A4%A'),
			'x'.repeat(300),
		]) {
			expect(decodeWaitId(bad)).toBeUndefined();
		}
	});

	it('the waiting base comes from the Trigger URL with n8n’s default endpoint names', () => {
		expect(waitingBaseFromWebhookUrl('https://n8n.example.com/webhook/6f1c2d3e/webhook')).toBe(BASE);
		expect(waitingBaseFromWebhookUrl('https://example.com/n8n/webhook/6f1c/webhook')).toBe('https://example.com/n8n/webhook-waiting');
		expect(waitingBaseFromWebhookUrl('https://example.com/hooks/6f1c/webhook')).toBeUndefined();
		expect(looksLikeTriggerUrl('https://previous-receiver.example.com/whatsapp')).toBe(false);
		expect(looksLikeTriggerUrl('not a url')).toBe(false);
	});

	it('sameRecipient: exact wa_id, the Brazil/Mexico/Argentina forms, BSUIDs', () => {
		expect(sameRecipient('4915112345678', { waId: '4915112345678' })).toBe(true);
		expect(sameRecipient('4915112345678', { waId: '4915199999999' })).toBe(false);
		expect(sameRecipient('5511912345678', { from: '551112345678' })).toBe(true);
		expect(sameRecipient('5215512345678', { from: '525512345678' })).toBe(true);
		expect(sameRecipient('DE.1300000000000001', { waId: '4915112345678', userId: 'DE.1300000000000001' })).toBe(true);
		expect(sameRecipient('DE.1300000000000001', { waId: '4915112345678' })).toBe(false);
		expect(sameRecipient('', { waId: '' })).toBe(false);
	});
});

describe('the question (bodies checked against Meta’s spec)', () => {
	const ids = (option: string) => encodeWaitId(refFor(option, 'DE.1300000000000001'));
	const wrap = (question: object) => ({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '4915112345678', ...question });

	it('approval: two reply buttons with the labels', () => {
		const body = buildQuestion({ responseType: 'approval', message: 'Approve?', options: { footerText: 'Orders', headerText: 'Order 1042' }, approveLabel: 'Yes', declineLabel: 'No', idFor: ids });
		expect(validateSendBody(wrap(body)).errors).toEqual([]);
		expect((body.interactive as any).action.buttons.map((b: any) => b.reply.title)).toEqual(['Yes', 'No']);
		expect(decodeWaitId((body.interactive as any).action.buttons[1].reply.id)?.option).toBe('d');
	});

	it('buttons and list, with the Interactive type’s validation', () => {
		const choices = Array.from({ length: 10 }, (_, i) => ({ title: `Slot ${i + 1}`, value: `s${i}` }));
		const list = buildQuestion({ responseType: 'list', message: 'When?', options: {}, choices, listButtonText: 'Pick', idFor: ids });
		expect(validateSendBody(wrap(list)).errors).toEqual([]);
		const buttons = buildQuestion({ responseType: 'buttons', message: 'Day?', options: {}, choices: choices.slice(0, 3), idFor: ids });
		expect(validateSendBody(wrap(buttons)).errors).toEqual([]);
		expect(() => buildQuestion({ responseType: 'buttons', message: 'Day?', options: {}, choices: choices.slice(0, 4), idFor: ids })).toThrow(FieldError);
		expect(() => buildQuestion({ responseType: 'buttons', message: 'Day?', options: {}, choices: [{ title: 'A', value: 'a' }, { title: 'A', value: 'b' }], idFor: ids })).toThrow(/different|unique|same/i);
		expect(() => buildQuestion({ responseType: 'list', message: 'x', options: {}, choices: [...choices, { title: 'eleven', value: '11' }], idFor: ids })).toThrow(FieldError);
		expect(() => buildQuestion({ responseType: 'approval', message: '', options: {}, idFor: ids })).toThrow(/Body Text/);
	});

	it('free text: a plain text message', () => {
		const body = buildQuestion({ responseType: 'freeText', message: 'Why?', options: {}, idFor: ids });
		expect(body).toEqual({ type: 'text', text: { body: 'Why?' } });
		expect(validateSendBody(wrap(body)).errors).toEqual([]);
	});
});
