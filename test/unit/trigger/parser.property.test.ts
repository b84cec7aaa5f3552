/**
 * Property: whatever happens to a real webhook body on the way (values replaced, deleted,
 * retyped, wrapped in arrays, subtrees swapped), the parser does not throw, and every item it
 * returns has a known `event`, a string `type` and an object `raw`.
 *
 * Checked on parseWebhookUnguarded: parseWebhook's catch-all would hide a throw, and the point
 * is that JSON input never needs it.
 */
import fc from 'fast-check';
import { EVENT_KINDS, parseWebhook, parseWebhookUnguarded } from '../../../nodes/Dialog360Trigger/parser';
import { listWebhookFixtures, loadWebhookFixture } from '../../support/fixtures';

type Json = unknown;
type Container = Record<string, Json> | Json[];

/** The shared fixtures (every event kind) plus shapes they lack: value-level errors with an entry time, the legacy flat body. */
const FIXTURES: Json[] = [
	...listWebhookFixtures().map((name) => loadWebhookFixture(name) as Json),
	{
		object: 'whatsapp_business_account',
		entry: [
			{
				id: '102000000000001',
				time: 1767226000,
				changes: [
					{
						field: 'message_template_status_update',
						value: { event: 'APPROVED', message_template_id: 1234567890, message_template_name: 'order_update', message_template_language: 'de', reason: 'NONE' },
					},
					{ field: 'messages', value: { metadata: { display_phone_number: '4930123456789', phone_number_id: '109000000000001' }, errors: [{ code: 131000, title: 'Something went wrong', error_data: { details: 'x' } }] } },
				],
			},
		],
	},
	{
		contacts: [{ profile: { name: 'Max' }, wa_id: '4915112345678' }],
		messages: [{ from: '4915112345678', id: 'legacy-1', timestamp: '1767225600', type: 'voice', voice: { id: '1', mime_type: 'audio/ogg' } }],
		statuses: [{ id: 'legacy-2', status: 'read', timestamp: '1767225600', recipient_id: '4915112345678' }],
	},
];

/** Every (container, key) slot in a JSON tree, root first, in a stable order. */
function slots(root: Json): Array<[Container, string | number]> {
	const out: Array<[Container, string | number]> = [];
	const walk = (node: Json) => {
		if (Array.isArray(node)) {
			node.forEach((child, i) => {
				out.push([node, i]);
				walk(child);
			});
		} else if (typeof node === 'object' && node !== null) {
			for (const key of Object.keys(node)) {
				out.push([node as Record<string, Json>, key]);
				walk((node as Record<string, Json>)[key]);
			}
		}
	};
	walk(root);
	return out;
}

type Mutation =
	| { kind: 'replace'; at: number; with: Json }
	| { kind: 'delete'; at: number }
	| { kind: 'wrapInArray'; at: number }
	| { kind: 'retype'; at: number }
	| { kind: 'copyFrom'; at: number; from: number }
	| { kind: 'addKey'; at: number; key: string; with: Json };

/** Keys the parser reads, so added keys hit real code paths and not only ignored ones. */
const INTERESTING_KEYS = [
	'entry', 'changes', 'value', 'field', 'metadata', 'messages', 'statuses', 'errors', 'contacts', 'type', 'text',
	'interactive', 'nfm_reply', 'response_json', 'context', 'timestamp', 'from', 'wa_id', 'user_id', 'id', 'code',
	'status', 'time', 'event', 'profile', '__proto__', 'constructor',
	'calls', 'user_preferences', 'message_echoes', 'history', 'threads', 'state_sync', 'groups', 'edit', 'revoke',
	'original_message_id', 'call_permission_reply', 'session', 'direction', 'alert_info', 'metadata', 'system',
];

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), with: fc.jsonValue({ maxDepth: 2 }) }),
	fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
	fc.record({ kind: fc.constant('wrapInArray' as const), at: fc.nat() }),
	fc.record({ kind: fc.constant('retype' as const), at: fc.nat() }),
	fc.record({ kind: fc.constant('copyFrom' as const), at: fc.nat(), from: fc.nat() }),
	fc.record({
		kind: fc.constant('addKey' as const),
		at: fc.nat(),
		key: fc.constantFrom(...INTERESTING_KEYS),
		with: fc.jsonValue({ maxDepth: 2 }),
	}),
);

