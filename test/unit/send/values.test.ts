/**
 * Values from expressions: a text field that receives an object or a list is refused with the field
 * and what came in (never sent as "[object Object]" or "a,b"); numbers and booleans become text
 * where that is plainly meant. One link rule: every media link must be https://.
 */
import { INTERACTIVE_VARIANTS, interactiveMessage } from '../../../nodes/Dialog360/messageTypes/interactive';
import { locationMessage } from '../../../nodes/Dialog360/messageTypes/location';
import { MEDIA_MESSAGE_TYPES } from '../../../nodes/Dialog360/messageTypes/media';
import { reactionMessage } from '../../../nodes/Dialog360/messageTypes/reaction';
import { mediaResolver } from '../../../nodes/Dialog360/messageTypes/template/media';
import { textMessage } from '../../../nodes/Dialog360/messageTypes/text';
import { describeValue, numberInRange, textOf } from '../../../nodes/common/validation';
import { INBOUND_WAMID } from '../../support/bodies';
import { build, fieldError, stubContext } from './stubBuildContext';

const document = MEDIA_MESSAGE_TYPES.find((type) => type.value === 'document')!;

describe('text values from expressions', () => {
	it.each([
		['an object', { name: 'Max' }, 'an object: {"name":"Max"}'],
		['a list', ['a', 'b'], 'a list: ["a","b"]'],
		['a nested list', [{ id: 1 }], 'a list: [{"id":1}]'],
	])('textOf refuses %s, naming the field and showing what came in', (_name, value, shown) => {
		expect(() => textOf('Text', value)).toThrow(`Text must be text, but the expression gave ${shown}.`);
	});

	it.each([
		[42, '42'],
		[4.5, '4.5'],
		[true, 'true'],
		[null, ''],
		[undefined, ''],
	])('textOf turns %p into %p', (value, text) => {
		expect(textOf('Text', value)).toBe(text);
	});

	it('cuts a long value at 80 characters in the message', () => {
		const shown = describeValue({ text: 'x'.repeat(200) });
		expect(shown.startsWith('an object: {"text":"xxx')).toBe(true);
		expect(shown.length).toBe('an object: '.length + 80);
	});

	it.each([
		['Text', () => build(textMessage, { textBody: { answer: 'hi' } })],
		['Name', () => build(locationMessage, { locationLatitude: '1', locationLongitude: '2', locationName: { city: 'Berlin' } })],
		['Address', () => build(locationMessage, { locationLatitude: '1', locationLongitude: '2', locationAddress: ['Street 1', 'Berlin'] })],
		['Emoji', () => build(reactionMessage, { reactionMessageId: INBOUND_WAMID, reactionEmoji: ['👍'] })],
		['File Name', () => build(document, { mediaSource: 'url', mediaUrl: 'https://example.com/a.pdf', mediaFileName: { name: 'a.pdf' } })],
		['Caption', () => build(document, { mediaSource: 'url', mediaUrl: 'https://example.com/a.pdf', mediaCaption: ['a', 'b'] })],
	])('%s refuses an object or list instead of sending "[object Object]"', async (field, run) => {
		const error = await fieldError(run);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(new RegExp(`^${field} must be text, but the expression gave (an object|a list): `));
	});

	it('a number in the Text field is sent as its digits', async () => {
		const built = await build(textMessage, { textBody: 4711 });
		expect(built.body).toEqual({ type: 'text', text: { body: '4711' } });
	});

	it('a coordinate given as an object names what came in', () => {
		expect(() => numberInRange('Latitude', { lat: 52 }, -90, 90)).toThrow('Latitude must be a number, got an object: {"lat":52}');
	});

	it('every interactive variant refuses an object in its body text', async () => {
		for (const variant of INTERACTIVE_VARIANTS.filter((v) => v.body !== 'none')) {
			const error = await fieldError(() =>
				build(interactiveMessage, { interactiveType: variant.value, interactiveHeaderText: 'Header', interactiveBodyText: { text: 'hi' } }),
			);
			expect([variant.value, error.field]).toEqual([variant.value, 'Body Text']);
			expect(error.message).toContain('must be text, but the expression gave an object');
		}
	});
});

describe('one rule for media links: https:// only', () => {
	const http = 'http://cdn.example.com/a.jpg';

	it('media messages refuse http://', async () => {
		const image = MEDIA_MESSAGE_TYPES.find((type) => type.value === 'image')!;
		const error = await fieldError(() => build(image, { mediaSource: 'url', mediaUrl: http }));
		expect([error.field, error.message]).toEqual(['URL', `URL must start with https://; got "${http}"`]);
	});

	it('template header media refuses http:// like every other media link', async () => {
		const resolve = mediaResolver(stubContext({}), []);
		const error = await fieldError(() => resolve('Header Image', 'image', http, ['components', 0, 'parameters', 0, 'image']));
		expect([error.field, error.message]).toEqual(['Header Image', `Header Image must start with https://; got "${http}"`]);
		await expect(resolve('Header Image', 'image', 'https://cdn.example.com/a.jpg', ['components', 0, 'parameters', 0, 'image'])).resolves.toEqual({
			link: 'https://cdn.example.com/a.jpg',
		});
	});
});
