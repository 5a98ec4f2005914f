import { usdToPico } from '@agentmeter/core'
import { MODEL, SCOPE, type Detector, type DetectorQuery, type DetectorRow } from './detector'

/**
 * Two prompts are near duplicates when their tails share at least this many of the 32 MinHash
 * bands: with 4 rows a band, a share of b/32 estimates J⁴, so 4 bands means an estimated word
 * 3-shingle Jaccard of about 0.59, well clear of unrelated prompts (J near 0).
 */
export const NEAR_DUPLICATE_MIN_BANDS = 4

/**
 * Candidate pairs: each band value seen on several calls names its earliest call the head; a
 * call is linked to a head when they share enough bands. Linking to heads (not to every other
 * call) keeps the join linear in the calls of a band instead of quadratic.
 */
const CANDIDATES_SQL = `
  WITH calls AS (
    SELECT span_id, start_time, minhash FROM spans FINAL
    WHERE ${SCOPE} AND kind = 'llm' AND length(minhash) > 0 AND priced
  ),
  bands AS (
    SELECT span_id, start_time, band_no, band FROM calls
    ARRAY JOIN minhash AS band, arrayEnumerate(minhash) AS band_no
  ),
  heads AS (
    SELECT band_no, band, argMin(span_id, (start_time, span_id)) AS head FROM bands
    GROUP BY band_no, band HAVING count() > 1
  )
  SELECT b.span_id AS span_id, h.head AS head
  FROM bands AS b
  INNER JOIN heads AS h ON h.band_no = b.band_no AND h.band = b.band
  WHERE b.span_id != h.head
  GROUP BY span_id, head
  HAVING count() >= ${NEAR_DUPLICATE_MIN_BANDS}
`

const MEMBERS_SQL = `
  SELECT span_id, task_id, task_name, step, ${MODEL} AS model, toString(start_time) AS start,
    toString(request_hash) AS request_hash, toString(response_hash) AS response_hash,
    toString(cost_usd) AS cost
  FROM spans FINAL
  WHERE ${SCOPE} AND kind = 'llm' AND span_id IN {ids:Array(String)}
`

interface Member {
  span_id: string
  task_id: string
  task_name: string
  step: string
  model: string
  start: string
  request_hash: string
  response_hash: string
  cost: string
}

/** Union-find over span ids: clusters, not pairs. */
function clusters(pairs: Array<{ span_id: string; head: string }>): Map<string, string[]> {
  const parent = new Map<string, string>()
  const find = (id: string): string => {
    let root = id
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!
    parent.set(id, root)
    return root
  }
  for (const { span_id, head } of pairs) {
    if (!parent.has(span_id)) parent.set(span_id, span_id)
    if (!parent.has(head)) parent.set(head, head)
    const a = find(span_id)
    const b = find(head)
    if (a !== b) parent.set(a, b)
  }
  const out = new Map<string, string[]>()
  for (const id of parent.keys()) {
    const root = find(id)
    out.set(root, [...(out.get(root) ?? []), id])
  }
  return out
}

/**
 * Near-duplicate prompt clusters, priced as what a response cache could save: the cost of the
 * members after the first, times the share of them whose answer equals an earlier member's (a
 * near-identical prompt whose answer depends on fresh data is not reusable). Exact request
 * duplicates inside a cluster are left to the duplicate detector.
 */
export const detectNearDuplicatePrompts: Detector = async (client, query) => {
  const params = { projectId: query.projectId, ...query.range }
  const candidates = await client.query({
    query: CANDIDATES_SQL,
    query_params: params,
    format: 'JSONEachRow',
  })
  const groups = clusters(await candidates.json<{ span_id: string; head: string }>())
  const ids = [...groups.values()].flat()
  if (ids.length === 0) return []
  const result = await client.query({
    query: MEMBERS_SQL,
    query_params: { ...params, ids },
    format: 'JSONEachRow',
  })
  const byId = new Map((await result.json<Member>()).map((member) => [member.span_id, member]))
  const rows = new Map<string, DetectorRow>()
  for (const spanIds of groups.values()) {
    const row = priceCluster(spanIds.map((id) => byId.get(id)).filter((m) => m !== undefined))
    if (!row) continue
    const key = [row.taskName, row.step, row.model, row.day].join('\u0000')
    rows.set(key, mergeRows(rows.get(key), row))
  }
  return [...rows.values()]
}

function priceCluster(members: Member[]): DetectorRow | null {
  const sorted = [...members].sort((a, b) =>
    a.start === b.start ? a.span_id.localeCompare(b.span_id) : a.start.localeCompare(b.start),
  )
  const first = sorted[0]
  if (!first || sorted.length < 2) return null
  const requests = new Set([first.request_hash])
  const answers = new Set(first.response_hash !== '0' ? [first.response_hash] : [])
  const rest: Member[] = []
  let agreeing = 0
  for (const member of sorted.slice(1)) {
    if (requests.has(member.request_hash)) continue
    requests.add(member.request_hash)
    rest.push(member)
    if (member.response_hash !== '0' && answers.has(member.response_hash)) agreeing++
    if (member.response_hash !== '0') answers.add(member.response_hash)
  }
  if (rest.length === 0 || agreeing === 0) return null
  const restCost = rest.reduce((sum, member) => sum + usdToPico(member.cost), 0n)
  return {
    cause: 'near_duplicate_prompt',
    taskName: first.task_name,
    step: first.step,
    model: first.model,
    tool: '',
    detail: agreeing === rest.length ? 'same_answer' : 'partly_same_answer',
    day: first.start.slice(0, 10),
    occurrences: rest.length,
    wastedPico: (restCost * BigInt(agreeing)) / BigInt(rest.length),
    exampleTaskIds: [...new Set(sorted.map((member) => member.task_id))].slice(0, 5),
    exampleSpanIds: sorted.slice(0, 5).map((member) => member.span_id),
  }
}

function mergeRows(into: DetectorRow | undefined, row: DetectorRow): DetectorRow {
  if (!into) return row
  return {
    ...into,
    detail: into.detail === row.detail ? into.detail : 'partly_same_answer',
    occurrences: into.occurrences + row.occurrences,
    wastedPico: into.wastedPico + row.wastedPico,
    exampleTaskIds: [...new Set([...into.exampleTaskIds, ...row.exampleTaskIds])].slice(0, 5),
    exampleSpanIds: [...into.exampleSpanIds, ...row.exampleSpanIds].slice(0, 5),
  }
}

export type { DetectorQuery }
