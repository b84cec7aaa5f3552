import {
	createEventFilter,
	EVENT_KINDS,
	EVENT_OPTIONS,
	OPT_IN_EVENT_KINDS,
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
	const kindsOf = (list: WebhookEvent[]) => [...new Set(list.map((event) => event.event))].sort();

	it('sanity: the test data holds every event kind', () => {
		expect(kindsOf(events)).toEqual([...EVENT_KINDS].sort());
		expect([count(events, 'message'), count(events, 'status'), count(events, 'error'), count(events, 'template')]).toEqual([24, 7, 2, 6]);
	});

	it('with no options passes everything except own echoes and the WhatsApp Business app kinds', () => {
		const kept = filterEvents(events);
		const optIn = events.filter((event) => OPT_IN_EVENT_KINDS.has(event.event)).length;
		expect(optIn).toBe(5); // one echo, three history items, one contact
		expect(kept).toHaveLength(events.length - 1 - optIn);
		expect(kept.some((event) => event.event === 'message' && event.messageId === 'echo-1')).toBe(false);
		expect(kept.some((event) => OPT_IN_EVENT_KINDS.has(event.event))).toBe(false);
	});

	it('keeps own messages when asked to', () => {
		expect(filterEvents(events, { ignoreOwnEchoes: false }).filter((event) => event.event === 'message')).toHaveLength(count(events, 'message'));
	});

	it('emits the WhatsApp Business app kinds only when they are selected by name', () => {
		expect(filterEvents(events, { events: ['echo'] }).map(label)).toEqual(['echo:text']);
		expect(filterEvents(events, { events: ['history', 'app_state'] }).map(label)).toEqual(['app_state:contact', 'history:text', 'history:text', 'history:error']);
	});

	it('selects event kinds', () => {
		expect(filterEvents(events, { events: ['message'] }).every((event) => event.event === 'message')).toBe(true);
		expect(filterEvents(events, { events: ['message'] })).toHaveLength(count(events, 'message') - 1); // minus the echo
		// Input order kept, other kinds dropped.
		expect(filterEvents(events, { events: ['status', 'error'] })).toEqual(events.filter((event) => event.event === 'status' || event.event === 'error'));
		expect(count(filterEvents(events, { events: ['status', 'error'] }), 'error')).toBe(2);
		expect(filterEvents(events, { events: ['template'] }).map(label)).toEqual([
			'template:message_template_status_update',
			'template:template_category_update',
			'template:message_template_components_update',
			'template:message_template_quality_update',
			'template:message_template_status_update',
			'template:message_template_status_update',
		]);
		expect(filterEvents(events, { events: ['call'] }).map(label)).toEqual(['call:connect', 'call:connect', 'call:permission_reply', 'call:status', 'call:terminate']);
		expect(filterEvents(events, { events: ['preference'] }).map(label)).toEqual(['preference:stop', 'preference:resume', 'preference:stop']);
		expect(kindsOf(filterEvents(events, { events: ['account', 'group', 'unknown'] }))).toEqual(['account', 'group', 'unknown']);
	});

	it('a call status never passes as a message status', () => {
		const statuses = filterEvents(events, { events: ['status'] });
		expect(statuses.every((event) => event.event === 'status' && /^[a-z]+$/.test(event.type))).toBe(true);
		expect(filterEvents(events, { events: ['status'], statuses: ['failed', 'sent', 'delivered', 'read', 'played'] })).toHaveLength(statuses.length);
	});

	it('selects message types without touching other kinds', () => {
		const kept = filterEvents(events, { events: ['message', 'error'], messageTypes: ['edit', 'revoke', 'interactive.button_reply'] });
		expect(kept.map(label)).toEqual([
			'error:error',
			'message:edit:MD50AA==',
			'message:interactive.button_reply:MD10AA==',
			'message:revoke:MD51AA==',
			'error:error',
		]);
	});

	it('selects statuses', () => {
		expect(filterEvents(events, { events: ['status'], statuses: ['failed'] }).map(label)).toEqual(['status:failed']);
		expect(filterEvents(events, { events: ['status'], statuses: ['read', 'delivered'] }).map(label)).toEqual([
			'status:delivered',
			'status:read',
			'status:delivered',
			'status:delivered',
			'status:read',
		]);
	});

	it('treats empty lists as "no restriction" (except for the opt-in kinds)', () => {
		expect(filterEvents(events, { events: [], messageTypes: [], statuses: [] })).toEqual(filterEvents(events));
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
