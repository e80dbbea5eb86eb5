// argv → typed options. Side-effect free: prints nothing, exits nothing; unit tests call it directly.
import yargs, { type Argv } from "yargs";
import { expected, usageError } from "../errors.js";
import type { CommandOptions } from "./commands.js";
import { CONFLICTING_GENERATE_FLAGS, GENERATE_FLAGS } from "./generate-flags.js";
import type { BuildSettings } from "../pipeline/request.js";
import { parseRepeat } from "../pipeline/repeat-flag.js";
import { parseShard } from "../pipeline/shard-flag.js";
import { VERSION } from "../version.js";

const EPILOGUE =
  "Exit codes: 0 ok, 1 tests failed or drift found, 2 usage, config or environment error.\n" +
  "Telemetry settings follow the OpenTelemetry environment variables (OTEL_EXPORTER_OTLP_ENDPOINT, …).";

/** The commands, in the order --help lists them. */
export const COMMANDS = ["new", "generate", "list-templates", "run", "check", "report", "flush", "history"] as const;
const NAME_A_COMMAND = `Name a command: ${COMMANDS.join(", ")}. Run nixotel --help for what each does.`;

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

const [checkFlag, dryRunFlag, forceFlag] = GENERATE_FLAGS;
const generateFlags = (y: Argv) =>
  y
    .option(checkFlag.flag, { type: "boolean", describe: checkFlag.describe })
    .option(dryRunFlag.flag, { type: "boolean", default: false, describe: dryRunFlag.describe })
    .option(forceFlag.flag, { type: "boolean", describe: forceFlag.describe })
    .conflicts(...CONFLICTING_GENERATE_FLAGS); // no defaults: yargs counts a defaulted flag as given

/** --retries and --fail-on-flaky: what `run` and `check` share about flaky checks. */
const retryFlags = <T>(y: Argv<T>) =>
  y
    .option("retries", { type: "string", describe: "Build a failed check again up to this many times; passing on a retry marks it flaky" })
    .option("fail-on-flaky", { type: "boolean", default: false, describe: "Fail the run when a check is flaky (by default it passes)" });

const checkFlags = (y: Argv) => retryFlags(buildFlags(y));

const runFlags = (y: Argv) =>
  retryFlags(buildFlags(y))
    .positional("checks", { type: "string", array: true, describe: "Check names (default: all)" })
    .option("interactive", {
      type: "boolean",
      default: false,
      describe: "Run one NixOS test's driver outside the sandbox, sending spans live",
    })
    .option("shard", {
      type: "string",
      describe: "Build only part I of N of the checks (I/N, e.g. 2/4): N CI jobs build each check once",
    })
    .option("repeat", {
      type: "string",
      describe:
        "Build each named check N times, each repetition its own derivation (parallel up to --jobs): pass rate, durations, the failing subtest; exit 1 if any repetition failed",
    });

const outFlag = (y: Argv) => y.option("out", { type: "string", describe: "Folder holding runs (default: .nixotel)" });

const reportFlags = (y: Argv) =>
  outFlag(y)
    .positional("runs", {
      type: "string",
      array: true,
      demandOption: true,
      describe: "Run ids, run folders or latest; several (the shards of one pipeline) are reported as one run",
    })
    .option("html", { type: "string", describe: "Write a self-contained HTML report to this file" })
    .option("open", { type: "boolean", default: false, describe: "Open the HTML report in a browser" })
    .option("from", {
      type: "string",
      array: true,
      describe: "More run folders (or folders of runs) for the HTML report's history section, e.g. CI artifacts",
    });

const historyFlags = (y: Argv) =>
  outFlag(y)
    .positional("checks", { type: "string", array: true, describe: "Check names (default: all)" })
    .option("last", { type: "string", describe: "Only the last N runs" })
    .option("json", { type: "boolean", default: false, describe: "Print JSON instead of a table" })
    .option("from", { type: "string", array: true, describe: "More run folders (or folders of runs), e.g. CI artifacts" });

