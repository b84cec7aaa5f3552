#!/usr/bin/env bash
# Proves the published tarball works with zero runtime dependencies: pack it, install it into an
# empty folder that has only n8n-workflow (what n8n provides), and require every node and
# credential file listed in the package's `n8n` attribute.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d dist ] || npm run build --silent

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack --silent --pack-destination "$work" | tail -1)
echo ">> packed $tarball ($(du -h "$work/$tarball" | cut -f1))"

workflow_version=$(node -p "require('n8n-workflow/package.json').version")
cd "$work"
echo '{"private":true}' > package.json
npm install --silent --no-audit --no-fund --ignore-scripts --loglevel=error "n8n-workflow@$workflow_version" "./$tarball"

node - <<'JS'
const path = require('path');
const root = path.resolve('node_modules/n8n-nodes-360dialog');
const pkg = require(path.join(root, 'package.json'));
if (pkg.dependencies && Object.keys(pkg.dependencies).length) {
	throw new Error(`runtime dependencies found: ${Object.keys(pkg.dependencies).join(', ')}`);
}
const installed = require('fs').readdirSync('node_modules').filter((name) => !name.startsWith('.'));
const files = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
for (const file of files) {
	const exported = require(path.join(root, file));
	const classes = Object.values(exported).filter((value) => typeof value === 'function');
	if (classes.length !== 1) throw new Error(`${file} should export one class, found ${classes.length}`);
	const instance = new classes[0]();
	const name = instance.description?.name ?? instance.name;
	if (!name) throw new Error(`${file}: exported class has no name`);
	console.log(`ok ${file} -> ${name}`);
}
console.log(`pack check passed: ${files.length} files load with only n8n-workflow installed (top-level packages: ${installed.length})`);
JS
