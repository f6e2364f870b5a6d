#include "analyzer/ts_project.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "analyzer/parallel.h"
#include "analyzer/schema_builder.h"
#include "analyzer/sql_ast.h"
#include "analyzer/sql_queries.h"
#include "analyzer/ts_lower.h"
#include "parsers/sql_parser.h"

namespace querylens {

struct TypeScriptAnalysis::Impl {
    std::vector<TsFile>& files;
    std::map<std::string, int> by_path;  // shown path -> file index
    LoweringContext lowering;

    explicit Impl(std::vector<TsFile>& f) : files(f), lowering(f) {
        for (size_t i = 0; i < files.size(); ++i) by_path[files[i].file->path()] = static_cast<int>(i);
        lowering.resolve_module = [this](int file, const std::string& spec) { return resolve_module(file, spec); };
    }

    int resolve_module(int file, const std::string& spec) const {
        if (spec.empty() || (spec[0] != '.' && spec[0] != '/')) return -1;  // a package
        namespace fs = std::filesystem;
        const fs::path dir = fs::path(files[file].file->path()).parent_path();
        std::string base = (dir / spec).lexically_normal().generic_string();
        for (const char* js : {".js", ".mjs", ".cjs", ".jsx"}) {
            const std::string ext = js;
            if (base.size() > ext.size() && base.compare(base.size() - ext.size(), ext.size(), ext) == 0) {
                base.erase(base.size() - ext.size());
                break;
            }
        }
        for (const char* suffix : {"", ".ts", ".tsx", ".mts", ".cts", "/index.ts", "/index.tsx"}) {
            auto it = by_path.find(base + suffix);
            if (it != by_path.end()) return it->second;
        }
        return -1;
    }
};

TypeScriptAnalysis::TypeScriptAnalysis(std::vector<TsFile>& files) : impl_(std::make_unique<Impl>(files)) {}
TypeScriptAnalysis::~TypeScriptAnalysis() = default;

void TypeScriptAnalysis::add_schema(SchemaModel& schema, std::vector<Diagnostic>& diags) {
    auto& L = impl_->lowering;
    L.find_tables();
    SchemaModel drizzle;
    // Enums first, then tables, then their indexes and constraints (which may name other tables).
    for (int pass = 0; pass < 3; ++pass) {
        for (const auto& lowered : L.lower_schema(pass)) {
            ParsedSql parsed = parse_sql(lowered.sql);
            const SourceFile derived(lowered.sql, *impl_->files[lowered.file].file, lowered.segments);
            for (const auto& st : parsed.statements) apply_sql_statement(drizzle, st, derived);
        }
    }
    for (auto& [name, e] : drizzle.enums) schema.enums.emplace(name, e);
    for (auto& [name, t] : drizzle.tables) {
        Table* sql = schema.find_table(name);
        if (!sql) {
            schema.tables.emplace(name, t);
            continue;
        }
        // Both define it: the migrations are what the database has; report what disagrees.
        auto index_key = [](const Index& i) {
            std::string k = i.unique ? "unique " : "";
            for (const auto& key : i.keys) k += (key.column.empty() ? key.expression : key.column) + ",";
            return k + (i.partial() ? " where " + i.predicate_sql : "");
        };
        std::set<std::string> sql_indexes;
        for (const auto& i : sql->indexes) sql_indexes.insert(index_key(i));
        for (const auto& i : t.indexes) {
            if (i.origin != IndexOrigin::Index || sql_indexes.count(index_key(i))) continue;
            diags.push_back({"schema-drift", i.loc,
                             "index " + i.name + " on " + display_name(name) +
                                 " is declared in the Drizzle schema but no migration creates it: generate a migration"});
        }
        for (const auto& fk : t.foreign_keys) {
            for (const auto& sfk : sql->foreign_keys) {
                if (sfk.columns != fk.columns) continue;
                if (sfk.on_delete != fk.on_delete) {
                    auto show = [](FkAction a) { return a == FkAction::None ? std::string("none") : std::string(to_sql(a)); };
                    diags.push_back({"schema-drift", fk.loc,
                                     "ON DELETE of " + display_name(name) + "(" + fk.columns.front() + ") is " +
                                         show(fk.on_delete) + " in the Drizzle schema but " + show(sfk.on_delete) +
                                         " in the migrations (" + sfk.loc.file + ":" + std::to_string(sfk.loc.line) +
                                         "): generate a migration"});
                }
            }
        }
    }
}

void TypeScriptAnalysis::add_queries(const SchemaModel& schema, QueryInventory& inv, std::vector<Diagnostic>& diags,
                                     unsigned jobs) {
    auto& files = impl_->files;
    const auto& L = impl_->lowering;
    // Global ids for functions and loops.
    std::vector<int> fbase(files.size()), lbase(files.size());
    for (size_t i = 0; i < files.size(); ++i) {
        const TsFile& f = files[i];
        for (const auto& e : f.errors)
            diags.push_back({"parse-error", f.file->at(e.offset), "TypeScript syntax error: " + e.message +
                                                                       " (the rest of the file is still analysed)"});
        fbase[i] = static_cast<int>(inv.functions.size());
        for (const auto& fn : f.functions) inv.functions.push_back({fn.name, f.file->at(fn.offset), {}, {}});
        lbase[i] = static_cast<int>(inv.loops.size());
        for (const auto& l : f.loops) inv.loops.push_back({l.kind, f.file->at(l.offset), l.bounded, l.exits_early});
    }
    // Per file, in parallel: everything here only reads the trees, the schema and the lowering
    // context; results are merged in file order below.
    struct FileOut {
        std::vector<CallSite> calls;
        std::vector<Query> queries;
        std::vector<Diagnostic> diags;
    };
    std::vector<FileOut> outs(files.size());
    parallel_for(files.size(), jobs, [&](size_t i) {
        const TsFile& f = files[i];
        FileOut& out = outs[i];
        for (const auto& site : f.sites) {
            const int caller = fbase[i] + site.function;
            const int loop = site.loop >= 0 ? lbase[i] + site.loop : -1;
            if (site.kind == TsSiteKind::Call || site.kind == TsSiteKind::CallbackRef) {
                TSNode callee = site.kind == TsSiteKind::Call ? field(site.node, "function") : site.node;
                const auto target = L.resolve_callee(static_cast<int>(i), callee, f.functions[site.function].cls);
                if (target.first >= 0)
                    out.calls.push_back({caller, fbase[target.first] + target.second, f.file->at(ts_node_start_byte(site.node)), loop});
                continue;
            }
            std::vector<LoweredQuery> lowered;
            if (!L.lower_query(static_cast<int>(i), site, lowered)) continue;
            for (auto& lq : lowered) {
                ParsedSql parsed = parse_sql(lq.sql);
                const SourceFile derived(lq.sql, *f.file, lq.segments);
                for (const auto& e : parsed.errors)
                    out.diags.push_back({"parse-error", derived.at(e.offset), "SQL in TypeScript: " + e.message});
                std::vector<Query> qs;
                for (const auto& st : parsed.statements) extract_sql_queries(st, derived, schema, qs);
                for (auto& q : qs) {
                    q.origin = lq.origin;
                    q.api = lq.api;
                    q.function = caller;
                    q.loop = loop;
                    q.loc = f.file->span(ts_node_start_byte(site.node), ts_node_end_byte(site.node));
                    q.sql = lq.sql;
                    q.code_names = lq.code_names;
                    out.queries.push_back(std::move(q));
                }
            }
        }
    });
    for (auto& out : outs) {
        for (auto& d : out.diags) diags.push_back(std::move(d));
        for (auto& c : out.calls) {
            inv.functions[c.caller].calls.push_back(static_cast<int>(inv.calls.size()));
            inv.calls.push_back(std::move(c));
        }
        for (auto& q : out.queries) {
            inv.functions[q.function].queries.push_back(static_cast<int>(inv.queries.size()));
            inv.queries.push_back(std::move(q));
        }
    }
}

}  // namespace querylens
