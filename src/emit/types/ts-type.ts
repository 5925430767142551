import type { CodeBlockWriter } from '../shared/writer.js';
import { propertyKey } from '../shared/escape.js';
import { writeDoc, type DocParts } from '../shared/jsdoc.js';

/**
 * A small tree of TypeScript type expressions. Schemas are first turned into this tree (where
 * unions are flattened and deduplicated), then printed once with ts-morph's writer; the printer
 * alone knows about parentheses and layout.
 */
export type TsType =
  /** A keyword, a type name or a literal, already safe to print. */
  | { k: 'text'; text: string }
  | { k: 'union'; members: TsType[] }
  | { k: 'intersection'; members: TsType[] }
  | { k: 'array'; element: TsType }
  | { k: 'tuple'; elements: TsType[]; rest?: TsType }
  | { k: 'object'; props: TsProp[]; index?: TsType }
  /** `Name<Arg, Arg>` for the few utility types we use (Required, Pick). */
  | { k: 'generic'; name: string; args: TsType[] };

export interface TsProp {
  name: string;
  optional: boolean;
  type: TsType;
  doc?: DocParts;
}

export const text = (t: string): TsType => ({ k: 'text', text: t });
export const UNKNOWN = text('unknown');
export const NEVER = text('never');

export function union(members: TsType[]): TsType {
  const flat: TsType[] = [];
  const seen = new Set<string>();
  for (const m of members) {
    for (const part of m.k === 'union' ? m.members : [m]) {
      const key = part.k === 'text' ? part.text : undefined;
      if (key === 'never') continue;
      if (key === 'unknown') return UNKNOWN;
      if (key !== undefined) {
        if (seen.has(key)) continue;
        seen.add(key);
      }
      flat.push(part);
    }
  }
  if (flat.length === 0) return NEVER;
  return flat.length === 1 ? flat[0] : { k: 'union', members: flat };
}

export function intersection(members: TsType[]): TsType {
  const flat: TsType[] = [];
  for (const m of members) {
    for (const part of m.k === 'intersection' ? m.members : [m]) {
      if (part.k === 'text' && part.text === 'unknown') continue;
      if (part.k === 'text' && part.text === 'never') return NEVER;
      flat.push(part);
    }
  }
  if (flat.length === 0) return UNKNOWN;
  return flat.length === 1 ? flat[0] : { k: 'intersection', members: flat };
}

type Context = 'top' | 'union' | 'intersection' | 'array';

/** Prints a type expression at the writer's current position. */
export function printType(w: CodeBlockWriter, type: TsType, context: Context = 'top'): void {
  switch (type.k) {
    case 'text':
      w.write(type.text);
      return;
    case 'union': {
      const parens = context === 'intersection' || context === 'array';
      if (parens) w.write('(');
      type.members.forEach((m, i) => {
        if (i) w.write(' | ');
        printType(w, m, 'union');
      });
      if (parens) w.write(')');
      return;
    }
    case 'intersection': {
      const parens = context === 'array';
      if (parens) w.write('(');
      type.members.forEach((m, i) => {
        if (i) w.write(' & ');
        printType(w, m, 'intersection');
      });
      if (parens) w.write(')');
      return;
    }
    case 'array':
      printType(w, type.element, 'array');
      w.write('[]');
      return;
    case 'tuple':
      w.write('[');
      type.elements.forEach((e, i) => {
        if (i) w.write(', ');
        printType(w, e);
      });
      if (type.rest) {
        if (type.elements.length) w.write(', ');
        w.write('...');
        printType(w, type.rest, 'array');
        w.write('[]');
      }
      w.write(']');
      return;
    case 'generic':
      w.write(type.name).write('<');
      type.args.forEach((a, i) => {
        if (i) w.write(', ');
        printType(w, a);
      });
      w.write('>');
      return;
    case 'object':
      printObjectBody(w, type);
      return;
  }
}


/** `export interface X { ... }` for an object type, else `export type X = ...;`: one named declaration. */
export function printDeclaration(w: CodeBlockWriter, symbol: string, type: TsType): void {
  if (type.k === 'object') {
    w.write(`export interface ${symbol} `);
    printObjectBody(w, type);
    w.newLine();
  } else {
    w.write(`export type ${symbol} = `);
    printType(w, type);
    w.write(';').newLine();
  }
}
/** `{ ... }` with one property per line; an empty object with no index is `{}`. */
export function printObjectBody(w: CodeBlockWriter, type: Extract<TsType, { k: 'object' }>): void {
  if (type.props.length === 0 && !type.index) {
    w.write('{}');
    return;
  }
  w.write('{').newLine();
  w.indent(() => {
    for (const prop of type.props) {
      if (prop.doc) writeDoc(w, prop.doc);
      w.write(propertyKey(prop.name)).write(prop.optional ? '?: ' : ': ');
      printType(w, prop.type);
      w.write(';').newLine();
    }
    if (type.index) {
      w.write('[key: string]: ');
      printType(w, type.index);
      w.write(';').newLine();
    }
  });
  w.write('}');
}
