// The query bar's language: `state:FAILED -type:DEPLOY_MODEL model:<id> "free phrase" -word`, parsed and printed.
//
// Syntax, token by token (tokens are separated by whitespace):
//   field:value            include tasks whose field has this value; `field:a,b` means a OR b
//   -field:value           exclude them; `-field:a,b` excludes both
//   field:"a value"        quoted values may hold spaces, commas and colons; `\"` and `\\` escape inside quotes
//   word  "a phrase"       free text: matched against the task id, the model id and the error text (see QUERY_HELP)
//   -word  -"a phrase"     free text that must not match
//   AND                    accepted and ignored (everything is AND already)
//   is:stale  -is:stale    tasks the stale rules flag (shared/stale-rules.ts), or those they do not
//   failure:<fingerprint>  the tasks of one failure group (8 to 16 hex digits); -failure: leaves them out
// A token is a filter only when the part before its first `:` is a plain identifier (a letter or `_`, then
// letters, digits or `_`) and the value does not start with `//`. So `10.0.3.17:443`, `java.lang.Error:` and
// `https://host/path` are free text, while `foo:x` is an unknown field (quote it to search for it as text).
// OR, NOT, `||`, `!` and parentheses are refused with a message that shows the supported form instead.
// Values of enumerated fields (state, function, type) are upper-cased; model and node ids stay as typed.

/** What the query bar understands and what each form matches, as the help dialog lists it. */
export const QUERY_HELP: Array<{ example: string; matches: string }> = [
  { example: 'state:FAILED', matches: 'Tasks in that state (also function:, type:, node:, model:)' },
  { example: 'state:FAILED,RUNNING', matches: 'Either value' },
  { example: '-type:DEPLOY_MODEL', matches: 'Leaves those tasks out' },
  {
    example: 'OutOfMemoryError',
    matches:
      'Text inside the error, in any case, also inside a dotted name: it finds java.lang.OutOfMemoryError',
  },
  {
    example: '"heap space"',
    matches: 'The words in this order in the error, or inside an agent run’s failure message',
  },
  { example: '<task or model id>', matches: 'The task with this id, or the tasks of this model' },
  { example: '-timeout', matches: 'Tasks whose error (and ids) do not match' },
  {
    example: 'is:stale',
    matches:
      'Unfinished tasks that will never finish (lost by their node, never polled, …); -is:stale hides them',
  },
  {
    example: 'failure:3fa2c91b0d4e5a17',
    matches: 'The tasks of one failure group, by the fingerprint the failure groups show',
  },
];

export type FilterField = 'state' | 'function' | 'type' | 'node' | 'model';

export interface FilterFieldInfo {
  /** The task document field the filter applies to. */
  docField: string;
  label: string;
  /** Lower-case names accepted before the colon (matched in any case), including the field's own key. */
  aliases: readonly string[];
  /** Values are upper-case enums (typed values are upper-cased); otherwise ids kept exactly as typed. */
  enumerated: boolean;
}

export const FILTER_FIELDS: Record<FilterField, FilterFieldInfo> = {
  state: { docField: 'state', label: 'State', aliases: ['state', 'status'], enumerated: true },
  function: {
    docField: 'function_name',
    label: 'Function',
    aliases: ['function', 'function_name', 'fn'],
    enumerated: true,
  },
  type: { docField: 'task_type', label: 'Type', aliases: ['type', 'task_type'], enumerated: true },
  node: {
    docField: 'worker_node',
    label: 'Node',
    aliases: ['node', 'worker_node', 'worker'],
    enumerated: false,
  },
  model: { docField: 'model_id', label: 'Model', aliases: ['model', 'model_id'], enumerated: false },
};

/** The fields in canonical order (the order `formatTaskQuery` prints them in). */
export const FILTER_FIELD_NAMES: readonly FilterField[] = ['state', 'function', 'type', 'node', 'model'];

/** What `is:` can say of a task: rules worked out by the console, not fields of the document. */
export const IS_FLAGS = ['stale'] as const;
export type IsFlag = (typeof IS_FLAGS)[number];

