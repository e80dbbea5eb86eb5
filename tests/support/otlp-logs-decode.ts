// Reads an ExportLogsServiceRequest a test receiver got, in either protocol, into one plain shape. The
// protobuf side walks the wire format with the field numbers of opentelemetry-proto's logs/v1,
// common/v1 and resource/v1 messages (the pinned official root, otlp-proto-root 0.216, has no logs
// messages); every field the official exporter may write is read, any other one is an error.
export interface ReceivedLogRecord {
  timeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: Record<string, string>;
  traceId: string;
  spanId: string;
}

export interface ReceivedLogs {
  resource: Record<string, string>;
  records: ReceivedLogRecord[];
}

type Field = { number: number; wire: number; value: bigint | Buffer };

function fields(bytes: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = () => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };
  while (pos < bytes.length) {
    const tag = Number(varint());
    const [number, wire] = [tag >> 3, tag & 7];
    if (wire === 0) out.push({ number, wire, value: varint() });
    else if (wire === 1) {
      out.push({ number, wire, value: bytes.readBigUInt64LE(pos) });
      pos += 8;
    } else if (wire === 5) {
      out.push({ number, wire, value: BigInt(bytes.readUInt32LE(pos)) });
      pos += 4;
    } else if (wire === 2) {
      const length = Number(varint());
      out.push({ number, wire, value: bytes.subarray(pos, pos + length) });
      pos += length;
    } else throw new Error(`wire type ${wire} at byte ${pos}: not protobuf an OTLP exporter writes`);
  }
  return out;
}

const bytesOf = (f: Field) => f.value as Buffer;
const known = (message: string, all: Field[], allowed: number[]) => {
  const stray = all.find((f) => !allowed.includes(f.number));
  if (stray) throw new Error(`${message} has a field ${stray.number} that opentelemetry-proto does not define there`);
};
const stringValue = (anyValue: Buffer) => {
  const value = fields(anyValue).find((f) => f.number === 1);
  return value ? bytesOf(value).toString("utf8") : "";
};
function keyValues(all: Field[], number: number): Record<string, string> {
  const result: Record<string, string> = {};
  for (const kv of all.filter((f) => f.number === number).map((f) => fields(bytesOf(f)))) {
    const key = bytesOf(kv.find((f) => f.number === 1)!).toString("utf8");
    result[key] = stringValue(bytesOf(kv.find((f) => f.number === 2)!));
  }
  return result;
}

function protobufLogs(body: Buffer): ReceivedLogs[] {
  const request = fields(body);
  known("ExportLogsServiceRequest", request, [1]);
  return request.map((rl) => {
    const resourceLogs = fields(bytesOf(rl));
    known("ResourceLogs", resourceLogs, [1, 2, 3]);
    const resource = resourceLogs.find((f) => f.number === 1);
    const records = resourceLogs
      .filter((f) => f.number === 2)
      .flatMap((sl) => fields(bytesOf(sl)).filter((f) => f.number === 2))
      .map((lr): ReceivedLogRecord => {
        const record = fields(bytesOf(lr));
        known("LogRecord", record, [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12]);
        const one = (n: number) => record.find((f) => f.number === n);
        return {
          timeUnixNano: String(one(1)?.value ?? 0n),
          severityNumber: Number(one(2)?.value ?? 0n),
          severityText: one(3) ? bytesOf(one(3)!).toString("utf8") : "",
          body: one(5) ? stringValue(bytesOf(one(5)!)) : "",
          attributes: keyValues(record, 6),
          traceId: one(9) ? bytesOf(one(9)!).toString("hex") : "",
          spanId: one(10) ? bytesOf(one(10)!).toString("hex") : "",
        };
      });
    return { resource: resource ? keyValues(fields(bytesOf(resource)), 1) : {}, records };
  });
}

type JsonKv = { key: string; value: { stringValue?: string } };
type JsonRequest = {
  resourceLogs: {
    resource?: { attributes?: JsonKv[] };
    scopeLogs?: {
      logRecords?: (Omit<ReceivedLogRecord, "body" | "attributes"> & { body?: { stringValue?: string }; attributes?: JsonKv[] })[];
    }[];
  }[];
};
const jsonKvs = (kvs: JsonKv[] | undefined) => Object.fromEntries((kvs ?? []).map((kv) => [kv.key, kv.value.stringValue ?? ""]));

function jsonLogs(body: Buffer): ReceivedLogs[] {
  const request = JSON.parse(body.toString("utf8")) as JsonRequest;
  return request.resourceLogs.map((rl) => ({
    resource: jsonKvs(rl.resource?.attributes),
    records: (rl.scopeLogs ?? []).flatMap((sl) =>
      (sl.logRecords ?? []).map((r) => ({ ...r, body: r.body?.stringValue ?? "", attributes: jsonKvs(r.attributes) })),
    ),
  }));
}

/** The log records of one request body, by its content type. */
export const decodeLogs = (body: Buffer, contentType: string): ReceivedLogs[] =>
  contentType.includes("json") ? jsonLogs(body) : protobufLogs(body);
