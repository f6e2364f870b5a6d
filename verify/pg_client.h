#pragma once
// A minimal RAII layer over libpq for `querylens verify`: connect, run a statement, read text
// results. Errors are values (the verification reports them), never exceptions.
#include <memory>
#include <string>
#include <vector>

#include <libpq-fe.h>

namespace querylens::pg {

struct Result {
    bool ok = false;
    std::string error;  // PostgreSQL's primary message when !ok
    std::vector<std::vector<std::string>> rows;
    std::vector<std::vector<bool>> nulls;
};

class Connection {
public:
    // `dsn` is a libpq URL or conninfo; `dbname`, when not empty, overrides its database.
    static std::unique_ptr<Connection> open(const std::string& dsn, const std::string& dbname, std::string& error);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Result exec(const std::string& sql);
    std::string quote_literal(const std::string& s);
    std::string quote_ident(const std::string& s);

private:
    explicit Connection(PGconn* c) : conn_(c) {}
    PGconn* conn_;
};

}  // namespace querylens::pg
