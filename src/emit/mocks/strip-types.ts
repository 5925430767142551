import { ts } from 'ts-morph';

/**
 * Turns TypeScript into JavaScript by blanking type syntax with spaces (the approach of
 * Bloomberg's ts-blank-space): one parse, no type check, no printer. Much faster than
 * `transpileModule` on the megabytes of generated validators, and positions (line, column) stay
 * the same. Syntax that needs rewriting rather than blanking (enums, namespaces, parameter
 * properties, `<T>x` assertions) throws `Unsupported`; the caller then falls back to
 * `transpileModule`.
 */
export class Unsupported extends Error {}

export function stripTypes(source: string, fileName = 'module.ts'): string {
  // JSDoc never changes what code does: skip parsing it (generated validators carry one per function).
  const file = ts.createSourceFile(fileName, source, { languageVersion: ts.ScriptTarget.ES2022, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, ts.ScriptKind.TS);
  const ranges: number[] = [];
  const blank = (start: number, end: number) => {
    if (end > start) ranges.push(start, end);
  };
  /** Blanks from the `:` (or `?`/`!`) before a type annotation to the end of the type. */
  const blankAnnotation = (after: number, type: ts.Node | undefined) => {
    if (type) blank(after, type.end);
  };
  const blankTypeArguments = (args: ts.NodeArray<ts.Node> | undefined) => {
    if (args) blank(args.pos - 1, closingAngle(source, args.end) + 1);
  };
  const modifiersToBlank = new Set([ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.ReadonlyKeyword, ts.SyntaxKind.OverrideKeyword, ts.SyntaxKind.AbstractKeyword]);
  const blankModifiers = (node: ts.Node) => {
    for (const m of ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : []) {
      if (modifiersToBlank.has(m.kind)) blank(m.getStart(file), m.end);
    }
  };
  const isAmbient = (node: ts.Node) => (ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword) ?? false;

  const visit = (node: ts.Node): void => {
    // The parser marks every subtree holding TypeScript-only syntax: skip the rest (most of it).
    // Imports and exports are not marked for their `type` specifiers: always look at them.
    if ((transformFlags(node) & CONTAINS_TYPESCRIPT) === 0 && node.kind !== ts.SyntaxKind.ImportDeclaration && node.kind !== ts.SyntaxKind.ExportDeclaration) return;
    // Inside a type there is nothing to keep: the enclosing annotation is blanked whole.
    if (node.kind >= ts.SyntaxKind.FirstTypeNode && node.kind <= ts.SyntaxKind.LastTypeNode) return;
    switch (node.kind) {
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
        blank(node.getStart(file), node.end);
        return;
      case ts.SyntaxKind.EnumDeclaration:
      case ts.SyntaxKind.ModuleDeclaration:
      case ts.SyntaxKind.ImportEqualsDeclaration:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.Decorator:
        if (isAmbient(node)) {
          blank(node.getStart(file), node.end);
          return;
        }
        throw new Unsupported(ts.SyntaxKind[node.kind]);
      case ts.SyntaxKind.ImportDeclaration: {
        const clause = (node as ts.ImportDeclaration).importClause;
        if (clause?.isTypeOnly) {
          blank(node.getStart(file), node.end);
          return;
        }
        const bindings = clause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) blankTypeSpecifiers(bindings.elements, clause?.name !== undefined, node, blank, file);
        return;
      }
      case ts.SyntaxKind.ExportDeclaration: {
        const decl = node as ts.ExportDeclaration;
        if (decl.isTypeOnly) {
          blank(node.getStart(file), node.end);
          return;
        }
        if (decl.exportClause && ts.isNamedExports(decl.exportClause)) blankTypeSpecifiers(decl.exportClause.elements, false, node, blank, file);
        return;
      }
      case ts.SyntaxKind.VariableStatement:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.FunctionDeclaration:
        if (isAmbient(node)) {
          blank(node.getStart(file), node.end);
          return;
        }
        break;
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression: {
        const e = node as ts.AsExpression;
        visit(e.expression);
        blank(e.expression.end, node.end);
        return;
      }
      case ts.SyntaxKind.NonNullExpression:
        visit((node as ts.NonNullExpression).expression);
        blank(node.end - 1, node.end);
        return;
      case ts.SyntaxKind.ExpressionWithTypeArguments:
        blankTypeArguments((node as ts.ExpressionWithTypeArguments).typeArguments);
        visit((node as ts.ExpressionWithTypeArguments).expression);
        return;
      case ts.SyntaxKind.HeritageClause:
        if ((node as ts.HeritageClause).token === ts.SyntaxKind.ImplementsKeyword) {
          blank(node.getStart(file), node.end);
          return;
        }
        break;
      case ts.SyntaxKind.CallExpression:
      case ts.SyntaxKind.NewExpression:
        blankTypeArguments((node as ts.CallExpression).typeArguments);
        break;
      case ts.SyntaxKind.TaggedTemplateExpression:
        blankTypeArguments((node as ts.TaggedTemplateExpression).typeArguments);
        break;
      case ts.SyntaxKind.Parameter: {
        const p = node as ts.ParameterDeclaration;
        if (ts.getModifiers(p)?.some((m) => modifiersToBlank.has(m.kind))) throw new Unsupported('parameter property');
        if (ts.isIdentifier(p.name) && p.name.text === 'this') throw new Unsupported('this parameter');
        blankAnnotation(p.questionToken ? p.questionToken.getStart(file) : p.name.end, p.type);
        if (p.questionToken && !p.type) blank(p.questionToken.getStart(file), p.questionToken.end);
        if (p.initializer) visit(p.initializer);
        if (!ts.isIdentifier(p.name)) visit(p.name);
        return;
      }
      case ts.SyntaxKind.VariableDeclaration: {
        const v = node as ts.VariableDeclaration;
        blankAnnotation(v.exclamationToken ? v.exclamationToken.getStart(file) : v.name.end, v.type);
        if (!ts.isIdentifier(v.name)) visit(v.name);
        if (v.initializer) visit(v.initializer);
        return;
      }
      case ts.SyntaxKind.PropertyDeclaration: {
        const p = node as ts.PropertyDeclaration;
        if (ts.getModifiers(p)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword || m.kind === ts.SyntaxKind.AbstractKeyword)) {
          blank(p.getStart(file), p.end);
          return;
        }
        blankModifiers(p);
        const mark = p.questionToken ?? p.exclamationToken;
        if (mark) blank(mark.getStart(file), mark.end);
        blankAnnotation(mark ? mark.end : p.name.end, p.type);
        if (p.initializer) visit(p.initializer);
        if (ts.isComputedPropertyName(p.name)) visit(p.name);
        return;
      }
      case ts.SyntaxKind.IndexSignature:
        blank(node.getStart(file), node.end);
        return;
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.Constructor:
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction: {
        const f = node as ts.FunctionLikeDeclaration;
        if (!f.body && node.kind !== ts.SyntaxKind.ArrowFunction) {
          // An overload signature.
          blank(node.getStart(file), node.end);
          return;
        }
        if (ts.canHaveModifiers(node)) blankModifiers(node);
        if (ts.isMethodDeclaration(node) && node.questionToken) blank(node.questionToken.getStart(file), node.questionToken.end);
        blankFunctionTypes(f);
        break;
      }
      case ts.SyntaxKind.ClassExpression:
        break;
    }
    if (ts.isFunctionDeclaration(node)) {
      if (!node.body) {
        blank(node.getStart(file), node.end);
        return;
      }
      blankFunctionTypes(node);
    }
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      blankModifiers(node);
      if (node.typeParameters) blankTypeArguments(node.typeParameters);
    }
    ts.forEachChild(node, visit);
  };

  const blankFunctionTypes = (f: ts.SignatureDeclarationBase) => {
    if (f.typeParameters) blankTypeArguments(f.typeParameters);
    if (f.type) {
      const close = f.parameters.end;
      const colon = source.indexOf(':', close);
      if (ts.isArrowFunction(f) && source.slice(colon, f.type.end).includes('\n')) throw new Unsupported('multi-line arrow return type');
      blank(colon, f.type.end);
    }
  };

  ts.forEachChild(file, visit);
  if (ranges.length === 0) return source;
  return splice(source, ranges);
}

