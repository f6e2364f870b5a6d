// Drizzle declarations: tables in every form, enums, and database handles with their casing.
#include <algorithm>
#include <cctype>

#include "frontends/drizzle/drizzle.h"
#include "core/paths.h"
#include "sql/sql_writer.h"
#include "frontends/typescript/syntax.h"

namespace querylens {

namespace {

std::string snake(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (std::isupper(static_cast<unsigned char>(c))) {
            if (i > 0) out += '_';
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            out += c;
        }
    }
    return out;
}

// The casing option of a `drizzle(client, { casing: 'snake_case' })` call.
DrizzleCasing handle_casing(const std::vector<TSNode>& args, const std::string& src) {
    for (TSNode a : args)
        if (TSNode c = object_property(a, src, "casing"); !ts_node_is_null(c)) {
            std::string v;
            if (string_value(c, src, v) && v == "snake_case") return DrizzleCasing::SnakeCase;
        }
    return DrizzleCasing::AsWritten;
}

// The table name a pgTableCreator((name) => `prefix_${name}`) factory makes of `name`.
std::string creator_name(TSNode fn, const std::string& src, const std::string& name) {
    const auto params = param_names(fn, src);
    TSNode body = arrow_result(fn);
    if (!is(body, "template_string") || params.empty()) return name;
    std::string out;
    uint32_t pos = ts_node_start_byte(body) + 1;
    for (TSNode k : named_children(body)) {
        if (!is(k, "template_substitution")) continue;
        out += src.substr(pos, ts_node_start_byte(k) - pos);
        const auto inner = named_children(k);
        out += (!inner.empty() && node_text(inner[0], src) == params[0]) ? name : std::string();
        pos = ts_node_end_byte(k);
    }
    out += src.substr(pos, ts_node_end_byte(body) - 1 - pos);
    return out;
}

}  // namespace

std::string DrizzleColumn::sql_name(DrizzleCasing casing) const {
    if (!explicit_name.empty()) return explicit_name;
    return casing == DrizzleCasing::SnakeCase ? snake(property) : property;
}

void DrizzleProgram::discover() {
    for (size_t fi = 0; fi < program_.files().size(); ++fi) discover_file(static_cast<int>(fi));
    // The schema's casing is drizzle-kit's; without its config, a handle that asks for snake_case
    // says how the project names columns.
    for (const auto& [sym, casing] : handles_)
        if (casing == DrizzleCasing::SnakeCase) schema_casing_ = DrizzleCasing::SnakeCase;
    discover_aliases();
    resolve_relations();
    for (const auto& [var, idx] : table_by_symbol_)
        if (!table_by_export_.count(var.name) && tables_[idx].alias.empty()) table_by_export_.emplace(var.name, idx);
    scope_to_configs();
}

std::string DrizzleTable::reference() const { return alias.empty() ? quoted_table(qualified()) : quoted_ident(alias); }

// `const parent = alias(categories, 'parent')`: a copy of the table that queries name `parent`
// (self-joins). Not part of the schema.
void DrizzleProgram::discover_aliases() {
    for (size_t fi = 0; fi < program_.files().size(); ++fi) {
        const int file = static_cast<int>(fi);
        const std::string& s = program_.src(file);
        for (const auto& [var, value] : program_.file(file).values) {
            if (!program_.calls(file, value, "alias")) continue;
            const auto args = call_args(field(value, "arguments"));
            std::string name;
            if (args.size() < 2 || !string_value(args[1], s, name)) continue;
            const DrizzleTable* base = table_for(file, args[0], nullptr);
            if (!base) continue;
            DrizzleTable t = *base;
            t.symbol = {file, var};
            t.alias = name;
            t.in_schema = false;
            table_by_symbol_[t.symbol] = tables_.size();
            tables_.push_back(std::move(t));
        }
    }
}

