export const HELP = `agentmeter: cost observability for AI agents

Usage: pnpm agentmeter <command> [options]

Commands
  start [--port 4318] [--host 127.0.0.1] [--data DIR] [--demo]
        Run the collector, the query API and the dashboard. Embedded ClickHouse under
        --data (default ./.agentmeter) unless AGENTMETER_CLICKHOUSE_URL is set.
        --demo also runs the demo agents against it, in a loop, and prints a sign-in link;
        their seeded history goes into a data directory once (DIR/demo-state.json).
        Off loopback it refuses to listen without auth configured: AGENTMETER_ADMIN_TOKEN
        (16+ characters), an init key, or a key in the store.
  demo [--endpoint URL] [--key KEY] [--tasks N] [--loop] [--state FILE]
        Run the demo agents (real openai and @anthropic-ai/sdk clients against a loopback
        replay provider) through the SDK into a collector. Defaults: AGENTMETER_ENDPOINT or
        http://127.0.0.1:4318, AGENTMETER_API_KEY, 12 tasks. --state FILE records what was
        sent, so a later run sends the seeded history no more and draws new tasks.
  keys create --project NAME [--scopes ingest,read] [--data DIR] [--json]
        Create a project key (the project too, if new) and print it on one line. It is shown
        only once. With no store under --data yet, it makes one and says so on stderr.
  keys list [--project NAME] [--data DIR] [--json]
        Every key (or a project's): its id (the key's first characters), project, scopes,
        creation time, and whether it is revoked. Never the key or its hash.
  keys revoke ID [--project NAME] [--data DIR] [--json]
        Revoke a key at once, on every route and dashboard session. ID as keys list shows it,
        or its first characters (at least 6) when they name one key.
        keys commands work on the store under --data (default ./.agentmeter), or, when a
        collector started there holds it, through that collector's admin API.
  migrate [--data DIR] [--print]
        Apply pending schema migrations (they also run at every start). --print writes the
        cluster DDL (for AGENTMETER_CLICKHOUSE_CLUSTER) instead, for review.
        Other commands than start, keys create and migrate refuse a data directory with no
        store in it (a mistyped --data); those three make one, and the last two say so.
  doctor [--data DIR] [--json]
        Check the store: ClickHouse version, schema version, clock skew, disk, settings.
  spool list | redrive [--data DIR] [--json]
        The spooled batches that ClickHouse refused for their content (quarantined under
        DIR/spool/quarantine, each with its error), and putting them back in the spool once
        the cause is fixed. Through the collector that holds the spool, if one runs there.
  alerts list | create | update RULE | enable RULE | disable RULE | delete RULE | test RULE
        | events [--data DIR] [--endpoint URL] [--key KEY] [--project NAME] [--json]
        Manage alert rules through a running collector's API: the one started on --data
        (default ./.agentmeter), found by the address it recorded there; --endpoint URL (or
        AGENTMETER_ENDPOINT) names another; with neither, AGENTMETER_HOST:AGENTMETER_PORT.
        Key: --key, AGENTMETER_API_KEY, AGENTMETER_INIT_API_KEY, or with --project demo the
        key start --demo left in the data directory (changes need the admin scope).
        RULE is a rule id or name. create takes --name --type task_cost|task_cost_p95|
        spend_budget|unpriced_spend --threshold USD --url URL [--channel webhook|slack]
        [--task-name NAME] [--window MIN] [--period day|month] [--baseline-factor K]
        [--environment ENV] [--service NAME] [--tag KEY=VALUE ...] and prints the signing
        secret once. update RULE takes the same flags but --type (a rule keeps its type) and
        changes only those given (--tag replaces the tags). test sends a test notification
        now and exits 1 if it was not delivered. events [--rule RULE] [--limit N] prints the
        alert history.
  prices list|add|delete [ID] [--project NAME | --key KEY] [--json]
        The project's price book. add --model M --input USD/M --output USD/M
        [--cache-read ..] [--cache-write ..] [--cache-write-1h ..] [--per-call USD]
        [--provider P] [--effective-from ISO]; add --kind tool --tool NAME --per-call USD;
        add --kind deployment --deployment NAME --base-model M. Custom prices win over the
        catalog for calls from their effective time on (run reprice for stored spans).
  reprice --from ISO --to ISO [--model M] [--project NAME | --key KEY] [--json]
        Price the stored spans of the range again, with a progress bar. Idempotent: a
        second run changes nothing.
        prices and reprice open the store (--data, --project) or, when a collector holds
        it, go through its API (--endpoint, default the address that collector left in the
        data directory, else AGENTMETER_HOST:AGENTMETER_PORT) with a project key that has the
        admin scope: --key, AGENTMETER_API_KEY, AGENTMETER_INIT_API_KEY for
        AGENTMETER_INIT_PROJECT, or the demo key for --project demo. Unknown options are
        refused with the list of those accepted.
  --help
        This text.

Environment
  AGENTMETER_PORT, AGENTMETER_HOST, AGENTMETER_DATA_DIR   same as the flags
  AGENTMETER_CLICKHOUSE_URL                              use a ClickHouse server
  AGENTMETER_CLICKHOUSE_CLUSTER                          create the schema ON CLUSTER
  AGENTMETER_INIT_PROJECT, AGENTMETER_INIT_API_KEY        provision a project and key at start
  AGENTMETER_ADMIN_TOKEN                                 enable the instance admin API
  AGENTMETER_API_KEY                                     project key for alerts / prices / reprice
  AGENTMETER_ENDPOINT                                    collector URL for alerts (as --endpoint)
  AGENTMETER_LOG_LEVEL                                   debug, info, warn, error, silent
  AGENTMETER_ALLOW_PRIVATE_WEBHOOKS=1                    let alert webhooks target private addresses
  AGENTMETER_ALERT_*                                     alert timings (see README, Alerts)
  AGENTMETER_SPOOL_MAX_BYTES, _KEY_SHARE_PERCENT, _SHUTDOWN_MS  local spool while ClickHouse is down
`
