/**
 * Runs the 360dialog Account node (`Dialog360Account`) inside n8n-core's engine against an emulator,
 * for the test/integration/account-*.test.ts suites. Not a test file itself.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Dialog360Account } from '../../nodes/Dialog360Account/Dialog360Account.node';
import type { Emulator } from '../emulator';
import { runNode, type BinaryMode, type RunNodeResult } from './n8nHarness';
import { emulatorCredential } from './useEmulator';

export const ACCOUNT_NODE_TYPE = 'n8n-nodes-360dialog.dialog360Account';

export async function runAccountNode(
	emulator: Emulator,
	parameters: INodeParameters,
	input?: INodeExecutionData[],
	options: { continueOnFail?: boolean; binaryMode?: BinaryMode; binaryDataPath?: string } = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new Dialog360Account(),
		typeName: ACCOUNT_NODE_TYPE,
		parameters,
		credentials: { dialog360Api: emulatorCredential(emulator) },
		input,
		onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
		binaryMode: options.binaryMode,
		binaryDataPath: options.binaryDataPath,
	});
}

/** API requests the emulator saw, as "METHOD path" (query dropped). */
export function requestLines(emulator: Emulator): string[] {
	return emulator.requests().map((request) => `${request.method} ${request.url.split('?')[0]}`);
}
