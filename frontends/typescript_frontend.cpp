#include "core/sql_text.h"
#include "frontends/typescript_frontend.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include "core/parallel.h"
#include "core/paths.h"
#include "frontends/drizzle/drizzle.h"
#include "frontends/raw_sql/raw_sql.h"
#include "frontends/typescript/program.h"
#include "frontends/typescript/syntax.h"
#include "sql/parser.h"
#include "sql/query_extractor.h"
#include "sql/schema_builder.h"

namespace querylens {

struct TypeScriptFrontend::Impl {
    std::unique_ptr<DiskFileSystem> disk;
    TsProgram program;
    DrizzleProgram drizzle;

    Impl(std::vector<TsFile>& files, const std::string& root)
        : disk(root.empty() ? nullptr : std::make_unique<DiskFileSystem>(root)), program(files, disk.get()), drizzle(program) {
        drizzle.discover();
    }

    // A query site lowered by the frontend that understands it.
    bool lower(int file, const TsSite& site, std::vector<LoweredQuery>& out) const {
        if (site.kind == TsSiteKind::Chain) return drizzle.lower_chain(file, site, out);
        auto w = drizzle.sql_writer(file);  // raw SQL may interpolate Drizzle tables and fragments
        w->set_default_origin(site.node);
        RawSqlQuery raw;
        const bool ok = site.kind == TsSiteKind::RawCall ? lower_raw_call(*w, site, raw)
                        : site.kind == TsSiteKind::Tagged ? lower_postgres_js(*w, site, raw)
                                                           : false;
        if (!ok) return false;
        LoweredQuery q;
        q.sql = w->take_sql();
        q.segments = w->take_segments();
        q.code_names = std::move(w->code_names);
        q.verbatim = w->verbatim();
        q.frontend = "raw-sql";
        q.api = std::move(raw.api);
        out.push_back(std::move(q));
        return true;
    }
};

TypeScriptFrontend::TypeScriptFrontend(std::vector<TsFile>& files, const std::string& root)
    : impl_(std::make_unique<Impl>(files, root)) {}
TypeScriptFrontend::~TypeScriptFrontend() = default;

void TypeScriptFrontend::add_diagnostics(std::vector<Diagnostic>& diags) const {
    const auto& files = impl_->program.files();
    for (const auto& [file, r] : impl_->program.unresolved())
        diags.push_back({"unresolved-import", Location{files[file].file->path(), 1, 1, 0, 0}, r.reason});
    for (const auto& p : impl_->program.module_config_problems())
        diags.push_back({"config", Location{p.file, static_cast<uint32_t>(p.line > 0 ? p.line : 1), 1, 0, 0}, p.message});
}

SchemaModel TypeScriptFrontend::declared_schema() const {
    SchemaModel declared;
    declared.source = "the Drizzle schema";
    const auto& files = impl_->program.files();
    // Enums first, then tables, then their indexes and constraints (which may name other tables).
    for (const auto& step : {impl_->drizzle.lower_enums(), impl_->drizzle.lower_tables(), impl_->drizzle.lower_constraints()}) {
        for (const auto& lowered : step) {
            ParsedSql parsed = parse_sql(lowered.sql);
            const SourceFile derived(lowered.sql, *files[lowered.file].file, lowered.segments);
            for (const auto& st : parsed.statements) apply_sql_statement(declared, st, derived);
        }
    }
    declared.partial_tables = impl_->drizzle.partial_tables();
    return declared;
}

namespace {

// The engine a text names: "postgres" for PostgreSQL's names, "other" for another engine's
// (`DbType.MYSQL`, `'sqlite'`, `isMariaDb`), "" for none.
std::string engine_named(std::string_view text) {
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* other : {"mysql", "mariadb", "sqlite", "mssql", "sqlserver", "oracle", "cockroach"})
        if (lower.find(other) != std::string::npos) return "other";
    for (const char* pg : {"postgres", "pg"})
        if (lower.find(pg) != std::string::npos) return "postgres";
    return "";
}

// Whether SQL text starts like a statement (not an expression fragment such as `now()`).
bool statement_text(const std::string& sql) {
    const auto words = leading_words(sql, 1);
    const std::string word = words.empty() ? "" : words[0];
    static const std::set<std::string> kStatements = {"CREATE", "ALTER", "DROP", "COMMENT", "INSERT", "UPDATE", "DELETE", "WITH",
                                                      "SELECT", "DO", "SET", "GRANT", "REVOKE", "TRUNCATE", "REFRESH", "VACUUM",
                                                      "ANALYZE", "REINDEX", "CLUSTER", "BEGIN", "COMMIT", "LOCK", "NOTIFY"};
    return kStatements.count(word) > 0;
}

// Whether a statement of a migration runs on another engine only: inside `case DbType.MYSQL:` of
// a switch on the database type, in the branch of `if (type === 'sqlite')`, or in the `else` of
// `if (isPostgres)`. Stops at the function.
bool other_engine_branch(TSNode n, const std::string& src) {
    for (TSNode child = n, p = ts_node_parent(n); !ts_node_is_null(p); child = p, p = ts_node_parent(p)) {
        if (is(p, "method_definition") || is(p, "function_declaration") || is(p, "arrow_function") || is(p, "function_expression"))
            return false;
        if (is(p, "switch_case")) {
            const std::string e = engine_named(node_text(field(p, "value"), src));
            if (!e.empty()) return e == "other";
        }
        if (is(p, "if_statement")) {
            const std::string e = engine_named(node_text(field(p, "condition"), src));
            const bool negated = node_text(field(p, "condition"), src).find('!') != std::string_view::npos;
            if (e.empty() || negated) continue;
            const bool in_then = ts_node_eq(child, field(p, "consequence"));
            if (in_then) return e == "other";
            if (e == "postgres") return true;  // the else of `if (isPostgres)`
        }
    }
    return false;
}

}  // namespace

