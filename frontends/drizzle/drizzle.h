#pragma once
// Drizzle ORM, as Drizzle sees a project: tables (`pgTable`, `pgSchema().table`, `pgTableCreator`),
// enums, database handles (values of `drizzle(...)` with their casing), and the lowering of
// schema declarations and query chains to SQL. Everything Drizzle-specific in querylens lives in
// this folder; downstream code sees only SQL, neutral query facts and a FixStyle.
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <string>
#include <vector>

#include "core/fix_style.h"
#include "frontends/typescript/program.h"
#include "frontends/typescript/sql_text.h"

namespace querylens {

struct ChainLink;

// `pg.text('id').primaryKey()` with `import * as pg from 'drizzle-orm/pg-core'` flattens to the
// root `pg` and links [text(), primaryKey()]: make the call `pg.text('id')` the root, as for a
// named import. Returns the builder's name ("text"), empty when `root` is not such a namespace.
std::string unwrap_namespace(const TsProgram& program, int file, TSNode& root, std::vector<ChainLink>& links);

// How Drizzle names a column declared without an explicit SQL name.
enum class DrizzleCasing { AsWritten, SnakeCase };

struct DrizzleColumn {
    std::string property;       // the TypeScript key
    std::string explicit_name;  // `varchar('user_id')`; "" when the key names it
    TSNode node{};  // the builder chain
    TSNode key{};   // the property key
    int file = -1;  // the file it is written in, when not the table's (spread from shared columns)
    int file_or(int table_file) const { return file >= 0 ? file : table_file; }

    std::string sql_name(DrizzleCasing casing) const;
};

struct DrizzleTable {
    TsSymbol symbol;
    std::string schema = "public", name;  // SQL
    TSNode call{};
    std::vector<DrizzleColumn> columns;
    TSNode extras{};  // third argument
    bool in_schema = true;  // part of the project's schema (see DrizzleProgram::scope_to_configs)
    std::string alias;      // `alias(table, 'parent')`: the same table under another name in queries
    bool columns_complete = true;  // the columns are an object literal of `key: type(...)` pairs only

    // How queries name it: the alias, else the (quoted) table.
    std::string reference() const;

    std::string qualified() const { return schema + "." + name; }
    const DrizzleColumn* column(const std::string& property) const {
        for (const auto& c : columns)
            if (c.property == property) return &c;
        return nullptr;
    }
};

// One entry of `relations(table, ({ one, many }) => ({ name: one(target, { fields, references }) }))`.
struct DrizzleRelation {
    std::string name;  // the key: `with: { name: true }`
    bool many = false;
    const DrizzleTable* target = nullptr;
    std::vector<std::string> fields, references;  // one(): this table's properties -> the target's
    std::string relation_name;                    // relationName, to pair a many() with its one()
};

// SQL lowered from one declaration (a table, its constraints, an enum).
struct LoweredSql {
    int file = -1;
    std::string sql;
    std::vector<SourceSegment> segments;
};

// A query chain lowered to SQL, with the neutral facts rules read.
struct LoweredQuery {
    std::string sql;
    std::vector<SourceSegment> segments;
    std::string frontend;  // "drizzle", "drizzle-relational", "raw-sql"
    std::string api;       // "db.select", "db.query.orders.findMany", "pool.query"
    std::map<std::string, std::string> code_names;  // SQL names -> the TypeScript expressions they came from
    bool expects_single_row = false;
    const FixStyle* fix_style = nullptr;  // null: plain SQL
    // The SQL is the code's own text (a string without substitutions): a parse error in it is a
    // finding about the code. Anything querylens wrote itself failing to parse is its limitation.
    bool verbatim = false;
    bool dynamic_conditions = false;  // part of the WHERE is built at run time
    bool opaque_conditions = false;   // part of the WHERE is an expression built elsewhere
    std::vector<std::string> related_loads;  // see Query::related_loads
};

class DrizzleProgram {
public:
    explicit DrizzleProgram(const TsProgram& program) : program_(program) {}

    // Finds tables, enums and database handles in every file.
    void discover();

