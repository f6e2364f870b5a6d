#pragma once
// Cross-file TypeScript analysis: resolves imports and exports, turns Drizzle `pgTable`
// declarations into the schema model, Drizzle chains and raw SQL strings into queries (by
// lowering them to SQL that libpg_query parses, with positions mapped back to the .ts file),
// and builds the call graph with loop contexts.
#include <memory>
#include <vector>

#include "analyzer/project.h"
#include "analyzer/ts_collect.h"

namespace querylens {

class TypeScriptAnalysis {
public:
    explicit TypeScriptAnalysis(std::vector<TsFile>& files);
    ~TypeScriptAnalysis();

    // Drizzle tables, enums and indexes. Tables the SQL migrations already define keep their SQL
    // definition; disagreements that matter to rules become "schema-drift" diagnostics.
    void add_schema(SchemaModel& schema, std::vector<Diagnostic>& diags);
    // Queries, functions, loops, call sites and the call-graph fixpoint. Syntax errors become
    // "parse-error" diagnostics.
    // Files are lowered in parallel on `jobs` threads (0: one per core) and merged in file order.
    void add_queries(const SchemaModel& schema, QueryInventory& inventory, std::vector<Diagnostic>& diags, unsigned jobs = 1);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace querylens
