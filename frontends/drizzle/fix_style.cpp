// Fixes written as Drizzle code: `.limit()` on builders, `limit:` in relational queries, and batch
// sketches with inArray in the code's own names.
#include "frontends/drizzle/drizzle.h"

namespace querylens {

namespace {

class DrizzleFixStyle final : public FixStyle {
public:
    explicit DrizzleFixStyle(bool relational) : relational_(relational) {}
    FixLanguage language() const override { return FixLanguage::Code; }
    std::string limit_clause(const Query&) const override { return relational_ ? "limit:" : ".limit()"; }
    std::string all_columns(const Query& q) const override {
        return relational_ ? q.api + " without `columns`" : q.api + "() without a field map";
    }
    std::string batch_insert(const std::string& table) const override {
        return "await db.insert(" + table + ").values(rows); // every row in one statement";
    }
    std::string batch_lookup(const std::string& table, const std::string& member, const std::string& column) const override {
        return "// before the loop: one query for every key, then a lookup per element\n"
               "const rows = await db.select().from(" + table + ").where(inArray(" + member + ", keys));\n"
               "const byKey = new Map(rows.map((row) => [row." + column + ", row]));\n"
               "// in the loop: const row = byKey.get(key);";
    }
    std::string batch_write(StatementKind kind, const std::string& table, const std::string& member,
                            const std::string&) const override {
        const bool update = kind == StatementKind::Update;
        return std::string("await db.") + (update ? "update" : "delete") + "(" + table + ")" + (update ? ".set({ ... })" : "") +
               ".where(inArray(" + member + ", keys)); // one statement for every key";
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
