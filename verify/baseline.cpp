// See verify/baseline.h.
#include "verify/baseline.h"

#include <map>
#include <vector>

#include "core/sql_text.h"
#include "rules/index_advisor.h"

namespace querylens {

bool is_sql_path(const std::string& p) { return p.size() > 4 && p.compare(p.size() - 4, 4, ".sql") == 0; }

std::string join_list(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
    return s;
}

std::set<std::string> create_baseline(pg::Connection& db, const Project& project, std::string& note) {
    std::set<std::string> created;
    bool has_migrations = false;
    for (const auto& f : project.files) has_migrations = has_migrations || f->language() == SourceLanguage::Sql;
    if (!has_migrations) return created;
    std::map<std::string, std::set<std::string>> added;  // table -> columns a migration adds
    std::set<std::string> migrated_enums;
    for (const auto& op : project.migration_operations)
        if (op.kind == MigrationOpKind::AddColumn)
            for (const auto& c : op.columns) added[op.table].insert(c);
    for (const auto& [name, e] : project.migrated.enums) migrated_enums.insert(name);
    std::vector<std::string> failed;
    // The enum types the code declares and no migration creates, then the tables.
    for (const auto& [name, e] : project.schema.enums) {
        if (migrated_enums.count(name)) continue;
        std::string values;
        for (const auto& v : e.values) values += (values.empty() ? "" : ", ") + quote_literal(v);
        db.exec("CREATE TYPE " + table_sql(name) + " AS ENUM (" + values + ")");
    }
    for (const auto& [name, t] : project.schema.tables) {
        if (project.migrated.find_table(name) || is_sql_path(t.loc.file)) continue;
        std::string cols;
        for (const auto& c : t.columns) {
            if (added[name].count(c.name)) continue;
            // An enum type keeps its case (`"reportTypes"`); other types are SQL as the model prints them.
            std::string type = c.type;
            for (const auto& [ename, e] : project.schema.enums)
                if (ename == c.type || unqualified(ename) == c.type) type = table_sql(ename);
            cols += (cols.empty() ? "" : ", ") + quote_ident(c.name) + " " + type + (c.not_null ? " NOT NULL" : "");
        }
        for (const auto& idx : t.indexes) {
            if (idx.origin != IndexOrigin::PrimaryKey) continue;
            std::string keys;
            bool all = true;
            for (const auto& k : idx.keys) {
                all = all && !k.column.empty() && !added[name].count(k.column);
                keys += (keys.empty() ? "" : ", ") + quote_ident(k.column);
            }
            if (all && !keys.empty()) cols += ", PRIMARY KEY (" + keys + ")";
        }
        if (schema_of(name) != "public") db.exec("CREATE SCHEMA IF NOT EXISTS " + quote_ident(schema_of(name)));
        const auto res = db.exec("CREATE TABLE " + table_sql(name) + " (" + cols + ")");
        if (res.ok) created.insert(name);
        else failed.push_back(display_name(name) + " (" + res.error + ")");
    }
    if (!created.empty() || !failed.empty())
        note = std::to_string(created.size()) + " table(s) the code declares and no migration creates were created from the "
                           "lowered schema first (without the columns the migrations add), their indexes and foreign keys after" +
                           (failed.empty() ? std::string() : "; not created: " + join_list(failed));
    return created;
}

void complete_baseline(pg::Connection& db, const Project& project, const std::set<std::string>& created) {
    for (const auto& name : created) {
        const Table* t = project.schema.find_table(name);
        if (!t) continue;
        for (const auto& idx : t->indexes)
            if (idx.origin != IndexOrigin::PrimaryKey && !idx.keys.empty()) db.exec(index_ddl(idx));
    }
    for (const auto& name : created) {
        const Table* t = project.schema.find_table(name);
        if (!t) continue;
        for (const auto& fk : t->foreign_keys) {
            std::string cols, refs;
            for (const auto& c : fk.columns) cols += (cols.empty() ? "" : ", ") + quote_ident(c);
            for (const auto& c : fk.ref_columns) refs += (refs.empty() ? "" : ", ") + quote_ident(c);
            db.exec("ALTER TABLE " + table_sql(name) + " ADD" + (fk.name.empty() ? "" : " CONSTRAINT " + quote_ident(fk.name)) +
                      " FOREIGN KEY (" + cols + ") REFERENCES " + table_sql(fk.ref_table) + (refs.empty() ? "" : " (" + refs + ")") +
                      (fk.on_delete == FkAction::None ? "" : " ON DELETE " + std::string(to_sql(fk.on_delete))));
        }
    }
}

}  // namespace querylens
