// A bzip2 decoder for nix's stored build logs (`/nix/var/log/nix/drvs/xx/…drv.bz2`), so a cached
// check's log is read without starting a `nix log` per check. After Rob Landley's micro-bunzip (as
// in seek-bzip), with the block buffer kept between calls: a small log costs microseconds, not the
// megabytes a fresh 900k-entry buffer costs. Every block's CRC is checked.

export class Bzip2Error extends Error {}

const BLOCK_MAGIC = 0x314159265359;
const END_MAGIC = 0x177245385090;
const GROUP_SIZE = 50;
const MAX_CODE_BITS = 20;

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, i) => {
  let c = i << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  return c >>> 0;
});

class BitReader {
  private pos = 0;
  private bits = 0;
  private count = 0;
  constructor(private readonly data: Uint8Array) {}

  /** The next `n` bits (n ≤ 24), most significant first. */
  read(n: number): number {
    while (this.count < n) {
      if (this.pos >= this.data.length) throw new Bzip2Error("unexpected end of bzip2 data");
      this.bits = ((this.bits << 8) | this.data[this.pos++]!) & 0xffffffff;
      this.count += 8;
    }
    this.count -= n;
    return (this.bits >>> this.count) & ((1 << n) - 1);
  }

  read32 = () => ((this.read(16) << 16) | this.read(16)) >>> 0;
  read48 = () => this.read(24) * 0x1000000 + this.read(24);
  atEnd = () => this.pos >= this.data.length && this.count === 0;
  alignToByte = () => void (this.count -= this.count % 8);
}

interface Huffman {
  permute: Uint16Array;
  limit: Int32Array;
  base: Int32Array;
  minLen: number;
  maxLen: number;
}

/** Growing output bytes, kept between calls. */
let out = new Uint8Array(1 << 16);
let outLength = 0;
let dbuf = new Uint32Array(0);

function emit(byte: number, copies: number): void {
  if (outLength + copies > out.length) {
    const bigger = new Uint8Array(Math.max(out.length * 2, outLength + copies));
    bigger.set(out.subarray(0, outLength));
    out = bigger;
  }
  out.fill(byte, outLength, outLength + copies);
  outLength += copies;
}

function moveToFront(list: Uint8Array, index: number): number {
  const value = list[index]!;
  list.copyWithin(1, 0, index);
  list[0] = value;
  return value;
}

function huffmanGroup(reader: BitReader, symCount: number): Huffman {
  const length = new Uint8Array(symCount);
  let t = reader.read(5);
  for (let i = 0; i < symCount; i++) {
    for (;;) {
      if (t < 1 || t > MAX_CODE_BITS) throw new Bzip2Error("bad bzip2 code length");
      if (!reader.read(1)) break;
      t += reader.read(1) ? -1 : 1;
    }
    length[i] = t;
  }
  let minLen = 32;
  let maxLen = 0;
  for (const len of length) [minLen, maxLen] = [Math.min(minLen, len), Math.max(maxLen, len)];
  const permute = new Uint16Array(258);
  const limit = new Int32Array(MAX_CODE_BITS + 2);
  const base = new Int32Array(MAX_CODE_BITS + 2);
  const perLength = new Uint16Array(MAX_CODE_BITS + 1);
  let p = 0;
  for (let len = minLen; len <= maxLen; len++) for (let s = 0; s < symCount; s++) if (length[s] === len) permute[p++] = s;
  for (const len of length) perLength[len]!++;
  // limit[len]: the largest code of that length; base[len]: what to subtract to index permute.
  let code = 0;
  let seen = 0;
  for (let len = minLen; len < maxLen; len++) {
    code += perLength[len]!;
    limit[len] = code - 1;
    code <<= 1;
    seen += perLength[len]!;
    base[len + 1] = code - seen;
  }
  limit[maxLen] = code + perLength[maxLen]! - 1;
  base[minLen] = 0;
  return { permute, limit, base, minLen, maxLen };
}

function decodeSymbol(reader: BitReader, group: Huffman): number {
  let len = group.minLen;
  let code = reader.read(len);
  while (code > group.limit[len]!) {
    if (++len > group.maxLen) throw new Bzip2Error("bad bzip2 huffman code");
    code = (code << 1) | reader.read(1);
  }
  const index = code - group.base[len]!;
  if (index < 0 || index >= 258) throw new Bzip2Error("bad bzip2 huffman code");
  return group.permute[index]!;
}

