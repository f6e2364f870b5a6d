#include "analysis/suppressions.h"

#include "core/sql_text.h"

#include <cctype>

namespace querylens {

namespace {

bool comment_or_blank(std::string_view line, std::string_view marker) {
    line = trim(line);
    return line.empty() || line.substr(0, marker.size()) == marker || line.substr(0, 2) == "/*" || line.substr(0, 1) == "*";
}

}  // namespace

std::vector<Suppression> find_suppressions(const SourceFile& file) {
    std::vector<Suppression> out;
    const std::string_view marker = file.language() == SourceLanguage::Sql ? "--" : "//";
    static constexpr std::string_view kNext = "querylens-ignore-next-line", kFile = "querylens-ignore-file";
    for (uint32_t line = 1; line <= file.line_count(); ++line) {
        const std::string_view text = file.line_text(line);
        for (size_t at = text.find(marker); at != std::string_view::npos; at = text.find(marker, at + 1)) {
            std::string_view rest = trim(text.substr(at + marker.size()));
            Suppression s;
            if (rest.substr(0, kNext.size()) == kNext) rest.remove_prefix(kNext.size());
            else if (rest.substr(0, kFile.size()) == kFile) rest.remove_prefix(kFile.size()), s.whole_file = true;
            else continue;
            if (!rest.empty() && !std::isspace(static_cast<unsigned char>(rest.front())) && rest.front() != ':') continue;
            const size_t colon = rest.find(':');  // ": reason"
            std::string ids(rest.substr(0, colon));
            std::string cur;
            for (char c : ids + ",") {
                if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
                    if (!cur.empty()) s.rules.push_back(cur);
                    cur.clear();
                } else {
                    cur += c;
                }
            }
            s.loc = file.at(static_cast<uint32_t>(text.data() - file.text().data() + at));
            if (!s.whole_file) {
                uint32_t target = line + 1;
                while (target <= file.line_count() && comment_or_blank(file.line_text(target), marker)) ++target;
                s.target_line = target;
            }
            out.push_back(std::move(s));
            break;
        }
    }
    return out;
}

}  // namespace querylens
