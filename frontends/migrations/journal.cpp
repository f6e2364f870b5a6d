#include "frontends/migrations/journal.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace querylens {

std::optional<MigrationJournal> read_migration_journal(const std::string& dir) {
    namespace fs = std::filesystem;
    const fs::path file = fs::path(dir.empty() ? "." : dir) / "meta" / "_journal.json";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
    MigrationJournal j;
    j.path = file.lexically_normal().generic_string();
    std::ifstream in(file, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    const auto doc = nlohmann::json::parse(buf.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("entries") || !doc["entries"].is_array()) {
        j.problem = "not a drizzle-kit journal (no \"entries\" array)";
        return j;
    }
    std::vector<std::pair<long long, std::string>> entries;
    for (const auto& e : doc["entries"]) {
        if (!e.is_object() || !e.contains("tag") || !e["tag"].is_string()) continue;
        const long long idx = e.contains("idx") && e["idx"].is_number_integer() ? e["idx"].get<long long>() : 0;
        entries.push_back({idx, e["tag"].get<std::string>()});
    }
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [idx, tag] : entries) j.tags.push_back(std::move(tag));
    return j;
}

namespace {

// Each config file of these names in these directories, with its text.
void each_config(const std::set<std::string>& dirs, std::initializer_list<const char*> names,
                 const std::function<void(const std::filesystem::path&, const std::string&)>& fn) {
    namespace fs = std::filesystem;
    for (const auto& dir : dirs)
        for (const char* name : names) {
            const fs::path config = fs::path(dir) / name;
            std::error_code ec;
            if (!fs::is_regular_file(config, ec)) continue;
            std::ifstream in(config, std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            fn(config, text.str());
        }
}

}  // namespace

std::vector<DrizzleKitOutput> drizzle_kit_outputs(const std::set<std::string>& dirs) {
    namespace fs = std::filesystem;
    static const std::regex out_re(R"re((^|[^\w])"?out"?\s*:\s*['"`]([^'"`]+)['"`])re");
    static const std::regex dialect_re(R"re((^|[^\w])"?dialect"?\s*:\s*['"`](\w+)['"`])re");
    std::vector<DrizzleKitOutput> out;
    each_config(dirs, {"drizzle.config.ts", "drizzle.config.js", "drizzle.config.mjs", "drizzle.config.cjs", "drizzle.config.json"},
                [&](const fs::path& config, const std::string& t) {
        const std::string dir = config.parent_path().generic_string();
        std::smatch m;
        if (!std::regex_search(t, m, out_re)) return;
        DrizzleKitOutput o;
        o.dir = (fs::path(dir) / m[2].str()).lexically_normal().generic_string();
        while (o.dir.size() > 1 && o.dir.back() == '/') o.dir.pop_back();
        if (std::regex_search(t, m, dialect_re)) o.dialect = m[2].str();
        o.config = config.generic_string();
        out.push_back(std::move(o));
    });
    return out;
}

namespace {

// `schema:` values of a sqlc YAML config: `schema: "a.sql"`, `schema: [a.sql, b]`, or a block list.
std::vector<std::string> sqlc_yaml_schemas(const std::string& text) {
    std::vector<std::string> out;
    auto clean = [](std::string v) {
        const auto hash = v.find(" #");
        if (hash != std::string::npos) v.resize(hash);
        while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
        size_t b = 0;
        while (b < v.size() && std::isspace(static_cast<unsigned char>(v[b]))) ++b;
        v = v.substr(b);
        if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
        return v;
    };
    static const std::regex key_re(R"re(^\s*(-\s+)?schema\s*:\s*(.*)$)re");
    static const std::regex item_re(R"re(^\s*-\s+(.+)$)re");
    std::istringstream in(text);
    std::string line;
    bool in_list = false;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::smatch m;
        if (std::regex_match(line, m, key_re)) {
            std::string rest = clean(m[2].str());
            in_list = rest.empty();
            if (!rest.empty() && rest.front() == '[') {
                rest = rest.substr(1, rest.find(']') == std::string::npos ? std::string::npos : rest.find(']') - 1);
                std::stringstream parts(rest);
                for (std::string part; std::getline(parts, part, ',');)
                    if (!clean(part).empty()) out.push_back(clean(part));
            } else if (!rest.empty()) {
                out.push_back(rest);
            }
            continue;
        }
        if (!in_list) continue;
        const std::string trimmed = clean(line);
        if (trimmed.empty() || trimmed.front() == '#') continue;
        if (std::regex_match(line, m, item_re) && m[1].str().find(':') == std::string::npos) out.push_back(clean(m[1].str()));
        else in_list = false;
    }
    return out;
}

}  // namespace

