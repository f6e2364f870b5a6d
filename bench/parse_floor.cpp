// The parse-only floor of a project (bench/run.sh): read every file querylens would read, parse it
// (tree-sitter for TypeScript, libpg_query for SQL) and free the tree, on one thread. Nothing else:
// `check -j1` divided by this says what the analysis costs beyond parsing everything.
// Usage: querylens_parse_floor DIR
#include <cstdio>
#include <fstream>
#include <sstream>

#include "analysis/project.h"
#include "frontends/typescript/parser.h"
#include "sql/parser.h"

int main(int argc, char** argv) {
    using namespace querylens;
    if (argc != 2) {
        std::fprintf(stderr, "usage: querylens_parse_floor DIR\n");
        return 2;
    }
    std::vector<Diagnostic> diags;
    const auto files = discover_files({argv[1]}, diags);
    size_t bytes = 0, nodes = 0;
    for (const auto& path : files) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream buf;
        buf << in.rdbuf();
        const std::string text = buf.str();
        bytes += text.size();
        const bool tsx = path.size() > 4 && path.compare(path.size() - 4, 4, ".tsx") == 0;
        const bool sql = path.size() > 4 && path.compare(path.size() - 4, 4, ".sql") == 0;
        if (sql) {
            nodes += parse_sql(text).statements.size();
        } else {
            const TsTree tree = parse_typescript(text, tsx);
            if (tree.ok()) nodes += ts_node_child_count(tree.root());
        }
    }
    std::printf("%zu files, %zu bytes, %zu top-level nodes\n", files.size(), bytes, nodes);
    return 0;
}
