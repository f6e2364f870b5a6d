#pragma once
// The TypeScript frontend: the project's .ts files seen together (frontends/typescript), with the
// ORM and raw-SQL frontends that read queries and schema declarations in them
// (frontends/drizzle, frontends/raw_sql). Produces what every frontend produces: a declared schema
// model, and query sites (lowered to SQL, read by libpg_query, positions mapped back to the .ts
// file), functions, call sites and loops for the call graph.
#include <memory>
#include <string>
#include <vector>

#include "core/project.h"
#include "frontends/typescript/collect.h"

namespace querylens {

class TypeScriptFrontend {
public:
    // `root`: the directory shown paths are relative to, where tsconfig.json and package.json files
    // are read for module resolution; empty for in-memory analyses (only the files themselves).
    explicit TypeScriptFrontend(std::vector<TsFile>& files, const std::string& root = {});
    ~TypeScriptFrontend();

    // The schema the code declares (Drizzle tables, enums, indexes, constraints), on its own.
    SchemaModel declared_schema() const;
    // Migrations written as code: the SQL strings a migration file's `up` runs, in source order
    // (TypeORM's `queryRunner.query('...')`, knex's `knex.raw('...')`, Sequelize's
    // `queryInterface.sequelize.query('...')`, MikroORM's `this.addSql('...')`, Kysely's
    // sql`...`.execute(db)). A file is a
    // migration by its folder (core/paths.h migration_path); `down` is never read.
    struct CodeMigrationStatement {
        const SourceFile* file;  // the .ts file
        std::string sql;
        std::vector<SourceSegment> segments;  // positions of `sql` in the .ts file
        std::vector<uint32_t> runtime_statements;  // offsets of `${}` standing for statements built at run time
    };
    std::vector<CodeMigrationStatement> code_migrations() const;
    // What querylens could not resolve (imports that name no project file and no package, bad
    // tsconfig/package.json files): diagnostics, never findings.
    void add_diagnostics(std::vector<Diagnostic>& diags) const;
    // Queries, functions, loops and call sites, resolved against `schema`. Syntax errors become
    // "parse-error" diagnostics. Files are lowered in parallel on `jobs` threads (0: one per core)
    // and merged in file order.
    void add_queries(const SchemaModel& schema, QueryInventory& inventory, std::vector<Diagnostic>& diags,
                     unsigned jobs = 1) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace querylens
