/**
 * Runs the real Send node (360dialog, `Dialog360`) inside n8n-core's engine against an emulator:
 * the one way the integration suites execute it. Not a test file itself.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Dialog360 } from '../../nodes/Dialog360/Dialog360.node';
import type { Emulator } from '../emulator';
import { runNode, type RunNodeResult } from './n8nHarness';
import { emulatorCredential } from './useEmulator';

/** The node type as it appears in workflows. */
export const SEND_NODE_TYPE = 'n8n-nodes-360dialog.dialog360';

export interface SendNodeOptions {
	/** n8n's "On Error → Continue" (the node outputs an error item instead of failing the run). */
	continueOnFail?: boolean;
}

export async function runSendNode(
	emulator: Emulator,
	parameters: INodeParameters,
	input?: INodeExecutionData[],
	options: SendNodeOptions = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new Dialog360(),
		typeName: SEND_NODE_TYPE,
		parameters,
		credentials: { dialog360Api: emulatorCredential(emulator) },
		input,
		onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
	});
}

/** Bodies the emulator accepted on POST /messages, oldest first. */
export function acceptedBodies(emulator: Emulator): unknown[] {
	return emulator.messages().map((message) => message.body);
}
