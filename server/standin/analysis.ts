// OpenSearch's `standard` analyzer (Lucene's StandardTokenizer, then LowerCaseFilter; max_token_length 255, no stop
// words): how a `text` field's value, and the query text searched on it, become terms.
//
// Word boundaries are Unicode UAX #29, which Intl.Segmenter implements (through ICU). Lucene's StandardTokenizer
// implements UAX #29 too, with a few choices of its own that ICU does not share; each is followed here, from
// Lucene's grammar (StandardTokenizerImpl.jflex) and its tests (TestStandardAnalyzer):
// - A `:` `.` or `'` between two letters does not split (UAX #29 WB6/7, colon being MidLetter): "A:B" and
//   "java.lang.OutOfMemoryError" are one token each, "A::B" two. ICU agrees, so nothing to do.
// - Numbers are tokens, with `.` `,` `;` `'` between digits (WB11/12): "2.5", "10.0.3.17", "4,600".
// - `_` joins letters and digits (ExtendNumLet), but a run of underscores alone is no token (ICU says it is a word).
// - Han ideographs and hiragana are one token per character; a run of katakana is one token (ICU instead cuts all
//   three by its dictionary: "中国人" is one ICU word, three Lucene tokens).
// - Thai, Lao, Myanmar, Khmer and the other scripts of line-break class SA stay whole: a run is one token (ICU cuts
//   them into dictionary words).
// - Emoji are tokens (type <EMOJI>): one per emoji, ZWJ sequence, keycap or flag; ©, ® and ™ too, as Extended
//   Pictographic. ICU says an emoji is no word.
// - Terms are lower-cased one code point at a time (Java's Character.toLowerCase): "İ" becomes "i", a final "Σ"
//   becomes "σ", unlike String.prototype.toLowerCase.
// - A token longer than 255 UTF-16 units is cut, not dropped: Lucene's scanner buffer is max_token_length long,
//   the token ends at the last point within it where a token may end, and scanning resumes right there.
// Terms keep their order and none is ever skipped, so a term's index in the array is its position.

export const MAX_TOKEN_LENGTH = 255;

const segmenter = new Intl.Segmenter('en', { granularity: 'word' });

/** Any UTF-16 unit above ASCII, surrogates included. */
const NON_ASCII = /[\u0080-\uffff]/;

/** The terms of one text value, in position order. */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  analyzeInto(text, terms);
  return terms;
}

function analyzeInto(text: string, terms: string[]): void {
  if (NON_ASCII.test(text)) analyzeUnicode(text, terms);
  else scanAscii(text, terms);
}

/** What `normalize` of the standard analyzer does to a multi-term query's text (query_string wildcards, prefixes). */
export function normalize(text: string): string {
  return lowerCase(text);
}

/** Java's Character.toLowerCase applied to each code point, as Lucene's LowerCaseFilter does. */
export function lowerCase(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    // Only U+0130 lower-cases to two code points in JavaScript (i + combining dot); Java keeps the simple mapping.
    out += lower.length === ch.length ? lower : String.fromCodePoint(lower.codePointAt(0)!);
  }
  return out;
}

/** Lower-cases ASCII letters only: OpenSearch's `case_insensitive` matching ignores the case of ASCII alone. */
export function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

// ---------- ASCII text: the word-break rules written out, as most task errors are plain ASCII ----------

const LETTER = 1;
const DIGIT = 2;
const UNDERSCORE = 4;
/** `:` joins letters only (MidLetter). */
const MID_LETTER = 8;
/** `,` and `;` join digits only (MidNum). */
const MID_NUM = 16;
/** `.` and `'` join letters to letters and digits to digits (MidNumLet, Single_Quote). */
const MID_BOTH = 32;

const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z]/.test(ch)) ASCII_CLASS[c] = LETTER;
  else if (/[0-9]/.test(ch)) ASCII_CLASS[c] = DIGIT;
  else if (ch === '_') ASCII_CLASS[c] = UNDERSCORE;
  else if (ch === ':') ASCII_CLASS[c] = MID_LETTER;
  else if (ch === ',' || ch === ';') ASCII_CLASS[c] = MID_NUM;
  else if (ch === '.' || ch === "'") ASCII_CLASS[c] = MID_BOTH;
}

