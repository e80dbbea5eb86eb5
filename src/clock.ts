// The one wall clock: unix time in nanoseconds. Code that stamps times takes a `Clock` so tests can
// inject one instead of depending on how fast the machine is.

export type Clock = () => bigint;

/** Wall-clock time in unix nanoseconds, to the microsecond. */
export const nowNs: Clock = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
