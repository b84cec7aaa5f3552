#!/usr/bin/env bash
# `npm run test:scan`: n8n's community-package scan (what n8n runs before it lists a package as verified),
# run on this working copy BEFORE anything is published.
#
# n8n's scanner, @n8n/scan-community-package, only takes a published name (`npx @n8n/scan-community-package
# n8n-nodes-360dialog`): it reads the package's registry metadata, fails without npm provenance, downloads the
# GitHub source at the commit the provenance attests, `npm pack`s the published version, and lints both with
# ESLint (n8n's community-node rules, inline `eslint-disable` comments IGNORED). It cannot take a tarball or a
# folder. So this script runs the scanner's own code (its exported `analyzePackage` and `SOURCE_FILE_PATTERNS`,
# with the rule set and plugin versions it pins) on the two things it would lint:
#   1. source:  the files a checkout of this commit has (tracked + new, not ignored), with the scanner's source
#               patterns (package.json, {nodes,credentials}/**/*.{js,ts,json});
#   2. tarball: what `npm pack` makes after `npm run build`, with the scanner's tarball patterns (**/*.js,
#               package.json): the published artifact, bundled code included.
# and then checks what the scanner needs but can only check after publishing, plus n8n's verification rules
# that can be read off the tarball: a github.com repository URL (the scanner fetches sources from GitHub
# only), provenance switched on (publishConfig + the release workflow's `--provenance` and `id-token: write`),
# MIT licence, no runtime dependencies, every file named in package.json "n8n" inside the tarball.
#
# The scanner is installed once into a cache OUTSIDE the repository (like the pinned n8n of n8n-env.sh).
# Knobs: SCAN_PACKAGE_VERSION (default 0.32.0), SCAN_CACHE_DIR (default ~/.cache/n8n-360dialog),
#        SCAN_SKIP_BUILD=1 (use the existing dist/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PKG_DIR=$(pwd)

SCAN_PACKAGE_VERSION=${SCAN_PACKAGE_VERSION:-0.32.0}
SCAN_CACHE_DIR=${SCAN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-360dialog}
SCANNER_PREFIX="$SCAN_CACHE_DIR/scan-community-package-$SCAN_PACKAGE_VERSION"
SCANNER="$SCANNER_PREFIX/node_modules/@n8n/scan-community-package/scanner/scanner.mjs"
npm_flags=(--no-audit --no-fund --loglevel=error --no-update-notifier)

