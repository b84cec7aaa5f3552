/** What the emulator remembers about the number's account: blocked users, business profile, conversational components, resumable uploads. */
import { UploadSessions } from './uploadSessions';
import { BUSINESS } from './webhookPayloads';

export interface Automation {
	enable_welcome_message: boolean;
	commands: Array<{ command_name: string; command_description: string }>;
	prompts: string[];
}

const INITIAL_PROFILE = {
	about: 'Hello from the 360dialog emulator',
	address: 'Alexanderplatz 1, 10178 Berlin',
	description: 'A local stand-in for a WhatsApp Business number.',
	email: 'shop@example.com',
	profile_picture_url: 'https://pps.whatsapp.net/v/t61.emulator/profile.jpg',
	websites: ['https://example.com'],
	vertical: 'RETAIL',
};

export class AccountState {
	readonly phoneNumberId = BUSINESS.phoneNumberId;
	blocked: string[] = [];
	profile: Record<string, unknown> = structuredClone(INITIAL_PROFILE);
	automation: Automation = { enable_welcome_message: false, commands: [], prompts: [] };
	/** Resumable upload sessions and the handles they issued (template header examples, profile pictures). */
	readonly uploads = new UploadSessions();
	private templateSeq = 0;

	nextTemplateId(): string {
		return `12000000000${String(++this.templateSeq).padStart(5, '0')}`;
	}

	block(waId: string): void {
		if (!this.blocked.includes(waId)) this.blocked.push(waId);
	}

	unblock(waId: string): void {
		this.blocked = this.blocked.filter((each) => each !== waId);
	}

	reset(): void {
		this.blocked = [];
		this.profile = structuredClone(INITIAL_PROFILE);
		this.automation = { enable_welcome_message: false, commands: [], prompts: [] };
		this.templateSeq = 0;
		this.uploads.reset();
	}
}
