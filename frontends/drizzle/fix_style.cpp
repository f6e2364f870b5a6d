// Fixes written as Drizzle code: `.limit()` on builders, `limit:` in relational queries, and batch
// sketches with inArray in the code's own names.
#include <cctype>

#include "frontends/drizzle/drizzle.h"

namespace querylens {

namespace {

// The handle a Drizzle query went through, from its api text: "this.db" of "this.db.select",
// "tx" of "tx.query.orders.findMany"; "db" when unknown.
std::string handle(const std::string& api) {
    const size_t rel = api.find(".query.");
    const size_t cut = rel != std::string::npos ? rel : api.rfind('.');
    return cut == std::string::npos || cut == 0 ? std::string("db") : api.substr(0, cut);
}

class DrizzleFixStyle final : public FixStyle {
public:
    explicit DrizzleFixStyle(bool relational) : relational_(relational) {}
    FixLanguage language() const override { return FixLanguage::Code; }
    std::string limit_clause(const Query&) const override { return relational_ ? "limit:" : ".limit()"; }
    std::string all_columns(const Query& q) const override {
        return relational_ ? q.api + " without `columns`" : q.api + "() without a field map";
    }
    std::string select_columns(const Query& q, const std::string& table, const std::string&,
                               const std::vector<std::pair<std::string, std::string>>& columns) const override {
        std::string list;
        for (const auto& [_, prop] : columns)
            list += (list.empty() ? "" : ", ") + prop + (relational_ ? ": true" : ": " + table + "." + prop);
        if (relational_) return q.api + "({ columns: { " + list + " }, ... })";
        return q.api + "({ " + list + " }).from(" + table + ")...";
    }
    std::string batch(const Batch& b) const override {
        const std::string db = handle(b.api);
        if (b.kind == StatementKind::Insert) {
            std::string s = "await " + db + ".insert(" + b.table + ").values(rows)";
            if (b.on_conflict && b.do_nothing) s += ".onConflictDoNothing()";
            else if (b.on_conflict) {
                std::string target;
                for (const auto& m : b.conflict_members) target += (target.empty() ? "" : ", ") + m;
                if (b.conflict_members.size() > 1) target = "[" + target + "]";
                std::string set;
                for (const auto& [c, prop] : b.per_row) set += (set.empty() ? "" : ", ") + prop + ": sql`excluded." + quoted(c) + "`";
                s += ".onConflictDoUpdate({ target: " + (target.empty() ? std::string("/* the conflict target */") : target) +
                     ", set: { " + (set.empty() ? std::string("/* ... */") : set) + " } })";
            }
            return s + "; // every row in one statement";
        }
        const std::string where = b.other_conditions ? "and(/* the other conditions */, inArray(" + b.member + ", keys))"
                                                     : "inArray(" + b.member + ", keys)";
        if (b.kind == StatementKind::Select) {
            if (b.read == Batch::Read::Latest)
                return "// before the loop: the latest row for every key in one query, then a lookup per element\n"
                       "const rows = await " + db + ".selectDistinctOn([" + b.member + "]).from(" + b.table + ").where(" + where + ")\n"
                       "  .orderBy(" + b.member + ", " + (b.order_desc ? "desc(" + b.order_member + ")" : b.order_member) + ");\n"
                       "const byKey = new Map(rows.map((row) => [row." + b.column + ", row]));\n"
                       "// in the loop: const row = byKey.get(key);";
            if (b.read == Batch::Read::Aggregate)
                return "// before the loop: the aggregate for every key in one query (GROUP BY), then a lookup per element\n"
                       "const totals = await " + db + ".select({ key: " + b.member + ", n: count() }).from(" + b.table + ").where(" + where + ")\n"
                       "  .groupBy(" + b.member + ");  // or the query's own aggregate\n"
                       "const byKey = new Map(totals.map((row) => [row.key, row.n]));\n"
                       "// in the loop: const n = byKey.get(key) ?? 0;";
            return "// before the loop: one query for every key, then a lookup per element\n"
                   "const rows = await " + db + ".select().from(" + b.table + ").where(" + where + ");\n"
                   "const byKey = new Map(rows.map((row) => [row." + b.column + ", row]));\n"
                   "// in the loop: const row = byKey.get(key);";
        }
        if (b.kind == StatementKind::Update && !b.per_row.empty()) {
            std::string set, cols, vals;
            for (const auto& [c, prop] : b.per_row) {
                set += (set.empty() ? "" : ", ") + quoted(c) + " = v." + quoted(c);
                cols += ", " + quoted(c);
                vals += ", ${r." + prop + "}";
            }
            return "// one statement for every row, each with its own values (UPDATE ... FROM (VALUES ...))\n"
                   "const values = sql.join(rows.map((r) => sql`(${r." + b.column + "}" + vals + ")`), sql`, `);\n"
                   "await " + db + ".execute(sql`UPDATE ${" + b.table + "} SET " + set + " FROM (VALUES ${values}) AS v(" + quoted(b.key_sql) +
                   cols + ") WHERE ${" + b.member + "} = v." + quoted(b.key_sql) + "`);  // cast the values where types need it" +
                   (b.expression_writes ? "\n// keep the other SET expressions as written, reading their per-row values from v" : "");
        }
        const bool update = b.kind == StatementKind::Update;
        return "await " + db + "." + (update ? "update" : "delete") + "(" + b.table + ")" + (update ? ".set({ ... })" : "") +
               ".where(" + where + "); // one statement for every key";
    }

    static std::string quoted(const std::string& c) {
        bool plain = !c.empty() && (std::islower(static_cast<unsigned char>(c[0])) || c[0] == '_');
        for (char ch : c) plain = plain && (std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '_');
        return plain ? c : "\"" + c + "\"";
    }

private:
    bool relational_;
};

}  // namespace

const FixStyle& drizzle_builder_fix_style() {
    static const DrizzleFixStyle style(false);
    return style;
}

const FixStyle& drizzle_relational_fix_style() {
    static const DrizzleFixStyle style(true);
    return style;
}

}  // namespace querylens
