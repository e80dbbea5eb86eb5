// argv → typed options. Side-effect free: prints nothing, exits nothing; unit tests call it directly.
import yargs, { type Argv } from "yargs";
import { expected, usageError } from "../errors.js";
import type { CommandOptions } from "./commands.js";
import type { BuildSettings } from "../pipeline/request.js";
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

const newFlags = (y: Argv) =>
  y
    .positional("name", { type: "string", demandOption: true, describe: "Test name (letters, digits, - and _; at most 50)" })
    .option("template", {
      alias: "t",
      type: "string",
      describe: "Template to render (see list-templates; default: nixotel.json's defaultTemplate, else otel_traced)",
    })
    .option("suite", { type: "string", describe: "Suite the test belongs to (default: the project's)" })
    .option("dir", { type: "string", describe: "Folder for the test file, inside the project (default: nixotel.json's testsDir, tests)" });

const generateFlags = (y: Argv) =>
  y
    .option("check", { type: "boolean", describe: "Write nothing; show a diff and exit 1 on drift or hand edits" })
    .option("dry-run", { type: "boolean", default: false, describe: "Show what would be written, write nothing" })
    .option("force", { type: "boolean", describe: "Overwrite files that were edited by hand" })
    .conflicts("check", "force"); // no defaults: yargs counts a defaulted flag as given

const runFlags = (y: Argv) =>
  buildFlags(y).positional("checks", { type: "string", array: true, describe: "Check names (default: all)" }).option("interactive", {
    type: "boolean",
    default: false,
    describe: "Run one NixOS test's driver outside the sandbox, sending spans live",
  });

const outFlag = (y: Argv) => y.option("out", { type: "string", describe: "Folder holding runs (default: .nixotel)" });

const reportFlags = (y: Argv) =>
  outFlag(y)
    .positional("run", { type: "string", demandOption: true })
    .option("html", { type: "string", describe: "Write a self-contained HTML report to this file" })
    .option("open", { type: "boolean", default: false, describe: "Open the HTML report in a browser" });

type ArgsOf<F> = F extends (y: Argv) => Argv<infer T> ? T : never;
type BuildArgs = ArgsOf<typeof buildFlags>;

/** From each command's parsed argv (typed by its yargs definition) to the options its command takes. */
export const toOptions = {
  new: (a: ArgsOf<typeof newFlags>) => ({ command: "new" as const, name: a.name, template: a.template, suite: a.suite, dir: a.dir }),
  generate: (a: ArgsOf<typeof generateFlags>) => ({
    command: "generate" as const,
    check: a.check === true,
    dryRun: a["dry-run"],
    force: a.force === true,
  }),
  "list-templates": () => ({ command: "list-templates" as const }),
  run: (a: ArgsOf<typeof runFlags>) => ({
    command: "run" as const,
    checks: (a.checks ?? []).map(String),
    interactive: a.interactive,
    ...buildSettings(a),
  }),
  check: (a: BuildArgs) => ({ command: "check" as const, ...buildSettings(a) }),
  report: (a: ArgsOf<typeof reportFlags>) => ({ command: "report" as const, run: a.run, open: a.open, html: a.html, out: a.out }),
  flush: (a: ArgsOf<typeof outFlag>) => ({ command: "flush" as const, out: a.out }),
};

function parser(done: (options: CommandOptions) => void) {
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
    .command("new <name>", "Scaffold a traced NixOS test and record it in nixotel.json", newFlags, (a) => done(toOptions.new(a)))
    .command("generate", "Render every test nixotel.json declares", generateFlags, (a) => done(toOptions.generate(a)))
    .command("list-templates", "List the templates, one a line with its description", {}, () => done(toOptions["list-templates"]()))
    .command("run [checks..]", "Build a flake's checks with nix and report them as spans", runFlags, (a) => done(toOptions.run(a)))
    .command("check", "Run `nix flake check` and report it as spans", buildFlags, (a) => done(toOptions.check(a)))
    .command("report <run>", "Summarise a recorded run (a run id, its folder, or latest)", reportFlags, (a) => done(toOptions.report(a)))
    .command("flush", "Resend spans spooled while the collector was away", outFlag, (a) => done(toOptions.flush(a)))
    .demandCommand(1, "Name a command: new, generate, list-templates, run, check, report or flush.");
}

function positiveInt(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(text)) throw usageError(expected(`--${flag} to be a positive whole number`, text));
  return Number(text);
}

/** nix's --max-jobs: a whole number (0 builds only on remote builders) or `auto` (one per core). */
function maxJobs(text: string | undefined): number | "auto" | undefined {
  if (text === undefined || text === "auto") return text;
  if (!/^(0|[1-9][0-9]*)$/.test(text)) throw usageError(expected("--jobs to be a whole number or auto", text));
  return Number(text);
}

/** The flags `run` and `check` share. */
function buildSettings(a: BuildArgs): BuildSettings {
  return {
    flake: a.flake,
    system: a.system,
    jobs: maxJobs(a.jobs),
    junit: a.junit,
    out: a.out,
    timeout: positiveInt("timeout", a.timeout),
    builders: a.builders,
    store: a.store,
    evalStore: a["eval-store"],
  };
}

export async function parseArgv(argv: readonly string[]): Promise<CommandOptions> {
  let printed = "";
  let failure: Error | undefined;
  let options: CommandOptions | undefined;
  await parser((parsed) => (options = parsed))
    .fail((message, error) => {
      failure = error ?? new Error(message);
    })
    .parseAsync([...argv], {}, (_error, _argv, output) => {
      printed = output;
    });
  if (failure) throw usageError(`${failure.message}\nRun nixotel --help for usage.`, failure);
  if (printed) return { command: "print", text: printed };
  if (!options) throw usageError("Name a command: new, generate, list-templates, run, check, report or flush.");
  return options;
}
