// The shape of what the check-details query prints. Its own module so zod loads while nix evaluates
// (imported lazily by check-details.ts), not before the first nix call of a run.
import { z } from "zod";

const CheckDetail = z.object({ drv: z.string(), out: z.string(), suite: z.string().nullable() });
export type CheckDetail = z.infer<typeof CheckDetail>;

export const CheckDetails = z.object({
  names: z.array(z.string()),
  details: z.record(z.string(), CheckDetail.nullable()),
  /** `builtins.nixVersion` of the evaluating nix: which form of a derivation installable it takes. */
  nixVersion: z.string(),
});
export type CheckDetails = z.infer<typeof CheckDetails>;
