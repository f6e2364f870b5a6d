#include "analysis/table_profiles.h"

#include <algorithm>

#include <set>

#include "core/paths.h"
#include "core/sql_text.h"

namespace querylens {

namespace {

// Statistics thresholds: a table this large is worth an index and a LIMIT; this small is not.
constexpr double kLargeRows = 50000;
constexpr double kSmallRows = 5000;

const std::set<std::string> kWideTypes = {"jsonb", "json", "bytea", "tsvector", "xml", "vector", "halfvec", "sparsevec"};
const char* const kDocumentNames[] = {"content", "body", "html", "markdown", "payload", "document", "prompt",
                                      "transcript", "raw", "blob", "snapshot", "output", "input", "text", "stack",
                                      "trace", "log", "svg", "description", "notes", "embedding"};
// (Not `source`: as often a short tag, `'webhook'`, `'api'`, that queries filter on, as a document.)
const char* const kJobPathParts[] = {"job", "worker", "queue", "cron", "webhook", "consumer", "ingest", "trigger",
                                     "schedul", "processor", "background", "task"};

bool wide_column(const Column& c) {
    std::string type = c.type;
    if (const auto paren = type.find('('); paren != std::string::npos) type = type.substr(0, paren);
    if (kWideTypes.count(type)) return true;
    if (type != "text") return false;
    // `content_type`, `source_id`, `input_tokens`, `body_hash`: short facts about a document.
    static const char* const kMetadataEnds[] = {"_type", "_id", "_ids", "_hash", "_length", "_size", "_url", "_key", "_at",
                                                "_status", "_name", "_format", "_encoding", "_version", "_mime", "_count",
                                                "_tokens", "_kind", "_mode", "_lang", "_language", "_path", "_ref", "_sha"};
    for (const std::string e : kMetadataEnds)
        if (c.name.size() > e.size() && c.name.compare(c.name.size() - e.size(), std::string::npos, e) == 0) return false;
    // `content`, `content_html`, `raw_body`: the document word as the whole name or one of its ends.
    for (const std::string n : kDocumentNames)
        if (name_has_word(c.name, n)) return true;
    return false;
}

bool declared_in(const std::vector<std::string>& globs, const std::string& qualified) {
    for (const auto& g : globs)
        if (glob_match(g, qualified) || glob_match(g, display_name(qualified)) || glob_match(g, unqualified(qualified)))
            return true;
    return false;
}

bool job_path(const std::string& file) {
    std::string lower;
    for (char c : file) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* p : kJobPathParts)
        if (lower.find(p) != std::string::npos) return true;
    return false;
}


bool has_timestamp(const Table& t) {
    for (const auto& c : t.columns)
        if (c.temporal()) return true;
    return false;
}

}  // namespace

TableProfiles profile_tables(const Project& project, const TableDeclarations& declared) {
    TableProfiles out;
    struct Writes {
        std::string looped, job;  // a location as evidence
        bool runtime_insert = false, update = false;
        bool keyed_delete = false;  // rows deleted one by one (not a retention by time range)
    };
    std::map<std::string, Writes> writes;
    const QueryInventory& inv = project.inventory;
    for (const auto& q : inv.queries) {
        if (!q.is_write() || q.one_off()) continue;
        const Relation* r = q.first_table();
        if (!r) continue;
        Writes& w = writes[r->table];
        if (q.kind == StatementKind::Update) w.update = true;
        if (q.kind == StatementKind::Insert && q.on_conflict && !q.conflict_do_nothing) w.update = true;  // an upsert
        if (q.kind == StatementKind::Delete) {
            // Retention deletes by a time range (`created_at < $1`); a membership or a setting is
            // deleted by its key: not a time series.
            const bool by_range = std::any_of(q.predicates.begin(), q.predicates.end(), [&](const Predicate& p) {
                return p.relation >= 0 && &q.relations[p.relation] == r && p.op == PredicateOp::Range && !p.in_disjunction;
            });
            if (!by_range) w.keyed_delete = true;
        }
        if (q.kind != StatementKind::Insert) continue;
        if (q.from_code()) w.runtime_insert = true;
        if (q.loop >= 0 && inv.loops[q.loop].execution == ExecutionContext::Runtime && w.looped.empty())
            w.looped = file_line(q.loc);
        if (q.from_code() && job_path(q.loc.file) && w.job.empty()) w.job = file_line(q.loc);
    }
    // Inserts reached from a loop through calls (the write each callee reaches, once per callee).
    std::map<int, int> reached;  // callee -> the write query it reaches, or -1
    for (const auto& call : inv.calls) {
        if (call.loop < 0 || inv.loops[call.loop].execution != ExecutionContext::Runtime) continue;
        auto [it, fresh] = reached.emplace(call.callee, -1);
        if (fresh) inv.call_chain(call.callee, true, it->second);
        const int query = it->second;
        if (query < 0 || inv.queries[query].kind != StatementKind::Insert || inv.queries[query].one_off()) continue;
        if (const Relation* r = inv.queries[query].first_table(); r && writes[r->table].looped.empty())
            writes[r->table].looped = file_line(call.loc);
    }
    for (const auto& [name, t] : project.schema.tables) {
        TableProfile p;
        for (const auto& c : t.columns)
            if (wide_column(c)) p.wide_columns.push_back(c.name);
        const auto w = writes.find(name);
        const auto st = project.database.tables.find(name);
        const double rows = st == project.database.tables.end() ? -1 : st->second.rows;
        if (rows >= kLargeRows) {
            p.growth = TableGrowth::Growing, p.source = "statistics: " + std::to_string(static_cast<long long>(rows)) + " rows";
            p.measured = true;
        } else if (rows >= 0 && rows <= kSmallRows) {
            p.growth = TableGrowth::Small, p.source = "statistics: " + std::to_string(static_cast<long long>(rows)) + " rows";
        } else if (declared_in(declared.large, name)) {
            p.growth = TableGrowth::Growing, p.source = "querylens.toml [tables] large";
            p.measured = true;
        } else if (declared_in(declared.small, name)) {
            p.growth = TableGrowth::Small, p.source = "querylens.toml [tables] small";
        } else if (t.hypertable) {
            p.growth = TableGrowth::TimeSeries, p.source = "a TimescaleDB hypertable";
        } else if (w != writes.end() && w->second.runtime_insert && !w->second.update && !w->second.keyed_delete && has_timestamp(t) &&
                   (!w->second.looped.empty() || !w->second.job.empty())) {
            p.growth = TableGrowth::TimeSeries;
            p.source = "append-only: inserted at " + (w->second.looped.empty() ? w->second.job : w->second.looped) +
                       ", never updated or deleted by key, with a timestamp column";
        } else if (w != writes.end() && !w->second.looped.empty()) {
            p.growth = TableGrowth::Growing, p.source = "rows inserted in a loop at " + w->second.looped;
        } else if (w != writes.end() && !w->second.job.empty()) {
            p.growth = TableGrowth::Growing, p.source = "rows inserted by job code at " + w->second.job;
        } else {
            p.source = "no evidence (declare it in querylens.toml [tables])";
        }
        out.emplace(name, std::move(p));
    }
    return out;
}

}  // namespace querylens
