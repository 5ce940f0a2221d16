#include "store/zip.hpp"

#include <zlib.h>

#include <fmt/format.h>

#include <limits>

#include "core/fs.hpp"

namespace provcheck {

namespace {

constexpr std::uint32_t local_sig = 0x04034b50;
constexpr std::uint32_t central_sig = 0x02014b50;
constexpr std::uint32_t end_sig = 0x06054b50;
constexpr std::uint16_t utf8_names = 0x0800;
constexpr std::uint64_t limit = std::numeric_limits<std::uint32_t>::max();
// 1980-01-01 00:00, the earliest DOS date: bundles are byte-for-byte reproducible from the same workspace.
constexpr std::uint16_t dos_time = 0;
constexpr std::uint16_t dos_date = (0 << 9) | (1 << 5) | 1;

void put16(std::string& s, std::uint16_t v) {
    s.push_back(static_cast<char>(v & 0xff));
    s.push_back(static_cast<char>(v >> 8));
}
void put32(std::string& s, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint16_t get16(std::string_view s, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) | (static_cast<unsigned char>(s[at + 1]) << 8));
}
std::uint32_t get32(std::string_view s, std::size_t at) {
    return static_cast<std::uint32_t>(get16(s, at)) | (static_cast<std::uint32_t>(get16(s, at + 2)) << 16);
}

std::uint32_t crc_of(std::string_view data) {
    uLong crc = crc32(0L, Z_NULL, 0);
    std::size_t done = 0;
    while (done < data.size()) {
        auto n = static_cast<uInt>(std::min<std::size_t>(data.size() - done, 1U << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + done), n);
        done += n;
    }
    return static_cast<std::uint32_t>(crc);
}

Result<std::string> inflate_raw(std::string_view in, std::size_t expected) {
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return fail(ErrorCode::parse, "zip: cannot start inflate");
    std::string out(expected, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&zs, Z_FINISH);
    std::size_t produced = out.size() - zs.avail_out;
    inflateEnd(&zs);
    if (rc != Z_STREAM_END || produced != expected) return fail(ErrorCode::parse, "zip: a deflated entry is damaged");
    return out;
}

bool safe_name(std::string_view name) {
    if (name.empty() || name.front() == '/' || name.find('\\') != std::string_view::npos) return false;
    std::size_t start = 0;
    while (start <= name.size()) {
        auto end = name.find('/', start);
        auto part = name.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (part == "..") return false;
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return true;
}

}  // namespace

Result<ZipWriter> ZipWriter::create(const std::filesystem::path& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return fail(ErrorCode::io, fmt::format("{}: cannot create", path.string()));
    return ZipWriter(path, std::move(out));
}

Result<void> ZipWriter::add(std::string_view name, std::string_view data) {
    if (data.size() >= limit || written_ + data.size() + 512 >= limit) {
        return fail(ErrorCode::io, fmt::format("{}: a bundle of 4 GiB or more is not supported", path_.string()));
    }
    Entry e{std::string(name), crc_of(data), static_cast<std::uint32_t>(data.size()),
            static_cast<std::uint32_t>(written_)};
    std::string head;
    put32(head, local_sig);
    put16(head, 20);  // version needed: 2.0
    put16(head, utf8_names);
    put16(head, 0);  // stored
    put16(head, dos_time);
    put16(head, dos_date);
    put32(head, e.crc);
    put32(head, e.size);
    put32(head, e.size);
    put16(head, static_cast<std::uint16_t>(e.name.size()));
    put16(head, 0);
    head += e.name;
    out_.write(head.data(), static_cast<std::streamsize>(head.size()));
    out_.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out_) return fail(ErrorCode::io, fmt::format("{}: write failed", path_.string()));
    written_ += head.size() + data.size();
    entries_.push_back(std::move(e));
    return {};
}