std::vector<TypeScriptFrontend::CodeMigrationStatement> TypeScriptFrontend::code_migrations() const {
    std::vector<CodeMigrationStatement> out;
    const auto& files = impl_->program.files();
    for (size_t i = 0; i < files.size(); ++i) {
        const TsFile& f = files[i];
        if (!migration_path(f.file->path()) || f.other_engine) continue;
        for (const auto& site : f.sites) {
            if (site.kind != TsSiteKind::RawCall && site.kind != TsSiteKind::Tagged && site.kind != TsSiteKind::MigrationSql) continue;
            const std::string& fn = f.functions[site.function].name;
            // `up` / `Class.up` / `exports.up`; a statement handed to a helper may also be in the
            // module's own code or its default export (`export default async (connection) => {...}`).
            const bool up = fn == "up" || (fn.size() > 3 && fn.compare(fn.size() - 3, 3, ".up") == 0);
            if (!up && !(site.kind == TsSiteKind::MigrationSql && (fn == "<module>" || fn == "default"))) continue;
            if (other_engine_branch(site.node, f.file->text())) continue;
            auto w = impl_->drizzle.sql_writer(static_cast<int>(i));
            w->set_default_origin(site.node);
            if (site.kind == TsSiteKind::Tagged) {
                // Kysely's (and Drizzle's) sql`...`: `await sql\`CREATE TABLE ...\`.execute(db)`;
                // not a fragment inside a schema builder (`.expression(sql\`lower(name)\`)`).
                if (w->text(unwrap(field(site.node, "function"))) != "sql") continue;
                w->template_text(field(site.node, "arguments"));
                if (!statement_text(w->sql())) continue;
                out.push_back({f.file, w->take_sql(), w->take_segments(), w->runtime_statements()});
                continue;
            }
            const auto args = call_args(field(site.node, "arguments"));
            if (static_cast<size_t>(site.sql_arg) >= args.size()) continue;
            TSNode arg = args[site.kind == TsSiteKind::MigrationSql ? site.sql_arg : 0];
            if (is(unwrap(arg), "object")) arg = object_property(unwrap(arg), w->src(), "text");
            if (ts_node_is_null(arg) || !write_sql_text(*w, arg)) continue;
            out.push_back({f.file, w->take_sql(), w->take_segments(), w->runtime_statements()});
        }
    }
    return out;
}

