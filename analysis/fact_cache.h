#pragma once
// The fact cache (`.querylens-cache/` at the project root, like ruff's `.ruff_cache`): per-file
// facts that are functions of a file's text alone (frontends/typescript/facts_io.h), keyed by a
// hash of the text and by what the facts are. A warm run reads every file (and so hashes what
// is there now), takes what the cache holds for that text and computes the rest; every
// whole-program pass runs again. Nothing is keyed by path or time, so an edit, a rename, a
// deleted file or a changed config can never be answered with old facts.
//
// The cache belongs to one build of querylens (version, and the executable's size and time): any
// other build, a truncated or corrupt file (checksummed) or an unreadable one is an empty cache.
// Saving keeps only the entries this run used or added, written to a temporary file and renamed
// into place, so concurrent runs never read half a cache.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace querylens {

enum class FactKind : uint8_t {
    Prescan = 1,         // prescan_typescript
    TreeFreeTs = 2,      // collect_typescript's tree-free facts, .ts
    TreeFreeTsx = 3,     // the same, .tsx (another grammar)
    // The same for a file in a migrations folder (core/paths.h migration_path), which the
    // collector reads differently (a statement handed to a helper there is migration SQL): the
    // same text elsewhere has other facts.
    TreeFreeTsMigration = 4,
    TreeFreeTsxMigration = 5,
};

class FactCache {
public:
    FactCache() = default;
    // Reads `dir`/facts.bin; empty when `dir` is "" (no cache) or the file is missing, from another
    // build, or damaged.
    explicit FactCache(std::string dir);

    bool enabled() const { return !dir_.empty(); }
    // The hash of a file's text (XXH3, 64 bits).
    static uint64_t key(std::string_view text);
    // The cached bytes, or null. Thread-safe (read-only).
    const std::string* find(FactKind kind, uint64_t key) const;
    // Serially, after the parallel phases: an entry used (`find` hit) or computed this run.
    void keep(FactKind kind, uint64_t key);
    void add(FactKind kind, uint64_t key, std::string bytes);
    size_t loaded() const { return entries_.size(); }
    // Writes the kept entries when they differ from what was read; "" on success, else why not.
    std::string save();

private:
    struct Entry {
        std::string bytes;
        bool kept = false;
    };
    static uint64_t slot(FactKind kind, uint64_t key) { return key ^ (static_cast<uint64_t>(kind) * 0x9E3779B97F4A7C15ull); }
    std::string dir_;
    std::unordered_map<uint64_t, Entry> entries_;  // slot -> bytes
    size_t kept_ = 0, added_ = 0;
};

}  // namespace querylens
