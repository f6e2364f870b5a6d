// The audit as GitHub-flavoured Markdown: tables, collapsible details, fenced SQL.
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "reports/audit/audit.h"
#include "reports/audit/text.h"
#include "reports/escape.h"

namespace querylens {

namespace {

// A fenced block whose fence is longer than any backtick run in the content.
std::string fence(const std::string& lang, const std::string& body) {
    size_t longest = 0, run = 0;
    for (char c : body) longest = std::max(longest, run = c == '`' ? run + 1 : 0);
    const std::string f(std::max<size_t>(3, longest + 1), '`');
    return f + lang + "\n" + body + (body.empty() || body.back() == '\n' ? "" : "\n") + f + "\n";
}

std::string where(const Location& l) { return markdown_escape(file_line(l)); }

std::string indent(const std::string& text, const std::string& by) {
    std::string out;
    for (size_t at = 0; at < text.size();) {
        const size_t nl = text.find('\n', at);
        const size_t end = nl == std::string::npos ? text.size() : nl + 1;
        out += by + text.substr(at, end - at);
        at = end;
    }
    return out;
}

}  // namespace

std::string render_audit_markdown(const Audit& a, const Project& project) {
    std::string o;
    o += "# " + markdown_escape(a.title) + "\n\n";
    o += "**Score: " + std::to_string(a.score) + "/100 — " + a.band + "**\n\n";

    o += "## Executive summary\n\n";
    o += markdown_escape(a.status) + "\n\n";
    if (a.history_findings)
        o += std::to_string(a.history_findings) + " migration-safety finding(s) are about migrations that may have run long ago: "
             "listed below, not scored; set `[migrations] since` (or `--changed-since`) to judge the new ones.\n\n";
    if (a.notes_total)
        o += std::to_string(a.notes_total) + " note(s) below " + to_string(a.min_severity) +
             " are counted in the table below but neither listed nor scored; `--min-severity p3` lists them.\n\n";
    if (!a.do_today.empty()) {
        o += "**Do today:**\n\n";
        for (const auto& d : a.do_today) o += "1. " + markdown_escape(d) + "\n";
        o += "\n";
    }
    o += "| priority | findings |\n|---|---:|\n";
    for (Severity s : {Severity::P0, Severity::P1, Severity::P2, Severity::P3}) {
        auto it = a.by_priority.find(s);
        o += std::string("| ") + to_string(s) + " " + priority_label(s) + (s > a.min_severity ? " (notes: counted, not listed or scored)" : "") +
             " | " + std::to_string(it == a.by_priority.end() ? 0 : it->second) + " |\n";
    }
    o += "\n| category | findings |\n|---|---:|\n";
    for (const auto& [cat, n] : a.by_category) o += "| " + category_label(cat) + " | " + std::to_string(n) + " |\n";
    size_t index_count = 0;
    for (const auto& m : a.modules) index_count += m.indexes.size();
    o += "\n" + std::to_string(a.modules.size()) + " modules and " + std::to_string(a.tables) + " tables analysed; " +
         std::to_string(index_count) + " index recommendations after merging.\n\n";
    o += "### Score breakdown\n\n";
    o += "The score is `round(100 · exp(−penalty / capacity))` (see docs/scoring.md): penalty " + one_decimal(a.raw_penalty) +
         ", capacity " + one_decimal(a.capacity) + " for " + std::to_string(a.units) + " tables and queries.\n\n";
    o += "| rule | findings | points lost |\n|---|---:|---:|\n";
    for (const auto& b : a.by_rule) o += "| `" + b.name + "` | " + std::to_string(b.findings) + " | " + one_decimal(b.points) + " |\n";
    o += "\n| module | findings | points lost |\n|---|---:|---:|\n";
    for (const auto& b : a.by_module) o += "| " + markdown_escape(b.name) + " | " + std::to_string(b.findings) + " | " + one_decimal(b.points) + " |\n";

    o += "\n## Critical issues (P0-P1)\n\n";
    if (a.critical_groups.empty()) o += "None.\n";
    for (const auto& g : a.critical_groups) {
        const Finding* f = g.findings.front();
        const Rule* r = find_rule(f->rule);
        o += "### " + std::string(to_string(f->severity)) + " `" + f->rule + "` — " + where(f->loc) +
             (g.findings.size() > 1 ? " and " + std::to_string(g.findings.size() - 1) + " more" : "") + "\n\n";
        o += "- **Module:** " + markdown_escape(module_label(a, *f)) + "\n";
        if (!f->tables.empty()) o += "- **Tables:** " + markdown_escape(join(f->tables, ", ", display_name)) + "\n";
        o += "- **Issue:** " + markdown_escape(f->message) + "\n";
        if (r) o += "- **Impact:** " + markdown_escape(impact_of(*r)) + "\n";
        if (g.findings.size() > 1) {
            o += "- **All places:**";
            for (const Finding* other : g.findings) o += " " + where(other->loc);
            o += "\n";
        }
        const std::string code = code_excerpt(project, f->loc);
        if (!code.empty()) o += "\nCode:\n\n" + fence(is_typescript(f->loc.file) ? "ts" : "sql", code);
        // The finding's own fix; never the documentation's example (its tables are not this project's).
        if (!f->fix.empty()) o += "\nRecommendation:\n\n" + fence(fix_language(*f), f->fix);
        else o += "\nRecommendation: see `querylens explain " + f->rule + "` for the safe pattern.\n";
        if (const std::string* ev = a.evidence_for(f->loc)) o += "\n**Measured (EXPLAIN, hypothetical index):** " + markdown_escape(*ev) + "\n";
        for (const auto& rel : f->related) o += "- " + markdown_escape(rel.message) + ": " + where(rel.loc) + "\n";
        o += "\n";
    }

    o += "## Index recommendations by module\n\n";
    for (const auto& m : a.modules) {
        if (m.indexes.empty()) continue;
        o += "### " + markdown_escape(m.name) + "\n\n";
        std::string table;
        for (const auto& e : m.indexes) {
            if (e.index.table != table) {
                table = e.index.table;
                o += "**Table `" + markdown_escape(display_name(table)) + "`**" + (e.table_grows ? " (grows)" : "") + "\n\n";
            }
            o += fence("sql", e.index.ddl);
            o += "<details><summary>serves " + std::to_string(e.serves.size()) + " place(s)" +
                 (e.merged.empty() ? "" : ", replaces " + markdown_escape(join(e.merged, ", "))) + "</summary>\n\n";
            for (const auto& s : e.serves) {
                const std::string* ev = a.evidence_for(s.loc);
                o += "- " + where(s.loc) + ": " + markdown_escape(s.what) + (ev ? " — measured: " + markdown_escape(*ev) : std::string()) + "\n";
            }
            o += "\n</details>\n\n";
            for (const auto& v : e.index.variants)
                o += "Variant (" + markdown_escape(v.kind) + "): " + markdown_escape(v.why) + ".\n\n" + fence("sql", v.ddl);
            if (!e.index.variants.empty()) o += "\n";
        }
    }

    auto section = [&](const char* title, const std::vector<std::string>& categories) {
        o += std::string("## ") + title + "\n\n";
        size_t n = 0;
        o += "| priority | rule | location | issue |\n|---|---|---|---|\n";
        for (const auto& m : a.modules)
            for (const Finding* f : m.findings) {
                const Rule* r = find_rule(f->rule);
                if (!r || std::find(categories.begin(), categories.end(), to_string(r->category)) == categories.end()) continue;
                o += std::string("| ") + to_string(f->severity) + " | `" + f->rule + "` | " + where(f->loc) + " | " + markdown_escape(f->message) + " |\n";
                ++n;
            }
        if (!n) o += "| | | | none |\n";
        o += "\n";
        if (const std::string notes = notes_sentence(a, categories); !notes.empty()) o += markdown_escape(notes) + "\n\n";
    };
    // Query patterns: one group per pattern, each place with the fix in the code's own terms.
    o += "## Query-pattern issues\n\n";
    {
        const auto by_rule = findings_by_rule(a, RuleCategory::QueryPattern);
        if (by_rule.empty()) o += "None.\n\n";
        if (const std::string notes = notes_sentence(a, {"query-pattern"}); !notes.empty()) o += markdown_escape(notes) + "\n\n";
        for (const auto& [rule, fs] : by_rule) {
            const Rule* r = find_rule(rule);
            o += "### `" + rule + "`: " + markdown_escape(r->summary) + " (" + std::to_string(fs.size()) + ")\n\n";
            o += markdown_escape(impact_of(*r)) + "\n\n";
            for (const Finding* f : fs) {
                o += "- **" + std::string(to_string(f->severity)) + "** " + where(f->loc) + ": " + markdown_escape(f->message) + "\n";
                if (!f->fix.empty()) o += "\n" + indent(fence(fix_language(*f), f->fix), "  ") + "\n";
            }
            o += "\n";
        }
    }
    section("TimescaleDB opportunities", {"timescaledb"});
    section("Data-model and migration-safety issues", {"data-model", "migration-safety"});

    o += "## Migration plan\n\n";
    const auto phases = migration_plan(a);
    for (size_t p = 0; p < phases.size(); ++p) {
        o += "### " + phases[p].title + "\n\n";
        if (phases[p].items.empty()) o += "Nothing to do.\n";
        for (const auto& item : phases[p].items)
            o += "- [ ] **" + std::string(to_string(item.priority)) + "** " + markdown_escape(item.action) +
                 (item.impact.empty() ? "" : ". *Impact:* " + markdown_escape(item.impact)) + "\n";
        o += "\n";
    }

    o += "## Monitoring\n\n";
    o += "Run these read-only queries on the production database (they read catalog and statistics views, "
         "never table data); they are tailored to what this analysis found.\n\n";
    for (const auto& m : a.monitoring)
        o += "### " + markdown_escape(m.title) + "\n\n" + markdown_escape(m.purpose) + ".\n\n" + fence("sql", m.sql + "\n") + "\n";
    o += "### Metrics to track\n\n| metric | target |\n|---|---|\n";
    for (const auto& [metric, target] : a.metrics) o += "| " + markdown_escape(metric) + " | " + markdown_escape(target) + " |\n";
    o += "\n";

    o += "## Appendix: migration script\n\n";
    o += "Apply in this order. `CREATE INDEX CONCURRENTLY` cannot run inside a transaction block: run the script "
         "with autocommit (e.g. `psql -f`), not in a migration tool's transaction.\n\n";
    if (a.appendix_scripts.empty()) o += "Nothing to apply.\n";
    for (size_t i = 0; i < a.appendix_scripts.size(); ++i) {
        std::string script;
        for (const auto& s : a.appendix_scripts[i].second) script += s + "\n\n";
        o += "### " + std::to_string(i + 1) + ". " + a.appendix_scripts[i].first + "\n\n" + fence("sql", script);
    }

    o += "\n## What was analysed\n\n";
    o += "| | |\n|---|---|\n";
    o += "| SQL files | " + std::to_string(a.sql_files) + " |\n";
    o += "| TypeScript files | " + std::to_string(a.ts_files) + " |\n";
    o += "| SQL statements | " + std::to_string(a.statements) + " |\n";
    o += "| queries | " + std::to_string(a.queries) + " |\n";
    o += "| tables | " + std::to_string(a.tables) + " |\n";
    o += "| parse errors | " + std::to_string(a.parse_errors) + " |\n";
    o += "| querylens | " + markdown_escape(a.version) + " |\n";
    o += "| config | " + (a.config_path.empty() ? std::string("defaults") : markdown_escape(a.config_path)) + " |\n";
    return o;
}

}  // namespace querylens
