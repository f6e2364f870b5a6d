#include "config/config.h"


#include <filesystem>
#include <set>

#include <toml++/toml.h>

#include "rules/rule.h"

namespace fs = std::filesystem;

namespace querylens {

namespace {

class Reader {
public:
    Reader(std::string file, std::vector<ConfigError>& errors) : file_(std::move(file)), errors_(errors) {}

    void error(const toml::node& n, const std::string& message) {
        errors_.push_back({file_, static_cast<unsigned>(n.source().begin.line),
                           static_cast<unsigned>(n.source().begin.column), message});
    }

    // Every key of `table` must be in `allowed`.
    void only(const toml::table& table, const std::string& where, const std::set<std::string>& allowed) {
        for (const auto& [key, node] : table)
            if (!allowed.count(std::string(key.str())))
                error(node, "unknown key '" + std::string(key.str()) + "' in " + where);
    }

    void strings(const toml::table& t, const char* key, std::vector<std::string>& out) {
        const toml::node* n = t.get(key);
        if (!n) return;
        const toml::array* arr = n->as_array();
        if (!arr) return error(*n, std::string("'") + key + "' must be an array of strings");
        for (const auto& item : *arr) {
            if (auto s = item.value<std::string>(); s && item.is_string()) out.push_back(*s);
            else error(item, std::string("'") + key + "' must contain only strings");
        }
    }

    void rule_ids(const toml::table& t, const char* key, std::vector<std::string>& out) {
        const size_t before = out.size();
        strings(t, key, out);
        const toml::array* arr = t.get(key) ? t.get(key)->as_array() : nullptr;
        for (size_t i = before; i < out.size(); ++i)
            if (!find_rule(out[i])) error(arr ? (*arr)[i - before] : *t.get(key), "unknown rule id '" + out[i] + "'");
    }

    bool boolean(const toml::table& t, const char* key, bool& out) {
        const toml::node* n = t.get(key);
        if (!n) return false;
        if (!n->is_boolean()) {
            error(*n, std::string("'") + key + "' must be true or false");
            return false;
        }
        out = *n->value<bool>();
        return true;
    }

