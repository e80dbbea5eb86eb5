// nixotel.json: the one schema for it, the only source of its types, defaults and descriptions.
import { z } from "zod";
import { DEFAULT_SERVICE_NAME } from "../constants.js";
import { DEFAULT_LOG_LIMITS } from "../logs/model.js";

export { CONFIG_FILE } from "./file-name.js";
/** What `nixotel new` renders when neither --template nor nixotel.json's defaultTemplate names one. */
export const DEFAULT_TEMPLATE = "otel_traced";

/** A NixOS test name: it becomes a derivation name and socket paths, so it stays short and plain. */
export const testName = z
  .string()
  .min(1, { error: "must not be empty", abort: true })
  .max(50, "must be at most 50 characters (NixOS test names end up in socket paths)")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "must start with a letter or digit and hold only letters, digits, - and _");

export const suiteName = z
  .string()
  .min(1, { error: "must not be empty", abort: true })
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must start with a letter or digit and hold only letters, digits, ., - and _");

/** A folder inside the project, written with forward slashes. */
export const projectDir = z
  .string()
  .min(1, { error: "must not be empty", abort: true })
  .refine((dir) => !dir.startsWith("/") && !/^[A-Za-z]:/.test(dir), "must be relative to the project folder")
  .refine((dir) => !dir.split(/[\\/]/).includes(".."), "must stay inside the project folder (no ..)");

/** An attribute path in nixpkgs, such as `nginx` or `python3Packages.requests`. */
export const packagePath = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_'-]*(\.[A-Za-z_][A-Za-z0-9_'-]*)*$/,
    "must be a nixpkgs attribute path such as nginx or python3Packages.requests",
  );

export const vmSettings = z.strictObject({
  memory_mb: z
    .number()
    .int("must be a whole number of MiB")
    .min(256, "must be at least 256 (MiB)")
    .max(65536, "must be at most 65536 (MiB)")
    .optional()
    .describe("virtualisation.memorySize of the node, in MiB"),
  cores: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(64, "must be at most 64")
    .optional()
    .describe("virtualisation.cores of the node"),
});

export const nodeSettings = z.strictObject({
  packages: z.array(packagePath).default([]).describe("Extra nixpkgs packages in the node's systemPackages"),
  vm: vmSettings.optional().describe("Overrides the test's vm settings for this node"),
});

const withoutNul = (text: string) => !text.includes("\0");
const NUL_MESSAGE = "must not contain a NUL character (a Nix string cannot hold one)";

/** A number Nix reads back exactly: a safe integer, or a decimal without an exponent (1e-7 is not Nix). */
export const attributeNumber = z
  .number()
  .refine(
    (value) => Number.isSafeInteger(value) || (Number.isFinite(value) && !Number.isInteger(value) && !/e/i.test(String(value))),
    "must be a whole number within ±2^53, or a decimal written without an exponent",
  );

export const attributeKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, "must be an attribute key such as team or vm.memory_mb");

/** Why a test is quarantined: a reason or a link to its issue, shown wherever the test is reported. */
export const quarantineReason = z
  .string()
  .min(1, "must say why the test is quarantined: a reason or a link to its issue")
  .refine(withoutNul, NUL_MESSAGE);

export const testEntry = z.strictObject({
  name: testName.describe("The NixOS test's name, and the file name (NAME.nix)"),
  template: z.string().min(1, "must not be empty").describe("Template to render (nixotel list-templates)"),
  suite: suiteName.optional().describe("Suite of the test; defaults to the project's suite"),
  dir: projectDir.optional().describe("Folder of the test file; defaults to the project's testsDir"),
  vm: vmSettings.default({}).describe("VM settings for every node; also recorded as vm.* span attributes"),
  nodes: z.record(z.string(), nodeSettings).default({}).describe("Extra settings per node, by the template's node names"),
  attributes: z
    .record(attributeKey, z.union([z.string().refine(withoutNul, NUL_MESSAGE), attributeNumber, z.boolean()]))
    .default({})
    .describe("Extra attributes on the test's spans"),
  quarantine: quarantineReason.optional().describe("Marks the test flaky: still run and reported, but it does not fail the run"),
});

/** How much of one check's build log becomes log records (logs.jsonl, OTLP, the report). */
export const logLimits = z.strictObject({
  enabled: z
    .boolean()
    .default(DEFAULT_LOG_LIMITS.enabled)
    .describe("false: nixotel run records no log records at all (no logs.jsonl, nothing sent to OTEL_EXPORTER_OTLP_LOGS_ENDPOINT)"),
  maxLinesPerCheck: z
    .number()
    .int("must be a whole number of lines")
    .min(2, "must be at least 2 (the head, the tail and a line saying what was cut)")
    .default(DEFAULT_LOG_LIMITS.maxLinesPerCheck)
    .describe("Lines of one check's log kept as log records; beyond it the middle is cut and one record says how much"),
  maxBytesPerCheck: z
    .number()
    .int("must be a whole number of bytes")
    .min(1024, "must be at least 1024 (bytes)")
    .default(DEFAULT_LOG_LIMITS.maxBytesPerCheck)
    .describe("Bytes (UTF-8) of one check's log kept as log records; beyond it the middle is cut and one record says how much"),
});

export const config = z.strictObject({
  $schema: z.string().optional(),
  suite: suiteName.default("integration").describe("Default suite of the tests"),
  serviceName: z.string().min(1).refine(withoutNul, NUL_MESSAGE).default(DEFAULT_SERVICE_NAME).describe("OTEL_SERVICE_NAME inside the VMs"),
  testsDir: projectDir.default("tests").describe("Default folder of generated tests"),
  defaultTemplate: z.string().min(1).optional().describe("Template `nixotel new` uses without --template (else otel_traced)"),
  driverJunit: z
    .boolean()
    .default(false)
    .describe(
      "Pass --junit-xml to the NixOS test driver (nixpkgs 24.11+), which writes $out/junit.xml for nixotel run to cross-check. " +
        "Off by default: some 2025 nixpkgs master drivers crash with it (docs/prelude.md); the prelude's spans need no JUnit file",
    ),
  tests: z.array(testEntry).default([]),
  quarantine: z
    .record(z.string().min(1, "must be a check name"), quarantineReason)
    .default({})
    .describe("Checks known to be flaky, by check name, with a reason or link: reported, but they do not fail the run"),
  logs: logLimits.default(DEFAULT_LOG_LIMITS).describe("Per-check limits of the build logs nixotel run records as OTLP log records"),
});

export type TestEntry = z.infer<typeof testEntry>;
export type Config = z.infer<typeof config>;
/** nixotel.json as written: defaults left out so the file stays as small as the user wrote it. */
export type RawConfig = z.input<typeof config>;
export type RawTestEntry = z.input<typeof testEntry>;
