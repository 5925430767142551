/**
 * Format checks emitted into the generated runtime, only for the formats a spec uses.
 *
 * Semantics are those of the RFCs as the JSON Schema Test Suite reads them, which is ajv-formats'
 * "full" mode except where ajv is laxer: date and time are RFC 3339 with a required time zone written
 * Z or +HH:MM (ajv also takes +HH and +HHMM), real month lengths, hours 00-23 and a leap second only
 * at 23:59:60 UTC; a space or `t` between date and time is accepted, as RFC 3339 allows and ajv does.
 * Host names have no trailing dot and a uuid no urn: prefix (ajv accepts both). The hot formats
 * (date, date-time, time, uuid, ipv4, hostname, email, byte, uri) are hand-written char-code
 * scanners: linear in the input and several times faster than ajv's regular expressions on real
 * payloads. Where ajv-formats is looser than the RFCs the stricter reading wins: uri and iri follow
 * RFC 3986/3987 (formats/uri.ts), email is an RFC 5321 Mailbox (quoted local parts and address
 * literals included), hostname decodes A-labels and applies IDNA2008 (formats/idna.ts, emitted only
 * for hostname and idn-hostname). ipv6, url, duration and relative-json-pointer reuse ajv-formats'
 * regular expressions (MIT, github.com/ajv-validator/ajv-formats).
 * Formats not listed here are accepted without checks (normalize lists them once as a warning).
 */
import { IDNA_HELPERS } from './formats/idna.js';
import { URI_HELPERS, URI_TEMPLATE_CODE } from './formats/uri.js';

/**
 * 'assert' (the default, as OpenAPI tooling and ajv-formats do): a value that does not match its
 * format fails. 'annotate': format is an annotation only, as JSON Schema 2020-12 reads it without
 * the format-assertion vocabulary; no format code is emitted.
 */
export type FormatMode = 'assert' | 'annotate';

export interface FormatDef {
  /** Name of the runtime function `(value) => boolean`. */
  fn: string;
  /** The JSON type the format applies to; values of other types pass. */
  applies: 'string' | 'number';
  /** Runtime functions this one calls. */
  deps?: string[];
}

