/**
 * The emulator's message templates, in the shape Meta's `GET /message_templates` returns them
 * (and 360dialog's `GET /v1/configs/templates`, which adds `namespace` and `rejected_reason`).
 *
 * There are more than one default page of them (so listing clients must paginate), some are not
 * APPROVED (so pickers must filter), and together they cover every component kind a send body
 * can fill (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates):
 * positional and named variables, text/image/video/document/location headers, URL buttons with a
 * dynamic suffix, quick replies, copy code, authentication (copy code and one-tap), carousel,
 * limited-time offer, flow, catalog and multi-product buttons, currency and date_time parameters.
 * Media handles and IDs are fake.
 */

export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED';
export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export type HeaderFormat = 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';

export interface TemplateButton {
	type: 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER' | 'COPY_CODE' | 'OTP' | 'FLOW' | 'CATALOG' | 'MPM';
	text?: string;
	/** URL buttons: a `{{1}}` at the end makes the suffix a send-time parameter. */
	url?: string;
	phone_number?: string;
	/** URL: example URLs; COPY_CODE: an example code. */
	example?: string[] | string;
	otp_type?: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP';
	autofill_text?: string;
	package_name?: string;
	signature_hash?: string;
	flow_id?: string;
	flow_action?: 'navigate' | 'data_exchange';
	navigate_screen?: string;
}

export interface TemplateComponentDefinition {
	type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS' | 'CAROUSEL' | 'LIMITED_TIME_OFFER';
	format?: HeaderFormat;
	text?: string;
	example?: {
		header_text?: string[];
		header_text_named_params?: Array<{ param_name: string; example: string }>;
		header_handle?: string[];
		body_text?: string[][];
		body_text_named_params?: Array<{ param_name: string; example: string }>;
	};
	buttons?: TemplateButton[];
	cards?: Array<{ components: TemplateComponentDefinition[] }>;
	limited_time_offer?: { text: string; has_expiration: boolean };
	/** AUTHENTICATION body/footer options. */
	add_security_recommendation?: boolean;
	code_expiration_minutes?: number;
}

export interface MessageTemplate {
	id: string;
	name: string;
	language: string;
	status: TemplateStatus;
	category: TemplateCategory;
	/** Absent means POSITIONAL (`{{1}}`). */
	parameter_format?: 'POSITIONAL' | 'NAMED';
	components: TemplateComponentDefinition[];
	/** Set on REJECTED templates, as Meta does. */
	rejected_reason?: string;
}

const IMAGE_HANDLE = '4::aW1hZ2UvanBlZw==:ARbFAKEimageHANDLE0000000000000000000000000000';
const VIDEO_HANDLE = '4::dmlkZW8vbXA0:ARbFAKEvideoHANDLE0000000000000000000000000000';
const DOCUMENT_HANDLE = '4::YXBwbGljYXRpb24vcGRm:ARbFAKEdocumentHANDLE00000000000000000000000';

const STOP_PROMOTIONS: TemplateButton = { type: 'QUICK_REPLY', text: 'Stop promotions' };

/** Shared by the English and German order_update translations. */
function orderUpdate(id: string, language: string, text: { body: string; footer: string; stop: string; track: string }): MessageTemplate {
	return {
		id,
		name: 'order_update',
		language,
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [IMAGE_HANDLE] } },
			{ type: 'BODY', text: text.body, example: { body_text: [['Max', '€19.90', '15 January 2026']] } },
			{ type: 'FOOTER', text: text.footer },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: text.stop },
					{ type: 'URL', text: text.track, url: 'https://shop.example.com/track/{{1}}', example: ['https://shop.example.com/track/4711'] },
				],
			},
		],
	};
}

const carouselCard = (product: string, slug: string): { components: TemplateComponentDefinition[] } => ({
	components: [
		{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [IMAGE_HANDLE] } },
		{ type: 'BODY', text: `${product}: now {{1}} off.`, example: { body_text: [['15%']] } },
		{
			type: 'BUTTONS',
			buttons: [
				{ type: 'QUICK_REPLY', text: 'More like this' },
				{ type: 'URL', text: 'Shop now', url: `https://shop.example.com/p/${slug}?ref={{1}}`, example: [`https://shop.example.com/p/${slug}?ref=summer`] },
			],
		},
	],
});

