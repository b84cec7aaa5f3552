/**
 * The Meta spec validator: every webhook fixture passes, each deliberate deviation does what its
 * reason says (and nothing else is loosened), and errors name the offending field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import {
	META_SPEC_PATH,
	SPEC_DEVIATIONS,
	validateSendBody,
	validateWebhookPayload,
	WEBHOOK_FIXTURES_DIR,
} from './metaSpec';

/** Just enough structure to edit a fixture in place. */
interface FixtureValue {
	metadata?: unknown;
	contacts: Array<Record<string, unknown>>;
	messages: Array<Record<string, unknown> & { text?: Record<string, unknown> }>;
	statuses: Array<Record<string, unknown>>;
}
type Fixture = { object: string; entry: Array<{ changes: Array<{ value: FixtureValue }> }> };

const fixture = (file: string): Fixture => JSON.parse(readFileSync(path.join(WEBHOOK_FIXTURES_DIR, file), 'utf8'));

const text = (extra: Record<string, unknown> = {}) => ({
	messaging_product: 'whatsapp',
	recipient_type: 'individual',
	to: '4915112345678',
	type: 'text',
	text: { body: 'Hello' },
	...extra,
});

const interactive = (body: Record<string, unknown>) => ({ messaging_product: 'whatsapp', to: '4915112345678', type: 'interactive', interactive: body });

describe('paths', () => {
	it('finds the spec and the fixtures beside the checkout', () => {
		expect(existsSync(META_SPEC_PATH)).toBe(true);
		expect(readdirSync(WEBHOOK_FIXTURES_DIR).length).toBeGreaterThanOrEqual(22);
	});
});

describe('validateWebhookPayload', () => {
	it.each(readdirSync(WEBHOOK_FIXTURES_DIR).filter((f) => f.endsWith('.json')))('%s is valid', (file) => {
		expect(validateWebhookPayload(fixture(file))).toEqual({ valid: true, errors: [], issues: [] });
	});

	it('names what is wrong, with the full path', () => {
		const payload = fixture('message-text.json');
		const value = payload.entry[0].changes[0].value;
		delete value.messages[0].text?.body;
		value.metadata = { display_phone_number: '4930123456789' };

		expect(validateWebhookPayload(payload).errors).toEqual([
			'entry[0].changes[0].value.metadata.phone_number_id is required',
			'entry[0].changes[0].value.messages[0].text.body is required',
		]);
	});

	it('checks statuses', () => {
		const payload = fixture('status-sent.json');
		payload.entry[0].changes[0].value.statuses[0].status = 'deleted';

		expect(validateWebhookPayload(payload).errors).toEqual([
			'entry[0].changes[0].value.statuses[0].status is "deleted"; expected one of "sent", "delivered", "read", "failed", "played"',
		]);
	});

	it('rejects a payload that is not a WhatsApp envelope', () => {
		expect(validateWebhookPayload({ object: 'page', entry: [] }).errors).toEqual(['object is "page"; expected "whatsapp_business_account"']);
		expect(validateWebhookPayload([]).valid).toBe(false);
	});

	it('ignores change fields the spec has no schema for', () => {
		const payload = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }] };
		expect(validateWebhookPayload(payload).valid).toBe(true);
	});
});

describe('validateSendBody', () => {
	it('accepts a plain text body and a reply-buttons body', () => {
		expect(validateSendBody(text()).valid).toBe(true);
		expect(
			validateSendBody(interactive({ type: 'button', body: { text: 'Yes?' }, action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] } })).valid,
		).toBe(true);
	});

	it('rejects unknown fields at every level, naming them', () => {
		expect(validateSendBody(text({ priority: 'high' })).errors).toEqual(['priority is not a known field here']);
		expect(validateSendBody(text({ text: { body: 'x', bold: true } })).errors).toEqual(['text.bold is not a known field here']);
	});

	it('reports the failing field inside oneOf branches instead of every branch', () => {
		const body = interactive({
			type: 'list',
			body: { text: 'Pick' },
			action: { button: 'Choose', sections: [{ title: 'A very long section title indeed', rows: [{ id: '1', title: 'One' }] }] },
		});

		expect(validateSendBody(body).issues).toEqual([
			{ path: 'interactive.action.sections[0].title', kind: 'invalid', message: 'interactive.action.sections[0].title has 32 characters; max 24' },
		]);
	});

	it('lists the allowed shapes when no branch fits', () => {
		expect(validateSendBody(interactive({ type: 'button', body: { text: 'x' }, action: { foo: 1 } })).errors).toEqual([
			expect.stringMatching(/^interactive\.action must have one of \{button, sections\} \| \{buttons\} \| \{catalog_id\} \| .*\{name: "cta_url", parameters\}/),
		]);
	});

	it('classifies problems as missing, unknown or invalid', () => {
		expect(validateSendBody({ messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } }).issues[0]).toMatchObject({ path: 'to', kind: 'missing' });
		expect(validateSendBody(text({ recipient_type: 'everyone' })).issues[0]).toMatchObject({ path: 'recipient_type', kind: 'invalid' });
		expect(validateSendBody(text({ x: 1 })).issues[0]).toMatchObject({ path: 'x', kind: 'unknown' });
	});

	it('rejects non-objects and unknown types', () => {
		expect(validateSendBody('hello').errors).toEqual(['the body must be a JSON object, not "hello"']);
		expect(validateSendBody(text({ type: 'fax' })).errors[0]).toMatch(/^type is "fax"; expected one of "text", "image"/);
		expect(validateSendBody({ messaging_product: 'whatsapp', to: '1' }).errors).toEqual(['type is required']);
	});
});