function scanAscii(text: string, terms: string[]): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if ((ASCII_CLASS[text.charCodeAt(i)]! & (LETTER | DIGIT | UNDERSCORE)) === 0) {
      i++;
      continue;
    }
    let j = i;
    let hasWord = false;
    while (j < n) {
      const c = ASCII_CLASS[text.charCodeAt(j)]!;
      if (c & (LETTER | DIGIT)) {
        hasWord = true;
        j++;
      } else if (c === UNDERSCORE) {
        j++;
      } else if (c & (MID_LETTER | MID_NUM | MID_BOTH) && j + 1 < n) {
        // A middle character joins only the same kind on both sides: `a.b`, `1.2`, `a:b`, `1,2`; never `a.1`.
        const before = ASCII_CLASS[text.charCodeAt(j - 1)]! & (LETTER | DIGIT);
        const after = ASCII_CLASS[text.charCodeAt(j + 1)]! & (LETTER | DIGIT);
        const joins = c === MID_BOTH ? LETTER | DIGIT : c === MID_LETTER ? LETTER : DIGIT;
        if (before !== 0 && before === after && (before & joins) !== 0) j += 2;
        else break;
      } else break;
    }
    if (!hasWord) {
      i = j; // underscores alone make no token
      continue;
    }
    i = emit(text, i, j, terms);
  }
}

// ---------- any other text: Intl.Segmenter, then Lucene's own choices ----------

const HAN = /\p{Script=Han}/u;
const HIRAGANA = /\p{Script=Hiragana}/u;
/** Word_Break=Katakana: the katakana script plus the marks UAX #29 counts with it. */
const KATAKANA = /[\p{Script=Katakana}\u3031-\u3035\u309b\u309c\u30a0\u30fc\uff70]/u;
/** Line_Break=SA (complex context), which JavaScript cannot name: the scripts it covers, without their digits. */
const SOUTH_EAST_ASIAN =
  /(?!\p{Nd})[\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Khmer}\p{Script=Tai_Le}\p{Script=New_Tai_Lue}\p{Script=Tai_Tham}\p{Script=Tai_Viet}]/u;
