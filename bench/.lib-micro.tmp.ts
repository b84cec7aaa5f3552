import { parsePhoneNumberFromString, isValidPhoneNumber } from 'libphonenumber-js/max';
const N = 100000;
function t(name: string, fn: (i: number) => unknown) {
	for (let i = 0; i < 5000; i++) fn(i + 50_000_000);
	const runs: number[] = [];
	for (let r = 0; r < 5; r++) {
		const c = process.cpuUsage();
		for (let i = 0; i < N; i++) fn(r * N + i);
		const u = process.cpuUsage(c);
		runs.push((u.user + u.system) / N);
	}
	runs.sort((a, b) => a - b);
	console.log(name.padEnd(40), 'median CPU µs', runs[2].toFixed(2), 'min', runs[0].toFixed(2));
}
const num = (i: number) => `+49151${10000000 + i}`;
t('parse only', (i) => parsePhoneNumberFromString(num(i)));
t('parse + isValid', (i) => parsePhoneNumberFromString(num(i))!.isValid());
t('parse + isValid (opts {})', (i) => parsePhoneNumberFromString(num(i), {})!.isValid());
t('isValidPhoneNumber', (i) => isValidPhoneNumber(num(i)));
t('new RegExp DE fixed pattern', (i) => new RegExp('^(?:' + 'x' + i + ')$'));
t('US parse+isValid', (i) => parsePhoneNumberFromString(`+1201555${String(1000 + (i % 8999))}`)!.isValid());