namespace {

// drizzle.config.ts, drizzle-prod.config.ts; not drizzle.config.test.ts (a test database's).
bool config_file(const std::string& path) {
    const std::string name = path.substr(path.rfind('/') + 1);
    return name.rfind("drizzle", 0) == 0 && name.find(".config.") != std::string::npos &&
           name.find(".test.") == std::string::npos && name.find(".spec.") == std::string::npos;
}

std::vector<std::string> string_values(TSNode v, const std::string& src) {
    std::vector<std::string> out;
    std::string s;
    if (string_value(v, src, s)) out.push_back(s);
    if (is(v, "array"))
        for (TSNode k : named_children(v))
            if (string_value(unwrap(k), src, s)) out.push_back(s);
    return out;
}

std::string join_path(const std::string& dir, const std::string& rel) {
    std::vector<std::string> parts;
    auto push = [&](const std::string& p) {
        size_t start = 0;
        while (start <= p.size()) {
            const size_t slash = p.find('/', start);
            const std::string seg = p.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
            if (seg == "..") {
                if (!parts.empty() && parts.back() != "..") parts.pop_back();
                else parts.push_back(seg);
            } else if (!seg.empty() && seg != ".") {
                parts.push_back(seg);
            }
            if (slash == std::string::npos) break;
            start = slash + 1;
        }
    };
    if (!(rel.size() && rel[0] == '/')) push(dir);
    push(rel);
    std::string out = rel.size() && rel[0] == '/' ? "/" : "";
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
    return out;
}

// Whether `file` is named by a drizzle-kit `schema` entry resolved against `base`: the file, a
// folder holding it, or a glob.
bool names_file(const std::string& base, const std::string& entry, const std::string& file) {
    const std::string target = join_path(base, entry);
    if (target.find('*') != std::string::npos) return glob_match(target, file);
    if (file == target) return true;
    return file.size() > target.size() && file.compare(0, target.size() + 1, target + "/") == 0;
}

}  // namespace

void DrizzleProgram::scope_to_configs() {
    struct Config {
        std::string dir;
        std::vector<std::string> schema;
        bool postgres = true;
    };
    std::vector<Config> configs;
    for (size_t fi = 0; fi < program_.files().size(); ++fi) {
        const TsFile& f = program_.file(static_cast<int>(fi));
        const std::string& path = f.file->path();
        if (!config_file(path)) continue;
        auto it = f.values.find("default");
        if (it == f.values.end()) continue;
        TSNode obj = unwrap(it->second);
        if (is(obj, "call_expression")) {  // defineConfig({...})
            const auto a = call_args(field(obj, "arguments"));
            obj = a.empty() ? TSNode{} : a[0];
        }
        if (!is(obj, "object")) continue;
        const std::string& src = f.file->text();
        Config c;
        c.dir = path.find('/') == std::string::npos ? "" : path.substr(0, path.rfind('/'));
        c.schema = string_values(object_property(obj, src, "schema"), src);
        std::string dialect, casing;
        if (string_value(object_property(obj, src, "dialect"), src, dialect)) c.postgres = dialect == "postgresql";
        if (c.postgres && string_value(object_property(obj, src, "casing"), src, casing) && casing == "snake_case")
            schema_casing_ = DrizzleCasing::SnakeCase;
        configs.push_back(std::move(c));
    }
    // drizzle-kit resolves `schema` against the directory it runs in: the config's, or (with
    // `--config path/to/config`) the package above it. Try the config's directory and its ancestors.
    auto named_by = [&](const Config& c, const std::string& file) {
        for (const auto& entry : c.schema) {
            std::string base = c.dir;
            for (int up = 0; up < 4; ++up) {
                if (names_file(base, entry, file)) return true;
                if (base.empty()) break;
                base = base.find('/') == std::string::npos ? "" : base.substr(0, base.rfind('/'));
            }
        }
        return false;
    };
    bool any_postgres = false;
    for (const auto& c : configs) any_postgres |= c.postgres && !c.schema.empty();
    if (configs.empty()) return;
    for (auto& t : tables_) {
        const std::string& file = program_.file(t.symbol.file).file->path();
        bool pg = false, other = false;
        for (const auto& c : configs)
            if (named_by(c, file)) (c.postgres ? pg : other) = true;
        if (pg) continue;
        if (other) {  // the schema of a SQLite/MySQL config: not this database
            t.in_schema = false;
            continue;
        }
        if (any_postgres && !program_.imported(t.symbol.file)) t.in_schema = false;
    }
}

