// The audit as one self-contained HTML page: no network, no external assets. Inline CSS (screen
// and print), an inline SVG chart of points lost per module, findings filterable by priority and
// module, SQL blocks with copy buttons. Everything from analysed code is HTML-escaped.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "reports/audit/audit.h"
#include "reports/audit/text.h"
#include "reports/escape.h"

namespace querylens {

namespace {

std::string sql_block(const std::string& code, const std::string& lang = "sql") {
    return "<div class=\"code\"><button type=\"button\" class=\"copy\" title=\"Copy\">Copy</button><pre><code class=\"" + lang +
           "\">" + html_escape(code) + "</code></pre></div>\n";
}

const char* kStyle = R"CSS(
:root { --fg:#1d2330; --muted:#5b6475; --line:#d9dee7; --bg:#fff; --p0:#b3261e; --p1:#d9622b; --p2:#b58a00; --p3:#4a6fa5; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 8px; } h2 { border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 36px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; } th, td { border: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f3f5f9; } td.num { text-align: right; }
.badge { display: inline-flex; align-items: baseline; gap: 8px; padding: 10px 18px; border-radius: 10px; color: #fff; font-weight: 700; }
.badge .score { font-size: 34px; } .band-Excellent { background: #1e7d3a; } .band-Good { background: #3c7d1e; } .band-Moderate { background: #b58a00; } .band-Poor { background: #b3261e; }
.pill { display: inline-block; padding: 0 7px; border-radius: 8px; color: #fff; font-size: 12px; font-weight: 700; }
.P0 { background: var(--p0); } .P1 { background: var(--p1); } .P2 { background: var(--p2); } .P3 { background: var(--p3); }
.code { position: relative; } pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px 64px 10px 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
button.copy { position: absolute; right: 6px; top: 6px; font-size: 12px; }
.filters { display: flex; gap: 12px; margin: 8px 0; } .finding { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin: 10px 0; }
.finding .loc { color: var(--muted); font-family: ui-monospace, monospace; font-size: 13px; } .hidden { display: none; }
ul.plan { list-style: none; padding-left: 0; } ul.plan li::before { content: "\2610  "; }
@media print { .filters, button.copy { display: none; } body { max-width: none; padding: 0; } .finding { break-inside: avoid; } }
)CSS";

const char* kScript = R"JS(
(function () {
  var errors = [];
  window.addEventListener('error', function (e) { errors.push(String(e.message)); document.documentElement.setAttribute('data-script-errors', errors.join(' | ')); });
  function apply() {
    var p = document.getElementById('filter-priority').value, m = document.getElementById('filter-module').value;
    var shown = 0;
    document.querySelectorAll('.finding').forEach(function (el) {
      var ok = (!p || el.getAttribute('data-priority') === p) && (!m || el.getAttribute('data-module') === m);
      el.classList.toggle('hidden', !ok);
      if (ok) shown++;
    });
    document.getElementById('filter-count').textContent = shown + ' shown';
  }
  document.getElementById('filter-priority').addEventListener('change', apply);
  document.getElementById('filter-module').addEventListener('change', apply);
  document.querySelectorAll('button.copy').forEach(function (b) {
    b.addEventListener('click', function () {
      var text = b.parentNode.querySelector('code').textContent;
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text);
      b.textContent = 'Copied';
    });
  });
  apply();
  document.documentElement.setAttribute('data-ready', '1');
})();
)JS";

// Horizontal bars: points lost per module.
std::string chart(const Audit& a) {
    if (a.by_module.empty()) return "<p>No findings.</p>\n";
    double max = 0;
    for (const auto& b : a.by_module) max = std::max(max, b.points);
    const int row = 26, label = 180, width = 520;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"points lost per module\" width=\"" +
                      std::to_string(label + width + 60) + "\" height=\"" + std::to_string(row * a.by_module.size() + 10) + "\">\n";
    for (size_t i = 0; i < a.by_module.size(); ++i) {
        const auto& b = a.by_module[i];
        const int y = static_cast<int>(i) * row + 5;
        const int w = max > 0 ? static_cast<int>(std::lround(width * b.points / max)) : 0;
        svg += "<text x=\"0\" y=\"" + std::to_string(y + 16) + "\" font-size=\"13\">" + html_escape(b.name) + "</text>";
        svg += "<rect x=\"" + std::to_string(label) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" + std::to_string(std::max(w, 1)) +
               "\" height=\"16\" fill=\"#d9622b\"><title>" + html_escape(b.name) + ": " + one_decimal(b.points) + " points</title></rect>";
        svg += "<text x=\"" + std::to_string(label + w + 6) + "\" y=\"" + std::to_string(y + 16) + "\" font-size=\"12\">" + one_decimal(b.points) +
               "</text>\n";
    }
    return svg + "</svg>\n";
}

}  // namespace

std::string render_audit_html(const Audit& a, const Project& project) {
    std::string o = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
                    "<title>" + html_escape(a.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
    o += "<h1>" + html_escape(a.title) + "</h1>\n";
    o += "<div class=\"badge band-" + a.band + "\"><span class=\"score\" id=\"score\">" + std::to_string(a.score) +
         "/100</span><span>" + a.band + "</span></div>\n";

    o += "<h2>Executive summary</h2>\n<p class=\"status\">" + html_escape(a.status) + "</p>\n";
    if (a.history_findings)
        o += "<p>" + std::to_string(a.history_findings) + " migration-safety finding(s) are about migrations that may have run long "
             "ago: listed below, not scored; set <code>[migrations] since</code> (or <code>--changed-since</code>) to judge the new ones.</p>\n";
    if (a.notes_total)
        o += "<p>" + std::to_string(a.notes_total) + " note(s) below " + to_string(a.min_severity) +
             " are counted in the table below but neither listed nor scored; <code>--min-severity p3</code> lists them.</p>\n";
    if (!a.do_today.empty()) {
        o += "<p><b>Do today:</b></p>\n<ol>\n";
        for (const auto& d : a.do_today) o += "<li>" + html_escape(d) + "</li>\n";
        o += "</ol>\n";
    }
    o += "<table><tr><th>priority</th><th>findings</th></tr>\n";
    for (Severity s : {Severity::P0, Severity::P1, Severity::P2, Severity::P3}) {
        auto it = a.by_priority.find(s);
        o += std::string("<tr><td><span class=\"pill ") + to_string(s) + "\">" + to_string(s) + "</span> " + priority_label(s) + (s > a.min_severity ? " (notes: counted, not listed or scored)" : "") +
             "</td><td class=\"num\">" + std::to_string(it == a.by_priority.end() ? 0 : it->second) + "</td></tr>\n";
    }
    o += "</table>\n<table><tr><th>category</th><th>findings</th></tr>\n";
    for (const auto& [cat, n] : a.by_category) o += "<tr><td>" + html_escape(category_label(cat)) + "</td><td class=\"num\">" + std::to_string(n) + "</td></tr>\n";
    size_t index_count = 0;
    for (const auto& m : a.modules) index_count += m.indexes.size();
    o += "</table>\n<p>" + std::to_string(a.modules.size()) + " modules and " + std::to_string(a.tables) + " tables analysed; " +
         std::to_string(index_count) + " index recommendations after merging. Score = round(100 &middot; exp(&minus;" +
         one_decimal(a.raw_penalty) + " / " + one_decimal(a.capacity) + ")), see docs/scoring.md.</p>\n";
    o += "<h3>Points lost per module</h3>\n" + chart(a);
    o += "<table><tr><th>rule</th><th>findings</th><th>points lost</th></tr>\n";
    for (const auto& b : a.by_rule)
        o += "<tr><td><code>" + html_escape(b.name) + "</code></td><td class=\"num\">" + std::to_string(b.findings) + "</td><td class=\"num\">" +
             one_decimal(b.points) + "</td></tr>\n";
    o += "</table>\n";

    // The same sections as the Markdown report: critical issues (one per problem), then the
    // findings by kind; the filterable list of every finding follows.
    o += "<h2>Critical issues (P0-P1)</h2>\n";
    if (a.critical_groups.empty()) o += "<p>None.</p>\n";
    for (const auto& g : a.critical_groups) {
        const Finding* f = g.findings.front();
        o += std::string("<div class=\"finding\"><span class=\"pill ") + to_string(f->severity) + "\">" + to_string(f->severity) +
             "</span> <code>" + html_escape(f->rule) + "</code> <span class=\"loc\">" + html_escape(file_line(f->loc)) + "</span>" +
             (g.findings.size() > 1 ? " and " + std::to_string(g.findings.size() - 1) + " more" : "") + "<p>" + html_escape(f->message) + "</p>";
        if (g.findings.size() > 1) {
            o += "<div class=\"loc\">All places:";
            for (const Finding* other : g.findings) o += " " + html_escape(file_line(other->loc));
            o += "</div>";
        }
        if (!f->fix.empty()) o += "<p><b>Recommendation:</b></p>" + sql_block(f->fix, fix_language(*f));
        o += "</div>\n";
    }
    auto section = [&](const char* title, const std::vector<std::string>& categories) {
        o += std::string("<h2>") + title + "</h2>\n<table><tr><th>priority</th><th>rule</th><th>location</th><th>issue</th></tr>\n";
        size_t n = 0;
        for (const auto& m : a.modules)
            for (const Finding* f : m.findings) {
                const Rule* r = find_rule(f->rule);
                if (!r || std::find(categories.begin(), categories.end(), to_string(r->category)) == categories.end()) continue;
                o += std::string("<tr><td><span class=\"pill ") + to_string(f->severity) + "\">" + to_string(f->severity) +
                     "</span></td><td><code>" + html_escape(f->rule) + "</code></td><td class=\"loc\">" + html_escape(file_line(f->loc)) +
                     "</td><td>" + html_escape(f->message) + "</td></tr>\n";
                ++n;
            }
        if (!n) o += "<tr><td colspan=\"4\">none</td></tr>\n";
        o += "</table>\n";
        if (const std::string notes = notes_sentence(a, categories); !notes.empty()) o += "<p>" + html_escape(notes) + "</p>\n";
    };
    // Query patterns: one group per pattern, each place with the fix in the code's own terms.
    o += "<h2>Query-pattern issues</h2>\n";
    {
        const auto by_rule = findings_by_rule(a, RuleCategory::QueryPattern);
        if (by_rule.empty()) o += "<p>None.</p>\n";
        if (const std::string notes = notes_sentence(a, {"query-pattern"}); !notes.empty()) o += "<p>" + html_escape(notes) + "</p>\n";
        for (const auto& [rule, fs] : by_rule) {
            const Rule* r = find_rule(rule);
            o += "<h3><code>" + html_escape(rule) + "</code>: " + html_escape(r->summary) + " (" + std::to_string(fs.size()) + ")</h3>\n";
            o += "<p>" + html_escape(impact_of(*r)) + "</p>\n<ul>";
            for (const Finding* f : fs) {
                o += std::string("<li><span class=\"pill ") + to_string(f->severity) + "\">" + to_string(f->severity) + "</span> <span class=\"loc\">" +
                     html_escape(file_line(f->loc)) + "</span>: " + html_escape(f->message);
                if (!f->fix.empty()) o += sql_block(f->fix, fix_language(*f));
                o += "</li>";
            }
            o += "</ul>\n";
        }
    }
    section("TimescaleDB opportunities", {"timescaledb"});
    section("Data-model and migration-safety issues", {"data-model", "migration-safety"});

    o += "<h2>Findings</h2>\n<div class=\"filters\"><label>Priority <select id=\"filter-priority\"><option value=\"\">all</option>";
    for (const char* p : {"P0", "P1", "P2", "P3"}) o += std::string("<option>") + p + "</option>";
    o += "</select></label><label>Module <select id=\"filter-module\"><option value=\"\">all</option>";
    for (const auto& m : a.modules) o += "<option value=\"" + html_escape(m.name) + "\">" + html_escape(m.name) + "</option>";
    o += "</select></label><span id=\"filter-count\"></span></div>\n";
    std::vector<std::pair<const Finding*, std::string>> all;
    for (const auto& m : a.modules)
        for (const Finding* f : m.findings) all.emplace_back(f, m.name);
    std::stable_sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.first->severity < y.first->severity; });
    for (const auto& [f, module] : all) {
        const Rule* r = find_rule(f->rule);
        o += std::string("<div class=\"finding\" data-priority=\"") + to_string(f->severity) + "\" data-module=\"" + html_escape(module) + "\">";
        o += std::string("<span class=\"pill ") + to_string(f->severity) + "\">" + to_string(f->severity) + "</span> <code>" + html_escape(f->rule) +
             "</code> <span class=\"loc\">" + html_escape(f->loc.file) + ":" + std::to_string(f->loc.line) + "</span> &middot; " + html_escape(module);
        o += "<p>" + html_escape(f->message) + "</p>";
        if (f->severity <= Severity::P1) {
            if (r) o += "<p><b>Impact:</b> " + html_escape(impact_of(*r)) + "</p>";
            const std::string code = code_excerpt(project, f->loc);
            if (!code.empty()) o += "<p><b>Code:</b></p>" + sql_block(code, is_typescript(f->loc.file) ? "ts" : "sql");
        }
        if (!f->fix.empty()) o += "<p><b>Recommendation:</b></p>" + sql_block(f->fix, fix_language(*f));
        if (const std::string* ev = a.evidence_for(f->loc))
            o += "<p><b>Measured (EXPLAIN, hypothetical index):</b> " + html_escape(*ev) + "</p>";
        for (const auto& rel : f->related)
            o += "<div class=\"loc\">" + html_escape(rel.message) + ": " + html_escape(rel.loc.file) + ":" + std::to_string(rel.loc.line) + "</div>";
        o += "</div>\n";
    }

