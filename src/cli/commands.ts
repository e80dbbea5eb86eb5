// The typed options each command receives. Each type is inferred once, from the yargs definition of
// its command and the few conversions in src/cli/parse.ts (the only producer); nothing restates them.
import type { toOptions } from "./parse.js";

type Options = ReturnType<(typeof toOptions)[keyof typeof toOptions]>;
type Of<C extends Options["command"]> = Extract<Options, { command: C }>;

export type NewOptions = Of<"new">;
export type GenerateOptions = Of<"generate">;
export type ListTemplatesOptions = Of<"list-templates">;
export type RunOptions = Of<"run">;
export type CheckOptions = Of<"check">;
export type ReportOptions = Of<"report">;
export type FlushOptions = Of<"flush">;

/** --help and --version: text to print, nothing to run. */
export interface PrintOptions {
  command: "print";
  text: string;
}

export type CommandOptions = Options | PrintOptions;