namespace {

// Loops over a query's result: `const rows = await q; for (const r of rows)` (the latest such
// binding in the same function before the loop). `first` is the global index of the file's first
// query; `sites[k]` is the site of its k-th query.
void link_loop_sources(const TsFile& f, const std::vector<const TsSite*>& sites, int first, int lbase, QueryInventory& inv) {
    for (size_t l = 0; l < f.loops.size(); ++l) {
        const TsLoopDecl& decl = f.loops[l];
        if (decl.source.empty()) continue;
        const size_t dot = decl.source.find('.');
        const std::string root = decl.source.substr(0, dot), member = dot == std::string::npos ? "" : decl.source.substr(dot + 1);
        int found = -1;
        for (size_t k = 0; k < sites.size(); ++k) {
            const TsSite& s = *sites[k];
            if (s.function == decl.function && s.result == root && ts_node_start_byte(s.node) < decl.offset) found = static_cast<int>(k);
        }
        if (found < 0) continue;
        Loop& loop = inv.loops[lbase + static_cast<int>(l)];
        const bool first_only = sites[found]->result_first_only;
        if ((member.empty() || member == "rows") && first_only) continue;  // one row is not a list of rows
        loop.source_query = first + found;
        loop.source_children = !member.empty() && member != "rows";
    }
}

}  // namespace

