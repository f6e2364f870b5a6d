#include "verify/catalog.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "core/source.h"
#include "sql/parser.h"
#include "sql/schema_builder.h"
#include "verify/pg_client.h"

namespace querylens {

namespace {

// Relations verify compares: not the system's, not TimescaleDB's internals (chunks, catalogs).
const char* const kUserRelation =
    "c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE '\\_timescaledb%' "
    "AND n.nspname <> 'timescaledb_information'";

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    if (s.empty()) return out;
    std::string cur;
    for (char c : s + sep) {
        if (c == sep) out.push_back(cur), cur.clear();
        else cur += c;
    }
    return out;
}

FkAction action_of(const std::string& code) {
    switch (code.empty() ? 'a' : code[0]) {
        case 'r': return FkAction::Restrict;
        case 'c': return FkAction::Cascade;
        case 'n': return FkAction::SetNull;
        case 'd': return FkAction::SetDefault;
        default: return FkAction::NoAction;
    }
}

bool by_table_then_name(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return a[0] != b[0] ? a[0] < b[0] : a[1] < b[1];
}

}  // namespace

SchemaModel read_catalog(pg::Connection& db) {
    SchemaModel model;
    model.source = "the database";

    // One CREATE TABLE per table: columns with their types (format_type) and NOT NULL.
    struct CatalogTable {
        std::string create;                   // CREATE TABLE ... (...)
        std::vector<std::pair<std::string, std::string>> columns;  // name, type
        std::vector<bool> not_null;
    };
    std::map<std::string, CatalogTable> tables;  // qualified name -> definition
    const auto cols = db.exec(
        std::string("SELECT n.nspname || '.' || c.relname, quote_ident(n.nspname) || '.' || quote_ident(c.relname), "
                    "a.attname, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), a.attnotnull "
                    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped WHERE ") +
        kUserRelation + " ORDER BY c.oid, a.attnum");
    for (size_t i = 0; i < cols.rows.size(); ++i) {
        const auto& row = cols.rows[i];
        auto& t = tables[row[0]];
        if (t.create.empty()) t.create = "CREATE TABLE " + row[1] + " (";
        if (cols.nulls[i][2]) continue;  // a table without columns
        t.create += (t.columns.empty() ? "" : ", ") + row[3] + " " + row[4] + (row[5] == "t" ? " NOT NULL" : "");
        t.columns.emplace_back(row[2], row[4]);
        t.not_null.push_back(row[5] == "t");
    }

    // Indexes as PostgreSQL prints them, with what makes them constraints.
    auto idx = db.exec(
        std::string("SELECT n.nspname || '.' || c.relname, i.relname, pg_get_indexdef(ix.indexrelid, 0, true), "
                    "ix.indisprimary, EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid AND "
                    "k.conrelid = ix.indrelid AND k.contype = 'u'), ix.indisunique, am.amname, "
                    "coalesce(pg_get_expr(ix.indpred, ix.indrelid, true), '') FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_am am ON am.oid = i.relam "
                    "JOIN pg_class c ON c.oid = ix.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ") +
        kUserRelation);
    std::sort(idx.rows.begin(), idx.rows.end(), by_table_then_name);

    std::string text;
    for (const auto& [name, t] : tables) text += t.create + ");\n";
    for (const auto& row : idx.rows) text += row[2] + ";\n";
    const SourceFile file("<catalog>", text, SourceLanguage::Sql);
    const ParsedSql parsed = parse_sql(text);
    for (const auto& st : parsed.statements) apply_sql_statement(model, st, file);

    // What the SQL layer could not read is still there, as far as the catalog says.
    for (const auto& [name, t] : tables) {
        if (model.find_table(name)) continue;
        Table& table = model.tables[name];
        table.name = name;
        table.loc = file.at(0);
        for (size_t k = 0; k < t.columns.size(); ++k)
            table.columns.push_back({t.columns[k].first, t.columns[k].second, t.not_null[k], std::nullopt, table.loc});
    }
    for (const auto& row : idx.rows) {
        Table* t = model.find_table(row[0]);
        if (!t) continue;
        auto it = std::find_if(t->indexes.begin(), t->indexes.end(), [&](const Index& i) { return i.name == row[1]; });
        if (it == t->indexes.end()) {
            Index i;
            i.name = row[1];
            i.table = t->name;
            i.unique = row[5] == "t";
            i.method = row[6];
            i.loc = t->loc;
            t->indexes.push_back(std::move(i));
            it = std::prev(t->indexes.end());
        }
        it->predicate_sql = row[7];  // PostgreSQL's own printing, for messages (the conjuncts are parsed)
        if (row[3] == "t") it->origin = IndexOrigin::PrimaryKey;
        else if (row[4] == "t") it->origin = IndexOrigin::UniqueConstraint;
    }
    for (auto& [name, t] : model.tables)  // name order, as the rows were
        std::stable_sort(t.indexes.begin(), t.indexes.end(), [](const Index& a, const Index& b) { return a.name < b.name; });

    // Foreign keys: columns, referenced table and columns, actions.
    auto fks = db.exec(
        std::string("SELECT n.nspname || '.' || c.relname, k.conname, "
                    "array_to_string(array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a "
                    "ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o), E'\\x1f'), rn.nspname || '.' || rc.relname, "
                    "array_to_string(array(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a "
                    "ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o), E'\\x1f'), k.confdeltype, k.confupdtype "
                    "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "JOIN pg_class rc ON rc.oid = k.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
                    "WHERE k.contype = 'f' AND ") +
        kUserRelation);
    std::sort(fks.rows.begin(), fks.rows.end(), by_table_then_name);
    for (const auto& row : fks.rows) {
        Table* t = model.find_table(row[0]);
        if (!t) continue;
        ForeignKey fk;
        fk.name = row[1];
        fk.table = t->name;
        fk.columns = split(row[2], '\x1f');
        fk.ref_table = row[3];
        fk.ref_columns = split(row[4], '\x1f');
        fk.on_delete = action_of(row[5]);
        fk.on_update = action_of(row[6]);
        fk.loc = t->loc;
        t->foreign_keys.push_back(std::move(fk));
    }
    return model;
}

}  // namespace querylens
