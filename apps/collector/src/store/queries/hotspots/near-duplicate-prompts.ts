import { usdToPico } from '@agentmeter/core'
import {
  detectorStatement,
  MODEL,
  SCOPE,
  type Detector,
  type DetectorQuery,
  type DetectorRow,
} from './detector'

/**
 * Two prompts are near duplicates when their tails share at least this many of the 32 MinHash
 * bands: with 4 rows a band, a share of b/32 estimates J⁴, so 4 bands means an estimated word
 * 3-shingle Jaccard of about 0.59, well clear of unrelated prompts (J near 0).
 */
export const NEAR_DUPLICATE_MIN_BANDS = 4

/**
 * Candidate pairs: each band value seen on several calls names its earliest call the head; a
 * call is linked to a head when they share enough bands. Linking to heads (not to every other
 * call) keeps the work linear in the calls of a band instead of quadratic. Each band keeps its
 * members while it is grouped, so the bands are unrolled and scanned once, not joined back.
 */
const CANDIDATES_SQL = `
  WITH calls AS (
    SELECT span_id, start_time, minhash FROM spans FINAL
    WHERE ${SCOPE} AND kind = 'llm' AND length(minhash) > 0 AND priced
  ),
  heads AS (
    SELECT argMin(span_id, (start_time, span_id)) AS head, groupArray(span_id) AS members
    FROM calls
    ARRAY JOIN minhash AS band, arrayEnumerate(minhash) AS band_no
    GROUP BY band_no, band HAVING count() > 1
  )
  SELECT span_id, head
  FROM heads
  ARRAY JOIN members AS span_id
  WHERE span_id != head
  GROUP BY span_id, head
  HAVING count() >= ${NEAR_DUPLICATE_MIN_BANDS}
`

/**
 * The members' columns. The candidate ids are selected again in SQL rather than bound as an
 * array: at a million spans that array holds over 100,000 ids, and with it bound the detector
 * did not finish in 200 s (5.8 s this way, `bench/hotspots.ts`).
 */
const MEMBERS_SQL = `
  SELECT span_id, task_id, task_name, step, ${MODEL} AS model, toString(start_time) AS start,
    toString(request_hash) AS request_hash, toString(response_hash) AS response_hash,
    toString(cost_usd) AS cost
  FROM spans FINAL
  WHERE ${SCOPE} AND kind = 'llm' AND span_id IN (
    SELECT arrayJoin([span_id, head]) FROM (${CANDIDATES_SQL}))
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
    // Full path compression: chains stay short however the pairs arrive.
    for (let node = id; node !== root;) {
      const next = parent.get(node)!
      parent.set(node, root)
      node = next
    }
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
    const members = out.get(root)
    if (members) members.push(id)
    else out.set(root, [id])
  }
  return out
}

/**
 * Near-duplicate prompt clusters, priced as what a response cache could save: the members after
 * the first that got an answer an earlier member already got (a near-identical prompt whose
 * answer depends on fresh data is not reusable, so it costs nothing here). Exact request
 * duplicates inside a cluster are left to the duplicate detector.
 */
export const detectNearDuplicatePrompts: Detector = async (client, query) => {
  const candidates = await client.query({
    ...detectorStatement(CANDIDATES_SQL, query),
    format: 'JSONEachRow',
  })
  const groups = clusters(await candidates.json<{ span_id: string; head: string }>())
  if (groups.size === 0) return []
  const result = await client.query({
    ...detectorStatement(MEMBERS_SQL, query),
    format: 'JSONEachRow',
  })
  const byId = new Map((await result.json<Member>()).map((member) => [member.span_id, member]))
  const rows = new Map<string, DetectorRow>()
  for (const spanIds of groups.values()) {
    const members = spanIds.map((id) => byId.get(id)).filter((m) => m !== undefined)
    for (const row of priceCluster(members, query.claimedSpanIds)) {
      const key = [row.taskName, row.step, row.model, row.day].join('\u0000')
      rows.set(key, mergeRows(rows.get(key), row, query.exampleLimit))
    }
  }
  return [...rows.values()]
}

/**
 * Prices one cluster: each member after the first whose answer equals an earlier member's is
 * what a response cache would have saved, at its own cost, and is reported under its own task,
 * step and model (members with a different answer cost nothing here: their answer was needed).
 */
function priceCluster(members: Member[], claimed?: ReadonlySet<string>): DetectorRow[] {
  const sorted = [...members].sort((a, b) =>
    a.start === b.start ? a.span_id.localeCompare(b.span_id) : a.start.localeCompare(b.start),
  )
  const first = sorted[0]
  if (!first || sorted.length < 2) return []
  const requests = new Set([first.request_hash])
  const answers = new Set(first.response_hash !== '0' ? [first.response_hash] : [])
  const rows: DetectorRow[] = []
  for (const member of sorted.slice(1)) {
    if (requests.has(member.request_hash)) continue
    requests.add(member.request_hash)
    const reused = member.response_hash !== '0' && answers.has(member.response_hash)
    if (member.response_hash !== '0') answers.add(member.response_hash)
    // A call an exact duplicate already priced whole is not waste a second time.
    if (!reused || claimed?.has(member.span_id)) continue
    rows.push({
      cause: 'near_duplicate_prompt',
      taskName: member.task_name,
      step: member.step,
      model: member.model,
      tool: '',
      detail: 'same_answer',
      day: member.start.slice(0, 10),
      occurrences: 1,
      wastedPico: usdToPico(member.cost),
      exampleTaskIds: [member.task_id],
      exampleSpanIds: [member.span_id],
      exampleSpanTasks: [member.task_id],
      claimedSpanIds: [member.span_id],
    })
  }
  return rows
}

function mergeRows(into: DetectorRow | undefined, row: DetectorRow, limit: number): DetectorRow {
  if (!into) return row
  return {
    ...into,
    occurrences: into.occurrences + row.occurrences,
    wastedPico: into.wastedPico + row.wastedPico,
    exampleTaskIds: [...new Set([...into.exampleTaskIds, ...row.exampleTaskIds])].slice(0, limit),
    exampleSpanIds: [...into.exampleSpanIds, ...row.exampleSpanIds].slice(0, limit),
    exampleSpanTasks: [...into.exampleSpanTasks, ...row.exampleSpanTasks].slice(0, limit),
    claimedSpanIds: [...(into.claimedSpanIds ?? []), ...(row.claimedSpanIds ?? [])],
  }
}

export type { DetectorQuery }
