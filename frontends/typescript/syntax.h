#pragma once
// Shapes of TypeScript syntax that every TypeScript-based frontend reads: member chains
// (`a.b(x).c(y)`), call arguments, option objects, arrow-function results and parameter names.
#include <string>
#include <vector>

#include "frontends/typescript/parser.h"

namespace querylens {

// One link of a member chain: `.name(args)` or `.name`.
struct ChainLink {
    std::string name;
    TSNode member{};  // member_expression (its property is the name)
    TSNode args{};    // arguments node; null for a property access
};

// The function (or the program) around `n`: the scope a local name written at `n` belongs to.
TSNode enclosing_function(TSNode n);
// Whether a node of this type is such a scope (a function of any form, or the program).
bool function_scope(std::string_view type);

// `a.b(x).c(y)` -> root `a`, links [b(x), c(y)].
TSNode flatten_chain(TSNode expr, const std::string& src, std::vector<ChainLink>& links);
// The arguments of a call, unwrapped.
std::vector<TSNode> call_args(TSNode args);
// The value of a property of an object literal: `{ onDelete: 'cascade' }`, "onDelete" -> 'cascade'.
TSNode object_property(TSNode object, const std::string& src, const std::string& key);
// The body expression of an arrow function (`() => x`, `(t) => ({...})`, `(t) => { return x; }`).
TSNode arrow_result(TSNode fn);
// Parameter names of a function: `(t, { eq })` -> ["t", ""].
std::vector<std::string> param_names(TSNode fn, const std::string& src);

}  // namespace querylens
