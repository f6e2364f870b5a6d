#include "verify/verify.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/schema_diff.h"
#include "core/sql_text.h"
#include "rules/index_advisor.h"
#include "sql/ast.h"
#include "sql/parser.h"
#include "verify/baseline.h"
#include "verify/catalog.h"
#include "verify/pg_client.h"

namespace querylens {

namespace {

const std::set<std::string> kTimescaleFunctions = {
    "create_hypertable", "add_compression_policy", "add_retention_policy", "add_continuous_aggregate_policy",
    "set_chunk_time_interval", "remove_compression_policy", "remove_retention_policy", "add_dimension",
    "compress_chunk", "add_job", "time_bucket"};

bool timescale_statement(const std::string& text, const PgQuery__Node* node) {
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("timescaledb") != std::string::npos) return true;
    for (const auto& f : sqlast::called_functions(node))
        if (kTimescaleFunctions.count(f)) return true;
    return false;
}

bool needs_autocommit(const PgQuery__Node* n) {
    switch (n->node_case) {
        case PG_QUERY__NODE__NODE_TRANSACTION_STMT: return true;  // the file manages its own transaction
        case PG_QUERY__NODE__NODE_INDEX_STMT: return n->index_stmt->concurrent;
        case PG_QUERY__NODE__NODE_DROP_STMT: return n->drop_stmt->concurrent;  // DROP INDEX CONCURRENTLY
        case PG_QUERY__NODE__NODE_VACUUM_STMT:
        case PG_QUERY__NODE__NODE_CREATEDB_STMT:
        case PG_QUERY__NODE__NODE_DROPDB_STMT: return true;
        default: return false;
    }
}

// Ownership and privileges name roles of the environment the dump came from; row-level security
// policies and publications name the hosting platform's roles, functions and publications
// (Supabase's `authenticated`, `supabase_realtime`), which a scratch database does not have.
bool environment_statement(const PgQuery__Node* n) {
    switch (n->node_case) {
        case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT:
        case PG_QUERY__NODE__NODE_ALTER_POLICY_STMT:
        case PG_QUERY__NODE__NODE_CREATE_PUBLICATION_STMT:
        case PG_QUERY__NODE__NODE_ALTER_PUBLICATION_STMT:
        case PG_QUERY__NODE__NODE_ALTER_OWNER_STMT:
        case PG_QUERY__NODE__NODE_GRANT_STMT:
        case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT:
        case PG_QUERY__NODE__NODE_ALTER_DEFAULT_PRIVILEGES_STMT:
        case PG_QUERY__NODE__NODE_CREATE_ROLE_STMT:
        case PG_QUERY__NODE__NODE_ALTER_ROLE_STMT:
            return true;
        case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:  // ALTER TABLE ... OWNER TO
            for (size_t i = 0; i < n->alter_table_stmt->n_cmds; ++i) {
                const auto* c = n->alter_table_stmt->cmds[i];
                if (c->node_case == PG_QUERY__NODE__NODE_ALTER_TABLE_CMD &&
                    c->alter_table_cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner)
                    return true;
            }
            return false;
        default:
            return false;
    }
}

bool is_sql_file(const SourceFile& f) { return f.language() == SourceLanguage::Sql; }

// Files of queries (SELECT/INSERT/UPDATE/DELETE only, often with $n parameters) are not
// migrations: a migration changes the schema somewhere.
bool is_migration(const ParsedSql& parsed) {
    for (const auto& st : parsed.statements) {
        switch (st.node->node_case) {
            case PG_QUERY__NODE__NODE_SELECT_STMT:
                if (!sqlast::called_functions(st.node).empty() && st.node->select_stmt->n_from_clause == 0) return true;  // SELECT create_hypertable(...)
                break;
            case PG_QUERY__NODE__NODE_INSERT_STMT:
            case PG_QUERY__NODE__NODE_UPDATE_STMT:
            case PG_QUERY__NODE__NODE_DELETE_STMT:
                break;
            default:
                return true;
        }
    }
    return false;
}

struct CatalogColumn {
    std::string name, type;
    bool not_null = false, has_default = false, is_enum = false;
    int length = 0;
};

class Verifier {
public:
    Verifier(const Project& p, const std::vector<Finding>& f, const std::vector<std::string>& ddl, const VerifyOptions& o,
             VerifyResult& r)
        : project_(p), findings_(f), ddl_(ddl), opt_(o), r_(r) {}

