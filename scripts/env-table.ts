/** Prints the README's configuration table from the collector's list of variables. */
import { renderEnvTable } from '../apps/collector/src/config-vars'

process.stdout.write(`${renderEnvTable()}\n`)
