// Unit tests of the standard analyzer: Lucene's own expectations (TestStandardAnalyzer) and ML Commons error texts.

import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_LENGTH, analyze, asciiLowerCase, lowerCase, normalize } from './analysis';

describe('analyze: word boundaries as Lucene’s StandardTokenizer draws them', () => {
  it("keeps a `.` `:` or `'` between letters inside the word (UAX #29 MidLetter, MidNumLet)", () => {
    expect(analyze('java.lang.OutOfMemoryError')).toEqual(['java.lang.outofmemoryerror']);
    expect(analyze('artifacts.internal.example.com')).toEqual(['artifacts.internal.example.com']);
    expect(analyze("can't")).toEqual(["can't"]);
    expect(analyze("O'Reilly's")).toEqual(["o'reilly's"]);
    expect(analyze('don’t')).toEqual(['don’t']);
    // Lucene's testMid: a colon between letters joins, two of them split, as does a colon next to a digit.
    expect(analyze('A:B')).toEqual(['a:b']);
    expect(analyze('A::B')).toEqual(['a', 'b']);
    expect(analyze('A.:B')).toEqual(['a', 'b']);
    expect(analyze('1:2')).toEqual(['1', '2']);
    expect(analyze('A:B_A::B')).toEqual(['a:b_a', 'b']);
  });

  it('reads numbers as one token, with `.` `,` between digits', () => {
    expect(analyze('500')).toEqual(['500']);
    expect(analyze('2.5')).toEqual(['2.5']);
    expect(analyze('216.239.63.104')).toEqual(['216.239.63.104']);
    expect(analyze('4,600 and 1,,2 and 1.,2')).toEqual(['4,600', 'and', '1', '2', 'and', '1', '2']);
    expect(analyze('R2D2 C3PO v2.5')).toEqual(['r2d2', 'c3po', 'v2.5']);
    // A letter and a digit on either side of a `.` do not join (no UAX #29 rule does).
    expect(analyze('a1.b 1.a')).toEqual(['a1', 'b', '1', 'a']);
  });

  it('joins with `_` and splits on `-`, `/`, `@` and other punctuation', () => {
    expect(analyze('node_1')).toEqual(['node_1']);
    expect(analyze('_foo_ __ _')).toEqual(['_foo_']);
    expect(analyze('foo-bar')).toEqual(['foo', 'bar']);
    expect(analyze('ac/dc dogs,chase,cats')).toEqual(['ac', 'dc', 'dogs', 'chase', 'cats']);
    expect(analyze('user@example.com')).toEqual(['user', 'example.com']);
    expect(analyze('foo      bar .  FOO <> BAR')).toEqual(['foo', 'bar', 'foo', 'bar']);
    expect(analyze('')).toEqual([]);
    expect(analyze(' . ')).toEqual([]);
  });

  it('cuts CJK as Lucene does, not by ICU’s dictionary: one token per ideograph and hiragana, katakana runs whole', () => {
    expect(analyze('我是中国人。 １２３４ Ｔｅｓｔｓ ')).toEqual([
      '我',
      '是',
      '中',
      '国',
      '人',
      '１２３４',
      'ｔｅｓｔｓ',
    ]);
    expect(analyze('仮名遣い カタカナ')).toEqual(['仮', '名', '遣', 'い', 'カタカナ']);
    expect(analyze('コンピュータシステム')).toEqual(['コンピュータシステム']);
    expect(analyze('東京タワー')).toEqual(['東', '京', 'タワー']);
    expect(analyze('𩬅艱鍟䇹愯瀛')).toEqual(['𩬅', '艱', '鍟', '䇹', '愯', '瀛']);
    expect(analyze('안녕하세요 한글입니다')).toEqual(['안녕하세요', '한글입니다']);
    // Combining marks stay with their character (testCombiningMarks).
    expect(analyze('ざ ザ 壹゙ 아゙')).toEqual(['ざ', 'ザ', '壹゙', '아゙']);
  });

  it('keeps runs of Thai and Lao whole, as Lucene’s <SOUTHEAST_ASIAN> tokens', () => {
    expect(analyze('การที่ได้ต้องแสดงว่างานดี. แล้วเธอจะไปไหน? ๑๒๓๔')).toEqual([
      'การที่ได้ต้องแสดงว่างานดี',
      'แล้วเธอจะไปไหน',
      '๑๒๓๔',
    ]);
    expect(analyze('ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ')).toEqual(['ສາທາລະນະລັດ', 'ປະຊາທິປະໄຕ', 'ປະຊາຊົນລາວ']);
    expect(analyze('ไทยabc')).toEqual(['ไทย', 'abc']);
  });

  it('makes emoji tokens, which ICU calls no word', () => {
    expect(analyze('💩 💩💩')).toEqual(['💩', '💩', '💩']);
    expect(analyze('poo💩poo')).toEqual(['poo', '💩', 'poo']);
    expect(analyze('💩中國💩')).toEqual(['💩', '中', '國', '💩']);
    expect(analyze('👩‍❤️‍👩 👨🏼‍⚕️')).toEqual(['👩‍❤️‍👩', '👨🏼‍⚕️']);
    expect(analyze('🇺🇸🇺🇸')).toEqual(['🇺🇸', '🇺🇸']);
    expect(analyze('#️⃣ 3️⃣')).toEqual(['#️⃣', '3️⃣']);
    // Text presentation: the selector ends the emoji; a bare `#` is no token, a digit stays a number.
    expect(analyze('\u2b55\ufe0e #\ufe0e 3\ufe0e')).toEqual(['\u2b55', '3\ufe0e']);
    // ©, ® and ™ are Extended_Pictographic, hence emoji to Lucene.
    expect(analyze('OpenSearch™ ©2024')).toEqual(['opensearch', '™', '©', '2024']);
  });

  it('lower-cases one code point at a time, as Java’s Character.toLowerCase', () => {
    expect(analyze('İstanbul ΣΑΣ Straße')).toEqual(['istanbul', 'σασ', 'straße']);
    expect(lowerCase('ΟΔΟΣ')).toBe('οδοσ'); // String.prototype.toLowerCase would end on ς
    expect(normalize('Java*Heap?')).toBe('java*heap?');
    expect(asciiLowerCase('ÄBC Äbc')).toBe('Äbc Äbc');
  });

  it('cuts tokens longer than max_token_length (255) where Lucene’s scanner buffer ends', () => {
    const max = 'b'.repeat(MAX_TOKEN_LENGTH);
    expect(analyze(`x ${max} ${max}b`)).toEqual(['x', max, max, 'b']);
    expect(analyze('a'.repeat(600)).map((t) => t.length)).toEqual([255, 255, 90]);
    // A token never ends on a `.`: the cut moves back, and the rest is read again from the `.`.
    expect(analyze(`${'a'.repeat(254)}.bcd`)).toEqual(['a'.repeat(254), 'bcd']);
    // The same rule on the Unicode path, and never between the halves of a surrogate pair.
    expect(analyze(`é${'a'.repeat(300)}`).map((t) => t.length)).toEqual([255, 46]);
    const astral = `${'a'.repeat(254)}𐌀z`;
    expect(analyze(astral)).toEqual(['a'.repeat(254), '𐌀z']);
  });

  it('reads the plain-ASCII fast path exactly as the Unicode path reads the same text', () => {
    // A trailing non-ASCII word sends the same text down the Intl.Segmenter path.
    const alphabet = 'aZ09_.:,;\'"-/ @#*\t\n';
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      let text = '';
      for (let j = random(24); j > 0; j--) text += alphabet[random(alphabet.length)];
      expect([...analyze(text), 'é'], JSON.stringify(text)).toEqual(analyze(`${text} é`));
    }
  });
});

