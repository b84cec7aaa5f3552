/**
 * `npm run emulator -- [--port 4360] [--key KEY]... [--auto-statuses]`
 *
 * Starts the 360dialog emulator on 127.0.0.1 (default port 4360, key "test-key") until Ctrl-C.
 */
import { DEFAULT_API_KEY, startEmulator } from './index';

const DEFAULT_PORT = 4360;

const USAGE = `Usage: npm run emulator -- [options]

  --port N          port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 = any free port)
  --key KEY         accepted D360-API-KEY; repeat for several (default "${DEFAULT_API_KEY}")
  --auto-statuses   send sent/delivered/read webhooks after each accepted message
  --help            show this help`;

interface CliOptions {
	port: number;
	keys: string[];
	autoStatuses: boolean;
}

export function parseArgs(argv: string[]): CliOptions {
	const options: CliOptions = { port: DEFAULT_PORT, keys: [], autoStatuses: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = (): string => {
			const next = inline ?? argv[++i];
			if (next === undefined || next === '') throw new Error(`${flag} needs a value`);
			return next;
		};
		switch (flag) {
			case '--port': {
				const port = Number(value());
				if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0-65535');
				options.port = port;
				break;
			}
			case '--key':
				options.keys.push(value());
				break;
			case '--auto-statuses':
				options.autoStatuses = true;
				break;
			default:
				throw new Error(`unknown option ${arg}`);
		}
	}
	if (options.keys.length === 0) options.keys.push(DEFAULT_API_KEY);
	return options;
}

async function main(): Promise<void> {
	const argv = process.argv.slice(2);
	if (argv.includes('--help') || argv.includes('-h')) {
		console.log(USAGE);
		return;
	}
	let options: CliOptions;
	try {
		options = parseArgs(argv);
	} catch (error) {
		console.error(`${(error as Error).message}\n\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	const emulator = await startEmulator({ port: options.port, apiKeys: options.keys, autoStatuses: options.autoStatuses });
	console.log(`360dialog emulator listening on ${emulator.url}`);
	console.log(`API key${options.keys.length > 1 ? 's' : ''}: ${options.keys.join(', ')}`);
	console.log(`Control API: ${emulator.url}/_emulator/ (messages, requests, deliveries, faults, inbound, settings, reset)`);
	const stop = () => {
		void emulator.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
