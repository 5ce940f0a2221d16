#include "warc/gzip_members.hpp"

#include <algorithm>
#include <future>
#include <utility>
#include <vector>

#include "core/text.hpp"

namespace provcheck::detail {

Result<void> GzipMembers::add(std::string_view data, bool last, const Emit& emit) {
    constexpr std::size_t max_in = 1 << 30;  // avail_in is 32 bits wide
    std::size_t pos = 0;
    for (;;) {
        const std::size_t take = std::min(max_in, data.size() - pos);
        z_.input(data.substr(pos, take));
        const bool final_piece = last && pos + take == data.size();
        bool ended;
        do {
            // Room for the whole compressed piece at once, usually; more rounds only for huge inputs.
            const std::size_t room =
                std::min<std::size_t>(std::max<std::size_t>(z_.bound(z_.input_left()), 4096), max_in);
            out_.resize(room);
            z_.output(out_.data(), room);
            auto rc = z_.deflate(final_piece ? DeflateStream::Flush::finish : DeflateStream::Flush::none);
            if (!rc) {
                z_.close();
                return std::unexpected(rc.error());
            }
            ended = *rc;
            const std::size_t made = room - z_.output_left();
            if (made > 0) {
                if (auto ok = emit(std::string_view(out_.data(), made)); !ok) return ok;
            }
        } while (z_.output_left() == 0 || (final_piece && !ended));
        pos += take;
        if (pos == data.size()) break;
    }
    // A large buffer is not kept past one record.
    if (out_.capacity() > (1U << 20)) free_string(out_);
    return {};
}

Result<std::string> GzipMembers::member(std::string_view data) {
    if (auto ok = begin(); !ok) return std::unexpected(ok.error());
    std::string out;
    auto ok = add(data, true, [&](std::string_view piece) -> Result<void> {
        out += piece;
        return {};
    });
    if (!ok) return std::unexpected(ok.error());
    return out;
}

Result<void> TwoWayGzip::member(std::string_view prefix, std::string_view body, std::string_view suffix, int level,
                                const GzipMembers::Emit& emit) {
    // gzip header: magic, deflate, no flags, no time, no extra flags, Unix (as zlib writes it).
    static constexpr unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    if (auto ok = emit(std::string_view(reinterpret_cast<const char*>(header), sizeof header)); !ok) return ok;
    std::vector<Piece> pieces;
    // The first piece carries the header bytes, the last the record's end, so every other piece's
    // dictionary lies in the payload.
    for (std::size_t at = 0; at < body.size(); at += piece_bytes) {
        Piece p;
        p.body = body.substr(at, piece_bytes);
        p.dictionary = at == 0 ? std::string_view{} : body.substr(at - std::min(at, window), std::min(at, window));
        pieces.push_back(p);
    }
    if (pieces.empty()) pieces.emplace_back();
    pieces.front().prefix = prefix;
    pieces.back().suffix = suffix;
    pieces.back().last = true;
    std::uint32_t crc = crc32_start();
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < pieces.size(); i += 2) {
        std::future<Result<void>> other;
        if (i + 1 < pieces.size()) {
            other = std::async(std::launch::async, [&, i] { return compress(pieces[i + 1], level, helper_); });
        }
        auto mine = compress(pieces[i], level, own_);
        auto theirs = other.valid() ? other.get() : Result<void>{};
        if (!mine) return mine;
        if (!theirs) return theirs;
        for (std::size_t k = i; k < std::min(i + 2, pieces.size()); ++k) {
            if (auto ok = emit(pieces[k].out); !ok) return ok;
            free_string(pieces[k].out);
            crc = crc32_join(crc, pieces[k].crc, pieces[k].size());
            total += pieces[k].size();
        }
    }
    unsigned char trailer[8];
    for (int b = 0; b < 4; ++b) {
        trailer[b] = static_cast<unsigned char>((crc >> (8 * b)) & 0xff);
        trailer[4 + b] = static_cast<unsigned char>((total >> (8 * b)) & 0xff);  // ISIZE: length mod 2^32
    }
    return emit(std::string_view(reinterpret_cast<const char*>(trailer), sizeof trailer));
}

Result<void> TwoWayGzip::compress(Piece& p, int level, DeflateStream& z) {
    if (auto ok = z.restart(-15, level); !ok) return ok;
    if (!p.dictionary.empty()) {
        if (auto ok = z.set_dictionary(p.dictionary); !ok) return ok;
    }
    p.crc = crc32_start();
    const std::string_view parts[3] = {p.prefix, p.body, p.suffix};
    p.out.resize(z.bound(p.size()) + 64);
    z.output(p.out.data(), p.out.size());
    for (int k = 0; k < 3; ++k) {
        const std::string_view part = parts[k];
        // (crc32_z of a null buffer answers the initial value, not the CRC so far: empty parts are skipped.)
        if (!part.empty()) p.crc = crc32_add(p.crc, part);
        z.input(part);
        using Flush = DeflateStream::Flush;
        const Flush flush = k < 2 ? Flush::none : (p.last ? Flush::finish : Flush::sync);
        const auto rc = z.deflate(flush);
        if (!rc || z.input_left() != 0 || (flush == Flush::finish && !*rc)) {
            return fail(ErrorCode::internal, "zlib: deflate failed");
        }
    }
    p.out.resize(p.out.size() - z.output_left());
    return {};
}

}  // namespace provcheck::detail
