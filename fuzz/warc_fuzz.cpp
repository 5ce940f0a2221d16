// fuzz-modules: core warc
// fuzz-libs: zlib libcurl
// fuzz-seeds: fixtures/**/*.warc fixtures/**/*.warc.gz
// fuzz-options: -max_len=131072
//
// libFuzzer target for the WARC reader that --replay uses: any bytes, as a .warc or .warc.gz file (gzip or not
// is told by the magic bytes, as the reader tells it), are indexed by WarcArchive::load and every URL found is
// replayed, under the default --max-filesize or (odd-sized inputs) a small cap the inputs reach easily; an
// input that starts like a WARC record is also read gzip'd whole. Whatever the bytes, the reader answers (a
// record, nothing, or an Error) and never keeps more body than the cap, however far a body inflates.
#include <unistd.h>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

#include "warc/warc_archive.hpp"
#include "warc/warc_reader.hpp"

namespace {

void require(bool ok) {
    if (!ok) __builtin_trap();
}

// The default --max-filesize, and a small cap that the inputs reach easily.
constexpr std::uint64_t caps[] = {32ULL << 20, 1000};

std::string gzip(std::string_view data) {
    z_stream zs{};
    require(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    require(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

const std::filesystem::path& work_file() {
    static const std::filesystem::path p =
        std::filesystem::temp_directory_path() / ("warc_fuzz-" + std::to_string(::getpid()) + ".warc");
    return p;
}

}  // namespace

namespace {

void read_back(const std::string& file, std::uint64_t cap) {
    {
        std::FILE* f = std::fopen(work_file().c_str(), "wb");
        require(f != nullptr);
        require(std::fwrite(file.data(), 1, file.size(), f) == file.size());
        std::fclose(f);
    }
    auto archive = provcheck::WarcArchive::load({work_file()}, provcheck::OnDamage::keep_readable);
    if (!archive) return;
    std::set<std::string> asked;
    for (const auto& e : archive->entries()) {
        if (!asked.insert(e.target_uri).second) continue;
        auto found = archive->find(e.target_uri, cap);
        if (found && *found) {
            const provcheck::Exchange& ex = **found;
            require(ex.body.size() <= cap);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    const std::uint64_t cap = caps[size % 2];
    read_back(bytes, cap);
    if (bytes.starts_with("WARC/")) read_back(gzip(bytes), cap);
    return 0;
}
