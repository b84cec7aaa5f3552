/**
 * Phase 1 of the Send node for template items, without HTTP: recipient normalisation, template
 * resolution against the definitions loaded once per execution, reading the mapped fields,
 * checking counts/kinds/limits, and building the body. Reported in µs per item.
 */
import type { IDataObject } from 'n8n-workflow';

import { templateMessage } from '../nodes/Dialog360/messageTypes/template';
import type { BuildContext } from '../nodes/Dialog360/messageTypes/types';
import { toRecipient } from '../nodes/shared/phone';
import { TEMPLATES } from '../test/emulator/templates';
import { validateSendBody } from '../test/support/metaSpec';

const ORDER_UPDATE = TEMPLATES.find((template) => template.name === 'order_update' && template.language === 'en_US') as unknown as IDataObject;

function contextFor(itemIndex: number): { context: BuildContext; phone: string } {
	const parameters: Record<string, unknown> = {
		template: { __rl: true, mode: 'list', value: 'order_update|en_US' },
		templateParameterMode: 'fields',
		templateFields: {
			mappingMode: 'defineBelow',
			value: {
				'header.image': 'https://cdn.example.com/orders/banner.png',
				'body.1': `Customer ${itemIndex}`,
				'body.2': `€${(itemIndex % 500) + 1}.90`,
				'body.3': '15 January 2026',
				'button.1.url': `order-${itemIndex}`,
			},
		},
	};
	return {
		phone: `+49 151 ${String(10000000 + (itemIndex % 89999999))}`,
		context: {
			itemIndex,
			get: <T>(name: string, fallback?: T) => (parameters[name] ?? fallback) as T,
			binary: async () => {
				throw new Error('no binary data in this benchmark');
			},
			templates: { find: async (name, language) => (name === 'order_update' && language === 'en_US' ? ORDER_UPDATE : undefined) },
		},
	};
}

export async function measureTemplateBuild(count: number): Promise<{ totalMs: number; microsPerItem: number; what: string }> {
	const items = Array.from({ length: count }, (_, index) => contextFor(index));
	const buildOne = async ({ context, phone }: (typeof items)[number]) => {
		const recipient = toRecipient(phone);
		const built = await templateMessage.build(context);
		return { messaging_product: 'whatsapp', recipient_type: 'individual', ...recipient, ...built.body };
	};
	for (const item of items.slice(0, 1000)) await buildOne(item); // warm-up (JIT, parsed-definition cache)
	const started = process.hrtime.bigint();
	let last: IDataObject = {};
	for (const item of items) last = await buildOne(item);
	const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
	const check = validateSendBody(last);
	if (!check.valid) throw new Error(`benchmark body does not validate: ${check.errors.join('; ')}`);
	return { totalMs, microsPerItem: (totalMs * 1000) / count, what: 'order_update: image header, 3 body variables, URL button; phone normalisation included' };
}

if (require.main === module) {
	const count = Number(process.argv[2] ?? 10_000);
	void measureTemplateBuild(count).then((result) => console.log(`${count} template items: ${result.totalMs.toFixed(1)} ms, ${result.microsPerItem.toFixed(2)} µs/item [${result.what}]`));
}
