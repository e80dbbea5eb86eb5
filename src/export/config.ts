// The OTel spec's exporter environment variables, read from the injected environment (not
// process.env) so tests can set them. Every value the SDK could also read from process.env is
// passed explicitly (see src/export/send.ts), so the two never disagree.
import { configError, expected } from "../errors.js";
import { parseKeyValues } from "../spans/resource.js";

export type Protocol = "http/protobuf" | "http/json";

/** The signals nixotel sends; each has its own OTEL_* variables beside the shared ones. */
export type Signal = "traces" | "logs";

export interface OtlpSettings {
  /** The full URL of the signal (…/v1/traces, …/v1/logs). */
  url: string;
  protocol: Protocol;
  headers: Record<string, string>;
  timeoutMs: number;
  compression: "none" | "gzip";
}

export type ExporterSettings = { kind: "none" } | { kind: "console" } | ({ kind: "otlp" } & OtlpSettings);

const DEFAULT_ENDPOINT = "http://localhost:4318";

function get(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined; // the spec: an empty value counts as unset
}

/** Text as it may be shown or stored: every `scheme://user:password@host…` in it becomes
 * `scheme://***@host…`. Works on URLs that do not parse too (they end up in error messages). */
export const redactUrl = (text: string) => text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, "$1***@");

const decoded = (part: string) => {
  try {
    return decodeURIComponent(part);
  } catch (error) {
    if (!(error instanceof URIError)) throw error;
    return part; // not valid percent-encoding: taken as written, as Node's http does with URL credentials
  }
};

/** Credentials in the endpoint (`http://user:pw@host`) travel as the Basic auth header Node's http
 * would have made of them, so the URL itself (printed, stored in run.json) holds none. */
function moveCredentialsToHeader(url: string, headers: Record<string, string>): string {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return url;
  const auth = `${decoded(parsed.username)}:${decoded(parsed.password)}`;
  // As in Node's http: an explicit Authorization header wins over URL credentials.
  if (!Object.keys(headers).some((name) => name.toLowerCase() === "authorization"))
    headers.Authorization = `Basic ${Buffer.from(auth).toString("base64")}`;
  parsed.username = "";
  parsed.password = "";
  return parsed.href;
}

const upper = (signal: Signal) => signal.toUpperCase();
const specific = (env: NodeJS.ProcessEnv, signal: Signal, suffix: string) =>
  get(env, `OTEL_EXPORTER_OTLP_${upper(signal)}_${suffix}`) ?? get(env, `OTEL_EXPORTER_OTLP_${suffix}`);

function signalUrl(env: NodeJS.ProcessEnv, signal: Signal): string | undefined {
  const exact = get(env, `OTEL_EXPORTER_OTLP_${upper(signal)}_ENDPOINT`);
  if (exact) return exact;
  const base = get(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
  return base ? `${base.replace(/\/+$/, "")}/v1/${signal}` : undefined;
}

/** No endpoint and no OTEL_TRACES_EXPORTER (OTEL_LOGS_EXPORTER): nothing is sent, the signal stays
 * in the run folder. Both signals read the shared OTEL_EXPORTER_OTLP_* variables and their own. */
export function exporterSettings(env: NodeJS.ProcessEnv, signal: Signal = "traces"): ExporterSettings {
  const kindVariable = `OTEL_${upper(signal)}_EXPORTER`;
  const kind = get(env, kindVariable)?.split(",")[0]?.trim();
  const url = signalUrl(env, signal);
  if (kind === "none") return { kind: "none" };
  if (kind === "console") return { kind: "console" };
  if (kind !== undefined && kind !== "otlp") throw configError(expected(`${kindVariable} to be otlp, console or none`, kind));
  if (kind === undefined && url === undefined) return { kind: "none" };

  const protocol = specific(env, signal, "PROTOCOL") ?? "http/protobuf";
  if (protocol !== "http/protobuf" && protocol !== "http/json") {
    throw configError(
      expected(
        "OTEL_EXPORTER_OTLP_PROTOCOL to be http/protobuf or http/json",
        protocol,
        "gRPC is not supported: use an OTLP/HTTP endpoint (port 4318).",
      ),
    );
  }
  const rawTimeout = specific(env, signal, "TIMEOUT");
  const timeoutMs = rawTimeout === undefined ? 10_000 : Number(rawTimeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw configError(expected("OTEL_EXPORTER_OTLP_TIMEOUT to be a positive number of milliseconds", rawTimeout));
  const compression = specific(env, signal, "COMPRESSION") ?? "none";
  if (compression !== "none" && compression !== "gzip")
    throw configError(expected("OTEL_EXPORTER_OTLP_COMPRESSION to be none or gzip", compression));
  const finalUrl = url ?? `${DEFAULT_ENDPOINT}/v1/${signal}`;
  try {
    new URL(finalUrl);
  } catch (cause) {
    throw configError(expected("OTEL_EXPORTER_OTLP_ENDPOINT to be a URL like http://localhost:4318", redactUrl(finalUrl)), [], cause);
  }
  const headers = {
    ...parseKeyValues(get(env, "OTEL_EXPORTER_OTLP_HEADERS")),
    ...parseKeyValues(get(env, `OTEL_EXPORTER_OTLP_${upper(signal)}_HEADERS`)),
  };
  return { kind: "otlp", url: moveCredentialsToHeader(finalUrl, headers), protocol, headers, timeoutMs, compression };
}
