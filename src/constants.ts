// The values TypeScript shares with Nix and the testScript prelude, read from modules/lib/constants.json,
// the one place they are written (shipped in the npm package's "files"; ../ resolves from src/ and dist/ alike).
import { readFileSync } from "node:fs";
import { packageFile } from "./package-files.js";

interface SharedConstants {
  serviceName: string;
  /** The folder the NixOS test driver shares with every VM: its VM path and nixotel's entries in it. */
  sharedFolder: { vm: string; spool: string; traceparent: string };
}

const shared = JSON.parse(readFileSync(packageFile("modules/lib/constants.json"), "utf8")) as SharedConstants;

/** `service.name` when OTEL_SERVICE_NAME is unset, and nixotel.json's default `serviceName`. */
export const DEFAULT_SERVICE_NAME: string = shared.serviceName;

/** VM path of the folder where emit_test_span.sh spools its spans (nixotel.tracedNode's default spoolDir). */
export const VM_SPOOL_DIR = `${shared.sharedFolder.vm}/${shared.sharedFolder.spool}`;
