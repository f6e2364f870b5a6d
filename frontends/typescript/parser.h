#pragma once
// Thin RAII layer over tree-sitter and tree-sitter-typescript: parses a TypeScript/TSX file into a
// syntax tree, with helpers that never recurse on input depth (children are listed with a
// TSTreeCursor; whole-tree walks are iterative).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tree_sitter/api.h>

namespace querylens {

class TsTree {
public:
    TsTree() = default;
    TsTree(const TsTree&) = delete;
    TsTree& operator=(const TsTree&) = delete;
    TsTree(TsTree&& o) noexcept : tree_(o.tree_) { o.tree_ = nullptr; }
    TsTree& operator=(TsTree&& o) noexcept;
    ~TsTree();

    bool ok() const { return tree_ != nullptr; }
    TSNode root() const { return ts_tree_root_node(tree_); }

private:
    friend TsTree parse_typescript(const std::string& text, bool tsx);
    TSTree* tree_ = nullptr;
};

// Parses with one parser per thread and language. Never fails on syntax errors: tree-sitter
// recovers and marks ERROR/MISSING nodes (see syntax_errors).
TsTree parse_typescript(const std::string& text, bool tsx);

struct TsSyntaxError {
    uint32_t offset = 0;
    std::string message;
};
// Up to `limit` ERROR / MISSING nodes, outermost first, in source order.
std::vector<TsSyntaxError> syntax_errors(TSNode root, size_t limit = 20);

// Node helpers. node_type is ts_node_type read from a per-thread table of the language's symbol
// names (no strlen per call); field() caches each field name's id per language.
std::string_view symbol_name(const TSTree* tree, TSSymbol symbol);
inline std::string_view node_type(TSNode n) { return ts_node_is_null(n) ? std::string_view() : symbol_name(n.tree, ts_node_symbol(n)); }
inline bool is(TSNode n, std::string_view type) { return !ts_node_is_null(n) && node_type(n) == type; }
inline std::string_view node_text(TSNode n, const std::string& src) {
    if (ts_node_is_null(n)) return {};
    const uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
    return std::string_view(src).substr(b, e > b ? e - b : 0);
}
TSNode field(TSNode n, const char* name);
std::vector<TSNode> named_children(TSNode n);
// Skips parentheses, `await`, `!` (non-null), `as T` and `satisfies T` wrappers.
TSNode unwrap(TSNode n);

// The value of a string literal or of a template string without substitutions, decoded; false
// when `n` is something else.
bool string_value(TSNode n, const std::string& src, std::string& out);
// The escape sequence whose backslash is at raw[i] (`\'`, `\n`, `\u{1F600}`, a line continuation),
// appended to `out` as its value; `i` ends on its last character. False when it is cut short.
bool decode_escape(std::string_view raw, size_t& i, std::string& out);

}  // namespace querylens
