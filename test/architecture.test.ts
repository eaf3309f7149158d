import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = path.join(ROOT, 'src');
const TEST = path.join(ROOT, 'test');

// Vitest's module calls load (or stand in for) the module they name, like an import does.
const VI_MODULE_CALLS = new Set(['mock', 'doMock', 'unmock', 'doUnmock', 'importActual', 'importMock']);

/** Every module specifier in a source file, with its line: the parser skips comments and strings. */
function moduleSpecifiers(file: string, text: string): { line: number; specifier: string }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: { line: number; specifier: string }[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) {
      found.push({
        line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
        specifier: node.text,
      });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    else if (ts.isCallExpression(node) && isModuleCall(node)) add(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isModuleCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (callee.kind === ts.SyntaxKind.ImportKeyword) return true;
  if (ts.isIdentifier(callee)) return callee.text === 'require';
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'vi' &&
    VI_MODULE_CALLS.has(callee.name.text)
  );
}

/** Where a relative, absolute or file: specifier lands; `null` for packages and `node:` modules. */
function resolveSpecifier(file: string, specifier: string): string | null {
  if (specifier.startsWith('file:')) return fileURLToPath(specifier);
  if (specifier.startsWith('.') || path.isAbsolute(specifier))
    return path.resolve(path.dirname(file), specifier);
  return null;
}

function isInside(dir: string, target: string): boolean {
  const relative = path.relative(dir, target);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** "src/a.ts:3 imports '../test/x.ts'" for each import in `text` that resolves into test/. */
function testImports(file: string, text: string): string[] {
  return moduleSpecifiers(file, text)
    .filter(({ specifier }) => {
      const target = resolveSpecifier(file, specifier);
      return target !== null && isInside(TEST, target);
    })
    .map(({ line, specifier }) => `${path.relative(ROOT, file)}:${line} imports '${specifier}'`);
}

function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((entry) => entry.endsWith('.ts'))
    .map((entry) => path.join(SRC, entry))
    .sort();
}

describe('source boundaries', () => {
  it('finds every way a file can name a module in test/, and nothing in comments or strings', () => {
    const file = path.join(SRC, 'area', 'sample.ts');
    const text = [
      "import { a } from '../../test/fakes/a.ts';",
      "import type { B } from '../../test/fakes/b.ts';",
      "import '../../test/helpers/c.ts';",
      "export { d } from '../../test/helpers/d.ts';",
      "const e = await import('../../test/fakes/e.ts');",
      "type F = import('../../test/fakes/f.ts').F;",
      "vi.mock('../../test/fakes/g.ts');",
      "const h = require('../../test/fakes/h.ts');",
      "import { ok } from '../shared/errors.ts';",
      "import { other } from 'test/not-ours';",
      "// import { x } from '../../test/fakes/x.ts';",
      "const y = '../../test/fakes/y.ts';",
    ].join('\n');
    expect(testImports(file, text).map((found) => found.replace(/^.*?:/, ''))).toEqual([
      "1 imports '../../test/fakes/a.ts'",
      "2 imports '../../test/fakes/b.ts'",
      "3 imports '../../test/helpers/c.ts'",
      "4 imports '../../test/helpers/d.ts'",
      "5 imports '../../test/fakes/e.ts'",
      "6 imports '../../test/fakes/f.ts'",
      "7 imports '../../test/fakes/g.ts'",
      "8 imports '../../test/fakes/h.ts'",
    ]);
  });

  it('no file under src/ imports from test/', () => {
    const files = sourceFiles();
    expect(files).toContain(path.join(SRC, 'app.ts'));
    const offenders = files.flatMap((file) => testImports(file, readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

/** Each file's imports of other files in `files` (type-only imports too: a circle of types is still a circle). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = moduleSpecifiers(file, readFileSync(file, 'utf8'))
      .map(({ specifier }) => resolveSpecifier(file, specifier))
      .filter((target): target is string => target !== null && files.includes(target));
    graph.set(file, targets);
  }
  return graph;
}

/** Every cycle a depth-first walk meets, each as the path of nodes that closes it. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('module structure', () => {
  it('finds each cycle of a graph, and none in a tree', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(findCycles(graph)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['e', 'e'],
    ]);
    expect(
      findCycles(
        new Map([
          ['a', ['b', 'c']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('has no import cycles between the modules under src/ (items and transcripts included)', () => {
    const files = sourceFiles().filter((file) => !/\.test(?:-utils)?\.ts$|\.contract\.ts$/.test(file));
    const cycles = findCycles(importGraph(files)).map((cycle) =>
      cycle.map((file) => path.relative(ROOT, file)),
    );
    expect(cycles).toEqual([]);
  });
});
