/**
 * parse → filter → dedupe for one delivery, and the in-process window that stops two deliveries
 * arriving at the same time (both reading the same saved static data) from emitting one message twice.
 */
import { selectEvents } from '../../../nodes/Dialog360Trigger/select';
import { loadWebhookFixture } from '../../support/fixtures';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const options = { events: ['message', 'status'], dedupeWindowHours: 24 };

describe('selectEvents', () => {
	it('a redelivery read against the saved state emits nothing', () => {
		const body = loadWebhookFixture('message-text');
		const first = selectEvents(body, options, undefined, NOW);
		expect(first.events.map((event) => event.type)).toEqual(['text']);
		const second = selectEvents(body, options, first.dedupeState, NOW + 1000);
		expect(second).toMatchObject({ events: [], parsed: 1, filtered: 0, duplicates: 1 });
		expect(second.dedupeState).toBeUndefined(); // nothing new: static data is not written again
	});

	it('two simultaneous deliveries that load the same stale state emit the message once', () => {
		const body = loadWebhookFixture('batch-3-messages-2-statuses');
		const staleState = undefined; // what both requests read from static data
		const first = selectEvents(body, options, staleState, NOW, 'workflow-1:node-a');
		const second = selectEvents(body, options, staleState, NOW + 5, 'workflow-1:node-a');
		expect(first.events).toHaveLength(5);
		expect(second.events).toHaveLength(0);
		expect(second.duplicates).toBe(5);
	});

	it('keeps the in-process windows of different triggers apart', () => {
		const body = loadWebhookFixture('message-image');
		expect(selectEvents(body, options, undefined, NOW, 'workflow-2:node-a').events).toHaveLength(1);
		expect(selectEvents(body, options, undefined, NOW, 'workflow-3:node-a').events).toHaveLength(1);
	});

	it('counts filtered events separately from duplicates', () => {
		const body = loadWebhookFixture('batch-3-messages-2-statuses');
		const selection = selectEvents(body, { ...options, events: ['status'] }, undefined, NOW, 'workflow-4:node-a');
		expect(selection).toMatchObject({ parsed: 5, filtered: 3, duplicates: 0 });
		expect(selection.events.map((event) => event.type)).toEqual(['delivered', 'read']);
	});
});