/**
 * TransformFlags.ContainsTypeScript, which the parser's node factory propagates up the tree.
 * Internal to TypeScript; when absent, every node counts as possibly holding TypeScript.
 */
const CONTAINS_TYPESCRIPT: number = (ts as unknown as { TransformFlags?: { ContainsTypeScript?: number } }).TransformFlags?.ContainsTypeScript ?? 1;
const transformFlags = (node: ts.Node): number => (node as unknown as { transformFlags?: number }).transformFlags ?? CONTAINS_TYPESCRIPT;

/** Type-only specifiers of `import { a, type B }` / `export { type C }`, with their commas. */
function blankTypeSpecifiers(elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>, hasDefault: boolean, statement: ts.Node, blank: (s: number, e: number) => void, file: ts.SourceFile): void {
  const kept = elements.filter((e) => !e.isTypeOnly);
  if (kept.length === elements.length) return;
  if (kept.length === 0 && !hasDefault && ts.isImportDeclaration(statement)) {
    // Nothing left to import: the whole statement goes (as with verbatimModuleSyntax and only types).
    blank(statement.getStart(file), statement.end);
    return;
  }
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i];
    if (!e.isTypeOnly) continue;
    const text = file.text;
    let end = e.end;
    const comma = text.indexOf(',', end);
    if (comma >= 0 && /^\s*$/.test(text.slice(end, comma))) end = comma + 1;
    blank(e.getStart(file), end);
  }
}

/** The `>` closing a type argument list whose NodeArray ends at `end`. */
function closingAngle(source: string, end: number): number {
  let i = end;
  while (i < source.length && source[i] !== '>') i++;
  return i;
}

/** Replaces each range with spaces, keeping line breaks so positions survive. */
function splice(source: string, ranges: number[]): string {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i], ranges[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of pairs) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    out += source.slice(at, from);
    out += source.slice(from, end).replace(/[^\n\r]/g, ' ');
    at = end;
  }
  return out + source.slice(at);
}