Result<void> ZipWriter::finish() {
    std::string dir;
    for (const auto& e : entries_) {
        put32(dir, central_sig);
        put16(dir, (3 << 8) | 20);  // made by: Unix, 2.0
        put16(dir, 20);
        put16(dir, utf8_names);
        put16(dir, 0);
        put16(dir, dos_time);
        put16(dir, dos_date);
        put32(dir, e.crc);
        put32(dir, e.size);
        put32(dir, e.size);
        put16(dir, static_cast<std::uint16_t>(e.name.size()));
        put16(dir, 0);  // extra
        put16(dir, 0);  // comment
        put16(dir, 0);  // disk
        put16(dir, 0);  // internal attributes
        put32(dir, 0100644U << 16);
        put32(dir, e.offset);
        dir += e.name;
    }
    if (entries_.size() >= 0xffff) return fail(ErrorCode::io, "a bundle of 65,535 files or more is not supported");
    std::string end;
    put32(end, end_sig);
    put16(end, 0);
    put16(end, 0);
    put16(end, static_cast<std::uint16_t>(entries_.size()));
    put16(end, static_cast<std::uint16_t>(entries_.size()));
    put32(end, static_cast<std::uint32_t>(dir.size()));
    put32(end, static_cast<std::uint32_t>(written_));
    put16(end, 0);
    out_.write(dir.data(), static_cast<std::streamsize>(dir.size()));
    out_.write(end.data(), static_cast<std::streamsize>(end.size()));
    out_.flush();
    out_.close();
    if (!out_) return fail(ErrorCode::io, fmt::format("{}: write failed", path_.string()));
    return {};
}

Result<std::vector<ZipEntry>> read_zip(const std::filesystem::path& path) {
    auto bytes = read_file(path);
    if (!bytes) return std::unexpected(bytes.error());
    std::string_view z = *bytes;
    auto bad = [&](std::string_view why) {
        return fail(ErrorCode::parse, fmt::format("{}: not a readable bundle: {}", path.string(), why));
    };
    if (z.size() < 22) return bad("too short for a ZIP archive");
    std::size_t eocd = std::string_view::npos;
    std::size_t lowest = z.size() > 22 + 0xffff ? z.size() - 22 - 0xffff : 0;
    for (std::size_t i = z.size() - 22 + 1; i-- > lowest;) {
        if (get32(z, i) == end_sig) {
            eocd = i;
            break;
        }
    }
    if (eocd == std::string_view::npos) return bad("no end of central directory");
    std::size_t count = get16(z, eocd + 10);
    std::size_t dir_size = get32(z, eocd + 12);
    std::size_t dir_offset = get32(z, eocd + 16);
    if (dir_offset + dir_size > eocd) return bad("central directory out of bounds");
    std::vector<ZipEntry> out;
    std::size_t at = dir_offset;
    for (std::size_t n = 0; n < count; ++n) {
        if (at + 46 > eocd || get32(z, at) != central_sig) return bad("damaged central directory");
        std::uint16_t method = get16(z, at + 10);
        std::uint32_t crc = get32(z, at + 16);
        std::size_t csize = get32(z, at + 20);
        std::size_t usize = get32(z, at + 24);
        std::size_t name_len = get16(z, at + 28);
        std::size_t extra_len = get16(z, at + 30);
        std::size_t comment_len = get16(z, at + 32);
        std::size_t local = get32(z, at + 42);
        if (at + 46 + name_len > eocd) return bad("damaged central directory");
        std::string name(z.substr(at + 46, name_len));
        at += 46 + name_len + extra_len + comment_len;
        if (!safe_name(name)) return bad(fmt::format("unsafe entry name '{}'", name));
        if (local + 30 > z.size() || get32(z, local) != local_sig) return bad(fmt::format("{}: damaged entry", name));
        std::size_t data_at = local + 30 + get16(z, local + 26) + get16(z, local + 28);
        if (data_at + csize > z.size()) return bad(fmt::format("{}: entry out of bounds", name));
        std::string_view raw = z.substr(data_at, csize);
        std::string data;
        if (method == 0) {
            if (csize != usize) return bad(fmt::format("{}: sizes disagree", name));
            data.assign(raw);
        } else if (method == 8) {
            auto inflated = inflate_raw(raw, usize);
            if (!inflated) return bad(fmt::format("{}: {}", name, inflated.error().message));
            data = std::move(*inflated);
        } else {
            return bad(fmt::format("{}: compression method {} is not supported", name, method));
        }
        if (crc_of(data) != crc) return bad(fmt::format("{}: CRC mismatch: the entry was changed", name));
        if (!name.ends_with('/')) out.push_back({std::move(name), std::move(data)});
    }
    return out;
}

}  // namespace provcheck
