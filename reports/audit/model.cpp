// Builds the audit model from findings: modules, score, merged index plan, DDL appendix.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "reports/audit/audit.h"

namespace querylens {

namespace {

double weight(Severity s) {
    switch (s) {
        case Severity::P0: return 10;
        case Severity::P1: return 5;
        case Severity::P2: return 2;
        case Severity::P3: return 0.5;
    }
    return 0;
}

const Rule* rule_of(const Finding& f) { return find_rule(f.rule); }

std::string category_of(const Finding& f) {
    const Rule* r = rule_of(f);
    return r ? to_string(r->category) : "input";
}

}  // namespace

const std::vector<std::string>& default_module_patterns() {
    static const std::vector<std::string> p = {"backend/src/modules/*", "src/modules/*", "packages/*", "apps/*"};
    return p;
}

std::string module_of(const std::string& path, const std::vector<std::string>& patterns) {
    for (const auto& pattern : patterns.empty() ? default_module_patterns() : patterns) {
        const size_t star = pattern.find('*');
        if (star == std::string::npos) continue;
        const std::string prefix = pattern.substr(0, star);
        for (size_t at = path.find(prefix); at != std::string::npos; at = path.find(prefix, at + 1)) {
            if (at != 0 && path[at - 1] != '/') continue;
            const size_t begin = at + prefix.size(), end = path.find('/', begin);
            if (end == std::string::npos || end == begin) continue;  // a file directly in the modules dir
            return path.substr(begin, end - begin);
        }
    }
    return {};
}

double score_penalty(const std::vector<Finding>& findings, std::vector<double>* per_finding, const std::vector<bool>* counted) {
    // Within a rule, the k-th finding (highest priority first) weighs w / sqrt(k): repeats of one
    // pattern cost less each, and removing any finding strictly lowers the total.
    std::map<std::string, std::vector<size_t>> by_rule;
    for (size_t i = 0; i < findings.size(); ++i)
        if (!counted || (*counted)[i]) by_rule[findings[i].rule].push_back(i);
    if (per_finding) per_finding->assign(findings.size(), 0);
    double total = 0;
    for (auto& [rule, idx] : by_rule) {
        std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return findings[a].severity < findings[b].severity; });
        for (size_t k = 0; k < idx.size(); ++k) {
            const double c = weight(findings[idx[k]].severity) / std::sqrt(static_cast<double>(k + 1));
            total += c;
            if (per_finding) (*per_finding)[idx[k]] = c;
        }
    }
    return total;
}

int score_from_penalty(double penalty, size_t units, double* capacity) {
    // 100: calibrated so that a backend with the reference audit's profile scores near its 68/100
    // (docs/scoring.md, Calibration).
    const double cap = 100.0 * std::sqrt(std::max(1.0, static_cast<double>(units) / 50.0));
    if (capacity) *capacity = cap;
    return static_cast<int>(std::lround(100.0 * std::exp(-penalty / cap)));
}

const char* score_band(int score) {
    if (score >= 90) return "Excellent";
    if (score >= 75) return "Good";
    if (score >= 50) return "Moderate";
    return "Poor";
}


