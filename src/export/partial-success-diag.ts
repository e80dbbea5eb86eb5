// The official OTLP log exporters (exporter-logs-otlp-http/-proto 0.223) count an HTTP 200 partial
// success as SUCCESS and say so only through `diag.warn("Received Partial Success response:", json)`
// (otlp-exporter-base/src/logging-response-handler.ts), right before they call back SUCCESS, in the same
// synchronous step. A diag logger installed here catches that warning, and the export reading it in its
// callback gets the answer to its own request; what is not read in that step is forgotten.
import { diag, DiagLogLevel, type DiagLogger } from "@opentelemetry/api";
import { partialOf, type PartialSuccess } from "./exporter.js";

const PARTIAL_SUCCESS = "Received Partial Success response:";
let last: PartialSuccess | undefined;
let installed = false;

const ignore = () => undefined;
const catcher: DiagLogger = {
  error: ignore,
  info: ignore,
  debug: ignore,
  verbose: ignore,
  warn: (message: string, ...args: unknown[]) => {
    if (message !== PARTIAL_SUCCESS || typeof args[0] !== "string") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(args[0]);
    } catch (error) {
      if (error instanceof SyntaxError) return; // not the JSON the handler writes: no count to read
      throw error;
    }
    last = partialOf({ partialSuccess: parsed as Record<string, unknown> });
    queueMicrotask(() => (last = undefined));
  },
};

/** Installs the catcher once (nixotel sets no other diag logger). */
export function listenForPartialSuccess(): void {
  if (installed) return;
  installed = diag.setLogger(catcher, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}

/** The partial success reported in this synchronous step, if any; read it in the export's callback. */
export function takePartialSuccess(): PartialSuccess | undefined {
  const partial = last;
  last = undefined;
  return partial;
}
