/**
 * The form of "Send and Wait for Reply" (operation `sendAndWait`), shown only for that operation.
 * Limit Wait Time uses the parameter names of n8n's own send-and-wait nodes
 * (n8n-nodes-base utils/sendAndWait/descriptions.js limitWaitTimeProperties).
 */
import type { INodeProperties, IWebhookDescription } from 'n8n-workflow';

import { countryOptions } from '../../common/phone';

export const SEND_AND_WAIT = 'sendAndWait';

export type ResponseType = 'approval' | 'buttons' | 'list' | 'freeText';

/** n8n's send-and-wait webhook, POST only: the 360dialog Trigger posts the answer to it. */
export const sendAndWaitWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
];

const show = { operation: [SEND_AND_WAIT] };
const showFor = (responseType: ResponseType[]) => ({ show: { ...show, responseType } });

export const sendAndWaitProperties: INodeProperties[] = [
	{
		displayName:
			'The answer comes back through the 360dialog Trigger of this number: an active workflow with a 360dialog Trigger (same credential) must receive the replies. It hands the answer to this execution and does not start its own execution for it. Without it, the execution waits until the time limit.',
		name: 'sendAndWaitNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Message',
		name: 'waitMessage',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'Order #1042 (€ 1,250): approve?',
		description: 'The text of the question, up to 1024 characters',
		displayOptions: { show },
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		noDataExpression: true,
		default: 'approval',
		options: [
			{ name: 'Approval', value: 'approval', description: 'Approve and Decline buttons; resumes with approved true or false' },
			{ name: 'Free Text', value: 'freeText', description: 'Resumes with the next text the customer sends as a reply to (quoting) this message' },
			{ name: 'List', value: 'list', description: 'A menu of up to 10 options; resumes with the option chosen' },
			{ name: 'Reply Buttons', value: 'buttons', description: 'Up to 3 buttons; resumes with the option chosen' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'Approve Button Label',
		name: 'approveLabel',
		type: 'string',
		default: 'Approve',
		description: 'Up to 20 characters',
		displayOptions: showFor(['approval']),
	},
	{
		displayName: 'Decline Button Label',
		name: 'declineLabel',
		type: 'string',
		default: 'Decline',
		description: 'Up to 20 characters',
		displayOptions: showFor(['approval']),
	},
	{
		displayName: 'Options',
		name: 'waitChoices',
		type: 'fixedCollection',
		placeholder: 'Add Option',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		required: true,
		description: 'Reply Buttons: 1 to 3 options (title up to 20 characters). List: 1 to 10 options (title up to 24 characters).',
		displayOptions: showFor(['buttons', 'list']),
		options: [
			{
				displayName: 'Option',
				name: 'option',
				values: [
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'Tomorrow 10:00',
						description: 'What the customer sees and taps; each option needs a different title',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'slot_1',
						description: 'What the output gives as option.value; leave empty to use the title',
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						description: 'List only: grey text under the title, up to 72 characters',
					},
				],
			},
		],
	},
	{
		displayName: 'List Button Text',
		name: 'listButtonText',
		type: 'string',
		default: 'Choose',
		description: 'Label of the button that opens the list, up to 20 characters',
		displayOptions: showFor(['list']),
	},
	{
		displayName: 'Accept Any Next Message',
		name: 'freeTextAnyMessage',
		type: 'boolean',
		default: false,
		description:
			'Whether the next text message from this customer counts as the answer even when it does not quote this message. Off: only a reply that quotes this message (swipe to reply) counts.',
		displayOptions: showFor(['freeText']),
	},
	{
		displayName: 'Limit Wait Time',
		name: 'limitWaitTime',
		type: 'boolean',
		default: false,
		description:
			'Whether to stop waiting after a time; the execution then goes on with timedOut true and no answer (nothing is sent again)',
		displayOptions: { show },
	},
	{
		displayName: 'Limit Type',
		name: 'limitType',
		type: 'options',
		default: 'afterTimeInterval',
		options: [
			{ name: 'After Time Interval', value: 'afterTimeInterval', description: 'Waits for a certain amount of time' },
			{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Waits until the set date and time' },
		],
		displayOptions: { show: { ...show, limitWaitTime: [true] } },
	},
	{
		displayName: 'Amount',
		name: 'resumeAmount',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 1,
		description: 'The time to wait',
		displayOptions: { show: { ...show, limitWaitTime: [true], limitType: ['afterTimeInterval'] } },
	},
	{
		displayName: 'Unit',
		name: 'resumeUnit',
		type: 'options',
		default: 'hours',
		options: [
			{ name: 'Seconds', value: 'seconds' },
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days' },
		],
		description: 'Unit of the interval value',
		displayOptions: { show: { ...show, limitWaitTime: [true], limitType: ['afterTimeInterval'] } },
	},
	{
		displayName: 'Max Date and Time',
		name: 'maxDateAndTime',
		type: 'dateTime',
		default: '',
		description: 'Continue execution after the specified date and time',
		displayOptions: { show: { ...show, limitWaitTime: [true], limitType: ['atSpecifiedTime'] } },
	},
	{
		displayName: 'Options',
		name: 'waitOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Default Country',
				name: 'defaultCountry',
				type: 'options',
				default: '',
				options: [{ name: '— None (Numbers Must Start with + or 00) —', value: '' }, ...countryOptions()],
				description: 'Country used for phone numbers written without a country code',
			},
			{
				displayName: 'Footer Text',
				name: 'footerText',
				type: 'string',
				default: '',
				description: 'Grey text under the message (buttons, list and approval), up to 60 characters',
			},
			{
				displayName: 'Header Text',
				name: 'headerText',
				type: 'string',
				default: '',
				description: 'Bold title above the message (buttons, list and approval), up to 60 characters',
			},
		],
	},
];
