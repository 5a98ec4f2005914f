/**
 * Where a `.cpuprofile`'s time went: self time by function and by file (or package), and the
 * share of each, largest first. For the profiles the benches write with
 * `AGENTMETER_PROFILE_OUT` (see window-profile.ts) or `node --cpu-prof`:
 *
 *   npx tsx bench/support/profile-summary.ts <file.cpuprofile> [rows (default 25)]
 */

import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

/** The file a frame belongs to, shortened to its package or to its path in this repository. */
function place(url: string): string {
  if (url === '') return '(native or idle)'
  const modules = url.lastIndexOf('/node_modules/')
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/')
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!
  }
  if (url.startsWith('node:')) return url
  const repo = url.indexOf('/agentmeter/')
  return url.replace(/^file:\/\//, '').slice(repo >= 0 ? repo + '/agentmeter/'.length : 0)
}

function table(title: string, totals: Map<string, number>, all: number, rows: number): void {
  console.log(`\n${title}`)
  const sorted = [...totals].sort((a, b) => b[1] - a[1]).slice(0, rows)
  for (const [name, micros] of sorted) {
    const share = ((micros / all) * 100).toFixed(1).padStart(5)
    console.log(`${share} %  ${(micros / 1000).toFixed(1).padStart(9)} ms  ${name}`)
  }
}

const [file, rowsArg] = process.argv.slice(2)
if (!file) {
  console.error('usage: npx tsx bench/support/profile-summary.ts <file.cpuprofile> [rows]')
  process.exit(2)
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const byFunction = new Map<string, number>()
const byPlace = new Map<string, number>()
let all = 0
let idle = 0
profile.samples.forEach((id, i) => {
  const micros = profile.timeDeltas[i + 1] ?? 0
  const frame = byId.get(id)!.callFrame
  if (frame.functionName === '(idle)') {
    idle += micros
    return
  }
  all += micros
  const where = place(frame.url)
  const name = `${frame.functionName || '(anonymous)'}  ${where}:${frame.lineNumber + 1}`
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros)
  byPlace.set(where, (byPlace.get(where) ?? 0) + micros)
})
const rows = Number(rowsArg ?? 25)
const wall = (profile.endTime - profile.startTime) / 1000
console.log(
  `${file}: ${wall.toFixed(0)} ms profiled, ${(all / 1000).toFixed(0)} ms busy, ` +
    `${(idle / 1000).toFixed(0)} ms idle`,
)
table('self time by file or package', byPlace, all, rows)
table('self time by function', byFunction, all, rows)