/** A failure group's fingerprint, as the failure groups print it: opaque to the query bar, 8 to 16 hex digits. */
export const FAILURE_FINGERPRINT = /^[0-9a-f]{8,16}$/;

/** Included and excluded values of a filter that is not a document field. */
export interface ValueSelection<T extends string = string> {
  include: T[];
  exclude: T[];
}

export interface TaskQuery {
  /** OR within a field, AND across fields. */
  include: Record<FilterField, string[]>;
  exclude: Record<FilterField, string[]>;
  /** Free-text terms or phrases (without quotes); all must match. */
  text: string[];
  /** Free-text terms or phrases that must not match. */
  excludeText: string[];
  /** `is:stale` includes, `-is:stale` excludes. The search needs the stale rules' context to run it. */
  is: ValueSelection<IsFlag>;
  /** `failure:<fingerprint>`: the tasks of those failure groups (OR); the search needs the groups' task ids. */
  failure: ValueSelection;
}

export type ParseResult =
  { ok: true; query: TaskQuery } | { ok: false; message: string; offset: number; length: number };

const ALIASES = new Map<string, FilterField>(
  FILTER_FIELD_NAMES.flatMap((field) => FILTER_FIELDS[field].aliases.map((a) => [a, field] as const)),
);

const FIELD_LIST = 'state, function, type, node or model';

function emptyFieldLists(): Record<FilterField, string[]> {
  return { state: [], function: [], type: [], node: [], model: [] };
}

export function emptyTaskQuery(): TaskQuery {
  return {
    include: emptyFieldLists(),
    exclude: emptyFieldLists(),
    text: [],
    excludeText: [],
    is: { include: [], exclude: [] },
    failure: { include: [], exclude: [] },
  };
}

export function isEmptyQuery(query: TaskQuery): boolean {
  return (
    query.text.length === 0 &&
    query.excludeText.length === 0 &&
    query.is.include.length + query.is.exclude.length === 0 &&
    query.failure.include.length + query.failure.exclude.length === 0 &&
    FILTER_FIELD_NAMES.every((f) => query.include[f].length === 0 && query.exclude[f].length === 0)
  );
}

/** Finds the filter field for a name typed before a colon (any case, any alias). */
export function filterFieldByName(name: string): FilterField | undefined {
  return ALIASES.get(name.toLowerCase());
}

