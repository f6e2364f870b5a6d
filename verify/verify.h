#pragma once
// `querylens verify`: checks the static model against a real PostgreSQL 15. Applies the project's
// migrations in the analyzer's order to a fresh database, compares the schema model with the
// catalog, applies the recommended DDL, and measures each uncovered-predicate recommendation with
// EXPLAIN before and after a hypothetical (hypopg) index on generated data.
#include <map>
#include <string>
#include <vector>

#include "rules/rule.h"

namespace querylens {

struct VerifyOptions {
    std::string dsn;          // a server we may create and drop databases on
    bool keep_database = false;
    size_t rows_per_table = 10000;  // generated rows, so the planner has real statistics
};

struct AppliedStatement {
    Location loc;
    std::string error;  // "" when applied
    bool skipped = false;  // TimescaleDB statement without the extension
};

struct MigrationOutcome {
    std::string file;
    bool in_transaction = false;
    bool ok = true;
    std::vector<AppliedStatement> problems;  // failures and skips only
    size_t statements = 0;
};

// One schema difference as `querylens verify` words it.
struct CatalogDifference {
    Location loc;  // the model's declaration (or the file of the migrations for catalog-only objects)
    std::string object;   // "table orders", "index idx_x on orders", "foreign key fk on orders"
    std::string model, catalog;  // what each side says
};

struct DdlCheck {
    std::string ddl;
    bool ok = true;
    std::string error;
    bool skipped = false;
};

struct PlanEvidence {
    Location finding;
    std::string query, index;  // the statement explained, the hypothetical index
    std::string before_scan, after_scan;  // scan node types on the finding's table
    double before_cost = 0, after_cost = 0;
    bool uses_index = false;
    bool limited = false;  // the plan's root is a LIMIT: the scan may stop early without an index
    std::string error;
};

struct VerifyResult {
    std::string database;  // the scratch database used
    bool timescaledb = false, hypopg = false;
    std::vector<MigrationOutcome> migrations;
    std::vector<CatalogDifference> differences;
    std::vector<DdlCheck> ddl;
    std::vector<PlanEvidence> evidence;
    std::string data_note;  // how tables were filled for EXPLAIN
    std::string ddl_note;   // how tables were filled for the recommended DDL
    std::string baseline_note;  // tables created from the code's schema before the migrations
    std::string fatal;      // could not run at all (connection, CREATE DATABASE)

    bool clean() const;  // no failed migration, difference or rejected DDL
};

VerifyResult verify_project(const Project& project, const std::vector<Finding>& findings,
                            const std::vector<std::string>& recommended_ddl, const VerifyOptions& options);

std::string render_verify_text(const VerifyResult& r);
// One line per measured finding ("file:line" -> "Seq Scan -> Index Scan, total cost 259.0 -> 8.1 (-97%)"),
// for the audit report.
std::map<std::string, std::string> evidence_lines(const VerifyResult& r);
std::string render_verify_json(const VerifyResult& r);

}  // namespace querylens