describe('SPEC_DEVIATIONS', () => {
	it('are named, unique and explained', () => {
		const names = SPEC_DEVIATIONS.map((d) => d.name);
		expect(new Set(names).size).toBe(names.length);
		for (const deviation of SPEC_DEVIATIONS) {
			expect(deviation.name).toMatch(/^[a-z0-9-]+$/);
			expect(deviation.reason.length).toBeGreaterThan(30);
		}
	});

	// Each entry: a body that is valid only thanks to that deviation.
	const acceptedBecauseOf: Record<string, unknown> = {
		'recipient-type-optional': { messaging_product: 'whatsapp', to: '4915112345678', type: 'text', text: { body: 'x' } },
		'bsuid-recipient': { messaging_product: 'whatsapp', recipient: 'DE.1300000000000000000001', type: 'text', text: { body: 'x' } },
		'biz-opaque-callback-data': text({ biz_opaque_callback_data: 'n8n-exec-1' }),
		'template-language-policy-optional': { messaging_product: 'whatsapp', to: '4915112345678', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } },
		'location-coordinates-are-numbers': { messaging_product: 'whatsapp', to: '4915112345678', type: 'location', location: { latitude: 52.52, longitude: 13.41 } },
		'contact-phone-types': {
			messaging_product: 'whatsapp',
			to: '4915112345678',
			type: 'contacts',
			contacts: [{ name: { formatted_name: 'E M', first_name: 'E' }, phones: [{ phone: '+49 176 1', type: 'CELL' }] }],
		},
		'interactive-cta-url-location-request-address': interactive({
			type: 'cta_url',
			body: { text: 'Open' },
			action: { name: 'cta_url', parameters: { display_text: 'Open', url: 'https://example.com' } },
		}),
		'template-component-kinds': {
			messaging_product: 'whatsapp',
			to: '4915112345678',
			type: 'template',
			template: {
				name: 'promo',
				language: { code: 'en_US' },
				components: [
					{ type: 'limited_time_offer', parameters: [] },
					{ type: 'button', sub_type: 'copy_code', index: '0', parameters: [] },
					{ type: 'carousel', cards: [] },
				],
			},
		},
		'media-link-url-format': { messaging_product: 'whatsapp', to: '4915112345678', type: 'image', image: { link: 'http://127.0.0.1:8080/photo.jpg' } },
		'typing-indicator': { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.x', typing_indicator: { type: 'text' } },
	};

	it.each(Object.entries(acceptedBecauseOf))('%s: the body it is for is valid', (name, body) => {
		expect(SPEC_DEVIATIONS.map((d) => d.name)).toContain(name);
		expect(validateSendBody(body).errors).toEqual([]);
	});

	it('covers every send deviation with a body above', () => {
		const send = SPEC_DEVIATIONS.filter((d) => d.appliesTo === 'send').map((d) => d.name);
		expect(send.sort()).toEqual(Object.keys(acceptedBecauseOf).sort());
	});

	it('loosens nothing else', () => {
		expect(validateSendBody({ messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } }).valid).toBe(false); // neither to nor recipient
		expect(validateSendBody(text({ biz_opaque_callback_data: 42 })).valid).toBe(false);
		expect(validateSendBody({ messaging_product: 'whatsapp', to: '1', type: 'location', location: { latitude: true, longitude: 1 } }).valid).toBe(false);
		expect(validateSendBody(interactive({ type: 'cta_url', body: { text: 'x' }, action: { name: 'cta_url', parameters: { display_text: 'x' } } })).valid).toBe(false);
		expect(validateSendBody({ messaging_product: 'whatsapp', to: '1', type: 'image', image: { link: 'file:///etc/passwd' } }).valid).toBe(false);
		expect(
			validateSendBody({ messaging_product: 'whatsapp', to: '1', type: 'template', template: { name: 'x', language: { code: 'en' }, components: [{ type: 'button', sub_type: 'url', index: '10' }] } }).valid,
		).toBe(false);
	});

	it('webhook deviations: BSUID-only senders and played statuses are valid', () => {
		const payload = fixture('batch-3-messages-2-statuses.json');
		const erika = payload.entry[0].changes[1].value;
		delete erika.messages[0].from;
		delete erika.contacts[0].wa_id;
		payload.entry[0].changes[2].value.statuses[1].status = 'played';

		expect(validateWebhookPayload(payload).errors).toEqual([]);
	});
});
