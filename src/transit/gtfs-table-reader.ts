/**
 * Streams one GTFS table through csv-parse: UTF-8 with or without BOM, quoted fields, unknown
 * columns ignored, empty lines skipped. Rows reach the handler as string arrays with their line
 * number; any problem (CSV syntax, missing column, bad value) becomes a GtfsImportError naming the
 * file, line and field.
 */
import { parse, CsvError } from 'csv-parse';
import { GtfsImportError } from './gtfs-import-error';
import type { GtfsSource } from './gtfs-source';

/** The header of a table: where each named column is. */
export class TableHeader {
  private readonly index = new Map<string, number>();

  constructor(
    readonly file: string,
    names: string[],
  ) {
    names.forEach((n, i) => {
      if (!this.index.has(n.trim())) this.index.set(n.trim(), i);
    });
  }

  /** Column position, or -1 when the feed does not have it (optional columns). */
  optional(name: string): number {
    return this.index.get(name) ?? -1;
  }

  /** Column position. @throws GtfsImportError when the header lacks it */
  required(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new GtfsImportError({ file: this.file, line: 1, field: name, message: 'required column is missing' });
    return i;
  }

  /** An error at a row, for handlers to throw. */
  problem(line: number, field: string, message: string): GtfsImportError {
    return new GtfsImportError({ file: this.file, line, field, message });
  }
}

export type RowHandler = (row: string[], line: number) => void;

/**
 * Reads `file` from the feed. `setup` sees the header and returns the row handler.
 * @returns false when the file is absent (the caller decides whether that is allowed)
 * @throws GtfsImportError for a malformed file or a row the handler rejects
 */
export async function readTable(
  source: GtfsSource,
  file: string,
  setup: (header: TableHeader) => RowHandler,
): Promise<boolean> {
  const input = await source.open(file);
  if (!input) return false;
  const parser = parse({ bom: true, skip_empty_lines: true });
  let onRow: RowHandler | undefined;
  let failure: unknown;
  await new Promise<void>((resolve, reject) => {
    const stop = (err: unknown) => {
      if (failure) return;
      failure = err;
      input.unpipe(parser);
      input.destroy();
      parser.destroy();
      reject(toImportError(file, err));
    };
    // The parser emits each record synchronously while it parses, so `parser.info.lines` is
    // the line the record ends on (the record's own line unless a quoted field spans lines).
    parser.on('data', (record: string[]) => {
      if (failure) return;
      try {
        if (!onRow) onRow = setup(new TableHeader(file, record));
        else onRow(record, parser.info.lines);
      } catch (err) {
        stop(err);
      }
    });
    parser.on('error', stop);
    input.on('error', stop);
    parser.on('end', () => {
      if (failure) return;
      if (!onRow) return stop(new GtfsImportError({ file, line: 1, message: 'the file is empty (no header row)' }));
      resolve();
    });
    input.pipe(parser);
  });
  return true;
}

function toImportError(file: string, err: unknown): GtfsImportError {
  if (err instanceof GtfsImportError) return err;
  if (err instanceof CsvError) {
    const lines = (err as CsvError & { lines?: number }).lines;
    return new GtfsImportError({ file, ...(lines !== undefined && { line: lines }), message: `CSV syntax: ${err.message}` });
  }
  return new GtfsImportError({ file, message: err instanceof Error ? err.message : String(err) });
}
