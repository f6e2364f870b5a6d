#include "frontends/typescript/module_resolver.h"

#include <string_view>
#include <utility>

#include "frontends/typescript/module_resolver_impl.h"

namespace querylens {

using namespace tsresolve;

// --- file system (cached), shown paths, problems, JSON files -------------------------------------

ModuleResolver::Impl::Impl(const FileSystemView& f) : fs(f), base(normalize_abs(f.base_dir().empty() ? "/" : f.base_dir())) {}

bool ModuleResolver::Impl::is_file(const std::string& p) {
    auto it = file_cache.find(p);
    if (it != file_cache.end()) return it->second;
    ++stats.fs_queries;
    return file_cache[p] = fs.is_file(p);
}

bool ModuleResolver::Impl::is_dir(const std::string& p) {
    auto it = dir_cache.find(p);
    if (it != dir_cache.end()) return it->second;
    ++stats.fs_queries;
    return dir_cache[p] = fs.is_dir(p);
}

std::optional<std::string> ModuleResolver::Impl::read(const std::string& p) {
    ++stats.fs_queries;
    ++stats.files_read;
    return fs.read(p);
}

std::string ModuleResolver::Impl::absolute(const std::string& p) const {
    return !p.empty() && p[0] == '/' ? normalize_abs(p) : join_path(base, p);
}

std::string ModuleResolver::Impl::display(const std::string& abs) const {
    if (base == "/") return abs.size() > 1 ? abs.substr(1) : abs;
    if (abs.size() > base.size() && is_under(abs, base)) return abs.substr(base.size() + 1);
    return abs;
}

std::string ModuleResolver::Impl::in_form_of(const std::string& importer, const std::string& abs) const {
    return importer.empty() || importer[0] != '/' ? display(abs) : abs;
}

void ModuleResolver::Impl::problem(const std::string& path, int line, const std::string& msg) {
    ConfigProblem p{display(path), line, msg};
    std::string s = p.text();
    if (!problem_set.insert(s).second) return;
    problems.push_back(std::move(s));
    problem_list.push_back(std::move(p));
}

std::optional<Json> ModuleResolver::Impl::parse_json(const std::string& path, const std::string& text) {
    const std::string clean = strip_jsonc(text);
    try {
        Json j = Json::parse(clean);
        if (!j.is_object()) {
            problem(path, 1, "not a JSON object");
            return std::nullopt;
        }
        return j;
    } catch (const Json::parse_error& e) {
        problem(path, line_at(clean, e.byte > 0 ? e.byte - 1 : 0), "invalid JSON: " + short_json_error(e.what()));
    } catch (const Json::exception& e) {
        problem(path, 0, std::string("invalid JSON: ") + e.what());
    }
    return std::nullopt;
}

const Json* ModuleResolver::Impl::package_json(const std::string& path) {
    auto it = json_cache.find(path);
    if (it == json_cache.end()) {
        std::optional<Json> j;
        if (is_file(path))
            if (auto text = read(path)) j = parse_json(path, *text);
        it = json_cache.emplace(path, std::move(j)).first;
    }
    return it->second ? &*it->second : nullptr;
}

// --- files ------------------------------------------------------------------------------------------

void ModuleResolver::Impl::note_declaration(const std::string& p) {
    if (decl_hint.empty() && is_file(p)) decl_hint = p;
}

std::optional<std::string> ModuleResolver::Impl::with_extension(const std::string& stem, bool allow_js) {
    for (const char* e : kTsExts)
        if (is_file(stem + e)) return stem + e;
    if (allow_js)
        for (const char* e : kJsExts)
            if (is_file(stem + e)) return stem + e;
    return std::nullopt;
}

std::optional<std::string> ModuleResolver::Impl::try_file(const std::string& p, bool allow_js) {
    const std::string_view name = basename_of(p);
    if (is_declaration(name)) {
        note_declaration(p);
        const std::string_view ext = extension_of(name);  // ".ts" of ".d.ts": try the source sibling
        return with_extension(p.substr(0, p.size() - ext.size() - 2), false);
    }
    const std::string_view ext = extension_of(name);
    if (one_of(ext, kTsExts)) return is_file(p) ? std::optional<std::string>(p) : std::nullopt;
    if (one_of(ext, kJsExts)) {
        const std::string stem = p.substr(0, p.size() - ext.size());
        std::vector<const char*> twins;
        if (ext == ".js") twins = {".ts", ".tsx"};
        else if (ext == ".jsx") twins = {".tsx", ".ts"};
        else if (ext == ".mjs") twins = {".mts"};
        else twins = {".cts"};
        for (const char* t : twins)
            if (is_file(stem + t)) return stem + t;
        if (allow_js && is_file(p)) return p;
        note_declaration(stem + ".d.ts");
    }
    if (auto f = with_extension(p, allow_js)) return f;
    if (!ext.empty() && !one_of(ext, kJsExts) && is_file(p)) return p;
    note_declaration(p + ".d.ts");
    return std::nullopt;
}

std::optional<std::string> ModuleResolver::Impl::try_index(const std::string& dir, bool allow_js) {
    if (!is_dir(dir)) return std::nullopt;
    const std::string stem = child_of(dir, "index");
    if (auto f = with_extension(stem, allow_js)) return f;
    note_declaration(stem + ".d.ts");
    return std::nullopt;
}

std::optional<std::string> ModuleResolver::Impl::file_or_index(const std::string& p, bool allow_js) {
    if (auto f = try_file(p, allow_js)) return f;
    return try_index(p, allow_js);
}

std::optional<std::string> ModuleResolver::Impl::load_path(const std::string& p) {
    if (auto f = try_file(p, true)) return f;
    if (!is_dir(p)) return std::nullopt;
    const std::string pj_path = child_of(p, "package.json");
    if (is_file(pj_path))
        if (auto f = first_entry(p, main_fields(package_json(pj_path)))) return f;
    return try_index(p, true);
}

// --- specifiers ---------------------------------------------------------------------------------------

auto ModuleResolver::Impl::with_decl_hint(Result r) -> Result {
    if (r.kind == Kind::NotFound && !decl_hint.empty()) {
        r.reason += " (only the declaration file '" + display(decl_hint) + "' exists; declarations are not sources)";
        // `types/global.d.ts`: hand-written types. Declarations in a build output folder stand for
        // built code that is not there (a package not built yet): that is a miss.
        bool built = false;
        for (const char* d : {"/dist/", "/build/", "/out/", "/lib/", "/typings/"}) built = built || decl_hint.find(d) != std::string::npos;
        r.declaration_only = !built;
    }
    return r;
}

auto ModuleResolver::Impl::resolve_package(const std::string& spec, const std::string& dir, const Config* cfg,
                                           const std::string& alias_why) -> Result {
    auto [name, sub] = split_package(spec);
    if (!alias_why.empty() && (spec.starts_with("@/") || spec.starts_with("~/"))) return miss(Kind::NotFound, alias_why);
    if (name.empty() || name[0] == '~' || name.starts_with("@/") || (name[0] == '@' && name.find('/') == std::string::npos))
        return miss(Kind::NotFound, alias_why.empty() ? "no tsconfig paths alias matches '" + spec +
                                                            "' and it is not a valid package name"
                                                      : alias_why);
    const auto pkg = find_package(name, dir);
    if (!pkg || pkg->installed) {
        if (is_node_builtin(name)) return miss(Kind::Builtin, "node builtin '" + spec + "'");
        if (!alias_why.empty()) return miss(Kind::NotFound, alias_why);
        return miss(Kind::ExternalPackage,
                    pkg ? "package '" + name + "' is an installed dependency in node_modules, not a workspace package"
                        : "package '" + name + "' is not a workspace package");
    }
    std::string why;
    if (auto f = resolve_in_package(pkg->dir, sub, cfg, why)) return found(*f);
    return miss(Kind::NotFound, "workspace package '" + name + "' (" + display(pkg->dir) + "): " + why);
}

auto ModuleResolver::Impl::resolve_bare(const std::string& spec, const std::string& dir, const Config* cfg) -> Result {
    std::string alias_why;
    if (cfg && cfg->has_paths) {
        const std::pair<std::string, std::vector<std::string>>* best = nullptr;
        std::string star;
        size_t best_prefix = 0;
        for (const auto& entry : cfg->paths)
            if (entry.first == spec) {
                best = &entry;
                break;
            }
        if (!best)
            for (const auto& entry : cfg->paths) {
                const std::string& k = entry.first;
                const size_t s = k.find('*');
                if (s == std::string::npos) continue;
                const std::string_view prefix = std::string_view(k).substr(0, s), suffix = std::string_view(k).substr(s + 1);
                if (spec.size() < prefix.size() + suffix.size() || !std::string_view(spec).starts_with(prefix) ||
                    !std::string_view(spec).ends_with(suffix))
                    continue;
                if (!best || prefix.size() > best_prefix) {
                    best = &entry;
                    best_prefix = prefix.size();
                    star = spec.substr(prefix.size(), spec.size() - prefix.size() - suffix.size());
                }
            }
        if (best) {
            const std::string base_dir = cfg->has_base_url ? expand_config_dir(cfg->base_url, cfg->base_url_dir, *cfg)
                                                           : cfg->paths_dir;
            std::string tried;
            for (const auto& subst : best->second) {
                std::string s = subst;
                if (const size_t k = s.find('*'); k != std::string::npos && best->first.find('*') != std::string::npos)
                    s.replace(k, 1, star);
                if (auto f = load_path(expand_config_dir(s, base_dir, *cfg))) return found(*f);
                tried += (tried.empty() ? "'" : ", '") + s + "'";
            }
            if (best->first != "*")
                alias_why = "no file for paths alias '" + spec + "' -> " + (tried.empty() ? "nothing" : tried) +
                            " (" + display(cfg->path) + ")";
        }
    }
    if (cfg && cfg->has_base_url)
        if (auto f = load_path(join_path(expand_config_dir(cfg->base_url, cfg->base_url_dir, *cfg), spec))) return found(*f);
    return resolve_package(spec, dir, cfg, alias_why);
}


auto ModuleResolver::Impl::resolve_hash(const std::string& spec, const std::string& dir, const Config* cfg) -> Result {
    const std::string pj_path = nearest_package_json(dir);
    const Json* pj = pj_path.empty() ? nullptr : package_json(pj_path);
    if (!pj || !pj->contains("imports"))
        return miss(Kind::NotFound, "no package.json 'imports' field for '" + spec + "'");
    const std::string pkgdir = parent_of(pj_path);
    auto targets = map_targets((*pj)["imports"], spec, conditions(cfg));
    if (!targets) return miss(Kind::NotFound, display(pj_path) + " 'imports' has no entry for '" + spec + "'");
    std::vector<std::string> local;
    for (const auto& t : *targets)
        if (t.starts_with("./") || t.starts_with("../") || t.starts_with("/")) local.push_back(t);
    if (auto f = first_entry(pkgdir, local)) return found(*f);
    for (const auto& t : *targets)
        if (!t.starts_with(".") && !t.starts_with("/")) {
            Result r = resolve_package(t, dir, cfg, {});
            if (r.kind != Kind::NotFound) return r;  // found, or an external package
        }
    return miss(Kind::NotFound, display(pj_path) + " 'imports' maps '" + spec + "' to " +
                                    (targets->empty() ? std::string("nothing") : "'" + targets->front() + "'") +
                                    " but no file exists");
}


auto ModuleResolver::Impl::compute(const std::string& dir, const Config* cfg, const std::string& spec) -> Result {
    Result r = compute_one(dir, cfg, spec);
    // Bundler and test-runner queries ("./worker?worker", "@/lib/x?isolated-test") name the file before '?'.
    if (const size_t q = spec.find('?'); r.kind != Kind::Resolved && r.kind != Kind::Url && q != std::string::npos && q > 0 && scheme_of(spec).empty())
        if (Result plain = compute_one(dir, cfg, spec.substr(0, q)); plain.kind == Kind::Resolved) r = std::move(plain);
    if (r.kind == Kind::Resolved && r.path.find("/node_modules/") != std::string::npos)  // e.g. paths "*": ["node_modules/*"]
        return miss(Kind::ExternalPackage,
                    "'" + spec + "' resolves into node_modules ('" + display(r.path) + "'), an installed dependency");
    return r;
}


auto ModuleResolver::Impl::compute_one(const std::string& dir, const Config* cfg, const std::string& spec) -> Result {
    decl_hint.clear();
    if (spec.empty()) return miss(Kind::NotFound, "empty specifier");
    if (const std::string scheme = scheme_of(spec); !scheme.empty()) {
        if (scheme == "node" || scheme == "bun") return miss(Kind::Builtin, scheme + " builtin '" + spec + "'");
        return miss(Kind::Url, "URL or scheme import '" + spec + "'");
    }
    if (is_relative_spec(spec)) {
        std::string p = join_path(dir, spec);
        if (auto f = load_path(p)) return found(*f);
        return with_decl_hint(miss(Kind::NotFound, "no file for '" + spec + "' from '" + display(dir) + "'"));
    }
    if (spec[0] == '#') return with_decl_hint(resolve_hash(spec, dir, cfg));
    return with_decl_hint(resolve_bare(spec, dir, cfg));
}


// --- the public interface ---------------------------------------------------------------------------

ModuleResolver::ModuleResolver(const FileSystemView& fs) : impl_(std::make_unique<Impl>(fs)) {}
ModuleResolver::~ModuleResolver() = default;

ModuleResolution ModuleResolver::resolve(const std::string& importer, const std::string& specifier) {
    Impl& I = *impl_;
    ++I.stats.resolve_calls;
    const std::string file = I.absolute(importer);
    std::string dir = parent_of(file);
    if (dir.empty()) dir = "/";
    const Impl::Config* cfg = I.governing(file);
    std::string key;
    key.reserve(dir.size() + specifier.size() + 64);
    key += dir;
    key += '\x1f';
    if (cfg) key += cfg->path;
    key += '\x1f';
    key += specifier;
    auto it = I.results.find(key);
    if (it != I.results.end()) {
        ++I.stats.result_cache_hits;
    } else {
        it = I.results.emplace(std::move(key), I.compute(dir, cfg, specifier)).first;
    }
    ModuleResolution out;
    out.kind = it->second.kind;
    out.reason = it->second.reason;
    out.declaration_only = it->second.declaration_only;
    if (out.kind == ModuleResolution::Kind::Resolved) out.path = I.in_form_of(importer, it->second.path);
    return out;
}

std::string ModuleResolver::tsconfig_for(const std::string& importer) {
    const std::string file = impl_->absolute(importer);
    const Impl::Config* cfg = impl_->governing(file);
    if (!cfg) return {};
    return impl_->in_form_of(importer, cfg->path);
}

const std::vector<std::string>& ModuleResolver::config_problems() const { return impl_->problems; }

const std::vector<ConfigProblem>& ModuleResolver::config_problem_list() const { return impl_->problem_list; }

std::string ConfigProblem::text() const {
    return file + (line > 0 ? ":" + std::to_string(line) : std::string{}) + ": " + message;
}

const ModuleResolver::Stats& ModuleResolver::stats() const { return impl_->stats; }

}  // namespace querylens