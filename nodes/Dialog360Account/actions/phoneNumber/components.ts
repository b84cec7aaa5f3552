/**
 * Conversational components (commands, ice breakers, welcome message) of this number:
 * `GET` / `POST /conversational_automation`.
 * https://docs.360dialog.com/docs/messaging-api/api-reference/conversational-components
 * Limits from Meta: up to 30 commands (name ≤ 32 characters, description ≤ 256), up to 4 ice
 * breakers (≤ 80 characters): https://developers.facebook.com/docs/whatsapp/cloud-api/phone-numbers/conversational-components
 */
import type { IDataObject } from 'n8n-workflow';

import { isRecord } from '../../../common/json';
import { countInRange, FieldError, requiredText, unique } from '../../../common/validation';

export const COMPONENT_LIMITS = { commands: 30, commandName: 32, commandDescription: 256, iceBreakers: 4, iceBreaker: 80 } as const;

export interface ComponentsForm {
	enableWelcomeMessage?: boolean;
	commands?: Array<{ name?: unknown; description?: unknown }>;
	iceBreakers?: Array<{ text?: unknown }>;
}

/** The POST body of the form; PURE. */
export function buildComponents(form: ComponentsForm): IDataObject {
	const commands = (form.commands ?? []).map((command, index) => {
		const name = requiredText(`Command ${index + 1} Name`, command.name, COMPONENT_LIMITS.commandName + 1).trim().replace(/^\//, '');
		requiredText(`Command ${index + 1} Name`, name, COMPONENT_LIMITS.commandName);
		if (/\s/.test(name)) throw new FieldError(`Command ${index + 1} Name`, `Command ${index + 1} Name "${name}" may not contain spaces (users type /${name.split(/\s/)[0]})`);
		return { command_name: name, command_description: requiredText(`Command ${index + 1} Description`, command.description, COMPONENT_LIMITS.commandDescription) };
	});
	countInRange('Commands', commands.length, 0, COMPONENT_LIMITS.commands, 'commands');
	unique(commands.map((command, index) => ({ label: `Command ${index + 1}`, value: command.command_name })), 'Name');
	const prompts = (form.iceBreakers ?? []).map((entry, index) => requiredText(`Ice Breaker ${index + 1}`, entry.text, COMPONENT_LIMITS.iceBreaker));
	countInRange('Ice Breakers', prompts.length, 0, COMPONENT_LIMITS.iceBreakers, 'ice breakers');
	unique(prompts.map((prompt, index) => ({ label: `Ice Breaker ${index + 1}`, value: prompt })), 'Text');
	return { enable_welcome_message: form.enableWelcomeMessage === true, commands, prompts };
}

/** The node's output of a GET answer; PURE. */
export function readComponents(answer: unknown): IDataObject {
	const automation = isRecord(answer) && isRecord(answer.conversational_automation) ? answer.conversational_automation : {};
	const commands = Array.isArray(automation.commands) ? automation.commands.filter(isRecord) : [];
	return {
		welcomeMessage: automation.enable_welcome_message === true,
		commands: commands.map((command) => ({ name: command.command_name, description: command.command_description })),
		iceBreakers: Array.isArray(automation.prompts) ? automation.prompts : [],
	};
}
