#pragma once
// SQL text written from TypeScript, mapped back to it: a SqlWriter whose origins are syntax
// nodes, and the text of template literals with `${}` as parameters unless the ORM frontend in
// charge knows what they stand for (a table, a column, a nested SQL fragment).
#include <map>
#include <string>

#include "frontends/typescript/program.h"
#include "sql/sql_writer.h"

namespace querylens {

class TsSqlWriter : public SqlWriter {
public:
    TsSqlWriter(const TsProgram& program, int file) : program_(program), file_(file), src_(program.src(file)) {}
    virtual ~TsSqlWriter() = default;

    using SqlWriter::emit;
    using SqlWriter::param;
    // `text` stands for `origin` (the default origin when null).
    void emit(const std::string& text, TSNode origin) {
        SqlWriter::emit(text, ts_node_is_null(origin) ? default_origin_ : ts_node_start_byte(origin));
    }
    void param(TSNode origin) { SqlWriter::param(ts_node_is_null(origin) ? default_origin_ : ts_node_start_byte(origin)); }
    void set_default_origin(TSNode n) { default_origin_ = ts_node_start_byte(n); }

    std::string text(TSNode n) const { return std::string(node_text(n, src_)); }
    // A JavaScript number literal as SQL: `1_000` -> `1000`, `10n` (BigInt) -> `10`.
    std::string number_text(TSNode n) const {
        std::string out;
        for (char c : node_text(n, src_))
            if (c != '_') out += c;
        if (!out.empty() && out.back() == 'n') out.pop_back();
        return out;
    }
    const std::string& src() const { return src_; }
    int file() const { return file_; }
    const TsProgram& program() const { return program_; }

    // SQL names -> the TypeScript expressions they came from: "public.orders" -> "ordersTable",
    // "public.orders.user_id" -> "orders.userId" (filled by ORM frontends).
    std::map<std::string, std::string> code_names;

    // The text of a template literal; each `${}` is interpolate()d or becomes a parameter.
    // `untagged`: no tag receives it, so a `${}` is string concatenation and a constant's text
    // (`FROM ${TABLE}`) is spliced in.
    void template_text(TSNode tpl, int depth = 0, bool untagged = false);
    // The text a `${}` holds when it names a constant (TsFile::constants), through imports.
    bool constant_text(TSNode v, std::string& out) const;
    void emit_cooked(uint32_t pos, uint32_t end);
    bool whole_statement(uint32_t after, uint32_t end) const;
    // Source offsets of substitutions that stand for whole statements built at run time.
    const std::vector<uint32_t>& runtime_statements() const { return runtime_statements_; }
    // Whether the SQL is the code's own text: no `${}` was substituted (a parse error in it is the
    // code's; otherwise it may be querylens's lowering).
    bool verbatim() const { return substitutions_ == 0; }

    // The template literal of an SQL fragment expression the ORM knows (Drizzle's sql`...`), or null.
    virtual TSNode sql_fragment(TSNode) const { return TSNode{}; }

protected:
    // Writes SQL for a `${value}` and returns true, or returns false to make it a parameter.
    virtual bool interpolate(TSNode, int) { return false; }

private:
    const TsProgram& program_;
    int file_;
    const std::string& src_;
    uint32_t default_origin_ = 0;
    int substitutions_ = 0;
    std::vector<uint32_t> runtime_statements_;
};

}  // namespace querylens
