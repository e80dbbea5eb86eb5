// Where nix builds and evaluates (`--store`, `--eval-store`): apart from the build's own module, so the
// first evaluation of a run starts without loading it.

export interface NixSettings {
  jobs?: number | "auto";
  builders?: string;
  store?: string;
  evalStore?: string;
}

/** Flags for commands that touch the store (`--store`). */
export const storeArgs = (s: NixSettings) => (s.store ? ["--store", s.store] : []);

/** Flags for commands that evaluate (`--store`, `--eval-store`). */
export const evalArgs = (s: NixSettings) => [...storeArgs(s), ...(s.evalStore ? ["--eval-store", s.evalStore] : [])];
