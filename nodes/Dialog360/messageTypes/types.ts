import type { IDataObject, INodeProperties, INodeType } from 'n8n-workflow';

import type { MediaKind } from '../../common/mediaLimits';

/** Reads the current item's parameters (expressions already resolved by n8n). */
export interface ParamReader {
	readonly itemIndex: number;
	get<T = unknown>(name: string, fallback?: T): T;
}

/** Binary metadata the media types validate before anything is uploaded. */
export interface BinaryInfo {
	mimeType: string;
	fileName?: string;
	sizeBytes: number;
}

/**
 * An n8n binary property to upload through /media during the send phase. Plain data: `path` says
 * which media object of the built body receives the id (`['image']`, or
 * `['template', 'components', 0, 'parameters', 0, 'document']`); send.ts fills it in.
 */
export interface PendingUpload {
	binaryPropertyName: string;
	kind: MediaKind;
	mimeType: string;
	fileName?: string;
	path: ReadonlyArray<string | number>;
}

export interface TemplateLookup {
	/** The template definition from the account, loaded once per execution (not per item). */
	find(name: string, language: string): Promise<IDataObject | undefined>;
}

export interface BuildContext extends ParamReader {
	/** Metadata of an input binary property of this item; throws FieldError when it is missing. */
	binary(propertyName: string, field: string): Promise<BinaryInfo>;
	templates: TemplateLookup;
}

/** The type-specific part of a message: `type` plus the object named after it. */
export interface BuiltMessage {
	body: IDataObject;
	/**
	 * More messages sent after `body`, in order, to the same recipient (a long text split into
	 * parts), each type-specific like `body`; prepareItem adds the envelope to each (tracking data
	 * yes, the Reply To quote only on `body`). Present, even empty, when the type sends in parts:
	 * then the output lists the ids of all parts.
	 */
	followUps?: IDataObject[];
	uploads?: PendingUpload[];
	/** Template name/language, so API errors can name the template. */
	errorContext?: { templateName?: string; templateLanguage?: string };
	/** Where the message is posted when not `/messages` (marketing templates through `/marketing_messages`). */
	endpoint?: '/marketing_messages';
}

/**
 * One WhatsApp message type: its form, its validation and its body builder in one place.
 * `build` validates everything it reads and throws FieldError (../../common/validation) on the
 * first broken rule; it makes no HTTP requests (uploads are returned as PendingUpload).
 */
export interface MessageTypeModule {
	/** Value of the Message Type option. */
	value: string;
	name: string;
	description: string;
	/** The action shown to users and AI agents; default "Send <name>". */
	action?: string;
	/** Form fields; the node adds `displayOptions.show.messageType` to each. */
	properties: INodeProperties[];
	build(context: BuildContext): BuiltMessage | Promise<BuiltMessage>;
	/**
	 * Editor methods the form uses (listSearch, loadOptions, resourceMapping, …). The node offers
	 * the methods of every message type together, so names must be unique across types; saved
	 * workflows reference them by name.
	 */
	methods?: INodeType['methods'];
	/**
	 * Whether the body is a status update (mark as read) rather than a message to a recipient:
	 * then no `to`, `context` or `biz_opaque_callback_data` is added.
	 */
	isStatusUpdate?: boolean;
}
