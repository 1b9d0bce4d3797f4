/**
 * Many short strings (stop names, route numbers...) kept as one UTF-8 buffer plus offsets: compact,
 * and transferable between threads without copying or per-string deserialization.
 */

/** The transferable form. */
export interface StringTableData {
  bytes: Uint8Array;
  /** n + 1 byte offsets; string i is bytes[offsets[i]..offsets[i+1]). */
  offsets: Uint32Array;
}

const decoder = new TextDecoder();

export class StringTable {
  constructor(private readonly data: StringTableData) {}

  get size(): number {
    return this.data.offsets.length - 1;
  }

  /** String i ('' when out of range). */
  get(i: number): string {
    const { bytes, offsets } = this.data;
    const start = offsets[i];
    const end = offsets[i + 1];
    return start === undefined || end === undefined ? '' : decoder.decode(bytes.subarray(start, end));
  }

  /** Every string, in order. */
  all(): string[] {
    return Array.from({ length: this.size }, (_, i) => this.get(i));
  }
}

/** Encodes strings into a table. */
export function encodeStrings(strings: readonly string[]): StringTableData {
  const offsets = new Uint32Array(strings.length + 1);
  let total = 0;
  strings.forEach((s, i) => {
    offsets[i] = total;
    total += Buffer.byteLength(s, 'utf8');
  });
  offsets[strings.length] = total;
  const bytes = new Uint8Array(total);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  strings.forEach((s, i) => buf.write(s, offsets[i] ?? 0, 'utf8'));
  return { bytes, offsets };
}
