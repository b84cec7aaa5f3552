import { showFor } from '../display';
import type { AccountResource } from '../types';
import { getProfile } from './get.operation';
import { updateProfile } from './update.operation';

export const businessProfile: AccountResource = {
	operations: [
		{ name: 'Get', value: 'get', description: 'Get the business profile of this number', action: 'Get the business profile' },
		{ name: 'Update', value: 'update', description: 'Change fields of the business profile', action: 'Update the business profile' },
	],
	defaultOperation: 'get',
	byOperation: { get: getProfile, update: updateProfile },
};

export const businessProfileFields = Object.entries(businessProfile.byOperation).flatMap(([operation, { description }]) => showFor('businessProfile', operation, description));
