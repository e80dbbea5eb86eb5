// pyright (npm) over a testScript with the driver's declarations and machine hints, the way a newer type
// checker would see it (Debian's mypy is 1.0). The declarations go into a `__builtins__.pyi` beside the
// script: pyright's way to declare names that exist at run time, as the driver's symbols do (declared
// only, `server: QemuMachine;`). One process checks every script given, each in its own root (its revision's
// declarations and Python version).
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { z } from "zod";
import { stubsDir, withTypes, type CheckResult, type ScriptUnderCheck } from "./driver-revisions.js";
import { repoRoot } from "./standin.js";

const PyrightJson = z.object({
  generalDiagnostics: z.array(
    z.object({ file: z.string(), severity: z.string(), message: z.string(), range: z.object({ start: z.object({ line: z.number() }) }) }),
  ),
  summary: z.object({ filesAnalyzed: z.number() }),
});

export async function runPyright(scripts: readonly ScriptUnderCheck[], dirs: string[]): Promise<CheckResult[]> {
  const dir = await mkdtemp(join(tmpdir(), "nixotel-pyright-"));
  dirs.push(dir);
  const roots = scripts.map((_, i) => `script-${i}`);
  const files = roots.map((root) => join(dir, root, "test_script.py"));
  for (const [i, item] of scripts.entries()) {
    await mkdir(join(dir, roots[i]!));
    await writeFile(join(dir, roots[i]!, "__builtins__.pyi"), await withTypes({ ...item, script: "" }));
    await writeFile(files[i]!, item.script);
  }
  const config = {
    typeCheckingMode: "standard",
    reportMissingModuleSource: false, // test_driver is stubs only here (tests/prelude/stubs)
    executionEnvironments: roots.map((root, i) => ({ root, extraPaths: [stubsDir], pythonVersion: scripts[i]!.revision.pythonVersion })),
  };
  await writeFile(join(dir, "pyrightconfig.json"), JSON.stringify(config));
  const run = await execa(join(repoRoot, "node_modules", ".bin", "pyright"), ["--outputjson", ...files], { cwd: dir, reject: false });
  // 0: no errors, 1: errors found; anything else is pyright failing, not a verdict.
  if (![0, 1].includes(run.exitCode ?? -1)) throw new Error(`pyright failed (exit ${run.exitCode}):\n${run.stderr}\n${run.stdout}`);
  const report = PyrightJson.parse(JSON.parse(run.stdout));
  if (report.summary.filesAnalyzed !== files.length)
    throw new Error(`pyright analysed ${report.summary.filesAnalyzed} of ${files.length} files:\n${run.stdout}`);
  return files.map((file) => {
    const own = report.generalDiagnostics.filter((d) => d.file === file && d.severity !== "information");
    const output = own.map((d) => `line ${d.range.start.line + 1}: ${d.severity}: ${d.message}`).join("\n");
    return { ok: own.length === 0, output };
  });
}
