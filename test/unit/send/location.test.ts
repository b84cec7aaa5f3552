/**
 * Location: exact bodies, coordinates from numbers and sheet text, range checks, Meta's spec.
 * Through the node: test/integration/send-location.test.ts.
 */
import { locationMessage } from '../../../nodes/Dialog360/messageTypes/location';
import { envelope } from '../../support/bodies';
import { validateSendBody } from '../../support/metaSpec';
import { build, fieldError } from './stubBuildContext';

describe('location message', () => {
	it('builds coordinates, name and address', async () => {
		const built = await build(locationMessage, {
			locationLatitude: '52.5219',
			locationLongitude: '13.4132',
			locationName: ' Store Berlin ',
			locationAddress: 'Alexanderplatz 1, 10178 Berlin',
		});
		expect(built).toEqual({
			body: {
				type: 'location',
				location: { latitude: 52.5219, longitude: 13.4132, name: 'Store Berlin', address: 'Alexanderplatz 1, 10178 Berlin' },
			},
		});
		expect(validateSendBody(envelope(built.body)).errors).toEqual([]);
	});

	it('leaves out empty name and address', async () => {
		const built = await build(locationMessage, { locationLatitude: -33.8568, locationLongitude: 151.2153, locationName: '', locationAddress: '  ' });
		expect(built).toEqual({ body: { type: 'location', location: { latitude: -33.8568, longitude: 151.2153 } } });
		expect(validateSendBody(envelope(built.body)).errors).toEqual([]);
	});

	it.each([
		['52.52', 52.52],
		[' +52.52 ', 52.52],
		['-0.5', -0.5],
		['52,5219', 52.5219],
		['.5', 0.5],
		['90', 90],
		['-90', -90],
		[45, 45],
		[0, 0],
	])('reads latitude %p as %p', async (input, expected) => {
		const built = await build(locationMessage, { locationLatitude: input, locationLongitude: '180' });
		expect(built.body.location).toEqual({ latitude: expected, longitude: 180 });
	});

	it('accepts longitude at both ends of the range', async () => {
		const built = await build(locationMessage, { locationLatitude: 0, locationLongitude: '-180' });
		expect(built.body.location).toEqual({ latitude: 0, longitude: -180 });
	});

	it.each([
		['locationLatitude', '90.0001', 'Latitude', 'Latitude must be between -90 and 90, got 90.0001'],
		['locationLatitude', -91, 'Latitude', 'Latitude must be between -90 and 90, got -91'],
		['locationLongitude', '180.5', 'Longitude', 'Longitude must be between -180 and 180, got 180.5'],
		['locationLongitude', -200, 'Longitude', 'Longitude must be between -180 and 180, got -200'],
		['locationLatitude', '', 'Latitude', 'Latitude is required'],
		['locationLongitude', undefined, 'Longitude', 'Longitude is required'],
		['locationLatitude', 'north', 'Latitude', 'Latitude must be a number in decimal degrees like 52.5219; got "north"'],
		['locationLatitude', "52°31'N", 'Latitude', 'Latitude must be a number in decimal degrees like 52.5219; got "52°31\'N"'],
		['locationLongitude', '0x10', 'Longitude', 'Longitude must be a number in decimal degrees like 13.4132; got "0x10"'],
		['locationLongitude', '1,000.5', 'Longitude', 'Longitude must be a number in decimal degrees like 13.4132; got "1,000.5"'],
		['locationLatitude', Number.NaN, 'Latitude', 'Latitude must be a number, got "NaN"'],
		['locationLatitude', true, 'Latitude', 'Latitude must be a number, got "true"'],
	])('rejects %s = %p', async (name, value, field, message) => {
		const parameters: Record<string, unknown> = { locationLatitude: '1', locationLongitude: '2', [name]: value };
		const error = await fieldError(() => build(locationMessage, parameters));
		expect([error.field, error.message]).toEqual([field, message]);
	});
});
