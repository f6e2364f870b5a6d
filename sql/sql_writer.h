#pragma once
// Generated SQL text with a map back to the source it stands for. Every frontend that lowers code
// to SQL (Drizzle chains, raw SQL strings, schema declarations) writes through a SqlWriter, so the
// parsed statement's positions can be reported at the right line and column of the original file
// (see SourceFile's derived-text constructor).
#include <cstdint>
#include <string>
#include <vector>

#include "core/source.h"

namespace querylens {

class SqlWriter {
public:
    // `text` stands for the source at byte `origin` (all of it maps to that one position).
    void emit(const std::string& text, uint32_t origin) {
        segments_.push_back({static_cast<uint32_t>(sql_.size()), origin, 0});
        sql_ += text;
    }
    // `text` is a verbatim copy of the source starting at `origin`: positions inside it map one to one.
    void emit_linear(const std::string& text, uint32_t origin) {
        segments_.push_back({static_cast<uint32_t>(sql_.size()), origin, static_cast<uint32_t>(text.size())});
        sql_ += text;
    }
    // The next positional parameter: $1, $2, ...
    void param(uint32_t origin) {
        std::string p = std::to_string(++params_);
        p.insert(p.begin(), '$');  // (not "$" + ...: GCC 12 warns of a bogus overlap there)
        emit(p, origin);
    }

    const std::string& sql() const { return sql_; }
    size_t size() const { return sql_.size(); }
    bool empty() const { return sql_.empty(); }
    std::string take_sql() { return std::move(sql_); }
    std::vector<SourceSegment> take_segments() { return std::move(segments_); }

private:
    std::string sql_;
    std::vector<SourceSegment> segments_;
    int params_ = 0;
};

// "public.orders" -> "orders" (double-quoted); other schemas keep their prefix: "audit"."logs".
// Lowered SQL always quotes: names come from code, where any spelling is possible.
std::string quoted_table(const std::string& qualified);
std::string quoted_ident(const std::string& name);

}  // namespace querylens
