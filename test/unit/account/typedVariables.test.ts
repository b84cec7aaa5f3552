/**
 * WhatsApp variables typed into a field that n8n's editor turned into an expression: the bare blocks
 * are kept as variables, every other block stays an n8n expression.
 */
import { holdsTypedVariables, keepTypedVariables } from '../../../nodes/Dialog360Account/template/typedVariables';

describe('typed WhatsApp variables in n8n expressions', () => {
	it.each([
		['=Hi {{1}}', true],
		['=Hi {{ first_name }}, {{2}}', true],
		['=Hi {{ $json.name }}', false],
		['Hi {{1}}', false], // fixed text: n8n does not evaluate it, nothing to keep
		['=Hi {{ 1 + 1 }}', false],
		['=Hi {{ Name }}', false], // not a WhatsApp variable (lowercase only)
	])('%p holds typed variables: %p', (expression, expected) => {
		expect(holdsTypedVariables(expression)).toBe(expected);
	});

	it('turns each bare block into a block that yields it, without a literal }} inside the block', () => {
		const kept = keepTypedVariables('=Hi {{1}}, your {{ $json.product }} order {{ order_id }}');
		expect(kept).toBe('=Hi {{ "\\u007b\\u007b1\\u007d\\u007d" }}, your {{ $json.product }} order {{ "\\u007b\\u007border_id\\u007d\\u007d" }}');
		// What n8n's expression engine does with such a block: a JavaScript string with the braces.
		expect(JSON.parse('"\\u007b\\u007b1\\u007d\\u007d"')).toBe('{{1}}');
	});
});
