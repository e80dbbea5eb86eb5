// The OTLP/JSON encoding rules of the OTLP specification (and the protobuf JSON mapping it builds on),
// checked on a parsed request line: ids lowercase hex of the right length, 64-bit integers as decimal
// strings, doubles as numbers or "NaN"/"Infinity"/"-Infinity", enums as integers in range, keys
// lowerCamelCase, no null.
const HEX_IDS: Record<string, number> = { traceId: 32, spanId: 16, parentSpanId: 16 };
const INT64_FIELDS = new Set(["startTimeUnixNano", "endTimeUnixNano", "timeUnixNano", "observedTimeUnixNano", "intValue"]);
const DOUBLE_NAMES = new Set(["NaN", "Infinity", "-Infinity"]);
const ENUMS: Record<string, number> = { kind: 5, code: 2, severityNumber: 24 };

/** Every rule broken, as `path: why`. */
export function jsonViolations(value: unknown, path = "$"): string[] {
  if (value === null) return [`${path}: null`];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonViolations(v, `${path}[${i}]`));
  if (typeof value !== "object") return [];
  const problems: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (!/^[a-z][a-zA-Z0-9]*$/.test(key)) problems.push(`${at}: key is not lowerCamelCase`);
    const idLength = HEX_IDS[key];
    if (idLength !== undefined && (typeof field !== "string" || !new RegExp(`^[0-9a-f]{${idLength}}$`).test(field)))
      problems.push(`${at}: ${JSON.stringify(field)} is not ${idLength} lowercase hex digits`);
    if (INT64_FIELDS.has(key) && (typeof field !== "string" || !/^-?[0-9]+$/.test(field)))
      problems.push(`${at}: ${JSON.stringify(field)} is not a decimal string`);
    if (key === "doubleValue" && !(typeof field === "number" || DOUBLE_NAMES.has(field as string)))
      problems.push(`${at}: ${JSON.stringify(field)} is not a number or NaN/Infinity/-Infinity`);
    const max = ENUMS[key];
    if (max !== undefined && !(Number.isInteger(field) && (field as number) >= 0 && (field as number) <= max))
      problems.push(`${at}: ${JSON.stringify(field)} is not an enum integer 0..${max}`);
    problems.push(...jsonViolations(field, at));
  }
  return problems;
}
