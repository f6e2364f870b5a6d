// Workspaces for ModuleResolver: the workspace root above a directory (package.json
// `workspaces`, pnpm-workspace.yaml, lerna.json), its packages by name, and finding a package by
// name from a directory (workspace map, self-reference, node_modules links).
#include <algorithm>
#include <string_view>

#include "frontends/typescript/module_resolver_impl.h"

namespace querylens {

using namespace tsresolve;

bool ModuleResolver::Impl::is_workspace_root(const std::string& d) {
    if (is_file(child_of(d, "pnpm-workspace.yaml"))) return true;
    const std::string pj = child_of(d, "package.json");
    if (is_file(pj))
        if (const Json* j = package_json(pj); j && j->contains("workspaces")) return true;
    const std::string lerna = child_of(d, "lerna.json");
    if (is_file(lerna))
        if (const Json* j = package_json(lerna); j && j->contains("packages")) return true;
    return false;
}

std::string ModuleResolver::Impl::workspace_root(const std::string& dir) {
    return nearest_up(workspace_root_cache, dir, [&](const std::string& d) {
        return basename_of(d) != "node_modules" && is_workspace_root(d) ? d : std::string{};
    });
}

std::vector<std::string> ModuleResolver::Impl::expand_glob(const std::string& root, const std::string& pattern) {
    const std::vector<std::string_view> segs = glob_segments(pattern);
    std::set<std::string> found;
    struct Item {
        std::string dir;
        size_t idx;
        int depth;
    };
    std::vector<Item> stack{{root, 0, 0}};
    std::set<std::pair<std::string, size_t>> seen;
    while (!stack.empty()) {
        Item it = std::move(stack.back());
        stack.pop_back();
        if (!seen.insert({it.dir, it.idx}).second) continue;
        if (it.idx == segs.size()) {
            found.insert(it.dir);
            continue;
        }
        const std::string_view seg = segs[it.idx];
        if (seg == "..") {
            const std::string up = parent_of(it.dir);
            if (!up.empty()) stack.push_back({up, it.idx + 1, it.depth});
        } else if (seg == "**") {
            stack.push_back({it.dir, it.idx + 1, it.depth});
            if (it.depth >= kMaxGlobDepth) continue;
            for (const auto& name : fs.list_dir(it.dir)) {
                if (name == "node_modules" || name.starts_with(".")) continue;
                const std::string c = child_of(it.dir, name);
                if (is_dir(c)) stack.push_back({c, it.idx, it.depth + 1});
            }
        } else if (has_wildcard(seg)) {
            ++stats.fs_queries;
            for (const auto& name : fs.list_dir(it.dir)) {
                if (name == "node_modules" || name.starts_with(".") || !wildcard_match(seg, name)) continue;
                const std::string c = child_of(it.dir, name);
                if (is_dir(c)) stack.push_back({c, it.idx + 1, it.depth});
            }
        } else {
            const std::string c = child_of(it.dir, seg);
            if (is_dir(c)) stack.push_back({c, it.idx + 1, it.depth});
        }
    }
    return {found.begin(), found.end()};
}

const std::map<std::string, std::string>& ModuleResolver::Impl::workspace_packages(const std::string& root) {
    if (auto it = workspace_cache.find(root); it != workspace_cache.end()) return it->second;
    std::vector<std::string> patterns;
    const Json* root_pj = package_json(child_of(root, "package.json"));
    if (root_pj) {
        if (auto w = root_pj->find("workspaces"); w != root_pj->end()) {
            if (w->is_array()) patterns = string_list(*w);
            else if (w->is_object() && w->contains("packages")) patterns = string_list((*w)["packages"]);
        }
    }
    const std::string yaml = child_of(root, "pnpm-workspace.yaml");
    if (is_file(yaml))
        if (auto text = read(yaml)) {
            auto list = parse_pnpm_packages(*text);
            for (auto& [line, msg] : list.problems) problem(yaml, line, msg);
            patterns.insert(patterns.end(), list.items.begin(), list.items.end());
        }
    const std::string lerna = child_of(root, "lerna.json");
    if (is_file(lerna))
        if (const Json* j = package_json(lerna); j && j->contains("packages"))
            for (auto& p : string_list((*j)["packages"])) patterns.push_back(p);

    std::vector<std::vector<std::string_view>> excludes;
    for (const auto& p : patterns)
        if (p.starts_with("!")) excludes.push_back(glob_segments(std::string_view(p).substr(1)));
    std::map<std::string, std::string> names;
    for (const auto& p : patterns) {
        if (p.starts_with("!")) continue;
        for (const auto& dir : expand_glob(root, p)) {
            const std::string rel = dir == root ? "" : dir.substr(root == "/" ? 1 : root.size() + 1);
            const auto rel_segs = split_segments(rel);
            if (std::any_of(excludes.begin(), excludes.end(),
                            [&](const auto& ex) { return glob_match_segments(ex, rel_segs); }))
                continue;
            const std::string name = string_field(package_json(child_of(dir, "package.json")), "name");
            if (!name.empty()) names.emplace(name, dir);  // the first pattern wins
        }
    }
    const std::string root_name = string_field(root_pj, "name");
    if (!root_name.empty()) names.emplace(root_name, root);
    return workspace_cache[root] = std::move(names);
}

std::string ModuleResolver::Impl::nearest_package_json(const std::string& dir) {
    return nearest_up(nearest_pkg_cache, dir, [&](const std::string& d) {
        const std::string p = child_of(d, "package.json");
        return is_file(p) ? p : std::string{};
    });
}

auto ModuleResolver::Impl::find_package(const std::string& name, const std::string& dir) -> std::optional<Package> {
    const std::string root = workspace_root(dir);
    if (!root.empty()) {
        const auto& ws = workspace_packages(root);
        if (auto it = ws.find(name); it != ws.end()) return Package{it->second, false};
    }
    const std::string own = nearest_package_json(dir);
    if (!own.empty() && string_field(package_json(own), "name") == name) return Package{parent_of(own), false};
    for (std::string d = dir; !d.empty(); d = parent_of(d)) {
        if (basename_of(d) == "node_modules") continue;
        const std::string cand = child_of(child_of(d, "node_modules"), name);
        if (!is_dir(cand)) continue;
        ++stats.fs_queries;
        const std::string real = normalize_abs(fs.real_path(cand));
        return Package{real, real.find("/node_modules/") != std::string::npos};
    }
    return std::nullopt;
}

}  // namespace querylens
