/** Reading the values of one item by field id, with the errors that name the missing or broken field. */
import { FieldError } from '../../../common/validation';
import type { TemplateSlot } from './names';

const isEmpty = (value: unknown): boolean =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * Reads values by id. Which ids a successful build reads follows from the definition alone, so
 * the plan knows them (`TemplatePlan.readIds`) and the reader does not track them per item.
 */
export class ValueReader {
	constructor(
		private readonly values: Record<string, unknown>,
		private readonly template: string,
	) {}

	optional(slot: Pick<TemplateSlot, 'id'>): string | undefined {
		const value = this.values[slot.id];
		if (isEmpty(value)) return undefined;
		if (typeof value === 'object') return JSON.stringify(value);
		return String(value);
	}

	required(slot: Pick<TemplateSlot, 'id' | 'label'>): string {
		const value = this.optional(slot);
		if (value === undefined) {
			throw new FieldError(slot.label, `${slot.label} is required by template ${this.template} (field "${slot.id}")`);
		}
		return value;
	}

	flag(slot: Pick<TemplateSlot, 'id' | 'label'>): boolean {
		const value = this.optional(slot);
		if (value === undefined) return false;
		const text = value.trim().toLowerCase();
		if (text === 'true' || text === '1' || text === 'yes') return true;
		if (text === 'false' || text === '0' || text === 'no') return false;
		throw new FieldError(slot.label, `${slot.label} must be true or false; got "${value}"`);
	}

	/** Fields given with a value that the template does not have (`readIds`: what the build read). */
	leftovers(readIds: ReadonlySet<string>): string[] {
		const leftovers: string[] = [];
		for (const id of Object.keys(this.values)) if (!readIds.has(id) && !isEmpty(this.values[id])) leftovers.push(id);
		return leftovers;
	}
}
