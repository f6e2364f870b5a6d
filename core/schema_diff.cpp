#include "core/schema_diff.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace querylens {

namespace {

using Kind = SchemaDifference::Kind;

// A partial index's predicate as comparable text: its parsed conjuncts when understood (so
// `"t"."a" IS NULL` equals `a IS NULL`), else the printed text without quotes and qualifiers.
std::string predicate_identity(const Index& i) {
    if (!i.partial()) return {};
    if (i.predicate_understood && !i.predicate.empty()) {
        std::vector<std::string> parts;
        for (const auto& p : i.predicate) {
            std::string part = p.column + " " + p.op_text;
            for (const auto& c : p.constants) part += " " + c;
            parts.push_back(part);
        }
        std::sort(parts.begin(), parts.end());
        std::string out;
        for (const auto& p : parts) out += p + ";";
        return out;
    }
    std::string out;
    const std::string prefix = unqualified(i.table) + ".";
    const std::string& t = i.predicate_sql;
    for (size_t k = 0; k < t.size(); ++k) {
        if (t[k] == '"') continue;
        out += t[k];
    }
    for (size_t at; (at = out.find(prefix)) != std::string::npos;) out.erase(at, prefix.size());
    return out;
}

// What makes two indexes the same for drift: uniqueness, keys, predicate (not the name).
std::string index_identity(const Index& i) {
    std::string k = i.unique ? "unique " : "";
    for (const auto& key : i.keys) k += (key.column.empty() ? key.expression : key.column) + ",";
    return k + (i.partial() ? " where " + predicate_identity(i) : "");
}

SchemaDifference make(Kind kind, const std::string& table, const Table* l, const Table* r) {
    SchemaDifference d{kind, table};
    d.left_table = l;
    d.right_table = r;
    return d;
}

// Declaration vs migrations: indexes paired by definition, FKs by columns.
void by_definition(const SchemaModel& left, const SchemaModel& right, std::vector<SchemaDifference>& out) {
    for (const auto& [name, r] : right.tables) {
        const Table* l = left.find_table(name);
        if (!l) continue;
        std::set<std::string> left_indexes, right_indexes;
        for (const auto& i : l->indexes) left_indexes.insert(index_identity(i));
        for (const auto& i : r.indexes) right_indexes.insert(index_identity(i));
        // The same name (and uniqueness) with other keys or another predicate: the index exists.
        // A migration wrote it partial by hand (`WHERE kind = 'dm'`) where the Drizzle declaration
        // has none; one side's condition is unreadable (a project helper around the Drizzle
        // condition: `.where(assertDefined(and(...)))`); or the declaration was introspected
        // (drizzle-kit pull), which garbles DESC, INCLUDE and expression keys into plain columns.
        // The database has what the migration creates; not an index one side lacks.
        auto same_named_twin = [](const Index& i, const std::vector<Index>& others) {
            return !i.name.empty() && std::any_of(others.begin(), others.end(), [&](const Index& o) { return o.name == i.name && o.unique == i.unique; });
        };
        for (const auto& i : r.indexes)
            if (i.origin == IndexOrigin::Index && !left_indexes.count(index_identity(i)) && !same_named_twin(i, l->indexes)) {
                out.push_back(make(Kind::IndexOnlyRight, name, l, &r));
                out.back().right_index = &i;
            }
        for (const auto& i : l->indexes)
            if (i.origin == IndexOrigin::Index && !right_indexes.count(index_identity(i)) && !same_named_twin(i, r.indexes)) {
                out.push_back(make(Kind::IndexOnlyLeft, name, l, &r));
                out.back().left_index = &i;
            }
        // Uniqueness does not depend on the key order: (a, b) unique is (b, a) unique.
        auto unique_set = [](const Index& i) {
            std::set<std::string> cols;
            for (const auto& key : i.keys) cols.insert(key.column.empty() ? key.expression : key.column);
            return cols;
        };
        std::set<std::set<std::string>> left_unique;
        for (const auto& i : l->indexes)
            if (i.unique && !i.partial()) left_unique.insert(unique_set(i));
        for (const auto& i : r.indexes)
            // (On columns the migrations have: a declaration of another shape of the table, with
            // columns the database lacks, is not a missing key.)
            if ((i.origin == IndexOrigin::PrimaryKey || i.origin == IndexOrigin::UniqueConstraint) && !i.partial() &&
                !i.keys.empty() && !left_unique.count(unique_set(i)) &&
                std::all_of(i.keys.begin(), i.keys.end(), [&](const IndexKey& k) { return !k.column.empty() && l->column(k.column); })) {
                out.push_back(make(Kind::KeyOnlyRight, name, l, &r));
                out.back().right_index = &i;
            }
        for (const auto& fk : r.foreign_keys)
            for (const auto& lfk : l->foreign_keys)
                if (lfk.columns == fk.columns && effective_action(lfk.on_delete) != effective_action(fk.on_delete)) {
                    out.push_back(make(Kind::ForeignKeyAction, name, l, &r));
                    out.back().left_fk = &lfk;
                    out.back().right_fk = &fk;
                }
    }
}

// Pairs each of `left` with the first unpaired object of `right` with the same name (PostgreSQL
// names are unique, but a model may repeat one): calls same(l, r) or only_left(l), then
// only_right(r) for the rest of `right`, in its order.
template <class T, class Same, class OnlyLeft, class OnlyRight>
void pair_by_name(const std::vector<T>& left, const std::vector<T>& right, Same same, OnlyLeft only_left,
                  OnlyRight only_right) {
    std::vector<bool> used(right.size());
    for (const auto& l : left) {
        size_t k = 0;
        while (k < right.size() && (used[k] || right[k].name != l.name)) ++k;
        if (k == right.size()) {
            only_left(l);
            continue;
        }
        used[k] = true;
        same(l, right[k]);
    }
    for (size_t k = 0; k < right.size(); ++k)
        if (!used[k]) only_right(right[k]);
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// One table both models define, compared object by object.
void table_by_name(const std::string& name, const Table& l, const Table& r, std::vector<SchemaDifference>& out) {
    auto add = [&](Kind kind) -> SchemaDifference& {
        out.push_back(make(kind, name, &l, &r));
        return out.back();
    };
    pair_by_name(
        l.columns, r.columns,
        [&](const Column& lc, const Column& rc) {
            if (column_not_null(l, lc) != column_not_null(r, rc)) {
                auto& d = add(Kind::ColumnNotNull);
                d.left_column = &lc, d.right_column = &rc;
            }
        },
        [&](const Column& lc) { add(Kind::ColumnOnlyLeft).left_column = &lc; },
        [&](const Column& rc) { add(Kind::ColumnOnlyRight).right_column = &rc; });
    pair_by_name(
        l.indexes, r.indexes,
        [&](const Index& li, const Index& ri) {
            auto differs = [&](Kind kind) {
                auto& d = add(kind);
                d.left_index = &li, d.right_index = &ri;
            };
            if (index_keys_text(li) != index_keys_text(ri)) differs(Kind::IndexKeys);
            if (joined(li.include) != joined(ri.include)) differs(Kind::IndexInclude);
            if (li.unique != ri.unique) differs(Kind::IndexUnique);
            // Printed differently (casts, `board."deletedAt"` vs `"deletedAt"`) is not different.
            if (comparable_expression(li.predicate_sql) != comparable_expression(ri.predicate_sql) &&
                predicate_identity(li) != predicate_identity(ri))
                differs(Kind::IndexPredicate);
            if (li.method != ri.method) differs(Kind::IndexMethod);
        },
        [&](const Index& li) { add(Kind::IndexOnlyLeft).left_index = &li; },
        [&](const Index& ri) { add(Kind::IndexOnlyRight).right_index = &ri; });
    pair_by_name(
        l.foreign_keys, r.foreign_keys,
        [&](const ForeignKey& lf, const ForeignKey& rf) {
            auto differs = [&](Kind kind) {
                auto& d = add(kind);
                d.left_fk = &lf, d.right_fk = &rf;
            };
            if (lf.columns != rf.columns) differs(Kind::ForeignKeyColumns);
            if (lf.ref_table != rf.ref_table) differs(Kind::ForeignKeyReferences);
            if (effective_action(lf.on_delete) != effective_action(rf.on_delete)) differs(Kind::ForeignKeyAction);
            if (effective_action(lf.on_update) != effective_action(rf.on_update)) differs(Kind::ForeignKeyUpdateAction);
        },
        [&](const ForeignKey& lf) { add(Kind::ForeignKeyOnlyLeft).left_fk = &lf; },
        [&](const ForeignKey& rf) { add(Kind::ForeignKeyOnlyRight).right_fk = &rf; });
}

void by_name(const SchemaModel& left, const SchemaModel& right, std::vector<SchemaDifference>& out) {
    for (const auto& [name, l] : left.tables)
        if (!right.find_table(name)) out.push_back(make(Kind::TableOnlyLeft, name, &l, nullptr));
    for (const auto& [name, r] : right.tables)
        if (!left.find_table(name)) out.push_back(make(Kind::TableOnlyRight, name, nullptr, &r));
    for (const auto& [name, l] : left.tables)
        if (const Table* r = right.find_table(name)) table_by_name(name, l, *r, out);
}

}  // namespace

std::string comparable_expression(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == ':' && i + 1 < s.size() && s[i + 1] == ':') {  // drop ::type (and "character varying")
            i += 2;
            while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == ' ' || s[i] == '"')) {
                if (s[i] == ' ' && i + 1 < s.size() && !std::isalpha(static_cast<unsigned char>(s[i + 1]))) break;
                if (s[i] == ' ' && (s.compare(i + 1, 3, "AND") == 0 || s.compare(i + 1, 2, "OR") == 0 || s.compare(i + 1, 2, "IS") == 0))
                    break;
                ++i;
            }
            --i;
            continue;
        }
        if (c == ' ' || c == '(' || c == ')' || c == '"') continue;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string index_keys_text(const Index& i) {
    std::string out;
    for (size_t k = 0; k < i.keys.size(); ++k)
        out += (k ? ", " : "") + (i.keys[k].column.empty() ? comparable_expression(i.keys[k].expression) : i.keys[k].column) +
               (i.keys[k].desc ? " DESC" : "");
    return out;
}

bool column_not_null(const Table& t, const Column& c) {
    if (c.not_null) return true;
    if (const Index* pk = t.primary_key())
        for (const auto& k : pk->keys)
            if (k.column == c.name) return true;
    return false;
}

FkAction effective_action(FkAction a) { return a == FkAction::None ? FkAction::NoAction : a; }

std::vector<SchemaDifference> schema_diff(const SchemaModel& left, const SchemaModel& right, SchemaMatch match) {
    std::vector<SchemaDifference> out;
    if (match == SchemaMatch::Definition) by_definition(left, right, out);
    else by_name(left, right, out);
    return out;
}

}  // namespace querylens
