/** Location through the Send node inside n8n-core, against the emulator (the bodies alone: test/unit/send/location.test.ts). */
import { ENVELOPE, TO } from '../support/bodies';
import { acceptedBodies, runSendNode } from '../support/sendNode';
import { useEmulator } from '../support/useEmulator';

describe('location through the 360dialog node', () => {
	const emulator = useEmulator();

	it('sends coordinates mapped from a sheet row as numbers', async () => {
		const { items, error } = await runSendNode(
			emulator,
			{
				messageType: 'location',
				to: TO,
				locationLatitude: '={{ $json.lat }}',
				locationLongitude: '={{ $json.lng }}',
				locationName: '={{ $json.store }}',
				locationAddress: '',
			},
			[{ json: { lat: '52,5219', lng: 13.4132, store: 'Store Berlin' } }],
		);
		expect(error).toBeUndefined();
		expect(acceptedBodies(emulator)).toEqual([
			{ ...ENVELOPE, type: 'location', location: { latitude: 52.5219, longitude: 13.4132, name: 'Store Berlin' } },
		]);
		expect(items[0].json).toMatchObject({ type: 'location', messageId: emulator.messages()[0].wamid });
	});

	it('stops before any request when a coordinate is out of range', async () => {
		const { error } = await runSendNode(emulator, { messageType: 'location', to: TO, locationLatitude: '91', locationLongitude: '0' });
		expect(error?.message).toBe('Latitude must be between -90 and 90, got 91 [item 0]');
		expect(emulator.requests()).toEqual([]);
	});
});