    o += "<h2>Index recommendations by module</h2>\n";
    for (const auto& m : a.modules) {
        if (m.indexes.empty()) continue;
        o += "<h3>" + html_escape(m.name) + "</h3>\n";
        std::string table;
        for (const auto& e : m.indexes) {
            if (e.index.table != table) {
                table = e.index.table;
                o += "<h4>Table <code>" + html_escape(display_name(table)) + "</code>" + (e.table_grows ? " (grows)" : "") + "</h4>\n";
            }
            o += sql_block(e.index.ddl);
            o += "<details><summary>serves " + std::to_string(e.serves.size()) + " place(s)" +
                 (e.merged.empty() ? "" : ", replaces " + html_escape(join(e.merged, ", "))) + "</summary><ul>";
            for (const auto& s : e.serves) {
                const std::string* ev = a.evidence_for(s.loc);
                o += "<li><span class=\"loc\">" + html_escape(file_line(s.loc)) + "</span>: " + html_escape(s.what) +
                     (ev ? " &mdash; measured: " + html_escape(*ev) : std::string()) + "</li>";
            }
            o += "</ul></details>\n";
            for (const auto& v : e.index.variants)
                o += "<p><b>Variant (" + html_escape(v.kind) + "):</b> " + html_escape(v.why) + ".</p>" + sql_block(v.ddl);
        }
    }

