#pragma once
// Prisma schema files (schema.prisma, or the files of a `prisma/schema/` folder): the indexes and
// unique constraints each model declares, under the names `prisma migrate` gives them in the SQL
// it writes (`{table}_{columns}_idx`, `_key`, `_pkey`, or the `map:` argument), so that a rule
// that says "drop this index" can also say where the declaration is. A line scanner over the
// schema language's few block forms (`model X { ... }`); it does not build a schema model: the
// project's migrations do.
#include <vector>

#include "core/project.h"
#include "core/source.h"

namespace querylens {

struct PrismaDeclarations {
    std::vector<DeclaredIndexSite> indexes;
    std::vector<DeclaredModelSite> models;
};
// Nothing for a schema whose datasource names another engine (`provider = "mysql"`).
PrismaDeclarations read_prisma_schema(const SourceFile& file);

}  // namespace querylens
