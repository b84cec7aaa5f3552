/**
 * parse → filter → drop what this process already handed over, for one delivery. The window is
 * only written by rememberDelivered (after n8n acknowledged the delivery), never by selectEvents.
 */
import { rememberDelivered, selectEvents } from '../../../nodes/Dialog360Trigger/select';
import { loadWebhookFixture } from '../../support/fixtures';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const options = { events: ['message', 'status'], dedupeWindowHours: 24 };

describe('selectEvents', () => {
	it('a redelivery after the first was acknowledged emits nothing; before that it is handed over again', () => {
		const body = loadWebhookFixture('message-text');
		const first = selectEvents(body, options, NOW, 'workflow-0:node-a');
		expect(first.events.map((event) => event.type)).toEqual(['text']);
		expect(first.keys).toEqual([`m:${(first.events[0] as { messageId?: string }).messageId}`]);
		// Not acknowledged yet (n8n may still fail to create the execution): not a duplicate.
		expect(selectEvents(body, options, NOW + 5, 'workflow-0:node-a').events).toHaveLength(1);
		rememberDelivered('workflow-0:node-a', first.keys, options, NOW + 10);
		const second = selectEvents(body, options, NOW + 1000, 'workflow-0:node-a');
		expect(second).toMatchObject({ events: [], parsed: 1, filtered: 0, duplicates: 1, keys: [] });
	});

	it('the window forgets after dedupeWindowHours', () => {
		const body = loadWebhookFixture('message-text');
		const first = selectEvents(body, { ...options, dedupeWindowHours: 1 }, NOW, 'workflow-1:node-a');
		rememberDelivered('workflow-1:node-a', first.keys, { ...options, dedupeWindowHours: 1 }, NOW);
		expect(selectEvents(body, { ...options, dedupeWindowHours: 1 }, NOW + 59 * 60_000, 'workflow-1:node-a').events).toHaveLength(0);
		expect(selectEvents(body, { ...options, dedupeWindowHours: 1 }, NOW + 61 * 60_000, 'workflow-1:node-a').events).toHaveLength(1);
	});

	it('keeps the in-process windows of different triggers apart', () => {
		const body = loadWebhookFixture('message-image');
		const first = selectEvents(body, options, NOW, 'workflow-2:node-a');
		rememberDelivered('workflow-2:node-a', first.keys, options, NOW);
		expect(selectEvents(body, options, NOW, 'workflow-3:node-a').events).toHaveLength(1);
	});

	it('counts filtered events separately from duplicates, and repeats inside one body as duplicates', () => {
		const body = loadWebhookFixture('batch-3-messages-2-statuses');
		const selection = selectEvents(body, { ...options, events: ['status'] }, NOW, 'workflow-4:node-a');
		expect(selection).toMatchObject({ parsed: 5, filtered: 3, duplicates: 0 });
		expect(selection.events.map((event) => event.type)).toEqual(['delivered', 'read']);
		const twice = loadWebhookFixture<{ entry: unknown[] }>('message-text');
		twice.entry.push(twice.entry[0]);
		expect(selectEvents(twice, options, NOW, 'workflow-5:node-a')).toMatchObject({ parsed: 2, duplicates: 1 });
	});

	it('with a window of 0 hours nothing is deduplicated and no keys are handed on', () => {
		const body = loadWebhookFixture('message-text');
		const off = { ...options, dedupeWindowHours: 0 };
		const first = selectEvents(body, off, NOW, 'workflow-6:node-a');
		rememberDelivered('workflow-6:node-a', first.keys, off, NOW);
		expect(first.keys).toEqual([undefined]);
		expect(selectEvents(body, off, NOW, 'workflow-6:node-a').events).toHaveLength(1);
	});
});
