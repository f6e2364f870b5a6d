#pragma once
// Differences between two schema models: what the migrations produce vs what the code declares
// (the schema-drift rule), or the model vs a database's catalog. A pass that produces facts;
// rules and verify decide what each difference means.
#include <string>
#include <vector>

#include "core/schema.h"

namespace querylens {

struct SchemaDifference {
    enum class Kind {
        IndexOnlyRight,   // an index `right` has and `left` does not (same keys, uniqueness, predicate)
        IndexOnlyLeft,
        ForeignKeyAction, // the same FK columns with a different ON DELETE
    };
    Kind kind;
    std::string table;  // qualified
    const Index* left_index = nullptr;
    const Index* right_index = nullptr;
    const ForeignKey* left_fk = nullptr;
    const ForeignKey* right_fk = nullptr;
};

// Differences for the tables both models define, in table order, then declaration order.
std::vector<SchemaDifference> schema_diff(const SchemaModel& left, const SchemaModel& right);

}  // namespace querylens