std::set<std::string> sqlc_schema_snapshots(const std::set<std::string>& dirs) {
    namespace fs = std::filesystem;
    std::set<std::string> out;
    each_config(dirs, {"sqlc.yaml", "sqlc.yml", "sqlc.json"}, [&](const fs::path& config, const std::string& text) {
        const std::string dir = config.parent_path().generic_string();
        std::error_code ec;
        std::vector<std::string> schemas;
        if (config.extension() == ".json") {
            const auto j = nlohmann::json::parse(text, nullptr, false);
            if (j.is_object() && j.contains("sql") && j["sql"].is_array())
                for (const auto& entry : j["sql"]) {
                    if (!entry.is_object() || !entry.contains("schema")) continue;
                    const auto& s = entry["schema"];
                    if (s.is_string()) schemas.push_back(s.get<std::string>());
                    else if (s.is_array())
                        for (const auto& v : s)
                            if (v.is_string()) schemas.push_back(v.get<std::string>());
                }
        } else {
            schemas = sqlc_yaml_schemas(text);
        }
        for (const auto& s : schemas) {
            const fs::path file = (fs::path(dir) / s).lexically_normal();
            if (fs::is_regular_file(file, ec) && file.extension() == ".sql") out.insert(file.generic_string());
        }
    });
    return out;
}

std::set<std::string> supabase_declarative_schemas(const std::set<std::string>& dirs) {
    namespace fs = std::filesystem;
    std::set<std::string> out;
    for (const auto& d : dirs) {
        const fs::path dir(d);
        std::error_code ec;
        if (dir.filename() != "supabase" || !fs::is_regular_file(dir / "config.toml", ec) ||
            !fs::is_directory(dir / "migrations", ec) || !fs::is_directory(dir / "schemas", ec))
            continue;
        for (fs::recursive_directory_iterator it(dir / "schemas", ec), end; !ec && it != end; it.increment(ec))
            if (it->is_regular_file(ec) && it->path().extension() == ".sql") out.insert(it->path().lexically_normal().generic_string());
    }
    return out;
}

bool rollback_migration(const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path p(path);
    const std::string name = p.filename().string();
    std::string lower, dir;
    for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char c : p.parent_path().filename().string()) dir += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto ends = [&](const std::string& tail) { return lower.size() >= tail.size() && lower.compare(lower.size() - tail.size(), tail.size(), tail) == 0; };
    for (const char* word : {"down", "undo", "rollback"}) {
        const std::string w = word;
        if (ends("." + w + ".sql") || dir == w || dir == w + "s") return true;
        // `0004_init_down.sql` beside `0004_init_up.sql`; alone, `add_cool_down.sql` is a feature.
        for (const char* sep : {"_", "-"})
            if (ends(sep + w + ".sql")) {
                std::error_code ec;
                const std::string stem = name.substr(0, name.size() - w.size() - 4);
                if (fs::exists(p.parent_path() / (stem + "up.sql"), ec) || fs::exists(p.parent_path() / (stem + "UP.sql"), ec)) return true;
            }
    }
    if (lower == "down.sql") return true;  // Diesel: <migration>/up.sql and down.sql
    if (lower.find(".undo.") != std::string::npos) return true;  // postgrator: 0004.undo.name.sql
    // Flyway: U<version>__<description>.sql (V for versioned, R for repeatable).
    if (name.size() > 3 && name[0] == 'U' && std::isdigit(static_cast<unsigned char>(name[1]))) {
        size_t i = 1;
        while (i < name.size() && (std::isdigit(static_cast<unsigned char>(name[i])) || name[i] == '.' || name[i] == '_') &&
               name.compare(i, 2, "__") != 0)
            ++i;
        if (name.compare(i, 2, "__") == 0) return true;
    }
    return false;
}

