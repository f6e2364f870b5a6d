#include "frontends/prisma/schema_prisma.h"

#include "core/sql_text.h"

#include <cctype>
#include <string>
#include <string_view>

namespace querylens {

namespace {

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The string argument of `key: "value"` (or of the first positional `"value"` when key is empty)
// inside an attribute's parentheses; "" when absent.
std::string string_arg(std::string_view args, std::string_view key) {
    size_t at = 0;
    if (!key.empty()) {
        for (at = args.find(key); at != std::string_view::npos; at = args.find(key, at + 1)) {
            const bool starts = at == 0 || !ident_char(args[at - 1]);
            size_t k = at + key.size();
            while (k < args.size() && std::isspace(static_cast<unsigned char>(args[k]))) ++k;
            if (starts && k < args.size() && args[k] == ':') {
                at = k + 1;
                break;
            }
        }
        if (at == std::string_view::npos) return "";
    }
    const size_t open = args.find('"', at);
    if (open == std::string_view::npos) return "";
    if (key.empty() && trim(args.substr(0, open)).size() > 0) return "";  // positional only if first
    const size_t close = args.find('"', open + 1);
    return close == std::string_view::npos ? "" : std::string(args.substr(open + 1, close - open - 1));
}

// The parenthesised argument text after `attr` at `at` (`@@index([a, b], map: "x")` -> `[a, b], map: "x"`).
std::string_view paren_args(std::string_view line, size_t at) {
    const size_t open = line.find('(', at);
    if (open == std::string_view::npos || trim(line.substr(at, open - at)).size() > 0) return {};
    int depth = 0;
    for (size_t i = open; i < line.size(); ++i) {
        depth += line[i] == '(' ? 1 : line[i] == ')' ? -1 : 0;
        if (depth == 0) return line.substr(open + 1, i - open - 1);
    }
    return line.substr(open + 1);
}

// The field names of `[a, b(sort: Desc), c]` (the `fields:` argument, or the first positional).
std::vector<std::string> field_list(std::string_view args) {
    std::vector<std::string> out;
    size_t open = args.find('[');
    const size_t fields = args.find("fields");
    if (fields != std::string_view::npos && fields < open) open = args.find('[', fields);
    if (open == std::string_view::npos) return out;
    int depth = 0;
    std::string cur;
    bool taking = true;
    for (size_t i = open + 1; i < args.size(); ++i) {
        const char c = args[i];
        if (c == '(') ++depth, taking = false;
        else if (c == ')') --depth;
        else if (depth == 0 && (c == ',' || c == ']')) {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
            taking = true;
            if (c == ']') break;
        } else if (depth == 0 && taking && ident_char(c)) cur += c;
        else if (depth == 0 && !cur.empty() && std::isspace(static_cast<unsigned char>(c))) taking = false;
    }
    return out;
}

struct Field {
    std::string name, column;
    uint32_t line = 0, column_at = 1;
    bool unique = false;
    std::string unique_map;
};

struct BlockIndex {
    std::string kind;  // "@@index", "@@unique"
    std::vector<std::string> fields;
    std::string map;
    std::string written;
    uint32_t line = 0, column_at = 1;
};

}  // namespace

PrismaDeclarations read_prisma_schema(const SourceFile& file) {
    PrismaDeclarations decl;
    std::vector<DeclaredIndexSite>& out = decl.indexes;
    // The file's name as the user knows it: schema.prisma, or one of a `prisma/schema/` folder's files.
    const std::string source = file.path().substr(file.path().rfind('/') + 1);
    uint32_t model_line = 0, model_col = 1;
    const std::string& text = file.text();
    std::string model, table;
    std::vector<Field> fields;
    std::vector<BlockIndex> blocks;
    bool in_model = false, in_generator = false;
    auto finish = [&]() {
        auto column_of = [&](const std::string& f) {
            for (const auto& x : fields)
                if (x.name == f) return x.column;
            return f;
        };
        for (const auto& f : fields) {
            if (!f.unique) continue;
            out.push_back({table, f.unique_map.empty() ? table + "_" + f.column + "_key" : f.unique_map, "@unique on " + f.name,
                           source, "prisma migrate dev", Location{file.path(), f.line, f.column_at, f.line, f.column_at}});
        }
        for (const auto& b : blocks) {
            if (b.fields.empty()) continue;
            std::string name = table;
            for (const auto& f : b.fields) name += "_" + column_of(f);
            name += b.kind == "@@index" ? "_idx" : "_key";
            out.push_back({table, b.map.empty() ? name : b.map, b.written, source, "prisma migrate dev",
                           Location{file.path(), b.line, b.column_at, b.line, b.column_at}});
        }
        DeclaredModelSite m{table, model, {}, source, "prisma migrate dev", Location{file.path(), model_line, model_col, model_line, model_col}};
        for (const auto& f : fields) m.fields.emplace(f.column, f.name);
        decl.models.push_back(std::move(m));
        fields.clear();
        blocks.clear();
        in_model = false;
    };
    uint32_t line_no = 0;
    for (size_t start = 0; start <= text.size();) {
        const size_t nl = text.find('\n', start);
        const std::string_view raw(text.data() + start, (nl == std::string::npos ? text.size() : nl) - start);
        start = nl == std::string::npos ? text.size() + 1 : nl + 1;
        ++line_no;
        std::string_view line = raw;
        if (const size_t c = line.find("//"); c != std::string_view::npos) line = line.substr(0, c);
        const std::string_view t = trim(line);
        if (t.empty()) continue;
        const uint32_t indent = static_cast<uint32_t>(line.find_first_not_of(" \t")) + 1;
        if (!in_model) {
            // `provider = "mysql"` in the datasource block: another engine's schema (a project
            // that ships one per database); its models are not this database's.
            if (t.rfind("provider", 0) == 0 && t.find('=') != std::string_view::npos && !in_generator) {
                const std::string provider = string_arg(t.substr(t.find('=') + 1), "");
                if (!provider.empty() && provider != "postgresql" && provider != "postgres" && provider != "cockroachdb") return {};
            }
            if (t.rfind("generator ", 0) == 0) in_generator = true;
            if (in_generator && t[0] == '}') in_generator = false;
            if (t.rfind("model ", 0) == 0 && t.back() == '{') {
                model = std::string(trim(t.substr(6, t.size() - 7)));
                table = model;
                in_model = true;
                model_line = line_no, model_col = indent;
            }
            continue;
        }
        if (t[0] == '}') {
            finish();
            continue;
        }
        if (t.rfind("@@map", 0) == 0) {
            if (const std::string m = string_arg(paren_args(t, 5), ""); !m.empty()) table = m;
            continue;
        }
        for (const char* kind : {"@@index", "@@unique"}) {
            const std::string_view k = kind;
            if (t.rfind(k, 0) != 0 || (t.size() > k.size() && ident_char(t[k.size()]))) continue;
            const std::string_view args = paren_args(t, k.size());
            blocks.push_back({kind, field_list(args), string_arg(args, "map"), std::string(t), line_no, indent});
        }
        if (t[0] == '@') continue;
        // A field: `name Type? @attr(...) ...`.
        size_t i = 0;
        while (i < t.size() && ident_char(t[i])) ++i;
        if (i == 0) continue;
        Field f;
        f.name = std::string(t.substr(0, i));
        f.column = f.name;
        f.line = line_no;
        f.column_at = indent;
        for (size_t at = t.find('@', i); at != std::string_view::npos; at = t.find('@', at + 1)) {
            size_t e = at + 1;
            while (e < t.size() && (ident_char(t[e]) || t[e] == '.')) ++e;
            const std::string_view attr = t.substr(at + 1, e - at - 1);
            if (attr == "map") f.column = string_arg(paren_args(t, e), "").empty() ? f.column : string_arg(paren_args(t, e), "");
            if (attr == "unique") {
                f.unique = true;
                f.unique_map = string_arg(paren_args(t, e), "map");
            }
        }
        fields.push_back(std::move(f));
    }
    if (in_model) finish();
    return decl;
}

}  // namespace querylens