// `pgTable('name', ...)`, `schema.table('name', ...)`, `createTable('name', ...)`: the table's SQL
// name (and schema); false for any other call.
bool DrizzleProgram::table_name(int file, TSNode callee, const std::string& fn, const std::string& name,
                                DrizzleTable& t) const {
    const std::string& s = program_.src(file);
    if (fn == "pgTable") {
        t.name = name;
        return true;
    }
    if (is(callee, "identifier")) {  // a factory made with pgTableCreator((name) => `prefix_${name}`)
        const TsSymbol sym = program_.resolve_name(file, std::string(node_text(callee, s)));
        const TSNode* creator = program_.value_of(sym);
        if (!creator || !program_.calls(sym.file, *creator, "pgTableCreator")) return false;
        const auto cargs = call_args(field(*creator, "arguments"));
        if (cargs.empty()) return false;
        t.name = creator_name(cargs[0], program_.src(sym.file), name);
        return true;
    }
    if (is(callee, "member_expression") && node_text(field(callee, "property"), s) == "table") {
        TSNode obj = unwrap(field(callee, "object"));
        const TsSymbol sym = is(obj, "identifier") ? program_.resolve_name(file, std::string(node_text(obj, s))) : TsSymbol{};
        const TSNode* schema_call = program_.value_of(sym);
        if (!schema_call || !program_.calls(sym.file, *schema_call, "pgSchema")) return false;
        const auto sargs = call_args(field(*schema_call, "arguments"));
        if (sargs.empty() || !string_value(sargs[0], program_.src(sym.file), t.schema)) return false;
        t.name = name;
        return true;
    }
    return false;
}

// `auditTable('user_audit')` where the same file declares `function auditTable(name) { return
// pgTable(name, { ...literal columns }) }` (or an arrow function): the inner table call, with the
// table's name taken from the argument the helper passes on (or the literal it writes); null when
// the callee is no such helper.
TSNode DrizzleProgram::helper_table(int file, TSNode callee, const std::vector<TSNode>& args, std::string& name,
                                    DrizzleTable& t) const {
    const std::string& s = program_.src(file);
    if (!is(callee, "identifier")) return TSNode{};
    const std::string fname(node_text(callee, s));
    TSNode fn{};
    auto it = program_.file(file).values.find(fname);
    if (it != program_.file(file).values.end()) fn = unwrap(it->second);
    for (TSNode top : named_children(program_.file(file).tree.root())) {
        if (!ts_node_is_null(fn)) break;
        if (is(top, "export_statement")) top = field(top, "declaration");
        if (is(top, "function_declaration") && node_text(field(top, "name"), s) == fname) fn = top;
    }
    if (ts_node_is_null(fn)) return TSNode{};
    TSNode result{};
    if (is(fn, "function_declaration")) {
        for (TSNode st : named_children(field(fn, "body")))
            if (is(st, "return_statement") && !named_children(st).empty()) result = unwrap(named_children(st)[0]);
    } else {
        result = arrow_result(fn);
    }
    if (!is(result, "call_expression")) return TSNode{};
    const auto inner = call_args(field(result, "arguments"));
    TSNode inner_callee = unwrap(field(result, "function"));
    if (inner.size() < 2 || !is(arrow_result(inner[1]), "object")) return TSNode{};
    // The name: a literal in the helper, or the helper's parameter filled by this call.
    if (!string_value(inner[0], s, name)) {
        if (!is(inner[0], "identifier")) return TSNode{};
        const auto params = param_names(fn, s);
        const std::string pname(node_text(inner[0], s));
        size_t i = 0;
        while (i < params.size() && params[i] != pname) ++i;
        if (i >= params.size() || i >= args.size() || !string_value(args[i], s, name)) return TSNode{};
    }
    if (!table_name(file, inner_callee, program_.imported_name(file, inner_callee), name, t)) return TSNode{};
    return result;
}

