/**
 * Interactive messages. Each variant lives in its own file and declares as data which header,
 * body and footer it takes, its own fields and its action builder (see variant.ts). Everything
 * shared is generated from the registry below: the Interactive Type dropdown, the header, body
 * and footer fields with their displayOptions, and the dispatch.
 *
 * Adding a variant: one new file, plus its import and one line in INTERACTIVE_VARIANTS.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { FieldError } from '../../../common/validation';
import type { MessageTypeModule, ParamReader } from '../types';
import { callPermissionRequestVariant } from './callPermissionRequest';
import { catalogVariant } from './catalog';
import { ctaUrlVariant } from './ctaUrl';
import { flowVariant } from './flow';
import { listVariant } from './list';
import { locationRequestVariant } from './locationRequest';
import { orderDetailsVariant } from './orderDetails';
import { orderStatusVariant } from './orderStatus';
import { buildBody, buildFooter, buildHeader, headerUpload, sharedProperties } from './parts';
import { productVariant } from './product';
import { productListVariant } from './productList';
import { replyButtonsVariant } from './replyButtons';
import type { InteractiveVariant } from './variant';

export { DEFAULT_FLOW_TOKEN, containsEmoji } from './flow';
export { INTERACTIVE_LIMITS } from './parts';
export type { BodyRule, HeaderRule, InteractiveVariant } from './variant';

/** Every variant, in the order "not supported" errors list them. The dropdown sorts by name. */
export const INTERACTIVE_VARIANTS: readonly InteractiveVariant[] = [
	replyButtonsVariant,
	listVariant,
	ctaUrlVariant,
	flowVariant,
	locationRequestVariant,
	productVariant,
	productListVariant,
	catalogVariant,
	callPermissionRequestVariant,
	orderDetailsVariant,
	orderStatusVariant,
];

const DEFAULT_VARIANT = replyButtonsVariant.value;

const variantByValue = new Map(INTERACTIVE_VARIANTS.map((variant) => [variant.value, variant]));

const interactiveTypeProperty: INodeProperties = {
	displayName: 'Interactive Type',
	name: 'interactiveType',
	type: 'options',
	noDataExpression: true,
	default: DEFAULT_VARIANT,
	// Sorted like n8n's lint rule for literal option lists (node-param-options-type-unsorted-items).
	options: INTERACTIVE_VARIANTS.map(({ name, value, description }) => ({ name, value, description })).sort((a, b) =>
		a.name.localeCompare(b.name),
	),
	description:
		'Which kind of interactive message to send. Interactive messages can only be sent within 24 hours of the customer’s last message; use a template otherwise.',
};

/** A variant's own field, shown only for that variant (on top of its own conditions). */
function scopedToVariant(variant: InteractiveVariant, property: INodeProperties): INodeProperties {
	return {
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { interactiveType: [variant.value], ...property.displayOptions?.show },
		},
	};
}

const properties: INodeProperties[] = [
	interactiveTypeProperty,
	...sharedProperties(INTERACTIVE_VARIANTS),
	...INTERACTIVE_VARIANTS.flatMap((variant) => variant.properties.map((property) => scopedToVariant(variant, property))),
];

/** Builds the `{type: "interactive", interactive: {...}}` part of the body for the chosen variant. */
export function buildInteractiveBody(context: ParamReader): IDataObject {
	const value = context.get<string>('interactiveType', DEFAULT_VARIANT);
	const variant = variantByValue.get(value);
	if (variant === undefined) {
		const supported = INTERACTIVE_VARIANTS.map((v) => v.value).join(', ');
		throw new FieldError('Interactive Type', `Interactive Type "${String(value)}" is not supported; use one of ${supported}`);
	}
	// Built in the order the form shows the fields, so the first broken rule is the topmost one.
	const header = buildHeader(variant.header, context);
	const body = buildBody(variant.body, context);
	const footer = buildFooter(variant.footer, context);
	const action = variant.action(context);
	return {
		type: 'interactive',
		interactive: {
			type: variant.value,
			...(header ? { header } : {}),
			...(body ? { body } : {}),
			...(footer ? { footer } : {}),
			action,
		},
	};
}

export const interactiveMessage: MessageTypeModule = {
	value: 'interactive',
	name: 'Interactive',
	description:
		'Reply buttons, lists, links, Flows, products, the catalog, payment requests and other interactive messages (only within 24 hours of the customer’s last message)',
	properties,
	async build(context) {
		const body = buildInteractiveBody(context);
		// The binary file of a header is checked last: its metadata is only read asynchronously.
		const upload = await headerUpload((body.interactive as IDataObject).header as IDataObject | undefined, context);
		return upload ? { body, uploads: [upload] } : { body };
	},
};
