// A reader for the part of Alloy's configuration syntax that nixotel renders (and the `logging` or
// component blocks a user adds with extraConfig): blocks `name "label" { … }`, attributes
// `key = expression`, `//` and `/* */` comments. Expressions are kept as source text; the helpers
// below read the three shapes the invariant checks need (string, list of strings, list of references).

export interface AlloyBlock {
  name: string;
  label?: string;
  attributes: Map<string, string>;
  blocks: AlloyBlock[];
}

type TokenKind = "ident" | "string" | "punct" | "newline";
interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (char === "\n") tokens.push({ kind: "newline", text: "\n", start: i, end: ++i });
    else if (/\s/.test(char)) i++;
    else if (source.startsWith("//", i)) i = source.indexOf("\n", i) === -1 ? source.length : source.indexOf("\n", i);
    else if (source.startsWith("/*", i)) {
      const close = source.indexOf("*/", i + 2);
      if (close === -1) throw new Error(`unterminated /* comment at offset ${i}`);
      i = close + 2;
    } else if (char === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== '"') j += source[j] === "\\" ? 2 : 1;
      if (j >= source.length) throw new Error(`unterminated string at offset ${i}`);
      tokens.push({ kind: "string", text: source.slice(i, j + 1), start: i, end: (i = j + 1) });
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(source.slice(i))!;
      tokens.push({ kind: "ident", text: match[0], start: i, end: (i += match[0].length) });
    } else tokens.push({ kind: "punct", text: char, start: i, end: ++i });
  }
  return tokens;
}

/** The top-level blocks of an Alloy configuration. Throws, naming the offset, on what it cannot read. */
export function parseAlloy(source: string): AlloyBlock[] {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (what: string): never => {
    const token = peek();
    throw new Error(`expected ${what} at offset ${token?.start ?? source.length}, got ${JSON.stringify(token?.text ?? "end of file")}`);
  };

  function body(closing: boolean): Pick<AlloyBlock, "attributes" | "blocks"> {
    const attributes = new Map<string, string>();
    const blocks: AlloyBlock[] = [];
    for (;;) {
      while (peek()?.kind === "newline") pos++;
      const token = peek();
      if (!token) return closing ? fail("}") : { attributes, blocks };
      if (token.text === "}" && closing) {
        pos++;
        return { attributes, blocks };
      }
      if (token.kind !== "ident") fail("a block or attribute name");
      pos++;
      if (peek()?.text === "=") {
        pos++;
        attributes.set(token.text, expression());
        continue;
      }
      const label = peek()?.kind === "string" ? readString(tokens[pos++]!.text) : undefined;
      if (peek()?.text !== "{") fail("{");
      pos++;
      blocks.push({ name: token.text, ...(label === undefined ? {} : { label }), ...body(true) });
    }
  }

  // Everything up to the end of the line, or further while brackets are open.
  function expression(): string {
    const first = pos;
    let depth = 0;
    while (pos < tokens.length) {
      const token = tokens[pos]!;
      if (depth === 0 && (token.kind === "newline" || token.text === "}")) break;
      if ("[({".includes(token.text) && token.kind === "punct") depth++;
      if ("])}".includes(token.text) && token.kind === "punct") depth--;
      pos++;
    }
    if (pos === first) fail("an expression");
    return source.slice(tokens[first]!.start, tokens[pos - 1]!.end);
  }

  return body(false).blocks;
}

/** The value of an Alloy string literal (Go-like escapes). */
export function readString(literal: string): string {
  if (!/^"(?:[^"\\]|\\.)*"$/s.test(literal)) throw new Error(`expected a string literal, got ${literal}`);
  const named: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
  return literal
    .slice(1, -1)
    .replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) =>
      e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (named[e] ?? e),
    );
}

/** The items of a one-level list expression `[a, b]`, as source text. */
export function listItems(expression: string): string[] {
  const inner = /^\[(.*)\]$/s.exec(expression.trim());
  if (!inner) throw new Error(`expected a list, got ${expression}`);
  const items = inner[1]!.match(/"(?:[^"\\]|\\.)*"|[^,\s][^,]*/g) ?? [];
  return items.map((item) => item.trim());
}

export const stringList = (expression: string): string[] => listItems(expression).map(readString);

/** `name "label"` of a block as components reference it: `name.label`. */
export const componentId = (block: AlloyBlock): string => `${block.name}.${block.label ?? ""}`;
