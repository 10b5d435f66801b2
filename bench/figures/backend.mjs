// Figure 7: the backend, returning-ai-widget/server (upstream calls per user, throughput on a cache hit, memory while
// refusing a huge answer). bench/backend.mjs measures it in processes of its own (`npm run bench:backend` runs it
// alone); this figure runs it and reads what it wrote.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { row } from '../lib/format.mjs';

export const id = 'backend';
export const key = 'backend';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function measure({ quick, log }) {
  log('backend: bench/backend.mjs…');
  await promisify(execFile)(process.execPath, ['bench/backend.mjs', ...(quick ? ['--quick'] : [])], { cwd: ROOT, maxBuffer: 1 << 24 });
  return JSON.parse(readFileSync(new URL('../results/backend.json', import.meta.url), 'utf8'));
}

export function rows({ upstreamCalls, throughput, memory }) {
  const calls = upstreamCalls.cached.upstreamCalls;
  return [
    row('Backend: upstream calls, 1,000 requests from 100 users in one token lifetime', `${calls}`, `cache: false: ${upstreamCalls.noCache.upstreamCalls}`, '100', calls <= 100 ? 'PASS' : 'FAIL'),
    row(
      'Backend: requests/s through the handler (cache hit) vs a bare route, same server',
      `${Math.round(throughput.handlerRps)}/s, ratio ${throughput.ratio.toFixed(2)}`,
      `bare route: ${Math.round(throughput.bareRps)}/s`,
      'a ratio, measured',
      '—',
    ),
    row(
      'Backend: peak memory growth while refusing a 20 MB upstream answer',
      `${memory.bounded.peakGrowthMB.toFixed(1)} MB (HTTP ${memory.bounded.status})`,
      `read whole: ${memory.unbounded.peakGrowthMB.toFixed(1)} MB`,
      'bounded',
      memory.bounded.peakGrowthMB < 10 ? 'PASS' : 'FAIL',
    ),
  ];
}
