/**
 * ClickHouse error codes that refuse an insert for what the rows hold: a value the column type
 * cannot take (an enum member, a negative unsigned, a malformed time), a column the table does
 * not have, a violated constraint. Retrying the same rows cannot succeed until the schema or the
 * data changes, so a spooled batch refused this way is set aside after a few attempts instead of
 * blocking the spool. Every other failure (connection refused, a detached or read-only table,
 * memory, timeouts, too many parts) is storage being unavailable, and is retried for as long as
 * it lasts. Codes: ClickHouse `src/Common/ErrorCodes.cpp`.
 */
const DATA_REJECTION_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  8, // THERE_IS_NO_COLUMN
  10, // NOT_FOUND_COLUMN_IN_BLOCK
  16, // NO_SUCH_COLUMN_IN_TABLE
  25, // CANNOT_PARSE_ESCAPE_SEQUENCE
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  43, // ILLEGAL_TYPE_OF_ARGUMENT
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  130, // CANNOT_READ_ARRAY_FROM_TEXT
  131, // TOO_LARGE_STRING_SIZE
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  469, // VIOLATED_CONSTRAINT
  691, // UNKNOWN_ELEMENT_OF_ENUM
])

/** Whether ClickHouse refused the rows themselves (see above), not the moment. */
export function isDataRejection(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const code = Number((err as { code?: unknown }).code)
  return Number.isInteger(code) && DATA_REJECTION_CODES.has(code)
}
