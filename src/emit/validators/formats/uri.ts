/**
 * Generated-runtime scanners for uri, uri-reference, iri, iri-reference (RFC 3986 / RFC 3987) and
 * uri-template (RFC 6570). Each is a single left-to-right pass over char codes: no regular
 * expression that could backtrack, so a hostile 1 MB string costs one linear scan.
 *
 * RFC 3986 is followed where ajv-formats' expression is looser: a port is digits only, userinfo
 * and host hold no second `@`, square brackets only enclose an IP literal, an IP literal's embedded
 * IPv4 has no leading zeros, and a relative reference's first segment holds no `:`.
 */

export const URI_HELPERS: Record<string, string> = {
  isHex: String.raw`
function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}`,
  uriChars: String.raw`
/** Bits of the ASCII characters URI components may hold literally: 1 unreserved and sub-delims, 2 ":", 4 "@", 8 "/", 16 "?". */
const URI_CHAR_BITS = /* @__PURE__ */ (() => {
  const bits = new Uint8Array(128);
  const set = (chars: string, bit: number) => {
    for (let k = 0; k < chars.length; k++) bits[chars.charCodeAt(k)] |= bit;
  };
  set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=", 1);
  set(':', 2);
  set('@', 4);
  set('/', 8);
  set('?', 16);
  return bits;
})();
/** RFC 3987 ucschar: the non-ASCII code points an IRI may hold literally. */
function isUcschar(c: number): boolean {
  if (c < 0x10000) return (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xffef);
  return c <= 0xefffd && (c & 0xffff) <= 0xfffd && (c < 0xe0000 || c >= 0xe1000);
}
/** RFC 3987 iprivate, allowed in an IRI's query only. */
function isIprivate(c: number): boolean {
  return (c >= 0xe000 && c <= 0xf8ff) || (c >= 0xf0000 && c <= 0x10fffd && (c & 0xffff) <= 0xfffd);
}
/**
 * True when s[i, end) holds only the ASCII characters of mask, %XX triplets and, for an IRI
 * (iri 1), ucschar, plus iprivate when iri is 2. A lone surrogate matches neither.
 */
function uriChars(s: string, i: number, end: number, mask: number, iri: number): boolean {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if (URI_CHAR_BITS[c] & mask) i++;
      else if (c === 37 && i + 2 < end && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) i += 3;
      else return false;
      continue;
    }
    if (iri === 0) return false;
    const cp = s.codePointAt(i)!;
    if (!(isUcschar(cp) || (iri === 2 && isIprivate(cp)))) return false;
    i += cp > 0xffff ? 2 : 1;
  }
  return true;
}`,
  uriRef: String.raw`
const IPV_FUTURE = /^v[0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+$/i;
/** RFC 3986 authority (RFC 3987 iauthority when iri) in s[i, end): [userinfo@]host[:port]. */
function uriAuthority(s: string, i: number, end: number, iri: number): boolean {
  const at = s.indexOf('@', i);
  if (at !== -1 && at < end) {
    if (!uriChars(s, i, at, 3, iri)) return false;
    i = at + 1;
  }
  let portStart: number;
  if (s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close === -1 || close >= end) return false;
    const literal = s.slice(i + 1, close);
    if (!isIpv6(literal) && !IPV_FUTURE.test(literal)) return false;
    portStart = close + 1;
    if (portStart < end && s.charCodeAt(portStart) !== 58) return false;
  } else {
    portStart = s.indexOf(':', i);
    if (portStart === -1 || portStart > end) portStart = end;
    // reg-name; an IPv4 address is one too.
    if (!uriChars(s, i, portStart, 1, iri)) return false;
  }
  for (let k = portStart + 1; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
/** RFC 3986 URI-reference (RFC 3987 IRI-reference when iri is 1); absolute requires the scheme. */
function uriRef(s: string, absolute: boolean, iri: number): boolean {
  const end = s.length;
  let i = 0;
  let scheme = false;
  const first = s.charCodeAt(0) | 32;
  if (first >= 97 && first <= 122) {
    let k = 1;
    while (k < end) {
      const c = s.charCodeAt(k);
      if (isAlnum(c) || c === 43 || c === 45 || c === 46) k++;
      else break;
    }
    if (s.charCodeAt(k) === 58) {
      scheme = true;
      i = k + 1;
    }
  }
  if (absolute && !scheme) return false;
  let hash = s.indexOf('#', i);
  if (hash === -1) hash = end;
  let query = s.indexOf('?', i);
  if (query === -1 || query > hash) query = hash;
  let path = i;
  if (s.charCodeAt(i) === 47 && s.charCodeAt(i + 1) === 47) {
    path = s.indexOf('/', i + 2);
    if (path === -1 || path > query) path = query;
    if (!uriAuthority(s, i + 2, path, iri)) return false;
  } else if (!scheme) {
    // path-noscheme: a colon in the first segment would read as a scheme.
    const colon = s.indexOf(':', i);
    if (colon !== -1 && colon < query) {
      const slash = s.indexOf('/', i);
      if (slash === -1 || slash > colon) return false;
    }
  }
  return uriChars(s, path, query, 15, iri) && (query === hash || uriChars(s, query + 1, hash, 31, iri === 1 ? 2 : 0)) && (hash === end || uriChars(s, hash + 1, end, 31, iri));
}`,
};

/** uri-template: RFC 6570 level 4 (literals, expressions with an operator, varspecs with prefix or explode). */
export const URI_TEMPLATE_CODE = String.raw`
/** RFC 6570 literals: any ASCII but controls, space, " % < > \ ^ \x60 { | } (the apostrophe included, as RFC 6570 erratum 6937 reads), plus ucschar and iprivate. */
function templateLiteral(c: number): boolean {
  return c > 32 && c < 127 && c !== 34 && c !== 37 && c !== 60 && c !== 62 && c !== 92 && c !== 94 && c !== 96 && c !== 123 && c !== 124 && c !== 125;
}
export function fUriTemplate(s: string): boolean {
  const end = s.length;
  let i = 0;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 123) {
      i++;
      const op = s.charCodeAt(i);
      // Operators: + # . / ; ? & and the reserved = , ! @ |
      if (op === 43 || op === 35 || op === 46 || op === 47 || op === 59 || op === 63 || op === 38 || op === 61 || op === 44 || op === 33 || op === 64 || op === 124) i++;
      while (true) {
        // varname: varchar *( ["."] varchar ), varchar = ALPHA / DIGIT / "_" / pct-encoded
        let chars = 0;
        let dot = false;
        while (i < end) {
          const v = s.charCodeAt(i);
          if (isAlnum(v) || v === 95) i++;
          else if (v === 37 && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) i += 3;
          else if (v === 46 && chars > 0 && !dot) {
            dot = true;
            i++;
            continue;
          } else break;
          chars++;
          dot = false;
        }
        if (chars === 0 || dot) return false;
        const m = s.charCodeAt(i);
        if (m === 42) i++;
        else if (m === 58) {
          i++;
          const start = i;
          while (i < end && i - start < 5 && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
          if (i === start || i - start > 4 || s.charCodeAt(start) === 48) return false;
        }
        const next = s.charCodeAt(i);
        if (next === 125) break;
        if (next !== 44) return false;
        i++;
      }
      i++;
    } else if (c === 37) {
      if (!isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return false;
      i += 3;
    } else if (c < 128) {
      if (!templateLiteral(c)) return false;
      i++;
    } else {
      const cp = s.codePointAt(i)!;
      if (!isUcschar(cp) && !isIprivate(cp)) return false;
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return true;
}`;
