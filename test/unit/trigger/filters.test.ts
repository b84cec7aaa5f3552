import {
	createEventFilter,
	EVENT_KINDS,
	EVENT_OPTIONS,
	filterEvents,
	MESSAGE_TYPE_OPTIONS,
	MESSAGE_TYPES,
	STATUS_FILTER_VALUES,
	STATUS_OPTIONS,
} from '../../../nodes/Dialog360Trigger/filters';
import { parseWebhook, type WebhookEvent } from '../../../nodes/Dialog360Trigger/parser';
import { listWebhookFixtures, loadWebhookFixture } from '../../support/fixtures';

const META = { display_phone_number: '4930123456789', phone_number_id: '109000000000001' };

/** All fixtures plus an echo, a value-level error and a template update, in one list. */
function allEvents(): WebhookEvent[] {
	const events = listWebhookFixtures().flatMap((name) => parseWebhook(loadWebhookFixture(name)));
	events.push(
		...parseWebhook({
			entry: [
				{
					id: 'W',
					time: 1767226000,
					changes: [
						{ field: 'messages', value: { metadata: META, messages: [{ from: '4930123456789', id: 'echo-1', type: 'text', text: { body: 'our own' } }] } },
						{ field: 'messages', value: { metadata: META, errors: [{ code: 131000, title: 'Something went wrong' }] } },
						{ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_name: 'order_update' } },
					],
				},
			],
		}),
	);
	return events;
}

const label = (event: WebhookEvent) =>
	event.event === 'message' ? `message:${event.type}:${event.messageId?.slice(-8)}` : `${event.event}:${event.type}`;
const count = (events: WebhookEvent[], kind: string) => events.filter((event) => event.event === kind).length;

describe('filterEvents', () => {
	const events = allEvents();

	it('sanity: the test data holds every event kind', () => {
		expect([count(events, 'message'), count(events, 'status'), count(events, 'error'), count(events, 'template')]).toEqual([21, 6, 1, 1]);
	});

	it('with no options passes everything except own echoes', () => {
		const kept = filterEvents(events);
		expect(kept).toHaveLength(events.length - 1);
		expect(kept.some((event) => event.event === 'message' && event.messageId === 'echo-1')).toBe(false);
	});

	it('keeps echoes when asked to', () => {
		expect(filterEvents(events, { ignoreOwnEchoes: false })).toHaveLength(events.length);
	});

	it('selects event kinds', () => {
		expect(filterEvents(events, { events: ['message'] }).every((event) => event.event === 'message')).toBe(true);
		expect(filterEvents(events, { events: ['message'] })).toHaveLength(20); // 21 minus the echo
		expect(filterEvents(events, { events: ['status', 'error'] }).map((event) => event.event)).toEqual([
			'status', 'status', 'status', 'status', 'status', 'status', 'error',
		]);
		expect(filterEvents(events, { events: ['template'] }).map(label)).toEqual(['template:message_template_status_update']);
	});

	it('selects message types without touching other kinds', () => {
		const kept = filterEvents(events, { events: ['message', 'error'], messageTypes: ['text', 'interactive.button_reply'] });
		expect(kept.map(label)).toEqual([
			'message:text:MD31AA==',
			'message:text:MDMzAA==',
			'message:interactive.button_reply:MD10AA==',
			'message:text:MD01AA==',
			'message:text:MD02AA==',
			'error:error',
		]);
	});

	it('selects statuses', () => {
		expect(filterEvents(events, { events: ['status'], statuses: ['failed'] }).map(label)).toEqual(['status:failed']);
		expect(filterEvents(events, { events: ['status'], statuses: ['read', 'delivered'] }).map(label)).toEqual([
			'status:delivered',
			'status:read',
			'status:delivered',
			'status:read',
		]);
	});

	it('treats empty lists as "no restriction"', () => {
		expect(filterEvents(events, { events: [], messageTypes: [], statuses: [] })).toHaveLength(events.length - 1);
	});

	it('lets `unknown` select messages of types the parser does not know', () => {
		const unknown = parseWebhook({ messages: [{ from: '1', id: 'u', type: 'ephemeral' }, { from: '1', id: 't', type: 'text', text: { body: 'x' } }] });
		expect(filterEvents(unknown, { messageTypes: ['unknown'] }).map(label)).toEqual(['message:unknown:u']);
	});

	it('lets `played` and other statuses through only when no status list is set', () => {
		const played = parseWebhook({ statuses: [{ id: 'p', status: 'played' }, { id: 'x', status: 'deleted' }] });
		expect(filterEvents(played).map(label)).toEqual(['status:played', 'status:deleted']);
		expect(filterEvents(played, { statuses: ['played'] }).map(label)).toEqual(['status:played']);
	});

	it('uses the business number option for bodies without metadata', () => {
		const legacy = parseWebhook({ messages: [{ from: '4930123456789', id: 'e', type: 'text', text: { body: 'x' } }] });
		expect(filterEvents(legacy)).toHaveLength(1);
		expect(filterEvents(legacy, { businessNumber: '+49 30 123456789' })).toHaveLength(0);
	});

	it('createEventFilter gives the same answer as filterEvents', () => {
		const keep = createEventFilter({ events: ['message'], messageTypes: ['image'] });
		expect(events.filter(keep)).toEqual(filterEvents(events, { events: ['message'], messageTypes: ['image'] }));
	});
});

describe('option lists shared with the node UI', () => {
	const values = <T extends { value: string }>(options: readonly T[]) => options.map((option) => option.value);
	const sortedByName = (options: ReadonlyArray<{ name: string }>) =>
		options.every((option, i) => i === 0 || options[i - 1].name.localeCompare(option.name) < 0);

	it('cover exactly the values the parser emits and the filter reads', () => {
		expect([...values(EVENT_OPTIONS)].sort()).toEqual([...EVENT_KINDS].sort());
		expect([...values(MESSAGE_TYPE_OPTIONS)].sort()).toEqual([...MESSAGE_TYPES].sort());
		expect([...values(STATUS_OPTIONS)].sort()).toEqual([...STATUS_FILTER_VALUES].sort());
	});

	it('are sorted by name with unique names and descriptions set', () => {
		for (const options of [EVENT_OPTIONS, MESSAGE_TYPE_OPTIONS, STATUS_OPTIONS]) {
			expect(sortedByName(options)).toBe(true);
			expect(new Set(options.map((option) => option.name)).size).toBe(options.length);
			for (const option of options) expect(option.description.length).toBeGreaterThan(0);
		}
	});

	it('every message type found in the fixtures is a selectable option', () => {
		const selectable = new Set(values(MESSAGE_TYPE_OPTIONS));
		for (const event of allEvents()) if (event.event === 'message') expect(selectable.has(event.type)).toBe(true);
	});
});
