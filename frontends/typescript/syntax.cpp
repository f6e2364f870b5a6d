#include "frontends/typescript/syntax.h"

#include <algorithm>

namespace querylens {

TSNode flatten_chain(TSNode expr, const std::string& src, std::vector<ChainLink>& links) {
    TSNode cur = unwrap(expr);
    for (int guard = 0; guard < 4096; ++guard) {
        if (is(cur, "call_expression")) {
            TSNode fn = unwrap(field(cur, "function"));
            if (!is(fn, "member_expression")) break;
            links.push_back({std::string(node_text(field(fn, "property"), src)), fn, field(cur, "arguments")});
            cur = unwrap(field(fn, "object"));
        } else if (is(cur, "member_expression")) {
            links.push_back({std::string(node_text(field(cur, "property"), src)), cur, TSNode{}});
            cur = unwrap(field(cur, "object"));
        } else {
            break;
        }
    }
    std::reverse(links.begin(), links.end());
    return cur;
}

std::vector<TSNode> call_args(TSNode args) {
    std::vector<TSNode> out;
    for (TSNode a : named_children(args)) out.push_back(unwrap(a));
    return out;
}

TSNode object_property(TSNode object, const std::string& src, const std::string& key) {
    if (!is(object, "object")) return TSNode{};
    for (TSNode p : named_children(object)) {
        if (is(p, "pair") && node_text(field(p, "key"), src) == key) return unwrap(field(p, "value"));
        if (is(p, "shorthand_property_identifier") && node_text(p, src) == key) return p;
    }
    return TSNode{};
}

bool function_scope(std::string_view t) {
    return t == "function_declaration" || t == "arrow_function" || t == "function_expression" || t == "method_definition" ||
           t == "function" || t == "program";
}

TSNode enclosing_function(TSNode n) {
    // The root when no function encloses `n`: "program", or an ERROR node when the file does not
    // parse as a whole (never null for a node of a tree).
    TSNode last = n;
    for (int guard = 0; guard < 256 && !ts_node_is_null(n); ++guard) {
        if (function_scope(node_type(n))) return n;
        last = n;
        n = ts_node_parent(n);
    }
    return ts_node_is_null(n) ? last : n;
}

TSNode arrow_result(TSNode fn) {
    fn = unwrap(fn);
    if (!is(fn, "arrow_function") && !is(fn, "function_expression") && !is(fn, "function")) return fn;
    TSNode body = field(fn, "body");
    if (is(body, "statement_block")) {
        for (TSNode s : named_children(body))
            if (is(s, "return_statement")) {
                const auto k = named_children(s);
                return k.empty() ? TSNode{} : unwrap(k[0]);
            }
        return TSNode{};
    }
    return unwrap(body);
}

std::vector<std::string> param_names(TSNode fn, const std::string& src) {
    std::vector<std::string> out;
    fn = unwrap(fn);
    TSNode single = field(fn, "parameter");
    if (!ts_node_is_null(single)) return {std::string(node_text(single, src))};
    for (TSNode p : named_children(field(fn, "parameters"))) {
        TSNode pat = field(p, "pattern");
        out.push_back(is(pat, "identifier") ? std::string(node_text(pat, src)) : std::string());
    }
    return out;
}

}  // namespace querylens