/** Shared scanners the format functions are built from. */
const HELPERS: Record<string, string> = {
  ...URI_HELPERS,
  ...IDNA_HELPERS,
  isIpv4: String.raw`
/** Four decimal octets 0-255 without leading zeros. */
function isIpv4(s: string): boolean {
  if (s.length > 15) return false;
  let i = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (s.charCodeAt(i) !== 46) return false;
      i++;
    }
    const start = i;
    let value = 0;
    while (i < s.length && i - start < 4) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + c - 48;
      i++;
    }
    const size = i - start;
    if (size === 0 || size > 3 || value > 255 || (size > 1 && s.charCodeAt(start) === 48)) return false;
  }
  return i === s.length;
}`,
  isIpv6: String.raw`
const IPV6 = /^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$/i;
/** The longest IPv6 text is 45 characters: the bound keeps the expression's work constant. */
function isIpv6(s: string): boolean {
  return s.length <= 45 && IPV6.test(s);
}`,
  mailbox: String.raw`
/**
 * RFC 5321 Mailbox: a dot-string or quoted-string local part, then a domain of at least two host
 * labels (as ajv-formats) or an IPv4 / IPv6 address literal. With intl (RFC 6531) the local part
 * and the domain labels may also hold any non-ASCII character.
 */
function mailbox(s: string, intl: boolean): boolean {
  const end = s.length;
  let i = 0;
  if (s.charCodeAt(0) === 34) {
    for (i = 1; ; i++) {
      if (i >= end) return false;
      const c = s.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        const d = s.charCodeAt(++i);
        if (!((d >= 32 && d <= 126) || (intl && d >= 128))) return false;
      } else if (!((c >= 32 && c <= 126) || (intl && c >= 128))) return false;
    }
    i++;
  } else {
    let previousDot = true;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 64) break;
      if (c === 46) {
        if (previousDot) return false;
        previousDot = true;
        continue;
      }
      previousDot = false;
      // atext: letters, digits and !#$%&'*+/=?^_\x60{|}~-
      if (!(isAlnum(c) || c === 33 || (c >= 35 && c <= 39) || c === 42 || c === 43 || c === 45 || c === 47 || c === 61 || c === 63 || (c >= 94 && c <= 96) || (c >= 123 && c <= 126) || (intl && c >= 128))) return false;
    }
    if (previousDot) return false;
  }
  if (s.charCodeAt(i) !== 64) return false;
  i++;
  if (s.charCodeAt(i) === 91) return addressLiteral(s, i);
  return intl ? intlDomain(s, i, end) : hostLabels(s, i, end, 2, Infinity);
}
/** RFC 5321 address-literal from i (at the "[") to the end: an IPv4 address or "IPv6:" and an IPv6 address. */
function addressLiteral(s: string, i: number): boolean {
  if (s.charCodeAt(s.length - 1) !== 93) return false;
  const literal = s.slice(i + 1, s.length - 1);
  return /^ipv6:/i.test(literal) ? isIpv6(literal.slice(5)) : isIpv4(literal);
}
/** RFC 6531 domain: at least two labels of letters, digits, inner hyphens or non-ASCII characters. */
function intlDomain(s: string, i: number, end: number): boolean {
  let labels = 0;
  while (true) {
    const start = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c === 46) break;
      if (!isAlnum(c) && c !== 45 && c < 128) return false;
      i++;
    }
    if (i === start || s.charCodeAt(start) === 45 || s.charCodeAt(i - 1) === 45) return false;
    labels++;
    if (i === end) return labels >= 2;
    i++;
  }
}`,
  digits2: String.raw`
/** Two ASCII digits at i as a number, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}`,
  dateAt: String.raw`
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** RFC 3339 full-date (YYYY-MM-DD) at i, with real month lengths. */
function dateAt(s: string, i: number): boolean {
  const y1 = digits2(s, i);
  const y2 = digits2(s, i + 2);
  if (y1 < 0 || y2 < 0 || s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45) return false;
  const month = digits2(s, i + 5);
  const day = digits2(s, i + 8);
  if (month < 1 || month > 12 || day < 1) return false;
  if (month !== 2) return day <= DAYS[month];
  const year = y1 * 100 + y2;
  return day <= (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28);
}`,
  timeFrom: String.raw`
/** RFC 3339 full-time from i to the end: HH:MM:SS[.frac] then Z or +HH:MM / -HH:MM (required when strictZone). */
function timeFrom(s: string, i: number, strictZone: boolean): boolean {
  const hr = digits2(s, i);
  const min = digits2(s, i + 3);
  const sec = digits2(s, i + 6);
  if (hr < 0 || hr > 23 || min < 0 || min > 59 || sec < 0 || sec > 60 || s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58) return false;
  let j = i + 8;
  const end = s.length;
  if (s.charCodeAt(j) === 46) {
    const start = ++j;
    while (j < end) {
      const c = s.charCodeAt(j);
      if (c < 48 || c > 57) break;
      j++;
    }
    if (j === start) return false;
  }
  let offset = 0;
  if (j === end) {
    if (strictZone) return false;
  } else {
    const c = s.charCodeAt(j);
    if (c === 90 || c === 122) {
      if (j + 1 !== end) return false;
    } else if (c === 43 || c === 45) {
      const tzH = digits2(s, j + 1);
      const tzM = digits2(s, j + 4);
      if (tzH < 0 || tzH > 23 || tzM < 0 || tzM > 59 || s.charCodeAt(j + 3) !== 58 || j + 6 !== end) return false;
      offset = (c === 45 ? -1 : 1) * (tzH * 60 + tzM);
    } else return false;
  }
  if (sec < 60) return true;
  // A leap second is 23:59:60 in UTC.
  const utc = (((hr * 60 + min - offset) % 1440) + 1440) % 1440;
  return utc === 23 * 60 + 59;
}`,
  isSpace: String.raw`
/** What a regular expression's \s matches. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}`,
  isAlnum: String.raw`
function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}`,
  hostLabels: String.raw`
/** Dot-separated labels of letters, digits and inner hyphens, from i to end. */
function hostLabels(s: string, i: number, end: number, minLabels: number, maxLabel: number): boolean {
  let labels = 0;
  while (true) {
    const start = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c === 46) break;
      if (!isAlnum(c) && c !== 45) return false;
      i++;
    }
    const size = i - start;
    if (size === 0 || size > maxLabel || s.charCodeAt(start) === 45 || s.charCodeAt(i - 1) === 45) return false;
    labels++;
    if (i === end) return labels >= minLabels;
    i++;
  }
}`,
};

