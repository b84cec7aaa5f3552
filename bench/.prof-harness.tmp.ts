import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { measureTemplateBuild } from './templateBuild';
async function main() {
	const out = process.argv[2];
	const n = Number(process.argv[3] ?? 20000);
	await measureTemplateBuild(5000, 10_000_000); // warm
	const session = new Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.setSamplingInterval', { interval: 100 });
	await session.post('Profiler.start');
	for (let r = 0; r < 3; r++) {
		const res = await measureTemplateBuild(n, r * (n + 1000));
		console.log(res.microsPerItem.toFixed(2), res.cpuMicrosPerItem.toFixed(2));
	}
	const { profile } = await session.post('Profiler.stop');
	writeFileSync(out, JSON.stringify(profile));
}
void main();
