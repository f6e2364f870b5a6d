// tsconfig.json / jsconfig.json for ModuleResolver: the nearest config, `extends` (relative,
// package, array), inheritance of the options the resolver uses, and the config that governs a
// file (solution-style roots hand it to a referenced project).
#include <algorithm>
#include <string_view>

#include "frontends/typescript/module_resolver_impl.h"

namespace querylens {

using namespace tsresolve;

std::string ModuleResolver::Impl::nearest_config(const std::string& dir) {
    return nearest_up(nearest_config_cache, dir, [&](const std::string& d) {
        const std::string ts = child_of(d, "tsconfig.json"), js = child_of(d, "jsconfig.json");
        if (is_file(ts)) return ts;
        if (is_file(js)) return js;
        return std::string{};
    });
}

std::optional<std::string> ModuleResolver::Impl::config_file_at(const std::string& p) {
    if (is_file(p)) return p;
    if (!p.ends_with(".json") && is_file(p + ".json")) return p + ".json";
    if (is_dir(p) && is_file(child_of(p, "tsconfig.json"))) return child_of(p, "tsconfig.json");
    return std::nullopt;
}

std::optional<std::string> ModuleResolver::Impl::resolve_extends(const std::string& spec, const std::string& dir) {
    if (spec.empty()) return std::nullopt;
    if (is_relative_spec(spec)) return config_file_at(join_path(dir, spec));
    auto [name, sub] = split_package(spec);
    const auto pkg = find_package(name, dir);
    if (!pkg) return std::nullopt;
    const Json* pj = package_json(child_of(pkg->dir, "package.json"));
    if (pj && pj->contains("exports")) {
        static const std::vector<std::string> conds(std::begin(kDefaultConditions), std::end(kDefaultConditions));
        if (auto targets = map_targets((*pj)["exports"], sub.empty() ? "." : "./" + sub, conds))
            for (const auto& t : *targets)
                if (auto f = config_file_at(join_path(pkg->dir, t))) return f;
    }
    if (sub.empty()) {
        const std::string field = string_field(pj, "tsconfig");
        if (!field.empty())
            if (auto f = config_file_at(join_path(pkg->dir, field))) return f;
        return config_file_at(child_of(pkg->dir, "tsconfig.json"));
    }
    return config_file_at(join_path(pkg->dir, sub));
}

void ModuleResolver::Impl::inherit(Config& c, const Config& b) {
    if (b.has_base_url) {
        c.has_base_url = true;
        c.base_url = b.base_url;
        c.base_url_dir = b.base_url_dir;
    }
    if (b.has_paths) {
        c.has_paths = true;
        c.paths = b.paths;
        c.paths_dir = b.paths_dir;
    }
    if (!b.custom_conditions.empty()) c.custom_conditions = b.custom_conditions;
    if (!b.out_dir.empty()) c.out_dir = b.out_dir, c.out_dir_base = b.out_dir_base;
    if (!b.root_dir.empty()) c.root_dir = b.root_dir, c.root_dir_base = b.root_dir_base;
    if (!b.decl_dir.empty()) c.decl_dir = b.decl_dir, c.decl_dir_base = b.decl_dir_base;
    if (b.files) {
        c.files = b.files;
        c.files_dir = b.files_dir;
    }
    if (b.include) {
        c.include = b.include;
        c.include_dir = b.include_dir;
    }
}

auto ModuleResolver::Impl::load_config(const std::string& path, std::vector<std::string>& chain) -> const Config* {
    if (auto it = configs.find(path); it != configs.end()) return it->second.get();
    if (std::find(chain.begin(), chain.end(), path) != chain.end()) {
        std::string cycle;
        for (const auto& c : chain) cycle += display(c) + " -> ";
        problem(chain.back(), 0, "extends cycle: " + cycle + display(path));
        return nullptr;
    }
    if (static_cast<int>(chain.size()) >= kMaxExtendsDepth) {
        problem(chain.back(), 0, "extends chain deeper than " + std::to_string(kMaxExtendsDepth) + " configs; stopped");
        return nullptr;
    }
    auto cfg = std::make_unique<Config>();
    cfg->path = path;
    cfg->dir = parent_of(path);
    chain.push_back(path);
    const auto text = read(path);
    std::optional<Json> j;
    if (!text)
        problem(path, 0, "cannot read");
    else
        j = parse_json(path, *text);
    if (!j) {
        cfg->ok = false;
    } else {
        if (auto ext = j->find("extends"); ext != j->end()) {
            for (const auto& e : string_list(*ext)) {
                auto target = resolve_extends(e, cfg->dir);
                if (!target) {
                    problem(path, line_of_key(*text, "extends"), "extends '" + e + "' not found");
                    continue;
                }
                if (const Config* b = load_config(*target, chain)) inherit(*cfg, *b);
            }
        }
        if (auto co = j->find("compilerOptions"); co != j->end() && co->is_object()) {
            if (auto b = co->find("baseUrl"); b != co->end() && b->is_string()) {
                cfg->has_base_url = true;
                cfg->base_url = b->get<std::string>();
                cfg->base_url_dir = cfg->dir;
            }
            if (auto p = co->find("paths"); p != co->end() && p->is_object()) {
                cfg->has_paths = true;
                cfg->paths.clear();
                cfg->paths_dir = cfg->dir;
                for (auto it = p->begin(); it != p->end(); ++it) {
                    const auto& k = it.key();
                    const size_t star = k.find('*');
                    if (star != std::string::npos && k.find('*', star + 1) != std::string::npos) {
                        problem(path, line_of_key(*text, k), "paths pattern '" + k + "' has more than one '*'; ignored");
                        continue;
                    }
                    cfg->paths.emplace_back(k, string_list(it.value()));
                }
            }
            if (auto c = co->find("customConditions"); c != co->end()) cfg->custom_conditions = string_list(*c);
            auto dir_option = [&](const char* key, std::string& value, std::string& base_dir) {
                if (auto o = co->find(key); o != co->end() && o->is_string() && !o->get<std::string>().empty()) {
                    value = o->get<std::string>();
                    base_dir = cfg->dir;
                }
            };
            dir_option("outDir", cfg->out_dir, cfg->out_dir_base);
            dir_option("rootDir", cfg->root_dir, cfg->root_dir_base);
            dir_option("declarationDir", cfg->decl_dir, cfg->decl_dir_base);
        }
        if (auto f = j->find("files"); f != j->end() && f->is_array()) {
            cfg->files = string_list(*f);
            cfg->files_dir = cfg->dir;
        }
        if (auto inc = j->find("include"); inc != j->end() && inc->is_array()) {
            cfg->include = string_list(*inc);
            cfg->include_dir = cfg->dir;
        }
        if (auto refs = j->find("references"); refs != j->end() && refs->is_array()) {
            for (const auto& r : *refs) {
                if (!r.is_object() || !r.contains("path") || !r["path"].is_string()) continue;
                std::string p = join_path(cfg->dir, r["path"].get<std::string>());
                if (is_dir(p)) p = child_of(p, "tsconfig.json");
                else if (!is_file(p) && !p.ends_with(".json") && is_file(p + ".json")) p += ".json";
                cfg->references.push_back(p);
            }
        }
    }
    chain.pop_back();
    const Config* raw = cfg.get();
    configs[path] = std::move(cfg);
    return raw;
}

auto ModuleResolver::Impl::load_config(const std::string& path) -> const Config* {
    std::vector<std::string> chain;
    return load_config(path, chain);
}

std::string ModuleResolver::Impl::expand_config_dir(const std::string& raw, const std::string& own_dir, const Config& governing) {
    static const std::string kVar = "${configDir}";
    if (raw.starts_with(kVar)) return join_path(governing.dir, "./" + raw.substr(kVar.size()));
    return join_path(own_dir, raw);
}

bool ModuleResolver::Impl::config_includes(const Config& c, const std::string& file) {
    if (c.files)
        for (const auto& f : *c.files)
            if (expand_config_dir(f, c.files_dir, c) == file) return true;
    if (!c.include) return !c.files && is_under(file, c.dir);
    for (const auto& inc : *c.include) {
        const std::string pat = expand_config_dir(inc, c.include_dir, c);
        if (!has_wildcard(pat)) {
            if (is_under(file, pat)) return true;
            continue;
        }
        auto ps = split_segments(pat), fsg = split_segments(file);
        if (glob_match_segments(ps, fsg)) return true;
        ps.push_back("**");  // "src/*" style directory patterns also cover what is below
        ps.push_back("*");
        if (!has_wildcard(basename_of(pat)) && glob_match_segments(ps, fsg)) return true;
    }
    return false;
}

bool ModuleResolver::Impl::solution_style(const Config& c) {
    return c.files && c.files->empty() && (!c.include || c.include->empty()) && !c.references.empty();
}

auto ModuleResolver::Impl::governing(const std::string& file) -> const Config* {
    if (auto it = governing_cache.find(file); it != governing_cache.end()) return it->second;
    const Config* cfg = nullptr;
    const std::string path = nearest_config(parent_of(file));
    if (!path.empty()) cfg = load_config(path);
    for (int depth = 0; cfg && solution_style(*cfg) && depth < kMaxReferenceDepth; ++depth) {
        const Config* chosen = nullptr;
        const Config* longest = nullptr;
        for (const auto& ref : cfg->references) {
            if (!is_file(ref)) {
                problem(cfg->path, 0, "referenced project '" + display(ref) + "' not found");
                continue;
            }
            const Config* r = load_config(ref);
            if (!r || r == cfg) continue;
            if (!chosen && config_includes(*r, file)) chosen = r;
            if (is_under(file, r->dir) && (!longest || r->dir.size() > longest->dir.size())) longest = r;
        }
        if (!chosen) chosen = longest;
        if (!chosen) break;
        cfg = chosen;
    }
    governing_cache[file] = cfg;
    return cfg;
}

}  // namespace querylens
