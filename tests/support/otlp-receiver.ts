// A real OTLP/HTTP receiver on loopback for tests: records every request and answers as told.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeLogs, type ReceivedLogs } from "./otlp-logs-decode.js";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Date.now() when the request body was complete (lets tests check that a client waited). */
  receivedAt: number;
  /** Bytes of answer body written so far (the socket took them: writes wait for the client to read). */
  sentBytes: number;
  /** Resolves when the connection of this request has closed (the client read all, or hung up). */
  closed: Promise<void>;
  /** True once the client went away before the receiver answered (it aborted the request). */
  aborted: boolean;
}

/** How the receiver answers the next requests. */
export type Behaviour =
  | { kind: "answer"; status: number; headers?: Record<string, string>; body?: string }
  /** OTLP partial success, compact or pretty-printed (2 spaces, CRLF) as several collectors send it. */
  | { kind: "partialSuccess"; rejectedSpans: number | string; pretty: boolean }
  /** Headers at once, then the body one byte every `intervalMs`, for ever. */
  | { kind: "slow"; status: number; intervalMs: number }
  /** A body of `bytes` bytes, written only as fast as the client reads it. */
  | { kind: "huge"; status: number; bytes: number }
  | { kind: "hang" }
  /** Answered 200 when `release()` is called. */
  | { kind: "hold" }
  /** OTLP partial success in the request's own format (http/json or http/protobuf), as a collector answers. */
  | { kind: "partial"; rejected: number; message: string };

export interface OtlpReceiver {
  url: string; // base URL, e.g. http://127.0.0.1:PORT
  port: number;
  requests: ReceivedRequest[];
  /** Answer the next requests this way; when the queue is empty the default answer (200 {}) is used. */
  queue: (...behaviours: Behaviour[]) => void;
  /** Answer the next requests to `path` this way, before the common queue (spans and logs go at once). */
  queueFor: (path: string, ...behaviours: Behaviour[]) => void;
  setDefault: (behaviour: Behaviour) => void;
  /** Forgets the requests received and answers 200 {} again (between a file's tests). */
  reset: () => void;
  /** Resolves once `count` requests have been received in all (at once when they already have). */
  received: (count: number) => Promise<void>;
  /** Answers every held request with 200 {}. */
  release: () => void;
  /** JSON bodies of the requests to /v1/traces (http/json only). */
  jsonBodies: () => unknown[];
  /** The requests to /v1/logs, either protocol, decoded. */
  logs: () => ReceivedLogs[];
  close: () => Promise<void>;
}

const varint = (value: number): Buffer => {
  const bytes: number[] = [];
  for (let rest = value; ; rest = Math.floor(rest / 128)) {
    if (rest < 128) return Buffer.from([...bytes, rest]);
    bytes.push((rest % 128) | 0x80);
  }
};
const lengthDelimited = (field: number, bytes: Buffer) => Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);

/** ExportTraceServiceResponse { partial_success (1) { rejected_spans (1, int64), error_message (2) } }; the
 * ExportLogsServiceResponse is the same on the wire (rejected_log_records is field 1 too). */
export function partialSuccessProtobuf(rejected: number, message: string): Buffer {
  const inner = Buffer.concat([varint(1 << 3), varint(rejected), lengthDelimited(2, Buffer.from(message, "utf8"))]);
  return lengthDelimited(1, inner);
}

function answerPartial(res: ServerResponse, json: boolean, rejected: number, message: string, logs: boolean): void {
  if (json) {
    // OTLP/JSON writes int64 as a decimal string; the logs' response names its count rejectedLogRecords.
    res.writeHead(200, { "content-type": "application/json" });
    const count = logs ? { rejectedLogRecords: String(rejected) } : { rejectedSpans: String(rejected) };
    res.end(JSON.stringify({ partialSuccess: { ...count, errorMessage: message } }));
  } else {
    res.writeHead(200, { "content-type": "application/x-protobuf" });
    res.end(partialSuccessProtobuf(rejected, message));
  }
}

export async function startReceiver(): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  const pending: Behaviour[] = [];
  const pendingFor = new Map<string, Behaviour[]>();
  const held: ServerResponse[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const answer200: Behaviour = { kind: "answer", status: 200, body: "{}" };
  let fallback: Behaviour = answer200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const behaviour = pendingFor.get(req.url ?? "")?.shift() ?? pending.shift() ?? fallback;
      const request: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
        receivedAt: Date.now(),
        sentBytes: 0,
        closed: new Promise((resolve) => res.on("close", () => resolve())),
        aborted: false,
      };
      res.on("close", () => {
        if (!res.writableFinished) request.aborted = true;
      });
      requests.push(request);
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      if (behaviour.kind === "hold") return void held.push(res);
      if (behaviour.kind === "partial")
        return answerPartial(
          res,
          String(req.headers["content-type"]).includes("json"),
          behaviour.rejected,
          behaviour.message,
          request.path === "/v1/logs",
        );
      answer(behaviour, request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    queue: (...behaviours) => void pending.push(...behaviours),
    queueFor: (path, ...behaviours) => void pendingFor.set(path, [...(pendingFor.get(path) ?? []), ...behaviours]),
    setDefault: (behaviour) => {
      fallback = behaviour;
    },
    reset: () => {
      requests.length = 0;
      fallback = answer200;
    },
    received: (count) => (requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    release: () => {
      for (const res of held.splice(0)) res.writeHead(200, { "content-type": "application/json" }).end("{}");
    },
    jsonBodies: () =>
      requests
        .filter((r) => r.path === "/v1/traces" && String(r.headers["content-type"]).includes("json"))
        .map((r) => JSON.parse(r.body.toString("utf8")) as unknown),
    logs: () => requests.filter((r) => r.path === "/v1/logs").flatMap((r) => decodeLogs(r.body, String(r.headers["content-type"]))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(behaviour: Exclude<Behaviour, { kind: "hold" | "partial" }>, request: ReceivedRequest, res: ServerResponse): void {
  const json = { "content-type": "application/json" };
  switch (behaviour.kind) {
    case "hang":
      return; // never answer; the client's deadline must fire
    case "answer":
      res.writeHead(behaviour.status, { ...json, ...behaviour.headers });
      res.end(behaviour.body ?? "{}");
      return;
    case "partialSuccess": {
      const body = { partialSuccess: { rejectedSpans: behaviour.rejectedSpans, errorMessage: "span too old" } };
      res.writeHead(200, json);
      res.end(behaviour.pretty ? JSON.stringify(body, null, 2).replaceAll("\n", "\r\n").replace(/":/g, '" : ') : JSON.stringify(body));
      return;
    }
    case "slow": {
      res.writeHead(behaviour.status, json);
      res.flushHeaders();
      const timer = setInterval(() => {
        res.write("{");
        request.sentBytes += 1;
      }, behaviour.intervalMs);
      res.on("close", () => clearInterval(timer));
      return;
    }
    case "huge": {
      res.writeHead(behaviour.status, json); // no content-length: chunked, as a streaming collector would
      const chunk = Buffer.alloc(64 * 1024, "x");
      const writeMore = (): void => {
        while (request.sentBytes < behaviour.bytes && !res.destroyed) {
          request.sentBytes += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", writeMore); // the client reads no faster
        }
        if (!res.destroyed) res.end();
      };
      writeMore();
      return;
    }
  }
}
