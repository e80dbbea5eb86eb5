// nix's own word that a derivation's builder failed (not a dependency of it), read from an error message
// (ANSI codes stripped). Nix 2.8: `error: builder for '/nix/store/…-x.drv' failed with exit code 1`
// (or `… failed due to signal 9 (Killed)`, `… failed to produce output path …`); current Nix:
// `error: Cannot build '/nix/store/…-x.drv'.\nReason: builder failed with exit code 1.`
// (`Reason: 1 dependency failed.` is a dependency's failure, not the builder's). Both print it at once
// only for a derivation another goal waits for; a derivation nix was asked to build (a check) has its
// message printed when the whole build ends (src/pipeline/failure-proof.ts: what tells it earlier).

const BUILDER_2_8 = /^(?:error: )?builder for '(\/[^'\n]+\.drv)' failed\b/;
const BUILDER_CURRENT = /^(?:error: )?Cannot build '(\/[^'\n]+\.drv)'\.\r?\nReason: builder\b/;

/** The derivation whose own builder the message says failed, or undefined. */
export function builderFailedIn(message: string): string | undefined {
  const text = message.trimStart();
  return BUILDER_2_8.exec(text)?.[1] ?? BUILDER_CURRENT.exec(text)?.[1];
}