    const toml::table* table(const toml::table& t, const char* key) {
        const toml::node* n = t.get(key);
        if (!n) return nullptr;
        if (!n->is_table()) {
            error(*n, std::string("'") + key + "' must be a table");
            return nullptr;
        }
        return n->as_table();
    }

private:
    std::string file_;
    std::vector<ConfigError>& errors_;
};

int severity_of(const std::string& s) {
    if (s.size() == 2 && (s[0] == 'p' || s[0] == 'P') && s[1] >= '0' && s[1] <= '3') return s[1] - '0';
    return -1;
}

}  // namespace

bool load_config(const std::string& path, Config& out, std::vector<ConfigError>& errors) {
    const size_t before = errors.size();
    out.path = fs::path(path).lexically_normal().generic_string();
    out.dir = fs::path(path).parent_path().lexically_normal().generic_string();
    if (out.dir.empty()) out.dir = ".";
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        errors.push_back({out.path, static_cast<unsigned>(e.source().begin.line),
                          static_cast<unsigned>(e.source().begin.column), std::string(e.description())});
        return false;
    }
    Reader r(out.path, errors);
    r.only(root, "querylens.toml", {"files", "context", "tables", "migrations", "modules", "rules", "check"});
    if (const auto* m = r.table(root, "migrations")) {
        r.only(*m, "[migrations]", {"transaction", "lock-timeout-set-by-runner", "since"});
        if (const toml::node* n = m->get("transaction")) {
            const auto v = n->value<std::string>();
            if (!v || !n->is_string() || (*v != "per-file" && *v != "none"))
                r.error(*n, "'transaction' must be \"per-file\" or \"none\"");
            else out.migrations_per_file_transaction = *v == "per-file";
        }
        r.boolean(*m, "lock-timeout-set-by-runner", out.lock_timeout_set_by_runner);
        if (const toml::node* n = m->get("since")) {
            const auto v = n->value<std::string>();
            if (!v || !n->is_string() || v->empty()) r.error(*n, "'since' must be a migration file name (or its prefix)");
            else out.migrations_since = *v;
        }
    }
    if (const auto* tables = r.table(root, "tables")) {
        r.only(*tables, "[tables]", {"small", "large"});
        r.strings(*tables, "small", out.small_tables);
        r.strings(*tables, "large", out.large_tables);
    }
    if (const auto* context = r.table(root, "context")) {
        r.only(*context, "[context]", {"one-off", "runtime", "admin"});
        r.strings(*context, "one-off", out.one_off);
        r.strings(*context, "runtime", out.runtime);
        r.strings(*context, "admin", out.admin);
    }
    if (const auto* files = r.table(root, "files")) {
        r.only(*files, "[files]", {"include", "exclude", "migrations", "typescript"});
        r.strings(*files, "typescript", out.typescript);
        r.strings(*files, "include", out.include);
        r.strings(*files, "exclude", out.exclude);
        r.strings(*files, "migrations", out.migrations);
    }
    if (const auto* modules = r.table(root, "modules")) {
        r.only(*modules, "[modules]", {"patterns"});
        r.strings(*modules, "patterns", out.module_patterns);
    }
    if (const auto* rules = r.table(root, "rules")) {
        std::set<std::string> keys = {"select", "ignore", "severity", "per-file-ignores"};
        for (const Rule* rule : all_rules())
            if (!rule->options.empty()) keys.insert(rule->id);
        r.only(*rules, "[rules]", keys);
        r.rule_ids(*rules, "select", out.select);
        r.rule_ids(*rules, "ignore", out.ignore);
        if (const auto* sev = r.table(*rules, "severity")) {
            for (const auto& [key, node] : *sev) {
                const std::string id(key.str());
                const auto value = node.value<std::string>();
                if (!find_rule(id)) r.error(node, "unknown rule id '" + id + "' in [rules.severity]");
                else if (!value || !node.is_string() || severity_of(*value) < 0)
                    r.error(node, "severity of '" + id + "' must be \"p0\", \"p1\", \"p2\" or \"p3\"");
                else out.severity[id] = severity_of(*value);
            }
        }
        if (const auto* pfi = r.table(*rules, "per-file-ignores")) {
            for (const auto& [key, node] : *pfi) {
                std::vector<std::string> ids;
                r.rule_ids(*pfi, std::string(key.str()).c_str(), ids);
                out.per_file_ignores.emplace_back(std::string(key.str()), std::move(ids));
            }
        }
        // [rules.<rule-id>]: the options the rule declares, with their types.
        for (const Rule* rule : all_rules()) {
            const auto* t = rule->options.empty() ? nullptr : r.table(*rules, rule->id);
            if (!t) continue;
            const std::string where = std::string("[rules.") + rule->id + "]";
            std::set<std::string> names;
            for (const auto& o : rule->options) names.insert(o.name);
            r.only(*t, where, names);
            for (const auto& o : rule->options) {
                if (o.type != OptionType::Bool || !t->get(o.name)) continue;
                bool v = std::string(o.default_value) == "true";
                r.boolean(*t, o.name, v);
                out.rule_options[rule->id][o.name] = v ? "true" : "false";
            }
        }
    }
    if (const auto* check = r.table(root, "check")) {
        r.only(*check, "[check]", {"fail-on", "min-severity"});
        if (const toml::node* n = check->get("min-severity")) {
            const auto v = n->value<std::string>();
            if (!v || !n->is_string() || severity_of(*v) < 0)
                r.error(*n, "'min-severity' must be \"p0\", \"p1\", \"p2\" or \"p3\"");
            else out.min_severity = *v;
        }
        if (const toml::node* n = check->get("fail-on")) {
            const auto v = n->value<std::string>();
            if (!v || !n->is_string() || (*v != "never" && severity_of(*v) < 0))
                r.error(*n, "'fail-on' must be \"p0\", \"p1\", \"p2\", \"p3\" or \"never\"");
            else out.fail_on = *v;
        }
    }
    return errors.size() == before;
}

