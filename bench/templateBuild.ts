/**
 * Build + validate cost per item of the Send node's per-type modules, without HTTP: what phase 1
 * of the node does for every input item.
 */
import { messageTypeByValue } from '../nodes/Dialog360/messageTypes';
import type { BuildContext } from '../nodes/Dialog360/messageTypes/types';
import { validateSendBody } from '../test/support/metaSpec';

export async function measureTemplateBuild(count: number): Promise<{ totalMs: number; microsPerItem: number; what: string }> {
	const module = messageTypeByValue('text');
	if (!module) throw new Error('text module missing');
	const contexts: BuildContext[] = Array.from({ length: count }, (_, itemIndex) => ({
		itemIndex,
		get: <T>(name: string, fallback?: T) => (({ textBody: `Hello customer ${itemIndex}`, previewUrl: false }) as Record<string, unknown>)[name] as T ?? (fallback as T),
		binary: async () => {
			throw new Error('no binary in this benchmark');
		},
		templates: { find: async () => undefined },
	}));
	for (const context of contexts.slice(0, 500)) await module.build(context); // warm-up
	const started = process.hrtime.bigint();
	for (const context of contexts) await module.build(context);
	const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
	const sample = await module.build(contexts[0]);
	if (!validateSendBody({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '4915112345678', ...sample.body }).valid) {
		throw new Error('benchmark body does not validate against the spec');
	}
	return { totalMs, microsPerItem: (totalMs * 1000) / count, what: 'text module (template module pending)' };
}
