// argv → typed options. Side-effect free: prints nothing, exits nothing; unit tests call it directly.
import yargs, { type Argv } from "yargs";
import { expected, usageError } from "../errors.js";
import type { BuildOptions, CommandOptions } from "./commands.js";
import { VERSION } from "../version.js";

const EPILOGUE =
  "Exit codes: 0 ok, 1 tests failed or drift found, 2 usage, config or environment error.\n" +
  "Telemetry settings follow the OpenTelemetry environment variables (OTEL_EXPORTER_OTLP_ENDPOINT, …).";

function buildFlags<T>(y: Argv<T>) {
  return y
    .option("flake", { type: "string", default: ".", describe: "Flake reference whose checks are built" })
    .option("system", { type: "string", describe: "Nix system of the checks (default: the current one)" })
    .option("jobs", { alias: "j", type: "string", describe: "Passed to nix as --max-jobs (a number, 0 for remote builders only, or auto)" })
    .option("junit", { type: "string", describe: "Write a JUnit XML report to this file" })
    .option("out", { type: "string", describe: "Folder for runs and the spool (default: .nixotel)" })
    .option("timeout", { type: "string", describe: "Stop the build after this many seconds" })
    .option("builders", { type: "string", describe: "Passed to nix as --builders (remote builders)" })
    .option("store", { type: "string", describe: "Passed to nix as --store" })
    .option("eval-store", { type: "string", describe: "Passed to nix as --eval-store" });
}

function parser() {
  return yargs()
    .scriptName("nixotel")
    .usage("$0 <command> [options]\n\nMake NixOS VM tests observable with OpenTelemetry.")
    .version(VERSION)
    .help()
    .alias("h", "help")
    .strict()
    .exitProcess(false)
    .wrap(100)
    .epilogue(EPILOGUE)
    .command("new <name>", "Scaffold a traced NixOS test and record it in nixotel.json", (y) =>
      y
        .positional("name", { type: "string", demandOption: true, describe: "Test name (letters, digits, - and _; at most 50)" })
        .option("template", {
          alias: "t",
          type: "string",
          describe: "Template to render (see list-templates; default: nixotel.json's defaultTemplate, else otel_traced)",
        })
        .option("suite", { type: "string", describe: "Suite the test belongs to (default: the project's)" })
        .option("dir", {
          type: "string",
          describe: "Folder for the test file, inside the project (default: nixotel.json's testsDir, tests)",
        }),
    )
    .command("generate", "Render every test nixotel.json declares", (y) =>
      y
        .option("check", { type: "boolean", describe: "Write nothing; show a diff and exit 1 on drift or hand edits" })
        .option("dry-run", { type: "boolean", default: false, describe: "Show what would be written, write nothing" })
        .option("force", { type: "boolean", describe: "Overwrite files that were edited by hand" })
        .conflicts("check", "force"),
    )
    .command("list-templates", "List the templates, one a line with its description")
    .command("run [checks..]", "Build a flake's checks with nix and report them as spans", (y) =>
      buildFlags(y).positional("checks", { type: "string", array: true, describe: "Check names (default: all)" }).option("interactive", {
        type: "boolean",
        default: false,
        describe: "Run one NixOS test's driver outside the sandbox, sending spans live",
      }),
    )
    .command("check", "Run `nix flake check` and report it as spans", (y) => buildFlags(y))
    .command("report <run>", "Summarise a recorded run (a run id, its folder, or latest)", (y) =>
      y
        .positional("run", { type: "string", demandOption: true })
        .option("html", { type: "string", describe: "Write a self-contained HTML report to this file" })
        .option("open", { type: "boolean", default: false, describe: "Open the HTML report in a browser" })
        .option("out", { type: "string", describe: "Folder holding runs (default: .nixotel)" }),
    )
    .command("flush", "Resend spans spooled while the collector was away", (y) =>
      y.option("out", { type: "string", describe: "Folder holding runs (default: .nixotel)" }),
    )
    .demandCommand(1, "Name a command: new, generate, list-templates, run, check, report or flush.");
}

type Raw = Record<string, unknown>;
const str = (raw: Raw, key: string) => (raw[key] === undefined ? undefined : String(raw[key]));

function positiveInt(raw: Raw, key: string): number | undefined {
  const text = str(raw, key);
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(text)) throw usageError(expected(`--${key} to be a positive whole number`, text));
  return Number(text);
}

/** nix's --max-jobs: a whole number (0 builds only on remote builders) or `auto` (one per core). */
function maxJobs(raw: Raw): number | "auto" | undefined {
  const text = str(raw, "jobs");
  if (text === undefined) return undefined;
  if (text === "auto") return text;
  if (!/^(0|[1-9][0-9]*)$/.test(text)) throw usageError(expected("--jobs to be a whole number or auto", text));
  return Number(text);
}

function buildOptions(raw: Raw): BuildOptions {
  const options: BuildOptions = { flake: str(raw, "flake") ?? "." };
  const fields = {
    system: str(raw, "system"),
    jobs: maxJobs(raw),
    junit: str(raw, "junit"),
    out: str(raw, "out"),
    timeout: positiveInt(raw, "timeout"),
    builders: str(raw, "builders"),
    store: str(raw, "store"),
    evalStore: str(raw, "eval-store"),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(options, { [key]: value });
  return options;
}

function toOptions(raw: Raw): CommandOptions {
  const [command] = (raw._ as unknown[]).map(String);
  switch (command) {
    case "new":
      return { command, name: String(raw.name), ...pick(raw, ["template", "suite", "dir"]) };
    case "generate":
      return { command, check: raw.check === true, dryRun: raw.dryRun === true, force: raw.force === true };
    case "list-templates":
      return { command };
    case "run":
      return {
        command,
        checks: ((raw.checks as unknown[] | undefined) ?? []).map(String),
        interactive: raw.interactive === true,
        ...buildOptions(raw),
      };
    case "check":
      return { command, ...buildOptions(raw) };
    case "report":
      return { command, run: String(raw.run), open: raw.open === true, ...pick(raw, ["html", "out"]) };
    case "flush":
      return { command, ...pick(raw, ["out"]) };
    default:
      throw usageError(`Unknown command ${JSON.stringify(command)}. Run nixotel --help for the list.`);
  }
}

function pick(raw: Raw, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) if (raw[key] !== undefined) out[key] = String(raw[key]);
  return out;
}

export async function parseArgv(argv: readonly string[]): Promise<CommandOptions> {
  let printed = "";
  let failure: Error | undefined;
  const raw = await parser()
    .fail((message, error) => {
      failure = error ?? new Error(message);
    })
    .parseAsync([...argv], {}, (_error, _argv, output) => {
      printed = output;
    });
  if (failure) throw usageError(`${failure.message}\nRun nixotel --help for usage.`, failure);
  if (printed) return { command: "print", text: printed };
  return toOptions(raw as Raw);
}
