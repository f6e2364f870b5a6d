// What the querylens subcommands share: exit codes, the common options, reading the configuration,
// loading the project, printing its diagnostics, writing output, and choosing rules.
#include "cli/common.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <set>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <CLI/CLI.hpp>

#include "reports/report.h"

namespace querylens::cli {

void add_common(CLI::App& cmd, Common& c) {
    cmd.add_option("paths", c.paths, "Files or directories to analyse (default: .)");
    cmd.add_option("--config", c.config, "querylens.toml to use (default: the nearest one above the first path)");
    cmd.add_option("--root", c.root, "Directory that reported paths are relative to (default: cwd)");
    cmd.add_option("-j,--jobs", c.jobs, "Parser threads (default: number of cores)");
    cmd.add_option("-o,--output", c.output, "Write the report to FILE instead of stdout");
    cmd.add_option("--changed-since", c.changed_since,
                   "Migration-safety rules judge only migrations changed since this git revision (older ones still build the schema)");
    cmd.add_flag("-v,--verbose", c.verbose, "List what querylens could not read or follow (diagnostics), not only their count");
    cmd.add_flag("--no-cache", c.no_cache, "Do not read or write the fact cache (.querylens-cache/ beside querylens.toml)");
    cmd.add_option("--cache-dir", c.cache_dir, "Where the fact cache lives (default: .querylens-cache/ beside querylens.toml, else in the directory analysed)");
    cmd.add_flag("--parse-all", c.parse_all,
                 "Parse every TypeScript file, also those that cannot issue or reach a query (same findings, slower)");
}

bool emit(const std::string& text, const std::string& output) {
    if (output.empty() || output == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
        return std::fflush(stdout) == 0;
    }
    std::ofstream out(output, std::ios::binary);
    out << text;
    if (!out) {
        std::fprintf(stderr, "querylens: cannot write %s\n", output.c_str());
        return false;
    }
    return true;
}

bool read_config(const Common& c, Config& config) {
    std::string path = c.config;
    if (path.empty()) {
        if (auto found = find_config(c.paths.empty() ? "." : c.paths.front())) path = *found;
        else return true;
    } else if (!std::ifstream(path)) {
        std::fprintf(stderr, "querylens: cannot read config file %s\n", terminal_safe(path).c_str());
        return false;
    }
    std::vector<ConfigError> errors;
    if (load_config(path, config, errors)) return true;
    for (const auto& e : errors)
        std::fprintf(stderr, "%s:%u:%u: error: %s\n", terminal_safe(e.file).c_str(), e.line, e.column,
                     terminal_safe(e.message).c_str());
    return false;
}

bool check_paths(const Common& c) {
    bool ok = true;
    for (const auto& path : c.paths) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            std::fprintf(stderr, "querylens: %s: no such file or directory\n", terminal_safe(path).c_str());
            ok = false;
        }
    }
    return ok;
}

// Absolute paths of the files changed since `rev` (committed, staged, unstaged or untracked), in
// the git work tree that holds `dir`; false (after saying why) when git cannot tell.
bool changed_files(const std::string& rev, const std::string& dir, std::set<std::string>& out, bool quiet) {
    auto run = [&](const std::string& args, std::string& text) {
        std::string quoted = "'";
        for (char ch : dir) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
        const std::string cmd = "git -C " + quoted + "' " + args + " 2>/dev/null";
        FILE* p = popen(cmd.c_str(), "r");
        if (!p) return false;
        char buf[4096];
        size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
        return pclose(p) == 0;
    };
    for (char ch : rev)
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || std::strchr("._-/~^@{}", ch))) {
            if (!quiet) std::fprintf(stderr, "querylens: --changed-since: not a git revision: %s\n", terminal_safe(rev).c_str());
            return false;
        }
    std::string top, diff, untracked;
    if (!run("rev-parse --show-toplevel", top) || !run("diff --name-only " + rev + " --", diff) ||
        !run("ls-files --others --exclude-standard", untracked)) {
        if (!quiet)
            std::fprintf(stderr, "querylens: --changed-since %s: git cannot tell what changed in %s\n", terminal_safe(rev).c_str(),
                     terminal_safe(dir).c_str());
        return false;
    }
    while (!top.empty() && (top.back() == '\n' || top.back() == '\r')) top.pop_back();
    std::istringstream lines(diff + "\n" + untracked);
    std::string line;
    std::error_code ec;
    const std::filesystem::path root(top);
    // ls-files lists untracked files relative to `dir`, diff relative to the top level.
    const std::filesystem::path here = std::filesystem::absolute(dir, ec);
    size_t i = 0;
    const size_t diff_lines = static_cast<size_t>(std::count(diff.begin(), diff.end(), '\n')) + 1;
    while (std::getline(lines, line)) {
        const bool from_diff = i++ < diff_lines;
        if (line.empty()) continue;
        out.insert(((from_diff ? root : here) / line).lexically_normal().generic_string());
    }
    return true;
}

