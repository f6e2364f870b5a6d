// connection-settings: how the application connects: pools created per call, no timeout on
// waiting for a connection, no statement or idle-in-transaction timeout anywhere.
#include <algorithm>

#include "rules/rule.h"

namespace querylens::rules {

namespace {

// Whether the project sets `setting` anywhere it applies to the application's sessions: a pool's
// options, a connection string, ALTER ROLE / ALTER DATABASE ... SET, or SET [LOCAL] / set_config
// in the code's own queries. (A migration's own SET only lasts for the migration.)
bool set_anywhere(const RuleContext& ctx, const std::string& setting) {
    for (const auto& p : ctx.inventory.pools)
        if (!p.one_off() && (p.sets(setting) || p.sets("connection." + setting) || p.text.find(setting) != std::string::npos))
            return true;
    for (const auto& op : ctx.project.migration_operations)
        if (op.kind == MigrationOpKind::SetRoleDefault && !op.columns.empty() && op.columns[0] == setting) return true;
    for (const auto& q : ctx.inventory.queries)
        if (q.from_code() && q.sql.find(setting) != std::string::npos) return true;
    return false;
}

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    std::vector<const ConnectionPool*> pools;
    for (const auto& p : ctx.inventory.pools)
        if (!p.one_off()) pools.push_back(&p);
    if (pools.empty()) return;
    // The project's timeouts go with its main pool: created at module level, preferably in a
    // database module (a `db`/`database` directory or file), else the first.
    auto db_module = [](const std::string& file) {
        return file.find("/db/") != std::string::npos || file.find("/db.") != std::string::npos || file.rfind("db/", 0) == 0 ||
               file.find("database") != std::string::npos;
    };
    const ConnectionPool* main = nullptr;
    for (const auto* p : pools)
        if (p->function < 0 && (!main || (db_module(p->loc.file) && !db_module(main->loc.file)) ||
                                (db_module(p->loc.file) == db_module(main->loc.file) && p->loc < main->loc)))
            main = p;
    const bool statement_timeout = set_anywhere(ctx, "statement_timeout") || set_anywhere(ctx, "query_timeout");
    const bool idle_timeout = set_anywhere(ctx, "idle_in_transaction_session_timeout");
    for (const auto* p : pools) {
        std::vector<std::string> problems;
        Severity severity = Severity::P3;
        bool per_call = false;  // the pool is made per call (not a question of its settings)
        std::string fix;
        if (p->function >= 0 && !p->closed && !p->cached && !p->returned && p->pooled_by.empty()) {
            problems.push_back("created each time " + ctx.inventory.functions[p->function].name +
                               " runs, and neither closed nor kept there: if that runs per request, every call opens "
                               "its own connections until the server refuses more; create it once at module level and share it");
            severity = Severity::P2;
            per_call = true;
        } else if (p->returned && !p->cached && !p->made_per_call.file.empty() && p->pooled_by.empty()) {
            problems.push_back(ctx.inventory.functions[p->function].name + " returns a new pool each time it runs, and " +
                               p->made_per_call_by + " (" + file_line(p->made_per_call) +
                               ") calls it without keeping the result: if that runs per request, every call opens its own "
                               "connections until the server refuses more; create the pool once at module level and share it");
            severity = Severity::P2;
            per_call = true;
        }
        // A one-shot client closed where it is made (a migration runner, a health check) serves no
        // requests: how long to wait for a connection and the pool size are not its questions.
        if (p->driver == "pg" && p->api == "new Pool" && p->options_known && !p->closed && !p->sets("connectionTimeoutMillis")) {
            problems.push_back("no connectionTimeoutMillis: when every connection is busy, requests wait for one forever "
                               "instead of failing fast; set it (e.g. 5000)");
            severity = Severity::P2;
        }
        // postgres.js prepares statements by default; a transaction-mode pooler (PgBouncer,
        // Supabase's port 6543) hands each statement to another server connection, where the
        // prepared statement does not exist.
        const bool pooled_dsn = p->text.find("pgbouncer=true") != std::string::npos || p->text.find(":6543") != std::string::npos;
        if (p->driver == "postgres.js" && pooled_dsn && p->options_known && !p->sets("prepare")) {
            problems.push_back("the connection string names a transaction-mode pooler (pgbouncer=true / port 6543) but "
                               "postgres.js prepares statements by default, and a prepared statement does not survive "
                               "the pooler handing the next query to another connection; set prepare: false");
            severity = Severity::P2;
        }
        // Sizes left to the driver's defaults: not wrong, but not a decision (a note).
        if (p->driver == "pg" && p->api == "new Pool" && p->options_known && !p->closed) {
            // Name only the defaults that apply (a pool with `max: 25` is not "10 connections").
            const bool max = p->sets("max"), idle = p->sets("idleTimeoutMillis");
            if (!max || !idle)
                problems.push_back(std::string(!max && !idle ? "no max, idleTimeoutMillis: the defaults (10 connections, 10 s idle) apply"
                                               : !max        ? "no max: the default of 10 connections applies"
                                                             : "no idleTimeoutMillis: the default of 10 s idle applies") +
                                   "; size the pool against max_connections divided by the number of instances");
        }
        // Neon's `neon()` sends each query (or a non-interactive `sql.transaction([...])` batch) as
        // one HTTP request: no session outlives it, so no transaction can be left open idle.
        const bool one_shot_http = p->driver == "neon" && p->api == "neon()";
        const bool idle_missing = !idle_timeout && !one_shot_http;
        if (p == main && (!statement_timeout || idle_missing)) {
            const std::string missing = !statement_timeout && idle_missing ? "neither statement_timeout nor idle_in_transaction_session_timeout is"
                                        : !statement_timeout                ? "no statement_timeout is"
                                                                            : "no idle_in_transaction_session_timeout is";
            problems.push_back(missing + " set anywhere (pool options, connection string, ALTER ROLE / ALTER DATABASE, SET in the code): " +
                               (idle_missing ? "a runaway query, or a transaction left open by a crashed request, holds its connection and its locks indefinitely"
                                             : "a runaway query holds its locks and a server connection until it ends, whatever the HTTP request that sent it does") +
                               "; give the application's role defaults and raise them per transaction where a job needs longer (SET LOCAL)");
            severity = Severity::P2;
            if (!statement_timeout) fix += "ALTER ROLE CURRENT_USER SET statement_timeout = '30s';  -- choose per workload\n";
            if (idle_missing) fix += "ALTER ROLE CURRENT_USER SET idle_in_transaction_session_timeout = '60s';\n";
        }
        if (problems.empty()) continue;
        std::string message = p->api + " (" + p->driver + "): ";
        for (size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
        // A published library's default pool: its users' applications decide its settings (a
        // note for its maintainers). A pool the library itself makes per call stays a finding.
        if (!p->published_package.empty() && !per_call) {
            severity = Severity::P3;
            message += " (a note: " + p->published_package +
                       " is a published package, so this is the default its users get unless they pass their own pool or options)";
        }
        Finding f;
        f.severity = severity;
        f.loc = p->loc;
        f.message = message;
        if (!fix.empty()) {
            fix.pop_back();
            f.fix = fix;
            f.fix_language = FixLanguage::Sql;
        }
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kConnectionSettings = {
    "connection-settings",
    "ConnectionSettings",
    Severity::P2,
    RuleCategory::QueryPattern,
    "A database pool is created per call, waits forever for a connection, or runs without statement timeouts",
    R"(## What it does
Reads how the application connects (`new Pool({...})` and `new Client(...)` from pg,
`postgres(url, {...})` from postgres.js, Neon's `Pool` and `neon()`), following option objects
kept in constants, spreads and single-argument wrappers. One finding per pool, at its
construction, for:
- a pool created inside a function that neither closes it (`.end()`) nor keeps it outside the
  function (module state, a Map, `globalThis`) nor returns it (a factory, also when it returns
  the client wrapped: `const db = drizzle(conn); return db;`): if the function runs per request,
  every call opens new connections (P2). A factory is reported when a function other than
  startup code (`main`, `init*`, `setup*`, `start*`, `bootstrap`) calls it and neither returns nor
  caches (`??=`, a cache, `globalThis`) what it gets: `const db = createClient()` in a per-request
  context builder (P2). Not when the caller ends it (itself, or through a helper of the project
  that calls `.end()`: `finally { closeClient(pool) }`), nor when the connection string comes from
  a Cloudflare Hyperdrive binding (`env.HYPERDRIVE.connectionString`, at the construction, at a
  call of its function, or in a helper it calls for the string): a client per request is the
  documented pattern there, Hyperdrive pools;
- a pg `Pool` without `connectionTimeoutMillis`, unless it is a one-shot client closed where it
  is made (a migration runner, a health check) (pg waits forever by default; postgres.js has
  `connect_timeout` = 30 s by default) (P2);
- postgres.js with a literal connection string that names a transaction-mode pooler
  (`pgbouncer=true`, port 6543) and no `prepare: false` (P2);
- on the main pool (the first created at module level): no `statement_timeout` or
  `idle_in_transaction_session_timeout` anywhere: not in pool options or a connection string,
  not in `ALTER ROLE` / `ALTER DATABASE ... SET` in the migrations, not `SET [LOCAL]` /
  `set_config` in the code's queries (P2).
A pg `Pool` that leaves `max` or `idleTimeoutMillis` to the defaults (10 connections, 10 s) gets
that as a note in the same finding: not wrong, but the size should be decided against the
server's `max_connections` and the number of instances, which the code does not show. Scripts,
seeds, tests and example or demo apps are not judged. A caller that returns the pool inside an
object (`return { client, db }`) hands it on: its own callers decide. A pool made inside a package
the project publishes (its package.json is not private and lists `files` or `publishConfig`) is the
library's default, whose settings its users configure: a note (P3); a pool it makes per call stays P2.

## Why is this bad?
A pool per request multiplies connections until PostgreSQL refuses new ones (each costs memory
and a process). Without an acquire timeout, a saturated pool turns into requests that hang
instead of errors that shed load. Without statement and idle-in-transaction timeouts, one
runaway query or one transaction left open by a crashed request holds its connection and its
locks (and blocks vacuum) until someone notices.

## Example
```typescript
export async function handler(req: Request) {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  return pool.query('SELECT id FROM users WHERE id = $1', [req.userId]);
}
```

## Use instead
```typescript
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20,
                        idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
export async function handler(req: Request) {
  return pool.query('SELECT id FROM users WHERE id = $1', [req.userId]);
}
```
```sql
ALTER ROLE app SET statement_timeout = '30s';
ALTER ROLE app SET idle_in_transaction_session_timeout = '60s';
```
)",
    check,
};

}  // namespace querylens::rules
