/**
 * The editor in a real browser: a real n8n (pinned 2.41.1) with this package installed from its tarball, driven
 * through headless Chromium (Debian's `chromium` package) with playwright-core. Run: bash scripts/e2e.sh
 * (or: bash scripts/e2e.sh test/e2e/editor.e2e.ts).
 *
 * 1. Sign in as the owner through the sign-in form; a credential pointing at the in-process 360dialog emulator
 *    exists (created through the public API), so the template picker has something to list.
 * 2. New workflow → node creator search "360dialog" → the Send node. Message Type Text, Interactive (List) and
 *    Template each show their own fields and none of the others'. The template picker lists the emulator's
 *    templates, and picking one loads its variables as fields.
 * 3. A workflow with a trigger → the 360dialog Account's action "Create a template": the Template → Create form
 *    (name, language, category, header, body with its variable examples, footer, buttons), nothing of the JSON mode.
 * 4. New workflow → the 360dialog Trigger: the Production URL under "Webhook URLs" and the Webhook Secret field
 *    (Manual registration) are shown; the autosaved workflow holds that URL's webhook id and the secret; once
 *    activated, the URL shown answers a delivery with the secret with 200 and one without with 401.
 *
 * Screenshots (looked at by a human, used in the README): docs/images/send-text.png, send-interactive-list.png,
 * send-template.png, account-template-create.png, trigger.png (directory: E2E_SCREENSHOT_DIR, default <repo>/.e2e-artifacts/screenshots, ignored by
 * git; `npm run screenshots` refreshes the README's copies in docs/images).
 *
 * Needs: Debian `chromium` (apt-get install -y chromium) and the `playwright-core` dev dependency. Without them the
 * suite is SKIPPED with the reason, unless E2E_REQUIRE_BROWSER=1 (CI), which makes it fail instead.
 * Knobs: CHROMIUM_PATH (default /usr/bin/chromium), E2E_HEADED=1 (needs a display), E2E_UI_TIMEOUT_MS (default 60000).
 *
 * Selectors: n8n's own `data-test-id` attributes (what n8n's Playwright suite uses) and accessible roles/labels,
 * read off the n8n 2.41.1 DOM. Parameter inputs are `parameter-input-<parameter name>`, labels `input-label`.
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import { startEmulator, type Emulator } from '../emulator';
import { loadWebhookFixture } from '../support/fixtures';
import { N8n, OWNER, type N8nServer } from './lib/n8n';

const PACKAGE = process.env.E2E_PACKAGE_NAME ?? 'n8n-nodes-360dialog';
const SCREENSHOT_DIR = path.resolve(process.env.E2E_SCREENSHOT_DIR ?? path.join(__dirname, '..', '..', '.e2e-artifacts', 'screenshots'));
const UI_TIMEOUT_MS = Number(process.env.E2E_UI_TIMEOUT_MS ?? 60_000);
const VIEWPORT = { width: 1440, height: 1200 };
/** The flags this machine needs (see the machine notes): no sandbox as root, and no background traffic. */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const WEBHOOK_SECRET = 'e2e-editor-secret-0123456789';
const SECRET_HEADER = 'X-360-Webhook-Secret';

type Playwright = typeof import('playwright-core');

/** playwright-core and a Chromium binary, or why not. */
function loadBrowserTooling(): { playwright?: Playwright; executablePath?: string; problem?: string } {
	let playwright: Playwright;
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- optional until installed; see the header
		playwright = require('playwright-core') as Playwright;
	} catch {
		return { problem: 'playwright-core is not installed (add the dev dependency playwright-core)' };
	}
	const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
	const executablePath = candidates.find((file) => fs.existsSync(file));
	if (!executablePath) return { problem: `no Chromium at ${candidates.join(' or ')} (apt-get install -y chromium, or set CHROMIUM_PATH)` };
	return { playwright, executablePath };
}

const tooling = loadBrowserTooling();
const requireBrowser = process.env.E2E_REQUIRE_BROWSER === '1';
const skip = tooling.problem && !requireBrowser ? `skipped: ${tooling.problem}` : false;

/** First line of each visible parameter label of the open node (display names as n8n renders them). */
async function visibleLabels(page: Page): Promise<string[]> {
	const texts = await page.getByTestId('node-parameters').getByTestId('input-label').filter({ visible: true }).allInnerTexts();
	return texts.map((t) => t.split('\n')[0].trim()).filter(Boolean);
}

