#include "sql/migration_ops.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "sql/ast.h"

namespace querylens {

const char* to_string(MigrationOpKind k) {
    switch (k) {
        case MigrationOpKind::CreateTable: return "create-table";
        case MigrationOpKind::AddColumn: return "add-column";
        case MigrationOpKind::DropColumn: return "drop-column";
        case MigrationOpKind::RenameColumn: return "rename-column";
        case MigrationOpKind::AlterColumnType: return "alter-column-type";
        case MigrationOpKind::SetNotNull: return "set-not-null";
        case MigrationOpKind::AddForeignKey: return "add-foreign-key";
        case MigrationOpKind::AddCheck: return "add-check";
        case MigrationOpKind::AddUnique: return "add-unique";
        case MigrationOpKind::AddPrimaryKey: return "add-primary-key";
        case MigrationOpKind::ValidateConstraint: return "validate-constraint";
        case MigrationOpKind::CreateIndex: return "create-index";
        case MigrationOpKind::DropIndex: return "drop-index";
        case MigrationOpKind::DropTable: return "drop-table";
        case MigrationOpKind::RenameTable: return "rename-table";
        case MigrationOpKind::SetLockTimeout: return "set-lock-timeout";
        case MigrationOpKind::SetStatementTimeout: return "set-statement-timeout";
        case MigrationOpKind::SetRoleDefault: return "set-role-default";
        case MigrationOpKind::LongIdentifier: return "long-identifier";
        case MigrationOpKind::DropMissesTable: return "drop-misses-table";
        case MigrationOpKind::OtherAlter: return "other-alter";
    }
    return "?";
}

std::string statement_transaction(const SchemaModel& schema, const SourceFile& file, const std::string& file_transaction) {
    if (schema.open_transaction && schema.open_transaction->first == file.path())
        return "the BEGIN on line " + std::to_string(schema.open_transaction->second);
    if (!file_transaction.empty() && schema.runner_transaction_ended_in != file.path()) return file_transaction;
    return {};
}

namespace {

// VOLATILE functions a column default may call: PostgreSQL evaluates them per row, so adding the
// column rewrites the table. (now() and other STABLE functions are evaluated once: no rewrite.)
bool volatile_function(const std::string& f) {
    static const std::set<std::string> kVolatile = {
        "random",           "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
        "nextval",          "clock_timestamp", "timeofday",        "txid_current",       "gen_random_bytes",
        "uuidv7",           "uuidv4",          "random_normal",    "setval"};
    return kVolatile.count(f) > 0;
}

bool serial_type(const std::string& t) { return t == "serial" || t == "bigserial" || t == "smallserial" || t == "serial4" || t == "serial8" || t == "serial2"; }

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// `"col" IS NOT NULL`, `(col IS NOT NULL)` -> "colisnotnull": to compare CHECK expressions loosely.
std::string squeeze(const std::string& s) {
    std::string out;
    for (char c : s)
        if (c != '"' && c != ' ' && c != '(' && c != ')' && c != '\n' && c != '\t') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

class Recorder {
public:
    Recorder(const SchemaModel& schema, const SqlStatement& stmt, const SourceFile& file, const std::string& file_transaction,
             std::vector<MigrationOperation>& out)
        : schema_(schema), stmt_(stmt), file_(file), out_(out), transaction_(statement_transaction(schema, file, file_transaction)) {}

    void record(const PgQuery__Node* n) {
        switch (n->node_case) {
            case PG_QUERY__NODE__NODE_CREATE_STMT: {
                const auto* s = n->create_stmt;
                if (!s->relation) break;
                MigrationOperation op = base(MigrationOpKind::CreateTable, sqlast::qualified_name(s->relation));
                op.table_created_in = file_.path();
                // Its foreign keys lock the tables they reference (SHARE ROW EXCLUSIVE).
                auto fk = [&](const PgQuery__Constraint* k) {
                    if (k->contype != PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN || !k->pktable) return;
                    MigrationOperation f = op;
                    f.kind = MigrationOpKind::AddForeignKey;
                    f.constraint = k->conname ? k->conname : "";
                    f.ref_table = sqlast::qualified_name(k->pktable);
                    f.column_constraint = true;
                    reference(f);
                    pending_.push_back(std::move(f));
                };
                for (size_t i = 0; i < s->n_table_elts; ++i) {
                    const auto* e = s->table_elts[i];
                    if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) fk(e->constraint);
                    else if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
                        for (size_t j = 0; j < e->column_def->n_constraints; ++j)
                            if (e->column_def->constraints[j]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
                                fk(e->column_def->constraints[j]->constraint);
                }
                out_.push_back(std::move(op));
                for (auto& p : pending_) out_.push_back(std::move(p));
                pending_.clear();
                long_identifiers();
                break;
            }
            case PG_QUERY__NODE__NODE_INDEX_STMT: {
                const auto* s = n->index_stmt;
                if (!s->relation) break;
                MigrationOperation op = base(MigrationOpKind::CreateIndex, sqlast::qualified_name(s->relation));
                op.name = s->idxname ? s->idxname : "";
                op.concurrent = s->concurrent;
                op.unique = s->unique;
                out_.push_back(std::move(op));
                long_identifiers();
                break;
            }
            case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
                if (n->alter_table_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) alter_table(n->alter_table_stmt);
                long_identifiers();
                break;
            case PG_QUERY__NODE__NODE_RENAME_STMT: rename(n->rename_stmt); break;
            case PG_QUERY__NODE__NODE_DROP_STMT: drop(n->drop_stmt); break;
            case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT: set(n->variable_set_stmt); break;
            case PG_QUERY__NODE__NODE_ALTER_ROLE_SET_STMT: role_default(n->alter_role_set_stmt->setstmt); break;
            case PG_QUERY__NODE__NODE_ALTER_DATABASE_SET_STMT: role_default(n->alter_database_set_stmt->setstmt); break;
            default: break;
        }
    }

private:
    MigrationOperation base(MigrationOpKind kind, const std::string& table) const {
        MigrationOperation op;
        op.kind = kind;
        op.loc = file_.at(stmt_.offset);
        op.statement = file_.text().substr(stmt_.offset, stmt_.length);
        op.table = table;
        op.transaction = transaction_;
        if (const Table* t = schema_.find_table(table)) op.table_created_in = t->loc.file;
        return op;
    }

    void reference(MigrationOperation& op) const {
        if (const Table* r = schema_.find_table(op.ref_table)) op.ref_created_in = r->loc.file;
    }

    void column_origin(MigrationOperation& op) const {
        const Table* t = schema_.find_table(op.table);
        const Column* c = t && !op.columns.empty() ? t->column(op.columns.front()) : nullptr;
        if (c) op.column_added_in = c->loc.file;
    }

    void add_column(MigrationOperation op, const PgQuery__ColumnDef* c) {
        if (!c || !c->colname) return;
        op.kind = MigrationOpKind::AddColumn;
        op.columns = {c->colname};
        const std::string type = lower(sqlast::print_type(c->type_name));
        op.new_type = type;
        op.not_null = c->is_not_null;
        if (serial_type(type)) op.volatile_reason = type;
        auto default_expr = [&](const PgQuery__Node* e) {
            op.has_default = true;
            op.default_expr = sqlast::print_expr(e);
            for (const auto& f : sqlast::called_functions(e))
                if (volatile_function(f) && op.volatile_reason.empty()) op.volatile_reason = f + "()";
        };
        if (c->raw_default) default_expr(c->raw_default);
        bool primary = false;
        for (size_t i = 0; i < c->n_constraints; ++i) {
            if (c->constraints[i]->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) continue;
            const auto* k = c->constraints[i]->constraint;
            switch (k->contype) {
                case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL: op.not_null = true; break;
                case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
                    if (k->raw_expr) default_expr(k->raw_expr);
                    break;
                case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
                    op.not_null = true;
                    if (op.volatile_reason.empty()) op.volatile_reason = "an identity column";
                    break;
                case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
                    if (op.volatile_reason.empty()) op.volatile_reason = "a stored generated column";
                    break;
                case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY: primary = true; break;
                case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE: {
                    MigrationOperation u = op;
                    u.kind = MigrationOpKind::AddUnique;
                    u.constraint = k->conname ? k->conname : "";
                    u.column_added_in = file_.path();
                    u.column_constraint = true;
                    pending_.push_back(std::move(u));
                    break;
                }
                case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: {
                    MigrationOperation fk = op;
                    fk.kind = MigrationOpKind::AddForeignKey;
                    fk.constraint = k->conname ? k->conname : "";
                    fk.ref_table = sqlast::qualified_name(k->pktable);
                    reference(fk);
                    fk.not_valid = k->skip_validation;
                    fk.column_added_in = file_.path();
                    fk.column_constraint = true;
                    pending_.push_back(std::move(fk));
                    break;
                }
                default: break;
            }
        }
        if (primary) {
            MigrationOperation pk = op;
            pk.kind = MigrationOpKind::AddPrimaryKey;
            pk.column_added_in = file_.path();
            pk.column_constraint = true;
            pending_.push_back(std::move(pk));
        }
        out_.push_back(std::move(op));
    }

    void add_constraint(MigrationOperation op, const PgQuery__Constraint* k) {
        op.constraint = k->conname ? k->conname : "";
        op.not_valid = k->skip_validation;
        switch (k->contype) {
            case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
                op.kind = MigrationOpKind::AddForeignKey;
                op.columns = sqlast::strings(k->fk_attrs, k->n_fk_attrs);
                op.ref_table = sqlast::qualified_name(k->pktable);
                reference(op);
                break;
            case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
                op.kind = MigrationOpKind::AddCheck;
                op.name = sqlast::print_expr(k->raw_expr);
                break;
            case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
            case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
                if (k->indexname && *k->indexname) return;  // USING INDEX: the index is already built
                op.kind = k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE ? MigrationOpKind::AddUnique
                                                                              : MigrationOpKind::AddPrimaryKey;
                op.columns = sqlast::strings(k->keys, k->n_keys);
                break;
            default: return;
        }
        column_origin(op);
        out_.push_back(std::move(op));
    }

    void alter_table(const PgQuery__AlterTableStmt* s) {
        if (!s->relation) return;
        const std::string table = sqlast::qualified_name(s->relation);
        const Table* t = schema_.find_table(table);
        for (size_t i = 0; i < s->n_cmds; ++i) {
            if (s->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD) continue;
            const auto* c = s->cmds[i]->alter_table_cmd;
            const std::string name = c->name ? c->name : "";
            MigrationOperation op = base(MigrationOpKind::AddColumn, table);
            op.if_exists = c->missing_ok;
            op.sole_command = s->n_cmds == 1;
            if (!name.empty()) op.columns = {name};
            column_origin(op);
            switch (c->subtype) {
                case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
                    if (c->def && c->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) add_column(std::move(op), c->def->column_def);
                    break;
                case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
                    op.kind = MigrationOpKind::DropColumn;
                    out_.push_back(std::move(op));
                    break;
                case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
                    if (c->def && c->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) add_constraint(std::move(op), c->def->constraint);
                    break;
                case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
                    op.kind = MigrationOpKind::ValidateConstraint;
                    op.constraint = name;
                    op.columns.clear();
                    out_.push_back(std::move(op));
                    break;
                case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType: {
                    op.kind = MigrationOpKind::AlterColumnType;
                    if (const Column* col = t ? t->column(name) : nullptr) op.old_type = lower(col->type);
                    if (c->def && c->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
                        op.new_type = lower(sqlast::print_type(c->def->column_def->type_name));
                        op.using_expr = c->def->column_def->raw_default != nullptr;
                        if (const auto* cc = c->def->column_def->coll_clause) {
                            const auto names = sqlast::strings(cc->collname, cc->n_collname);
                            if (!names.empty()) op.collation = names.back();
                        }
                    }
                    if (t)
                        for (const auto& idx : t->indexes)
                            for (const auto& k : idx.keys)
                                if (k.column == name) op.column_indexed = true;
                    out_.push_back(std::move(op));
                    break;
                }
                case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull: {
                    op.kind = MigrationOpKind::SetNotNull;
                    if (t)
                        for (const auto& ck : t->checks)
                            if (squeeze(ck.expression) == lower(name) + "isnotnull") op.proven_by_check = true;
                    out_.push_back(std::move(op));
                    break;
                }
                case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
                case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
                case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
                    op.kind = MigrationOpKind::OtherAlter;
                    out_.push_back(std::move(op));
                    break;
                default: break;
            }
        }
        for (auto& p : pending_) out_.push_back(std::move(p));
        pending_.clear();
    }

    void rename(const PgQuery__RenameStmt* s) {
        if (!s->relation) return;
        const std::string table = sqlast::qualified_name(s->relation);
        if (s->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
            MigrationOperation op = base(MigrationOpKind::RenameTable, table);
            op.name = s->newname ? s->newname : "";
            out_.push_back(std::move(op));
        } else if (s->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN) {
            MigrationOperation op = base(MigrationOpKind::RenameColumn, table);
            op.columns = {s->subname ? s->subname : ""};
            op.name = s->newname ? s->newname : "";
            column_origin(op);
            out_.push_back(std::move(op));
        } else {
            return;
        }
        long_identifiers();
    }

    void drop(const PgQuery__DropStmt* s) {
        const bool table = s->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE;
        const bool index = s->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX;
        if (!table && !index) return;
        for (size_t i = 0; i < s->n_objects; ++i) {
            const std::string name = sqlast::object_name(s->objects[i]);
            if (name.empty()) continue;
            if (table) {
                // `DROP TABLE IF EXISTS RSVP` after `CREATE TABLE "RSVP"`: the unquoted name folds to
                // `rsvp`, which names no table, so nothing is dropped (without IF EXISTS it fails).
                if (s->missing_ok && !schema_.find_table(name)) {
                    std::string meant;
                    for (const auto& [tname, t] : schema_.tables)
                        if (tname != name && lower(tname) == lower(name) && meant.empty()) meant = tname;
                    if (!meant.empty()) {
                        MigrationOperation op = base(MigrationOpKind::DropMissesTable, meant);
                        op.name = name;
                        op.if_exists = true;
                        out_.push_back(std::move(op));
                        continue;
                    }
                }
                MigrationOperation op = base(MigrationOpKind::DropTable, name);
                op.if_exists = s->missing_ok;
                out_.push_back(std::move(op));
                continue;
            }
            // The index's table: the one in the same schema that has an index of that name.
            std::string owner;
            for (const auto& [tname, t] : schema_.tables) {
                if (schema_of(tname) != schema_of(name)) continue;
                for (const auto& idx : t.indexes)
                    if (idx.origin == IndexOrigin::Index && idx.name == unqualified(name) && owner.empty()) owner = tname;
            }
            MigrationOperation op = base(MigrationOpKind::DropIndex, owner);
            op.name = name;
            op.concurrent = s->concurrent;
            op.if_exists = s->missing_ok;
            out_.push_back(std::move(op));
        }
    }

    // ALTER ROLE / ALTER DATABASE ... SET: a default for every session of that role or database.
    void role_default(const PgQuery__VariableSetStmt* s) {
        if (!s || !s->name || s->kind != PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE || s->n_args == 0) return;
        std::string value;
        if (!sqlast::constant_value(s->args[0], value)) return;
        MigrationOperation op = base(MigrationOpKind::SetRoleDefault, "");
        op.columns = {lower(s->name)};
        op.name = value;
        out_.push_back(std::move(op));
    }

    void set(const PgQuery__VariableSetStmt* s) {
        const std::string name = s->name ? lower(s->name) : "";
        if (name != "lock_timeout" && name != "statement_timeout") return;
        if (s->kind != PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE || s->n_args == 0) return;
        std::string value;
        if (!sqlast::constant_value(s->args[0], value) || value == "0" || value == "0s" || value == "0ms") return;
        MigrationOperation op = base(name == "lock_timeout" ? MigrationOpKind::SetLockTimeout : MigrationOpKind::SetStatementTimeout, "");
        op.name = value;
        op.local = s->is_local;
        out_.push_back(std::move(op));
    }

    // Identifiers over NAMEDATALEN - 1 bytes: PostgreSQL truncates them (with only a NOTICE).
    void long_identifiers() {
        for (const auto& t : scan_sql(file_.text(), stmt_.offset, stmt_.offset + stmt_.length)) {
            if (t.token != PG_QUERY__TOKEN__IDENT) continue;
            std::string id = file_.text().substr(t.begin, t.end - t.begin);
            if (id.size() >= 2 && id.front() == '"' && id.back() == '"') {
                std::string unq;
                for (size_t i = 1; i + 1 < id.size(); ++i) {
                    unq += id[i];
                    if (id[i] == '"' && i + 2 < id.size() && id[i + 1] == '"') ++i;
                }
                id = unq;
            } else {
                id = lower(id);
            }
            if (id.size() <= 63) continue;
            MigrationOperation op = base(MigrationOpKind::LongIdentifier, "");
            op.loc = file_.at(t.begin);
            op.name = id;
            out_.push_back(std::move(op));
        }
    }

    const SchemaModel& schema_;
    const SqlStatement& stmt_;
    const SourceFile& file_;
    std::vector<MigrationOperation>& out_;
    std::string transaction_;
    std::vector<MigrationOperation> pending_;  // constraints declared inside an ADD COLUMN
};

}  // namespace

void record_migration_operations(const SchemaModel& before, const SqlStatement& stmt, const SourceFile& file,
                                 const std::string& file_transaction, std::vector<MigrationOperation>& out) {
    if (!stmt.node) return;
    Recorder(before, stmt, file, file_transaction, out).record(stmt.node);
}

}  // namespace querylens
