/**
 * Watches the memory of the processes a benchmark started and stops them before they take the
 * machine down. One n8n on SQLite at 100 deliveries/s grew past 11 GB in two minutes; a benchmark
 * must never get there. Linux only (reads /proc), as the benchmarks' machines are.
 *
 *   const guard = watchMemory([{ label: 'n8n', pid }], { limitBytes: 4 * GIB, load: '100/s', onTrip });
 *   ...
 *   const report = guard.stop();   // peak per label; guard.tripped says why it fired, if it did
 */
import * as fs from 'node:fs';

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

export interface WatchedProcess {
	label: string;
	/** The root of a process tree: its descendants (n8n's task runner, workers' children) count too. */
	pid: number;
}

export interface MemoryGuardOptions {
	/** The most any one watched tree may hold (RSS summed over the tree). */
	limitBytes: number;
	/** What the benchmark was doing, for the message ("100 deliveries/s"). */
	load: string;
	/** Called once, when a tree passes the limit, with the message; it should stop the processes. */
	onTrip(message: string, process: WatchedProcess): void;
	intervalMs?: number;
}

export interface MemoryReport {
	/** Peak RSS of each tree, in bytes. */
	peakBytes: Record<string, number>;
	tripped?: string;
}

export interface MemoryGuard {
	readonly tripped: string | undefined;
	add(process: WatchedProcess): void;
	stop(): MemoryReport;
}

/** Parent pid of every process, from /proc/<pid>/stat (field 4; the name in field 2 may hold spaces). */
function parentsByPid(): Map<number, number> {
	const parents = new Map<number, number>();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			parents.set(Number(entry), Number(fields[1]));
		} catch {
			// the process ended between readdir and read
		}
	}
	return parents;
}

function rssBytes(pid: number): number {
	try {
		const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

/** RSS of a process and all its descendants. */
export function treeRssBytes(rootPid: number, parents = parentsByPid()): number {
	const children = new Map<number, number[]>();
	for (const [pid, parent] of parents) children.set(parent, [...(children.get(parent) ?? []), pid]);
	let total = 0;
	const stack = [rootPid];
	const seen = new Set<number>();
	while (stack.length > 0) {
		const pid = stack.pop()!;
		if (seen.has(pid)) continue;
		seen.add(pid);
		total += rssBytes(pid);
		stack.push(...(children.get(pid) ?? []));
	}
	return total;
}

export const formatGiB = (bytes: number): string => `${(bytes / GIB).toFixed(2)} GB`;

export function watchMemory(processes: WatchedProcess[], options: MemoryGuardOptions): MemoryGuard {
	const watched = [...processes];
	const peakBytes: Record<string, number> = {};
	let tripped: string | undefined;
	const check = () => {
		if (tripped) return;
		const parents = parentsByPid();
		for (const process of watched) {
			const rss = treeRssBytes(process.pid, parents);
			peakBytes[process.label] = Math.max(peakBytes[process.label] ?? 0, rss);
			if (rss > options.limitBytes) {
				tripped =
					`${process.label} passed ${formatGiB(options.limitBytes)} (${formatGiB(rss)}) at ${options.load}; ` +
					'stopped it before it takes the machine down. This load needs a lower rate, or queue mode (several processes).';
				options.onTrip(tripped, process);
				return;
			}
		}
	};
	const timer = setInterval(check, options.intervalMs ?? 500);
	timer.unref();
	return {
		get tripped() {
			return tripped;
		},
		add(process) {
			watched.push(process);
		},
		stop() {
			clearInterval(timer);
			check();
			return { peakBytes: { ...peakBytes }, ...(tripped ? { tripped } : {}) };
		},
	};
}