describe('analyze: the error texts ML Commons writes', () => {
  it('Java exceptions keep their class name whole', () => {
    expect(analyze('java.lang.OutOfMemoryError: Java heap space')).toEqual([
      'java.lang.outofmemoryerror',
      'java',
      'heap',
      'space',
    ]);
    expect(analyze('\tat org.opensearch.ml.engine.algorithms.DLModel.loadModel(DLModel.java:247)')).toEqual([
      'at',
      'org.opensearch.ml.engine.algorithms.dlmodel.loadmodel',
      'dlmodel.java', // a colon joins letters only: not the line number
      '247',
    ]);
  });

  it('per-node JSON errors split at the quotes, node ids and all', () => {
    const error = JSON.stringify({
      kQ3Ve9cfRZq2yE3ZOdmv2A: 'Native Memory Circuit Breaker is open, please check your resources!',
      node_1: 'java.lang.OutOfMemoryError: Java heap space',
    });
    expect(analyze(error)).toEqual([
      'kq3ve9cfrzq2ye3zodmv2a',
      'native',
      'memory',
      'circuit',
      'breaker',
      'is',
      'open',
      'please',
      'check',
      'your',
      'resources',
      'node_1',
      'java.lang.outofmemoryerror',
      'java',
      'heap',
      'space',
    ]);
  });

  it('URLs, hosts, ports and paths', () => {
    expect(analyze('Connection refused: artifacts.internal.example.com/10.0.3.17:443')).toEqual([
      'connection',
      'refused',
      'artifacts.internal.example.com',
      '10.0.3.17',
      '443',
    ]);
    expect(
      analyze(
        'Failed to download model from url https://artifacts.opensearch.org/models/ml-models/all-1.0.1.zip',
      ),
    ).toEqual([
      'failed',
      'to',
      'download',
      'model',
      'from',
      'url',
      'https',
      'artifacts.opensearch.org',
      'models',
      'ml',
      'models',
      'all',
      '1.0.1',
      'zip',
    ]);
    expect(analyze('/usr/share/opensearch/data/djl/libtorch_cpu.so: libgomp.so.1')).toEqual([
      'usr',
      'share',
      'opensearch',
      'data',
      'djl',
      'libtorch_cpu.so',
      'libgomp.so',
      '1',
    ]);
    expect(analyze('[opensearch-ml-2][10.0.3.12:9300][cluster:admin/opensearch/mlinternal/deploy]')).toEqual([
      'opensearch',
      'ml',
      '2',
      '10.0.3.12',
      '9300',
      'cluster:admin',
      'opensearch',
      'mlinternal',
      'deploy',
    ]);
  });

  it('mixed scripts and an emoji', () => {
    expect(
      analyze('Ungültige Eingabe: Spalte „Preis“ enthält nicht-numerische Werte 🚫 (データ型エラー)'),
    ).toEqual([
      'ungültige',
      'eingabe',
      'spalte',
      'preis',
      'enthält',
      'nicht',
      'numerische',
      'werte',
      '🚫',
      'データ',
      '型',
      'エラー',
    ]);
  });
});
