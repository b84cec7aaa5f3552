/**
 * The receipts webhook() puts on the items it hands to the execution, and how execute() reads them back.
 */
import { itemWithReceipt, PROCESS_ID, readReceipts, RECEIPT_FIELD, claimantId } from '../../../nodes/Dialog360Trigger/handover';
import { parseWebhook } from '../../../nodes/Dialog360Trigger/parser';
import { loadWebhookFixture } from '../../support/fixtures';

describe('receipts', () => {
	const [event] = parseWebhook(loadWebhookFixture('message-text'));

	it('carry the receiving process and the dedupe key, and are stripped before the workflow sees the item', () => {
		const item = itemWithReceipt(event, 'm:wamid.1', { extra: 1 });
		expect(item.json[RECEIPT_FIELD]).toEqual({ by: PROCESS_ID, key: 'm:wamid.1' });
		const [read] = readReceipts([item]);
		expect(read).toMatchObject({ index: 0, key: 'm:wamid.1', receivedHere: true });
		expect(read.item.json).not.toHaveProperty(RECEIPT_FIELD);
		expect(read.item.json).toMatchObject({ event: 'message', extra: 1 });
		expect(read.item.pairedItem).toEqual({ item: 0 });
	});

	it('from another process, or missing or malformed: never "received here"; no key means never deduped', () => {
		const elsewhere = { json: { event: 'message', [RECEIPT_FIELD]: { by: 'another-process', key: 'm:x' } } };
		const none = { json: { event: 'message' } };
		const broken = { json: { event: 'message', [RECEIPT_FIELD]: 'garbage' } };
		const emptyKey = { json: { event: 'message', [RECEIPT_FIELD]: { by: PROCESS_ID, key: '' } } };
		const read = readReceipts([elsewhere, none, broken, emptyKey] as never);
		expect(read.map((r) => [r.receivedHere, r.key])).toEqual([
			[false, 'm:x'],
			[false, undefined],
			[false, undefined],
			[true, undefined],
		]);
		expect(read.map((r) => r.item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it('claimant ids are unique per call, even for one execution id', () => {
		expect(claimantId('42')).not.toBe(claimantId('42'));
		expect(claimantId('42')).toMatch(/^42\.[0-9a-f]{8}$/);
		expect(claimantId(undefined)).toMatch(/^run\./);
	});
});
