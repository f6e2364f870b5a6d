#include "core/paths.h"

#include <fnmatch.h>

#include <cctype>

namespace querylens {

bool natural_less(const std::string& a, const std::string& b) {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const bool da = std::isdigit(static_cast<unsigned char>(a[i])), db = std::isdigit(static_cast<unsigned char>(b[j]));
        if (da && db) {
            size_t ie = i, je = j;
            while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
            while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
            // Compare by value: strip leading zeros, then length, then digits.
            size_t is = i, js = j;
            while (is + 1 < ie && a[is] == '0') ++is;
            while (js + 1 < je && b[js] == '0') ++js;
            if (ie - is != je - js) return ie - is < je - js;
            const int c = a.compare(is, ie - is, b, js, je - js);
            if (c != 0) return c < 0;
            i = ie;
            j = je;
        } else {
            if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
            ++i;
            ++j;
        }
    }
    if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
    return a < b;  // total order for equal-by-value names ("01" vs "1")
}

bool glob_match(const std::string& pattern, const std::string& path) {
    // FNM_EXTMATCH (GNU): extglob patterns as drizzle.config files write them, `schema/!(*.test).ts`.
    return fnmatch(pattern.c_str(), path.c_str(), FNM_EXTMATCH) == 0;
}

bool migration_path(const std::string& path) {
    std::string lower;
    for (char c : "/" + path) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.find("migration") != std::string::npos || lower.find("/migrate/") != std::string::npos ||
           lower.find("/drizzle/") != std::string::npos;
}

}  // namespace querylens
