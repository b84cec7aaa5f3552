import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * One 360dialog API key belongs to one WhatsApp phone number (channel). The key travels in the
 * D360-API-KEY header; there is no bearer token and no Graph version or phone-number id in paths.
 */
export class Dialog360Api implements ICredentialType {
	name = 'dialog360Api';

	displayName = '360dialog API';

	icon: Icon = {
		light: 'file:../nodes/Dialog360/360dialog.svg',
		dark: 'file:../nodes/Dialog360/360dialog.dark.svg',
	};

	documentationUrl = 'https://docs.360dialog.com/docs/waba-basics/the-basics-overview';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The D360-API-KEY of your WhatsApp number. Create it in the 360dialog hub (Channels → API key). A sandbox key comes back on WhatsApp when you send START to the 360dialog sandbox number.',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: 'https://waba-v2.360dialog.io (WhatsApp Cloud API)',
				},
				{
					name: 'Sandbox',
					value: 'sandbox',
					description:
						'https://waba-sandbox.360dialog.io: test key, messages only to your own number, no media',
				},
				{
					name: 'Custom Base URL',
					value: 'custom',
					description: 'A proxy in front of 360dialog, or the local 360dialog emulator',
				},
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:4360',
			required: true,
			description: 'Base URL that answers like https://waba-v2.360dialog.io, without a trailing slash',
			displayOptions: { show: { environment: ['custom'] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'D360-API-KEY': '={{$credentials.apiKey}}',
			},
		},
	};

	// GET /v1/configs/webhook works on production and sandbox, costs no Meta round trip and
	// answers 401 for a bad key (https://docs.360dialog.com/docs/messaging-api/api-reference/webhooks).
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : $credentials.environment === "sandbox" ? "https://waba-sandbox.360dialog.io" : "https://waba-v2.360dialog.io"}}',
			url: '/v1/configs/webhook',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The API key was rejected by 360dialog. Copy the key again from the 360dialog hub and check that the environment (Production or Sandbox) matches it.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'This API key may not read the webhook configuration: the channel may be blocked. Check it in the 360dialog hub.',
				},
			},
		],
	};
}
