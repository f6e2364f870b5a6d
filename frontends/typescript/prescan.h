#pragma once
// A cheap look at a TypeScript file before parsing it: the modules it imports (imports,
// re-exports, dynamic imports, require; not `import type`, which is erased) and what it can do with
// the database by itself:
//   issues    it can run a query: it imports a driver (pg, postgres, drizzle-orm/node-postgres, ...),
//             calls `.query(` / `.unsafe(` or writes a `sql` template without Drizzle, or imports
//             Drizzle and calls a query builder (`.select(`, `.insert(`, `.findMany(`, ...);
//   declares  it imports Drizzle's core (tables, enums, operators, sql fragments) without that.
// The project parses only what can matter (analysis/project.cpp): files that issue or declare, and
// every file that imports a file that issues, directly or through other files (its calls may reach
// a query, in a loop). A declaring file is parsed for its tables and fragments, but importing it
// does not make a file relevant: it needs a database handle for that, and importing one is an
// edge to a file that issues. A barrel that re-exports a declaring file declares too. An
// `import type` is erased at runtime, so it carries no call, except into a class: a field typed
// with an imported class (`private orchestrator: NodeOrchestrator`) is how injected services call
// each other. Markers are looked for in code only (not in comments or strings).
#include <string>
#include <string_view>
#include <vector>

namespace querylens {

struct TsPrescan {
    std::vector<std::string> specifiers;  // as written: "./db", "@/lib/db", "drizzle-orm/pg-core"
    std::vector<char> reexport;           // per specifier: `export ... from` (a barrel passes it on)
    std::vector<char> type_only;          // per specifier: `import type` (erased at runtime)
    bool has_class = false;               // declares a class: a field's type names the class whose methods it calls
    bool issues = false;
    bool declares = false;
};

TsPrescan prescan_typescript(std::string_view text);

}  // namespace querylens