namespace {

std::string sql_literal(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// `'a', 'b', ...`, at most `limit` names (the rest counted in a comment).
std::string literal_list(const std::vector<std::string>& names, size_t limit) {
    std::string out;
    for (size_t i = 0; i < names.size() && i < limit; ++i) out += (i ? ", " : "") + sql_literal(names[i]);
    if (names.size() > limit) out += "  /* and " + std::to_string(names.size() - limit) + " more */";
    return out;
}

std::string regex_escaped(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (std::string("\\.^$|?*+()[]{}").find(c) != std::string::npos) out += '\\';
        out += c;
    }
    return out;
}

// The audit's monitoring section, from what the analysis saw.
void add_monitoring(const Project& project, const std::vector<Finding>& findings, Audit& a) {
    constexpr size_t kListed = 60;
    // Tables the runtime code queries, most queried first.
    std::map<std::string, size_t> queried;
    for (const auto& q : project.inventory.queries)
        if (!q.one_off() && q.from_code())
            for (const auto& r : q.relations)
                if (r.kind == RelationKind::Table && project.schema.find_table(r.table)) ++queried[unqualified(r.table)];
    std::vector<std::pair<std::string, size_t>> by_use(queried.begin(), queried.end());
    std::stable_sort(by_use.begin(), by_use.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
    std::vector<std::string> tables;
    for (const auto& [t, _] : by_use) tables.push_back(t);
    if (!tables.empty()) {
        std::string alternation;
        for (size_t i = 0; i < tables.size() && i < kListed; ++i) alternation += (i ? "|" : "") + regex_escaped(tables[i]);
        a.monitoring.push_back({"Slowest statements on the tables the code queries",
                                "Statements in pg_stat_statements, restricted to those that name one of the " +
                                    std::to_string(std::min(tables.size(), kListed)) +
                                    " tables the code queries most: where the time goes, and whether the index "
                                    "recommendations above pay off",
                                "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;\n"
                                "SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 2) AS mean_ms,\n"
                                "       rows, left(query, 160) AS query\n"
                                "FROM pg_stat_statements\n"
                                "WHERE query ~* " + sql_literal("\\m(" + alternation + ")\\M") + "\n"
                                "ORDER BY total_exec_time DESC\nLIMIT 20;"});
    }
    // Tables with index recommendations: sequential scans confirm them.
    std::set<std::string> advised;
    for (const auto& f : findings)
        if (f.severity <= a.min_severity && f.index && f.index->method == "btree" && !f.index->unique)
            advised.insert(unqualified(f.index->table));
    if (!advised.empty()) {
        const std::vector<std::string> names(advised.begin(), advised.end());
        a.monitoring.push_back({"Sequential scans on the tables with index recommendations",
                                "Many sequential scans reading many rows confirm a missing index; few say it can wait",
                                "SELECT relname, seq_scan, seq_tup_read, idx_scan, n_live_tup\n"
                                "FROM pg_stat_user_tables\n"
                                "WHERE relname IN (" + literal_list(names, kListed) + ")\n"
                                "ORDER BY seq_tup_read DESC;"});
    }
    // Indexes the migrations create (not those that enforce uniqueness): unused ones cost writes.
    std::vector<std::string> indexes;
    for (const auto& [name, t] : project.migrated.tables)
        for (const auto& idx : t.indexes)
            if (!idx.unique && !idx.name.empty()) indexes.push_back(idx.name);
    std::sort(indexes.begin(), indexes.end());
    if (!indexes.empty())
        a.monitoring.push_back({"Indexes the migrations create that are never used",
                                "An index no query uses still costs every write and vacuum: drop it (after a full "
                                "business cycle of statistics, and on every replica)",
                                "SELECT indexrelname, relname, idx_scan, pg_size_pretty(pg_relation_size(indexrelid)) AS size\n"
                                "FROM pg_stat_user_indexes\n"
                                "WHERE idx_scan = 0 AND indexrelname IN (" + literal_list(indexes, 200) + ")\n"
                                "ORDER BY pg_relation_size(indexrelid) DESC;"});
    // Growing tables: bloat and vacuum.
    std::vector<std::string> growing;
    for (const auto& [name, p] : project.profiles)
        if (p.grows()) growing.push_back(unqualified(name));
    if (!growing.empty())
        a.monitoring.push_back({"Dead rows and vacuum on the tables that grow",
                                "Tables the analysis says grow (" + std::to_string(growing.size()) +
                                    "): a dead-row ratio above 10-20% or an old last_autovacuum means autovacuum "
                                    "does not keep up (tune its scale factor per table)",
                                "SELECT relname, n_live_tup, n_dead_tup,\n"
                                "       round(n_dead_tup::numeric / nullif(n_live_tup, 0), 3) AS dead_ratio,\n"
                                "       last_autovacuum, last_autoanalyze\n"
                                "FROM pg_stat_user_tables\n"
                                "WHERE relname IN (" + literal_list(growing, kListed) + ")\n"
                                "ORDER BY n_dead_tup DESC;"});
    // What the statistics snapshot (`querylens stats`) says about the tables with index advice.
    if (!project.database.tables.empty() && !advised.empty()) {
        std::string confirmed, small;
        for (const auto& t : advised)
            for (const auto& [qualified, st] : project.database.tables)
                if (unqualified(qualified) == t && st.rows >= 0)
                    (st.rows >= 50000 ? confirmed : small) += ((st.rows >= 50000 ? confirmed : small).empty() ? "" : ", ") + t +
                                                             " (" + std::to_string(static_cast<long long>(st.rows)) + " rows)";
        if (!confirmed.empty() || !small.empty())
            a.monitoring.push_back({"What the statistics snapshot confirms",
                                    "From " + project.database.source + ": index advice on large tables is confirmed" +
                                        (confirmed.empty() ? std::string(" for none") : ": " + confirmed) +
                                        (small.empty() ? std::string() : "; small tables, where it can wait: " + small),
                                    "SELECT relname, n_live_tup FROM pg_stat_user_tables ORDER BY n_live_tup DESC LIMIT 20;"});
    }
    a.monitoring.push_back({"Connections and long transactions",
                            "Idle-in-transaction sessions hold locks and block vacuum; connections near "
                            "max_connections mean the pools are too large or too many",
                            "SELECT state, count(*) AS sessions, max(now() - state_change) AS longest\n"
                            "FROM pg_stat_activity\n"
                            "WHERE datname = current_database()\n"
                            "GROUP BY state\nORDER BY sessions DESC;"});
    a.metrics = {
        {"cache hit ratio (sum(blks_hit) / sum(blks_hit + blks_read) in pg_stat_database)", "above 99%"},
        {"mean time of the top statements (pg_stat_statements)", "stable or falling after each index lands"},
        {"sequential scans on the tables above", "falling to near zero for the advised filters"},
        {"dead-row ratio of growing tables", "below 10-20%"},
        {"longest idle-in-transaction session", "under 10 s (set idle_in_transaction_session_timeout)"},
        {"connections in use", "under 80% of max_connections"},
    };
}

}  // namespace

Audit build_audit(const Project& project, const std::vector<Finding>& findings, const AuditOptions& options) {
    Audit a;
    a.title = options.title;
    a.config_path = options.config_path;
    a.evidence = options.evidence;
    a.version = QUERYLENS_VERSION;
    a.sql_files = project.stats.sql_files;
    a.ts_files = project.stats.ts_files;
    a.statements = project.stats.statements;
    a.queries = project.inventory.queries.size();
    a.tables = project.schema.tables.size();
    for (const auto& d : project.diagnostics) a.parse_errors += d.kind == "parse-error";
    a.units = a.tables + a.queries;

    // Modules: tables first (declaring file, else the module whose queries use them most).
    const auto& patterns = options.module_patterns;
    std::map<std::string, std::string> table_module;
    std::map<std::string, std::map<std::string, int>> table_users;
    for (const auto& q : project.inventory.queries) {
        const std::string m = module_of(q.loc.file, patterns);
        if (m.empty()) continue;
        for (const auto& r : q.relations)
            if (r.kind == RelationKind::Table) ++table_users[r.table][m];
    }
    for (const auto& [name, t] : project.schema.tables) {
        std::string m = module_of(t.loc.file, patterns);
        if (m.empty()) {
            int best = 0;
            for (const auto& [mod, n] : table_users[name])
                if (n > best) best = n, m = mod;  // map order breaks ties alphabetically
        }
        table_module[name] = m.empty() ? "core" : m;
    }
    auto finding_module = [&](const Finding& f) {
        std::string m = module_of(f.loc.file, patterns);
        if (m.empty() && !f.tables.empty()) {
            auto it = table_module.find(f.tables.front());
            if (it != table_module.end()) m = it->second;
        }
        return m.empty() ? std::string("core") : m;
    };
    std::map<std::string, AuditModule> modules;
    for (const auto& [table, m] : table_module) {
        modules[m].name = m;
        modules[m].tables.push_back(table);
    }

    // Score and its breakdown.
    // The score measures the project as it stands: hazards of migrations that ran long ago are
    // history unless the project says which migrations are new.
    // Notes (below the listed priority) are counted, not listed and not scored: the score is driven
    // by what a specialist keeps.
    a.min_severity = options.min_severity;
    std::vector<bool> listed(findings.size(), true);
    for (size_t i = 0; i < findings.size(); ++i)
        if (findings[i].severity > options.min_severity) {
            listed[i] = false;
            ++a.notes[findings[i].rule];
            ++a.notes_total;
        }
    std::vector<bool> counted = listed;
    for (size_t i = 0; i < findings.size(); ++i) {
        if (!listed[i]) continue;
        const Rule* r = find_rule(findings[i].rule);
        if (r && r->category == RuleCategory::MigrationSafety &&
            (!project.migration_batch() || project.applied_migration(findings[i].loc.file))) {
            counted[i] = false;
            ++a.history_findings;
        }
    }
    std::vector<double> contribution;
    a.raw_penalty = score_penalty(findings, &contribution, &counted);
    a.score = score_from_penalty(a.raw_penalty, a.units, &a.capacity);
    a.band = score_band(a.score);
    const double lost = 100.0 - 100.0 * std::exp(-a.raw_penalty / a.capacity);
    std::map<std::string, ScoreBreakdown> by_rule, by_module;
    for (size_t i = 0; i < findings.size(); ++i) {
        const Finding& f = findings[i];
        if (!listed[i]) {
            ++a.by_priority[f.severity];
            continue;
        }
        const double pts = a.raw_penalty > 0 ? lost * contribution[i] / a.raw_penalty : 0;
        const std::string m = finding_module(f);
        auto& r = by_rule[f.rule];
        r.name = f.rule, ++r.findings, r.points += pts;
        auto& mb = by_module[m];
        mb.name = m, ++mb.findings, mb.points += pts;
        modules[m].name = m;
        modules[m].findings.push_back(&f);
        a.module_of_finding[&f] = m;
        modules[m].points += pts;
        ++a.by_priority[f.severity];
        ++a.by_category[category_of(f)];
        if (f.severity <= Severity::P1 && counted[i]) a.critical.push_back(&f);
    }
    for (auto& [n, b] : by_rule) a.by_rule.push_back(b);
    for (auto& [n, b] : by_module) a.by_module.push_back(b);
    auto by_points = [](const ScoreBreakdown& x, const ScoreBreakdown& y) {
        return x.points != y.points ? x.points > y.points : x.name < y.name;
    };
    std::sort(a.by_rule.begin(), a.by_rule.end(), by_points);
    std::sort(a.by_module.begin(), a.by_module.end(), by_points);
    std::stable_sort(a.critical.begin(), a.critical.end(),
                     [](const Finding* x, const Finding* y) { return x->severity < y->severity; });
    // One entry per problem: the same rule on the same tables is one critical issue, listed with
    // every place it shows (eight identical entries for one table read as eight problems).
    std::map<std::pair<std::string, std::vector<std::string>>, size_t> group_of;
    for (const Finding* f : a.critical) {
        auto key = std::make_pair(f->rule, f->tables);
        auto it = group_of.find(key);
        if (it == group_of.end()) {
            it = group_of.emplace(key, a.critical_groups.size()).first;
            a.critical_groups.push_back({f->rule, f->tables, {}});
        }
        a.critical_groups[it->second].findings.push_back(f);
    }
    // The status sentence and what to do first: the critical groups, most severe first.
    size_t p0 = 0, p1 = 0, p2 = 0;
    for (const auto& g : a.critical_groups) ++(g.findings.front()->severity == Severity::P0 ? p0 : p1);
    for (size_t i = 0; i < findings.size(); ++i) p2 += counted[i] && findings[i].severity == Severity::P2;
    if (p0) a.status = std::to_string(p0) + " production blocker(s) (P0) need fixing before the next deploy";
    else if (p1) a.status = "No production blocker; " + std::to_string(p1) + " critical issue(s) (" + std::to_string(a.critical.size()) +
                            " P1 findings) should be fixed this sprint";
    else if (p2) a.status = "No critical issue; " + std::to_string(p2) + " finding(s) (P2) are worth planning";
    else a.status = "No finding above a note (P3)";
    a.status += ": score " + std::to_string(a.score) + "/100 (" + a.band + ").";
    for (size_t i = 0; i < a.critical_groups.size() && a.do_today.size() < 5; ++i) {
        const CriticalGroup& g = a.critical_groups[i];
        std::string tables;
        for (const auto& t : g.tables) tables += (tables.empty() ? "" : ", ") + display_name(t);
        a.do_today.push_back(std::string(to_string(g.findings.front()->severity)) + " " + g.rule + (tables.empty() ? "" : " on " + tables) +
                             " (" + std::to_string(g.findings.size()) + (g.findings.size() == 1 ? " place" : " places") + ", first at " +
                             file_line(g.findings.front()->loc) + ")");
    }

    // Index plan: one entry per distinct index; a recommendation another one covers is merged
    // into the widest one covering it.
    std::vector<IndexRecommendation> recs;
    for (size_t i = 0; i < findings.size(); ++i)
        if (const Finding& f = findings[i]; listed[i] && f.index && std::none_of(recs.begin(), recs.end(), [&](const auto& r) { return r.ddl == f.index->ddl; }))
            recs.push_back(*f.index);
    // A note's index (a filter only one or two queries use) is not advised on its own, but when it
    // widens a listed one (the foreign key's (user_id) and a list's (user_id, created_at)), the
    // wider one serves both for the price of one.
    std::vector<bool> widens(findings.size(), false);
    const size_t listed_recs = recs.size();
    for (size_t i = 0; i < findings.size(); ++i) {
        const Finding& f = findings[i];
        if (listed[i] || !f.index) continue;
        for (size_t k = 0; k < listed_recs && !widens[i]; ++k)
            widens[i] = f.index->ddl != recs[k].ddl && f.index->covers(recs[k]) && f.index->keys.size() > recs[k].keys.size();
        if (widens[i] && std::none_of(recs.begin(), recs.end(), [&](const auto& r) { return r.ddl == f.index->ddl; })) recs.push_back(*f.index);
    }
    auto root = [&](const IndexRecommendation& r) -> const IndexRecommendation* {
        const IndexRecommendation* best = &r;
        for (bool changed = true; changed;) {  // strictly wider each step: terminates
            changed = false;
            for (const auto& o : recs)
                if (o.ddl != best->ddl && o.covers(*best) && (o.keys.size() > best->keys.size() || (o.unique && !best->unique))) {
                    best = &o;
                    changed = true;
                }
        }
        return best;
    };
    std::map<std::string, IndexPlanEntry> plan;  // by ddl
    for (size_t i = 0; i < findings.size(); ++i) {
        const Finding& f = findings[i];
        if (!(listed[i] || widens[i]) || !f.index) continue;
        const IndexRecommendation* r = root(*f.index);
        auto& e = plan[r->ddl];
        e.index = *r;
        e.table_grows = project.profile(r->table).grows();
        e.priority = std::min(e.priority, f.severity);
        // The finding's own place, and the other queries it names as served by the same index.
        e.serves.push_back({f.loc, f.index->purpose.empty() ? f.rule : f.index->purpose});
        for (const auto& rel : f.related)
            if (rel.message.rfind("also ", 0) == 0) e.serves.push_back({rel.loc, rel.message});
        if (r->ddl != f.index->ddl && std::find(e.merged.begin(), e.merged.end(), f.index->name) == e.merged.end())
            e.merged.push_back(f.index->name);
    }
    for (auto& [ddl, e] : plan) {
        std::stable_sort(e.serves.begin(), e.serves.end(), [](const ServedSite& x, const ServedSite& y) { return x.loc < y.loc; });
        e.serves.erase(std::unique(e.serves.begin(), e.serves.end(), [](const ServedSite& x, const ServedSite& y) { return x.loc == y.loc; }),
                       e.serves.end());
        auto it = table_module.find(e.index.table);
        const std::string m = it == table_module.end() ? "core" : it->second;
        modules[m].name = m;
        modules[m].indexes.push_back(e);
    }
    for (auto& [name, m] : modules) {
        std::sort(m.tables.begin(), m.tables.end());
        std::stable_sort(m.indexes.begin(), m.indexes.end(), [](const IndexPlanEntry& x, const IndexPlanEntry& y) {
            return std::tie(x.index.table, x.index.name) < std::tie(y.index.table, y.index.name);
        });
        a.modules.push_back(std::move(m));
    }

    // Appendix: DDL in phases; identical statements once.
    std::map<int, std::vector<std::string>> phases;
    std::set<std::string> seen;
    auto add = [&](int phase, const std::string& sql) {
        if (!sql.empty() && seen.insert(sql).second) phases[phase].push_back(sql);
    };
    for (size_t i = 0; i < findings.size(); ++i) {
        const Rule* r = rule_of(findings[i]);
        if (const int ph = listed[i] && r ? static_cast<int>(r->appendix) : 0) add(ph, findings[i].fix);
    }
    for (const auto& [ddl, e] : plan) add(3, ddl);
    auto purpose = [](int ph) -> std::string {
        if (ph <= 2) return "Data model and constraints";
        if (ph == 3) return "Indexes";
        if (ph == 4) return "Index clean-up";
        return "TimescaleDB";
    };
    for (auto& [ph, stmts] : phases) {
        if (a.appendix_scripts.empty() || a.appendix_scripts.back().first != purpose(ph)) a.appendix_scripts.push_back({purpose(ph), {}});
        for (auto& s : stmts) {
            a.appendix_scripts.back().second.push_back(s);
            a.appendix.push_back(std::move(s));
        }
    }
    add_monitoring(project, findings, a);
    return a;
}

}  // namespace querylens
