// What proves, while nix still builds, that a check's build failed, so it can be recorded at once (a
// nixotel killed later keeps it). Not the store's "output not valid" alone: asked too early, a build
// that passed has not registered its output yet. Two proofs:
// - nix's own message that the derivation's builder failed (src/nix/failure-message.ts); nix prints it
//   at once only for derivations another goal waits for, a check's comes when the whole build ends;
// - nix's lock on the check's output (src/nix/output-locks.ts): nix takes it before a build starts and
//   lets go once the build has ended, after registering the output when it passed; so a started build
//   whose lock is free, and whose output the store (asked after that) does not have, failed. Trusted
//   only once some check's lock was seen held in this run: then the locks are where nixotel looks
//   (a store nix reaches elsewhere, e.g. `store = ssh-ng://…` in nix.conf, takes no lock here).
// Nothing is proven once nix is being stopped (a signal, --timeout): what ends then was cut short.
import type { Context } from "../context.js";
import type { BuildActivity } from "../nix/builds.js";
import { heldOutputLocks } from "../nix/output-locks.js";

export class FailureProof {
  private readonly saidFailed = new Set<BuildActivity>();
  /** A check's output lock was seen held: the lock files nixotel looks at are nix's. */
  private locksSeen = false;
  private stopped = false;
  private locksReadable: boolean;

  /** `locksReadable`: the store is this machine's (not --store), so its lock files are here to look at;
   * `locksSeen`: called once, when the locks can first be trusted (failures left unproven may be now). */
  constructor(
    private readonly outPathOf: (build: BuildActivity) => string,
    private readonly context: Context,
    locksReadable: boolean,
    private readonly onLocksSeen: () => void,
  ) {
    this.locksReadable = locksReadable;
  }

  /** A check build started: its output lock is looked at, until one is seen held. */
  started(build: BuildActivity): void {
    if (!this.locksReadable || this.locksSeen) return;
    heldOutputLocks([this.outPathOf(build)]).then(
      (held) => {
        if (held === undefined) this.locksReadable = false;
        else if (held.get(this.outPathOf(build)) && !this.locksSeen) {
          this.locksSeen = true;
          this.onLocksSeen();
        }
      },
      (error: unknown) => {
        this.locksReadable = false;
        this.context.stderr(`nixotel: nix's output locks could not be read; failed checks are recorded at the end: ${String(error)}\n`);
      },
    );
  }

  builderFailed(build: BuildActivity): void {
    this.saidFailed.add(build);
  }

  stopping(): void {
    this.stopped = true;
  }

  /** The builds of `batch` whose output lock is free now: asked before the store is. */
  async unlocked(batch: readonly BuildActivity[]): Promise<ReadonlySet<BuildActivity>> {
    if (!this.locksSeen || !this.locksReadable || this.stopped) return new Set();
    const held = await heldOutputLocks(batch.map(this.outPathOf));
    return new Set(batch.filter((b) => held?.get(this.outPathOf(b)) === false));
  }

  /** Whether the build, whose output the store said is not valid, surely failed. */
  failed(build: BuildActivity, unlocked: ReadonlySet<BuildActivity>): boolean {
    return !this.stopped && (this.saidFailed.has(build) || unlocked.has(build));
  }
}
