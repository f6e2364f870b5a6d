#include "sql/schema_builder.h"

#include <algorithm>
#include <map>

#include "core/paths.h"
#include "sql/ast.h"
#include "sql/migration_ops.h"
#include "sql/query_extractor.h"

namespace querylens {

namespace {

// The default operator classes of PostgreSQL's types (btree, hash and GIN's jsonb_ops): writing one
// out changes nothing.
bool default_opclass(std::string name) {
    if (const size_t dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
    static const std::set<std::string> kDefaults = {
        "text_ops", "varchar_ops", "bpchar_ops", "char_ops", "name_ops", "int2_ops", "int4_ops", "int8_ops",
        "uuid_ops", "bool_ops", "numeric_ops", "float4_ops", "float8_ops", "money_ops", "date_ops", "time_ops",
        "timetz_ops", "timestamp_ops", "timestamptz_ops", "interval_ops", "bytea_ops", "oid_ops", "inet_ops",
        "cidr_ops", "macaddr_ops", "macaddr8_ops", "bit_ops", "varbit_ops", "enum_ops", "array_ops", "jsonb_ops",
        "tsvector_ops", "range_ops", "multirange_ops", "record_ops", "pg_lsn_ops", "xid8_ops", "oidvector_ops"};
    return kDefaults.count(name) > 0;
}

using sqlast::str;

FkAction fk_action(const char* code) {
    switch (code && *code ? *code : 'a') {
        case 'r': return FkAction::Restrict;
        case 'c': return FkAction::Cascade;
        case 'n': return FkAction::SetNull;
        case 'd': return FkAction::SetDefault;
        default: return FkAction::NoAction;
    }
}

std::string truncate_identifier(std::string s) {
    if (s.size() > 63) s.resize(63);  // NAMEDATALEN - 1
    return s;
}

std::string join_names(const std::vector<std::string>& cols) {
    std::string out;
    for (const auto& c : cols) out += (out.empty() ? "" : "_") + c;
    return out;
}

class Builder {
public:
    Builder(SchemaModel& schema, const SqlStatement& stmt, const SourceFile& file, const std::string& file_transaction)
        : schema_(schema), stmt_(stmt), file_(file), file_transaction_(file_transaction) {}

    void apply(const PgQuery__Node* n);

private:
    Location loc(int32_t location) const {
        return file_.at(location >= 0 ? stmt_.base + static_cast<uint32_t>(location) : stmt_.offset);
    }
    void create_table(const PgQuery__CreateStmt* s);
    void column_def(Table& t, const PgQuery__ColumnDef* c);
    void constraint(Table& t, const PgQuery__Constraint* c, const std::string* column);
    void create_index(const PgQuery__IndexStmt* s);
    bool redeclared(const std::string& schema, Index& idx);
    void alter_table(const PgQuery__AlterTableStmt* s);
    void rename(const PgQuery__RenameStmt* s);
    void drop(const PgQuery__DropStmt* s);
    void select_call(const PgQuery__SelectStmt* s);
    void set_rel_options(Table& t, PgQuery__Node* const* opts, size_t n);
    bool written_on(int32_t location, int second_token);
    Table* table(const PgQuery__RangeVar* rv) { return rv ? schema_.find_table(sqlast::qualified_name(rv)) : nullptr; }

    SchemaModel& schema_;
    const SqlStatement& stmt_;
    const SourceFile& file_;
    const std::string& file_transaction_;
    std::vector<SqlToken> tokens_;
    bool scanned_ = false;
};

// Whether the FK constraint starting at `location` spells out `ON <second_token>`. The parse
// tree cannot tell: an absent ON DELETE and an explicit NO ACTION produce the same node.
bool Builder::written_on(int32_t location, int second_token) {
    if (!scanned_) {
        tokens_ = scan_sql(file_.text(), stmt_.offset, stmt_.offset + stmt_.length);
        scanned_ = true;
    }
    const uint32_t start = stmt_.base + static_cast<uint32_t>(std::max(0, location));
    size_t i = 0;
    while (i < tokens_.size() && tokens_[i].begin < start) ++i;
    while (i < tokens_.size() && tokens_[i].token != PG_QUERY__TOKEN__REFERENCES) ++i;
    int depth = 0;
    for (; i < tokens_.size(); ++i) {
        const int tok = tokens_[i].token;
        if (tok == PG_QUERY__TOKEN__ASCII_40) ++depth;
        else if (tok == PG_QUERY__TOKEN__ASCII_41 && --depth < 0) break;
        else if ((tok == PG_QUERY__TOKEN__ASCII_44 && depth == 0) || tok == PG_QUERY__TOKEN__ASCII_59) break;
        else if (tok == PG_QUERY__TOKEN__ON && i + 1 < tokens_.size() && tokens_[i + 1].token == second_token)
            return true;
    }
    return false;
}

void Builder::apply(const PgQuery__Node* n) {
    switch (n->node_case) {
        case PG_QUERY__NODE__NODE_CREATE_STMT: create_table(n->create_stmt); break;
        case PG_QUERY__NODE__NODE_INDEX_STMT: create_index(n->index_stmt); break;
        case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: alter_table(n->alter_table_stmt); break;
        case PG_QUERY__NODE__NODE_RENAME_STMT: rename(n->rename_stmt); break;
        case PG_QUERY__NODE__NODE_DROP_STMT: drop(n->drop_stmt); break;
        case PG_QUERY__NODE__NODE_SELECT_STMT: select_call(n->select_stmt); break;
        case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT: {
            const auto* e = n->create_enum_stmt;
            auto names = sqlast::strings(e->type_name, e->n_type_name);
            EnumType t;
            t.name = names.size() >= 2 ? qualify(names[0], names[1]) : qualify("", names.empty() ? "" : names[0]);
            t.values = sqlast::strings(e->vals, e->n_vals);
            t.loc = file_.at(stmt_.offset);
            schema_.enums[t.name] = std::move(t);
            break;
        }
        case PG_QUERY__NODE__NODE_TRANSACTION_STMT: {
            const auto kind = n->transaction_stmt->kind;
            if (kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN ||
                kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START) {
                schema_.open_transaction = {file_.path(), file_.at(stmt_.offset).line};
            } else if (kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT ||
                       kind == PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK) {
                // A COMMIT with no BEGIN of the file's own ends the runner's transaction: what
                // follows runs outside one (projects write `COMMIT;` to build indexes CONCURRENTLY).
                if (!schema_.open_transaction && !file_transaction_.empty()) schema_.runner_transaction_ended_in = file_.path();
                schema_.open_transaction.reset();
            }
            break;
        }
        case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
            if (n->create_extension_stmt->extname)
                schema_.extensions.emplace(n->create_extension_stmt->extname, file_.at(stmt_.offset));
            break;
        case PG_QUERY__NODE__NODE_VIEW_STMT: {
            View v;
            v.name = sqlast::qualified_name(n->view_stmt->view);
            v.loc = loc(n->view_stmt->view->location);
            schema_.views[v.name] = std::move(v);
            break;
        }
        case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
            const auto* c = n->create_table_as_stmt;
            if (!c->into || !c->into->rel) break;
            if (c->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW) {
                // CREATE TABLE ... AS: a table whose columns we do not know.
                Table t;
                t.name = sqlast::qualified_name(c->into->rel);
                t.loc = loc(c->into->rel->location);
                schema_.tables.emplace(t.name, std::move(t));
                break;
            }
            View v;
            v.name = sqlast::qualified_name(c->into->rel);
            v.kind = ViewKind::Materialized;
            for (size_t i = 0; i < c->into->n_options; ++i) {
                const auto* o = c->into->options[i];
                if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) continue;
                const std::string ns = o->def_elem->defnamespace ? o->def_elem->defnamespace : "";
                const std::string name = o->def_elem->defname ? o->def_elem->defname : "";
                if (ns == "timescaledb" && name == "continuous") v.kind = ViewKind::ContinuousAggregate;
            }
            v.loc = loc(c->into->rel->location);
            schema_.views[v.name] = std::move(v);
            break;
        }
        default: break;  // SET, COMMENT, GRANT, sequences, functions, DO blocks...
    }
}

// A second index of a name the schema already has: PostgreSQL refuses it (or, with IF NOT
// EXISTS, skips it), so no second index comes to be. When a migration declares it and the first
// came from a file that is not one (a dump, a replica's setup script read earlier), the
// migration's declaration is the one the database was built from: it takes the first's place.
// Returns false when the name is free.
bool Builder::redeclared(const std::string& schema, Index& idx) {
    for (auto& [name, t] : schema_.tables) {
        if (schema_of(name) != schema) continue;
        for (auto& existing : t.indexes) {
            if (existing.name != idx.name) continue;
            if (existing.table == idx.table && migration_path(file_.path()) && !migration_path(existing.loc.file)) existing = std::move(idx);
            return true;
        }
    }
    return false;
}

void Builder::create_table(const PgQuery__CreateStmt* s) {
    if (!s->relation) return;
    const std::string name = sqlast::qualified_name(s->relation);
    if (const auto existing = schema_.tables.find(name); existing != schema_.tables.end()) {
        // IF NOT EXISTS keeps the table there is, unless a migration declares it and the first
        // came from a file that is not one (a replica's setup script read earlier): the
        // migrations say what the tables are.
        if (s->if_not_exists && !(migration_path(file_.path()) && !migration_path(existing->second.loc.file))) return;
        schema_.tables.erase(name);  // a dump or a re-run migration redefines it: last one wins
    }
    Table& t = schema_.tables[name];
    t.name = name;
    t.loc = loc(s->relation->location);
    for (size_t i = 0; i < s->n_table_elts; ++i) {
        const auto* e = s->table_elts[i];
        if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) column_def(t, e->column_def);
        else if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) constraint(t, e->constraint, nullptr);
    }
    for (size_t i = 0; i < s->n_constraints; ++i)
        if (s->constraints[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) constraint(t, s->constraints[i]->constraint, nullptr);
    if (s->partspec)
        for (size_t i = 0; i < s->partspec->n_part_params; ++i) {
            const auto* p = s->partspec->part_params[i];
            if (p->node_case == PG_QUERY__NODE__NODE_PARTITION_ELEM && p->partition_elem->name && *p->partition_elem->name)
                t.partition_key.push_back(p->partition_elem->name);
        }
}