void DrizzleProgram::discover_file(int file) {
    const std::string& s = program_.src(file);
    for (const auto& [var, value] : program_.file(file).values) {
        if (!is(value, "call_expression")) continue;
        TSNode call = value;
        // pgTable(...).enableRLS() / .withRLS(...): the table is the call the chain starts from.
        for (int guard = 0; guard < 8; ++guard) {
            TSNode fn = unwrap(field(call, "function"));
            if (!is(fn, "member_expression")) break;
            const std::string_view prop = node_text(field(fn, "property"), s);
            TSNode inner = unwrap(field(fn, "object"));
            if ((prop != "enableRLS" && prop != "withRLS") || !is(inner, "call_expression")) break;
            call = inner;
        }
        TSNode callee = unwrap(field(call, "function"));
        const auto args = call_args(field(call, "arguments"));
        const std::string fn = program_.imported_name(file, callee);
        if (fn == "relations") {
            relation_calls_.emplace_back(file, call);
            continue;
        }
        if (fn == "drizzle") {
            handles_[{file, var}] = handle_casing(args, s);
            continue;
        }
        if (fn == "pgEnum") {
            std::string name;
            if (!args.empty() && string_value(args[0], s, name)) enums_[{file, var}] = {file, name, value};
            continue;
        }
        DrizzleTable t;
        t.symbol = {file, var};
        t.call = call;
        std::string name;
        TSNode columns = args.size() >= 2 ? args[1] : TSNode{};
        TSNode extras = args.size() >= 3 ? args[2] : TSNode{};
        if (args.size() < 2 || !constant_string(file, args[0], name) || !table_name(file, callee, fn, name, t)) {
            // A local helper that builds the table: `function auditTable(name) { return pgTable(name, {...}) }`.
            TSNode inner = helper_table(file, callee, args, name, t);
            if (ts_node_is_null(inner)) continue;
            const auto inner_args = call_args(field(inner, "arguments"));
            t.call = inner;
            columns = inner_args[1];
            extras = inner_args.size() >= 3 ? inner_args[2] : TSNode{};
        }
        read_columns(t, file, arrow_result(columns), 0);
        if (!ts_node_is_null(extras)) t.extras = extras;
        table_by_symbol_[t.symbol] = tables_.size();
        if (program_.file(file).exports.count(var)) table_by_export_.emplace(var, tables_.size());
        tables_.push_back(std::move(t));
    }
}

// A string literal, or a name bound to one (`const TABLE_NAME = 'billing_periods'`, here or
// imported).
bool DrizzleProgram::constant_string(int file, TSNode e, std::string& out) const {
    e = unwrap(e);
    if (string_value(e, program_.src(file), out)) return true;
    if (!is(e, "identifier")) return false;
    const TsSymbol sym = program_.resolve_name(file, std::string(node_text(e, program_.src(file))));
    const TSNode* v = program_.value_of(sym);
    return v && string_value(unwrap(*v), program_.src(sym.file), out);
}

