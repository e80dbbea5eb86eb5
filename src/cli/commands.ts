// The typed options each command receives; src/cli/parse.ts is the only producer.

export interface NewOptions {
  command: "new";
  name: string;
  template?: string;
  suite?: string;
  dir?: string;
}

export interface GenerateOptions {
  command: "generate";
  check: boolean;
  dryRun: boolean;
  force: boolean;
}

export interface ListTemplatesOptions {
  command: "list-templates";
}

/** What `run` and `check` share: where the flake is and how nix builds it. */
export interface BuildOptions {
  flake: string;
  system?: string;
  /** nix's --max-jobs: 0 builds only on remote builders, auto one job per core. */
  jobs?: number | "auto";
  junit?: string;
  out?: string;
  timeout?: number;
  builders?: string;
  store?: string;
  evalStore?: string;
}

export interface RunOptions extends BuildOptions {
  command: "run";
  checks: string[];
  interactive: boolean;
}

export interface CheckOptions extends BuildOptions {
  command: "check";
}

export interface ReportOptions {
  command: "report";
  run: string;
  html?: string;
  open: boolean;
  out?: string;
}

export interface FlushOptions {
  command: "flush";
  out?: string;
}

/** --help and --version: text to print, nothing to run. */
export interface PrintOptions {
  command: "print";
  text: string;
}

export type CommandOptions =
  NewOptions | GenerateOptions | ListTemplatesOptions | RunOptions | CheckOptions | ReportOptions | FlushOptions | PrintOptions;