std::optional<Project> open_project(const Common& c, Config& config) {
    if (!check_paths(c) || !read_config(c, config)) return std::nullopt;
    Project p = load(c, config);
    print_diagnostics(p, c.verbose, true);
    return p;
}

std::string unknown_rule_message(const std::string& id) {
    // Levenshtein distance to each rule id; suggest the closest within a few edits.
    auto distance = [](const std::string& a, const std::string& b) {
        std::vector<size_t> row(b.size() + 1);
        for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
        for (size_t i = 1; i <= a.size(); ++i) {
            size_t prev = row[0];
            row[0] = i;
            for (size_t j = 1; j <= b.size(); ++j) {
                const size_t cur = row[j];
                row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
                prev = cur;
            }
        }
        return row[b.size()];
    };
    const Rule* best = nullptr;
    size_t best_d = 4;
    for (const Rule* r : all_rules())
        if (const size_t d = distance(id, r->id); d < best_d) best = r, best_d = d;
    std::string msg = "unknown rule '" + terminal_safe(id) + "'";
    if (best) msg += std::string(": did you mean '") + best->id + "'?";
    return msg + " (see `querylens rules`)";
}

Project load(const Common& c, const Config& config) {
    ProjectOptions opts;
    opts.paths = c.paths;
    opts.root = c.root;
    opts.jobs = c.jobs;
    opts.parse_all = c.parse_all;
    // The fact cache: per-file facts keyed by each file's text (analysis/fact_cache.h), in the
    // project: beside querylens.toml, else in the directory analysed (`check ../app`), else here.
    if (!c.no_cache && !std::getenv("QUERYLENS_NO_CACHE")) {
        std::error_code cache_ec;
        std::string base = ".";
        if (!config.path.empty()) base = config.dir;
        else if (!c.paths.empty() && std::filesystem::is_directory(c.paths.front(), cache_ec)) base = c.paths.front();
        opts.cache_dir = !c.cache_dir.empty() ? c.cache_dir : (std::filesystem::absolute(base, cache_ec) / ".querylens-cache").string();
    }
    opts.config_dir = config.path.empty() ? "" : config.dir;
    opts.include = config.include;
    opts.exclude = config.exclude;
    opts.migration_dirs = config.migrations;
    opts.typescript_dirs = config.typescript;
    opts.context.one_off = config.one_off;
    opts.context.runtime = config.runtime;
    opts.context.admin = config.admin;
    opts.tables.small = config.small_tables;
    opts.tables.large = config.large_tables;
    opts.migrations.plain_per_file_transaction = config.migrations_per_file_transaction;
    opts.migrations.lock_timeout_set_by_runner = config.lock_timeout_set_by_runner;
    opts.migrations.since = config.migrations_since;
    // querylens-stats.json (`querylens stats`) beside querylens.toml, else in the current directory.
    const std::string first = c.paths.empty() ? std::string(".") : c.paths.front();
    std::error_code dir_ec;
    const std::string dir =
        std::filesystem::is_directory(first, dir_ec) ? first : std::filesystem::absolute(first, dir_ec).parent_path().string();
    if (!c.changed_since.empty()) {
        opts.migrations.use_changed = changed_files(c.changed_since, dir, opts.migrations.changed, false);
    } else if (config.migrations_since.empty()) {
        // Nobody said which migrations are new. The guess: what git shows as not yet committed,
        // the files named on the command line and the files of a pre-commit run. The others are
        // history: their hazards stay as P3 notes (migration-safety rules judge what can still
        // be changed).
        opts.migrations.implicit = true;
        opts.migrations.use_changed = changed_files("HEAD", dir, opts.migrations.changed, true);
        std::vector<std::string> named = c.new_files;
        for (const auto& p : c.paths)
            if (std::error_code ec; std::filesystem::is_regular_file(p, ec)) named.push_back(p);
        for (const auto& p : named) {
            std::error_code ec;
            opts.migrations.changed.insert(std::filesystem::absolute(p, ec).lexically_normal().generic_string());
        }
        if (!named.empty()) opts.migrations.use_changed = true;
    }
    const std::string stats = (config.path.empty() ? std::string(".") : config.dir) + "/querylens-stats.json";
    std::error_code ec;
    if (std::filesystem::exists(stats, ec)) opts.stats_file = stats;
    return load_project(opts);
}

