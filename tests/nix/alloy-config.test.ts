// The Alloy config renderer (modules/lib/alloy-config.nix), evaluated by the real `nix eval`.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evalError, evalJson, evalRaw, nixString, repoRoot } from "./nix-eval.js";

const renderer = join(repoRoot, "modules/lib/alloy-config.nix");
const syntax = join(repoRoot, "modules/lib/alloy-syntax.nix");
const goldenDir = join(repoRoot, "tests/golden/alloy");
const cases = join(goldenDir, "cases.nix");

describe("alloy-config.nix golden files", async () => {
  const names = (await evalJson(`builtins.attrNames (import ${cases})`)) as string[];

  it("has at least the documented option sets", () => {
    expect(names).toEqual(expect.arrayContaining(["defaults", "debug-log", "grafana-cloud", "self-hosted-lgtm"]));
  });

  it("has a line in docs/module.md saying what Alloy does with each, and no line for a case that is gone", async () => {
    const doc = await readFile(join(repoRoot, "docs/module.md"), "utf8");
    const section = doc.split("### What Alloy does with each golden config")[1]?.split(/\n##/)[0] ?? "";
    const described = [...section.matchAll(/^- ((?:`[\w-]+`(?:, )?)+):/gm)].flatMap((m) =>
      [...m[1]!.matchAll(/`([\w-]+)`/g)].map((n) => n[1]!),
    );
    expect(described.sort()).toEqual([...names].sort());
  });

  it.each(names)("renders %s exactly as its golden file", async (name) => {
    const rendered = await evalRaw(`import ${renderer} (import ${cases}).${nixString(name)}`);
    expect(rendered).toBe(await readFile(join(goldenDir, `${name}.alloy`), "utf8"));
  });
});

describe("alloy-config.nix content", () => {
  it("never renders a secret, only where Alloy reads it at run time", async () => {
    const rendered = await evalRaw(
      `import ${renderer} { remote = { endpoint = "https://x"; headersFile = "/run/keys/h.json";` +
        ` basicAuth = { username = "u"; passwordFile = "/run/keys/token-VALUE"; }; }; }`,
    );
    expect(rendered).not.toContain("/run/keys");
    expect(rendered).toContain('password = sys.env("NIXOTEL_REMOTE_PASSWORD")');
    expect(rendered).toContain('filename = sys.env("CREDENTIALS_DIRECTORY") + "/remote-headers"');
  });

  it("logs every span in detail with debugLog, else only when nothing else takes the spans, in one line per batch", async () => {
    const debugExporter = (verbosity: string) =>
      `otelcol.exporter.debug "nixotel" {\n  verbosity = "${verbosity}"\n  use_internal_logger = false\n}`;
    expect(await evalRaw(`import ${renderer} { debugLog = true; remote.endpoint = "https://x"; }`)).toContain(debugExporter("detailed"));
    expect(await evalRaw(`import ${renderer} { }`)).toContain(debugExporter("basic"));
    expect(await evalRaw(`import ${renderer} { remote.endpoint = "https://x"; }`)).not.toContain("otelcol.exporter.debug");
  });

  it("refuses span metrics with nowhere to send them, naming the fix", async () => {
    const message = await evalError(`import ${renderer} { spanMetrics.enable = true; }`);
    expect(message).toContain("spanMetrics.remoteWriteUrl or remote.endpoint");
  });
});

describe("alloy-syntax.nix escapeString", () => {
  // Every control character Nix can hold (NUL cannot be in a Nix string), plus quotes, backslashes,
  // Alloy comment/interpolation look-alikes and non-ASCII text.
  const controls = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join("") + "\u007f";
  const hostile = `a"b\\c\${x}\`tick\` // not a comment */ é 🎉 ${controls} "; } evil { x = "`;

  it("leaves no raw quote, backslash or control character in a string literal", async () => {
    const literal = await evalRaw(`(import ${syntax}).string ${nixString(hostile)}`);
    expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
    const body = literal.slice(1, -1);
    expect(body).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(body).not.toMatch(/(^|[^\\])(\\\\)*"/); // every quote is escaped
    expect(literal).toContain("\\t\\n\\u000b");
    expect(literal).toContain("\\u0001");
    expect(literal).toContain("\\u007f");
  });

  it("round-trips: undoing the Alloy escapes gives back the original bytes", async () => {
    const literal = await evalRaw(`(import ${syntax}).string ${nixString(hostile)}`);
    expect(unescapeAlloy(literal.slice(1, -1))).toBe(hostile);
  });

  it("escapes the remote endpoint, so a hostile value cannot add configuration", async () => {
    const rendered = await evalRaw(`import ${renderer} { remote.endpoint = ${nixString('x"\n}\nevil "y" {')}; }`);
    expect(rendered).toContain('endpoint = "x\\"\\n}\\nevil \\"y\\" {"');
    expect(rendered).not.toMatch(/^evil/m);
  });
});

/** Alloy's string escapes as documented (get-started/configuration-syntax/expressions/types_and_values). */
function unescapeAlloy(body: string): string {
  const named: Record<string, string> = {
    "\\": "\\",
    '"': '"',
    "'": "'",
    n: "\n",
    t: "\t",
    r: "\r",
    a: "\u0007",
    b: "\b",
    f: "\f",
    v: "\v",
  };
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/gs, (_, escape: string) =>
    escape.startsWith("u") && escape.length === 5 ? String.fromCharCode(parseInt(escape.slice(1), 16)) : (named[escape] ?? `\\${escape}`),
  );
}
