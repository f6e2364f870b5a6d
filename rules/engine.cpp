#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "core/paths.h"
#include "rules/rule.h"

namespace querylens {

const char* to_string(RuleCategory c) {
    switch (c) {
        case RuleCategory::QueryPattern: return "query-pattern";
        case RuleCategory::Index: return "index";
        case RuleCategory::DataModel: return "data-model";
        case RuleCategory::MigrationSafety: return "migration-safety";
        case RuleCategory::TimescaleDb: return "timescaledb";
        case RuleCategory::Input: return "input";
    }
    return "input";
}

const RuleOption* Rule::option(const std::string& option_name) const {
    for (const auto& o : options)
        if (option_name == o.name) return &o;
    return nullptr;
}

bool RuleContext::flag(const char* option_name) const {
    const RuleOption* o = rule ? rule->option(option_name) : nullptr;
    if (!o) return false;
    std::string value = o->default_value;
    if (auto r = options.values.find(rule->id); r != options.values.end())
        if (auto v = r->second.find(option_name); v != r->second.end()) value = v->second;
    return value == "true";
}

const Rule* find_rule(const std::string& id) {
    for (const Rule* r : all_rules())
        if (id == r->id) return r;
    return nullptr;
}

std::string RuntimeDelete::where() const {
    return file_line(loc) + (via.empty() ? "" : ", through ON DELETE CASCADE from " + display_name(via));
}

const Relation* runtime_delete_target(const Query& q) {
    return q.kind == StatementKind::Delete && !q.one_off() ? q.first_table() : nullptr;
}

std::map<std::string, RuntimeDelete> runtime_deletes(const RuleContext& ctx) {
    std::map<std::string, RuntimeDelete> deleted;
    std::vector<std::string> pending;
    for (const auto& q : ctx.inventory.queries)
        if (const Relation* t = runtime_delete_target(q); t && deleted.emplace(t->table, RuntimeDelete{q.loc, ""}).second)
            pending.push_back(t->table);
    std::map<std::string, std::vector<std::string>> cascades;  // referenced table -> tables that cascade from it
    for (const auto& [name, table] : ctx.schema.tables)
        for (const auto& fk : table.foreign_keys)
            if (fk.on_delete == FkAction::Cascade) cascades[fk.ref_table].push_back(name);
    while (!pending.empty()) {
        const std::string t = pending.back();
        pending.pop_back();
        const auto c = cascades.find(t);
        if (c == cascades.end()) continue;
        for (const auto& child : c->second)
            if (const RuntimeDelete& from = deleted.at(t); deleted.emplace(child, RuntimeDelete{from.loc, from.via.empty() ? t : from.via}).second)
                pending.push_back(child);
    }
    return deleted;
}

bool declared_without(const RuleContext& ctx, const std::string& table, const std::vector<std::string>& columns) {
    const Table* t = ctx.project.declared.find_table(table);
    if (!t || ctx.project.declared.partial_tables.count(table)) return false;
    return std::any_of(columns.begin(), columns.end(), [&](const std::string& c) { return !t->column(c); });
}

void report_diagnostics(const RuleContext& ctx, const char* kind, Severity severity, std::vector<Finding>& out) {
    for (const auto& d : ctx.project.diagnostics) {
        if (d.kind != kind) continue;
        Finding f;
        f.severity = severity;
        f.loc = d.loc;
        f.message = d.message;
        out.push_back(std::move(f));
    }
}

std::string rule_markdown(const Rule& r) {
    return std::string("# ") + r.id + " (" + to_string(r.severity) + ", " + to_string(r.category) + ")\n\n" + r.summary + "\n\n" +
           r.doc;
}

namespace {

uint64_t fnv1a(std::string_view s, uint64_t h = 1469598103934665603ull) {
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

void fingerprint(const Project& project, std::vector<Finding>& findings) {
    std::map<std::string, const SourceFile*> files;
    for (const auto& f : project.files) files[f->path()] = f.get();
    std::map<std::string, int> seen;
    for (auto& f : findings) {
        std::string line;
        if (auto it = files.find(f.loc.file); it != files.end())
            for (char c : it->second->line_text(f.loc.line))
                if (c != ' ' && c != '\t' && c != '\r') line += c;
        if (line.empty()) line = f.message;  // no source line (e.g. a missing file)
        const uint64_t h = fnv1a(line, fnv1a(f.rule));
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
        const int n = ++seen[f.loc.file + '\0' + hex];
        f.fingerprint = std::string(hex) + ":" + std::to_string(n);
    }
}

}  // namespace

namespace {

// Drops suppressed findings; returns unused-suppression findings for comments that matched
// nothing (only for rules that ran: an ignored rule's suppression may still be needed).
std::vector<Finding> apply_suppressions(const Project& project, const std::vector<const Rule*>& rules,
                                        std::vector<Finding>& findings) {
    std::vector<std::vector<bool>> used(project.suppressions.size());
    for (size_t i = 0; i < project.suppressions.size(); ++i) used[i].assign(std::max<size_t>(1, project.suppressions[i].rules.size()), false);
    // A next-line comment above a multi-line statement covers the whole statement: the last line
    // of each statement (query or migration DDL) by its first line.
    std::map<std::pair<std::string, uint32_t>, uint32_t> statement_end;
    auto extend = [&](const std::string& file, uint32_t first, uint32_t last) {
        uint32_t& e = statement_end[{file, first}];
        e = std::max(e, last);
    };
    for (const auto& q : project.inventory.queries) extend(q.loc.file, q.loc.line, std::max(q.loc.line, q.loc.end_line));
    for (const auto& op : project.migration_operations)
        extend(op.loc.file, op.loc.line, op.loc.line + static_cast<uint32_t>(std::count(op.statement.begin(), op.statement.end(), '\n')));
    auto covers = [&](const Suppression& s, const Location& at) {
        if (s.target_line == at.line) return true;
        auto it = statement_end.find({at.file, s.target_line});
        return it != statement_end.end() && at.line > s.target_line && at.line <= it->second;
    };
    auto matches = [&](const Suppression& s, const Finding& f, size_t& which) {
        if (s.loc.file != f.loc.file || (!s.whole_file && !covers(s, f.loc))) return false;
        if (s.rules.empty()) return which = 0, true;
        for (size_t k = 0; k < s.rules.size(); ++k)
            if (s.rules[k] == f.rule) return which = k, true;
        return false;
    };
    std::map<std::string, std::vector<size_t>> by_file;  // findings only meet their own file's comments
    for (size_t i = 0; i < project.suppressions.size(); ++i) by_file[project.suppressions[i].loc.file].push_back(i);
    std::vector<Finding> kept;
    for (auto& f : findings) {
        bool suppressed = false;
        static const std::vector<size_t> kNone;
        auto file = by_file.find(f.loc.file);
        for (size_t i : file == by_file.end() ? kNone : file->second) {
            size_t which = 0;
            if (f.rule != "unused-suppression" && matches(project.suppressions[i], f, which)) {
                used[i][which] = true;
                suppressed = true;
            }
        }
        if (!suppressed) kept.push_back(std::move(f));
    }
    findings = std::move(kept);
    std::vector<Finding> unused;
    auto ran = [&](const std::string& id) {
        return std::any_of(rules.begin(), rules.end(), [&](const Rule* r) { return id == r->id; });
    };
    if (!ran("unused-suppression")) return unused;
    for (size_t i = 0; i < project.suppressions.size(); ++i) {
        const Suppression& s = project.suppressions[i];
        const std::vector<std::string> ids = s.rules.empty() ? std::vector<std::string>{"*"} : s.rules;
        for (size_t k = 0; k < ids.size(); ++k) {
            if (used[i][k]) continue;
            Finding f;
            f.rule = "unused-suppression";
            f.severity = Severity::P3;
            f.loc = s.loc;
            if (ids[k] != "*" && !find_rule(ids[k])) {
                f.message = "suppression names unknown rule '" + ids[k] + "' (see `querylens rules`)";
            } else if ((ids[k] == "*" && rules.size() == all_rules().size()) || (ids[k] != "*" && ran(ids[k]))) {
                f.message = std::string("suppression of ") + (ids[k] == "*" ? "every rule" : ids[k]) +
                            (s.whole_file ? " in this file" : " on line " + std::to_string(s.target_line)) +
                            " matches no finding: remove it";
            } else {
                continue;
            }
            unused.push_back(std::move(f));
        }
    }
    return unused;
}

}  // namespace

bool RuleContext::stand_in_schema(const std::string& file) const {
    return migrations_elsewhere && project.one_off(file) && !migration_path(file);
}

std::vector<Finding> run_rules(const Project& project, const std::vector<const Rule*>& rules, const RuleOptions& options) {
    RuleContext ctx{project, project.schema, project.inventory, options};
    std::vector<Finding> findings;
    ctx.migrations_elsewhere = std::any_of(project.schema.tables.begin(), project.schema.tables.end(), [&](const auto& t) {
        return migration_path(t.second.loc.file) && !project.one_off(t.second.loc.file);
    });
    for (const Rule* r : rules) {
        ctx.rule = r;
        std::vector<Finding> mine;
        r->check(ctx, mine);
        // Migrations already applied ([migrations] since, --changed-since) build the schema but
        // are history: migration-safety rules only judge the new ones. When the project did not
        // say which are new (the guess: uncommitted files), history hazards stay as P3 notes.
        if (r->category == RuleCategory::MigrationSafety && !project.applied_migrations.empty()) {
            if (project.migration_settings.implicit) {
                for (auto& f : mine)
                    if (project.applied_migration(f.loc.file)) {
                        f.severity = Severity::P3;
                        f.message += " [an applied migration: history, fix it in a new migration; "
                                     "`--changed-since REV` or `[migrations] since` say which migrations are new]";
                    }
            } else {
                mine.erase(std::remove_if(mine.begin(), mine.end(),
                                          [&](const Finding& f) { return project.applied_migration(f.loc.file); }),
                           mine.end());
            }
        }
        if (r->category == RuleCategory::Index || r->category == RuleCategory::DataModel)
            for (auto& f : mine)
                if (f.severity != Severity::P3 && ctx.stand_in_schema(f.loc.file)) {
                    f.severity = Severity::P3;
                    f.message += " (a note: declared in test or setup code, not in the project's migrations)";
                }
        if (!options.per_file_ignores.empty())
            mine.erase(std::remove_if(mine.begin(), mine.end(),
                                      [&](const Finding& f) {
                                          for (const auto& [glob, ids] : options.per_file_ignores)
                                              if (std::find(ids.begin(), ids.end(), r->id) != ids.end() && glob_match(glob, f.loc.file))
                                                  return true;
                                          return false;
                                      }),
                       mine.end());
        const auto override_it = options.severity.find(r->id);
        for (auto& f : mine) {
            f.rule = r->id;
            if (!f.fix.empty() && f.fix_language == FixLanguage::None) f.fix_language = FixLanguage::Sql;  // rules write SQL unless they say otherwise
            if (override_it != options.severity.end()) f.severity = override_it->second;
            findings.push_back(std::move(f));
        }
    }
    auto unused = apply_suppressions(project, rules, findings);
    if (auto it = options.severity.find("unused-suppression"); it != options.severity.end())
        for (auto& f : unused) f.severity = it->second;
    for (auto& f : unused) findings.push_back(std::move(f));
    sort_findings(findings);
    fingerprint(project, findings);
    return findings;
}

}  // namespace querylens
