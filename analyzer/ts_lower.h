#pragma once
// Lowering TypeScript to SQL: Drizzle `pgTable` declarations to CREATE TABLE / CREATE INDEX,
// Drizzle builder chains and relational queries to SELECT/INSERT/UPDATE/DELETE, raw SQL strings
// and templates to their text with `${}` as `$n`. The SQL is then parsed by libpg_query and read by
// the same code as SQL files; segments map every generated position back to the TypeScript.
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/query.h"
#include "analyzer/ts_collect.h"

namespace querylens {

struct LoweredSql {
    int file = -1;
    std::string sql;
    std::vector<SourceSegment> segments;
};

struct LoweredQuery {
    std::string sql;
    std::vector<SourceSegment> segments;
    QueryOrigin origin = QueryOrigin::Drizzle;
    std::string api;  // "db.select", "db.query.orders.findMany", "pool.query"
    std::map<std::string, std::string> code_names;  // SQL names -> the TypeScript expressions they came from
};

// A top-level binding: file index and name there ("*" for a namespace), or file -1 with
// "module:name" for a package import.
struct TsSymbol {
    int file = -1;
    std::string name;
    bool operator<(const TsSymbol& o) const { return std::tie(file, name) < std::tie(o.file, o.name); }
};

struct DrizzleColumn {
    std::string property, sql_name;
    TSNode node{};  // the builder chain
    TSNode key{};   // the property key
};

struct DrizzleTable {
    TsSymbol symbol;
    std::string schema = "public", name;  // SQL
    TSNode call{};
    std::vector<DrizzleColumn> columns;
    TSNode extras{};  // third argument

    std::string qualified() const { return schema + "." + name; }
    const DrizzleColumn* column(const std::string& property) const {
        for (const auto& c : columns)
            if (c.property == property) return &c;
        return nullptr;
    }
};

class LoweringContext {
public:
    explicit LoweringContext(std::vector<TsFile>& files) : files_(files) {}

    std::function<int(int, const std::string&)> resolve_module;

    TsSymbol resolve_name(int file, const std::string& name, int depth = 0) const;
    TsSymbol resolve_export(int file, const std::string& name, int depth = 0) const;

    void find_tables();
    // pass 0: enums; 1: tables; 2: indexes and table constraints.
    std::vector<LoweredSql> lower_schema(int pass) const;

    // The function a callee expression names: (file, function index), or (-1, -1).
    std::pair<int, int> resolve_callee(int file, TSNode callee, const std::string& cls) const;

    // Lowers a Chain / RawCall / Tagged site; false when the site is not a query we can read (SQL
    // that is not text, a chain on an unknown table). SQL that does not parse is reported by the caller.
    bool lower_query(int file, const TsSite& site, std::vector<LoweredQuery>& out) const;

    const DrizzleTable* table_for(int file, TSNode expr, const std::map<std::string, const DrizzleTable*>* bound) const;

private:
    friend class Lowerer;
    const std::string& src(int file) const { return files_[file].file->text(); }
    const TSNode* value_of(const TsSymbol& s) const;
    std::string external(int file, TSNode callee) const;  // "module:name" of a called package import

    std::vector<TsFile>& files_;
    std::vector<DrizzleTable> tables_;
    std::map<TsSymbol, size_t> table_by_symbol_;
    std::map<std::string, size_t> table_by_export_;  // exported variable name -> table (for db.query.<name>)
    struct Enum {
        int file;
        std::string name;
        TSNode call;
    };
    std::map<TsSymbol, Enum> enums_;
    bool snake_case_ = false;  // drizzle(..., { casing: 'snake_case' })
};

}  // namespace querylens