/** One block: Huffman + MTF + RLE2 into dbuf, the inverse BWT, then RLE1 into the output. Its CRC. */
function decodeBlock(reader: BitReader, blockSize: number): number {
  if (reader.read(1)) throw new Bzip2Error("randomised bzip2 blocks (bzip2 0.9.0) are not supported");
  const origPtr = reader.read(24);
  const symToByte = new Uint8Array(256);
  let symTotal = 0;
  const used = reader.read(16);
  for (let i = 0; i < 16; i++) {
    if (!(used & (1 << (15 - i)))) continue;
    const bytes = reader.read(16);
    for (let j = 0; j < 16; j++) if (bytes & (1 << (15 - j))) symToByte[symTotal++] = i * 16 + j;
  }
  const groupCount = reader.read(3);
  if (groupCount < 2 || groupCount > 6) throw new Bzip2Error("bad bzip2 group count");
  const selectorCount = reader.read(15);
  if (selectorCount === 0) throw new Bzip2Error("bad bzip2 selector count");
  const groupOrder = Uint8Array.from({ length: groupCount }, (_, i) => i);
  const selectors = new Uint8Array(selectorCount);
  for (let i = 0; i < selectorCount; i++) {
    let j = 0;
    while (reader.read(1)) if (++j >= groupCount) throw new Bzip2Error("bad bzip2 selector");
    selectors[i] = moveToFront(groupOrder, j);
  }
  const symCount = symTotal + 2;
  const groups = Array.from({ length: groupCount }, () => huffmanGroup(reader, symCount));

  if (dbuf.length < blockSize) dbuf = new Uint32Array(blockSize);
  const byteCount = new Uint32Array(256);
  const mtf = Uint8Array.from({ length: 256 }, (_, i) => i);
  let count = 0;
  let left = 0;
  let selector = 0;
  let group = groups[0]!;
  let runWeight = 0;
  let run = 0;
  for (;;) {
    if (left-- === 0) {
      left = GROUP_SIZE - 1;
      if (selector >= selectorCount) throw new Bzip2Error("bzip2 block runs past its selectors");
      group = groups[selectors[selector++]!]!;
    }
    const symbol = decodeSymbol(reader, group);
    if (symbol <= 1) {
      // RUNA/RUNB: a run length in bijective base 2.
      if (runWeight === 0) [runWeight, run] = [1, 0];
      run += runWeight << symbol;
      runWeight <<= 1;
      if (runWeight > blockSize) throw new Bzip2Error("bzip2 run longer than its block");
      continue;
    }
    if (runWeight) {
      runWeight = 0;
      if (count + run > blockSize) throw new Bzip2Error("bzip2 block larger than its size");
      const byte = symToByte[mtf[0]!]!;
      byteCount[byte] = byteCount[byte]! + run;
      dbuf.fill(byte, count, count + run);
      count += run;
    }
    if (symbol > symTotal) break; // end of block
    if (count >= blockSize) throw new Bzip2Error("bzip2 block larger than its size");
    const byte = symToByte[moveToFront(mtf, symbol - 1)]!;
    byteCount[byte]!++;
    dbuf[count++] = byte;
  }
  if (origPtr >= count && count > 0) throw new Bzip2Error("bad bzip2 origin pointer");

  // Inverse Burrows-Wheeler: link each position to the next, in the high bits beside its byte.
  for (let i = 0, total = 0; i < 256; i++) [total, byteCount[i]] = [total + byteCount[i]!, total];
  for (let i = 0; i < count; i++) {
    const next = byteCount[dbuf[i]! & 0xff]!++;
    dbuf[next] = dbuf[next]! | (i << 8);
  }

  let crc = 0xffffffff;
  if (count === 0) return ~crc >>> 0;
  let pos = dbuf[origPtr]! >>> 8;
  let previous = -1;
  let repeats = 0;
  for (let i = 0; i < count; i++) {
    const entry = dbuf[pos]!;
    const byte = entry & 0xff;
    pos = entry >>> 8;
    // RLE1: after four equal bytes, the next one is how many more copies follow.
    const copies = repeats === 4 ? byte : 1;
    const value = repeats === 4 ? previous : byte;
    for (let c = 0; c < copies; c++) crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ value) & 0xff]!;
    emit(value, copies);
    if (repeats === 4) [repeats, previous] = [0, -1];
    else [repeats, previous] = [byte === previous ? repeats + 1 : 1, byte];
  }
  return ~crc >>> 0;
}

/** The UTF-8 text bzip2 compressed into `data` (one stream, or several one after another). */
export function bunzip2Text(data: Uint8Array): string {
  const reader = new BitReader(data);
  outLength = 0;
  do {
    if (reader.read(24) !== 0x425a68) throw new Bzip2Error("not bzip2 data (no BZh header)");
    const level = reader.read(8) - 0x30;
    if (level < 1 || level > 9) throw new Bzip2Error("bad bzip2 block size");
    let streamCrc = 0;
    for (;;) {
      const magic = reader.read48();
      if (magic === END_MAGIC) break;
      if (magic !== BLOCK_MAGIC) throw new Bzip2Error("bad bzip2 block header");
      const expected = reader.read32();
      const crc = decodeBlock(reader, level * 100_000);
      if (crc !== expected) throw new Bzip2Error("bzip2 block CRC mismatch");
      streamCrc = (((streamCrc << 1) | (streamCrc >>> 31)) ^ crc) >>> 0;
    }
    if (reader.read32() !== streamCrc) throw new Bzip2Error("bzip2 stream CRC mismatch");
    reader.alignToByte();
  } while (!reader.atEnd());
  const text = Buffer.from(out.buffer, 0, outLength).toString("utf8");
  if (out.length > 1 << 24) out = new Uint8Array(1 << 16); // not keeping a huge log's buffer
  return text;
}
