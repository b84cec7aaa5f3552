/**
 * A BuildContext for pure message-type tests: parameters from a plain object (as n8n hands them
 * over after resolving expressions) and binary metadata from a map. Not a test file itself.
 */
import type { BinaryInfo, BuildContext, BuiltMessage, MessageTypeModule } from '../../../nodes/Dialog360/messageTypes/types';
import { FieldError } from '../../../nodes/common/validation';

export function stubContext(parameters: Record<string, unknown>, binaries: Record<string, BinaryInfo> = {}): BuildContext & { binaryLookups: string[] } {
	const binaryLookups: string[] = [];
	return {
		itemIndex: 0,
		binaryLookups,
		get<T>(name: string, fallback?: T): T {
			return (parameters[name] === undefined ? fallback : parameters[name]) as T;
		},
		async binary(propertyName: string, field: string): Promise<BinaryInfo> {
			binaryLookups.push(propertyName);
			const info = binaries[propertyName];
			if (!info) throw new FieldError(field, `${field}: the input item has no binary property "${propertyName}"`);
			return info;
		},
		templates: {
			async find() {
				throw new Error('templates are not used by this message type');
			},
		},
	};
}

export async function build(module: MessageTypeModule, parameters: Record<string, unknown>, binaries?: Record<string, BinaryInfo>): Promise<BuiltMessage> {
	return await module.build(stubContext(parameters, binaries));
}

/** Runs `fn` and returns the FieldError it throws (fails the test when it throws nothing or something else). */
export async function fieldError(fn: () => unknown): Promise<FieldError> {
	let thrown: unknown;
	try {
		await fn();
	} catch (error) {
		thrown = error;
	}
	if (!(thrown instanceof FieldError)) {
		throw new Error(`expected a FieldError, got ${thrown === undefined ? 'no error' : String(thrown)}`);
	}
	return thrown;
}
