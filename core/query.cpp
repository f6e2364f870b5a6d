// Enum names and small Query helpers, next to the types in core/query.h.
#include "core/query.h"

namespace querylens {

const char* to_string(StatementKind k) {
    switch (k) {
        case StatementKind::Select: return "select";
        case StatementKind::Insert: return "insert";
        case StatementKind::Update: return "update";
        case StatementKind::Delete: return "delete";
    }
    return "select";
}

const char* to_string(QueryOrigin o) {
    switch (o) {
        case QueryOrigin::SqlStatement: return "sql-statement";
        case QueryOrigin::ViewBody: return "view-body";
        case QueryOrigin::MaterializedViewBody: return "materialized-view-body";
        case QueryOrigin::Code: return "code";
    }
    return "sql-statement";
}

const char* to_string(JoinType t) {
    switch (t) {
        case JoinType::Inner: return "inner";
        case JoinType::Left: return "left";
        case JoinType::Right: return "right";
        case JoinType::Full: return "full";
        case JoinType::Cross: return "cross";
        case JoinType::Comma: return "comma";
    }
    return "inner";
}

bool Query::returns_rows() const { return kind == StatementKind::Select || has_returning; }

const char* to_string(RelationKind k) {
    switch (k) {
        case RelationKind::Table: return "table";
        case RelationKind::Cte: return "cte";
        case RelationKind::Subquery: return "subquery";
        case RelationKind::Function: return "function";
        case RelationKind::Values: return "values";
    }
    return "table";
}

const char* to_string(ExecutionContext c) {
    return c == ExecutionContext::OneOff ? "one-off" : c == ExecutionContext::Admin ? "admin" : "runtime";
}

std::string origin_label(const Query& q) { return q.origin == QueryOrigin::Code ? q.frontend : to_string(q.origin); }

const Relation* Query::first_table() const {
    for (const auto& r : relations)
        if (r.kind == RelationKind::Table && r.block == 0) return &r;
    return nullptr;
}

std::vector<int> QueryInventory::call_chain(int f, bool write, int& query) const {
    std::vector<int> chain;
    const auto& reach = write ? writes : reads;
    query = -1;
    for (size_t guard = 0; f >= 0 && static_cast<size_t>(f) < reach.size() && guard <= functions.size(); ++guard) {
        const Reach& r = reach[f];
        if (r.distance < 0) break;
        if (r.distance == 0) {
            query = r.query;
            break;
        }
        chain.push_back(r.call);
        f = calls[r.call].callee;
    }
    return chain;
}

}  // namespace querylens