void Builder::column_def(Table& t, const PgQuery__ColumnDef* c) {
    if (!c->colname) return;
    Column col;
    col.name = c->colname;
    col.type = sqlast::print_type(c->type_name);
    col.not_null = c->is_not_null;
    col.loc = loc(c->location);
    if (c->raw_default) col.default_expr = sqlast::print_expr(c->raw_default);
    if (t.column(col.name)) return;
    t.columns.push_back(col);
    for (size_t i = 0; i < c->n_constraints; ++i) {
        const auto* n = c->constraints[i];
        if (n->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) continue;
        const auto* k = n->constraint;
        Column* stored = t.column(col.name);
        switch (k->contype) {
            case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL: stored->not_null = true; break;
            case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
                if (k->raw_expr) stored->default_expr = sqlast::print_expr(k->raw_expr);
                break;
            case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
                stored->not_null = true;
                constraint(t, k, &col.name);
                break;
            case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY: stored->not_null = true; break;
            default: constraint(t, k, &col.name); break;
        }
    }
}

void Builder::constraint(Table& t, const PgQuery__Constraint* c, const std::string* column) {
    const std::string table_base = unqualified(t.name);
    switch (c->contype) {
        case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
        case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE: {
            Index idx;
            idx.table = t.name;
            idx.unique = true;
            idx.origin = c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ? IndexOrigin::PrimaryKey
                                                                             : IndexOrigin::UniqueConstraint;
            std::vector<std::string> cols = column ? std::vector<std::string>{*column} : sqlast::strings(c->keys, c->n_keys);
            if (cols.empty() && c->indexname) {  // ADD CONSTRAINT ... USING INDEX
                for (auto& existing : t.indexes)
                    if (existing.name == c->indexname) {
                        existing.origin = idx.origin;
                        if (c->conname && *c->conname) existing.name = c->conname;
                    }
                return;
            }
            for (const auto& col : cols) {
                IndexKey k;
                k.column = col;
                idx.keys.push_back(k);
                if (idx.origin == IndexOrigin::PrimaryKey)
                    if (Column* pc = t.column(col)) pc->not_null = true;
            }
            idx.include = sqlast::strings(c->including, c->n_including);
            idx.name = c->conname && *c->conname
                           ? c->conname
                           : truncate_identifier(table_base + (idx.origin == IndexOrigin::PrimaryKey
                                                                   ? "_pkey"
                                                                   : "_" + join_names(cols) + "_key"));
            idx.loc = loc(c->location);
            // A unique constraint whose name an index of the schema already has: PostgreSQL
            // rejects it (as above for CREATE INDEX), so it adds nothing.
            if (idx.origin == IndexOrigin::UniqueConstraint && c->conname && *c->conname && redeclared(schema_of(t.name), idx))
                return;
            if (idx.origin == IndexOrigin::PrimaryKey)
                t.indexes.erase(std::remove_if(t.indexes.begin(), t.indexes.end(),
                                               [](const Index& i) { return i.origin == IndexOrigin::PrimaryKey; }),
                                t.indexes.end());
            t.indexes.push_back(std::move(idx));
            break;
        }
        case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: {
            ForeignKey fk;
            fk.table = t.name;
            fk.columns = column ? std::vector<std::string>{*column} : sqlast::strings(c->fk_attrs, c->n_fk_attrs);
            fk.ref_table = sqlast::qualified_name(c->pktable);
            fk.ref_columns = sqlast::strings(c->pk_attrs, c->n_pk_attrs);
            fk.on_delete = written_on(c->location, PG_QUERY__TOKEN__DELETE_P) ? fk_action(c->fk_del_action) : FkAction::None;
            fk.on_update = written_on(c->location, PG_QUERY__TOKEN__UPDATE) ? fk_action(c->fk_upd_action) : FkAction::None;
            fk.name = c->conname && *c->conname ? c->conname
                                                : truncate_identifier(table_base + "_" + join_names(fk.columns) + "_fkey");
            fk.loc = loc(c->location);
            // A constraint name already on the table: PostgreSQL raises duplicate_object, which the
            // idempotent `DO $$ BEGIN ALTER TABLE ... ADD CONSTRAINT ...; EXCEPTION WHEN
            // duplicate_object THEN null; END $$` of older drizzle-kit turns into a no-op.
            if (std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(), [&](const ForeignKey& o) { return o.name == fk.name; })) break;
            t.foreign_keys.push_back(std::move(fk));
            break;
        }
        case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: {
            CheckConstraint ck;
            ck.name = c->conname ? c->conname : "";
            ck.expression = sqlast::print_expr(c->raw_expr);
            ck.loc = loc(c->location);
            t.checks.push_back(std::move(ck));
            break;
        }
        case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
            if (column)
                if (Column* col = t.column(*column)) col->not_null = true;
            break;
        default: break;
    }
}

