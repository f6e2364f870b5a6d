// The file systems ModuleResolver reads through: the disk (std::filesystem) and an in-memory
// tree for tests (files, implied directories, directory symlinks).
#include "frontends/typescript/module_resolver.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "frontends/typescript/module_config.h"

namespace querylens {

namespace stdfs = std::filesystem;
using tsresolve::basename_of;
using tsresolve::join_path;
using tsresolve::kMaxSymlinkHops;
using tsresolve::normalize_abs;
using tsresolve::parent_of;

// --- the disk -----------------------------------------------------------------------------------

DiskFileSystem::DiskFileSystem(const std::string& base_dir) {
    std::error_code ec;
    stdfs::path b = base_dir.empty() ? stdfs::current_path(ec) : stdfs::absolute(base_dir, ec);
    base_ = normalize_abs(b.generic_string());
}

std::string DiskFileSystem::abs(const std::string& path) const {
    return !path.empty() && path[0] == '/' ? path : join_path(base_, path);
}

bool DiskFileSystem::is_file(const std::string& path) const {
    std::error_code ec;
    return stdfs::is_regular_file(abs(path), ec);
}

bool DiskFileSystem::is_dir(const std::string& path) const {
    std::error_code ec;
    return stdfs::is_directory(abs(path), ec);
}

std::optional<std::string> DiskFileSystem::read(const std::string& path) const {
    std::ifstream in(abs(path), std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> DiskFileSystem::list_dir(const std::string& path) const {
    std::vector<std::string> out;
    std::error_code ec;
    for (stdfs::directory_iterator it(abs(path), stdfs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec))
        out.push_back(it->path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string DiskFileSystem::real_path(const std::string& path) const {
    std::error_code ec;
    const stdfs::path p = stdfs::canonical(abs(path), ec);
    return ec ? path : normalize_abs(p.generic_string());
}

// --- in memory ----------------------------------------------------------------------------------

MemoryFileSystem::MemoryFileSystem(const std::string& base_dir) : base_(normalize_abs(base_dir.empty() ? "/" : base_dir)) {}

std::string MemoryFileSystem::abs(const std::string& path) const {
    return !path.empty() && path[0] == '/' ? normalize_abs(path) : join_path(base_, path);
}

void MemoryFileSystem::add_dirs(const std::string& p) {
    std::string cur = p;
    for (std::string up = parent_of(cur); !up.empty(); cur = up, up = parent_of(cur))
        children_[up].insert(std::string(basename_of(cur)));
}

void MemoryFileSystem::add_file(const std::string& path, std::string text) {
    const std::string p = abs(path);
    files_[p] = std::move(text);
    add_dirs(p);
}

void MemoryFileSystem::add_symlink(const std::string& link, const std::string& target) {
    const std::string l = abs(link);
    links_[l] = !target.empty() && target[0] == '/' ? normalize_abs(target) : join_path(parent_of(l), target);
    add_dirs(l);
}

std::string MemoryFileSystem::real_path(const std::string& path) const {
    std::string p = abs(path);
    for (int hop = 0; hop < kMaxSymlinkHops && !links_.empty(); ++hop) {
        bool changed = false;
        for (std::string pre = p; !pre.empty(); pre = parent_of(pre)) {  // the longest linked prefix
            auto it = links_.find(pre);
            if (it == links_.end()) continue;
            p = it->second + p.substr(pre.size());
            changed = true;
            break;
        }
        if (!changed) break;
    }
    return p;
}

bool MemoryFileSystem::is_file(const std::string& path) const { return files_.count(real_path(path)) > 0; }

bool MemoryFileSystem::is_dir(const std::string& path) const {
    const std::string p = real_path(path);
    return p == "/" || children_.count(p) > 0;
}

std::optional<std::string> MemoryFileSystem::read(const std::string& path) const {
    auto it = files_.find(real_path(path));
    if (it == files_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> MemoryFileSystem::list_dir(const std::string& path) const {
    auto it = children_.find(real_path(path));
    if (it == children_.end()) return {};
    return {it->second.begin(), it->second.end()};
}

}  // namespace querylens
