#include "frontends/migrations/journal.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
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

std::vector<DrizzleKitOutput> drizzle_kit_outputs(const std::set<std::string>& dirs) {
    namespace fs = std::filesystem;
    static const std::regex out_re(R"re((^|[^\w])"?out"?\s*:\s*['"`]([^'"`]+)['"`])re");
    static const std::regex dialect_re(R"re((^|[^\w])"?dialect"?\s*:\s*['"`](\w+)['"`])re");
    std::vector<DrizzleKitOutput> out;
    for (const auto& dir : dirs)
        for (const char* name : {"drizzle.config.ts", "drizzle.config.js", "drizzle.config.mjs", "drizzle.config.cjs", "drizzle.config.json"}) {
            const fs::path config = fs::path(dir) / name;
            std::error_code ec;
            if (!fs::is_regular_file(config, ec)) continue;
            std::ifstream in(config, std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            const std::string t = text.str();
            std::smatch m;
            if (!std::regex_search(t, m, out_re)) continue;
            DrizzleKitOutput o;
            o.dir = (fs::path(dir) / m[2].str()).lexically_normal().generic_string();
            while (o.dir.size() > 1 && o.dir.back() == '/') o.dir.pop_back();
            if (std::regex_search(t, m, dialect_re)) o.dialect = m[2].str();
            o.config = config.generic_string();
            out.push_back(std::move(o));
        }
    return out;
}

MigrationSelection select_migrations(const std::vector<std::string>& sql_files, const std::vector<DrizzleKitOutput>& outputs) {
    namespace fs = std::filesystem;
    std::map<std::string, std::vector<std::string>> by_dir;  // directory -> files in it
    for (const auto& f : sql_files) by_dir[fs::path(f).parent_path().generic_string()].push_back(f);
    MigrationSelection out;
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
