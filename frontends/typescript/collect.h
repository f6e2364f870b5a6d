#pragma once
// Per-file facts from a TypeScript syntax tree: imports and exports, top-level values, functions
// (with the class or object they belong to), loops, and the call sites that may issue queries.
// Runs in parallel, one file per task; everything that needs other files happens in
// frontends/typescript/program.cpp (names, calls) and the ORM frontends.
#include <map>
#include <string>
#include <vector>

#include "core/query.h"
#include "core/source.h"
#include "frontends/typescript/parser.h"

namespace querylens {

struct TsImport {
    std::string module;    // as written: "../db/schema", "drizzle-orm"
    std::string imported;  // exported name; "default"; "*" for `import * as ns`
};

struct TsExport {
    std::string local;   // local name ("" for `export * from`)
    std::string module;  // re-export source, "" for local exports
    std::string imported;  // name in `module` for `export { a as b } from`
};

struct TsClass {
    std::map<std::string, std::string> field_types;  // field / constructor parameter property -> type text
    std::map<std::string, int> methods;              // method name -> function index
};

struct TsFunctionDecl {
    std::string name;  // "f", "Class.m", "obj.m", "<module>"
    std::string cls;   // enclosing class, for `this.` resolution
    uint32_t offset = 0, end = 0;  // byte span of the function
    bool awaits_io = false;  // awaits non-database I/O (HTTP, exec, queues, storage) in its body
    bool closes_client = false;  // calls `.end()` / `.release()` / `.close()` on something in its body
};

struct TsLoopDecl {
    std::string kind;
    uint32_t offset = 0;
    bool bounded = false;
    bool exits_early = false;
    bool statement = true;  // false for callbacks (return ends one iteration, not the loop)
    bool chunked = false;   // steps through batches: `i += size`, `for (const batch of chunk(rows, 500))`
    bool io_bound = false;  // each iteration also awaits non-database I/O (HTTP, exec, queues, storage)
    std::vector<std::string> vars;  // the names the loop binds per iteration (element, index, params)
    int function = 0;               // the function the loop is written in
    // What it iterates when that is a name or a path of names: "rows", "result.rows", "app.mounts"
    // (through `.filter(...)`, `Object.values(...)` and the like); "" otherwise.
    std::string source;
};

enum class TsSiteKind {
    Call,     // a call that may reach a function: f(), this.m(), this.svc.m(), obj.m(), ns.f()
    Chain,    // the outermost call of a member chain (possible Drizzle query)
    RawCall,  // x.query('SQL' | `SQL` | { text })
    Tagged,   // tag`...` tagged template (postgres.js / drizzle sql as a statement)
    CallbackRef,  // xs.map(fn): `fn` called once per element
    // In a migration written as code, a plain function handed a SQL statement literal
    // (`await execute(connection, \`ALTER TABLE ...\`)`): the migration runs it. Read only as
    // migration SQL (TsSite::sql_arg says which argument), never as a runtime query.
    MigrationSql,
};

// What a call names, as plain data (resolved later by TsProgram::resolve_callee without the tree):
// `f()`, `this.m()`, `this.svc.m()`, `obj.m()` / `ns.f()`.
struct TsCallee {
    enum Kind { None, Name, This, ThisField, Member } kind = None;
    std::string object;  // Member: the identifier before the dot; ThisField: the field
    std::string name;    // the function or method
};
TsCallee callee_of(TSNode callee, const std::string& src);

struct TsSite {
    TsSiteKind kind = TsSiteKind::Call;
    TSNode node{};  // valid while the file's tree is alive (always for query sites)
    uint32_t offset = 0;
    TsCallee callee;  // Call / CallbackRef sites
    // Call sites of a file whose tree is gone (keep_call_arguments): each argument (unwrapped,
    // comments skipped) as a name the program can resolve without the tree: `orders`,
    // `schema.orders` (a member of an identifier); "" for anything else. Empty when no argument is
    // such a name. (A helper that takes a table is lowered with the tables its callers pass:
    // frontends/drizzle/queries.cpp.)
    std::vector<std::string> arg_refs;
    int function = 0;
    int loop = -1;
    int sql_arg = 0;  // MigrationSql: the argument holding the statement
    bool loop_invariant = false;  // in a loop, but mentions none of the names the loop binds
    // Call sites: the call's value is returned, directly or wrapped in another call
    // (`return wrap(createPool())`, `() => build(createPool())`).
    bool value_returned = false;
    // Query sites: the variable its awaited result is bound to (`const rows = await ...`,
    // `const { rows } = await ...`, `rows = await ...`); "" otherwise.
    std::string result;
    bool result_first_only = false;  // `const [row] = await ...`: only the first row is kept
    // Query chains: `.for('update')` (the read locks its rows), and what `.set({...})` computes from
    // other variables: (property set, "row.field" read in its value), for read-modify-write checks.
    bool locking = false;
    std::vector<std::pair<std::string, std::string>> set_reads;
    std::vector<std::string> where_reads;  // "row.field" compared in `.where(...)` (optimistic locking)
    std::vector<std::string> set_steps;    // properties set to a read value plus or minus a number literal (a tally)
    // Properties computed from what a function of this file returns (`const b = await this.getBalance(id);
    // set({ credits: b - cost })`): (property, the function's name as in function_by_name).
    std::vector<std::pair<std::string, std::string>> set_calls;
    RowUse row_use = RowUse::Unknown;      // how the function uses the rows (core/query.h)
    std::vector<std::string> row_fields;  // RowUse::Fields: the properties it reads, sorted
    bool row_fields_tested_only = false;  // ... and only as a yes/no (`count > 0`)
};

// A database client or pool created in the code: `new Pool({...})` (pg), `postgres(url, {...})`
// (postgres.js), `new Pool(...)` / `neon(...)` (Neon), with the options it sets.
struct TsPoolSite {
    uint32_t offset = 0;
    std::string driver;                // "pg", "postgres.js", "neon", "vercel-postgres"
    std::string api;                   // "new Pool", "new Client", "postgres()"
    std::vector<std::string> options;  // option names set (nested `connection: {...}` ones as "connection.x")
    bool options_known = true;         // false when part of the options is built elsewhere
    std::string text;                  // the construction's source text (for a literal DSN's parameters)
    int function = 0;                  // 0: module top level
    bool closed = false;               // `.end()` is called on it in the same function (a one-shot client), or it is
                                       // handed to an object that owns it (`createExecutor({ pool })`)
    bool cached = false;               // stored outside the function (module state, a Map, globalThis)
    bool returned = false;             // returned to the caller (a factory), also wrapped (`return drizzle(pool)`)
};

struct TsFile {
    const SourceFile* file = nullptr;
    TsTree tree;
    std::vector<TsSyntaxError> errors;
    std::map<std::string, TsImport> imports;       // local name -> import
    std::map<std::string, TsExport> exports;       // exported name -> what
    std::vector<std::string> star_exports;         // `export * from 'm'`
    std::map<std::string, TSNode> values;          // top-level const/let/var -> initializer (tree alive)
    std::map<std::string, std::string> instances;  // top-level `const svc = new Service()` -> "Service"
    std::map<std::string, std::string> value_types;  // top-level name -> type annotation text
    // Top-level `const` names bound to a string or number literal, and the literal properties of a
    // `const` object literal ("T.jobs"): name -> the value's text (plain data, kept without the tree).
    std::map<std::string, std::string> constants;
    std::map<std::string, TsClass> classes;
    std::vector<TsFunctionDecl> functions;         // [0] is the module's top-level code
    std::map<std::string, int> function_by_name;   // top-level functions and "obj.m" / "Class.m"
    std::vector<TsLoopDecl> loops;
    std::vector<TsSite> sites;                     // in source order
    std::vector<TsPoolSite> pools;                 // clients and pools created, in source order
    // It imports a MySQL/SQLite/SQL Server driver and no PostgreSQL one: its SQL is not PostgreSQL's.
    bool other_engine = false;
};

// Parses and collects. `file` must outlive the result.
TsFile collect_typescript(const SourceFile& file);
// Before a file's tree is freed: its call sites' arguments as plain data (TsSite::arg_refs).
void keep_call_arguments(TsFile& file);

}  // namespace querylens
