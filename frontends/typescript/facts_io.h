#pragma once
// Per-file facts as bytes, for the fact cache (analysis/fact_cache.h). Both are functions of one
// file's text (the import scan, prescan_typescript) or of its text, its language and whether its
// path is a migration's (the facts collect_typescript leaves when the file's tree is gone: a file
// parsed only for its calls and loops, with no values, no query sites, no clients;
// analysis/project.cpp); the cache keys them so.
#include <string>
#include <string_view>

#include "frontends/typescript/collect.h"
#include "frontends/typescript/prescan.h"

namespace querylens {

void write_prescan(const TsPrescan& scan, std::string& out);
bool read_prescan(std::string_view in, TsPrescan& scan);

// False (nothing written) when the file still has its tree, values or clients: only tree-free
// facts are plain data.
bool write_tree_free_facts(const TsFile& file, std::string& out);
// Fills everything but `file` (the caller's SourceFile); false on bytes that do not decode.
bool read_tree_free_facts(std::string_view in, TsFile& file);

}  // namespace querylens