void print_diagnostics(const Project& p, bool verbose, bool inputs) {
    if (verbose && p.stats.ts_files_skipped > 0)
        std::fprintf(stderr, "querylens: parsed %zu of %zu TypeScript files; the others cannot issue or reach a query\n",
                     p.stats.ts_files - p.stats.ts_files_skipped, p.stats.ts_files);
    std::map<std::string, size_t> counts;
    for (const auto& d : p.diagnostics) {
        const bool input = is_input_problem(d);
        // Problems in the user's own configuration are always shown: they silently change the run.
        const bool config = d.kind == "config" && d.loc.file.find("querylens.toml") != std::string::npos;
        if (!input && !config) ++counts[d.kind];
        if ((input && inputs) || (!input && verbose) || config)
            std::fprintf(stderr, "%s:%u:%u: %s: %s\n", terminal_safe(d.loc.file).c_str(), d.loc.line, d.loc.column,
                         d.kind.c_str(), terminal_safe(d.message).c_str());
    }
    if (counts.empty() || verbose) return;
    std::string list;
    size_t total = 0;
    for (const auto& [kind, n] : counts) list += (list.empty() ? "" : ", ") + kind + " " + std::to_string(n), total += n;
    std::fprintf(stderr, "querylens: %zu place(s) querylens could not read or follow (%s); --verbose lists them\n", total,
                 list.c_str());
}

std::string read_file(const std::string& path, bool& ok) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    ok = static_cast<bool>(in) || in.eof();
    return ss.str();
}

RuleOptions rule_options(const Config& config) {
    RuleOptions options;
    for (const auto& [id, sev] : config.severity) options.severity[id] = static_cast<Severity>(sev);
    options.values = config.rule_options;
    options.per_file_ignores = config.per_file_ignores;
    return options;
}

std::vector<const Rule*> active_rules(const std::vector<std::string>& selected, const std::vector<std::string>& ignored) {
    std::vector<const Rule*> active;
    for (const Rule* r : all_rules()) {
        const std::string id = r->id;
        if (!selected.empty() && std::find(selected.begin(), selected.end(), id) == selected.end()) continue;
        if (std::find(ignored.begin(), ignored.end(), id) != ignored.end()) continue;
        active.push_back(r);
    }
    return active;
}

std::vector<std::string> split_ids(const std::vector<std::string>& raw) {
    std::vector<std::string> ids;
    for (const auto& r : raw) {
        std::string cur;
        for (char ch : r + ",") {
            if (ch == ',') {
                if (!cur.empty()) ids.push_back(cur);
                cur.clear();
            } else if (ch != ' ') {
                cur += ch;
            }
        }
    }
    return ids;
}

}  // namespace querylens::cli
