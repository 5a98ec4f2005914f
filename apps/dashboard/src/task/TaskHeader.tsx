import type { TaskHeaderModel } from '../prepare/task-detail'

/** Props of `TaskHeader`. */
export interface TaskHeaderProps {
  header: TaskHeaderModel
}

/** The task's totals above its spans. */
export function TaskHeader({ header }: TaskHeaderProps) {
  const { tokens } = header
  return (
    <div className="task-header">
      <dl className="stats">
        <div className="stat">
          <dt>Cost</dt>
          <dd>
            <span data-testid="task-cost">{header.cost}</span>
            {header.unpriced !== null && <span className="badge">{header.unpriced}</span>}
          </dd>
        </div>
        <div className="stat">
          <dt>Outcome</dt>
          <dd data-testid="task-outcome">
            <span className={`outcome outcome-${header.outcome.tone}`}>{header.outcome.text}</span>
          </dd>
        </div>
        {header.score !== null && (
          <div className="stat">
            <dt title="agentmeter.task.score, as the app recorded it">Score</dt>
            <dd>
              <span data-testid="task-score">{header.score.text}</span>
              {header.score.note !== null && (
                <span className="stat-note" data-testid="task-score-note">
                  {header.score.note}
                </span>
              )}
            </dd>
          </div>
        )}
        <div className="stat">
          <dt>Duration</dt>
          <dd>{header.duration}</dd>
        </div>
        <div className="stat">
          <dt>Calls</dt>
          <dd>
            {header.llmCalls} LLM · {header.toolCalls} tool
          </dd>
        </div>
        <div className="stat">
          <dt>Spans</dt>
          <dd>
            {header.spans}
            {header.errors !== null && <span className="badge badge-error">{header.errors}</span>}
          </dd>
        </div>
      </dl>
      <dl className="facts">
        <div>
          <dt>Task id</dt>
          <dd>
            <code>{header.taskId}</code>
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{header.start}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd>
            {tokens.input} input · {tokens.output} output · {tokens.cacheRead} cache read ·{' '}
            {tokens.cacheWrite} cache write · {tokens.reasoning} reasoning
            {header.tokensWithoutUsage !== null && (
              <>
                {' '}
                <span data-testid="tokens-without-usage">{header.tokensWithoutUsage}</span>
              </>
            )}
          </dd>
        </div>
      </dl>
    </div>
  )
}
