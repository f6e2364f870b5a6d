#include "frontends/typescript/sql_text.h"

namespace querylens {

void TsSqlWriter::template_text(TSNode tpl, int depth) {
    uint32_t pos = ts_node_start_byte(tpl) + 1;
    const uint32_t end = ts_node_end_byte(tpl) - 1;
    for (TSNode k : named_children(tpl)) {
        if (!is(k, "template_substitution")) continue;
        emit_linear(src_.substr(pos, ts_node_start_byte(k) - pos), pos);
        const auto inner = named_children(k);
        TSNode v = inner.empty() ? k : unwrap(inner[0]);
        ++substitutions_;
        if (!interpolate(v, depth)) param(v);
        pos = ts_node_end_byte(k);
    }
    if (end > pos) emit_linear(src_.substr(pos, end - pos), pos);
}

}  // namespace querylens
