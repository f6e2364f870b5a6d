#include "core/source.h"

#include <algorithm>

namespace querylens {

SourceFile::SourceFile(std::string path, std::string text, SourceLanguage lang)
    : path_(std::move(path)), text_(std::move(text)), lang_(lang) {
    line_starts_.push_back(0);
    for (uint32_t i = 0; i < text_.size(); ++i)
        if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

SourceFile::SourceFile(std::string text, const SourceFile& origin, std::vector<SourceSegment> segments)
    : SourceFile(origin.path(), std::move(text), SourceLanguage::Sql) {
    origin_ = &origin;
    segments_ = std::move(segments);
}

uint32_t SourceFile::to_origin(uint32_t offset) const {
    if (segments_.empty()) return 0;
    auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                               [](uint32_t off, const SourceSegment& s) { return off < s.begin; });
    if (it == segments_.begin()) return segments_.front().origin;
    --it;
    const uint32_t delta = offset - it->begin;
    return it->origin + (it->origin_len ? std::min(delta, it->origin_len - 1) : 0);
}

void SourceFile::position(uint32_t offset, uint32_t& line, uint32_t& column) const {
    offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line_index = static_cast<uint32_t>(it - line_starts_.begin()) - 1;
    line = line_index + 1;
    // UTF-16 code units: every UTF-8 lead byte is one unit, 4-byte sequences are two.
    uint32_t units = 0;
    for (uint32_t i = line_starts_[line_index]; i < offset; ++i) {
        const auto c = static_cast<unsigned char>(text_[i]);
        if ((c & 0xC0) == 0x80) continue;
        units += (c >= 0xF0) ? 2 : 1;
    }
    column = units + 1;
}

Location SourceFile::at(uint32_t byte_offset) const {
    if (origin_) return origin_->at(to_origin(byte_offset));
    Location loc;
    loc.file = path_;
    position(byte_offset, loc.line, loc.column);
    return loc;
}

Location SourceFile::span(uint32_t begin, uint32_t end) const {
    if (origin_) return origin_->span(to_origin(begin), to_origin(std::max(begin, end)));
    Location loc = at(begin);
    position(std::max(begin, end), loc.end_line, loc.end_column);
    return loc;
}

std::string_view SourceFile::line_text(uint32_t line) const {
    if (line == 0 || line > line_starts_.size()) return {};
    const uint32_t begin = line_starts_[line - 1];
    uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1 : static_cast<uint32_t>(text_.size());
    if (end > begin && text_[end - 1] == '\r') --end;
    return std::string_view(text_).substr(begin, end - begin);
}

}  // namespace querylens
