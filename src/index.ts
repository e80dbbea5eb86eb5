// The entry point, and the only place that sets the process's exit code.
import { main } from "./main.js";
import { processContext } from "./context.js";

const controller = new AbortController();
// `on`, not `once`: with no listener of ours left, execa's signal-exit re-raises the signal and the
// process dies before the run is written. The first signal stops the run (it still writes its
// record and spans); a second one exits at once.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (!controller.signal.aborted) return controller.abort(signal);
    process.stderr.write(`nixotel: ${signal} again, exiting without finishing the run\n`);
    process.exit(2);
  });
}

// `nixotel report latest | head`: the reader left; the rest of the output has nowhere to go.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
});

main(process.argv.slice(2), processContext(controller.signal)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`nixotel: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
