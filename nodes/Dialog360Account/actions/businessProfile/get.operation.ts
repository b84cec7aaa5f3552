/**
 * Business Profile → Get: `GET /whatsapp_business_profile?fields=…` (answer `{data: [profile]}`).
 * https://docs.360dialog.com/docs/whatsapp-api/whatsapp-cloud-api/set-whatsapp-profile-information
 */
import type { IDataObject } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { dialog360Request } from '../../../common/transport';
import type { AccountOperation } from '../types';

export const PROFILE_FIELDS = 'about,address,description,email,profile_picture_url,websites,vertical';

export const getProfile: AccountOperation = {
	description: [],
	prepare() {
		return async (ctx, connection, index) => {
			const answer = (await dialog360Request.call(ctx, { method: 'GET', path: '/whatsapp_business_profile', qs: { fields: PROFILE_FIELDS }, itemIndex: index }, connection)) as IDataObject | undefined;
			const data = Array.isArray(answer?.data) ? answer.data.filter(isRecord) : [];
			const profile = (data[0] ?? (isRecord(answer) ? answer : {})) as IDataObject;
			const rest: IDataObject = { ...profile };
			delete rest.messaging_product;
			return [rest];
		};
	},
};
