/**
 * WhatsApp variables typed into the editor. n8n's editor turns a field into an expression as soon as
 * `{{` is typed, so "Hi {{1}}, order {{2}}" is stored as the expression `=Hi {{1}}, order {{2}}`,
 * which n8n would evaluate to "Hi 1, order 2" and the template would lose its variables. Read raw,
 * a block that holds nothing but a WhatsApp variable (`{{1}}`, `{{ first_name }}`) is kept as that
 * variable; every other block (`{{ $json.name }}`) is still evaluated by n8n, so a body can mix both.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

/** `{{1}}`, `{{ 12 }}`, `{{first_name}}`: a positional number or a named variable, and nothing else. */
const BARE_VARIABLE = /\{\{\s*(\d+|[a-z][a-z0-9_]*)\s*\}\}/g;

/**
 * The block as an n8n expression that yields the variable's text. The braces are written as
 * `\u007b`/`\u007d` escapes: literal `}}` inside a block would end the block early.
 */
const literalVariable = (variable: string): string => `{{ "\\u007b\\u007b${variable}\\u007d\\u007d" }}`;

/** Whether an expression holds a bare WhatsApp variable block. */
export function holdsTypedVariables(expression: string): boolean {
	return expression.startsWith('=') && new RegExp(BARE_VARIABLE.source).test(expression);
}

/** The expression with its bare-variable blocks turned into blocks that yield them as text. */
export function keepTypedVariables(expression: string): string {
	return expression.replace(BARE_VARIABLE, (_block, variable: string) => literalVariable(variable));
}

/**
 * A parameter (text, or a collection of texts such as the buttons) read so that WhatsApp variables
 * typed into it survive; values without them come out exactly as n8n resolves them.
 */
export function readWithTypedVariables(context: IExecuteFunctions, name: string, itemIndex: number, fallback: unknown): unknown {
	const raw = context.getNodeParameter(name, itemIndex, fallback as never, { rawExpressions: true });
	if (!containsTypedVariables(raw)) return context.getNodeParameter(name, itemIndex, fallback as never);
	const resolve = (value: unknown): unknown => {
		if (typeof value === 'string') {
			if (!value.startsWith('=')) return value;
			// evaluateExpression adds the leading "=" itself.
			return context.evaluateExpression((holdsTypedVariables(value) ? keepTypedVariables(value) : value).slice(1), itemIndex);
		}
		if (Array.isArray(value)) return value.map(resolve);
		if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolve(entry)]));
		return value;
	};
	return resolve(raw);
}

function containsTypedVariables(value: unknown): boolean {
	if (typeof value === 'string') return holdsTypedVariables(value);
	if (Array.isArray(value)) return value.some(containsTypedVariables);
	if (value !== null && typeof value === 'object') return Object.values(value).some(containsTypedVariables);
	return false;
}
