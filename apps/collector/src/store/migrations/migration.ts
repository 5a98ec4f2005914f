/** A numbered schema change. Statements must be idempotent (`IF NOT EXISTS`). */
export interface Migration {
  version: number
  name: string
  statements: string[]
}
