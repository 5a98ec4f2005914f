import { csvFileName, toCsv, type CsvCell } from '../prepare/csv'

/** Props of `CsvButton`. */
export interface CsvButtonProps {
  /** The table's title: it names the file and the button's accessible name. */
  table: string
  header: readonly string[]
  /** Exactly the rows the table shows, in its order. */
  rows: ReadonlyArray<readonly CsvCell[]>
}

/** Downloads the rows as an RFC 4180 CSV file (see `prepare/csv.ts`), made in the browser. */
export function CsvButton({ table, header, rows }: CsvButtonProps) {
  const download = () => {
    const blob = new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' })
    const url = URL.createObjectURL(blob)
    const anchor = document.createElement('a')
    anchor.href = url
    anchor.download = csvFileName(table, new Date())
    document.body.append(anchor)
    anchor.click()
    anchor.remove()
    // The download has started from the click; the object URL can go once the event is done.
    setTimeout(() => URL.revokeObjectURL(url), 0)
  }
  return (
    <button
      type="button"
      className="secondary small"
      aria-label={`Export CSV of ${table}`}
      onClick={download}
    >
      Export CSV
    </button>
  )
}
