// Package entry points for ModuleResolver: package.json `exports`/`imports` matching (subpath
// keys, one-`*` patterns, legacy folder keys, nested conditions, fallback arrays, null), the main
// fields, and the way back from build output (dist/, outDir, .d.ts) to the source file.
#include <algorithm>
#include <string_view>

#include "frontends/typescript/module_resolver_impl.h"

namespace querylens {

namespace tsresolve {

namespace {

void expand_target(const Json& t, const std::string* star, const std::vector<std::string>& conds,
                   std::vector<std::string>& out, int depth) {
    if (depth > kMaxConditionDepth) return;
    if (t.is_string()) {
        std::string s = t.get<std::string>();
        if (star) {
            std::string r;
            for (char c : s) {
                if (c == '*') r += *star;
                else r += c;
            }
            s = std::move(r);
        }
        out.push_back(std::move(s));
    } else if (t.is_array()) {
        for (const auto& e : t) expand_target(e, star, conds, out, depth + 1);
    } else if (t.is_object()) {
        for (const auto& c : conds)
            if (auto it = t.find(c); it != t.end()) expand_target(*it, star, conds, out, depth + 1);
        for (auto it = t.begin(); it != t.end(); ++it)
            if (std::find(conds.begin(), conds.end(), it.key()) == conds.end())
                expand_target(it.value(), star, conds, out, depth + 1);
    }
    // null: explicitly not exported
}

}  // namespace

// Targets for `key` ("." / "./x" for exports, "#x" for imports) in preference order; nullopt if
// no key matches.
std::optional<std::vector<std::string>> map_targets(const Json& map, const std::string& key,
                                                    const std::vector<std::string>& conds) {
    std::vector<std::string> out;
    const bool keyed = map.is_object() && !map.empty() && !map.begin().key().empty() &&
                       (map.begin().key()[0] == '.' || map.begin().key()[0] == '#');
    if (!keyed) {  // sugar: the whole value is ".".
        if (key != ".") return std::nullopt;
        expand_target(map, nullptr, conds, out, 0);
        return out;
    }
    if (auto it = map.find(key); it != map.end() && key.find('*') == std::string::npos) {
        expand_target(*it, nullptr, conds, out, 0);
        return out;
    }
    const Json* best = nullptr;
    std::string best_key, best_star;
    bool best_folder = false;
    for (auto it = map.begin(); it != map.end(); ++it) {
        const std::string& k = it.key();
        const size_t best_prefix = best ? (best_folder ? best_key.size() : best_key.find('*')) : 0;
        const size_t star = k.find('*');
        if (star != std::string::npos) {
            if (k.find('*', star + 1) != std::string::npos) continue;
            const std::string_view prefix = std::string_view(k).substr(0, star), suffix = std::string_view(k).substr(star + 1);
            if (!std::string_view(key).starts_with(prefix) || key.size() < prefix.size() + suffix.size() ||
                !std::string_view(key).ends_with(suffix) || key.size() == prefix.size())
                continue;
            if (!best || prefix.size() > best_prefix || (prefix.size() == best_prefix && k.size() > best_key.size())) {
                best = &it.value();
                best_key = k;
                best_star = key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
                best_folder = false;
            }
        } else if (k.size() > 1 && k.back() == '/' && key.starts_with(k)) {  // legacy folder mapping
            if (!best || k.size() > best_prefix) {
                best = &it.value();
                best_key = k;
                best_star = key.substr(k.size());
                best_folder = true;
            }
        }
    }
    if (!best) return std::nullopt;
    if (best_folder) {
        expand_target(*best, nullptr, conds, out, 0);
        for (auto& t : out)
            if (!t.empty() && t.back() == '/') t += best_star;
            else t.clear();
        out.erase(std::remove(out.begin(), out.end(), std::string{}), out.end());
    } else {
        expand_target(*best, &best_star, conds, out, 0);
    }
    return out;
}

bool is_output_dir(std::string_view s) {
    return s == "dist" || s == "build" || s == "lib" || s == "out" || s == "esm" || s == "cjs";
}
bool is_output_flavor(std::string_view s) {
    return s == "esm" || s == "cjs" || s == "mjs" || s == "es" || s == "module" || s == "types" || s == "src" ||
           s == "node" || s == "browser";
}

}  // namespace tsresolve

using namespace tsresolve;

std::string ModuleResolver::Impl::strip_output_extension(std::string p) {
    const std::string_view name = basename_of(p);
    for (const char* d : kDeclSuffixes)
        if (name.ends_with(d)) return p.substr(0, p.size() - std::string_view(d).size());
    if (const auto ext = extension_of(name); one_of(ext, kJsExts)) p.resize(p.size() - ext.size());
    return p;
}

std::optional<std::string> ModuleResolver::Impl::source_for_target(const std::string& pkgdir, const std::string& target) {
    if (auto f = file_or_index(target, false)) return f;
    if (!is_under(target, pkgdir) || target == pkgdir) return std::nullopt;
    if (auto f = source_by_tsconfig(pkgdir, target)) return f;
    const std::string stem = strip_output_extension(target);
    const std::string rel = stem.substr(pkgdir == "/" ? 1 : pkgdir.size() + 1);
    const auto segs = split_segments(rel);
    if (segs.size() < 2 || !is_output_dir(segs[0])) return std::nullopt;
    auto rest_from = [&](size_t k) {
        std::string r;
        for (size_t i = k; i < segs.size(); ++i) {
            if (!r.empty()) r += '/';
            r.append(segs[i]);
        }
        return r;
    };
    std::vector<std::string> cands = {"src/" + rest_from(1), rest_from(1)};
    if (segs.size() >= 3 && is_output_flavor(segs[1])) {
        cands.push_back("src/" + rest_from(2));
        cands.push_back(rest_from(2));
    }
    for (const auto& c : cands)
        if (auto f = file_or_index(child_of(pkgdir, c), false)) return f;
    return std::nullopt;
}

std::optional<std::string> ModuleResolver::Impl::source_by_tsconfig(const std::string& pkgdir, const std::string& target) {
    const std::string path = nearest_config(pkgdir);
    if (path.empty() || !is_under(parent_of(path), pkgdir)) return std::nullopt;
    const Config* top = load_config(path);
    if (!top) return std::nullopt;
    std::vector<const Config*> cfgs{top};
    for (const auto& ref : top->references)
        if (is_file(ref))
            if (const Config* r = load_config(ref)) cfgs.push_back(r);
    const std::string stem = strip_output_extension(target);
    for (const Config* c : cfgs) {
        const std::string root = !c->root_dir.empty() ? expand_config_dir(c->root_dir, c->root_dir_base, *c)
                                 : is_dir(child_of(c->dir, "src")) ? child_of(c->dir, "src")
                                                                   : c->dir;
        for (const auto* out : {&c->out_dir, &c->decl_dir}) {
            if (out->empty()) continue;
            const std::string od = expand_config_dir(*out, out == &c->out_dir ? c->out_dir_base : c->decl_dir_base, *c);
            if (!is_under(stem, od) || stem == od) continue;
            if (auto f = file_or_index(root + stem.substr(od.size()), false)) return f;
        }
    }
    return std::nullopt;
}

std::optional<std::string> ModuleResolver::Impl::first_entry(const std::string& pkgdir, const std::vector<std::string>& targets) {
    for (const auto& t : targets)
        if (auto f = source_for_target(pkgdir, join_path(pkgdir, t))) return f;
    for (const auto& t : targets)
        if (auto f = file_or_index(join_path(pkgdir, t), true)) return f;
    return std::nullopt;
}

std::vector<std::string> ModuleResolver::Impl::main_fields(const Json* pj) {
    std::vector<std::string> out;
    for (const char* f : kMainFields) {
        const std::string v = string_field(pj, f);
        if (!v.empty()) out.push_back(v);
    }
    return out;
}

std::vector<std::string> ModuleResolver::Impl::conditions(const Config* cfg) {
    std::vector<std::string> c;
    if (cfg) c = cfg->custom_conditions;
    for (const char* d : kDefaultConditions)
        if (std::find(c.begin(), c.end(), d) == c.end()) c.emplace_back(d);
    return c;
}

std::optional<std::string> ModuleResolver::Impl::resolve_in_package(const std::string& pkgdir, const std::string& sub, const Config* cfg,
                                              std::string& why) {
    const Json* pj = package_json(child_of(pkgdir, "package.json"));
    if (pj && pj->contains("exports")) {
        const std::string key = sub.empty() ? "." : "./" + sub;
        if (auto targets = map_targets((*pj)["exports"], key, conditions(cfg))) {
            if (auto f = first_entry(pkgdir, *targets)) return f;
            why = "exports maps '" + key + "' to " +
                  (targets->empty() ? std::string("nothing") : "'" + targets->front() + "'") +
                  " but no source or file exists";
        } else {
            why = "exports has no entry for '" + key + "'";
        }
    }
    if (sub.empty()) {
        if (auto f = first_entry(pkgdir, main_fields(pj))) return f;
        if (auto f = try_index(pkgdir, true)) return f;
        if (auto f = try_index(child_of(pkgdir, "src"), true)) return f;
    } else {
        if (auto f = load_path(join_path(pkgdir, sub))) return f;
        if (auto f = load_path(join_path(child_of(pkgdir, "src"), sub))) return f;
    }
    if (why.empty()) why = sub.empty() ? "no entry point" : "no file for '" + sub + "'";
    return std::nullopt;
}

}  // namespace querylens
