#pragma once
// Helpers for the module resolver tests (test_module_resolver_*.cpp): in-memory trees and
// config problems.
#include <initializer_list>
#include <string>
#include <utility>

#include "frontends/typescript/module_resolver.h"

namespace qltest {

inline querylens::MemoryFileSystem tree(std::initializer_list<std::pair<const char*, const char*>> files,
                                        const char* base = "/") {
    querylens::MemoryFileSystem fs(base);
    for (const auto& [path, text] : files) fs.add_file(path, text);
    return fs;
}

inline bool has_problem(const querylens::ModuleResolver& r, const std::string& needle) {
    for (const auto& p : r.config_problems())
        if (p.find(needle) != std::string::npos) return true;
    return false;
}

inline std::string all_problems(const querylens::ModuleResolver& r) {
    std::string s;
    for (const auto& p : r.config_problems()) s += p + "\n";
    return s;
}

}  // namespace qltest