/** The four URI/IRI formats: one scanner (uriRef), told whether a scheme is required and whether IRI characters are allowed. */
function uriFormat(fn: string, doc: string, absolute: boolean, iri: 0 | 1): FormatDef & { code: string } {
  return {
    fn,
    applies: 'string',
    deps: ['isAlnum', 'isIpv6', 'isHex', 'uriChars', 'uriRef'],
    code: `
/** ${doc} */
export function ${fn}(s: string): boolean {
  return uriRef(s, ${absolute}, ${iri});
}`,
  };
}

const FORMATS: Record<string, FormatDef & { code: string }> = {
  date: {
    fn: 'fDate',
    applies: 'string',
    deps: ['digits2', 'dateAt'],
    code: String.raw`
export function fDate(s: string): boolean {
  return s.length === 10 && dateAt(s, 0);
}`,
  },
  'date-time': {
    fn: 'fDateTime',
    applies: 'string',
    deps: ['digits2', 'dateAt', 'timeFrom', 'isSpace'],
    code: String.raw`
export function fDateTime(s: string): boolean {
  if (s.length < 20) return false;
  const c = s.charCodeAt(10);
  return (c === 84 || c === 116 || isSpace(c)) && dateAt(s, 0) && timeFrom(s, 11, true);
}`,
  },
  time: {
    fn: 'fTime',
    applies: 'string',
    deps: ['digits2', 'timeFrom'],
    code: String.raw`
export function fTime(s: string): boolean {
  return s.length >= 9 && timeFrom(s, 0, true);
}`,
  },
  uuid: {
    fn: 'fUuid',
    applies: 'string',
    code: String.raw`
/** RFC 4122 text form: 8-4-4-4-12 hex digits. */
export function fUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let k = 0; k < 36; k++) {
    const c = s.charCodeAt(k);
    if (k === 8 || k === 13 || k === 18 || k === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}`,
  },
  ipv4: {
    fn: 'fIpv4',
    applies: 'string',
    deps: ['isIpv4'],
    code: String.raw`
export function fIpv4(s: string): boolean {
  return isIpv4(s);
}`,
  },
  ipv6: {
    fn: 'fIpv6',
    applies: 'string',
    deps: ['isIpv6'],
    code: String.raw`
export function fIpv6(s: string): boolean {
  return isIpv6(s);
}`,
  },
  hostname: {
    fn: 'fHostname',
    applies: 'string',
    deps: ['isAlnum', 'hostLabels', 'idna'],
    code: String.raw`
const ACE_LABEL = /(?:^|\.)xn--/i;
/**
 * RFC 1123 host name: at most 253 characters in labels of 1-63 letters, digits and inner hyphens;
 * an A-label (xn--) must also be valid IDNA2008 (RFC 5890-5893).
 */
export function fHostname(s: string): boolean {
  return s.length > 0 && s.length <= 253 && hostLabels(s, 0, s.length, 1, 63) && (!ACE_LABEL.test(s) || idnaName(s.split('.'), false));
}`,
  },
  'idn-hostname': {
    fn: 'fIdnHostname',
    applies: 'string',
    deps: ['idna'],
    code: String.raw`
/** RFC 5890-5893 internationalized host name; labels end at any of the IDNA dots (RFC 3490 section 3.1). */
export function fIdnHostname(s: string): boolean {
  // An A-label has at least as many characters as its U-label has code points: 253 of them are at most 506 UTF-16 units.
  return s.length > 0 && s.length <= 506 && idnaName(s.split(/[.\u3002\uff0e\uff61]/), true);
}`,
  },
  email: {
    fn: 'fEmail',
    applies: 'string',
    deps: ['isAlnum', 'hostLabels', 'isIpv4', 'isIpv6', 'mailbox'],
    code: String.raw`
/**
 * RFC 5321 Mailbox: dot-atom or quoted local part, then host labels or an address literal. The
 * common shape (dot-atom@host) is scanned inline; quoted local parts go through mailbox().
 */
export function fEmail(s: string): boolean {
  if (s.charCodeAt(0) === 34) return mailbox(s, false);
  const at = s.indexOf('@');
  if (at <= 0) return false;
  let previousDot = true;
  for (let i = 0; i < at; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (previousDot) return false;
      previousDot = true;
      continue;
    }
    previousDot = false;
    // atext: letters, digits and !#$%&'*+/=?^_\x60{|}~-
    if (!(isAlnum(c) || c === 33 || (c >= 35 && c <= 39) || c === 42 || c === 43 || c === 45 || c === 47 || c === 61 || c === 63 || (c >= 94 && c <= 96) || (c >= 123 && c <= 126))) return false;
  }
  if (previousDot) return false;
  return s.charCodeAt(at + 1) === 91 ? addressLiteral(s, at + 1) : hostLabels(s, at + 1, s.length, 2, Infinity);
}`,
  },
  'idn-email': {
    fn: 'fIdnEmail',
    applies: 'string',
    deps: ['isAlnum', 'hostLabels', 'isIpv4', 'isIpv6', 'mailbox'],
    code: String.raw`
/** RFC 6531 Mailbox: an email address whose local part and domain may be non-ASCII. */
export function fIdnEmail(s: string): boolean {
  return mailbox(s, true);
}`,
  },
  byte: {
    fn: 'fByte',
    applies: 'string',
    code: String.raw`
/** Base64 (RFC 4648 section 4) with padding. */
export function fByte(s: string): boolean {
  const end = s.length;
  if (end % 4 !== 0) return false;
  let pad = 0;
  if (end > 0 && s.charCodeAt(end - 1) === 61) pad = s.charCodeAt(end - 2) === 61 ? 2 : 1;
  for (let i = 0; i < end - pad; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47)) return false;
  }
  return true;
}`,
  },
  uri: uriFormat('fUri', 'An absolute URI (RFC 3986), scheme required.', true, 0),
  'uri-reference': uriFormat('fUriReference', 'A URI or a relative reference (RFC 3986).', false, 0),
  iri: uriFormat('fIri', 'An absolute IRI (RFC 3987), scheme required.', true, 1),
  'iri-reference': uriFormat('fIriReference', 'An IRI or a relative IRI reference (RFC 3987).', false, 1),
  url: {
    fn: 'fUrl',
    applies: 'string',
    code: String.raw`
const URL_PATTERN = /^(?:https?|ftp):\/\/(?:\S+(?::\S*)?@)?(?:(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)(?:\.(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)*(?:\.(?:[a-z\u{00a1}-\u{ffff}]{2,})))(?::\d{2,5})?(?:\/[^\s]*)?$/iu;
/** An http(s) or ftp URL with a public host (the dperini expression ajv-formats uses). */
export function fUrl(s: string): boolean {
  return URL_PATTERN.test(s);
}`,
  },
  'uri-template': {
    fn: 'fUriTemplate',
    applies: 'string',
    deps: ['isAlnum', 'isHex', 'uriChars'],
    code: URI_TEMPLATE_CODE,
  },
  'json-pointer': {
    fn: 'fJsonPointer',
    applies: 'string',
    code: String.raw`
/** RFC 6901: empty, or "/" segments where "~" is followed by 0 or 1. */
export function fJsonPointer(s: string): boolean {
  if (s.length > 0 && s.charCodeAt(0) !== 47) return false;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === 126) {
      const c = s.charCodeAt(i + 1);
      if (c !== 48 && c !== 49) return false;
    }
  }
  return true;
}`,
  },
  'relative-json-pointer': {
    fn: 'fRelativeJsonPointer',
    applies: 'string',
    code: String.raw`
const RELATIVE_JSON_POINTER = /^(?:0|[1-9][0-9]*)(?:#|(?:\/(?:[^~/]|~0|~1)*)*)$/;
export function fRelativeJsonPointer(s: string): boolean {
  return RELATIVE_JSON_POINTER.test(s);
}`,
  },
  duration: {
    fn: 'fDuration',
    applies: 'string',
    code: String.raw`
/** RFC 3339 appendix A: units in order without gaps (P1Y2M, not P1Y2D), or weeks alone. */
const DURATION = /^P(?:(?:\d+D|\d+M(?:\d+D)?|\d+Y(?:\d+M(?:\d+D)?)?)(?:T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S))?|T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S)|\d+W)$/;
export function fDuration(s: string): boolean {
  return DURATION.test(s);
}`,
  },
  regex: {
    fn: 'fRegex',
    applies: 'string',
    code: String.raw`
/**
 * An ECMA-262 regular expression. Compiled with the u flag: without it, engines accept the web
 * compatibility syntax of Annex B (\a as an identity escape, a lone ] or {), which ECMA-262's
 * grammar proper rejects. \Z is Python's end anchor, not ECMAScript's.
 */
export function fRegex(s: string): boolean {
  if (/[^\\]\\Z/.test(s)) return false;
  try {
    new RegExp(s, 'u');
    return true;
  } catch {
    return false;
  }
}`,
  },
  int32: {
    fn: 'fInt32',
    applies: 'number',
    code: String.raw`
export function fInt32(n: number): boolean {
  return Number.isInteger(n) && n <= 2147483647 && n >= -2147483648;
}`,
  },
  int64: {
    fn: 'fInt64',
    applies: 'number',
    code: String.raw`
/** Every JavaScript integer fits in 64 bits. */
export function fInt64(n: number): boolean {
  return Number.isInteger(n);
}`,
  },
};

/** The check for a format, or undefined when the format is accepted without checks (every format, when annotating). */
export function formatDef(format: string, mode: FormatMode = 'assert'): FormatDef | undefined {
  return mode === 'assert' && Object.prototype.hasOwnProperty.call(FORMATS, format) ? FORMATS[format] : undefined;
}

/** Source of the format functions (and their helpers) for the given formats, in a fixed order. */
export function formatSource(formats: Iterable<string>): string {
  const wanted = new Set(formats);
  const helpers = new Set<string>();
  const parts: string[] = [];
  for (const [name, def] of Object.entries(FORMATS)) {
    if (!wanted.has(name)) continue;
    for (const dep of def.deps ?? []) helpers.add(dep);
    parts.push(def.code.trim());
  }
  const helperParts = Object.entries(HELPERS)
    .filter(([name]) => helpers.has(name))
    .map(([, code]) => code.trim());
  return [...helperParts, ...parts].join('\n\n');
}

/** Names of every format function, reserved so that no generated name can shadow one. */
export const FORMAT_FUNCTIONS: readonly string[] = Object.values(FORMATS).map((def) => def.fn);
