// Small helpers to write a run's spans by hand: deterministic ids, times in seconds from a base.
import type { Attributes, SpanData, SpanEvent } from "../../../src/spans/model.js";
import { INTERNAL, statusOf } from "../../../src/spans/vocabulary.js";

export const NS_PER_S = 1_000_000_000n;

export class SpanMaker {
  private next = 1;
  readonly spans: SpanData[] = [];

  constructor(
    readonly traceId: string,
    readonly baseNs: bigint,
  ) {}

  /** Nanoseconds at `seconds` after the base (may be negative: spans of an earlier build). */
  at(seconds: number): bigint {
    return this.baseNs + BigInt(Math.round(seconds * 1e6)) * 1000n;
  }

  add(
    parent: SpanData | undefined,
    name: string,
    from: number,
    to: number,
    attributes: Attributes,
    extra: { failed?: string | true; events?: [string, number][]; scope?: string; resource?: Attributes; logTail?: string[] } = {},
  ): SpanData {
    const events: SpanEvent[] = (extra.events ?? []).map(([event, time]) => ({
      name: event,
      timeNs: this.at(time),
      attributes: { "nix.phase": event },
    }));
    if (extra.logTail) events.push({ name: "log.tail", timeNs: this.at(to), attributes: { "log.tail": extra.logTail.join("\n") } });
    const span: SpanData = {
      traceId: this.traceId,
      spanId: (this.next++).toString(16).padStart(16, "0"),
      ...(parent ? { parentSpanId: parent.spanId } : {}),
      name,
      kind: INTERNAL,
      startNs: this.at(from),
      endNs: this.at(to),
      attributes,
      events,
      links: [],
      status: extra.failed ? statusOf("fail", typeof extra.failed === "string" ? extra.failed : undefined) : statusOf("pass"),
      ...(extra.resource ? { resource: extra.resource } : {}),
      ...(extra.scope ? { scope: { name: extra.scope } } : {}),
    };
    this.spans.push(span);
    return span;
  }
}

export const checkAttributes = (suite: string, name: string, status: "pass" | "fail", cached: boolean, drv: string): Attributes => ({
  "test.case.name": name,
  "test.suite.name": suite,
  "test.case.result.status": status,
  "cicd.pipeline.task.name": name,
  "cicd.pipeline.task.type": "test",
  "cicd.pipeline.task.run.result": status === "pass" ? "success" : "failure",
  "nix.attr": attrOf(name),
  "nix.drv_path": `/nix/store/${drv}-vm-test-run-${name}.drv`,
  "nix.out_path": `/nix/store/${drv.replace(/^./, "o")}-vm-test-run-${name}`,
  "nix.cached": cached,
  "test.name": name,
  "test.result": status,
  "test.suite": suite,
  ...(status === "fail" ? { "error.type": "test_failed" } : {}),
});

export const buildAttributes = (drvPath: string, dependency: boolean): Attributes => ({
  "cicd.pipeline.task.type": "build",
  "nix.drv_path": drvPath,
  "nix.machine": "local",
  "nix.dependency": dependency,
});

export const PHASES = ["unpackPhase", "patchPhase", "configurePhase", "buildPhase", "checkPhase", "installPhase", "fixupPhase"];

/** `checks.<system>.<name>`, the name quoted as Nix quotes attribute names that need it. */
export const attrOf = (name: string) => `checks.x86_64-linux.${/^[A-Za-z_][\w'-]*$/.test(name) ? name : JSON.stringify(name)}`;
