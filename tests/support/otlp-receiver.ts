// A real OTLP/HTTP receiver on loopback for tests: records every request and answers as told.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Date.now() when the request body was complete (lets tests check that a client waited). */
  receivedAt: number;
}

/** How the receiver answers the next requests: a status (with optional headers/body) or a hang. */
export type Behaviour = { kind: "answer"; status: number; headers?: Record<string, string>; body?: string } | { kind: "hang" };

export interface OtlpReceiver {
  url: string; // base URL, e.g. http://127.0.0.1:PORT
  port: number;
  requests: ReceivedRequest[];
  /** Answer the next requests this way; when the queue is empty the default answer (200 {}) is used. */
  queue: (...behaviours: Behaviour[]) => void;
  setDefault: (behaviour: Behaviour) => void;
  /** JSON bodies of the requests to /v1/traces (http/json only). */
  jsonBodies: () => unknown[];
  close: () => Promise<void>;
}

export async function startReceiver(): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  const pending: Behaviour[] = [];
  let fallback: Behaviour = { kind: "answer", status: 200, body: "{}" };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const behaviour = pending.shift() ?? fallback;
      requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
        receivedAt: Date.now(),
      });
      if (behaviour.kind === "hang") return; // never answer; the client's timeout must fire
      res.writeHead(behaviour.status, { "content-type": "application/json", ...behaviour.headers });
      res.end(behaviour.body ?? "{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    queue: (...behaviours) => void pending.push(...behaviours),
    setDefault: (behaviour) => {
      fallback = behaviour;
    },
    jsonBodies: () =>
      requests
        .filter((r) => r.path === "/v1/traces" && String(r.headers["content-type"]).includes("json"))
        .map((r) => JSON.parse(r.body.toString("utf8")) as unknown),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
