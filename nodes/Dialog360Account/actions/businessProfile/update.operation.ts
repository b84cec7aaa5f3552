/**
 * Business Profile → Update: `POST /whatsapp_business_profile` with only the fields given; a profile
 * photo from a binary property is uploaded first (resumable upload) and sent as `profile_picture_handle`.
 * Limits from 360dialog's page (about 139, address 256, description 512, email 128, 2 websites of
 * 256, vertical from a fixed list): https://docs.360dialog.com/docs/whatsapp-api/whatsapp-cloud-api/set-whatsapp-profile-information
 * and https://developers.facebook.com/docs/whatsapp/cloud-api/reference/business-profiles
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { PROFILE_PHOTO_RULE, resumableUpload, uploadFileOf, type ResumableFile } from '../../../common/resumableUpload';
import { dialog360Request } from '../../../common/transport';
import { FieldError, httpsUrl, maxLength, textOf } from '../../../common/validation';
import type { AccountOperation } from '../types';

export const VERTICALS = [
	'APPAREL', 'AUTO', 'BEAUTY', 'EDU', 'ENTERTAIN', 'EVENT_PLAN', 'FINANCE', 'GOVT', 'GROCERY', 'HEALTH', 'HOTEL',
	'NONPROFIT', 'NOT_A_BIZ', 'OTHER', 'PROF_SERVICES', 'RESTAURANT', 'RETAIL', 'TRAVEL', 'UNDEFINED',
] as const;

export const PROFILE_LIMITS = { about: 139, address: 256, description: 512, email: 128, website: 256, websites: 2 } as const;

const VERTICAL_NAMES: Record<string, string> = {
	APPAREL: 'Apparel', AUTO: 'Automotive', BEAUTY: 'Beauty, Spa and Salon', EDU: 'Education', ENTERTAIN: 'Entertainment',
	EVENT_PLAN: 'Event Planning and Service', FINANCE: 'Finance and Banking', GOVT: 'Public Service', GROCERY: 'Food and Grocery',
	HEALTH: 'Medical and Health', HOTEL: 'Hotel and Lodging', NONPROFIT: 'Non-Profit', NOT_A_BIZ: 'Not a Business', OTHER: 'Other',
	PROF_SERVICES: 'Professional Services', RESTAURANT: 'Restaurant', RETAIL: 'Shopping and Retail', TRAVEL: 'Travel and Transportation', UNDEFINED: 'Undefined',
};

const description: INodeProperties[] = [
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'About', name: 'about', type: 'string', default: '', description: 'The profile\'s "About" text, 1–139 characters' },
			{ displayName: 'Address', name: 'address', type: 'string', default: '', description: 'Up to 256 characters' },
			{ displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'Up to 512 characters' },
			{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', description: 'Contact email, up to 128 characters' },
			{
				displayName: 'Industry (Vertical)',
				name: 'vertical',
				type: 'options',
				options: VERTICALS.map((value) => ({ name: VERTICAL_NAMES[value], value })).sort((a, b) => a.name.localeCompare(b.name)),
				default: 'OTHER',
			},
			{
				displayName: 'Profile Photo (Binary Property)',
				name: 'profilePhotoBinaryProperty',
				type: 'string',
				default: 'data',
				hint: 'JPEG or PNG up to 5 MB; WhatsApp shows it cropped to a circle',
				description: 'Name of the binary property of the input item that holds the new profile photo; the node uploads it (resumable upload) and sets it',
			},
			{ displayName: 'Websites', name: 'websites', type: 'string', default: '', placeholder: 'https://example.com, https://shop.example.com', description: 'Up to 2 URLs starting with http:// or https://, separated by commas' },
		],
	},
];

interface ProfileUpdate {
	profilePhotoBinaryProperty?: unknown;
	about?: unknown;
	address?: unknown;
	description?: unknown;
	email?: unknown;
	vertical?: unknown;
	websites?: unknown;
}

/**
 * The update body of the form's fields; PURE. With `photo` true a profile photo is uploaded when the
 * item runs (its handle is added then), so the other fields may all be left out.
 */
