#pragma once
// A live database's catalog as a SchemaModel ("catalog -> SchemaModel"), so `querylens verify`
// compares it with the migrations' model through core/schema_diff like any two models. Tables
// and columns come from pg_class/pg_attribute and indexes from pg_get_indexdef, both as DDL
// through the project's own SQL layer (sql/parser + sql/schema_builder: names, types and
// expressions print as they do in the model); primary keys and UNIQUE constraints get their
// IndexOrigin from pg_index/pg_constraint; a partial index keeps PostgreSQL's printing of its
// predicate (pg_get_expr) as predicate_sql, its conjuncts parsed; foreign keys are read from
// pg_constraint.
#include "core/schema.h"

namespace querylens {

namespace pg {
class Connection;
}

// Ordinary and partitioned tables outside the system and TimescaleDB schemas, their columns in
// attnum order, their indexes and foreign keys in name order. Locations point into the DDL text
// the model was built from (file "<catalog>").
SchemaModel read_catalog(pg::Connection& db);

}  // namespace querylens
