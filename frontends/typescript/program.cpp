#include "frontends/typescript/program.h"


namespace querylens {

namespace {
constexpr int kMaxResolveDepth = 24;  // import/re-export hops followed before giving up
}  // namespace

TsProgram::TsProgram(std::vector<TsFile>& files, const FileSystemView* fs) : files_(files), modules_(files.size()) {
    for (size_t i = 0; i < files_.size(); ++i) by_path_[files_[i].file->path()] = static_cast<int>(i);
    MemoryFileSystem own;  // no disk: the program's files and nothing else
    if (!fs) {
        for (const auto& f : files_) own.add_file(f.file->path(), {});
        fs = &own;
    }
    ModuleResolver resolver(*fs);
    for (size_t i = 0; i < files_.size(); ++i) {
        const TsFile& f = files_[i];
        auto add = [&](const std::string& spec) {
            if (spec.empty() || modules_[i].count(spec)) return;
            const ModuleResolution r = resolver.resolve(f.file->path(), spec);
            const auto it = r.resolved() ? by_path_.find(r.path) : by_path_.end();
            modules_[i][spec] = it == by_path_.end() ? -1 : it->second;
            if (it != by_path_.end() && it->second != static_cast<int>(i)) imported_.insert(it->second);
            if (!r.resolved() && !r.external() && !r.declaration_only) unresolved_.push_back({static_cast<int>(i), r});
        };
        for (const auto& [name, imp] : f.imports) add(imp.module);
        for (const auto& [name, exp] : f.exports) add(exp.module);
        for (const auto& m : f.star_exports) add(m);
    }
    config_problems_ = resolver.config_problem_list();
}

int TsProgram::resolve_module(int file, const std::string& spec) const {
    const auto it = modules_[file].find(spec);
    return it == modules_[file].end() ? -1 : it->second;
}

TsSymbol TsProgram::resolve_name(int file, const std::string& name, int depth) const {
    const TsFile& f = files_[file];
    auto it = f.imports.find(name);
    if (it == f.imports.end() || depth > kMaxResolveDepth) return {file, name};
    const int m = resolve_module(file, it->second.module);
    if (m < 0) return {-1, it->second.module + ":" + it->second.imported};
    if (it->second.imported == "*") return {m, "*"};
    return resolve_export(m, it->second.imported, depth + 1);
}

TsSymbol TsProgram::resolve_export(int file, const std::string& name, int depth) const {
    // Memoised: a barrel (`export * from` many modules) is searched once per name, whatever the
    // number of files importing through it. Lowering runs on several threads.
    const std::string key = std::to_string(file) + ':' + name;
    {
        std::shared_lock lock(export_cache_mutex_);
        if (auto it = export_cache_.find(key); it != export_cache_.end()) return it->second;
    }
    const TsSymbol found = resolve_export_uncached(file, name, depth);
    std::unique_lock lock(export_cache_mutex_);
    export_cache_.emplace(key, found);
    return found;
}

TsSymbol TsProgram::resolve_export_uncached(int file, const std::string& name, int depth) const {
    const TsFile& f = files_[file];
    if (depth > kMaxResolveDepth) return {file, name};
    auto it = f.exports.find(name);
    if (it != f.exports.end()) {
        if (it->second.module.empty()) return resolve_name(file, it->second.local, depth + 1);
        const int m = resolve_module(file, it->second.module);
        if (m < 0) return {-1, it->second.module + ":" + it->second.imported};
        if (it->second.imported == "*") return {m, "*"};
        return resolve_export(m, it->second.imported, depth + 1);
    }
    for (const auto& mod : f.star_exports) {
        const int m = resolve_module(file, mod);
        if (m < 0) continue;
        const TsSymbol s = resolve_export(m, name, depth + 1);
        if (s.file < 0) continue;
        const TsFile& t = files_[s.file];
        if (t.values.count(s.name) || t.function_by_name.count(s.name) || t.classes.count(s.name)) return s;
        // A constant of a file parsed only for its calls and constants (its values went with its tree).
        const auto c = t.constants.lower_bound(s.name);
        if (c != t.constants.end() && c->first.compare(0, s.name.size(), s.name) == 0 &&
            (c->first.size() == s.name.size() || c->first[s.name.size()] == '.'))
            return s;
    }
    return {file, name};
}

const TSNode* TsProgram::value_of(const TsSymbol& s) const {
    if (s.file < 0) return nullptr;
    auto it = files_[s.file].values.find(s.name);
    return it == files_[s.file].values.end() ? nullptr : &it->second;
}

std::string TsProgram::imported_name(int file, TSNode callee) const {
    callee = unwrap(callee);
    // `pg.index` with `import * as pg from 'drizzle-orm/pg-core'`: the package's `index`.
    if (is(callee, "member_expression") && is(unwrap(field(callee, "object")), "identifier")) {
        const TsSymbol ns = resolve_name(file, std::string(node_text(unwrap(field(callee, "object")), src(file))));
        if (ns.file < 0 && ns.name.size() > 2 && ns.name.compare(ns.name.size() - 2, 2, ":*") == 0)
            return std::string(node_text(field(callee, "property"), src(file)));
        return {};
    }
    if (!is(callee, "identifier")) return {};
    const std::string name(node_text(callee, src(file)));
    const TsSymbol s = resolve_name(file, name);
    if (s.file < 0) {
        const size_t colon = s.name.rfind(':');
        const std::string imported = s.name.substr(colon + 1);
        return imported == "default" ? name : imported;  // import postgres from 'postgres'
    }
    return name;
}

std::pair<int, int> TsProgram::resolve_callee(int file, TSNode callee, const std::string& cls) const {
    return resolve_callee(file, callee_of(callee, src(file)), cls);
}

std::pair<int, int> TsProgram::resolve_callee(int file, const TsCallee& callee, const std::string& cls) const {
    auto fn_in = [&](int f, const std::string& name) -> std::pair<int, int> {
        if (f < 0) return {-1, -1};
        auto it = files_[f].function_by_name.find(name);
        return it == files_[f].function_by_name.end() ? std::pair<int, int>{-1, -1} : std::pair<int, int>{f, it->second};
    };
    auto method_of = [&](int f, const std::string& type, const std::string& method) -> std::pair<int, int> {
        const TsSymbol c = resolve_name(f, type);
        if (c.file < 0) return {-1, -1};
        auto it = files_[c.file].classes.find(c.name);
        if (it == files_[c.file].classes.end()) return {-1, -1};
        auto m = it->second.methods.find(method);
        return m == it->second.methods.end() ? std::pair<int, int>{-1, -1} : std::pair<int, int>{c.file, m->second};
    };
    switch (callee.kind) {
        case TsCallee::None: return {-1, -1};
        case TsCallee::Name: {
            const TsSymbol sym = resolve_name(file, callee.name);
            return fn_in(sym.file, sym.name);
        }
        case TsCallee::This: return cls.empty() ? std::pair<int, int>{-1, -1} : method_of(file, cls, callee.name);
        case TsCallee::ThisField: {
            // this.leaderService.getStats(): the field's declared type names the class.
            if (cls.empty()) return {-1, -1};
            auto c = files_[file].classes.find(cls);
            if (c == files_[file].classes.end()) return {-1, -1};
            auto t = c->second.field_types.find(callee.object);
            if (t == c->second.field_types.end()) return {-1, -1};
            std::string type = t->second;
            const size_t cut = type.find_first_of("<|&[ ");
            if (cut != std::string::npos) type = type.substr(0, cut);
            return method_of(file, type, callee.name);
        }
        case TsCallee::Member: break;
    }
    const TsSymbol sym = resolve_name(file, callee.object);
    if (sym.file < 0) return {-1, -1};
    if (sym.name == "*") {
        const TsSymbol target = resolve_export(sym.file, callee.name);
        return fn_in(target.file, target.name);
    }
    if (auto r = fn_in(sym.file, sym.name + "." + callee.name); r.first >= 0) return r;  // object-literal method
    if (files_[sym.file].classes.count(sym.name)) return method_of(sym.file, sym.name, callee.name);  // static
    if (auto i = files_[sym.file].instances.find(sym.name); i != files_[sym.file].instances.end())  // const svc = new Service()
        return method_of(sym.file, i->second, callee.name);
    return {-1, -1};
}

bool TsProgram::calls(int file, TSNode expr, const std::string& fn) const {
    return is(expr, "call_expression") && imported_name(file, field(expr, "function")) == fn;
}

}  // namespace querylens