/** Puts a value in its stored form: enumerated fields are upper-case, ids stay as typed. */
export function normalizeValue(field: FilterField, value: string): string {
  const trimmed = value.trim();
  return FILTER_FIELDS[field].enumerated ? trimmed.toUpperCase() : trimmed;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing.

class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly length: number,
  ) {
    super(message);
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface TypedValue<T extends string = string> {
  value: T;
  offset: number;
  length: number;
}
const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

function uniquePush(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

class Parser {
  private i = 0;
  private readonly query = emptyTaskQuery();

  constructor(private readonly input: string) {}

  parse(): TaskQuery {
    const { input } = this;
    while (true) {
      while (isSpace(input[this.i])) this.i++;
      if (this.i >= input.length) break;
      this.token();
    }
    return this.query;
  }

  private fail(message: string, offset: number, length: number): never {
    throw new QuerySyntaxError(message, offset, Math.max(1, length));
  }

  /** One whitespace-delimited token, possibly negated. */
  private token(): void {
    const { input } = this;
    const start = this.i;
    let negated = false;
    if (input[this.i] === '-') {
      const next = input[this.i + 1];
      if (next === undefined || isSpace(next)) {
        this.fail(
          'A "-" must be followed directly by what to exclude, e.g. -state:FAILED or -timeout',
          start,
          1,
        );
      }
      negated = true;
      this.i++;
    }
    if (input[this.i] === '"') {
      const { value, end } = this.quoted(this.i);
      this.i = end;
      this.expectTokenEnd('phrase');
      if (value === '') {
        this.fail('Empty quotes: put the text to search for between them', start, end - start);
      }
      this.addText(value, negated, start);
      return;
    }
    const colon = this.findFieldColon(this.i);
    if (colon !== undefined) {
      this.filter(start, negated, colon);
      return;
    }
    // A free word: everything up to the next whitespace.
    let end = this.i;
    while (end < input.length && !isSpace(input[end])) end++;
    const word = input.slice(this.i, end);
    this.checkOperator(word, start, end, negated);
    this.checkParentheses(word, this.i);
    this.i = end;
    if (!negated && (word === 'AND' || word === '&&')) return;
    this.addText(word, negated, start);
  }

  /** The index of the colon when the token at `from` is `identifier:value`, with a value not starting `//`. */
  private findFieldColon(from: number): number | undefined {
    const { input } = this;
    let end = from;
    while (end < input.length && !isSpace(input[end]) && input[end] !== ':') end++;
    if (input[end] !== ':') return undefined;
    if (!IDENTIFIER.test(input.slice(from, end))) return undefined;
    if (input.startsWith('//', end + 1)) return undefined;
    return end;
  }

  private filter(start: number, negated: boolean, colon: number): void {
    const { input } = this;
    const nameStart = this.i;
    const name = input.slice(nameStart, colon);
    const special = name.toLowerCase();
    if (special === 'is' || special === 'failure') {
      this.i = colon + 1;
      const values = this.values(name, start, colon, special === 'is' ? 'is:stale' : 'failure:<fingerprint>');
      if (special === 'is') this.isFlags(values, negated);
      else this.failures(values, negated);
      return;
    }
    const field = filterFieldByName(name);
    if (field === undefined) {
      let tokenEnd = colon;
      while (tokenEnd < input.length && !isSpace(input[tokenEnd])) tokenEnd++;
      const token = input.slice(nameStart, tokenEnd);
      this.fail(
        `Unknown field "${name}": use ${FIELD_LIST}. To search for text with a colon, put it in quotes: "${token.replace(/"/g, '')}"`,
        nameStart,
        colon - nameStart,
      );
    }
    const canonical = field;
    this.i = colon + 1;
    const values = this.values(name, start, colon, `${canonical}:${exampleValue(field)}`).map((v) => ({
      ...v,
      value: normalizeValue(field, v.value),
    }));
    this.addValues(
      negated ? this.query.exclude[field] : this.query.include[field],
      negated ? this.query.include[field] : this.query.exclude[field],
      values,
      canonical,
    );
  }

  /** The comma-separated values after `name:`, each with where it was typed. */
  private values(name: string, start: number, colon: number, example: string): TypedValue[] {
    const { input } = this;
    const values: TypedValue[] = [];
    while (true) {
      const valueStart = this.i;
      const ch = input[this.i];
      if (ch === undefined || isSpace(ch)) {
        if (values.length === 0) {
          this.fail(`"${name}:" needs a value, e.g. ${example}`, start, colon + 1 - start);
        }
        this.fail(`Missing a value after "," in ${name}:`, valueStart - 1, 1);
      }
      let value: string;
      if (ch === '"') {
        const q = this.quoted(this.i);
        value = q.value;
        this.i = q.end;
        if (value === '') this.fail(`Empty quotes: "${name}:" needs a value`, valueStart, q.end - valueStart);
        const after = input[this.i];
        if (after !== undefined && after !== ',' && !isSpace(after)) {
          this.fail(
            'Unexpected text after the closing quote: separate terms with a space, or values with a comma',
            this.i,
            1,
          );
        }
      } else if (ch === ',') {
        this.fail(`Missing a value before "," in ${name}:`, valueStart, 1);
      } else {
        let end = this.i;
        while (end < input.length && !isSpace(input[end]) && input[end] !== ',') end++;
        value = input.slice(this.i, end);
        this.checkParentheses(value, this.i);
        this.i = end;
      }
      values.push({ value, offset: valueStart, length: this.i - valueStart });
      if (input[this.i] === ',') {
        this.i++;
        continue;
      }
      break;
    }
    return values;
  }

  private addValues<T extends string>(
    target: T[],
    other: T[],
    values: Array<TypedValue<T>>,
    name: string,
  ): void {
    for (const v of values) {
      if (other.includes(v.value)) {
        this.fail(
          `${name}:${formatValue(v.value)} is both included and excluded: keep one of the two`,
          v.offset,
          v.length,
        );
      }
      uniquePush(target, v.value);
    }
  }

  private isFlags(values: TypedValue[], negated: boolean): void {
    const flags = values.map((v) => {
      const flag = v.value.trim().toLowerCase();
      if (!(IS_FLAGS as readonly string[]).includes(flag)) {
        this.fail(
          `Unknown "is:${v.value}": the query bar knows ${IS_FLAGS.map((f) => `is:${f}`).join(', ')}`,
          v.offset,
          v.length,
        );
      }
      return { ...v, value: flag as IsFlag };
    });
    const { is } = this.query;
    this.addValues(negated ? is.exclude : is.include, negated ? is.include : is.exclude, flags, 'is');
  }

  private failures(values: TypedValue[], negated: boolean): void {
    const fingerprints = values.map((v) => {
      const fingerprint = v.value.trim().toLowerCase();
      if (!FAILURE_FINGERPRINT.test(fingerprint)) {
        this.fail(
          `"failure:" takes a failure group's fingerprint, 8 to 16 hex digits (0-9, a-f) as the failure groups show it, e.g. failure:3fa2c91b0d4e5a17`,
          v.offset,
          v.length,
        );
      }
      return { ...v, value: fingerprint };
    });
    const { failure } = this.query;
    this.addValues(
      negated ? failure.exclude : failure.include,
      negated ? failure.include : failure.exclude,
      fingerprints,
      'failure',
    );
  }

  /** A double-quoted string starting at `from`; `\"` and `\\` are escapes, any other backslash is literal. */
  private quoted(from: number): { value: string; end: number } {
    const { input } = this;
    let value = '';
    let i = from + 1;
    while (i < input.length) {
      const ch = input[i]!;
      if (ch === '\\' && (input[i + 1] === '"' || input[i + 1] === '\\')) {
        value += input[i + 1];
        i += 2;
        continue;
      }
      if (ch === '"') return { value: value.trim(), end: i + 1 };
      value += ch;
      i++;
    }
    this.fail('Unterminated quote: add the closing "', from, input.length - from);
  }

  private expectTokenEnd(what: string): void {
    const ch = this.input[this.i];
    if (ch !== undefined && !isSpace(ch)) {
      this.fail(
        `Unexpected text after the closing quote of a ${what}: separate terms with a space`,
        this.i,
        1,
      );
    }
  }

  /** Boolean operators: AND is what juxtaposition means anyway; OR and NOT have other spellings here. */
  private checkOperator(word: string, start: number, end: number, negated: boolean): void {
    // `-AND` and the like exclude the word itself.
    if (negated) return;
    const length = end - start;
    if (word === 'OR' || word === '||') {
      this.fail(
        `"${word}" is not supported: to match either of two values, separate them with a comma, e.g. state:FAILED,CANCELLED`,
        start,
        length,
      );
    }
    if (word === 'NOT') this.failNot(start, length);
    if (word.startsWith('!')) this.failNot(start, 1);
  }

  private failNot(start: number, length: number): never {
    this.fail(
      'To exclude, put "-" directly before a filter or word instead of NOT, e.g. -state:FAILED or -timeout',
      start,
      length,
    );
  }

  /** Refuses grouping: a token opening with "(" or closing with an unbalanced ")"; `fn(x)` inside text is fine. */
  private checkParentheses(text: string, offset: number): void {
    let depth = 0;
    for (let k = 0; k < text.length; k++) {
      const ch = text[k];
      if (ch === '(') {
        if (k === 0) this.failParentheses(offset);
        depth++;
      } else if (ch === ')') {
        if (depth === 0 && k === text.length - 1) this.failParentheses(offset + k);
        depth = Math.max(0, depth - 1);
      }
    }
  }

  private failParentheses(offset: number): never {
    this.fail(
      'Parentheses are not supported: filters always combine with AND; use a comma for either (state:FAILED,CANCELLED) and "-" to exclude (-type:DEPLOY_MODEL). Quote text that contains parentheses.',
      offset,
      1,
    );
  }

  private addText(value: string, negated: boolean, offset: number): void {
    const { query } = this;
    const other = negated ? query.text : query.excludeText;
    if (other.includes(value)) {
      this.fail(`"${value}" is both required and excluded: keep one of the two`, offset, this.i - offset);
    }
    uniquePush(negated ? query.excludeText : query.text, value);
  }
}

function exampleValue(field: FilterField): string {
  switch (field) {
    case 'state':
      return 'FAILED';
    case 'function':
      return 'TEXT_EMBEDDING';
    case 'type':
      return 'DEPLOY_MODEL';
    case 'node':
      return '<node id>';
    case 'model':
      return '<model id>';
  }
}

export function parseTaskQuery(input: string): ParseResult {
  try {
    return { ok: true, query: new Parser(input).parse() };
  } catch (e) {
    if (e instanceof QuerySyntaxError) {
      return { ok: false, message: e.message, offset: e.offset, length: e.length };
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Printing.

const RESERVED_WORDS = new Set(['AND', 'OR', 'NOT', '&&', '||']);

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A filter value, bare when it would read back unchanged, quoted otherwise. */
function formatValue(value: string): string {
  return /^[^\s",()\\]+$/.test(value) && !value.startsWith('//') ? value : quote(value);
}

/** A free-text term, bare when it would read back as the same single word, quoted otherwise. */
function formatText(value: string): string {
  return /^[^\s"():\\!-][^\s"():\\]*$/.test(value) && !RESERVED_WORDS.has(value) ? value : quote(value);
}

/** The canonical text of a query: fields in a fixed order, includes before excludes, then is: and failure:, then free text. */
export function formatTaskQuery(query: TaskQuery): string {
  const parts: string[] = [];
  for (const field of FILTER_FIELD_NAMES) {
    const name = field;
    const include = query.include[field];
    const exclude = query.exclude[field];
    if (include.length > 0) parts.push(`${name}:${include.map(formatValue).join(',')}`);
    if (exclude.length > 0) parts.push(`-${name}:${exclude.map(formatValue).join(',')}`);
  }
  for (const [name, { include, exclude }] of [
    ['is', query.is],
    ['failure', query.failure],
  ] as const) {
    if (include.length > 0) parts.push(`${name}:${include.join(',')}`);
    if (exclude.length > 0) parts.push(`-${name}:${exclude.join(',')}`);
  }
  for (const t of query.text) parts.push(formatText(t));
  for (const t of query.excludeText) parts.push(`-${formatText(t)}`);
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------------------
// Editing, for the facet filters.

function uniqueValues(field: FilterField, values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const n = normalizeValue(field, v);
    if (n !== '') uniquePush(out, n);
  }
  return out;
}

/** Replaces one field's selection; a value in both lists stays included. */
export function setFieldSelection(
  query: TaskQuery,
  field: FilterField,
  include: string[],
  exclude: string[],
): TaskQuery {
  const inc = uniqueValues(field, include);
  const exc = uniqueValues(field, exclude).filter((v) => !inc.includes(v));
  return {
    ...query,
    include: { ...query.include, [field]: inc },
    exclude: { ...query.exclude, [field]: exc },
  };
}

/** Includes, excludes or clears one value of a field, leaving the field's other values alone. */
export function toggleValue(
  query: TaskQuery,
  field: FilterField,
  value: string,
  mode: 'include' | 'exclude' | 'off',
): TaskQuery {
  const v = normalizeValue(field, value);
  const include = query.include[field].filter((x) => x !== v);
  const exclude = query.exclude[field].filter((x) => x !== v);
  if (v !== '') {
    if (mode === 'include') include.push(v);
    if (mode === 'exclude') exclude.push(v);
  }
  return setFieldSelection(query, field, include, exclude);
}