void Builder::create_index(const PgQuery__IndexStmt* s) {
    Table* t = table(s->relation);
    Table orphan;  // a table the migrations do not create: the index waits for the merged schema
    if (!t) {
        if (!s->relation) return;
        orphan.name = sqlast::qualified_name(s->relation);
        t = &orphan;
    }
    Index idx;
    idx.table = t->name;
    idx.unique = s->unique;
    idx.concurrent = s->concurrent;
    idx.method = s->access_method && *s->access_method ? s->access_method : "btree";
    std::vector<std::string> colnames;
    for (size_t i = 0; i < s->n_index_params; ++i) {
        const auto* p = s->index_params[i];
        if (p->node_case != PG_QUERY__NODE__NODE_INDEX_ELEM) continue;
        const auto* e = p->index_elem;
        IndexKey k;
        if (e->name && *e->name) k.column = e->name;  // protobuf-c strings are "" when unset
        else k.expression = sqlast::deparse_expr(e->expr);
        k.desc = e->ordering == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
        if (e->nulls_ordering == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST) k.nulls = "first";
        if (e->nulls_ordering == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST) k.nulls = "last";
        for (size_t o = 0; o < e->n_opclass; ++o) k.opclass += (o ? "." : "") + std::string(sqlast::str(e->opclass[o]));
        for (size_t o = 0; o < e->n_collation; ++o) k.collation += (o ? "." : "") + std::string(sqlast::str(e->collation[o]));
        // drizzle-kit's introspection spells out each type's default operator class (`"sort"
        // int4_ops`, `"id" text_ops`): the same index as none written.
        if (default_opclass(k.opclass)) k.opclass.clear();
        if (k.collation == "default" || k.collation == "pg_catalog.default") k.collation.clear();
        colnames.push_back(k.column.empty() ? "expr" : k.column);
        idx.keys.push_back(std::move(k));
    }
    for (size_t i = 0; i < s->n_index_including_params; ++i) {
        const auto* p = s->index_including_params[i];
        if (p->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM && p->index_elem->name) idx.include.push_back(p->index_elem->name);
    }
    if (s->where_clause) {
        idx.predicate_sql = sqlast::deparse_expr(s->where_clause);
        idx.predicate_understood = index_predicate(s->where_clause, idx.predicate);
        idx.functions = sqlast::called_functions(s->where_clause);
    }
    for (size_t i = 0; i < s->n_index_params; ++i)
        if (s->index_params[i]->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM && s->index_params[i]->index_elem->expr)
            for (auto& f : sqlast::called_functions(s->index_params[i]->index_elem->expr)) idx.functions.push_back(std::move(f));
    // What runs this statement inside a transaction block (CONCURRENTLY cannot).
    idx.transaction = statement_transaction(schema_, file_, file_transaction_);
    if (s->idxname && *s->idxname) {
        idx.name = s->idxname;
    } else {
        // PostgreSQL names an unnamed index table_cols_idx, and when that name is taken,
        // table_cols_idx1, _idx2, ... (ChooseRelationName): a later DROP INDEX of `..._idx1` drops
        // the second one.
        const std::string base = unqualified(t->name) + "_" + join_names(colnames) + "_idx";
        idx.name = truncate_identifier(base);
        for (int n = 1; n < 1000 && schema_.index_exists(schema_of(t->name), idx.name); ++n)
            idx.name = truncate_identifier(base + std::to_string(n));
    }
    idx.loc = file_.at(stmt_.offset);
    // The name is taken: with IF NOT EXISTS PostgreSQL skips the statement, without it the
    // statement fails ("relation already exists"). Either way no second index comes to be (a
    // schema dump read beside the migrations that built it declares every index again).
    if (redeclared(schema_of(t->name), idx)) return;
    if (t == &orphan) schema_.orphan_indexes.push_back(std::move(idx));
    else t->indexes.push_back(std::move(idx));
}

