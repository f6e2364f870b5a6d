#include "frontends/migrations/journal.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
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

MigrationSelection select_migrations(const std::vector<std::string>& sql_files) {
    namespace fs = std::filesystem;
    std::map<std::string, std::vector<std::string>> by_dir;  // directory -> files in it
    for (const auto& f : sql_files) by_dir[fs::path(f).parent_path().generic_string()].push_back(f);
    MigrationSelection out;
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
