/**
 * The pure parts of the resumable upload (nodes/common/resumableUpload.ts): Meta's header media and
 * profile photo rules, the session path, and the uploaded handle put into a template body.
 */
import { withHeaderHandle } from '../../../nodes/Dialog360Account/template/build';
import { checkUploadFile, HEADER_MEDIA_RULES, PROFILE_PHOTO_RULE, uploadSessionPath } from '../../../nodes/common/resumableUpload';
import { FieldError } from '../../../nodes/common/validation';

const MB = 1024 * 1024;

function problem(run: () => void): { field: string; message: string } | undefined {
	try {
		run();
		return undefined;
	} catch (error) {
		if (error instanceof FieldError) return { field: error.field, message: error.message };
		throw error;
	}
}

describe('header media and profile photo rules', () => {
	it.each<[string, keyof typeof HEADER_MEDIA_RULES, string, number]>([
		['a JPEG image', 'IMAGE', 'image/jpeg', 5 * MB],
		['a PNG image (type with parameters)', 'IMAGE', 'image/png; charset=binary', 1000],
		['an image/jpg alias', 'IMAGE', 'image/jpg', 1000],
		['an MP4 video of 16 MB', 'VIDEO', 'video/mp4', 16 * MB],
		['a PDF of 100 MB', 'DOCUMENT', 'application/pdf', 100 * MB],
	])('accepts %s', (_title, format, mimeType, size) => {
		expect(problem(() => checkUploadFile('Header Binary Property', HEADER_MEDIA_RULES[format], mimeType, size))).toBeUndefined();
	});

	it.each<[string, keyof typeof HEADER_MEDIA_RULES, string, number, RegExp]>([
		['a WebP image', 'IMAGE', 'image/webp', 1000, /the image header must be image\/jpeg or image\/png; the file is image\/webp/],
		['an image one byte over 5 MB', 'IMAGE', 'image/png', 5 * MB + 1, /the image header is 5\.1 MB; WhatsApp allows 5 MB/],
		['a 3GPP video', 'VIDEO', 'video/3gpp', 1000, /the video header must be video\/mp4; the file is video\/3gpp/],
		['a video over 16 MB', 'VIDEO', 'video/mp4', 16 * MB + 1, /WhatsApp allows 16 MB/],
		['a Word document', 'DOCUMENT', 'application/msword', 1000, /the document header must be application\/pdf/],
		['an empty file', 'DOCUMENT', 'application/pdf', 0, /the document header file is empty/],
		['a file without type', 'IMAGE', '', 10, /the file is of unknown type/],
	])('refuses %s, naming the field', (_title, format, mimeType, size, message) => {
		const found = problem(() => checkUploadFile('Header Binary Property', HEADER_MEDIA_RULES[format], mimeType, size));
		expect(found?.field).toBe('Header Binary Property');
		expect(found?.message).toMatch(/^Header Binary Property: /);
		expect(found?.message).toMatch(message);
	});

	it('a profile photo is a JPEG or PNG of up to 5 MB', () => {
		expect(problem(() => checkUploadFile('Profile Photo', PROFILE_PHOTO_RULE, 'image/png', 5 * MB))).toBeUndefined();
		expect(problem(() => checkUploadFile('Profile Photo', PROFILE_PHOTO_RULE, 'image/gif', 10))?.message).toMatch(/the profile photo must be image\/jpeg or image\/png/);
		expect(problem(() => checkUploadFile('Profile Photo', PROFILE_PHOTO_RULE, 'image/jpeg', 6 * MB))?.message).toMatch(/the profile photo is 6\.0 MB/);
	});
});

describe('upload session path', () => {
	it('appends the session id as it is (with its signature), adding the upload: prefix when missing', () => {
		expect(uploadSessionPath('upload:MTphdHRhY2htZW50?sig=ARZqkGCA_uQ')).toBe('/upload:MTphdHRhY2htZW50?sig=ARZqkGCA_uQ');
		expect(uploadSessionPath('abcdefghijklmnopqrstuvwxyz123456')).toBe('/upload:abcdefghijklmnopqrstuvwxyz123456');
		expect(uploadSessionPath(' upload:x ')).toBe('/upload:x');
	});

	it('refuses what is not an id (nothing, another path, spaces)', () => {
		for (const id of [undefined, '', 42, '../media', 'upload:a b', 'upload:a#b']) expect(uploadSessionPath(id)).toBeUndefined();
	});
});

describe('withHeaderHandle', () => {
	it('puts the handle into the media header only, leaving the input unchanged', () => {
		const body = {
			name: 'spring_photo',
			components: [
				{ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['placeholder'] } },
				{ type: 'BODY', text: 'Spring is here.' },
			],
		};
		expect(withHeaderHandle(body, '4::aW1hZ2UvcG5n:ARb')).toEqual({
			name: 'spring_photo',
			components: [
				{ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2UvcG5n:ARb'] } },
				{ type: 'BODY', text: 'Spring is here.' },
			],
		});
		expect(body.components[0].example).toEqual({ header_handle: ['placeholder'] });
	});
});