void Builder::set_rel_options(Table& t, PgQuery__Node* const* opts, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        if (opts[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) continue;
        const auto* d = opts[i]->def_elem;
        const std::string ns = d->defnamespace ? d->defnamespace : "";
        const std::string name = d->defname ? d->defname : "";
        if (ns != "timescaledb") continue;
        if (!t.hypertable) {
            t.hypertable.emplace();
            t.hypertable->loc = file_.at(stmt_.offset);
        }
        // Reloption values arrive as String nodes ('symbol,exchange'), numbers, or nothing (= true).
        std::string value = d->arg ? std::string(sqlast::str(d->arg)) : "true";
        if (value.empty() && d->arg) sqlast::constant_value(d->arg, value);
        if (name == "compress") t.hypertable->compression = value != "false";
        else if (name == "compress_segmentby") {
            t.hypertable->segment_by.clear();
            std::string cur;
            for (char ch : value + ",") {
                if (ch == ',') { if (!cur.empty()) t.hypertable->segment_by.push_back(cur); cur.clear(); }
                else if (ch != ' ') cur += ch;
            }
        } else if (name == "compress_orderby") t.hypertable->order_by = value;
    }
}

void Builder::alter_table(const PgQuery__AlterTableStmt* s) {
    if (s->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) return;
    Table* t = table(s->relation);
    if (!t) return;
    for (size_t i = 0; i < s->n_cmds; ++i) {
        if (s->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD) continue;
        const auto* c = s->cmds[i]->alter_table_cmd;
        const std::string name = c->name ? c->name : "";
        switch (c->subtype) {
            case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
                if (c->def && c->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) column_def(*t, c->def->column_def);
                break;
            case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn: {
                auto& cols = t->columns;
                cols.erase(std::remove_if(cols.begin(), cols.end(), [&](const Column& col) { return col.name == name; }),
                           cols.end());
                auto uses = [&](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), name) != v.end(); };
                t->indexes.erase(std::remove_if(t->indexes.begin(), t->indexes.end(),
                                                [&](const Index& idx) {
                                                    return std::any_of(idx.keys.begin(), idx.keys.end(),
                                                                       [&](const IndexKey& k) { return k.column == name; }) ||
                                                           uses(idx.include);
                                                }),
                                 t->indexes.end());
                t->foreign_keys.erase(std::remove_if(t->foreign_keys.begin(), t->foreign_keys.end(),
                                                     [&](const ForeignKey& fk) { return uses(fk.columns); }),
                                      t->foreign_keys.end());
                break;
            }
            case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
                if (c->def && c->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) constraint(*t, c->def->constraint, nullptr);
                break;
            case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint: {
                t->indexes.erase(std::remove_if(t->indexes.begin(), t->indexes.end(),
                                                [&](const Index& idx) { return idx.origin != IndexOrigin::Index && idx.name == name; }),
                                 t->indexes.end());
                t->foreign_keys.erase(std::remove_if(t->foreign_keys.begin(), t->foreign_keys.end(),
                                                     [&](const ForeignKey& fk) { return fk.name == name; }),
                                      t->foreign_keys.end());
                t->checks.erase(std::remove_if(t->checks.begin(), t->checks.end(),
                                               [&](const CheckConstraint& ck) { return ck.name == name; }),
                                t->checks.end());
                break;
            }
            case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
                if (Column* col = t->column(name); col && c->def && c->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
                    col->type = sqlast::print_type(c->def->column_def->type_name);
                break;
            case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
                if (Column* col = t->column(name)) col->not_null = true;
                break;
            case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
                if (Column* col = t->column(name)) col->not_null = false;
                break;
            case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
                if (Column* col = t->column(name)) {
                    if (c->def) col->default_expr = sqlast::print_expr(c->def);
                    else col->default_expr.reset();
                }
                break;
            case PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions:
                if (c->def && c->def->node_case == PG_QUERY__NODE__NODE_LIST)
                    set_rel_options(*t, c->def->list->items, c->def->list->n_items);
                break;
            default: break;
        }
    }
}

