#pragma once
// What a rule reports: a Finding at a location, with a priority, a message, related locations and
// an optional fix whose language is recorded explicitly (reports never guess it). Rules build
// findings with FindingBuilder:
//   out.push_back(finding(Severity::P2, fk.loc, msg).tables({t, ref}).fix(FixLanguage::Sql, ddl));
#include <optional>
#include <string>
#include <vector>

#include "core/source.h"

namespace querylens {

enum class Severity { P0 = 0, P1 = 1, P2 = 2, P3 = 3 };
const char* to_string(Severity s);  // "P0".."P3"

// The language a fix is written in: SQL to apply to the database, or code in the language of the
// file the finding is in (TypeScript for Drizzle queries).
enum class FixLanguage { None, Sql, Code };
const char* to_string(FixLanguage l);  // "none", "sql", "code"

struct RelatedLocation {
    Location loc;
    std::string message;
};

// A structured index the fix creates, so reports can deduplicate and merge recommendations
// (an index whose keys are a prefix of another's is served by the wider one).
// Another form of a recommended index that the queries it serves call for: `covering` (INCLUDE
// the columns they return, for index-only scans) or `partial` (only the rows with the state they
// all ask for). Offered beside the index, not instead of it.
struct IndexVariant {
    std::string kind;  // "covering" or "partial"
    std::string why;
    std::string ddl;
};

struct IndexRecommendation {
    std::string table;              // qualified
    std::vector<std::string> keys;  // column names, or "(expression)"
    std::vector<bool> desc;
    std::string method = "btree";
    bool unique = false;
    std::string where;  // a partial index's predicate (SQL), empty for a full index
    std::string name;
    std::string ddl;  // CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS ...;
    std::vector<IndexVariant> variants;
    // What the index is for, in a few words, for the report's index plan: "filter on (team_id)",
    // "foreign key orders_user_id_fkey: deletes of users, joins".
    std::string purpose;

    // True when this index serves every scan `other` would: same table, method and uniqueness
    // (a unique index may also cover a plain one), and `other`'s keys are a prefix of this one's.
    bool covers(const IndexRecommendation& other) const;
};

struct Finding {
    std::string rule;
    Severity severity = Severity::P2;
    Location loc;
    std::string message;
    std::string fix;  // ready-to-apply SQL (or code) that resolves the finding; may be empty
    FixLanguage fix_language = FixLanguage::None;
    std::vector<std::string> tables;  // qualified names of the tables concerned
    std::vector<RelatedLocation> related;
    std::optional<IndexRecommendation> index;  // set when `fix` creates an index
    std::string sql;  // the statement a query finding is about (SQL, or lowered from TypeScript)
    // Stable identity for baselines and SARIF partialFingerprints: a hash of the rule and the
    // offending line's text (whitespace-insensitive) plus its occurrence number, so it survives
    // lines moving above it. Filled in by run_rules.
    std::string fingerprint;
};

// A small builder so a rule states a finding in one expression.
class FindingBuilder {
public:
    FindingBuilder(Severity severity, Location loc, std::string message) {
        f_.severity = severity;
        f_.loc = std::move(loc);
        f_.message = std::move(message);
    }
    FindingBuilder& tables(std::vector<std::string> t) { return f_.tables = std::move(t), *this; }
    FindingBuilder& table(std::string t) { return f_.tables.push_back(std::move(t)), *this; }
    FindingBuilder& fix(FixLanguage language, std::string text) {
        f_.fix_language = text.empty() ? FixLanguage::None : language;
        f_.fix = std::move(text);
        return *this;
    }
    FindingBuilder& related(Location loc, std::string message) {
        f_.related.push_back({std::move(loc), std::move(message)});
        return *this;
    }
    FindingBuilder& index(IndexRecommendation rec) { return f_.index = std::move(rec), *this; }
    FindingBuilder& sql(std::string text) { return f_.sql = std::move(text), *this; }
    // A builder is used once: converting hands its finding over.
    operator Finding() { return std::move(f_); }

private:
    Finding f_;
};
inline FindingBuilder finding(Severity severity, Location loc, std::string message) {
    return FindingBuilder(severity, std::move(loc), std::move(message));
}

// Sorts findings by file, line, column, rule, message (then the rest), removing exact duplicates.
void sort_findings(std::vector<Finding>& findings);

}  // namespace querylens
