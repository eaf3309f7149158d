import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `dir` (relative path → content hash, size and mtime), `skip` excepted. */
export function snapshot(dir: string, skip?: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (path === skip) continue;
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else {
        const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
        out.set(relative(dir, path), `${hash} ${stat.size} ${stat.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}
