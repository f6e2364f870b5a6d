// The TypeScript/TSX grammar (third_party/tree-sitter-typescript-ql) on modern syntax: every file in
// fixtures/frontends/ts-grammar/ (one construct per file) parses without ERROR/MISSING nodes, and its
// "// tree: S" / "// tree-not: S" lines pin fragments of the tree's S-expression, so a silent
// misreading (sql<T>`...` as two comparisons) fails too.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "frontends/typescript/parser.h"
#include "tests/helpers.h"

using namespace querylens;

namespace {

std::string sexp(TSNode n) {
    char* s = ts_node_string(n);
    std::string out = s;
    std::free(s);
    return out;
}

}  // namespace

TEST_CASE("ts grammar: modern TypeScript and TSX parse without syntax errors") {
    std::vector<std::filesystem::path> files;
    const auto dir = qltest::kSource / "fixtures" / "frontends" / "ts-grammar";
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        const auto ext = e.path().extension();
        if (ext == ".ts" || ext == ".tsx") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    CHECK(files.size() >= 40);
    for (const auto& path : files) {
        const std::string name = path.filename().string();
        CAPTURE(name);
        const std::string text = qltest::read(path);
        TsTree tree = parse_typescript(text, path.extension() == ".tsx");
        REQUIRE(tree.ok());
        for (const auto& err : syntax_errors(tree.root(), 3)) {
            const auto line = 1 + std::count(text.begin(), text.begin() + err.offset, '\n');
            FAIL_CHECK(name << ":" << line << ": " << err.message);
        }
        const std::string tree_text = sexp(tree.root());
        std::istringstream lines(text);
        for (std::string l; std::getline(lines, l);) {
            if (l.rfind("// tree: ", 0) == 0) {
                const std::string want = l.substr(9);
                CHECK_MESSAGE(tree_text.find(want) != std::string::npos, name << " lacks " << want);
            } else if (l.rfind("// tree-not: ", 0) == 0) {
                const std::string unwanted = l.substr(13);
                CHECK_MESSAGE(tree_text.find(unwanted) == std::string::npos, name << " has " << unwanted);
            }
        }
    }
}