    o += "<h2>Migration plan</h2>\n";
    for (const auto& phase : migration_plan(a)) {
        o += "<h3>" + html_escape(phase.title) + "</h3>\n<ul class=\"plan\">";
        if (phase.items.empty()) o += "<li>Nothing to do.</li>";
        for (const auto& item : phase.items)
            o += std::string("<li><span class=\"pill ") + to_string(item.priority) + "\">" + to_string(item.priority) + "</span> " +
                 html_escape(item.action) + (item.impact.empty() ? "" : ". <i>Impact:</i> " + html_escape(item.impact)) + "</li>";
        o += "</ul>\n";
    }

    o += "<h2>Monitoring</h2>\n<p>Run these read-only queries on the production database (they read catalog and "
         "statistics views, never table data); they are tailored to what this analysis found.</p>\n";
    for (const auto& m : a.monitoring)
        o += "<h3>" + html_escape(m.title) + "</h3>\n<p>" + html_escape(m.purpose) + ".</p>\n" + sql_block(m.sql + "\n");
    o += "<h3>Metrics to track</h3>\n<table><tr><th>metric</th><th>target</th></tr>";
    for (const auto& [metric, target] : a.metrics) o += "<tr><td>" + html_escape(metric) + "</td><td>" + html_escape(target) + "</td></tr>";
    o += "</table>\n";