export const TEMPLATES: readonly MessageTemplate[] = [
	{
		id: '1100000000000001',
		name: 'hello_world',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'TEXT', text: 'Hello World' },
			{ type: 'BODY', text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification.' },
			{ type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
		],
	},
	orderUpdate('1100000000000002', 'en_US', {
		body: 'Hi {{1}}, thanks for your order of {{2}}. It will arrive on {{3}}.',
		footer: 'Reply STOP to opt out',
		stop: 'Stop promotions',
		track: 'Track order',
	}),
	orderUpdate('1100000000000003', 'de', {
		body: 'Hallo {{1}}, danke für deine Bestellung über {{2}}. Sie kommt am {{3}} an.',
		footer: 'Antworte STOP zum Abmelden',
		stop: 'Werbung stoppen',
		track: 'Sendung verfolgen',
	}),
	{
		id: '1100000000000004',
		name: 'shipping_confirmation',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}} shipped', example: { header_text: ['4711'] } },
			{ type: 'BODY', text: 'Good news {{1}}! Your parcel is on its way with {{2}}.', example: { body_text: [['Max', 'DHL']] } },
			{
				type: 'BUTTONS',
				buttons: [{ type: 'URL', text: 'Track parcel', url: 'https://track.example.com/{{1}}', example: ['https://track.example.com/JJD000390007'] }],
			},
		],
	},
	{
		id: '1100000000000005',
		name: 'appointment_reminder',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'NAMED',
		components: [
			{
				type: 'HEADER',
				format: 'TEXT',
				text: 'Your visit at {{clinic_name}}',
				example: { header_text_named_params: [{ param_name: 'clinic_name', example: 'Praxis Mitte' }] },
			},
			{
				type: 'BODY',
				text: 'Hi {{first_name}}, this is a reminder of your appointment on {{appointment_date}} at {{appointment_time}}.',
				example: {
					body_text_named_params: [
						{ param_name: 'first_name', example: 'Max' },
						{ param_name: 'appointment_date', example: '15 January 2026' },
						{ param_name: 'appointment_time', example: '10:30' },
					],
				},
			},
			{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Confirm' }, { type: 'QUICK_REPLY', text: 'Reschedule' }] },
		],
	},
	{
		id: '1100000000000006',
		name: 'welcome_customer',
		language: 'de',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'NAMED',
		components: [
			{
				type: 'BODY',
				text: 'Hallo {{first_name}}, willkommen bei {{shop_name}}! Schön, dass du da bist.',
				example: {
					body_text_named_params: [
						{ param_name: 'first_name', example: 'Erika' },
						{ param_name: 'shop_name', example: 'Example Shop' },
					],
				},
			},
			{ type: 'BUTTONS', buttons: [STOP_PROMOTIONS] },
		],
	},
	{
		id: '1100000000000007',
		name: 'invoice_available',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'DOCUMENT', example: { header_handle: [DOCUMENT_HANDLE] } },
			{ type: 'BODY', text: 'Invoice {{1}} over {{2}} is attached. Payment is due on {{3}}.', example: { body_text: [['INV-2026-001', '€99.00', '31 January 2026']] } },
		],
	},
	{
		id: '1100000000000008',
		name: 'product_video_launch',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'VIDEO', example: { header_handle: [VIDEO_HANDLE] } },
			{ type: 'BODY', text: 'Meet the new {{1}}. Watch the video and be the first to order.', example: { body_text: [['Example Phone X']] } },
			{
				type: 'BUTTONS',
				buttons: [{ type: 'URL', text: 'Pre-order', url: 'https://shop.example.com/launch' }, STOP_PROMOTIONS],
			},
		],
	},
	{
		id: '1100000000000009',
		name: 'store_pickup_location',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'LOCATION' },
			{ type: 'BODY', text: 'Your order {{1}} is ready for pickup at this store.', example: { body_text: [['4711']] } },
		],
	},
	{
		id: '1100000000000010',
		name: 'promo_coupon',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'TEXT', text: 'A gift for you' },
			{ type: 'BODY', text: 'Use the code below for {{1}} off your next order.', example: { body_text: [['20%']] } },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'COPY_CODE', example: 'SAVE20' },
					{ type: 'URL', text: 'Shop now', url: 'https://shop.example.com/?c={{1}}', example: ['https://shop.example.com/?c=SAVE20'] },
				],
			},
		],
	},
	{
		id: '1100000000000011',
		name: 'verification_code',
		language: 'en_US',
		status: 'APPROVED',
		category: 'AUTHENTICATION',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: '*{{1}}* is your verification code.', add_security_recommendation: true, example: { body_text: [['123456']] } },
			{ type: 'FOOTER', text: 'This code expires in 10 minutes.', code_expiration_minutes: 10 },
			{ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
		],
	},
	{
		id: '1100000000000012',
		name: 'verification_code',
		language: 'de',
		status: 'APPROVED',
		category: 'AUTHENTICATION',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: '*{{1}}* ist dein Bestätigungscode.', add_security_recommendation: true, example: { body_text: [['123456']] } },
			{ type: 'FOOTER', text: 'Dieser Code läuft in 10 Minuten ab.', code_expiration_minutes: 10 },
			{ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Code kopieren' }] },
		],
	},
	{
		id: '1100000000000013',
		name: 'login_code_one_tap',
		language: 'en_US',
		status: 'APPROVED',
		category: 'AUTHENTICATION',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: '*{{1}}* is your login code.', add_security_recommendation: true, example: { body_text: [['837461']] } },
			{ type: 'FOOTER', text: 'This code expires in 5 minutes.', code_expiration_minutes: 5 },
			{
				type: 'BUTTONS',
				buttons: [
					{
						type: 'OTP',
						otp_type: 'ONE_TAP',
						text: 'Copy code',
						autofill_text: 'Autofill',
						package_name: 'com.example.app',
						signature_hash: 'K8a/AINcGX7',
					},
				],
			},
		],
	},
	{
		id: '1100000000000014',
		name: 'summer_collection_carousel',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: 'Hi {{1}}, our summer favourites are here. Swipe to see them.', example: { body_text: [['Max']] } },
			{
				type: 'CAROUSEL',
				cards: [carouselCard('Linen shirt', 'linen-shirt'), carouselCard('Straw hat', 'straw-hat'), carouselCard('Sandals', 'sandals')],
			},
		],
	},
	{
		id: '1100000000000015',
		name: 'flash_sale_offer',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [IMAGE_HANDLE] } },
			{ type: 'LIMITED_TIME_OFFER', limited_time_offer: { text: 'Flash sale!', has_expiration: true } },
			{ type: 'BODY', text: 'Hi {{1}}, everything is {{2}} off until midnight.', example: { body_text: [['Max', '30%']] } },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'COPY_CODE', example: 'FLASH30' },
					{ type: 'URL', text: 'Shop the sale', url: 'https://shop.example.com/sale?c={{1}}', example: ['https://shop.example.com/sale?c=FLASH30'] },
				],
			},
		],
	},
	{
		id: '1100000000000016',
		name: 'payment_due_reminder',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'BODY',
				text: 'Dear {{1}}, your payment of {{2}} is due on {{3}}.',
				example: { body_text: [['Max Mustermann', '€49.90', '1 February 2026']] },
			},
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+4930123456789' },
					{ type: 'URL', text: 'Pay now', url: 'https://pay.example.com/invoice/{{1}}', example: ['https://pay.example.com/invoice/INV-2026-001'] },
				],
			},
		],
	},
	{
		id: '1100000000000017',
		name: 'delivery_slot_booking',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: 'Hi {{1}}, pick a delivery slot for order {{2}}.', example: { body_text: [['Max', '4711']] } },
			{
				type: 'BUTTONS',
				buttons: [{ type: 'FLOW', text: 'Choose slot', flow_id: '2200000000000001', flow_action: 'navigate', navigate_screen: 'SLOTS' }],
			},
		],
	},
	{
		id: '1100000000000018',
		name: 'spring_catalog',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: 'Our spring catalog is live, {{1}}. Browse it right here in WhatsApp.', example: { body_text: [['Max']] } },
			{ type: 'FOOTER', text: 'Best viewed on mobile' },
			{ type: 'BUTTONS', buttons: [{ type: 'CATALOG', text: 'View catalog' }] },
		],
	},
	{
		id: '1100000000000019',
		name: 'bestsellers_multi_product',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'HEADER', format: 'TEXT', text: 'Our bestsellers' },
			{ type: 'BODY', text: 'Hi {{1}}, these are the products everyone is buying this week.', example: { body_text: [['Max']] } },
			{ type: 'BUTTONS', buttons: [{ type: 'MPM', text: 'View items' }] },
		],
	},
	{
		id: '1100000000000020',
		name: 'feedback_request',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: 'How was your experience with order {{1}}?', example: { body_text: [['4711']] } },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'Great' },
					{ type: 'QUICK_REPLY', text: 'Okay' },
					{ type: 'QUICK_REPLY', text: 'Not good' },
				],
			},
		],
	},
	{
		id: '1100000000000021',
		name: 'account_alert',
		language: 'en_GB',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'BODY',
				text: 'We noticed a new sign-in to your account from {{1}}. If this was not you, please reset your password.',
				example: { body_text: [['Berlin, Germany']] },
			},
		],
	},
	{
		id: '1100000000000022',
		name: 'bienvenida',
		language: 'es',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: '¡Hola {{1}}! Gracias por unirte a nuestra comunidad.', example: { body_text: [['Lucía']] } },
			{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Dejar de recibir' }] },
		],
	},
	{
		id: '1100000000000023',
		name: 'back_in_stock',
		language: 'en_US',
		status: 'APPROVED',
		category: 'MARKETING',
		parameter_format: 'NAMED',
		components: [
			{
				type: 'HEADER',
				format: 'TEXT',
				text: '{{product_name}} is back',
				example: { header_text_named_params: [{ param_name: 'product_name', example: 'Linen shirt' }] },
			},
			{
				type: 'BODY',
				text: 'Good news {{first_name}}: {{product_name}} is back in stock for {{price}}.',
				example: {
					body_text_named_params: [
						{ param_name: 'first_name', example: 'Max' },
						{ param_name: 'product_name', example: 'Linen shirt' },
						{ param_name: 'price', example: '€39.00' },
					],
				},
			},
			{
				type: 'BUTTONS',
				buttons: [{ type: 'URL', text: 'Buy now', url: 'https://shop.example.com/p/{{1}}', example: ['https://shop.example.com/p/linen-shirt'] }],
			},
		],
	},
	{
		id: '1100000000000024',
		name: 'issue_resolution',
		language: 'en_US',
		status: 'APPROVED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: 'Hi {{1}}, were we able to solve the issue you were facing?', example: { body_text: [['Max']] } },
			{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Yes' }, { type: 'QUICK_REPLY', text: 'No' }] },
		],
	},
	{
		id: '1100000000000025',
		name: 'black_friday_teaser',
		language: 'en_US',
		status: 'PENDING',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [{ type: 'BODY', text: 'Black Friday starts in {{1}} days, {{2}}. Get ready!', example: { body_text: [['3', 'Max']] } }],
	},
	{
		id: '1100000000000026',
		name: 'crypto_giveaway',
		language: 'en_US',
		status: 'REJECTED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		rejected_reason: 'INVALID_FORMAT',
		components: [{ type: 'BODY', text: 'Claim your free coins now, {{1}}!', example: { body_text: [['Max']] } }],
	},
	{
		id: '1100000000000027',
		name: 'newsletter_weekly',
		language: 'en_US',
		status: 'PAUSED',
		category: 'MARKETING',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: 'This week at Example Shop: {{1}}', example: { body_text: [['new arrivals and a 10% voucher']] } },
			{ type: 'BUTTONS', buttons: [STOP_PROMOTIONS] },
		],
	},
	{
		id: '1100000000000028',
		name: 'legacy_password_reset',
		language: 'en_US',
		status: 'DISABLED',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [{ type: 'BODY', text: 'Reset your password here: {{1}}', example: { body_text: [['https://example.com/reset']] } }],
	},
	{
		id: '1100000000000029',
		name: 'order_update',
		language: 'fr',
		status: 'PENDING',
		category: 'UTILITY',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: 'Bonjour {{1}}, merci pour votre commande de {{2}}. Livraison le {{3}}.', example: { body_text: [['Max', '19,90 €', '15 janvier 2026']] } },
		],
	},
];

/** A deep copy, so a test (or `POST /_emulator/templates`) can change its store freely. */
export function cloneTemplates(templates: readonly MessageTemplate[] = TEMPLATES): MessageTemplate[] {
	return structuredClone(templates) as MessageTemplate[];
}

export function findTemplate(store: readonly MessageTemplate[], name: string, language: string): MessageTemplate | undefined {
	return store.find((template) => template.name === name && template.language === language);
}