export function buildProfileUpdate(fields: ProfileUpdate, photo = false): IDataObject {
	const body: IDataObject = {};
	if (fields.about !== undefined) {
		const about = textOf('About', fields.about).trim();
		if (about === '') throw new FieldError('About', 'About may not be empty (1–139 characters); remove the field to keep the current text');
		body.about = maxLength('About', about, PROFILE_LIMITS.about);
	}
	if (fields.address !== undefined) body.address = maxLength('Address', textOf('Address', fields.address), PROFILE_LIMITS.address);
	if (fields.description !== undefined) body.description = maxLength('Description', textOf('Description', fields.description), PROFILE_LIMITS.description);
	if (fields.email !== undefined) {
		const email = textOf('Email', fields.email).trim();
		if (email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new FieldError('Email', `Email "${email}" is not an email address`);
		body.email = maxLength('Email', email, PROFILE_LIMITS.email);
	}
	if (fields.vertical !== undefined) {
		const vertical = String(fields.vertical).toUpperCase();
		if (!(VERTICALS as readonly string[]).includes(vertical)) throw new FieldError('Industry (Vertical)', `Industry (Vertical) "${String(fields.vertical)}" must be one of ${VERTICALS.join(', ')}`);
		body.vertical = vertical;
	}
	if (fields.websites !== undefined) {
		const entries = Array.isArray(fields.websites) ? fields.websites.map((each) => textOf('Websites', each)) : textOf('Websites', fields.websites).split(/[,\n]/);
		const websites = entries.map((each) => each.trim()).filter((each) => each !== '');
		if (websites.length > PROFILE_LIMITS.websites) throw new FieldError('Websites', `Websites has ${websites.length} URLs; WhatsApp allows ${PROFILE_LIMITS.websites}`);
		body.websites = websites.map((url, index) => maxLength(`Websites ${index + 1}`, httpsUrl(`Websites ${index + 1}`, url, { allowHttp: true }), PROFILE_LIMITS.website));
	}
	if (Object.keys(body).length === 0 && !photo) throw new FieldError('Update Fields', 'Update Fields is empty: add at least one field to change');
	return { messaging_product: 'whatsapp', ...body };
}

const PHOTO_FIELD = 'Profile Photo (Binary Property)';

/** The photo file of the item, checked before any request. */
async function photoFile(context: IExecuteFunctions, itemIndex: number, propertyName: unknown): Promise<ResumableFile> {
	return await uploadFileOf(context, itemIndex, propertyName, PHOTO_FIELD, PROFILE_PHOTO_RULE);
}

export const updateProfile: AccountOperation = {
	description,
	async prepare(context, itemIndex) {
		const raw = context.getNodeParameter('updateFields', itemIndex, {});
		const fields: ProfileUpdate = isRecord(raw) ? raw : {};
		const withPhoto = fields.profilePhotoBinaryProperty !== undefined;
		const body = buildProfileUpdate(fields, withPhoto);
		const photo = withPhoto ? await photoFile(context, itemIndex, fields.profilePhotoBinaryProperty) : undefined;
		return async (ctx, connection, index) => {
			// https://docs.360dialog.com/partner/waba-management/waba-profile-and-compliance/waba-profile-info:
			// `profile_picture_handle` is the handle the resumable upload answers.
			const handle = photo ? await resumableUpload(ctx, connection, photo) : undefined;
			const sent: IDataObject = handle ? { ...body, profile_picture_handle: handle } : body;
			await dialog360Request.call(ctx, { method: 'POST', path: '/whatsapp_business_profile', body: sent, itemIndex: index }, connection);
			const updated: IDataObject = { ...sent };
			delete updated.messaging_product;
			if (photo) updated.profilePhoto = { fileName: photo.fileName, mimeType: photo.mimeType, fileSize: photo.sizeBytes };
			return [{ success: true, updated }];
		};
	},
};