MigrationSelection select_migrations(const std::vector<std::string>& sql_files, const std::vector<DrizzleKitOutput>& outputs) {
    namespace fs = std::filesystem;
    std::map<std::string, std::vector<std::string>> by_dir;  // directory -> files in it
    for (const auto& f : sql_files) by_dir[fs::path(f).parent_path().generic_string()].push_back(f);
    MigrationSelection out;
    for (const auto& f : sql_files)
        if (rollback_migration(f)) out.rollback.insert(f);
    for (const auto& o : outputs)
        for (const auto& f : sql_files) {
            const std::string d = fs::path(f).lexically_normal().parent_path().generic_string();
            if (d != o.dir && d.rfind(o.dir + "/", 0) != 0) continue;
            if (!o.dialect.empty() && o.dialect != "postgresql") out.other_dialect[f] = o.dialect + " (" + o.config + ")";
            else out.journaled.insert(f);
        }
    for (const auto& [dir, files] : by_dir) {
        const auto journal = read_migration_journal(dir);
        if (!journal) continue;
        const std::set<std::string> tags(journal->tags.begin(), journal->tags.end());
        const bool lists_any = std::any_of(files.begin(), files.end(), [&](const std::string& f) {
            return tags.count(fs::path(f).stem().string()) > 0;
        });
        if (!journal->problem.empty() || !lists_any) {
            out.problems.push_back({journal->path, (journal->problem.empty() ? std::string("lists none of the .sql files beside it")
                                                                             : journal->problem) +
                                                       ": ignored, every .sql file in the directory is read"});
            continue;
        }
        if (!journal->tags.empty()) {
            // drizzle-kit writes meta/<idx>_snapshot.json beside each migration <idx>_<name>.sql it
            // generates (a hand-written `--custom` one may have none): the newest that exists.
            fs::path snap;
            for (auto tag = journal->tags.rbegin(); tag != journal->tags.rend() && snap.empty(); ++tag) {
                const fs::path candidate = fs::path(dir.empty() ? "." : dir) / "meta" / (tag->substr(0, tag->find('_')) + "_snapshot.json");
                std::error_code sec;
                if (fs::is_regular_file(candidate, sec)) snap = candidate;
            }
            std::ifstream in(snap, std::ios::binary);
            std::ostringstream buf;
            buf << in.rdbuf();
            const auto doc = nlohmann::json::parse(buf.str(), nullptr, false);
            if (in && !doc.is_discarded() && doc.is_object() && doc.contains("tables") && doc["tables"].is_object()) {
                Project::DrizzleSnapshot snapshot;
                snapshot.path = snap.lexically_normal().generic_string();
                for (const auto& [tname, t] : doc["tables"].items()) {
                    if (!t.is_object()) continue;
                    for (const char* kind : {"indexes", "uniqueConstraints", "compositePrimaryKeys"})
                        if (t.contains(kind) && t[kind].is_object())
                            for (const auto& [name, v] : t[kind].items()) snapshot.names.insert(name);
                    if (t.contains("foreignKeys") && t["foreignKeys"].is_object())
                        for (const auto& [name, fk] : t["foreignKeys"].items())
                            if (fk.is_object() && fk.contains("onDelete") && fk["onDelete"].is_string())
                                snapshot.fk_on_delete[name] = fk["onDelete"].get<std::string>();
                }
                out.snapshots.push_back(std::move(snapshot));
            }
        }
        for (const auto& f : files) {
            if (!tags.count(fs::path(f).stem().string()))
                out.skipped[f] = "not listed in meta/_journal.json: drizzle-kit never applies it, so querylens does not either";
            else
                out.journaled.insert(f);
        }
    }
    return out;
}

}  // namespace querylens
