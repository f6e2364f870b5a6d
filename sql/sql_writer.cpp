#include "sql/sql_writer.h"

#include "core/schema.h"

namespace querylens {

std::string quoted_ident(const std::string& s) {
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string quoted_table(const std::string& qualified) {
    const std::string schema = schema_of(qualified);
    return (schema == "public" ? std::string() : quoted_ident(schema) + ".") + quoted_ident(unqualified(qualified));
}

}  // namespace querylens