namespace {

// An UPDATE whose `.set({ balance: a.balance - amount })` writes back a field of a row that an
// earlier select of the same function bound to `a`, on the same table and key, with no
// `.for('update')` on the read and no check of the row's value in the write's WHERE (optimistic
// locking): a read-modify-write that loses concurrent updates. `first`: global index of qs[0].
void link_read_modify_write(const TsFile& file, std::vector<Query>& qs, const std::vector<const TsSite*>& sites, int first) {
    auto table_of = [](const Query& q) { return q.first_table() ? q.first_table()->table : std::string(); };
    // The columns a query pins; a read's may be a list (`inArray(t.userId, ids)` reads the rows
    // a per-row write `eq(t.userId, id)` then changes).
    auto keys = [](const Query& q, bool lists) {
        std::set<std::string> out;
        for (const auto& p : q.predicates)
            if (!p.in_disjunction && (p.op == PredicateOp::Equal || (lists && p.op == PredicateOp::In)) && p.relation >= 0 &&
                q.relations[p.relation].block == 0)
                out.insert(p.column);
        return out;
    };
    // Whether select `r` can be the read write `w` computes from: an unlocked read of the same
    // table sharing a key with the write.
    // `by_row`: the write's WHERE takes the key from the row itself (`eq(t.id, lot.id)` for a row
    // `lot` of the read): it writes the very row read, whatever the read filtered on.
    auto feeds = [&](size_t r, size_t w, bool by_row = false) {
        if (qs[r].kind != StatementKind::Select || sites[r]->locking || table_of(qs[r]) != table_of(qs[w])) return false;
        if (by_row) return true;
        const auto rk = keys(qs[r], true), wk = keys(qs[w], false);
        return std::any_of(wk.begin(), wk.end(), [&](const std::string& c) { return rk.count(c) > 0; });
    };
    // Whether a call of the reading function, before the read, goes to a function of this file
    // that locks rows of the table (`await this.createWithQuotaCheck(data, tx)`, which selects the
    // organization `.for('update')` in the transaction it is handed): the read sees a locked row.
    auto locked_before = [&](size_t r) {
        const TsSite& rs = *sites[r];
        const std::string table = table_of(qs[r]);
        const std::string& cls = file.functions[rs.function].cls;
        for (const auto& c : file.sites) {
            if (c.kind != TsSiteKind::Call || c.function != rs.function || c.offset >= rs.offset) continue;
            int g = -1;
            if (c.callee.kind == TsCallee::This && !cls.empty()) {
                if (auto k = file.classes.find(cls); k != file.classes.end())
                    if (auto m = k->second.methods.find(c.callee.name); m != k->second.methods.end()) g = m->second;
            } else if (c.callee.kind == TsCallee::Name) {
                if (auto fn = file.function_by_name.find(c.callee.name); fn != file.function_by_name.end()) g = fn->second;
            }
            if (g < 0 || g == rs.function) continue;
            const TsFunctionDecl& gd = file.functions[g];
            for (size_t q = 0; q < qs.size(); ++q)
                if (sites[q]->locking && sites[q]->offset >= gd.offset && sites[q]->offset < gd.end && table_of(qs[q]) == table) return true;
        }
        return false;
    };
    for (size_t w = 0; w < qs.size(); ++w) {
        if (qs[w].kind != StatementKind::Update || (sites[w]->set_reads.empty() && sites[w]->set_calls.empty())) continue;
        std::vector<std::string> fields;  // the columns written back, in the order the code sets them
        for (const auto& [prop, ref] : sites[w]->set_reads) {
            const size_t dot = ref.find('.');
            const std::string var = ref.substr(0, dot), field = ref.substr(dot + 1);
            if (field != prop) continue;  // the same column read and written back
            // Optimistic locking: the write checks the row still holds what was read.
            if (!sites[w]->where_reads.empty() &&
                std::any_of(sites[w]->where_reads.begin(), sites[w]->where_reads.end(), [&](const std::string& r) {
                    return r.rfind(var + ".", 0) == 0 && r != var + ".id";
                }))
                continue;
            for (size_t r = w; r-- > 0;) {
                const TsSite& rs = *sites[r];
                if (rs.function != sites[w]->function || rs.result != var || qs[r].kind != StatementKind::Select) continue;
                const bool by_row = std::find(sites[w]->where_reads.begin(), sites[w]->where_reads.end(), var + ".id") != sites[w]->where_reads.end();
                if (!feeds(r, w, by_row) || locked_before(r)) break;  // the variable's latest read is locked, or another table or key
                if (qs[w].read_modify_write >= 0 && qs[w].read_modify_write != first + static_cast<int>(r)) break;
                qs[w].read_modify_write = first + static_cast<int>(r);
                if (std::find(fields.begin(), fields.end(), prop) == fields.end()) fields.push_back(prop);
                break;
            }
        }
        // A value computed from what a function of this file returns (`const b = await
        // this.getBalance(id)`), when that function reads the column on the same table and key
        // without a lock: the same lost update, across a call.
        for (const auto& [prop, fname] : sites[w]->set_calls) {
            const auto fn = file.function_by_name.find(fname);
            if (fn == file.function_by_name.end() || qs[w].read_modify_write >= 0) continue;
            for (size_t r = 0; r < qs.size(); ++r) {
                if (sites[r]->function != fn->second || !feeds(r, w)) continue;
                const bool reads = qs[r].returns_star() || std::any_of(qs[r].output_columns.begin(), qs[r].output_columns.end(), [&](const auto& oc) {
                                       return name_words(oc.second) == name_words(prop);
                                   });
                if (!reads) continue;
                qs[w].read_modify_write = first + static_cast<int>(r);
                if (std::find(fields.begin(), fields.end(), prop) == fields.end()) fields.push_back(prop);
                break;
            }
        }
        qs[w].rmw_fields = fields;
        for (const auto& f : fields)
            if (std::find(sites[w]->set_steps.begin(), sites[w]->set_steps.end(), f) != sites[w]->set_steps.end()) qs[w].rmw_steps.push_back(f);
    }
}

// Marks the predicates whose compared value mentions a name the loop binds: the TypeScript call
// around the predicate's position (`eq(rollbacks.deploymentId, d.id)`) names a loop variable.
void mark_loop_varying(const SourceFile& file, TSNode root, const std::vector<std::string>& vars, Query& q) {
    for (auto& p : q.predicates) {
        if (p.other != OperandKind::Parameter || p.loc.file != file.path() || p.loc.line == 0) continue;
        const std::string_view line = file.line_text(p.loc.line);
        const uint32_t offset = static_cast<uint32_t>(line.data() - file.text().data()) + (p.loc.column > 0 ? p.loc.column - 1 : 0);
        TSNode n = ts_node_descendant_for_byte_range(root, offset, offset);
        bool in_string = false;
        for (int guard = 0; guard < 8 && !ts_node_is_null(n) && !is(n, "call_expression"); ++guard) {
            in_string = in_string || is(n, "string") || is(n, "template_string");
            n = ts_node_parent(n);
        }
        if (!is(n, "call_expression")) continue;
        TSNode scope = field(n, "arguments");
        if (in_string) {
            // Raw SQL: `$n` is the n-th element of the parameter array (`query(sql, [a, line.sku])`).
            const auto args = named_children(scope);
            TSNode values = args.size() >= 2 ? args[1] : TSNode{};
            if (!is(values, "array") || p.param <= 0) continue;
            const auto items = named_children(values);
            if (static_cast<size_t>(p.param) > items.size()) continue;
            scope = items[p.param - 1];
        }
        std::vector<TSNode> pending{scope};
        for (size_t guard = 0; !pending.empty() && guard < 512 && !p.loop_varying; ++guard) {
            TSNode k = pending.back();
            pending.pop_back();
            if (is(k, "identifier") || is(k, "shorthand_property_identifier")) {
                const std::string_view word = node_text(k, file.text());
                for (const auto& v : vars) p.loop_varying = p.loop_varying || word == v;
                continue;
            }
            for (TSNode c : named_children(k)) pending.push_back(c);
        }
    }
}

}  // namespace

