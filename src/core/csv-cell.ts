/**
 * Spreadsheet formula injection: a CSV cell starting with =, +, -, @ (or a tab or carriage return,
 * which some programs skip before reading one) is run as a formula when the file is opened, so a
 * resident's "=HYPERLINK(...)" in an intent example or FAQ would execute on a staff computer.
 * Exports prefix such cells with an apostrophe (OWASP's advice); imports remove exactly that prefix,
 * so an exported file imports back unchanged.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as it may be written to a CSV file. */
export function csvSafeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes csvSafeCell on a cell read from a CSV file. */
export function csvUnsafeCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** Options for csv-stringify that escape every string cell. */
export const CSV_SAFE_STRINGIFY = { cast: { string: csvSafeCell } } as const;