/**
 * Labels the panel cuts off (text wider than its box, shown with an ellipsis) at the default panel
 * width: a label must be readable whole.
 */
async function truncatedLabels(page: Page): Promise<string[]> {
	return await page
		.getByTestId('node-parameters')
		.getByTestId('input-label')
		.filter({ visible: true })
		.evaluateAll((labels) => {
			type Box = { scrollWidth: number; clientWidth: number; innerText: string; querySelectorAll(s: string): ArrayLike<Box> };
			const cut: string[] = [];
			for (const label of labels as unknown as Box[]) {
				for (const box of [label, ...Array.from(label.querySelectorAll('*'))]) {
					if (box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1) {
						cut.push(label.innerText.split('\n')[0].trim());
						break;
					}
				}
			}
			return cut;
		});
}

function assertLabels(labels: string[], expected: string[], absent: string[], what: string): void {
	const missing = expected.filter((l) => !labels.includes(l));
	assert.deepEqual(missing, [], `${what}: fields not shown. Visible labels: ${labels.join(' | ')}`);
	const leaked = absent.filter((l) => labels.includes(l));
	assert.deepEqual(leaked, [], `${what}: fields of another message type shown. Visible labels: ${labels.join(' | ')}`);
}

/** The input (or textarea) of parameter `name` inside `scope`. */
const inputOf = (scope: Page | Locator, name: string): Locator =>
	scope.getByTestId(`parameter-input-${name}`).locator('input, textarea').first();

/** Opens the options dropdown of parameter `name` and picks the option whose headline is exactly `label`. */
async function chooseOption(page: Page, name: string, label: string): Promise<void> {
	await page.getByTestId(`parameter-input-${name}`).click();
	await page
		.getByRole('option')
		.filter({ visible: true })
		.filter({ has: page.getByText(label, { exact: true }) })
		.first()
		.click();
	// the select shows the chosen option's name as its value
	await page.waitForFunction(
		([sel, want]) => {
			// runs in the page; this tsconfig has no DOM lib
			type Input = { value: string; placeholder: string };
			const input = (globalThis as unknown as { document: { querySelector(s: string): Input | null } }).document.querySelector(`${sel} input`);
			return !!input && (input.value === want || input.placeholder === want);
		},
		[`[data-test-id="parameter-input-${name}"]`, label] as const,
	);
}

async function screenshot(page: Page, file: string, t: TestContext): Promise<void> {
	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const target = path.join(SCREENSHOT_DIR, file);
	// no focus ring, hint popup ("Tip: ...") or hover toolbar over the fields; the form from its top
	await page.evaluate(() => (globalThis as unknown as { document: { activeElement?: { blur?(): void } } }).document.activeElement?.blur?.());
	await page.mouse.move(1, VIEWPORT.height - 1);
	await page.getByTestId('node-parameters').evaluate((el) => (el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
	// let fonts, icons and the credential chip settle (nothing to wait for by selector)
	await page.waitForTimeout(500);
	await page.screenshot({ path: target });
	t.diagnostic(`screenshot ${path.relative(process.cwd(), target)}`);
}

/** Opens a new empty workflow and the node creator, searches, and clicks the item whose description matches. */
/**
 * Adds a node through the node creator: search "360dialog", click the entry whose text matches `entry`, then, when
 * the entry opens a list of actions (a node with operations; n8n also lists the Trigger of the same service
 * there), the action or trigger matching `action`; a community node without actions opens a details panel
 * with "Add to workflow".
 */
async function addNodeFromCreator(page: Page, workflowUrl: string, entry: RegExp, action: RegExp, t: TestContext): Promise<void> {
	await page.goto(workflowUrl);
	// an empty workflow asks for its first node (triggers only); a workflow with a trigger offers actions
	await page.getByTestId('canvas-plus-button').or(page.getByTestId('node-creator-plus-button')).first().click();
	await page.getByTestId('node-creator-search-bar').fill('360dialog');
	const items = page.locator('[data-test-id="node-creator-node-item"], [data-test-id="node-creator-action-item"], [data-test-id="item-iterator-item"]');
	const wanted = items.filter({ hasText: entry }).first();
	try {
		await wanted.waitFor({ timeout: 15_000 });
	} catch {
		throw new Error(`the node creator shows no item matching ${entry}; it shows: ${(await items.allInnerTexts()).join(' | ')}`);
	}
	await wanted.click();
	const actionItem = items.filter({ hasText: action }).first();
	const addButton = page.getByRole('button', { name: 'Add to workflow' });
	const ndv = page.getByTestId('ndv');
	try {
		await actionItem.or(addButton).or(ndv).first().waitFor({ timeout: 15_000 });
	} catch {
		await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'node-creator-failure.png') });
		throw new Error(`after choosing ${entry} the node creator shows no ${action} and no "Add to workflow": ${(await items.allInnerTexts()).join(' | ')}`);
	}
	t.diagnostic(`node creator after "${entry.source}": ${(await items.allInnerTexts()).map((x) => x.split('\n')[0]).join(' | ')}`);
	// an action, then possibly a details panel, until the node's parameters are open
	for (let step = 0; step < 3 && !(await ndv.isVisible()); step++) {
		if (await actionItem.isVisible()) await actionItem.click();
		else if (await addButton.isVisible()) await addButton.click();
		await actionItem.or(addButton).or(ndv).first().waitFor({ timeout: 15_000 });
	}
	await ndv.waitFor();
}

