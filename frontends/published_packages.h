#pragma once
// Which files belong to an npm package the project publishes for others: the nearest package.json
// above the file is not private, has a name and a version, and says what to publish (`files` or
// `publishConfig`). Applications are private or publish nothing. Read from disk once per directory.
#include <map>
#include <string>

namespace querylens {

class PublishedPackages {
public:
    // `disk_root`: the directory the relative paths start from; empty for in-memory analyses.
    explicit PublishedPackages(std::string disk_root) : root_(std::move(disk_root)) {}
    // The published package's name for a file (path relative to the root), or "".
    const std::string& of(const std::string& file);

private:
    std::string root_;
    std::map<std::string, std::string> by_dir_;  // directory -> published name, or ""
};

}  // namespace querylens
