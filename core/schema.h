#pragma once
// The schema model: what the database looks like after every migration has run, in order.
// Built by sql/schema_builder from DDL: migrations, and the DDL frontends lower schema
// declarations in code to (Drizzle pgTable).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/predicate.h"
#include "core/source.h"

namespace querylens {

struct Column {
    std::string name;
    std::string type;  // as written, normalised: "varchar(20)", "timestamptz", "numeric(18,8)"
    bool not_null = false;
    std::optional<std::string> default_expr;
    Location loc;

    // A point in time: timestamp, timestamptz (with or without precision), date.
    bool temporal() const { return type.rfind("timestamp", 0) == 0 || type == "date"; }
    // A number: integer, bigint, smallint, serial, numeric/decimal (any precision), real, double.
    bool numeric() const {
        for (const char* t : {"int", "bigint", "smallint", "serial", "bigserial", "numeric", "decimal", "real", "double", "float"})
            if (type.rfind(t, 0) == 0) return true;
        return false;
    }
};

struct IndexKey {
    std::string column;      // empty when the key is an expression
    std::string expression;  // printed expression for expression keys
    bool desc = false;
    std::string nulls;       // "", "first", "last"
    // A non-default operator class (`text_pattern_ops`, `jsonb_path_ops`) or collation: an index
    // with another one serves other operators, so it is no duplicate of this one.
    std::string opclass;
    std::string collation;
};

enum class IndexOrigin { Index, PrimaryKey, UniqueConstraint };
const char* to_string(IndexOrigin o);  // "index", "primary-key", "unique-constraint"

struct Index {
    std::string name;
    std::string table;  // qualified table name
    IndexOrigin origin = IndexOrigin::Index;
    bool unique = false;
    bool concurrent = false;
    std::string method = "btree";
    std::vector<IndexKey> keys;
    std::vector<std::string> include;
    std::string predicate_sql;          // partial index WHERE clause, printed; empty if none
    std::vector<Predicate> predicate;   // its conjuncts, when understood
    bool predicate_understood = true;   // false: the predicate has parts we cannot reason about
    std::vector<std::string> functions; // functions called in the predicate and key expressions
    std::string transaction;            // why the statement runs in a transaction block ("" if not)
    bool timescaledb = false;           // created by create_hypertable, not by a CREATE INDEX
    Location loc;

    bool partial() const { return !predicate_sql.empty(); }
    std::string leading_column() const { return keys.empty() ? std::string() : keys.front().column; }
};

enum class FkAction { None, NoAction, Restrict, Cascade, SetNull, SetDefault };
const char* to_sql(FkAction a);  // "NO ACTION", "CASCADE", ... ("" for None)

struct ForeignKey {
    std::string name;
    std::string table;  // qualified
    std::vector<std::string> columns;
    std::string ref_table;  // qualified
    std::vector<std::string> ref_columns;  // empty: the referenced table's primary key
    FkAction on_delete = FkAction::None;   // None: no ON DELETE clause was written
    FkAction on_update = FkAction::None;
    Location loc;
};

struct CheckConstraint {
    std::string name;
    std::string expression;
    Location loc;
};

struct Hypertable {
    std::string time_column;
    std::string chunk_interval;  // as written, e.g. "INTERVAL '1 day'"
    bool compression = false;
    std::vector<std::string> segment_by;
    std::string order_by;
    std::optional<std::string> compression_policy;  // interval
    std::optional<std::string> retention_policy;    // interval
    Location loc;
};

struct Table {
    std::string name;  // qualified: "public.orders"
    std::vector<Column> columns;
    std::vector<Index> indexes;  // includes the PK and UNIQUE constraints (see Index::origin)
    std::vector<ForeignKey> foreign_keys;
    std::vector<CheckConstraint> checks;
    std::optional<Hypertable> hypertable;
    // `PARTITION BY RANGE (col, ...)`: the partition key's columns (PostgreSQL requires every
    // primary key and unique constraint of a partitioned table to include them).
    std::vector<std::string> partition_key;
    Location loc;

    const Column* column(const std::string& name) const;
    Column* column(const std::string& name);
    const Index* primary_key() const;
    bool index_named(const std::string& name) const;  // an index (or constraint) of that name
    // Column sets that are guaranteed unique (PK, UNIQUE constraints, non-partial unique indexes).
    std::vector<std::vector<std::string>> unique_keys() const;
};

enum class ViewKind { View, Materialized, ContinuousAggregate };
const char* to_string(ViewKind k);  // "view", "materialized", "continuous-aggregate"

struct View {
    std::string name;  // qualified
    ViewKind kind = ViewKind::View;
    Location loc;
};

struct EnumType {
    std::string name;  // qualified
    std::vector<std::string> values;
    Location loc;
};

class SchemaModel {
public:
    std::map<std::string, Table> tables;  // keyed by qualified name
    std::map<std::string, View> views;
    std::map<std::string, EnumType> enums;
    std::map<std::string, Location> extensions;
    // CREATE INDEX on a table no migration creates (a project whose base schema lives in the ORM and
    // whose SQL migrations only add to it): kept here until the merged schema knows the table.
    std::vector<Index> orphan_indexes;
    // Tables whose declaration lists columns it could not all read (a spread of shared columns, a
    // column built by a helper): the absence of a column there proves nothing.
    std::set<std::string> partial_tables;
    // While building: a BEGIN not yet committed (file, line). Not part of the final model.
    std::optional<std::pair<std::string, uint32_t>> open_transaction;
    // While building: the file whose explicit COMMIT ended its runner's transaction.
    std::string runner_transaction_ended_in;
    // Who declared this model, for messages: "the Drizzle schema", "the migrations".
    std::string source;

    const Table* find_table(const std::string& qualified) const;
    Table* find_table(const std::string& qualified);
    // Index names are unique per schema in PostgreSQL.
    bool index_exists(const std::string& schema, const std::string& index_name) const;
};

// "orders" -> "public.orders"; "audit.logs" stays.
std::string qualify(const std::string& schema, const std::string& name);
// "public.orders" -> "orders"; other schemas keep their prefix.
std::string display_name(const std::string& qualified);
std::string schema_of(const std::string& qualified);
std::string unqualified(const std::string& qualified);

}  // namespace querylens
