/**
 * Phase 1 of the Send node for template items, without HTTP: recipient normalisation, template
 * resolution against the definitions loaded once per execution, reading the mapped fields,
 * checking counts/kinds/limits, and building the body. Reported in µs per item.
 */
import type { IDataObject } from 'n8n-workflow';

import { templateMessage } from '../nodes/Dialog360/messageTypes/template';
import type { BuildContext } from '../nodes/Dialog360/messageTypes/types';
import { toRecipient } from '../nodes/common/phone';
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

/**
 * `firstIndex` shifts the item numbers (and so the phone numbers), so repetitions in one process
 * measure numbers no earlier run has seen. The warm-up uses other items than the measured ones,
 * so no cache can have seen a measured phone number before.
 */
export async function measureTemplateBuild(
	count: number,
	firstIndex = 0,
): Promise<{ totalMs: number; microsPerItem: number; cpuMicrosPerItem: number; what: string }> {
	const items = Array.from({ length: count }, (_, index) => contextFor(firstIndex + index));
	const warmUp = Array.from({ length: Math.min(1000, count) }, (_, index) => contextFor(firstIndex + count + index));
	const buildOne = async ({ context, phone }: (typeof items)[number]) => {
		const recipient = toRecipient(phone);
		const built = await templateMessage.build(context);
		return { messaging_product: 'whatsapp', recipient_type: 'individual', ...recipient, ...built.body };
	};
	for (const item of warmUp) await buildOne(item); // warm-up (JIT, parsed-definition cache)
	const started = process.hrtime.bigint();
	const cpuStarted = process.cpuUsage();
	let last: IDataObject = {};
	for (const item of items) last = await buildOne(item);
	const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
	const cpu = process.cpuUsage(cpuStarted);
	const check = validateSendBody(last);
	if (!check.valid) throw new Error(`benchmark body does not validate: ${check.errors.join('; ')}`);
	return {
		totalMs,
		microsPerItem: (totalMs * 1000) / count,
		// CPU time of the process (user + system) over the same span: less sensitive to a busy machine.
		cpuMicrosPerItem: (cpu.user + cpu.system) / count,
		what: 'order_update: image header, 3 body variables, URL button; phone normalisation included',
	};
}

/** `npx tsx bench/templateBuild.ts [count] [--repeat N]`: N runs, each on fresh phone numbers. */
async function main(args: string[]): Promise<void> {
	const repeatAt = args.indexOf('--repeat');
	const repeat = repeatAt >= 0 ? Math.max(1, Number(args[repeatAt + 1]) || 1) : 1;
	const countArg = args.find((arg, i) => /^\d+$/.test(arg) && (repeatAt < 0 || i !== repeatAt + 1));
	const count = Number(countArg ?? 10_000);
	const wall: number[] = [];
	const cpu: number[] = [];
	for (let run = 0; run < repeat; run++) {
		const result = await measureTemplateBuild(count, run * (count + 1000));
		wall.push(result.microsPerItem);
		cpu.push(result.cpuMicrosPerItem);
		console.log(
			`${count} template items: ${result.totalMs.toFixed(1)} ms, ${result.microsPerItem.toFixed(2)} µs/item (CPU ${result.cpuMicrosPerItem.toFixed(2)} µs/item) [${result.what}]`,
		);
	}
	if (repeat > 1) {
		const stats = (values: number[]): string => {
			const sorted = [...values].sort((a, b) => a - b);
			const middle = sorted.length >> 1;
			const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
			return `min ${sorted[0].toFixed(2)}, median ${median.toFixed(2)}, max ${sorted[sorted.length - 1].toFixed(2)} µs/item`;
		};
		console.log(`${repeat} runs of ${count}: wall ${stats(wall)}; CPU ${stats(cpu)}`);
	}
}

if (require.main === module) {
	main(process.argv.slice(2)).catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
}
