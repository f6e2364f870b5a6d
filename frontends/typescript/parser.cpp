#include "frontends/typescript/parser.h"

#include <cstring>
#include <unordered_map>

extern "C" const TSLanguage* tree_sitter_typescript();
extern "C" const TSLanguage* tree_sitter_tsx();

namespace querylens {

namespace {

struct ParserHolder {
    TSParser* parser = ts_parser_new();
    ParserHolder(const TSLanguage* lang) { ts_parser_set_language(parser, lang); }
    ~ParserHolder() { ts_parser_delete(parser); }
};

// What a thread knows of one language: its public symbols' names and the field ids looked up so far
// (keyed by the name's address: callers pass string literals; a hit is checked by content).
struct LanguageTables {
    const TSLanguage* language = nullptr;
    std::vector<std::string_view> symbols;
    std::unordered_map<const char*, TSFieldId> fields;
};

LanguageTables& tables_for(const TSLanguage* language) {
    thread_local LanguageTables tables[2];
    thread_local int last = 0;
    if (tables[last].language == language) return tables[last];
    for (int i = 0; i < 2; ++i) {
        if (tables[i].language == language) return tables[last = i];
    }
    last = tables[0].language ? (tables[1].language ? 0 : 1) : 0;  // the grammar and its TSX variant
    LanguageTables& t = tables[last];
    t = LanguageTables{};
    t.language = language;
    const uint32_t n = ts_language_symbol_count(language);
    t.symbols.reserve(n);
    for (uint32_t s = 0; s < n; ++s) {
        const char* name = ts_language_symbol_name(language, static_cast<TSSymbol>(s));
        t.symbols.emplace_back(name ? name : "");
    }
    return t;
}

}  // namespace

std::string_view symbol_name(const TSTree* tree, TSSymbol symbol) {
    const TSLanguage* language = ts_tree_language(tree);
    const LanguageTables& t = tables_for(language);
    if (symbol < t.symbols.size()) return t.symbols[symbol];
    const char* name = ts_language_symbol_name(language, symbol);  // ERROR (65535)
    return name ? std::string_view(name) : std::string_view();
}

TsTree& TsTree::operator=(TsTree&& o) noexcept {
    if (this != &o) {
        if (tree_) ts_tree_delete(tree_);
        tree_ = o.tree_;
        o.tree_ = nullptr;
    }
    return *this;
}

TsTree::~TsTree() {
    if (tree_) ts_tree_delete(tree_);
}

TsTree parse_typescript(const std::string& text, bool tsx) {
    thread_local ParserHolder ts_parser(tree_sitter_typescript());
    thread_local ParserHolder tsx_parser(tree_sitter_tsx());
    TSParser* p = tsx ? tsx_parser.parser : ts_parser.parser;
    TsTree t;
    t.tree_ = ts_parser_parse_string(p, nullptr, text.data(), static_cast<uint32_t>(text.size()));
    ts_parser_reset(p);
    return t;
}

TSNode field(TSNode n, const char* name) {
    if (ts_node_is_null(n)) return n;
    const TSLanguage* language = ts_tree_language(n.tree);
    LanguageTables& t = tables_for(language);
    auto it = t.fields.find(name);
    if (it == t.fields.end() || (it->second && std::strcmp(ts_language_field_name_for_id(language, it->second), name) != 0))
        it = t.fields.insert_or_assign(name, ts_language_field_id_for_name(language, name, static_cast<uint32_t>(std::strlen(name)))).first;
    if (it->second == 0) return TSNode{};  // no such field in this grammar
    return ts_node_child_by_field_id(n, it->second);
}

std::vector<TSNode> named_children(TSNode n) {
    std::vector<TSNode> out;
    if (ts_node_is_null(n)) return out;
    // One cursor per thread, reset for each call: a new cursor allocates its stack every time, and
    // the collector asks for children hundreds of thousands of times on a large project.
    struct Cursor {
        TSTreeCursor c;
        bool live = false;
        ~Cursor() {
            if (live) ts_tree_cursor_delete(&c);
        }
    };
    thread_local Cursor cursor;
    if (!cursor.live) {
        cursor.c = ts_tree_cursor_new(n);
        cursor.live = true;
    } else {
        ts_tree_cursor_reset(&cursor.c, n);
    }
    TSTreeCursor& c = cursor.c;
    if (ts_tree_cursor_goto_first_child(&c)) {
        do {
            TSNode child = ts_tree_cursor_current_node(&c);
            if (ts_node_is_named(child) && !is(child, "comment")) out.push_back(child);
        } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    return out;
}

TSNode unwrap(TSNode n) {
    for (int guard = 0; guard < 64 && !ts_node_is_null(n); ++guard) {
        const auto t = node_type(n);
        if (t == "parenthesized_expression" || t == "await_expression" || t == "non_null_expression" ||
            t == "as_expression" || t == "satisfies_expression") {
            TSNode first{};  // the first named child that is not a comment
            for (uint32_t i = 0, count = ts_node_named_child_count(n); i < count; ++i) {
                TSNode k = ts_node_named_child(n, i);
                if (!is(k, "comment")) {
                    first = k;
                    break;
                }
            }
            if (ts_node_is_null(first)) return n;
            n = first;
        } else {
            break;
        }
    }
    return n;
}

namespace {

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace

bool decode_escape(std::string_view raw, size_t& i, std::string& out) {
    const char e = raw[++i];
    switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '0': out += '\0'; break;
        case '\n': break;  // line continuation
        case 'u':
        case 'x': {
            size_t j = i + 1, len = e == 'x' ? 2 : 4;
            if (e == 'u' && j < raw.size() && raw[j] == '{') {
                const size_t close = raw.find('}', j);
                if (close == std::string_view::npos) return false;
                append_utf8(out, static_cast<uint32_t>(std::strtoul(std::string(raw.substr(j + 1, close - j - 1)).c_str(), nullptr, 16)));
                i = close;
                break;
            }
            if (j + len > raw.size()) return false;
            append_utf8(out, static_cast<uint32_t>(std::strtoul(std::string(raw.substr(j, len)).c_str(), nullptr, 16)));
            i += len;
            break;
        }
        default: out += e;
    }
    return true;
}

bool string_value(TSNode n, const std::string& src, std::string& out) {
    n = unwrap(n);
    const bool str = is(n, "string"), tpl = is(n, "template_string");
    if (!str && !tpl) return false;
    const std::string_view raw = node_text(n, src);
    if (raw.size() < 2) return false;
    out.clear();
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
        const char c = raw[i];
        if (tpl && c == '$' && raw[i + 1] == '{') return false;  // has substitutions
        if (c != '\\' || i + 2 >= raw.size()) {
            out += c;
            continue;
        }
        if (!decode_escape(raw, i, out)) return false;
    }
    return true;
}

std::vector<TsSyntaxError> syntax_errors(TSNode root, size_t limit) {
    std::vector<TsSyntaxError> out;
    if (ts_node_is_null(root) || !ts_node_has_error(root)) return out;
    TSTreeCursor c = ts_tree_cursor_new(root);
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        bool descend = ts_node_has_error(n);
        if (ts_node_is_missing(n)) {
            out.push_back({ts_node_start_byte(n), std::string("missing ") + ts_node_type(n)});
            descend = false;
        } else if (is(n, "ERROR")) {
            out.push_back({ts_node_start_byte(n), "unexpected syntax"});
            descend = false;
        }
        if (out.size() >= limit) break;
        if (descend && ts_tree_cursor_goto_first_child(&c)) continue;
        bool moved = false;
        while (!(moved = ts_tree_cursor_goto_next_sibling(&c)))
            if (!ts_tree_cursor_goto_parent(&c)) break;
        if (!moved) break;
    }
    ts_tree_cursor_delete(&c);
    return out;
}

}  // namespace querylens
