/** Runs the real Send node (n8n-core engine) against a local emulator. Not a test file itself. */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Dialog360 } from '../../../nodes/Dialog360/Dialog360.node';
import type { Emulator } from '../../emulator';
import { runNode, type RunNodeResult } from '../../support/n8nHarness';

export const TO = '+49 151 12345678';
export const TO_WA_ID = '4915112345678';
export const ENVELOPE_TO = { messaging_product: 'whatsapp', recipient_type: 'individual', to: TO_WA_ID };

export async function runSendNode(
	emulator: Emulator,
	parameters: INodeParameters,
	input?: INodeExecutionData[],
	options: { continueOnFail?: boolean } = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new Dialog360(),
		typeName: 'n8n-nodes-360dialog.dialog360',
		parameters,
		credentials: { dialog360Api: { apiKey: emulator.apiKey, environment: 'custom', baseUrl: emulator.url } },
		input,
		onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
	});
}

/** Bodies the emulator accepted on POST /messages, oldest first. */
export function acceptedBodies(emulator: Emulator): unknown[] {
	return emulator.messages().map((message) => message.body);
}
