// lost-update: a row read, a new value computed from it in the application, written back, with
// nothing that stops a concurrent request doing the same in between.
#include <algorithm>

#include "core/sql_text.h"
#include "rules/rule.h"

namespace querylens::rules {

namespace {

void check(const RuleContext& ctx, std::vector<Finding>& out) {
    const auto& qs = ctx.inventory.queries;
    for (const auto& w : qs) {
        if (w.read_modify_write < 0 || w.one_off()) continue;
        const Query& r = qs[w.read_modify_write];
        const std::string table = w.first_table() ? w.first_table()->table : std::string();
        // Arithmetic on a number (a balance, credits, a quota, stock) loses money or limits when a
        // write is lost; a merged JSON document, array or text (settings, metadata) usually has one
        // writer at a time and the next write repairs it: a note.
        const Table* t = ctx.schema.find_table(table);
        bool numeric = false, amount = false;  // a number is written back; one moved by more than a literal
        std::string fields;
        for (const auto& prop : w.rmw_fields) {
            fields += (fields.empty() ? "" : ", ") + prop;
            const bool step = std::find(w.rmw_steps.begin(), w.rmw_steps.end(), prop) != w.rmw_steps.end();
            if (t)
                for (const auto& c : t->columns)
                    if (name_words(c.name) == name_words(prop) && c.numeric()) numeric = true, amount = amount || !step;
        }
        Finding f;
        // Code nothing in the project mentions may never run: a note. So is a tally moved by a
        // literal (`views + 1`): a lost increment undercounts, it moves no amount.
        f.severity = amount && !w.unreferenced ? Severity::P2 : Severity::P3;
        f.loc = w.loc;
        f.loc.end_line = f.loc.line;
        f.loc.end_column = 0;
        f.tables = {table};
        f.message = "read-modify-write on " + display_name(table) + ": " + fields + (w.rmw_fields.size() == 1 ? " is" : " are") + " written back from the row read at line " +
                    std::to_string(r.loc.line) +
                    ", with no lock and no check that it is unchanged: two concurrent requests both read the old value and "
                    "one update is lost; compute the new value in the UPDATE itself, in SQL from the column's current value, or "
                    "read the row FOR UPDATE inside a transaction, or check a version column in the WHERE" +
                    (!numeric ? " (a note: the value is merged, not counted; a lost merge of settings or metadata is "
                                "usually repaired by the next write)"
                     : w.unreferenced ? " (a note: nothing in the project mentions the function this runs in, so it may not run at all)"
                     : !amount       ? " (a note: a tally moved by a constant; a lost increment undercounts, it moves no amount)"
                                      : "");
        f.related.push_back({r.loc, "the read the new value is computed from"});
        out.push_back(std::move(f));
    }
}

}  // namespace

extern const Rule kLostUpdate = {
    "lost-update",
    "LostUpdate",
    Severity::P2,
    RuleCategory::QueryPattern,
    "A row is read, changed in the application and written back without a lock or a version check",
    R"(## What it does
Flags an UPDATE whose new value for a column is computed in TypeScript from the same column of a
row an earlier query of the same function read, on the same table and key:
`const [a] = await db.select().from(accounts).where(eq(accounts.userId, id));` then
`await db.update(accounts).set({ balance: a.balance - amount }).where(eq(accounts.userId, id));`.
Not flagged: a read with `.for('update')` (it locks the row), a write whose WHERE checks the row
still holds what was read (optimistic locking: `eq(accounts.version, a.version)`), a value that
does not come from the read, an upsert or an UPDATE that computes the value in SQL.
The read may be in another function of the same file whose result the write computes from
(`const b = await this.getBalance(id); ... set({ balance: b - amount })`) when that function
selects the column on the same table and key.
Arithmetic on a number (a balance, credits, a quota, stock) is P2; a tally moved by a literal
(`views + 1`: a lost increment undercounts) and a merged JSON document, array or text (settings,
metadata: one writer at a time, and the next write repairs a lost merge) are P3 notes.

## Why is this bad?
At READ COMMITTED (PostgreSQL's default), two requests can both read balance = 100, both compute
100 - 30, and both write 70: one withdrawal is lost, with no error. A transaction alone does not
help; the read must lock the row, or the computation must happen in the UPDATE.

## Example
```typescript
const [a] = await db.select().from(accounts).where(eq(accounts.userId, id));
await db.update(accounts).set({ balance: a.balance - amount }).where(eq(accounts.userId, id));
```

## Use instead
```typescript
await db.update(accounts)
  .set({ balance: sql`${accounts.balance} - ${amount}` })
  .where(eq(accounts.userId, id));
// or: inside db.transaction, read with .for('update') before computing the new value
```
)",
    check,
};

}  // namespace querylens::rules
