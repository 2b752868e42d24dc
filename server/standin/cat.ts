// The `_cat` APIs' table output, as OpenSearch's RestTable renders it: aligned plain text, or JSON with `format=json`;
// `h` picks columns, `v` adds the header line, `s` sorts.

import { notSupportedByStandin } from './errors';
import type { RestRequest } from './rest';

export interface CatColumn {
  name: string;
  aliases: string[];
  /** Shown when `h` does not name the columns. */
  shown: boolean;
}

type CatAnswer = { status: number; body: unknown } | { status: number; text: string };

function columnsOf(req: RestRequest, columns: CatColumn[]): CatColumn[] {
  const h = req.params.get('h');
  if (!h) return columns.filter((c) => c.shown);
  const out: CatColumn[] = [];
  for (const wanted of h.split(',').map((x) => x.trim())) {
    const re = new RegExp(
      `^${wanted
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    // Names the table does not have are left out, as OpenSearch does.
    for (const c of columns)
      if ((re.test(c.name) || c.aliases.includes(wanted)) && !out.includes(c)) out.push(c);
  }
  return out;
}

function sorted(req: RestRequest, columns: CatColumn[], rows: Array<Record<string, string>>) {
  const s = req.params.get('s');
  if (!s) return rows;
  const keys = s.split(',').map((spec) => {
    const [name, order] = spec.trim().split(':') as [string, string | undefined];
    const column = columns.find((c) => c.name === name || c.aliases.includes(name));
    if (!column) {
      throw notSupportedByStandin(`sorting _cat output on [${name}], which the stand-in's table lacks`);
    }
    return { name: column.name, desc: order === 'desc' };
  });
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const c = (a[k.name] ?? '').localeCompare(b[k.name] ?? '');
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
}

/** The table of `rows` (values by column name) as the request asks for it. */
export function catTable(
  req: RestRequest,
  columns: CatColumn[],
  rows: Array<Record<string, string>>,
): CatAnswer {
  if (req.params.has('help')) throw notSupportedByStandin('help on the _cat APIs');
  const shown = columnsOf(req, columns);
  const ordered = sorted(req, columns, rows);
  const format = req.params.get('format') ?? 'text';
  if (format === 'json') {
    return {
      status: 200,
      body: ordered.map((r) => Object.fromEntries(shown.map((c) => [c.name, r[c.name] ?? null]))),
    };
  }
  if (format !== 'text' && format !== 'txt') throw notSupportedByStandin(`the _cat format [${format}]`);
  const v = req.params.get('v');
  const lines: string[][] = ordered.map((r) => shown.map((c) => r[c.name] ?? ''));
  if (v !== null && v !== 'false') lines.unshift(shown.map((c) => c.name));
  const widths = shown.map((_, i) => Math.max(0, ...lines.map((l) => l[i]!.length)));
  // Every column is padded to its width but the last, which ends the line.
  const text = lines
    .map((l) => l.map((cell, i) => (i === l.length - 1 ? cell : cell.padEnd(widths[i]!))).join(' ') + '\n')
    .join('');
  return { status: 200, text };
}
