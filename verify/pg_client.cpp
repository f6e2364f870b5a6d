#include "verify/pg_client.h"

namespace querylens::pg {

std::unique_ptr<Connection> Connection::open(const std::string& dsn, const std::string& dbname, std::string& error) {
    // expand_dbname: the first "dbname" is parsed as a URL/conninfo; a later one overrides it.
    const char* keys[] = {"dbname", dbname.empty() ? nullptr : "dbname", nullptr};
    const char* values[] = {dsn.c_str(), dbname.empty() ? nullptr : dbname.c_str(), nullptr};
    PGconn* c = PQconnectdbParams(keys, values, 1);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        error = c ? PQerrorMessage(c) : "out of memory";
        while (!error.empty() && (error.back() == '\n' || error.back() == ' ')) error.pop_back();
        if (c) PQfinish(c);
        return nullptr;
    }
    PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);  // NOTICEs are not results
    return std::unique_ptr<Connection>(new Connection(c));
}

Connection::~Connection() { PQfinish(conn_); }

Result Connection::exec(const std::string& sql) {
    Result r;
    PGresult* res = PQexec(conn_, sql.c_str());
    const auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    r.ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
    if (!r.ok) {
        const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
        r.error = primary ? primary : PQerrorMessage(conn_);
        while (!r.error.empty() && r.error.back() == '\n') r.error.pop_back();
    } else if (status == PGRES_TUPLES_OK) {
        const int n = PQntuples(res), m = PQnfields(res);
        r.rows.resize(n);
        r.nulls.resize(n);
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < m; ++j) {
                r.rows[i].push_back(PQgetvalue(res, i, j));
                r.nulls[i].push_back(PQgetisnull(res, i, j));
            }
    }
    if (res) PQclear(res);
    return r;
}

std::string Connection::quote_literal(const std::string& s) {
    char* q = PQescapeLiteral(conn_, s.data(), s.size());
    std::string out = q ? q : "''";
    PQfreemem(q);
    return out;
}

std::string Connection::quote_ident(const std::string& s) {
    char* q = PQescapeIdentifier(conn_, s.data(), s.size());
    std::string out = q ? q : "\"\"";
    PQfreemem(q);
    return out;
}

}  // namespace querylens::pg