void Builder::rename(const PgQuery__RenameStmt* s) {
    const std::string newname = s->newname ? s->newname : "";
    switch (s->rename_type) {
        case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE: {
            Table* t = table(s->relation);
            if (!t) return;
            Table moved = std::move(*t);
            const std::string old = moved.name;
            schema_.tables.erase(old);
            moved.name = qualify(schema_of(old), newname);
            for (auto& idx : moved.indexes) idx.table = moved.name;
            for (auto& fk : moved.foreign_keys) fk.table = moved.name;
            for (auto& [_, other] : schema_.tables)
                for (auto& fk : other.foreign_keys)
                    if (fk.ref_table == old) fk.ref_table = moved.name;
            schema_.tables[moved.name] = std::move(moved);
            break;
        }
        case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN: {
            Table* t = table(s->relation);
            const std::string old = s->subname ? s->subname : "";
            if (!t) return;
            if (Column* col = t->column(old)) col->name = newname;
            auto swap_name = [&](std::string& n) { if (n == old) n = newname; };
            for (auto& idx : t->indexes) {
                for (auto& k : idx.keys) swap_name(k.column);
                for (auto& inc : idx.include) swap_name(inc);
                for (auto& p : idx.predicate) swap_name(p.column);
            }
            for (auto& fk : t->foreign_keys)
                for (auto& col : fk.columns) swap_name(col);
            for (auto& [_, other] : schema_.tables)
                for (auto& fk : other.foreign_keys)
                    if (fk.ref_table == t->name)
                        for (auto& col : fk.ref_columns) swap_name(col);
            break;
        }
        case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: {
            if (!s->relation) return;
            const std::string schema = s->relation->schemaname && *s->relation->schemaname ? s->relation->schemaname : "public";
            for (auto& [name, t] : schema_.tables) {
                if (schema_of(name) != schema) continue;
                for (auto& idx : t.indexes)
                    if (idx.name == (s->relation->relname ? s->relation->relname : "")) idx.name = newname;
            }
            break;
        }
        case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT: {
            Table* t = table(s->relation);
            const std::string old = s->subname ? s->subname : "";
            if (!t) return;
            for (auto& idx : t->indexes)
                if (idx.origin != IndexOrigin::Index && idx.name == old) idx.name = newname;
            for (auto& fk : t->foreign_keys)
                if (fk.name == old) fk.name = newname;
            break;
        }
        default: break;
    }
}