// The columns of a table's object literal, in `file`: `key: type(...)` pairs, and spreads of shared
// columns (`...timestamps`, a const object of this or another file; `...tableBase('x')`, an arrow
// function returning one), followed to `kMaxSpreadDepth` levels. Anything else makes the
// table's column list incomplete (partial_tables()).
void DrizzleProgram::read_columns(DrizzleTable& t, int file, TSNode object, int depth) {
    constexpr int kMaxSpreadDepth = 3;
    if (!is(object, "object")) {
        t.columns_complete = false;
        return;
    }
    const std::string& s = program_.src(file);
    for (TSNode p : named_children(object)) {
        if (is(p, "comment")) continue;
        if (is(p, "spread_element") && depth < kMaxSpreadDepth) {
            const auto k = named_children(p);
            TSNode e = k.empty() ? TSNode{} : unwrap(k[0]);
            TSNode name = is(e, "call_expression") ? unwrap(field(e, "function")) : e;
            if (is(name, "identifier")) {
                const TsSymbol sym = program_.resolve_name(file, std::string(node_text(name, s)));
                if (const TSNode* v = program_.value_of(sym)) {
                    TSNode value = unwrap(*v);
                    if (is(e, "call_expression")) value = is(value, "arrow_function") || is(value, "function_expression") ? arrow_result(value) : TSNode{};
                    if (is(value, "object")) {
                        read_columns(t, sym.file, value, depth + 1);
                        continue;
                    }
                }
            }
        }
        if (!is(p, "pair")) {  // a spread not followed, a shorthand property
            t.columns_complete = false;
            continue;
        }
        DrizzleColumn c;
        c.file = file == t.symbol.file ? -1 : file;
        c.key = field(p, "key");
        c.property = std::string(node_text(c.key, s));
        if (c.property.size() >= 2 && (c.property[0] == '\'' || c.property[0] == '"'))
            c.property = c.property.substr(1, c.property.size() - 2);
        c.node = unwrap(field(p, "value"));
        // An explicit SQL name: `varchar('user_id')`.
        std::vector<ChainLink> links;
        TSNode root = flatten_chain(c.node, s, links);
        unwrap_namespace(program_, file, root, links);
        if (is(root, "call_expression")) {
            const auto a = call_args(field(root, "arguments"));
            if (!a.empty()) string_value(a[0], s, c.explicit_name);
        }
        // A later key replaces an earlier one (`{ ...base, id: uuid('id') }`), as in JavaScript.
        auto same = std::find_if(t.columns.begin(), t.columns.end(), [&](const DrizzleColumn& o) { return o.property == c.property; });
        if (same != t.columns.end()) *same = std::move(c);
        else t.columns.push_back(std::move(c));
    }
}

std::string unwrap_namespace(const TsProgram& program, int file, TSNode& root, std::vector<ChainLink>& links) {
    if (!is(root, "identifier") || links.empty() || ts_node_is_null(links[0].args) || ts_node_is_null(links[0].member)) return {};
    std::string fn = program.imported_name(file, links[0].member);
    if (fn.empty()) return {};
    root = ts_node_parent(links[0].args);
    links.erase(links.begin());
    return fn;
}

// `relations(users, ({ one, many }) => ({ posts: many(posts), team: one(teams, { fields:
// [users.teamId], references: [teams.id] }) }))`, read once every table is known.
void DrizzleProgram::resolve_relations() {
    auto props = [&](int file, TSNode list) {
        std::vector<std::string> out;
        for (TSNode e : named_children(unwrap(list)))
            if (is(unwrap(e), "member_expression")) out.emplace_back(node_text(field(unwrap(e), "property"), program_.src(file)));
        return out;
    };
    for (const auto& [file, call] : relation_calls_) {
        const std::string& s = program_.src(file);
        const auto args = call_args(field(call, "arguments"));
        if (args.size() < 2) continue;
        const DrizzleTable* owner = table_for(file, args[0], nullptr);
        TSNode body = arrow_result(args[1]);
        if (!owner || !is(body, "object")) continue;
        auto& list = relations_[owner];
        for (TSNode p : named_children(body)) {
            if (!is(p, "pair")) continue;
            TSNode v = unwrap(field(p, "value"));
            if (!is(v, "call_expression") || !is(unwrap(field(v, "function")), "identifier")) continue;
            const std::string kind(node_text(unwrap(field(v, "function")), s));
            if (kind != "one" && kind != "many") continue;
            const auto a = call_args(field(v, "arguments"));
            if (a.empty()) continue;
            DrizzleRelation r;
            r.name = std::string(node_text(field(p, "key"), s));
            r.many = kind == "many";
            r.target = table_for(file, a[0], nullptr);
            if (!r.target) continue;
            if (a.size() >= 2 && is(unwrap(a[1]), "object")) {
                r.fields = props(file, object_property(a[1], s, "fields"));
                r.references = props(file, object_property(a[1], s, "references"));
                string_value(object_property(a[1], s, "relationName"), s, r.relation_name);
            }
            list.push_back(std::move(r));
        }
    }
}

