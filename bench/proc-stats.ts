import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (getconf CLK_TCK; 100 on Linux). */
const CLK_TCK = (() => {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time the process has used so far, in seconds (from /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / CLK_TCK;
}

/**
 * Resident set size, its anonymous part and its peak, in bytes (VmRSS / RssAnon / VmHWM of
 * /proc/<pid>/status). RssAnon leaves out file pages, such as a memory-mapped SQLite database.
 */
export function memory(pid: number): { rss: number; anon: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), peak: kb('VmHWM') };
}

/** The 1-minute load average (/proc/loadavg). */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** A reading of a group of processes, to diff two of them. */
export interface ProcSample {
  at: number;
  cpu: number;
  rss: number;
  anon: number;
}

export function sample(pids: readonly number[]): ProcSample {
  let cpu = 0;
  let rss = 0;
  let anon = 0;
  for (const pid of pids) {
    try {
      cpu += cpuSeconds(pid);
      const m = memory(pid);
      rss += m.rss;
      anon += m.anon;
    } catch {
      // The process is gone: it contributes nothing.
    }
  }
  return { at: performance.now(), cpu, rss, anon };
}

/** CPU-seconds used, wall seconds elapsed, and the RSS at the end, between two samples. */
export function diff(a: ProcSample, b: ProcSample): { cpuSeconds: number; wallSeconds: number; rss: number } {
  return { cpuSeconds: b.cpu - a.cpu, wallSeconds: (b.at - a.at) / 1000, rss: b.rss };
}