    o += "<h2>Appendix: migration script</h2>\n<p>Apply in this order, with autocommit: <code>CREATE INDEX CONCURRENTLY</code> "
         "cannot run inside a transaction block.</p>\n";
    if (a.appendix_scripts.empty()) o += "<p>Nothing to apply.</p>\n";
    for (size_t i = 0; i < a.appendix_scripts.size(); ++i) {
        std::string script;
        for (const auto& s : a.appendix_scripts[i].second) script += s + "\n\n";
        o += "<h3>" + std::to_string(i + 1) + ". " + html_escape(a.appendix_scripts[i].first) + "</h3>\n" + sql_block(script);
    }

    o += "<h2>What was analysed</h2>\n<table>";
    auto row = [&](const char* k, const std::string& v) { o += std::string("<tr><th>") + k + "</th><td>" + html_escape(v) + "</td></tr>"; };
    row("SQL files", std::to_string(a.sql_files));
    row("TypeScript files", std::to_string(a.ts_files));
    row("SQL statements", std::to_string(a.statements));
    row("queries", std::to_string(a.queries));
    row("tables", std::to_string(a.tables));
    row("parse errors", std::to_string(a.parse_errors));
    row("querylens", a.version);
    row("config", a.config_path.empty() ? "defaults" : a.config_path);
    o += "</table>\n<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
    return o;
}

}  // namespace querylens
