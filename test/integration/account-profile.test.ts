/** 360dialog Account node, Business Profile resource: get and update, limits checked before any request. */
import type { INodeParameters } from 'n8n-workflow';

import { runAccountNode } from '../support/accountNode';
import { useEmulator } from '../support/useEmulator';

const emulator = useEmulator();

const account = (parameters: INodeParameters, continueOnFail = false) => runAccountNode(emulator, { resource: 'businessProfile', ...parameters }, undefined, { continueOnFail });

describe('Business Profile', () => {
	it('gets the profile', async () => {
		const { items, error } = await account({ operation: 'get' });
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: expect.objectContaining({ about: 'Hello from the 360dialog emulator', vertical: 'RETAIL', websites: ['https://example.com'] }), pairedItem: { item: 0 } }]);
		expect(items[0].json.messaging_product).toBeUndefined();
		expect(emulator.requests()[0].url).toBe('/whatsapp_business_profile?fields=about%2Caddress%2Cdescription%2Cemail%2Cprofile_picture_url%2Cwebsites%2Cvertical');
	});

	it('updates only the fields given', async () => {
		const { items, error } = await account({ operation: 'update', updateFields: { about: 'Open 9–18', vertical: 'RESTAURANT', websites: 'https://a.example, https://b.example' } });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ success: true, updated: { about: 'Open 9–18', vertical: 'RESTAURANT', websites: ['https://a.example', 'https://b.example'] } });
		expect(emulator.requests()[0].body).toEqual({ messaging_product: 'whatsapp', about: 'Open 9–18', vertical: 'RESTAURANT', websites: ['https://a.example', 'https://b.example'] });
		expect((await account({ operation: 'get' })).items[0].json).toMatchObject({ about: 'Open 9–18', email: 'shop@example.com' });
	});

	it.each<[string, INodeParameters, RegExp]>([
		['nothing to update', {}, /Update Fields is empty/],
		['about too long', { about: 'x'.repeat(140) }, /About has 140 characters; WhatsApp allows 139/],
		['bad email', { email: 'shop at example' }, /Email "shop at example" is not an email address/],
		['three websites', { websites: 'https://a.example,https://b.example,https://c.example' }, /Websites has 3 URLs; WhatsApp allows 2/],
		['website without scheme', { websites: 'example.com' }, /Websites 1 "example.com" is not a valid URL/],
	])('refuses %s before any request', async (_title, updateFields, message) => {
		const { error } = await account({ operation: 'update', updateFields });
		expect(error?.message).toMatch(message);
		expect(error?.message).toContain('[item 0]');
		expect(emulator.requests()).toEqual([]);
	});

	it('with Continue On Fail an invalid update becomes an error item', async () => {
		const { items } = await account({ operation: 'update', updateFields: { about: '' } }, true);
		expect(items).toEqual([{ json: expect.objectContaining({ error: expect.stringContaining('About may not be empty') }), pairedItem: { item: 0 } }]);
	});
});
