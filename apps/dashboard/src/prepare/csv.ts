/**
 * CSV as RFC 4180 writes it: fields separated by commas, records by CRLF, and a field that
 * holds a comma, a quote, CR or LF is quoted with its quotes doubled. A cell that a spreadsheet
 * would run as a formula (it starts with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, so
 * an attribute value such as `=HYPERLINK(...)` arriving from a span stays text (OWASP "CSV
 * Injection"). Negative numbers are written by `csvNumber`, which is not guarded.
 */
export type CsvCell = string | number | null

const FORMULA_START = /^[=+\-@\t\r]/

/** One field, guarded and quoted as needed; `null` is an empty field. */
export function csvField(cell: CsvCell): string {
  if (cell === null) return ''
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : ''
  const guarded = FORMULA_START.test(cell) ? `'${cell}` : cell
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded
}

/** A whole document: the header record, then one record per row, each ended by CRLF. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('')
}

/** A file name for an export: `agentmeter-<table>-<YYYY-MM-DD>.csv`, safe on every system. */
export function csvFileName(table: string, now: Date): string {
  const slug = table
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  return `agentmeter-${slug || 'table'}-${now.toISOString().slice(0, 10)}.csv`
}
