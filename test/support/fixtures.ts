/**
 * The test fixtures in `test/fixtures/` (webhook bodies, the media files behind them, API error
 * bodies, Meta's OpenAPI spec); the one place that knows where they live. Every load returns a fresh object, so a test may
 * mutate what it gets.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Repository root: this file lives in <root>/test/support. */
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES_ROOT = path.join(REPO_ROOT, 'test', 'fixtures');

/** Meta's OpenAPI spec for the WhatsApp Business Messaging API (facebook/openapi, MIT, licence beside it). */
export const META_SPEC_PATH = path.join(FIXTURES_ROOT, 'spec', 'meta-business-messaging-api_v23.0.yaml');
export const WEBHOOK_FIXTURES_DIR = path.join(FIXTURES_ROOT, 'webhooks');
export const ERROR_FIXTURES_DIR = path.join(FIXTURES_ROOT, 'errors');
/** Small real files behind the media IDs the webhook fixtures use (`<media id>.<ext>`), served by the emulator. */
export const MEDIA_FIXTURES_DIR = path.join(FIXTURES_ROOT, 'media');

/** Absolute path inside the fixtures folder, e.g. fixturePath('webhooks', 'message-text.json'). */
export function fixturePath(...segments: string[]): string {
	return path.join(FIXTURES_ROOT, ...segments);
}

function withJsonExtension(name: string): string {
	return name.endsWith('.json') ? name : `${name}.json`;
}

/** A webhook fixture body by name, with or without `.json` (`'message-text'`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index into bodies freely
export function loadWebhookFixture<T = any>(name: string): T {
	return JSON.parse(fs.readFileSync(fixturePath('webhooks', withJsonExtension(name)), 'utf8')) as T;
}

/** Names of all webhook fixtures without `.json`, sorted. */
export function listWebhookFixtures(): string[] {
	return fs
		.readdirSync(fixturePath('webhooks'))
		.filter((file) => file.endsWith('.json'))
		.map((file) => file.slice(0, -'.json'.length))
		.sort();
}

/** An API error body fixture by name, with or without `.json` (`'graph-130429-rate-limit-hit'`). */
export function loadErrorFixture<T = unknown>(name: string): T {
	return JSON.parse(fs.readFileSync(fixturePath('errors', withJsonExtension(name)), 'utf8')) as T;
}