    // Schema declarations as SQL, in the order PostgreSQL needs them.
    std::vector<LoweredSql> lower_enums() const;
    std::vector<LoweredSql> lower_tables() const;
    // Qualified names of the tables whose columns lower_tables() could not all write.
    std::set<std::string> partial_tables() const;
    std::vector<LoweredSql> lower_constraints() const;  // indexes, composite keys, foreign keys

    // Lowers a Chain site (`db.select()...`, `db.query.t.findMany(...)`, `db.execute(sql`...`)`);
    // false when the site is not a Drizzle query we can read.
    bool lower_chain(int file, const TsSite& site, std::vector<LoweredQuery>& out) const;
    // A writer that knows Drizzle's `sql` fragments, tables and columns in `${}`: for raw SQL sites.
    std::unique_ptr<TsSqlWriter> sql_writer(int file) const;

    const DrizzleTable* table_for(int file, TSNode expr, const std::map<std::string, const DrizzleTable*>* bound) const;
    // The same for a name as TsSite::arg_refs records it (`orders`, `schema.orders`), without a tree.
    const DrizzleTable* table_named(int file, const std::string& ref) const;
    const DrizzleTable* table_by_name(const std::string& exported_name) const;
    // The relation `name` of `table` (Drizzle `relations()`), or null.
    const DrizzleRelation* relation(const DrizzleTable& table, const std::string& name) const;
    // For `with: { name }`: the target table and the equalities (target property, this table's
    // property) that link a row of `table` to its related rows; false when they cannot be told
    // (a many() without the target's matching one(), a self-relation).
    bool relation_link(const DrizzleTable& table, const DrizzleRelation& r,
                       std::vector<std::pair<std::string, std::string>>& on) const;
    const TsProgram& program() const { return program_; }
    // The casing of queries through the handle a chain starts from (`db` in `db.select()`).
    DrizzleCasing casing_of_root(int file, TSNode root) const;
    // The casing of the schema (drizzle-kit's): the handles' when they all agree.
    DrizzleCasing schema_casing() const { return schema_casing_; }
    // Whether the root of a chain is a Drizzle database or transaction handle.
    bool is_handle(int file, const TsSite& site, TSNode root, const std::string& root_text, size_t head) const;

private:
    void discover_file(int file);
    void discover_aliases();
    // drizzle.config.*: which files are the schema (`schema`: files, folders, globs), which
    // dialect, which casing. A table in a file no PostgreSQL config names and nothing imports
    // (generated auth schemas, scratch scripts) is not the project's schema.
    void scope_to_configs();
    TSNode helper_table(int file, TSNode callee, const std::vector<TSNode>& args, std::string& name, DrizzleTable& t) const;
    bool table_name(int file, TSNode callee, const std::string& fn, const std::string& name, DrizzleTable& t) const;
    void read_columns(DrizzleTable& t, int file, TSNode object, int depth);
    bool constant_string(int file, TSNode e, std::string& out) const;

    const TsProgram& program_;
    std::vector<DrizzleTable> tables_;
    std::map<TsSymbol, size_t> table_by_symbol_;
    std::map<std::string, size_t> table_by_export_;  // exported variable name -> table (for db.query.<name>)
    struct Enum {
        int file;
        std::string name;
        TSNode call;
    };
    std::map<TsSymbol, Enum> enums_;
    std::map<TsSymbol, DrizzleCasing> handles_;  // drizzle(...) values
    std::vector<std::pair<int, TSNode>> relation_calls_;             // relations(...) calls
    std::map<const DrizzleTable*, std::vector<DrizzleRelation>> relations_;  // resolved after discovery
    void resolve_relations();
    DrizzleCasing schema_casing_ = DrizzleCasing::AsWritten;

public:
    // Call sites (file, site index) by the last name of their callee (`insertRow`, `this.repo.save`
    // -> "save"), built once on first use (lowering runs on several threads).
    const std::vector<std::pair<int, size_t>>& calls_named(const std::string& name) const;

private:
    mutable std::once_flag calls_once_;
    mutable std::unordered_map<std::string, std::vector<std::pair<int, size_t>>> calls_by_name_;
};

// How fixes are written for Drizzle query builders and relational queries.
const FixStyle& drizzle_builder_fix_style();
const FixStyle& drizzle_relational_fix_style();

}  // namespace querylens