void Builder::drop(const PgQuery__DropStmt* s) {
    for (size_t i = 0; i < s->n_objects; ++i) {
        const std::string name = sqlast::object_name(s->objects[i]);
        if (name.empty()) continue;
        switch (s->remove_type) {
            case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
            case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
            case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
                if (s->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) schema_.tables.erase(name);
                else schema_.views.erase(name);
                // Its indexes go with it (a materialized view's, or those of a table the
                // migrations never created, kept aside for the merged schema).
                schema_.orphan_indexes.erase(std::remove_if(schema_.orphan_indexes.begin(), schema_.orphan_indexes.end(),
                                                            [&](const Index& idx) { return idx.table == name; }),
                                             schema_.orphan_indexes.end());
                break;
            case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
                schema_.orphan_indexes.erase(std::remove_if(schema_.orphan_indexes.begin(), schema_.orphan_indexes.end(),
                                                            [&](const Index& idx) {
                                                                return idx.origin == IndexOrigin::Index && idx.name == unqualified(name) &&
                                                                       schema_of(idx.table) == schema_of(name);
                                                            }),
                                             schema_.orphan_indexes.end());
                for (auto& [tname, t] : schema_.tables) {
                    if (schema_of(tname) != schema_of(name)) continue;
                    t.indexes.erase(std::remove_if(t.indexes.begin(), t.indexes.end(),
                                                   [&](const Index& idx) {
                                                       return idx.origin == IndexOrigin::Index && idx.name == unqualified(name);
                                                   }),
                                    t.indexes.end());
                }
                break;
            default: break;
        }
    }
    if (s->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TYPE) {
        for (size_t i = 0; i < s->n_objects; ++i) {
            const auto* o = s->objects[i];
            if (o->node_case == PG_QUERY__NODE__NODE_TYPE_NAME) {
                auto parts = sqlast::strings(o->type_name->names, o->type_name->n_names);
                if (!parts.empty())
                    schema_.enums.erase(parts.size() >= 2 ? qualify(parts[0], parts[1]) : qualify("", parts[0]));
            }
        }
    }
}