const DrizzleRelation* DrizzleProgram::relation(const DrizzleTable& table, const std::string& name) const {
    auto it = relations_.find(&table);
    if (it == relations_.end()) return nullptr;
    for (const auto& r : it->second)
        if (r.name == name) return &r;
    return nullptr;
}

bool DrizzleProgram::relation_link(const DrizzleTable& table, const DrizzleRelation& r,
                                   std::vector<std::pair<std::string, std::string>>& on) const {
    on.clear();
    if (!r.target || r.target == &table) return false;
    if (!r.many && !r.fields.empty() && r.fields.size() == r.references.size()) {
        for (size_t i = 0; i < r.fields.size(); ++i) on.emplace_back(r.references[i], r.fields[i]);
        return true;
    }
    // many(target) (or a one() without fields: the other side holds the key): the target's one()
    // back to this table, with the same relationName when one is given.
    auto back = relations_.find(r.target);
    if (back == relations_.end()) return false;
    for (const auto& o : back->second) {
        if (o.many || o.target != &table || o.fields.empty() || o.fields.size() != o.references.size()) continue;
        if (!r.relation_name.empty() && o.relation_name != r.relation_name) continue;
        for (size_t i = 0; i < o.fields.size(); ++i) on.emplace_back(o.fields[i], o.references[i]);
        return true;
    }
    return false;
}

const DrizzleTable* DrizzleProgram::table_by_name(const std::string& exported_name) const {
    auto it = table_by_export_.find(exported_name);
    return it == table_by_export_.end() ? nullptr : &tables_[it->second];
}

const DrizzleTable* DrizzleProgram::table_for(int file, TSNode expr,
                                              const std::map<std::string, const DrizzleTable*>* bound) const {
    expr = unwrap(expr);
    const std::string& s = program_.src(file);
    if (is(expr, "identifier")) {
        const std::string name(node_text(expr, s));
        if (bound) {
            auto b = bound->find(name);
            if (b != bound->end()) return b->second;
        }
        auto it = table_by_symbol_.find(program_.resolve_name(file, name));
        return it == table_by_symbol_.end() ? nullptr : &tables_[it->second];
    }
    if (is(expr, "member_expression")) {  // schema.orders with `import * as schema`
        TSNode obj = unwrap(field(expr, "object"));
        if (!is(obj, "identifier")) return nullptr;
        const TsSymbol ns = program_.resolve_name(file, std::string(node_text(obj, s)));
        if (ns.file < 0 || ns.name != "*") return nullptr;
        auto it = table_by_symbol_.find(program_.resolve_export(ns.file, std::string(node_text(field(expr, "property"), s))));
        return it == table_by_symbol_.end() ? nullptr : &tables_[it->second];
    }
    return nullptr;
}

const DrizzleTable* DrizzleProgram::table_named(int file, const std::string& ref) const {
    const size_t dot = ref.find('.');
    if (ref.empty()) return nullptr;
    if (dot == std::string::npos) {
        auto it = table_by_symbol_.find(program_.resolve_name(file, ref));
        return it == table_by_symbol_.end() ? nullptr : &tables_[it->second];
    }
    const TsSymbol ns = program_.resolve_name(file, ref.substr(0, dot));  // `import * as schema`
    if (ns.file < 0 || ns.name != "*") return nullptr;
    auto it = table_by_symbol_.find(program_.resolve_export(ns.file, ref.substr(dot + 1)));
    return it == table_by_symbol_.end() ? nullptr : &tables_[it->second];
}

DrizzleCasing DrizzleProgram::casing_of_root(int file, TSNode root) const {
    if (is(root, "identifier")) {
        auto it = handles_.find(program_.resolve_name(file, std::string(node_text(root, program_.src(file)))));
        if (it != handles_.end()) return it->second;
    }
    return schema_casing_;
}

}  // namespace querylens