    void run();

private:
    std::set<std::string> baseline_;  // tables created from the code's schema (verify/baseline.h)
    void apply_migrations();
    void compare_schema();
    // Fills every table with `n` generated rows (parents first). `wide`: the text and jsonb columns
    // the table profile calls unbounded (documents, not keys) get 12.8 kB of incompressible text.
    // Returns the tables left empty, with PostgreSQL's reason.
    std::vector<std::string> generate_data(size_t n, bool wide);
    void explain_evidence();
    void apply_ddl();
    std::string gen(const CatalogColumn& c, const std::string& k, bool wide = false) const;
    Location model_file_loc() const;

    const Project& project_;
    const std::vector<Finding>& findings_;
    const std::vector<std::string>& ddl_;
    const VerifyOptions& opt_;
    VerifyResult& r_;
    std::unique_ptr<pg::Connection> db_;
};


void Verifier::run() {
    std::string error;
    auto admin = pg::Connection::open(opt_.dsn, "", error);
    if (!admin) {
        r_.fatal = "cannot connect: " + error;
        return;
    }
    const auto stamp = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    r_.database = "querylens_verify_" + std::to_string(getpid()) + "_" + std::to_string(stamp % 100000000);
    if (auto res = admin->exec("CREATE DATABASE " + admin->quote_ident(r_.database) + " TEMPLATE template0"); !res.ok) {
        r_.fatal = "cannot create a scratch database: " + res.error;
        return;
    }
    db_ = pg::Connection::open(opt_.dsn, r_.database, error);
    if (!db_) {
        r_.fatal = "cannot connect to the scratch database: " + error;
    } else {
        r_.timescaledb = !db_->exec("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'").rows.empty();
        r_.hypopg = db_->exec("CREATE EXTENSION IF NOT EXISTS hypopg").ok;
        baseline_ = create_baseline(*db_, project_, r_.baseline_note);
        apply_migrations();
        complete_baseline(*db_, project_, baseline_);
        compare_schema();
        if (r_.hypopg) {
            const auto failed = generate_data(opt_.rows_per_table, false);
            r_.data_note = std::to_string(opt_.rows_per_table) + " generated rows per table, then ANALYZE" +
                           (failed.empty() ? std::string() : "; left empty: " + join_list(failed));
            explain_evidence();
        }
        apply_ddl();
        db_.reset();
    }
    if (!opt_.keep_database) admin->exec("DROP DATABASE IF EXISTS " + admin->quote_ident(r_.database));
}

void Verifier::apply_migrations() {
    for (const auto& file : project_.files) {
        if (!is_sql_file(*file)) continue;
        MigrationOutcome m;
        m.file = file->path();
        // SQL that runs once by its place (a test suite's setup script, a seed) is not a migration.
        if (project_.one_off(file->path())) continue;
        const ParsedSql parsed = parse_sql(file->text());
        if (!is_migration(parsed)) continue;
        m.statements = parsed.statements.size();
        m.in_transaction = std::none_of(parsed.statements.begin(), parsed.statements.end(),
                                        [](const SqlStatement& s) { return needs_autocommit(s.node); });
        if (m.in_transaction) db_->exec("BEGIN");
        for (const auto& st : parsed.statements) {
            const std::string text = file->text().substr(st.offset, st.length);
            if (!r_.timescaledb && timescale_statement(text, st.node)) {
                m.problems.push_back({file->at(st.offset), "TimescaleDB statement", true});
                continue;
            }
            if (environment_statement(st.node)) {
                m.problems.push_back({file->at(st.offset), "ownership, privileges, policies or publications (roles and objects of another environment)", true});
                continue;
            }
            const auto res = db_->exec(text);
            if (res.ok) continue;
            m.ok = false;
            m.problems.push_back({file->at(st.offset), res.error, false});
            if (m.in_transaction) break;  // the file fails as a unit, as a migration tool would
        }
        if (m.in_transaction) db_->exec(m.ok ? "COMMIT" : "ROLLBACK");
        db_->exec("RESET ALL");  // a dump's SET search_path = '' must not leak into the next file
        r_.migrations.push_back(std::move(m));
    }
}

Location Verifier::model_file_loc() const {
    for (const auto& f : project_.files)
        if (is_sql_file(*f)) return f->at(0);
    return {};
}

// What the database is expected to have: the tables the migrations define (Drizzle-only tables
// are not in the database by design), without the indexes create_hypertable would have made when
// TimescaleDB is absent (its statements were skipped).
SchemaModel expected_schema(const SchemaModel& schema, bool timescaledb) {
    SchemaModel out;
    out.source = schema.source;
    for (const auto& [name, t] : schema.tables) {
        if (!is_sql_path(t.loc.file)) continue;
        Table& copy = out.tables.emplace(name, t).first->second;
        if (!timescaledb)
            copy.indexes.erase(std::remove_if(copy.indexes.begin(), copy.indexes.end(), [](const Index& i) { return i.timescaledb; }),
                               copy.indexes.end());
    }
    return out;
}

std::string action_text(FkAction a) { return to_sql(effective_action(a)); }

void Verifier::compare_schema() {
    const SchemaModel model = expected_schema(project_.schema, r_.timescaledb);
    SchemaModel catalog = read_catalog(*db_);
    for (const auto& name : baseline_) catalog.tables.erase(name);  // made from the model: nothing to compare
    for (const auto& d : schema_diff(model, catalog, SchemaMatch::Name)) {
        using Kind = SchemaDifference::Kind;
        const std::string table = display_name(d.table);
        auto diff = [&](const Location& loc, std::string object, std::string model_says, std::string catalog_says) {
            r_.differences.push_back({loc, std::move(object), std::move(model_says), std::move(catalog_says)});
        };
        const Index* li = d.left_index;
        const Index* ri = d.right_index;
        const std::string index = "index " + (li ? li->name : ri ? ri->name : "") + " on " + table;
        const ForeignKey* lf = d.left_fk;
        const ForeignKey* rf = d.right_fk;
        const std::string fk = "foreign key " + (lf ? lf->name : rf ? rf->name : "") + " on " + table;
        auto not_null = [](const Table& t, const Column& c) { return column_not_null(t, c) ? "NOT NULL" : "nullable"; };
        auto predicate = [](const Index& i) { return i.partial() ? "WHERE " + i.predicate_sql : std::string("no predicate"); };
        auto include = [](const Index& i) {
            std::string out;
            for (const auto& c : i.include) out += (out.empty() ? "" : ", ") + c;
            return "INCLUDE (" + out + ")";
        };
        auto columns = [](const ForeignKey& f) {
            std::string out;
            for (const auto& c : f.columns) out += (out.empty() ? "" : ",") + c;
            return "columns (" + out + ")";
        };
        switch (d.kind) {
            case Kind::TableOnlyLeft: diff(d.left_table->loc, "table " + table, "defined", "missing"); break;
            case Kind::TableOnlyRight: diff(model_file_loc(), "table " + table, "missing", "exists"); break;
            case Kind::ColumnOnlyLeft:
                diff(d.left_column->loc, "column " + table + "." + d.left_column->name, "exists", "missing");
                break;
            case Kind::ColumnOnlyRight:
                diff(d.left_table->loc, "column " + table + "." + d.right_column->name, "missing", "exists");
                break;
            case Kind::ColumnNotNull:
                diff(d.left_column->loc, "column " + table + "." + d.left_column->name, not_null(*d.left_table, *d.left_column),
                     not_null(*d.right_table, *d.right_column));
                break;
            case Kind::IndexOnlyLeft: diff(li->loc, index, "exists", "missing"); break;
            case Kind::IndexOnlyRight:
                // Not reported, as before: catalog-only *_pkey* indexes and TimescaleDB's _hyper_* chunk indexes.
                if (ri->name.find("_pkey") != std::string::npos || ri->name.rfind("_hyper_", 0) == 0) break;
                diff(d.left_table->loc, index, "missing", "exists");
                break;
            case Kind::IndexKeys:
                diff(li->loc, index, "keys (" + index_keys_text(*li) + ")", "keys (" + index_keys_text(*ri) + ")");
                break;
            case Kind::IndexInclude: diff(li->loc, index, include(*li), include(*ri)); break;
            case Kind::IndexUnique:
                diff(li->loc, index, li->unique ? "unique" : "not unique", ri->unique ? "unique" : "not unique");
                break;
            case Kind::IndexPredicate: diff(li->loc, index, predicate(*li), predicate(*ri)); break;
            case Kind::IndexMethod: diff(li->loc, index, "USING " + li->method, "USING " + ri->method); break;
            case Kind::ForeignKeyOnlyLeft: diff(lf->loc, fk, "exists", "missing"); break;
            case Kind::ForeignKeyOnlyRight: diff(d.left_table->loc, fk, "missing", "exists"); break;
            case Kind::ForeignKeyColumns: diff(lf->loc, fk, columns(*lf), columns(*rf)); break;
            case Kind::ForeignKeyReferences: diff(lf->loc, fk, "references " + lf->ref_table, "references " + rf->ref_table); break;
            case Kind::ForeignKeyAction:
                diff(lf->loc, fk, "ON DELETE " + action_text(lf->on_delete), "ON DELETE " + action_text(rf->on_delete));
                break;
            case Kind::ForeignKeyUpdateAction:
                diff(lf->loc, fk, "ON UPDATE " + action_text(lf->on_update), "ON UPDATE " + action_text(rf->on_update));
                break;
            case Kind::KeyOnlyRight: break;  // SchemaMatch::Definition only; verify compares by name
        }
    }
}

// A generated value of column `c` for row number expression `k` (an SQL integer expression).
std::string Verifier::gen(const CatalogColumn& c, const std::string& k, bool wide) const {
    const std::string& t = c.type;
    // 400 md5 digests: 12.8 kB that compression cannot shrink below btree's 2.7 kB entry limit.
    const std::string document = "(SELECT string_agg(md5((" + k + ")::text || i::text), '') FROM generate_series(1, 400) i)";
    if (wide && c.length == 0 && (t == "text" || t == "character varying")) return document;
    if (wide && (t == "jsonb" || t == "json")) return "jsonb_build_object('doc', " + document + ")::" + t;
    if (c.is_enum)
        return "(enum_range(NULL::" + t + "))[1 + (" + k + ") % cardinality(enum_range(NULL::" + t + "))]";
    if (t == "smallint") return "((" + k + ") % 32000)::smallint";
    if (t == "integer" || t == "bigint" || t.rfind("numeric", 0) == 0 || t == "real" || t == "double precision")
        return "(" + k + ")::" + t;
    if (t == "text" || t.rfind("character varying", 0) == 0 || t.rfind("character(", 0) == 0) {
        const std::string v = "'v' || (" + k + ")";
        return c.length > 0 ? "left(" + v + ", " + std::to_string(c.length) + ")" : v;
    }
    if (t == "uuid") return "md5((" + k + ")::text)::uuid";
    if (t == "boolean") return "((" + k + ") % 2 = 0)";
    if (t.rfind("timestamp", 0) == 0) return "(timestamptz '2024-01-01' + (" + k + ") * interval '1 minute')::" + t;
    if (t == "date") return "date '2000-01-01' + (" + k + ")::int";
    if (t == "jsonb" || t == "json") return "jsonb_build_object('k', (" + k + ") % 100, 'order_id', (" + k + ")::text)::" + t;
    if (t == "interval") return "(" + k + ") * interval '1 second'";
    if (t == "inet") return "('10.' || ((" + k + ") / 65536 % 256) || '.' || ((" + k + ") / 256 % 256) || '.' || ((" + k + ") % 256))::inet";
    if (t == "bytea") return "decode(md5((" + k + ")::text), 'hex')";
    return c.not_null ? "" : "NULL";
}

std::vector<std::string> Verifier::generate_data(size_t n, bool wide) {
    const auto tables = db_->exec(
        "SELECT c.oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname), n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON "
        "n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 2");
    // Parents before children (single-column foreign keys), then the rest in name order.
    std::map<std::string, std::string> name_of, model_name_of;
    std::vector<std::string> order;
    for (const auto& row : tables.rows) name_of[row[0]] = row[1], model_name_of[row[0]] = row[2], order.push_back(row[0]);
    struct Fk {
        std::string child_col, parent, parent_col;
    };
    std::map<std::string, std::vector<Fk>> fks;
    for (const auto& row : db_->exec(
             "SELECT c.conrelid, a.attname, c.confrelid, pa.attname FROM pg_constraint c "
             "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
             "JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1] "
             "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1").rows)
        fks[row[0]].push_back({row[1], row[2], row[3]});
    std::vector<std::string> sorted;
    std::set<std::string> done;
    for (size_t round = 0; round <= order.size() && sorted.size() < order.size(); ++round)
        for (const auto& oid : order) {
            if (done.count(oid)) continue;
            bool ready = true;
            for (const auto& fk : fks[oid]) ready &= fk.parent == oid || done.count(fk.parent) || !name_of.count(fk.parent);
            if (ready || round == order.size()) done.insert(oid), sorted.push_back(oid);
        }
    std::map<std::string, std::map<std::string, CatalogColumn>> columns;
    for (const auto& row : db_->exec(
             "SELECT a.attrelid, a.attname, format_type(a.atttypid, NULL), a.attnotnull, a.atthasdef, t.typtype = 'e', "
             "CASE WHEN a.atttypmod > 4 AND a.atttypid IN (1042, 1043) THEN a.atttypmod - 4 ELSE 0 END, a.attnum "
             "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attnum > 0 AND NOT a.attisdropped "
             "ORDER BY a.attrelid, a.attnum").rows)
        columns[row[0]][row[1]] = {row[1], row[2], row[3] == "t", row[4] == "t", row[5] == "t", std::stoi(row[6])};
    std::set<std::pair<std::string, std::string>> keyed;  // columns in a PK or unique constraint
    for (const auto& row : db_->exec("SELECT c.conrelid, a.attname FROM pg_constraint c JOIN pg_attribute a ON "
                                     "a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) WHERE c.contype IN ('p', 'u')").rows)
        keyed.insert({row[0], row[1]});
    // Document-sized values go in the columns the table profile calls unbounded (document text,
    // jsonb): names, tokens and ids stay short, as they are in production.
    std::set<std::pair<std::string, std::string>> documents;
    if (wide)
        for (const auto& [oid, name] : model_name_of)
            for (const auto& col : project_.profile(name).wide_columns) documents.insert({oid, col});
    std::vector<std::string> failed;
    for (const auto& oid : sorted) {
        // First with every column generated (realistic distributions); if a CHECK or trigger
        // refuses that, again leaving columns with defaults to their defaults.
        std::string error;
        bool inserted = false;
        for (int attempt = 0; attempt < 2 && !inserted; ++attempt) {
            std::string cols, values;
            bool possible = true;
            for (const auto& [cname, c] : columns[oid]) {
                std::string v;
                const Fk* fk = nullptr;
                for (const auto& f : fks[oid])
                    if (f.child_col == cname) fk = &f;
                if (fk && columns.count(fk->parent) && columns[fk->parent].count(fk->parent_col)) {
                    // The parent's value for row ((g - 1) % n) + 1: the same generator, so it exists.
                    v = gen(columns[fk->parent][fk->parent_col], "((g - 1) % " + std::to_string(n) + " + 1)");
                } else if (keyed.count({oid, cname})) {
                    v = gen(c, "g");
                } else if (c.has_default && attempt == 1) {
                    continue;
                } else {
                    v = gen(c, "(g % 97)", documents.count({oid, cname}) > 0);  // moderate cardinality, like a status or a user id
                    if (v.empty() && c.has_default) continue;
                }
                if (v.empty()) {
                    possible = false;
                    break;
                }
                cols += (cols.empty() ? "" : ", ") + db_->quote_ident(cname);
                values += (values.empty() ? "" : ", ") + v;
            }
            if (!possible || cols.empty()) {
                error = "no generator for a NOT NULL column";
                break;
            }
            const auto res = db_->exec("INSERT INTO " + name_of[oid] + " (" + cols + ") SELECT " + values +
                                       " FROM generate_series(1, " + std::to_string(n) + ") g");
            inserted = res.ok;
            if (!res.ok) error = res.error;
        }
        if (!inserted) failed.push_back(name_of[oid] + " (" + error + ")");
    }
    db_->exec("ANALYZE");
    return failed;
}

// The scan node on `table` in an EXPLAIN (FORMAT JSON) plan, breadth-first.
// `index` gets the name of a hypopg index (they start with "<oid>") used anywhere in the plan.
void find_scan(const nlohmann::json& plan, const std::string& table, std::string& node, std::string& index) {
    std::vector<const nlohmann::json*> queue{&plan};
    for (size_t i = 0; i < queue.size() && i < 10000; ++i) {
        const auto& p = *queue[i];
        const std::string type = p.value("Node Type", "");
        if (p.value("Relation Name", "") == table && node.empty() && type != "ModifyTable") node = type;
        if (const std::string name = p.value("Index Name", ""); !name.empty() && name[0] == '<') index = name;
        if (p.contains("Plans"))
            for (const auto& c : p["Plans"]) queue.push_back(&c);
    }
}

void Verifier::explain_evidence() {
    db_->exec("SET plan_cache_mode = force_generic_plan");
    for (const auto& f : findings_) {
        if (f.rule != "uncovered-predicate" || !f.index || f.sql.empty()) continue;
        PlanEvidence e;
        e.finding = f.loc;
        e.query = f.sql;
        std::string keys;
        for (size_t k = 0; k < f.index->keys.size(); ++k)
            keys += (k ? ", " : "") +
                    // A column keeps its case (`"refreshToken"`); an expression key is already SQL.
                    (f.index->keys[k].rfind('(', 0) == 0 ? f.index->keys[k] : db_->quote_ident(f.index->keys[k])) +
                    (k < f.index->desc.size() && f.index->desc[k] ? " DESC" : "");
        const std::string table = unqualified(f.index->table);
        e.index = "CREATE INDEX ON " + db_->quote_ident(schema_of(f.index->table)) + "." + db_->quote_ident(table) +
                  (f.index->method == "btree" ? "" : " USING " + f.index->method) + " (" + keys + ")";
        int params = 0;
        for (const auto& t : scan_sql(f.sql, 0, static_cast<uint32_t>(f.sql.size())))
            if (t.token == PG_QUERY__TOKEN__PARAM) params = std::max(params, std::atoi(f.sql.substr(t.begin + 1, t.end - t.begin - 1).c_str()));
        std::string args;
        for (int i = 0; i < params; ++i) args += (i ? ", " : "") + std::string("NULL");
        auto explain = [&](double& cost, std::string& node, std::string& index) -> bool {
            db_->exec("DEALLOCATE ALL");
            std::string sql = f.sql;
            auto p = db_->exec("PREPARE querylens_q AS " + sql);
            // An optional filter lowers to `(col = $2 OR $3 IS NULL)`: $3 has no type PostgreSQL
            // can infer. Give such parameters text and prepare again.
            static const std::string kUntyped = "could not determine data type of parameter $";
            for (int attempt = 0; !p.ok && attempt < 8 && p.error.find(kUntyped) != std::string::npos; ++attempt) {
                const std::string n = std::to_string(std::atoi(p.error.c_str() + p.error.find(kUntyped) + kUntyped.size()));
                bool changed = false;
                for (const char* test : {" IS NULL", " IS NOT NULL"})
                    for (size_t at = sql.find("$" + n + test); at != std::string::npos; at = sql.find("$" + n + test, at + 1)) {
                        sql.insert(at + 1 + n.size(), "::text");
                        changed = true;
                    }
                if (!changed) break;
                p = db_->exec("PREPARE querylens_q AS " + sql);
            }
            if (!p.ok) {
                e.error = p.error;
                return false;
            }
            const auto res = db_->exec("EXPLAIN (FORMAT JSON) EXECUTE querylens_q" + (params ? "(" + args + ")" : std::string()));
            if (!res.ok || res.rows.empty()) {
                e.error = res.error;
                return false;
            }
            const auto plan = nlohmann::json::parse(res.rows[0][0], nullptr, false);
            if (plan.is_discarded() || !plan.is_array() || plan.empty()) return false;
            cost = plan[0]["Plan"].value("Total Cost", 0.0);
            e.limited = plan[0]["Plan"].value("Node Type", "") == "Limit";
            find_scan(plan[0]["Plan"], table, node, index);
            return true;
        };
        std::string before_index, after_index;
        if (explain(e.before_cost, e.before_scan, before_index)) {
            if (auto h = db_->exec("SELECT indexrelid FROM hypopg_create_index(" + db_->quote_literal(e.index) + ")"); !h.ok) {
                e.error = h.error;
            } else if (explain(e.after_cost, e.after_scan, after_index)) {
                e.uses_index = !after_index.empty();
            }
            db_->exec("SELECT hypopg_reset()");
        }
        db_->exec("DEALLOCATE ALL");
        r_.evidence.push_back(std::move(e));
    }
}

void Verifier::apply_ddl() {
    // The generated rows served the plans. The DDL check is about what PostgreSQL accepts, on rows
    // like production's: three per table (so a unique index never meets generated duplicates),
    // with document-sized values in the columns the profile calls unbounded (a btree index on them
    // fails with "index row requires ... bytes", as it would in production).
    {
        std::string all;
        for (const auto& row : db_->exec("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c "
                                         "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
                                         "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                                         "AND n.nspname NOT LIKE 'pg_toast%'").rows)
            all += (all.empty() ? "" : ", ") + row[0];
        if (!all.empty()) db_->exec("TRUNCATE " + all + " CASCADE");
        const auto failed = generate_data(3, true);
        r_.ddl_note = "applied on 3 generated rows per table, with 12.8 kB values in the document-like text and jsonb columns" +
                      (failed.empty() ? std::string() : "; left empty: " + join_list(failed));
    }
    for (const auto& ddl : ddl_) {
        DdlCheck c;
        c.ddl = ddl;
        const ParsedSql parsed = parse_sql(ddl);
        bool timescale = false;
        for (const auto& st : parsed.statements) timescale |= timescale_statement(ddl.substr(st.offset, st.length), st.node);
        if (timescale && !r_.timescaledb) {
            c.skipped = true;
        } else {
            for (const auto& st : parsed.statements) {
                const auto res = db_->exec(ddl.substr(st.offset, st.length));
                if (!res.ok) {
                    c.ok = false;
                    c.error = res.error;
                    break;
                }
            }
        }
        r_.ddl.push_back(std::move(c));
    }
}

}  // namespace

VerifyResult verify_project(const Project& project, const std::vector<Finding>& findings,
                            const std::vector<std::string>& recommended_ddl, const VerifyOptions& options) {
    VerifyResult r;
    Verifier(project, findings, recommended_ddl, options, r).run();
    return r;
}

}  // namespace querylens
