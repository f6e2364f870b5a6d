#include "frontends/published_packages.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace querylens {

const std::string& PublishedPackages::of(const std::string& file) {
    static const std::string kNone;
    if (root_.empty()) return kNone;
    std::string dir = file;
    while (true) {
        const size_t slash = dir.rfind('/');
        dir = slash == std::string::npos ? std::string() : dir.substr(0, slash);
        if (auto it = by_dir_.find(dir); it != by_dir_.end()) return it->second;
        const std::filesystem::path json = std::filesystem::path(root_) / dir / "package.json";
        std::error_code ec;
        if (std::filesystem::is_regular_file(json, ec)) {
            std::string name;
            std::ifstream in(json);
            const auto pkg = nlohmann::json::parse(in, nullptr, false);
            if (pkg.is_object() && !(pkg.contains("private") && pkg["private"] == true) && pkg.contains("name") &&
                pkg["name"].is_string() && pkg.contains("version") && (pkg.contains("files") || pkg.contains("publishConfig")))
                name = pkg["name"].get<std::string>();
            return by_dir_[dir] = name;
        }
        if (dir.empty()) return by_dir_[dir] = kNone;
    }
}

}  // namespace querylens