/** Same value, other JSON type: the kind of drift a sloppy sender produces. */
function retype(value: Json): Json {
	if (typeof value === 'string') return Number.isNaN(Number(value)) ? [value] : Number(value);
	if (typeof value === 'number') return String(value);
	if (typeof value === 'boolean') return value ? 1 : 'false';
	if (value === null) return {};
	if (Array.isArray(value)) return value.length > 0 ? value[0] : {};
	return Object.values(value as Record<string, Json>);
}

function applyMutation(root: Json, mutation: Mutation): Json {
	const all = slots(root);
	if (all.length === 0) return mutation.kind === 'replace' ? mutation.with : root;
	const [container, key] = all[mutation.at % all.length];
	const target = container as Record<string | number, Json>;
	switch (mutation.kind) {
		case 'replace':
			target[key] = mutation.with;
			break;
		case 'delete':
			if (Array.isArray(container)) container.splice(key as number, 1);
			else delete target[key];
			break;
		case 'wrapInArray':
			target[key] = [target[key]];
			break;
		case 'retype':
			target[key] = retype(target[key]);
			break;
		case 'copyFrom': {
			const [sourceContainer, sourceKey] = all[mutation.from % all.length];
			target[key] = structuredClone((sourceContainer as Record<string | number, Json>)[sourceKey]);
			break;
		}
		case 'addKey': {
			const node = target[key];
			if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
				// defineProperty so '__proto__' becomes an own key, as JSON.parse makes it.
				Object.defineProperty(node, mutation.key, { value: mutation.with, enumerable: true, writable: true, configurable: true });
			}
			break;
		}
	}
	return root;
}

const bodyArb = fc
	.record({
		fixture: fc.nat({ max: FIXTURES.length - 1 }),
		mutations: fc.array(mutationArb, { minLength: 1, maxLength: 8 }),
		// Mostly the body itself: wrapped bodies are rejected early and test little.
		wrapRoot: fc.oneof(
			{ arbitrary: fc.constant('none'), weight: 7 },
			{ arbitrary: fc.constantFrom('array', 'string', 'double'), weight: 3 },
		),
	})
	.map(({ fixture, mutations, wrapRoot }) => {
		let body = structuredClone(FIXTURES[fixture]);
		for (const mutation of mutations) body = applyMutation(body, mutation);
		if (wrapRoot === 'array') return [body];
		if (wrapRoot === 'string') return JSON.stringify(body);
		if (wrapRoot === 'double') return { entry: [body] };
		return body;
	});

describe('parseWebhook on mutated fixture bodies (property)', () => {
	it('never throws and always yields well-formed items (10,000 bodies)', () => {
		const kinds = new Set<string>(EVENT_KINDS);
		let bodiesWithItems = 0;
		fc.assert(
			fc.property(bodyArb, (body) => {
				const items = parseWebhookUnguarded(body);
				if (items.length > 0) bodiesWithItems++;
				expect(parseWebhook(body)).toHaveLength(items.length);
				expect(Array.isArray(items)).toBe(true);
				for (const item of items) {
					expect(kinds.has(item.event)).toBe(true);
					expect(typeof item.type).toBe('string');
					expect(typeof item.raw === 'object' && item.raw !== null).toBe(true);
					expect(item.timestamp === undefined || typeof item.timestamp === 'string').toBe(true);
				}
			}),
			{ numRuns: 10_000, seed: 360_360 },
		);
		// Guard against a generator that only produces bodies the parser rejects at the top.
		expect(bodiesWithItems).toBeGreaterThan(2_000);
	});

	it('never throws on arbitrary JSON values either', () => {
		fc.assert(
			fc.property(fc.jsonValue({ maxDepth: 6 }), (body) => {
				expect(Array.isArray(parseWebhookUnguarded(body))).toBe(true);
			}),
			{ numRuns: 2_000 },
		);
	});
});
