/** Small helpers for reading docs-page prose. */

/** Normalizes what copy-paste from a browser leaves: CRLF, non-breaking spaces, curly quotes. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"');
}

/** Paragraphs: runs of non-blank lines, each with the line number it starts on. */
export function paragraphs(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const lines = text.split('\n');
  let current: string[] = [];
  let start = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      if (current.length) out.push({ text: current.join('\n'), line: start + 1 });
      current = [];
    } else {
      if (!current.length) start = i;
      current.push(line.trim());
    }
  });
  if (current.length) out.push({ text: current.join('\n'), line: start + 1 });
  return out;
}

/** The text of every `inline code` span, in order. */
export function codeSpans(text: string): string[] {
  return [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
}

/** The first sentence (up to the first `. ` or `: `), for matching a paragraph to a field. */
export function leadSentence(text: string): string {
  const m = /^(.*?[^.\s][.:])(\s|$)/s.exec(text.replace(/\s+/g, ' '));
  return (m ? m[1] : text).trim();
}

/** Lower-case words, with a plural `s` dropped: "scopes" matches `scope`. */
export function wordSet(text: string): Set<string> {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return new Set(words.flatMap((w) => (w.length > 3 && w.endsWith('s') ? [w, w.slice(0, -1)] : [w])));
}

export const HTTP_METHOD_LINE = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s*(\/[^\s|]*)/;

/** `production.plaid.com` -> "Production": how Plaid and most APIs name environments by host. */
export function serverDescription(url: string): string | undefined {
  const host = /^[a-z]+:\/\/([^/.:]+)/i.exec(url)?.[1];
  if (!host || /^(api|www)$/i.test(host)) return undefined;
  return host[0].toUpperCase() + host.slice(1);
}
