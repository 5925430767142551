/**
 * IDNA2008 for the hostname (A-labels) and idn-hostname formats, emitted into the generated runtime
 * only when a schema uses one of them: Punycode (RFC 3492) both ways, the code point rules of
 * RFC 5892 (PVALID by general category, the exception table, CONTEXTJ and CONTEXTO rules), the
 * label rules of RFC 5891 section 4.2.3 and the Bidi rule of RFC 5893.
 *
 * General categories, scripts and the ignorable properties come from the engine's own Unicode data
 * through `\p{...}` escapes (ES2018+). What JavaScript does not expose (Bidi_Class, Joining_Type,
 * Canonical_Combining_Class=Virama) is in the range tables below, generated from Unicode 14 data:
 *   perl -e 'print join ",", grep { chr($_) =~ /\p{Ccc=Virama}/ } 0..0x10FFFF'   (likewise \p{Jt=D}, \p{Bc=R}, ...)
 * restricted to the code points a U-label can hold (letters, marks, digits and the exceptions), as
 * [first, last] pairs. Case folding is approximated by toUpperCase().toLowerCase(), which differs
 * from Unicode full case folding only for U+0131 and the Cherokee small letters, handled explicitly.
 */

export const IDNA_HELPERS: Record<string, string> = {
  idna: String.raw`
const BIDI_RTL = [
  0x5d0, 0x5ea, 0x5ef, 0x5f4, 0x620, 0x64a, 0x66e, 0x66f, 0x671, 0x6d3, 0x6d5, 0x6d5, 0x6e5, 0x6e6, 0x6ee, 0x6ef,
  0x6fa, 0x6fc, 0x6ff, 0x6ff, 0x710, 0x710, 0x712, 0x72f, 0x74d, 0x7a5, 0x7b1, 0x7b1, 0x7c0, 0x7ea, 0x7f4, 0x7f5,
  0x7fa, 0x7fa, 0x800, 0x815, 0x81a, 0x81a, 0x824, 0x824, 0x828, 0x828, 0x840, 0x858, 0x860, 0x86a, 0x870, 0x887,
  0x889, 0x88e, 0x8a0, 0x8c9, 0xfb1d, 0xfb1d, 0xfb1f, 0xfb28, 0xfb2a, 0xfb36, 0xfb38, 0xfb3c, 0xfb3e, 0xfb3e, 0xfb40, 0xfb41,
  0xfb43, 0xfb44, 0xfb46, 0xfbb1, 0xfbd3, 0xfd3d, 0xfd50, 0xfd8f, 0xfd92, 0xfdc7, 0xfdf0, 0xfdfb, 0xfe70, 0xfe74, 0xfe76, 0xfefc,
  0x10800, 0x10805, 0x10808, 0x10808, 0x1080a, 0x10835, 0x10837, 0x10838, 0x1083c, 0x1083c, 0x1083f, 0x10855, 0x10860, 0x10876, 0x10880, 0x1089e,
  0x108e0, 0x108f2, 0x108f4, 0x108f5, 0x10900, 0x10915, 0x10920, 0x10939, 0x10980, 0x109b7, 0x109be, 0x109bf, 0x10a00, 0x10a00, 0x10a10, 0x10a13,
  0x10a15, 0x10a17, 0x10a19, 0x10a35, 0x10a60, 0x10a7c, 0x10a80, 0x10a9c, 0x10ac0, 0x10ac7, 0x10ac9, 0x10ae4, 0x10b00, 0x10b35, 0x10b40, 0x10b55,
  0x10b60, 0x10b72, 0x10b80, 0x10b91, 0x10c00, 0x10c48, 0x10cc0, 0x10cf2, 0x10d00, 0x10d23, 0x10e80, 0x10ea9, 0x10eb0, 0x10eb1, 0x10f00, 0x10f1c,
  0x10f27, 0x10f27, 0x10f30, 0x10f45, 0x10f70, 0x10f81, 0x10fb0, 0x10fc4, 0x10fe0, 0x10ff6, 0x1e800, 0x1e8c4, 0x1e922, 0x1e943, 0x1e94b, 0x1e94b,
  0x1e950, 0x1e959, 0x1ee00, 0x1ee03, 0x1ee05, 0x1ee1f, 0x1ee21, 0x1ee22, 0x1ee24, 0x1ee24, 0x1ee27, 0x1ee27, 0x1ee29, 0x1ee32, 0x1ee34, 0x1ee37,
  0x1ee39, 0x1ee39, 0x1ee3b, 0x1ee3b, 0x1ee42, 0x1ee42, 0x1ee47, 0x1ee47, 0x1ee49, 0x1ee49, 0x1ee4b, 0x1ee4b, 0x1ee4d, 0x1ee4f, 0x1ee51, 0x1ee52,
  0x1ee54, 0x1ee54, 0x1ee57, 0x1ee57, 0x1ee59, 0x1ee59, 0x1ee5b, 0x1ee5b, 0x1ee5d, 0x1ee5d, 0x1ee5f, 0x1ee5f, 0x1ee61, 0x1ee62, 0x1ee64, 0x1ee64,
  0x1ee67, 0x1ee6a, 0x1ee6c, 0x1ee72, 0x1ee74, 0x1ee77, 0x1ee79, 0x1ee7c, 0x1ee7e, 0x1ee7e, 0x1ee80, 0x1ee89, 0x1ee8b, 0x1ee9b, 0x1eea1, 0x1eea3,
  0x1eea5, 0x1eea9, 0x1eeab, 0x1eebb,
];
const BIDI_AN = [
  0x660, 0x669, 0x10d30, 0x10d39,
];
const BIDI_EN = [
  0x30, 0x39, 0x6f0, 0x6f9, 0xff10, 0xff19, 0x1d7ce, 0x1d7ff, 0x1fbf0, 0x1fbf9,
];
const BIDI_ON = [
  0xb7, 0xb7, 0x2b9, 0x2ba, 0x2c6, 0x2cf, 0x2ec, 0x2ec, 0x374, 0x375, 0x200c, 0x200d, 0x2e2f, 0x2e2f, 0x30fb, 0x30fb,
  0xa67f, 0xa67f, 0xa717, 0xa71f, 0xa788, 0xa788,
];
const VIRAMA = [
  0x94d, 0x94d, 0x9cd, 0x9cd, 0xa4d, 0xa4d, 0xacd, 0xacd, 0xb4d, 0xb4d, 0xbcd, 0xbcd, 0xc4d, 0xc4d, 0xccd, 0xccd,
  0xd3b, 0xd3c, 0xd4d, 0xd4d, 0xdca, 0xdca, 0xe3a, 0xe3a, 0xeba, 0xeba, 0xf84, 0xf84, 0x1039, 0x103a, 0x1714, 0x1715,
  0x1734, 0x1734, 0x17d2, 0x17d2, 0x1a60, 0x1a60, 0x1b44, 0x1b44, 0x1baa, 0x1bab, 0x1bf2, 0x1bf3, 0x2d7f, 0x2d7f, 0xa806, 0xa806,
  0xa82c, 0xa82c, 0xa8c4, 0xa8c4, 0xa953, 0xa953, 0xa9c0, 0xa9c0, 0xaaf6, 0xaaf6, 0xabed, 0xabed, 0x10a3f, 0x10a3f, 0x11046, 0x11046,
  0x11070, 0x11070, 0x1107f, 0x1107f, 0x110b9, 0x110b9, 0x11133, 0x11134, 0x111c0, 0x111c0, 0x11235, 0x11235, 0x112ea, 0x112ea, 0x1134d, 0x1134d,
  0x11442, 0x11442, 0x114c2, 0x114c2, 0x115bf, 0x115bf, 0x1163f, 0x1163f, 0x116b6, 0x116b6, 0x1172b, 0x1172b, 0x11839, 0x11839, 0x1193d, 0x1193e,
  0x119e0, 0x119e0, 0x11a34, 0x11a34, 0x11a47, 0x11a47, 0x11a99, 0x11a99, 0x11c3f, 0x11c3f, 0x11d44, 0x11d45, 0x11d97, 0x11d97,
];
const JOIN_LEFT = [
  0x620, 0x620, 0x626, 0x626, 0x628, 0x628, 0x62a, 0x62e, 0x633, 0x63f, 0x641, 0x647, 0x649, 0x64a, 0x66e, 0x66f,
  0x678, 0x687, 0x69a, 0x6bf, 0x6c1, 0x6c2, 0x6cc, 0x6cc, 0x6ce, 0x6ce, 0x6d0, 0x6d1, 0x6fa, 0x6fc, 0x6ff, 0x6ff,
  0x712, 0x714, 0x71a, 0x71d, 0x71f, 0x727, 0x729, 0x729, 0x72b, 0x72b, 0x72d, 0x72e, 0x74e, 0x758, 0x75c, 0x76a,
  0x76d, 0x770, 0x772, 0x772, 0x775, 0x777, 0x77a, 0x77f, 0x7ca, 0x7ea, 0x841, 0x845, 0x848, 0x848, 0x84a, 0x853,
  0x855, 0x855, 0x860, 0x860, 0x862, 0x865, 0x868, 0x868, 0x886, 0x886, 0x889, 0x88d, 0x8a0, 0x8a9, 0x8af, 0x8b0,
  0x8b3, 0x8b8, 0x8ba, 0x8c8, 0x1807, 0x1807, 0x1820, 0x1878, 0x1887, 0x18a8, 0x18aa, 0x18aa, 0xa840, 0xa872, 0x10ac0, 0x10ac4,
  0x10acd, 0x10acd, 0x10ad3, 0x10adc, 0x10ade, 0x10ae0, 0x10aeb, 0x10aee, 0x10b80, 0x10b80, 0x10b82, 0x10b82, 0x10b86, 0x10b88, 0x10b8a, 0x10b8b,
  0x10b8d, 0x10b8d, 0x10b90, 0x10b90, 0x10bad, 0x10bae, 0x10d00, 0x10d21, 0x10d23, 0x10d23, 0x10f30, 0x10f32, 0x10f34, 0x10f44, 0x10f51, 0x10f53,
  0x10f70, 0x10f73, 0x10f76, 0x10f81, 0x10fb0, 0x10fb0, 0x10fb2, 0x10fb3, 0x10fb8, 0x10fb8, 0x10fbb, 0x10fbc, 0x10fbe, 0x10fbf, 0x10fc1, 0x10fc1,
  0x10fc4, 0x10fc4, 0x10fca, 0x10fcb, 0x1e900, 0x1e943,
];
const JOIN_RIGHT = [
  0x620, 0x620, 0x622, 0x63f, 0x641, 0x64a, 0x66e, 0x66f, 0x671, 0x673, 0x675, 0x6d3, 0x6d5, 0x6d5, 0x6ee, 0x6ef,
  0x6fa, 0x6fc, 0x6ff, 0x6ff, 0x710, 0x710, 0x712, 0x72f, 0x74d, 0x77f, 0x7ca, 0x7ea, 0x840, 0x858, 0x860, 0x860,
  0x862, 0x865, 0x867, 0x86a, 0x870, 0x882, 0x886, 0x886, 0x889, 0x88e, 0x8a0, 0x8ac, 0x8ae, 0x8c8, 0x1807, 0x1807,
  0x1820, 0x1878, 0x1887, 0x18a8, 0x18aa, 0x18aa, 0xa840, 0xa871, 0x10ac0, 0x10ac5, 0x10ac7, 0x10ac7, 0x10ac9, 0x10aca, 0x10ace, 0x10ad6,
  0x10ad8, 0x10ae1, 0x10ae4, 0x10ae4, 0x10aeb, 0x10aef, 0x10b80, 0x10b91, 0x10ba9, 0x10bae, 0x10d01, 0x10d23, 0x10f30, 0x10f44, 0x10f51, 0x10f54,
  0x10f70, 0x10f81, 0x10fb0, 0x10fb0, 0x10fb2, 0x10fb6, 0x10fb8, 0x10fbf, 0x10fc1, 0x10fc4, 0x10fc9, 0x10fca, 0x1e900, 0x1e943,
];
/** Whether c is in one of the sorted [first, last] pairs of table. */
function inRanges(table: readonly number[], c: number): boolean {
  let lo = 0;
  let hi = (table.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < table[2 * mid]) hi = mid - 1;
    else if (c > table[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}
const LETTER_DIGIT = /^[\p{Ll}\p{Lm}\p{Lo}\p{Mn}\p{Mc}\p{Nd}]$/u;
const IGNORABLE = /^[\p{Default_Ignorable_Code_Point}\p{White_Space}\p{Noncharacter_Code_Point}]$/u;
const MARK = /^\p{M}$/u;
const NSM = /^[\p{Mn}\p{Me}]$/u;
const GREEK = /^\p{Script=Greek}$/u;
const HEBREW = /^\p{Script=Hebrew}$/u;
const KANA_HAN = /^[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]$/u;
const chr = String.fromCodePoint;

/** RFC 5892 derived property PVALID, for a code point outside a-z, 0-9, "-" and the CONTEXT ones. */
function idnaPvalid(c: number): boolean {
  // Exceptions (section 2.6), then the blocks and properties that disallow a letter or digit.
  if (c === 0xdf || c === 0x3c2 || c === 0x6fd || c === 0x6fe || c === 0xf0b || c === 0x3007 || c === 0x131) return true;
  if (c === 0x640 || c === 0x7fa || c === 0x302e || c === 0x302f || (c >= 0x3031 && c <= 0x3035) || c === 0x303b) return false;
  if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0xa960 && c <= 0xa97f) || (c >= 0xd7b0 && c <= 0xd7ff)) return false;
  if ((c >= 0x20d0 && c <= 0x20ff) || (c >= 0x1d100 && c <= 0x1d24f)) return false;
  if ((c >= 0x13f8 && c <= 0x13fd) || (c >= 0xab70 && c <= 0xabbf)) return false;
  const ch = chr(c);
  if (!LETTER_DIGIT.test(ch) || IGNORABLE.test(ch)) return false;
  // Unstable: NFKC(casefold(NFKC(c))) must give c back.
  return ch.normalize('NFKC') === ch && ch.toUpperCase().toLowerCase().normalize('NFKC') === ch;
}

/** RFC 5892 appendix A.1: ZERO WIDTH NON-JOINER after a virama, or inside a cursive joining context. */
function zwnjOk(cps: readonly number[], k: number): boolean {
  if (k > 0 && inRanges(VIRAMA, cps[k - 1])) return true;
  const transparent = (c: number) => c === 0x1e94b || NSM.test(chr(c));
  let j = k - 1;
  while (j >= 0 && transparent(cps[j])) j--;
  if (j < 0 || !inRanges(JOIN_LEFT, cps[j])) return false;
  j = k + 1;
  while (j < cps.length && transparent(cps[j])) j++;
  return j < cps.length && inRanges(JOIN_RIGHT, cps[j]);
}

/** A U-label's code points: RFC 5891 section 4.2.3 (hyphens, leading mark, NFC) and RFC 5892 (PVALID, CONTEXTJ, CONTEXTO). */
function uLabelOk(cps: readonly number[]): boolean {
  const n = cps.length;
  if (n === 0 || n > 63 || cps[0] === 45 || cps[n - 1] === 45 || (cps[2] === 45 && cps[3] === 45)) return false;
  const label = chr(...cps);
  if (label.normalize('NFC') !== label || MARK.test(chr(cps[0]))) return false;
  let arabicDigits = 0;
  for (let k = 0; k < n; k++) {
    const c = cps[k];
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45) continue;
    if (c >= 0x660 && c <= 0x669) arabicDigits |= 1;
    else if (c >= 0x6f0 && c <= 0x6f9) arabicDigits |= 2;
    else if (c === 0xb7) {
      if (cps[k - 1] !== 0x6c || cps[k + 1] !== 0x6c) return false;
    } else if (c === 0x375) {
      if (k + 1 >= n || !GREEK.test(chr(cps[k + 1]))) return false;
    } else if (c === 0x5f3 || c === 0x5f4) {
      if (k === 0 || !HEBREW.test(chr(cps[k - 1]))) return false;
    } else if (c === 0x30fb) {
      if (!cps.some((x) => x !== 0x30fb && KANA_HAN.test(chr(x)))) return false;
    } else if (c === 0x200d) {
      if (k === 0 || !inRanges(VIRAMA, cps[k - 1])) return false;
    } else if (c === 0x200c) {
      if (!zwnjOk(cps, k)) return false;
    } else if (!idnaPvalid(c)) return false;
  }
  // ARABIC-INDIC DIGITS and EXTENDED ARABIC-INDIC DIGITS do not mix.
  return arabicDigits !== 3;
}

/** Bidi_Class as the Bidi rule needs it: 0 L, 1 R or AL, 2 AN, 3 EN, 4 NSM, 5 any other. */
function bidiOf(c: number): number {
  if (c < 128) return c >= 48 && c <= 57 ? 3 : (c | 32) >= 97 && (c | 32) <= 122 ? 0 : 5;
  if (inRanges(BIDI_RTL, c)) return 1;
  if (inRanges(BIDI_AN, c)) return 2;
  if (inRanges(BIDI_EN, c)) return 3;
  if (NSM.test(chr(c))) return 4;
  return inRanges(BIDI_ON, c) ? 5 : 0;
}

/** RFC 5893 section 2, the six conditions, for one label of a Bidi domain name. */
function bidiLabelOk(cps: readonly number[]): boolean {
  const first = bidiOf(cps[0]);
  if (first > 1) return false;
  let last = cps.length - 1;
  while (last > 0 && bidiOf(cps[last]) === 4) last--;
  const end = bidiOf(cps[last]);
  let digits = 0;
  for (const c of cps) {
    const b = bidiOf(c);
    if (first === 1 ? b === 0 : b === 1 || b === 2) return false;
    if (b === 2) digits |= 1;
    else if (b === 3) digits |= 2;
  }
  return first === 1 ? digits !== 3 && end >= 1 && end <= 3 : end === 0 || end === 3;
}

function punyAdapt(delta: number, points: number, first: boolean): number {
  delta = first ? Math.floor(delta / 700) : delta >> 1;
  delta += Math.floor(delta / points);
  let k = 0;
  while (delta > 455) {
    delta = Math.floor(delta / 35);
    k += 36;
  }
  return k + Math.floor((36 * delta) / (delta + 38));
}

/** RFC 3492 decoding; undefined when the input is not valid Punycode. */
function punyDecode(input: string): number[] | undefined {
  const out: number[] = [];
  const delimiter = input.lastIndexOf('-');
  for (let j = 0; j < delimiter; j++) out.push(input.charCodeAt(j));
  let n = 128;
  let bias = 72;
  let i = 0;
  for (let k = delimiter > 0 ? delimiter + 1 : 0; k < input.length; ) {
    const previous = i;
    for (let w = 1, t = 36; ; t += 36) {
      if (k >= input.length) return undefined;
      const c = input.charCodeAt(k++);
      const digit = c >= 48 && c <= 57 ? c - 22 : c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 97 : 36;
      if (digit >= 36 || digit > Math.floor((0x7fffffff - i) / w)) return undefined;
      i += digit * w;
      const threshold = t <= bias ? 1 : t >= bias + 26 ? 26 : t - bias;
      if (digit < threshold) break;
      if (w > Math.floor(0x7fffffff / (36 - threshold))) return undefined;
      w *= 36 - threshold;
    }
    const size = out.length + 1;
    bias = punyAdapt(i - previous, size, previous === 0);
    n += Math.floor(i / size);
    i %= size;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return undefined;
    out.splice(i++, 0, n);
  }
  return out;
}

/** RFC 3492 encoding of a label's code points (lower-case digits). */
function punyEncode(cps: readonly number[]): string {
  let out = '';
  for (const c of cps) if (c < 128) out += chr(c);
  const basic = out.length;
  if (basic > 0) out += '-';
  let n = 128;
  let delta = 0;
  let bias = 72;
  for (let h = basic; h < cps.length; n++, delta++) {
    let m = 0x10ffff;
    for (const c of cps) if (c >= n && c < m) m = c;
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = 36; ; k += 36) {
        const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (q < t) break;
        const d = t + ((q - t) % (36 - t));
        out += chr(d < 26 ? d + 97 : d + 22);
        q = Math.floor((q - t) / (36 - t));
      }
      out += chr(q < 26 ? q + 97 : q + 22);
      bias = punyAdapt(delta, h + 1, h === basic);
      delta = 0;
      h++;
    }
  }
  return out;
}

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
/**
 * A domain name's labels under IDNA2008: LDH labels, A-labels (which must decode, hold non-ASCII,
 * re-encode to themselves and pass as U-labels) and, when unicode, U-labels; at most 63 octets a
 * label and 253 the name in A-label form; the Bidi rule when any label is right-to-left.
 */
function idnaName(labels: readonly string[], unicode: boolean): boolean {
  let total = labels.length - 1;
  let bidi = false;
  const decoded: number[][] = [];
  for (const label of labels) {
    let cps: number[];
    if (!unicode || /^[\x00-\x7f]+$/.test(label)) {
      if (!LDH_LABEL.test(label)) return false;
      total += label.length;
      if (label.charCodeAt(2) === 45 && label.charCodeAt(3) === 45 && (label.charCodeAt(0) | 32) === 120 && (label.charCodeAt(1) | 32) === 110) {
        const tail = label.slice(4).toLowerCase();
        const points = punyDecode(tail);
        if (!points || points.every((c) => c < 128) || punyEncode(points) !== tail || !uLabelOk(points)) return false;
        cps = points;
      } else {
        cps = [];
        for (let k = 0; k < label.length; k++) cps.push(label.charCodeAt(k));
      }
    } else {
      cps = [];
      for (const ch of label) cps.push(ch.codePointAt(0)!);
      if (!uLabelOk(cps)) return false;
      const size = punyEncode(cps).length + 4;
      if (size > 63) return false;
      total += size;
    }
    if (!bidi) {
      for (const c of cps) {
        const b = c >= 0x590 ? bidiOf(c) : 0;
        if (b === 1 || b === 2) bidi = true;
      }
    }
    decoded.push(cps);
  }
  return total <= 253 && (!bidi || decoded.every(bidiLabelOk));
}`,
};
