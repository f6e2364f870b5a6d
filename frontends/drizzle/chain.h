#pragma once
// Internal to frontends/drizzle: a query chain being lowered (`db.select().from(t).where(...)`)
// and the lowering of each kind of chain, one function per head method.
#include <string>
#include <vector>

#include "frontends/drizzle/expressions.h"
#include "frontends/typescript/syntax.h"

namespace querylens::drizzle {

struct Chain {
    const DrizzleProgram& drizzle;
    int file;
    const TsSite& site;
    std::vector<ChainLink> links;
    TSNode root{};
    size_t head = 0;        // index of the head link (select, insert, query, ...)
    std::string root_text;  // "db", "this.db", "tx"
    bool known_handle = false;

    const std::string& src() const { return drizzle.program().src(file); }
    const std::string& head_name() const { return links[head].name; }
    std::vector<TSNode> args(size_t k) const { return call_args(links[k].args); }
    TSNode property_of(size_t k) const { return field(links[k].member, "property"); }
};

// Each writes the statement into `w` and fills `out`'s api and facts; false when the chain is not
// a query we can read (a subquery, an alias, an unknown table).
bool lower_select(const Chain& c, DrizzleSqlWriter& w, LoweredQuery& out);
bool lower_mutation(const Chain& c, DrizzleSqlWriter& w, LoweredQuery& out);  // insert, update, delete
bool lower_relational(const Chain& c, DrizzleSqlWriter& w, LoweredQuery& out);  // db.query.t.findMany/findFirst
bool lower_execute(const Chain& c, DrizzleSqlWriter& w, LoweredQuery& out);     // db.execute(sql`...`)

}  // namespace querylens::drizzle