describe('editor: the nodes in a real browser', { skip }, () => {
	let emulator: Emulator | undefined;
	let n8n: N8n | undefined;
	let srv: N8nServer | undefined;
	let browser: Browser | undefined;
	let context: BrowserContext | undefined;
	let page: Page;
	const t0 = Date.now();
	const timings: string[] = [];
	const mark = (what: string, since: number) => timings.push(`${what} ${((Date.now() - since) / 1000).toFixed(1)} s`);

	before(async () => {
		if (tooling.problem) throw new Error(`E2E_REQUIRE_BROWSER=1 but ${tooling.problem}`);
		let t = Date.now();
		emulator = await startEmulator();
		n8n = await N8n.fresh();
		srv = await n8n.startServer();
		mark('n8n ready', t);
		await srv.api('POST', '/credentials', {
			name: '360dialog (emulator)',
			type: 'dialog360Api',
			data: { apiKey: emulator.apiKey, environment: 'custom', baseUrl: emulator.url },
		});

		t = Date.now();
		browser = await tooling.playwright!.chromium.launch({
			executablePath: tooling.executablePath,
			headless: process.env.E2E_HEADED !== '1',
			args: CHROMIUM_ARGS, // playwright adds a fresh temporary --user-data-dir itself
		});
		tooling.playwright!.selectors.setTestIdAttribute('data-test-id');
		context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
		context.setDefaultTimeout(UI_TIMEOUT_MS);
		page = await context.newPage();
		mark('chromium', t);

		t = Date.now();
		await page.goto(`${srv.baseUrl}/signin`);
		await page.getByLabel('Email').fill(OWNER.email);
		await page.getByLabel('Password').fill(OWNER.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
		mark('sign-in', t);
	});

	after(async () => {
		await context?.close().catch(() => undefined);
		await browser?.close().catch(() => undefined);
		await srv?.stop();
		await n8n?.dispose();
		await emulator?.close();
		mark('total', t0);
		console.log(`  editor e2e timings: ${timings.join(', ')}`);
	});

	test('the node creator finds "360dialog" and adds it with the Text form', async (t) => {
		const t1 = Date.now();
		// The Send node is an action: n8n offers actions once the workflow has a trigger.
		const withTrigger = await srv!.createWorkflow({
			name: 'editor test: send',
			nodes: [{ id: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
			connections: {},
		});
		await addNodeFromCreator(page, `${srv!.baseUrl}/workflow/${withTrigger}`, /360dialog/, /Send a message/, t);
		// community nodes open a details panel with "Add to workflow" (n8n 2.41); older/newer versions add directly
		const add = page.getByRole('button', { name: 'Add to workflow' });
		await add.or(page.getByTestId('ndv')).first().waitFor();
		if (await add.isVisible()) await add.click();
		await page.getByTestId('ndv').waitFor();
		await page.getByTestId('parameter-input-messageType').waitFor();

		// the credential of the type is picked automatically
		await page.getByTestId('node-credentials-select').waitFor();
		assert.match(await page.getByTestId('node-credentials-select').locator('input').inputValue(), /360dialog \(emulator\)/);

		assertLabels(
			await visibleLabels(page),
			['Message Type', 'To', 'Text', 'Show Link Preview', 'Options'],
			['Interactive Type', 'Button Text', 'Sections', 'Template', 'Template Variables'],
			'Text',
		);
		await inputOf(page, 'to').fill('+49 151 12345678');
		await inputOf(page, 'textBody').fill('Hi Max, your order 4711 has shipped! Track it here: https://example.com/track/4711');
		await screenshot(page, 'send-text.png', t);
		mark('send: text', t1);
	});

	test('Message Type Interactive → List shows the list fields', async (t) => {
		const t1 = Date.now();
		await chooseOption(page, 'messageType', 'Interactive');
		await chooseOption(page, 'interactiveType', 'List');
		assertLabels(
			await visibleLabels(page),
			['Message Type', 'To', 'Interactive Type', 'Header Text', 'Body Text', 'Footer Text', 'Button Text', 'Specify Sections', 'Sections'],
			['Text', 'Show Link Preview', 'Template', 'Buttons', 'URL'],
			'Interactive (List)',
		);
		await inputOf(page, 'interactiveHeaderText').fill('Your order 4711');
		await inputOf(page, 'interactiveBodyText').fill('Hi Max, what would you like to do?');
		await inputOf(page, 'interactiveListButtonText').fill('See options');

		// Sections → Add Section → Section Title + Rows → Add Row → Row Title / Row ID / Description
		const sections = page.getByTestId('fixed-collection-interactiveListSections');
		await sections.getByTestId('fixed-collection-add').last().click();
		await inputOf(sections, 'title').fill('Orders');
		const rows = sections.getByTestId('fixed-collection-rows');
		await rows.getByTestId('fixed-collection-add').click();
		await inputOf(rows, 'title').fill('Track my parcel');
		await inputOf(rows, 'id').fill('track');
		await inputOf(rows, 'description').fill('Where is my order right now?');
		const labels = await visibleLabels(page);
		for (const l of ['Section Title', 'Rows', 'Row Title', 'Row ID', 'Description']) assert.ok(labels.includes(l), `no "${l}" in ${labels.join(' | ')}`);
		await screenshot(page, 'send-interactive-list.png', t);
		mark('send: interactive list', t1);
	});

	test('Message Type Template: the picker lists the account\'s templates and a template loads its variables', async (t) => {
		const t1 = Date.now();
		await chooseOption(page, 'messageType', 'Template');
		assertLabels(
			await visibleLabels(page),
			['Message Type', 'To', 'Template', 'Variables Input'],
			['Text', 'Interactive Type', 'Button Text', 'Sections', 'Body Text'],
			'Template',
		);

		// the resource locator's list comes from the emulator's GET /v1/configs/templates
		const templateListCalls = () => emulator!.requests().filter((r) => r.method === 'GET' && r.url.startsWith('/v1/configs/templates')).length;
		const callsBefore = templateListCalls();
		await page.getByTestId('resource-locator-template').getByTestId('rlc-input').click();
		const items = page.getByTestId('rlc-item');
		await items.first().waitFor();
		const listed = await items.allInnerTexts();
		const expected = emulator!.templates.filter((tpl) => tpl.status === 'APPROVED').length;
		t.diagnostic(`template picker lists ${listed.length} templates (emulator: ${expected} approved)`);
		assert.ok(listed.some((s) => s.startsWith('appointment_reminder (en_US)')), `picker items: ${listed.join(' | ')}`);
		assert.equal(listed.length, expected, 'the picker shows every approved template of the account');

		await page.getByTestId('rlc-search').fill('appointment');
		await items.filter({ hasText: 'appointment_reminder (en_US)' }).first().click();
		// the resourceMapper loads one field per variable of the chosen template
		const firstName = inputOf(page, 'body.first_name');
		await firstName.waitFor();
		const labels = await visibleLabels(page);
		assert.ok(labels.includes('Template Variables'), labels.join(' | '));
		for (const id of ['header.text.clinic_name', 'body.first_name', 'body.appointment_date', 'body.appointment_time']) {
			await inputOf(page, id).waitFor();
		}
		await inputOf(page, 'to').fill('+49 151 12345678');
		await inputOf(page, 'header.text.clinic_name').fill('Praxis Mitte');
		await firstName.fill('Max');
		await inputOf(page, 'body.appointment_date').fill('15 January 2026');
		await inputOf(page, 'body.appointment_time').fill('10:30');
		assert.deepEqual(await truncatedLabels(page), [], 'template variable labels are shown whole at the default panel width');
		// listing and picking share one load of the account's templates (the editor methods' short cache)
		const pages = Math.ceil(emulator!.templates.length / 250) || 1; // TEMPLATE_PAGE_SIZE.configs
		const calls = templateListCalls() - callsBefore;
		t.diagnostic(`GET /v1/configs/templates while listing and picking: ${calls}`);
		assert.ok(calls <= pages, `listing and picking one template loaded the template list ${calls} times (${pages} page(s) expected)`);
		await screenshot(page, 'send-template.png', t);
		mark('send: template', t1);
	});

	test('Operation Send and Wait for Reply: reply buttons with a wait limit', async (t) => {
		const t1 = Date.now();
		await chooseOption(page, 'operation', 'Send and Wait for Reply');
		await chooseOption(page, 'responseType', 'Reply Buttons');
		assertLabels(
			await visibleLabels(page),
			['Operation', 'To', 'Message', 'Response Type', 'Options', 'Limit Wait Time'],
			['Message Type', 'Template', 'Text', 'Approve Button Label'],
			'Send and Wait (Reply Buttons)',
		);
		await inputOf(page, 'to').fill('+49 151 12345678');
		await inputOf(page, 'waitMessage').fill('Your appointment on Tuesday, 10:30: does it still suit you?');
		const choices = page.getByTestId('fixed-collection-waitChoices');
		for (const [title, value] of [['Yes, see you', 'yes'], ['Move it', 'move']]) {
			await choices.getByTestId('fixed-collection-add').last().click();
			await choices.getByTestId('parameter-input-title').last().locator('input, textarea').first().fill(title);
			await choices.getByTestId('parameter-input-value').last().locator('input, textarea').first().fill(value);
		}
		assert.deepEqual(await truncatedLabels(page), [], 'Send and Wait labels are shown whole');
		await screenshot(page, 'send-and-wait.png', t);
		mark('send and wait', t1);
	});

	test('360dialog Account: the action "Create a template" opens the Template → Create form', async (t) => {
		const t1 = Date.now();
		const withTrigger = await srv!.createWorkflow({
			name: 'editor test: account',
			nodes: [{ id: 'a1b2c3d4-0000-4000-8000-000000000002', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
			connections: {},
		});
		await addNodeFromCreator(page, `${srv!.baseUrl}/workflow/${withTrigger}`, /360dialog Account/, /Create a template/, t);
		await page.getByTestId('parameter-input-templateName').waitFor();
		assertLabels(
			await visibleLabels(page),
			['Resource', 'Operation', 'Definition', 'Template Name', 'Language', 'Category', 'Variable Style', 'Header Type', 'Body', 'Body Variable Examples', 'Footer', 'Buttons'],
			['Template JSON', 'Phone Numbers', 'Webhook URL'],
			'Account: Template Create',
		);
		await inputOf(page, 'templateName').fill('order_shipped');
		// Typing "{{" makes n8n switch the field to an expression, which would evaluate "{{1}}" to "1": a template's
		// variables are plain text, so the body goes back to Fixed (the text stays as typed).
		const bodyText = 'Hi {{1}}, your order {{2}} has shipped. Thank you for shopping with us!';
		await inputOf(page, 'body').fill(bodyText);
		const bodyLabel = page.getByTestId('node-parameters').getByTestId('input-label').filter({ has: page.locator('label[for="body"]') });
		const fixed = bodyLabel.getByTestId('radio-button-fixed');
		if (await fixed.count()) {
			await bodyLabel.hover();
			await fixed.click({ force: true });
		}
		await page.getByTestId('parameter-input-body').locator('textarea, input').first().waitFor();
		assert.equal(await inputOf(page, 'body').inputValue(), bodyText, 'the body is plain text with its {{n}} variables');
		await inputOf(page, 'footer').fill('Example Shop');
		const examples = page.getByTestId('fixed-collection-bodyExamples');
		for (const [variable, example] of [['1', 'Max'], ['2', '4711']]) {
			await examples.getByTestId('fixed-collection-add').last().click();
			await examples.getByTestId('parameter-input-variable').last().locator('input, textarea').first().fill(variable);
			await examples.getByTestId('parameter-input-example').last().locator('input, textarea').first().fill(example);
		}
		await screenshot(page, 'account-template-create.png', t);
		t.diagnostic(`truncated labels: ${JSON.stringify(await truncatedLabels(page))}`);
		assert.deepEqual(await truncatedLabels(page), [], 'Template Create labels are shown whole');
		mark('account: template create', t1);
	});

	test('360dialog Trigger: the webhook URL and the secret are shown; the URL shown works with that secret', async (t) => {
		const t1 = Date.now();
		await addNodeFromCreator(page, `${srv!.baseUrl}/workflow/new`, /360dialog/, /360dialog Trigger|Starts the workflow when WhatsApp|On new 360dialog event/, t);
		// The Trigger has no node-creator actions of its own (its event selector is not labelled "Trigger On"/"Events");
		// n8n lists it under the 360dialog entry next to the Send node's actions, or as its own entry.
		await page.getByTestId('parameter-input-registration').waitFor();

		// "Webhook URLs" is collapsed at first; show the Production URL
		const webhooks = page.locator('.webhooks');
		await webhooks.getByText('Webhook URLs').click();
		await page.getByTestId('radio-button-production').click();
		const url = (await webhooks.locator('.webhook-url').innerText()).trim();
		t.diagnostic(`production URL shown: ${url}`);
		const m = new RegExp(`^${srv!.baseUrl.replace(/[.]/g, '\\.')}/webhook/([0-9a-f-]{36})/webhook$`).exec(url);
		assert.ok(m, `unexpected production URL "${url}"`);
		const webhookId = m[1];

		await chooseOption(page, 'registration', 'Manual');
		const labels = await visibleLabels(page);
		for (const l of ['Registration', 'Webhook Secret', 'Start Workflow On']) assert.ok(labels.includes(l), `no "${l}" in ${labels.join(' | ')}`);
		const secret = inputOf(page, 'webhookSecret');
		assert.equal(await secret.getAttribute('type'), 'password', 'the secret is a password field');
		await secret.fill(WEBHOOK_SECRET);
		assert.equal(await secret.inputValue(), WEBHOOK_SECRET);
		const params = await page.getByTestId('node-parameters').innerText();
		assert.match(params, new RegExp(SECRET_HEADER), 'the Manual instructions name the secret header');
		await screenshot(page, 'trigger.png', t);

		// the editor autosaves: the stored node has the webhook id of the URL shown, and the secret
		const workflowId = /\/workflow\/([^/?#]+)/.exec(page.url())?.[1];
		assert.ok(workflowId, `no workflow id in ${page.url()}`);
		type StoredNode = { type: string; webhookId?: string; parameters: Record<string, unknown> };
		let trigger: StoredNode | undefined;
		for (const until = Date.now() + 30_000; Date.now() < until; await page.waitForTimeout(500)) {
			// 404 until the first autosave of a new workflow has gone through
			const wf = await srv!.api<{ nodes: StoredNode[] }>('GET', `/workflows/${workflowId}`).catch(() => undefined);
			trigger = wf?.nodes.find((n) => n.type === `${PACKAGE}.dialog360Trigger`);
			if (trigger?.parameters.webhookSecret === WEBHOOK_SECRET) break;
		}
		assert.equal(trigger?.webhookId, webhookId, 'the URL shown is the stored node\'s webhook');
		assert.equal(trigger?.parameters.registration, 'manual');
		assert.equal(trigger?.parameters.webhookSecret, WEBHOOK_SECRET, 'the secret typed was saved');

		// and that URL is live once the workflow is active: with the secret 200 (empty body), without 401
		await srv!.activate(workflowId);
		const body = loadWebhookFixture('message-text');
		const webhookPath = new URL(url).pathname.replace(/^\/webhook\//, '');
		const ok = await srv!.webhook(webhookPath, body, { headers: { [SECRET_HEADER]: WEBHOOK_SECRET } });
		assert.equal(ok.status, 200, await ok.text());
		const refused = await srv!.webhook(webhookPath, body);
		assert.equal(refused.status, 401, await refused.text());
		const [execution] = await srv!.waitForExecutions(workflowId, 1);
		assert.equal(execution.status, 'success');
		mark('trigger', t1);
	});

	test('Trigger, Manual registration: the instructions are steps, one value per line, with their placeholders', async () => {
		// n8n renders notices as HTML (only <a>, <ul>, <li> kept): a placeholder written as a tag would disappear
		// and leave "url": "", and a <br> would run the steps together
		const params = await page.getByTestId('node-parameters').innerText();
		assert.match(params, /"url": "PRODUCTION_URL"/, `the example body lost its placeholders: ${params}`);
		const lines = params.split('\n').map((line) => line.trim());
		for (const step of ['1. Copy', '2. Fill in', '3. Send', 'POST https://waba-v2.360dialog.io/v1/configs/webhook', 'Header D360-API-KEY', 'Body {"url"', '4. Activate']) {
			assert.ok(lines.some((line) => line.startsWith(step)), `"${step}" does not start a line of the instructions:\n${params}`);
		}
	});
});