std::optional<std::string> find_config(const std::string& start) {
    std::error_code ec;
    fs::path dir = fs::absolute(start, ec);
    if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
    for (int guard = 0; guard < 256 && !dir.empty(); ++guard) {
        const fs::path candidate = dir / "querylens.toml";
        if (fs::is_regular_file(candidate, ec)) return candidate.string();
        if (dir == dir.parent_path()) break;
        dir = dir.parent_path();
    }
    return std::nullopt;
}

std::string default_config() {
    return R"(# querylens configuration. Paths and globs are relative to this file's directory.
# Globs use fnmatch(3): `*` also matches `/`, so "legacy/*" covers everything under legacy/.

[files]
# Only read files matching one of these globs (default: every .sql/.ts/.tsx/.mts/.cts file).
# include = ["backend/*"]
# Never read files matching these globs (node_modules, dist, build and hidden dirs are always skipped).
exclude = []
# Directories whose .sql files run first, in this order (then every other .sql file).
# Inside each, files run in natural order: 0002_x.sql before 0010_y.sql.
# migrations = ["backend/drizzle"]
# TypeScript roots: when set, .ts/.tsx files outside these directories are not read.
# typescript = ["backend/src"]

[context]
# Code that runs once is not judged for runtime query cost (N+1, unpaginated lists, SELECT *,
# missing indexes...). By default: scripts/, seed(s)/, test(s)/, __tests__/, e2e/, fixtures/,
# stories/, bench(mark)/ directories; *.test.*, *.spec.*, *.stories.*, seed*, *backfill*, *migrate*
# files; and data statements inside SQL migrations. Add or override with globs:
# one-off = ["tools/*"]
# runtime = ["src/jobs/migrate-users.ts"]
# Operator-only code (by default admin/, superuser/, backoffice/ directories) runs rarely: index
# advice for its queries is a note.
# admin = ["src/internal-tools/*"]

[tables]
# How tables grow, when the code does not show it: lists and index advice on tables that stay
# small are reported at low priority. Names or globs; `querylens schema` shows each profile.
# small = ["settings", "feature_flags"]
# large = ["events", "audit_log"]

[migrations]
# How the runner applies plain .sql files (drizzle-kit files are recognised): "none" runs each
# statement on its own, "per-file" wraps each file in a transaction. A file's own
# `-- querylens: transaction` or `-- querylens: no-transaction` comment wins.
# transaction = "none"
# The runner (or the database role) sets lock_timeout, so migrations need not.
# lock-timeout-set-by-runner = false
# The first migration not yet applied: older files still build the schema, but migration-safety
# rules report only this one and later ones (`--changed-since REV` does the same from git).
# since = "0236"

[modules]
# How paths map to modules in reports; `*` is the module name.
# patterns = ["src/modules/*", "backend/src/modules/*", "packages/*", "apps/*"]

[rules]
# Run only these rules (default: all), and never these.
# select = ["n-plus-one", "uncovered-predicate"]
ignore = []

[rules.per-file-ignores]
# Rules not reported in files matching a glob (the reported path; `*` also matches `/`).
# "scripts/*" = ["n-plus-one", "write-in-loop"]

[rules.severity]
# Override a rule's default priority: "p0" (production blocker) .. "p3" (note).
# "select-star" = "p3"

[rules.fk-missing-action]
# Whether an explicit ON DELETE NO ACTION counts as a stated intent (true) or is flagged (false).
explicit-no-action-is-action = true

[check]
# Exit 1 when a finding is at or above this priority: "p0".."p3" or "never".
fail-on = "p1"
# Report findings at or above this priority; "p3" also lists the notes (low-confidence findings
# and hazards of migrations already applied). Default "p2" ("p3" when fail-on is "p3").
# min-severity = "p2"
)";
}

}  // namespace querylens
