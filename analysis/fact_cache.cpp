#include "analysis/fact_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <xxhash.h>

#include "core/bytes.h"

namespace querylens {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "querylens fact cache\n";
constexpr uint64_t kFormat = 1;
constexpr const char* kFile = "facts.bin";

// This build of querylens: its version and its executable's size and modification time (a
// rebuilt binary may read files differently with the same version).
std::string build_id() {
    std::string id = QUERYLENS_VERSION;
    struct stat st {};
    if (::stat("/proc/self/exe", &st) == 0)
        id += " " + std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
    return id;
}

}  // namespace

uint64_t FactCache::key(std::string_view text) { return XXH3_64bits(text.data(), text.size()); }

FactCache::FactCache(std::string dir) : dir_(std::move(dir)) {
    if (dir_.empty()) return;
    std::ifstream in(fs::path(dir_) / kFile, std::ios::binary);
    if (!in) return;
    std::ostringstream buf;
    buf << in.rdbuf();
    const std::string data = buf.str();
    // magic, body, then the body's XXH3 as 8 little-endian bytes
    if (data.size() < kMagic.size() + 8 || data.compare(0, kMagic.size(), kMagic) != 0) return;
    const std::string_view body(data.data() + kMagic.size(), data.size() - kMagic.size() - 8);
    uint64_t sum = 0;
    for (int i = 7; i >= 0; --i) sum = (sum << 8) | static_cast<unsigned char>(data[data.size() - 8 + i]);
    if (XXH3_64bits(body.data(), body.size()) != sum) return;
    ByteReader r(body);
    if (r.u64() != kFormat || r.view() != build_id()) return;
    std::unordered_map<uint64_t, Entry> entries;
    for (size_t n = r.count(); r.ok() && n > 0; --n) {
        const uint64_t s = r.u64();
        entries[s].bytes = r.str();
    }
    if (r.ok() && r.at_end()) entries_ = std::move(entries);
}

const std::string* FactCache::find(FactKind kind, uint64_t key) const {
    auto it = entries_.find(slot(kind, key));
    return it == entries_.end() ? nullptr : &it->second.bytes;
}

void FactCache::keep(FactKind kind, uint64_t key) {
    auto it = entries_.find(slot(kind, key));
    if (it != entries_.end() && !it->second.kept) it->second.kept = true, ++kept_;
}

void FactCache::add(FactKind kind, uint64_t key, std::string bytes) {
    Entry& e = entries_[slot(kind, key)];
    if (!e.kept) ++kept_;
    e.bytes = std::move(bytes);
    e.kept = true;
    ++added_;
}

std::string FactCache::save() {
    if (dir_.empty()) return "";
    if (added_ == 0 && kept_ == entries_.size()) return "";  // what is on disk already
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) return "cannot create " + dir_ + ": " + ec.message();
    // Marks for backup tools (https://bford.info/cachedir/) and for git, as ruff's cache does.
    const fs::path tag = fs::path(dir_) / "CACHEDIR.TAG";
    if (!fs::exists(tag, ec)) {
        std::ofstream(tag) << "Signature: 8a477f597d28d172789f06886806bc55\n# querylens's fact cache; safe to delete.\n";
        std::ofstream(fs::path(dir_) / ".gitignore") << "# Created by querylens.\n*\n";
    }
    std::vector<std::pair<uint64_t, const std::string*>> kept;
    for (const auto& [s, e] : entries_)
        if (e.kept) kept.emplace_back(s, &e.bytes);
    std::sort(kept.begin(), kept.end());  // the same facts, the same bytes
    std::string body;
    ByteWriter w(body);
    w.u64(kFormat);
    w.str(build_id());
    w.u64(kept.size());
    for (const auto& [s, bytes] : kept) w.u64(s), w.str(*bytes);
    std::string data(kMagic);
    data += body;
    const uint64_t sum = XXH3_64bits(body.data(), body.size());
    for (int i = 0; i < 8; ++i) data.push_back(static_cast<char>((sum >> (8 * i)) & 0xff));
    const fs::path final_path = fs::path(dir_) / kFile;
    const fs::path tmp = fs::path(dir_) / (std::string(kFile) + "." + std::to_string(::getpid()) + ".tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(data.data(), static_cast<std::streamsize>(data.size()));
        if (!out.flush()) {
            fs::remove(tmp, ec);
            return "cannot write " + tmp.string();
        }
    }
    fs::rename(tmp, final_path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return "cannot write " + final_path.string() + ": " + ec.message();
    }
    return "";
}

}  // namespace querylens
