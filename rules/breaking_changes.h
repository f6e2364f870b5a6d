#pragma once
// The shared judgement of ban-drop-column, ban-drop-table, renaming-column and renaming-table:
// a change that breaks the application version still running while the migration deploys.
#include "rules/migration_ops.h"

namespace querylens::rules {

// Expand/contract advice, one sentence, for messages.
inline const char* kExpandContract =
    "deploy code that no longer uses it first, then drop it in a later release (expand/contract)";

}  // namespace querylens::rules