// SELECT create_hypertable('candles', 'timestamp', chunk_time_interval => INTERVAL '1 day'),
// add_compression_policy(...), add_retention_policy(...).
void Builder::select_call(const PgQuery__SelectStmt* s) {
    if (s->n_from_clause || s->n_target_list == 0) return;
    for (size_t i = 0; i < s->n_target_list; ++i) {
        const auto* t = s->target_list[i];
        if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET || !t->res_target->val ||
            t->res_target->val->node_case != PG_QUERY__NODE__NODE_FUNC_CALL)
            continue;
        const auto* f = t->res_target->val->func_call;
        if (!f->n_funcname) continue;
        const std::string fn(str(f->funcname[f->n_funcname - 1]));
        if (fn != "create_hypertable" && fn != "add_compression_policy" && fn != "add_retention_policy") continue;
        std::vector<const PgQuery__Node*> positional;
        std::map<std::string, const PgQuery__Node*> named;
        for (size_t a = 0; a < f->n_args; ++a) {
            const auto* arg = f->args[a];
            if (arg->node_case == PG_QUERY__NODE__NODE_NAMED_ARG_EXPR && arg->named_arg_expr->name)
                named[arg->named_arg_expr->name] = arg->named_arg_expr->arg;
            else
                positional.push_back(arg);
        }
        auto arg = [&](size_t pos, const char* name) -> const PgQuery__Node* {
            if (auto it = named.find(name); it != named.end()) return it->second;
            return pos < positional.size() ? positional[pos] : nullptr;
        };
        std::string relname;
        if (!sqlast::constant_value(arg(0, "relation") ? arg(0, "relation") : arg(0, "hypertable"), relname)) continue;
        const auto dot = relname.find('.');
        const std::string qualified = dot == std::string::npos ? qualify("", relname)
                                                               : qualify(relname.substr(0, dot), relname.substr(dot + 1));
        Table* table = schema_.find_table(qualified);
        if (!table) continue;
        if (!table->hypertable) table->hypertable.emplace();
        auto& h = *table->hypertable;
        if (fn == "create_hypertable") {
            h.loc = file_.at(stmt_.offset);
            const PgQuery__Node* dim = arg(1, "time_column_name");
            if (!dim) dim = arg(1, "dimension");
            std::string col;
            if (dim && dim->node_case == PG_QUERY__NODE__NODE_FUNC_CALL && dim->func_call->n_args) {  // by_range('time')
                sqlast::constant_value(dim->func_call->args[0], col);
                if (dim->func_call->n_args > 1) h.chunk_interval = sqlast::print_expr(dim->func_call->args[1]);
            } else {
                sqlast::constant_value(dim, col);
            }
            h.time_column = col;
            if (const auto* ci = arg(99, "chunk_time_interval")) h.chunk_interval = sqlast::print_expr(ci);
            // create_hypertable builds an index on (time DESC) unless told not to.
            std::string create_default = "true";
            if (const auto* cdi = arg(99, "create_default_indexes")) sqlast::constant_value(cdi, create_default);
            const std::string idx_name = truncate_identifier(unqualified(table->name) + "_" + col + "_idx");
            const bool exists = std::any_of(table->indexes.begin(), table->indexes.end(), [&](const Index& i) {
                return !i.keys.empty() && i.keys.front().column == col;
            });
            if (!col.empty() && create_default != "false" && create_default != "f" && !exists) {
                Index idx;
                idx.name = idx_name;
                idx.table = table->name;
                idx.keys.push_back({col, "", true, ""});
                idx.loc = h.loc;
                idx.timescaledb = true;
                table->indexes.push_back(std::move(idx));
            }
        } else if (fn == "add_compression_policy") {
            const auto* after = arg(1, "compress_after");
            h.compression_policy = after ? sqlast::print_expr(after) : "";
        } else {
            const auto* after = arg(1, "drop_after");
            h.retention_policy = after ? sqlast::print_expr(after) : "";
        }
    }
}

}  // namespace

void apply_sql_statement(SchemaModel& schema, const SqlStatement& stmt, const SourceFile& file,
                         const std::string& file_transaction) {
    if (!stmt.node) return;
    Builder(schema, stmt, file, file_transaction).apply(stmt.node);
}

}  // namespace querylens