void TypeScriptFrontend::add_queries(const SchemaModel& schema, QueryInventory& inv, std::vector<Diagnostic>& diags,
                                     unsigned jobs) const {
    const auto& files = impl_->program.files();
    // Global ids for functions and loops.
    std::vector<int> fbase(files.size()), lbase(files.size());
    for (size_t i = 0; i < files.size(); ++i) {
        const TsFile& f = files[i];
        for (const auto& e : f.errors)
            diags.push_back({"typescript-syntax", f.file->at(e.offset),
                             "tree-sitter could not parse this (" + e.message + "); the rest of the file is still analysed"});
        fbase[i] = static_cast<int>(inv.functions.size());
        for (const auto& fn : f.functions)
            inv.functions.push_back({fn.name, fn.end > fn.offset ? f.file->span(fn.offset, fn.end) : f.file->at(fn.offset), {}, {},
                                     fn.awaits_io, fn.closes_client});
        for (const auto& p : f.pools) {
            ConnectionPool pool;
            pool.loc = f.file->at(p.offset);
            pool.driver = p.driver;
            pool.api = p.api;
            pool.options = p.options;
            pool.options_known = p.options_known;
            pool.text = p.text;
            pool.function = p.function == 0 ? -1 : fbase[i] + p.function;
            pool.closed = p.closed;
            pool.cached = p.cached;
            pool.returned = p.returned;
            inv.pools.push_back(std::move(pool));
        }
        lbase[i] = static_cast<int>(inv.loops.size());
        for (const auto& l : f.loops) {
            Loop loop{l.kind, f.file->at(l.offset), l.bounded, l.exits_early};
            loop.chunked = l.chunked;
            loop.io_bound = l.io_bound;
            inv.loops.push_back(std::move(loop));
        }
    }
    // Per file, in parallel: everything here only reads the trees, the schema and the programs;
    // results are merged in file order below.
    struct FileOut {
        std::vector<CallSite> calls;
        std::vector<Query> queries;
        std::vector<const TsSite*> sites;  // the site of each query
        std::vector<Diagnostic> diags;
    };
    std::vector<FileOut> outs(files.size());
    // Code repeats statements (the same lowered SQL from several call sites: a quarter of the sim
    // monorepo's 3,200): each distinct text is parsed once, and the parse is only read after.
    struct ParseMemo {
        std::shared_mutex mutex;
        std::unordered_map<std::string, std::shared_ptr<const ParsedSql>> by_text;
        std::shared_ptr<const ParsedSql> get(const std::string& sql) {
            {
                std::shared_lock<std::shared_mutex> lock(mutex);
                if (auto it = by_text.find(sql); it != by_text.end()) return it->second;
            }
            auto parsed = std::make_shared<const ParsedSql>(parse_sql(sql));
            std::unique_lock<std::shared_mutex> lock(mutex);
            return by_text.emplace(sql, std::move(parsed)).first->second;
        }
    } memo;
    parallel_for(files.size(), jobs, [&](size_t i) {
        const TsFile& f = files[i];
        FileOut& out = outs[i];
        for (const auto& site : f.sites) {
            const int caller = fbase[i] + site.function;
            const int loop = site.loop >= 0 ? lbase[i] + site.loop : -1;
            if (site.kind == TsSiteKind::Call || site.kind == TsSiteKind::CallbackRef) {
                const auto target = impl_->program.resolve_callee(static_cast<int>(i), site.callee, f.functions[site.function].cls);
                if (target.first >= 0)
                    out.calls.push_back(
                        {caller, fbase[target.first] + target.second, f.file->at(site.offset), loop, site.loop_invariant, site.value_returned});
                continue;
            }
            if (f.other_engine) continue;  // another engine's SQL (a mysql2 tool beside a PostgreSQL app)
            std::vector<LoweredQuery> lowered;
            if (!impl_->lower(static_cast<int>(i), site, lowered)) continue;
            for (auto& lq : lowered) {
                const std::shared_ptr<const ParsedSql> memo_entry = memo.get(lq.sql);
                const ParsedSql& parsed = *memo_entry;
                const SourceFile derived(lq.sql, *f.file, lq.segments);
                for (const auto& e : parsed.errors)
                    out.diags.push_back(lq.verbatim ? Diagnostic{"parse-error", derived.at(e.offset), "SQL in TypeScript: " + e.message}
                                                    : Diagnostic{"lowering", derived.at(e.offset),
                                                                 "querylens could not read the SQL it lowered from " + lq.api +
                                                                     ": " + e.message});
                std::vector<Query> qs;
                for (const auto& st : parsed.statements) extract_sql_queries(st, derived, schema, qs);
                // A Drizzle select naming a table it does not read (`eq(document.kbId, knowledgeBase.id)`
                // with only document in FROM) is a correlated subquery built in a helper and used
                // inside another query (`exists(liveDocuments())`): not a statement of its own.
                if (lq.frontend == "drizzle" && std::any_of(qs.begin(), qs.end(), [](const Query& q) {
                        return q.kind == StatementKind::Select && !q.blocks.empty() && q.blocks[0].has_unresolved_columns;
                    }))
                    continue;
                for (auto& q : qs) {
                    q.origin = QueryOrigin::Code;
                    q.frontend = lq.frontend;
                    q.api = lq.api;
                    q.expects_single_row = lq.expects_single_row;
                    q.dynamic_conditions = lq.dynamic_conditions;
                    q.opaque_conditions = lq.opaque_conditions;
                    q.related_loads = lq.related_loads;
                    q.fix_style = lq.fix_style;
                    q.function = caller;
                    q.loop = loop;
                    q.loop_invariant = site.loop_invariant;
                    q.row_use = site.row_use;
                    q.row_fields = site.row_fields;
                    q.row_fields_tested_only = site.row_fields_tested_only;
                    if (site.loop >= 0) mark_loop_varying(*f.file, f.tree.root(), f.loops[site.loop].vars, q);
                    q.loc = f.file->span(ts_node_start_byte(site.node), ts_node_end_byte(site.node));
                    q.sql = lq.sql;
                    q.code_names = lq.code_names;
                    out.queries.push_back(std::move(q));
                    out.sites.push_back(&site);
                }
            }
        }
    });
    for (size_t i = 0; i < outs.size(); ++i) {
        FileOut& out = outs[i];
        link_read_modify_write(files[i], out.queries, out.sites, static_cast<int>(inv.queries.size()));
        link_loop_sources(files[i], out.sites, static_cast<int>(inv.queries.size()), lbase[i], inv);
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