case "$SCAN_CACHE_DIR" in
  "$PKG_DIR"|"$PKG_DIR"/*) echo "scan: SCAN_CACHE_DIR must be outside the repository" >&2; exit 2 ;;
esac

# ---- the scanner, installed once ----------------------------------------------------------------------
if [ ! -f "$SCANNER_PREFIX/.scan-ok" ] || [ ! -f "$SCANNER" ]; then
  mkdir -p "$SCAN_CACHE_DIR"
  (
    flock 9
    if [ ! -f "$SCANNER_PREFIX/.scan-ok" ] || [ ! -f "$SCANNER" ]; then
      echo ">> installing @n8n/scan-community-package@$SCAN_PACKAGE_VERSION into $SCANNER_PREFIX (once)" >&2
      stage="$SCANNER_PREFIX.partial"
      rm -rf "$stage" && mkdir -p "$stage"
      echo '{"name":"n8n-360dialog-scanner","private":true}' > "$stage/package.json"
      (cd "$stage" && npm install "${npm_flags[@]}" --ignore-scripts --save-exact "@n8n/scan-community-package@$SCAN_PACKAGE_VERSION" >&2)
      rm -rf "$SCANNER_PREFIX" && mv "$stage" "$SCANNER_PREFIX"
      date -u +%FT%TZ > "$SCANNER_PREFIX/.scan-ok"
    fi
  ) 9>"$SCAN_CACHE_DIR/.scan-community-package.lock"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- 1. the source a checkout has ---------------------------------------------------------------------
mkdir -p "$work/source"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # tracked and new files, not ignored ones (dist/, node_modules/): what GitHub's tarball of the commit holds
  git ls-files -z --cached --others --exclude-standard -- package.json nodes credentials |
    while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
    xargs -0 -r cp --parents -t "$work/source"
else
  cp -R package.json nodes credentials "$work/source/"
fi

# ---- 2. the tarball ---------------------------------------------------------------------------------------
if [ "${SCAN_SKIP_BUILD:-0}" != 1 ]; then
  echo ">> npm run build" >&2
  npm run build --silent >/dev/null
fi
tarball=$(npm pack "${npm_flags[@]}" --ignore-scripts --silent --pack-destination "$work" | tail -1)
mkdir -p "$work/package"
tar -xzf "$work/$tarball" -C "$work/package" --strip-components=1
echo ">> packed $tarball ($(du -h "$work/$tarball" | cut -f1))" >&2

# ---- 3. the scan ----------------------------------------------------------------------------------------
# The scanner makes a temp dir when it is imported; keep it inside $work.
TMPDIR="$work" node --input-type=module - "$SCANNER" "$work/source" "$work/package" "$PKG_DIR" "$SCAN_PACKAGE_VERSION" <<'JS'
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [scannerPath, sourceDir, packageDir, repoDir, scannerVersion] = process.argv.slice(2);
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerPath).href);
let failed = false;

async function leg(name, dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	if (result.passed) {
		console.log(`ok   ${name}: no ESLint errors (${patterns.join(', ')})`);
	} else {
		failed = true;
		console.log(`FAIL ${name}: ${result.message}`);
		if (result.details) console.log(result.details.split(dir + path.sep).join(''));
	}
}

function check(ok, what, why) {
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : `: ${why}`}`);
	if (!ok) failed = true;
}

console.log(`@n8n/scan-community-package ${scannerVersion}, run on this working copy`);
await leg('source (as checked out at the attested commit)', sourceDir, SOURCE_FILE_PATTERNS);
await leg('tarball (npm pack)', packageDir, ['**/*.js', 'package.json']);

const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
const repoUrl = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url ?? '';
check(
	/^git\+https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?(\.git)?$/.test(repoUrl),
	'repository.url is a public GitHub repository (the scanner fetches the attested source from github.com only)',
	`got "${repoUrl}"`,
);
check(pkg.publishConfig?.provenance === true, 'publishConfig.provenance is true', 'npm publish must attach provenance: the scanner fails without it');
const workflowFile = path.join(repoDir, '.github', 'workflows', 'release.yml');
const workflow = fs.existsSync(workflowFile) ? fs.readFileSync(workflowFile, 'utf8') : '';
check(
	/id-token:\s*write/.test(workflow) && /npm publish[^\n]*--provenance/.test(workflow),
	'.github/workflows/release.yml publishes from GitHub Actions with --provenance and id-token: write',
	workflow ? 'missing --provenance or id-token: write' : 'file missing',
);
check(pkg.license === 'MIT', 'licence is MIT', `got "${pkg.license}"`);
const deps = Object.keys(pkg.dependencies ?? {});
check(deps.length === 0, 'no runtime dependencies', deps.join(', '));
const declared = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
const missing = declared.filter((file) => !fs.existsSync(path.join(packageDir, file)));
check(declared.length > 0 && missing.length === 0, `the ${declared.length} files named in package.json "n8n" are in the tarball`, `missing: ${missing.join(', ') || 'none declared'}`);
for (const file of declared.filter((f) => f.endsWith('.node.js'))) {
	const codex = path.join(packageDir, file.replace(/\.js$/, '.json'));
	const expected = `${pkg.name}.${path.basename(file, '.node.js').replace(/^./, (c) => c.toLowerCase())}`;
	const node = fs.existsSync(codex) ? JSON.parse(fs.readFileSync(codex, 'utf8')).node : undefined;
	check(node === expected, `codex ${path.basename(codex)} names "${expected}"`, `got "${node}"`);
}

console.log(failed ? '\nscan: FAILED' : '\nscan: passed (provenance itself is only checkable once published: npx @n8n/scan-community-package n8n-nodes-360dialog)');
process.exit(failed ? 1 : 0);
JS