/** Segments ICU cuts differently from Lucene. */
const SPECIAL =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\uff70\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Khmer}\p{Script=Tai_Le}\p{Script=New_Tai_Lue}\p{Script=Tai_Tham}\p{Script=Tai_Viet}]/u;
/** Extend and Format characters, which belong to the character before them (UAX #29 WB4). */
const ATTACHED = /[\p{M}\p{Cf}]/u;
/** ExtendNumLet, alone: a word to ICU, no token to Lucene. */
const CONNECTORS_ONLY = /^[\p{Pc}\u202f\p{M}\p{Cf}]*$/u;
/** Emoji that start an <EMOJI> token: Extended_Pictographic, other emoji but digits, `#`, `*` and flags, modifiers. */
const EMOJI_START =
  /^(?:[\p{Extended_Pictographic}\p{Emoji_Modifier}]|(?![\p{Regional_Indicator}0-9#*\u00a9\u00ae\u2122\u3030\u303d])\p{Emoji})/u;
const KEYCAP = /^[0-9#*]\ufe0f?\u20e3/u;
const FLAG = /^\p{Regional_Indicator}{2}/u;
/** ICU calls some letters with a combining mark no word (Hangul + U+3099); Lucene's grammar still reads a word. */
const LETTER_START = /^[\p{L}\p{Nd}]/u;

type PieceKind = 'single' | 'southEastAsian' | 'other';

interface Piece {
  kind: PieceKind;
  text: string;
}

function analyzeUnicode(text: string, terms: string[]): void {
  // Consecutive segments that need Lucene's own cutting: ICU may end a katakana or Thai word where Lucene does not.
  let pieces: Piece[] = [];
  const flush = (): void => {
    for (const p of pieces) if (!CONNECTORS_ONLY.test(p.text)) emitUnicode(p.text, terms);
    pieces = [];
  };
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (isWordLike && SPECIAL.test(segment)) {
      appendPieces(pieces, splitSpecial(segment));
      continue;
    }
    flush();
    if (isWordLike) {
      if (!CONNECTORS_ONLY.test(segment)) emitUnicode(segment, terms);
    } else {
      const emoji = emojiToken(segment);
      if (emoji !== undefined) terms.push(emoji);
      else if (LETTER_START.test(segment)) emitUnicode(segment, terms);
    }
  }
  flush();
}

/** Cuts one ICU word the way Lucene's grammar does: ideographs and hiragana alone, SA runs and the rest whole. */
function splitSpecial(segment: string): Piece[] {
  const out: Piece[] = [];
  let current: Piece | undefined;
  for (const ch of segment) {
    if (current && ATTACHED.test(ch)) {
      current.text += ch;
      continue;
    }
    const kind: PieceKind =
      HAN.test(ch) || HIRAGANA.test(ch) ? 'single' : SOUTH_EAST_ASIAN.test(ch) ? 'southEastAsian' : 'other';
    if (current && kind !== 'single' && current.kind === kind) current.text += ch;
    else out.push((current = { kind, text: ch }));
  }
  return out;
}

/** Adds a segment's pieces, joining a katakana or SA run that ICU cut in two. */
function appendPieces(pieces: Piece[], next: Piece[]): void {
  const last = pieces[pieces.length - 1];
  const first = next[0];
  if (last && first && last.kind === first.kind && last.kind !== 'single') {
    const joins =
      last.kind === 'southEastAsian' ||
      (KATAKANA.test(lastBaseChar(last.text)) &&
        KATAKANA.test(String.fromCodePoint(first.text.codePointAt(0)!)));
    if (joins) {
      last.text += first.text;
      next = next.slice(1);
    }
  }
  pieces.push(...next);
}

function lastBaseChar(text: string): string {
  const chars = [...text];
  for (let i = chars.length - 1; i >= 0; i--) if (!ATTACHED.test(chars[i]!)) return chars[i]!;
  return '';
}

function emojiToken(segment: string): string | undefined {
  if (EMOJI_START.test(segment)) {
    // U+FE0E asks for text presentation: Lucene ends the emoji before it.
    const text = segment.indexOf('\ufe0e');
    return text === -1 ? segment : segment.slice(0, text);
  }
  if (KEYCAP.test(segment) || FLAG.test(segment)) return segment;
  return undefined;
}

function emitUnicode(word: string, terms: string[]): void {
  const end = emit(word, 0, word.length, terms);
  // The rest of an over-long word is read again from where the cut fell, as a text of its own.
  if (end < word.length) analyzeInto(word.slice(end), terms);
}

// ---------- emitting a token ----------

/** Characters a token cannot end on: the middle characters of UAX #29 (MidLetter, MidNum, MidNumLet, quotes). */
const MIDDLE =
  /[:.,;'"\u00b7\u0387\u055f\u05f4\u2027\ufe13\ufe55\uff1a\u2018\u2019\u2024\ufe52\uff07\uff0e\u037e\u0589\u060c\u060d\u066c\u07f8\u2044\ufe10\ufe14\ufe50\ufe54\uff0c\uff1b]/;

/**
 * Pushes the token `text[start, end)`, cut to MAX_TOKEN_LENGTH, lower-cased. Returns where the next scan starts:
 * `end`, or where an over-long token was cut.
 */
function emit(text: string, start: number, end: number, terms: string[]): number {
  if (end - start <= MAX_TOKEN_LENGTH) {
    terms.push(lowerCase(text.slice(start, end)));
    return end;
  }
  let cut = start + MAX_TOKEN_LENGTH;
  // Never split a surrogate pair, and end where a token may end, as Lucene's scanner does when its buffer fills.
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  while (cut > start + 1 && MIDDLE.test(text.charAt(cut - 1))) cut--;
  terms.push(lowerCase(text.slice(start, cut)));
  return cut;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
