// Every EUI icon the console names exists in this EUI version: an unknown name renders a broken image.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('EUI icons', () => {
  it('are all known to the installed EUI', () => {
    const iconMap = readFileSync('node_modules/@elastic/eui/es/components/icon/icon_map.js', 'utf8');
    const known = new Set([...iconMap.matchAll(/^\s+(\w+):/gm)].map((m) => m[1]));
    const used = new Map<string, string>();
    for (const file of sourceFiles('src')) {
      const text = readFileSync(file, 'utf8');
      // iconType="x", type="x" on EuiIcon, and the literals an expression picks from: iconType={a ? 'x' : 'y'}.
      for (const m of text.matchAll(/(?:iconType|<EuiIcon[^>]*\btype)=(?:"(\w+)"|\{([^}]*)\})/g)) {
        const names = m[1] ? [m[1]] : [...(m[2] ?? '').matchAll(/[?:]\s*'(\w+)'/g)].map((x) => x[1]!);
        for (const name of names) used.set(name, file);
      }
    }
    expect(used.size).toBeGreaterThan(10);
    const unknown = [...used].filter(([name]) => !known.has(name)).map(([name, file]) => `${name} (${file})`);
    expect(unknown).toEqual([]);
  });
});