type ArgsOf<F> = F extends (y: Argv) => Argv<infer T> ? T : never;
type BuildArgs = ArgsOf<typeof checkFlags>;

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
  run: (a: ArgsOf<typeof runFlags>) => {
    const checks = (a.checks ?? []).map(String);
    const retries = retrySettings(a);
    return {
      command: "run" as const,
      checks,
      interactive: a.interactive,
      ...buildSettings(a),
      ...optionalShard(a.shard, a.interactive),
      ...retries,
      ...parseRepeat({ repeat: a.repeat, checks, retries: retries.retries, interactive: a.interactive, shard: a.shard }),
    };
  },
  check: (a: BuildArgs) => ({ command: "check" as const, ...buildSettings(a), ...retrySettings(a) }),
  report: (a: ArgsOf<typeof reportFlags>) => ({
    command: "report" as const,
    runs: a.runs.map(String),
    open: a.open,
    html: a.html,
    out: a.out,
    from: (a.from ?? []).map(String),
  }),
  flush: (a: ArgsOf<typeof outFlag>) => ({ command: "flush" as const, out: a.out }),
  history: (a: ArgsOf<typeof historyFlags>) => ({
    command: "history" as const,
    checks: (a.checks ?? []).map(String),
    last: positiveInt("last", a.last),
    json: a.json,
    from: (a.from ?? []).map(String),
    out: a.out,
  }),
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
    .command("check", "Run `nix flake check` and report it as spans", checkFlags, (a) => done(toOptions.check(a)))
    .command("report <runs..>", "Summarise a recorded run (a run id, its folder, or latest), or several as one", reportFlags, (a) =>
      done(toOptions.report(a)),
    )
    .command("flush", "Resend spans and logs spooled while the collector was away, and those a killed run never sent", outFlag, (a) =>
      done(toOptions.flush(a)),
    )
    .command("history [checks..]", "Each check across recorded runs: pass rate, proven flaky, durations", historyFlags, (a) =>
      done(toOptions.history(a)),
    )
    .demandCommand(1, NAME_A_COMMAND);
}

/** argv's command word (the first that is not a flag) when it is none of COMMANDS: caught before yargs,
 * which would call it an "argument". */
function unknownCommand(argv: readonly string[]): string | undefined {
  const word = argv.find((a) => !a.startsWith("-"));
  return word !== undefined && !(COMMANDS as readonly string[]).includes(word) ? word : undefined;
}

/** yargs' "Unknown argument(s): a, b" said of the command it was given to. */
function unknownArguments(message: string, argv: readonly string[]): string | undefined {
  const listed = /^Unknown arguments?: (.*)$/.exec(message)?.[1];
  const command = argv.find((a) => !a.startsWith("-"));
  if (listed === undefined || command === undefined) return undefined;
  const shown = listed.split(", ").map((a) => (argv.includes(`--${a}`) ? `--${a}` : a));
  return `\`nixotel ${command}\` does not take ${shown.join(", ")}. Run nixotel ${command} --help for what it takes.`;
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

const optionalShard = (text: string | undefined, interactive: boolean) => {
  const shard = parseShard(text);
  if (shard && interactive) throw usageError("--shard splits the checks over CI jobs; --interactive runs one check. Pass one of them.");
  return shard ? { shard } : {};
};

/** --retries 0 is allowed (the default: no retry). */
function retrySettings(a: BuildArgs): { retries: number; failOnFlaky: boolean } {
  const retries = a.retries === undefined ? 0 : a.retries === "0" ? 0 : (positiveInt("retries", a.retries) ?? 0);
  return { retries, failOnFlaky: a["fail-on-flaky"] };
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

/** A command's options, thrown by its handler: after a handler returns, yargs renders the whole help
 * text to keep it for a later failure (usage.js cacheHelpMessage), which cost more than the rest of a
 * parse (issue 14); a thrown value that is not a yargs error ends the parse at once, validation done. */
class Parsed {
  constructor(readonly options: CommandOptions) {}
}

export async function parseArgv(argv: readonly string[]): Promise<CommandOptions> {
  const unknown = unknownCommand(argv);
  if (unknown !== undefined)
    throw usageError(expected(`a command (${COMMANDS.join(", ")})`, unknown, "Run nixotel --help for what each does."));
  let printed = "";
  let failure: Error | undefined;
  let options: CommandOptions | undefined;
  try {
    await parser((parsed) => {
      throw new Parsed(parsed);
    })
      .fail((message, error) => {
        failure = error ?? new Error(message);
      })
      .parseAsync([...argv], {}, (_error, _argv, output) => {
        printed = output;
      });
  } catch (error) {
    if (!(error instanceof Parsed)) throw error;
    options = error.options;
  }
  if (failure) throw usageError(unknownArguments(failure.message, argv) ?? `${failure.message}\nRun nixotel --help for usage.`, failure);
  if (printed) return { command: "print", text: printed };
  if (!options) throw usageError(NAME_A_COMMAND);
  return options;
}
