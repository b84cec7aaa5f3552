/**
 * What one interactive variant declares. The registry (index.ts) generates everything the variants
 * share from these declarations: the Interactive Type dropdown, the header/body/footer fields and
 * their displayOptions, and the dispatch from `interactiveType` to the builder.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParamReader } from '../types';

/**
 * - `none`: the variant takes no header (WhatsApp draws its own or has none).
 * - `optional-text` / `required-text`: only a text header.
 * - `text-or-media`: a Header dropdown with none, text, image, video or document.
 * - `optional-image`: a Header dropdown with none or image (order details).
 */
export type HeaderRule = 'none' | 'optional-text' | 'required-text' | 'text-or-media' | 'optional-image';

/** Whether the variant shows the Body Text field, and whether it must be filled in. */
export type BodyRule = 'none' | 'optional' | 'required';

export interface InteractiveVariant {
	/** The Interactive Type option value, sent as `interactive.type`. */
	value: string;
	/** The option as the dropdown shows it. */
	name: string;
	description: string;
	header: HeaderRule;
	body: BodyRule;
	/** Whether the variant takes the optional Footer Text. */
	footer: boolean;
	/** The variant's own fields; the registry adds `show.interactiveType: [value]` to each. */
	properties: INodeProperties[];
	/** Validates the variant's own fields (FieldError on the first broken rule) and builds `interactive.action`. */
	action(context: ParamReader): IDataObject;
}
