/**
 * Template creation with Flow buttons, limited-time offers and media card carousels (Meta's rules
 * as templateCreateRules.ts writes them; carousel card handles must come from the resumable upload),
 * and Meta's lower-case type spelling.
 */
import { randomBytes } from 'node:crypto';

import type { AxiosInstance } from 'axios';

import { startEmulator, type Emulator } from './index';
import { apiClient } from './testUtils';

let emulator: Emulator;
let api: AxiosInstance;

beforeAll(async () => {
	emulator = await startEmulator();
	api = apiClient(emulator);
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(async () => {
	await emulator.reset();
});

const FLOW_JSON = JSON.stringify({ version: '5.0', screens: [{ id: 'WELCOME_SCREEN', title: 'Hi', terminal: true, layout: { type: 'SingleColumnLayout', children: [] } }] });

async function imageHandle(): Promise<string> {
	const bytes = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(500)]);
	const session = await api.post('/uploads', undefined, { params: { file_name: 'card.png', file_length: bytes.length, file_type: 'image/png' } });
	const done = await api.post(`/${session.data.id as string}`, bytes, { headers: { 'Content-Type': 'application/octet-stream', file_offset: '0' } });
	return done.data.h as string;
}

const create = (body: Record<string, unknown>) => api.post('/v1/configs/templates', body);
const details = (answer: { data: { error?: { error_data?: { details?: string } } } }) => answer.data.error?.error_data?.details ?? '';

const flowTemplate = (button: Record<string, unknown>) => ({
	name: 'flow_offer',
	language: 'en_US',
	category: 'marketing',
	components: [{ type: 'body', text: 'Check out this new offer' }, { type: 'buttons', buttons: [{ type: 'flow', text: 'Open', ...button }] }],
});

describe('Flow buttons', () => {
	it("accepts Meta's example (lower-case types) with flow_json, flow_id or flow_name", async () => {
		for (const [index, source] of [{ flow_json: FLOW_JSON, navigate_screen: 'WELCOME_SCREEN' }, { flow_id: '123456' }, { flow_name: 'booking', flow_action: 'data_exchange' }].entries()) {
			const answer = await create({ ...flowTemplate({ flow_action: 'navigate', ...source }), name: `flow_${index}` });
			expect(answer.status).toBe(200);
		}
		expect(emulator.templates.find((template) => template.name === 'flow_0')?.components[1]).toMatchObject({ type: 'BUTTONS', buttons: [{ type: 'FLOW' }] });
	});

	it.each<[string, Record<string, unknown>, RegExp]>([
		['no Flow', {}, /exactly one of flow_id, flow_name and flow_json/],
		['two sources', { flow_id: '1', flow_name: 'x' }, /exactly one/],
		['a non-numeric id', { flow_id: 'abc' }, /numeric id/],
		['a broken Flow JSON', { flow_json: '{"screens":' }, /not a valid Flow JSON/],
		['an unknown action', { flow_id: '1', flow_action: 'open' }, /navigate or data_exchange/],
		['a screen with data exchange', { flow_id: '1', flow_action: 'data_exchange', navigate_screen: 'A' }, /goes with flow_action navigate/],
	])('refuses %s', async (_title, button, message) => {
		const answer = await create(flowTemplate(button));
		expect(answer.status).toBe(400);
		expect(details(answer)).toMatch(message);
	});
});

describe('limited-time offers', () => {
	const offer = (overrides: Record<string, unknown>[] = [], category = 'MARKETING') => ({
		name: 'caribe_offer',
		language: 'en_US',
		category,
		components: [
			{ type: 'LIMITED_TIME_OFFER', limited_time_offer: { text: 'Expiring offer!', has_expiration: true } },
			{ type: 'BODY', text: 'Good news, {{1}}! 25% off.', example: { body_text: [['Pablo']] } },
			{ type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'CARIBE25' }, { type: 'URL', text: 'Book now', url: 'https://example.com/offer' }] },
			...overrides,
		],
	});

	it('accepts a marketing offer with a copy code and a URL button', async () => {
		expect((await create(offer())).status).toBe(200);
	});

	it.each<[string, Record<string, unknown>, RegExp]>([
		['a utility template', offer([], 'UTILITY'), /must be MARKETING/],
		['a footer', offer([{ type: 'FOOTER', text: 'Terms apply' }]), /cannot have a footer/],
		['a text header', offer([{ type: 'HEADER', format: 'TEXT', text: 'Sale' }]), /IMAGE or VIDEO header only/],
		['an offer text over 16', { ...offer(), components: [{ type: 'LIMITED_TIME_OFFER', limited_time_offer: { text: 'x'.repeat(17) } }, ...offer().components.slice(1)] }, /16 characters at most/],
		['no URL button', { ...offer(), components: [...offer().components.slice(0, 2), { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'X' }] }] }, /need one URL button/],
	])('refuses %s', async (_title, body, message) => {
		const answer = await create(body);
		expect(answer.status).toBe(400);
		expect(details(answer)).toMatch(message);
	});
});

describe('carousels', () => {
	const card = (handle: string, buttons: unknown[] = [{ type: 'QUICK_REPLY', text: 'More' }, { type: 'URL', text: 'Book', url: 'https://example.com/r' }]) => ({
		components: [
			{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [handle] } },
			{ type: 'BODY', text: 'Rooms from {{1}} a night.', example: { body_text: [['€99']] } },
			{ type: 'BUTTONS', buttons },
		],
	});
	const carousel = (cards: unknown[], category = 'MARKETING') => ({
		name: 'summer_rooms',
		language: 'en',
		category,
		components: [{ type: 'BODY', text: 'Our summer rooms:' }, { type: 'CAROUSEL', cards }],
	});

	it('accepts 2 cards with uploaded images, stores and lists the template', async () => {
		const handle = await imageHandle();
		const answer = await create(carousel([card(handle), card(handle)]));
		expect(answer.status).toBe(200);
		const listed = await api.get('/v1/configs/templates', { params: { filters: JSON.stringify({ name: 'summer_rooms' }) } });
		expect(JSON.stringify(listed.data)).toContain('CAROUSEL');
	});

	it('refuses handles it did not issue, too few cards, mixed cards and other categories', async () => {
		const handle = await imageHandle();
		expect(details(await create(carousel([card(handle), card('4::bWFkZQ==:up')])))).toMatch(/not a handle from the resumable upload/);
		expect(details(await create(carousel([card(handle)])))).toMatch(/2 to 10 cards, got 1/);
		expect(details(await create(carousel([card(handle), card(handle, [{ type: 'QUICK_REPLY', text: 'More' }])])))).toMatch(/same header format and the same buttons/);
		expect(details(await create(carousel([card(handle), card(handle)], 'UTILITY')))).toMatch(/must be MARKETING/);
		expect(details(await create(carousel([card(handle, [{ type: 'COPY_CODE', example: 'X' }]), card(handle)])))).toMatch(/cards\[0\]: buttons\[0\]: type "COPY_CODE" is not allowed here/);
	});
});
