#include "store/zip.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/handles.hpp"

namespace provcheck {

namespace {

constexpr std::size_t piece = 64 * 1024;
// 1980-01-01 00:00 as an MS-DOS date and time, the earliest there is: bundles are reproducible byte for byte.
constexpr std::uint16_t dos_time = 0;
constexpr std::uint16_t dos_date = (0 << 9) | (1 << 5) | 1;
constexpr std::uint32_t regular_file_0644 = 0100644U << 16;

constexpr std::uint32_t end_sig = 0x06054b50;
constexpr std::uint32_t end64_locator_sig = 0x07064b50;
constexpr std::uint32_t end64_sig = 0x06064b50;
constexpr std::uint32_t central_sig = 0x02014b50;

std::uint16_t get16(const char* p) {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return static_cast<std::uint16_t>(u[0] | (u[1] << 8));
}
std::uint32_t get32(const char* p) {
    return static_cast<std::uint32_t>(get16(p)) | (static_cast<std::uint32_t>(get16(p + 2)) << 16);
}
std::uint64_t get64(const char* p) {
    return static_cast<std::uint64_t>(get32(p)) | (static_cast<std::uint64_t>(get32(p + 4)) << 32);
}

// A name as it may be printed: printable ASCII as it is, every other byte as \xNN.
std::string printable(std::string_view name) {
    std::string out;
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f) {
            out.push_back(c);
        } else {
            out += fmt::format("\\x{:02x}", u);
        }
    }
    return out;
}

// Why an entry name is refused, or nullopt. Names are compared byte for byte and never become paths, but a
// name any extracting tool could take outside its directory, or read differently from us, is refused all the
// same: a bundle that holds one was not written by provcheck.
std::optional<std::string> unsafe_name(std::string_view name, std::size_t max_bytes) {
    if (name.empty()) return "an empty name";
    if (name.size() > max_bytes) return fmt::format("a name longer than {} bytes", max_bytes);
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (u == 0) return "a NUL byte in its name";
        if (u < 0x20 || u == 0x7f) return "a control character in its name";
        if (c == '\\') return "a backslash in its name";
    }
    if (name.front() == '/') return "an absolute name";
    if (name.size() >= 2 && name[1] == ':' && std::isalpha(static_cast<unsigned char>(name[0])) != 0) {
        return "a drive letter in its name";
    }
    std::string_view rest = name;
    if (rest.ends_with('/')) rest.remove_suffix(1);  // a directory entry
    for (;;) {
        auto slash = rest.find('/');
        std::string_view part = rest.substr(0, slash);
        if (part.empty()) return "an empty segment in its name";
        if (part == "." || part == "..") return fmt::format("a \"{}\" segment in its name", part);
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    return std::nullopt;
}

bool pread_all(int fd, char* buf, std::size_t n, std::uint64_t offset) {
    while (n > 0) {
        ssize_t got = ::pread(fd, buf, n, static_cast<off_t>(offset));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        buf += got;
        n -= static_cast<std::size_t>(got);
        offset += static_cast<std::uint64_t>(got);
    }
    return true;
}

std::string libzip_message(int code) {
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    std::string message = zip_error_strerror(&e);
    zip_error_fini(&e);
    return message;
}

// The raw name of every central directory entry, read by this code rather than by libzip, before libzip reads
// the directory: libzip holds all of it in memory, so its size and entry count are checked first, and libzip
// reads a NUL in a name as a space, which only the raw bytes show. The end record taken is the last one whose
// comment runs exactly to the end of the file; open() then requires libzip to have read the same entries.
Result<std::vector<std::string>> raw_directory_names(int fd, std::uint64_t file_size, const ZipLimits& limits,
                                                     const std::function<std::unexpected<Error>(std::string)>& bad) {
    if (file_size < 22) return bad("too short for a ZIP archive");
    const std::uint64_t tail_size = std::min<std::uint64_t>(file_size, 22 + 0xffff);
    std::string tail(tail_size, '\0');
    if (!pread_all(fd, tail.data(), tail.size(), file_size - tail_size)) return bad("cannot read its end");
    std::optional<std::size_t> end;
    for (std::size_t i = tail.size() - 22 + 1; i-- > 0;) {
        if (get32(tail.data() + i) == end_sig && i + 22 + get16(tail.data() + i + 20) == tail.size()) {
            end = i;
            break;
        }
    }
    if (!end) return bad("not a ZIP archive (no end of central directory record)");
    const char* e = tail.data() + *end;
    if (get16(e + 4) != 0 || get16(e + 6) != 0) return bad("a ZIP archive split over several disks");
    std::uint64_t count = get16(e + 10);
    std::uint64_t dir_size = get32(e + 12);
    std::uint64_t dir_offset = get32(e + 16);
    const std::uint64_t end_at = file_size - tail_size + *end;
    if (end_at >= 20) {
        char locator[20];
        if (!pread_all(fd, locator, sizeof locator, end_at - 20)) return bad("cannot read its end");
        if (get32(locator) == end64_locator_sig) {
            const std::uint64_t end64_at = get64(locator + 8);
            char end64[56];
            if (end64_at > end_at - 20 || end_at - 20 - end64_at < sizeof end64 ||
                !pread_all(fd, end64, sizeof end64, end64_at) || get32(end64) != end64_sig) {
                return bad("a damaged ZIP64 end of central directory record");
            }
            count = get64(end64 + 32);
            dir_size = get64(end64 + 40);
            dir_offset = get64(end64 + 48);
        }
    }
    if (count > limits.max_entries) {
        return bad(fmt::format("{} entries, more than the {} a bundle may hold", count, limits.max_entries));
    }
    if (dir_size > limits.max_directory_bytes) {
        return bad(fmt::format("a central directory of {} bytes, more than the {} a bundle may have", dir_size,
                               limits.max_directory_bytes));
    }
    if (dir_offset > end_at || dir_size > end_at - dir_offset) return bad("a central directory out of bounds");
    std::string dir(dir_size, '\0');
    if (!pread_all(fd, dir.data(), dir.size(), dir_offset)) return bad("cannot read its central directory");
    std::vector<std::string> names;
    names.reserve(count);
    std::unordered_set<std::string_view> seen;
    std::size_t at = 0;
    for (std::uint64_t n = 0; n < count; ++n) {
        if (dir.size() - at < 46 || get32(dir.data() + at) != central_sig) return bad("a damaged central directory");
        const std::size_t name_len = get16(dir.data() + at + 28);
        const std::size_t rest = name_len + get16(dir.data() + at + 30) + get16(dir.data() + at + 32);
        if (dir.size() - at - 46 < rest) return bad("a damaged central directory");
        std::string_view name(dir.data() + at + 46, name_len);
        if (auto why = unsafe_name(name, limits.max_name_bytes)) {
            return bad(fmt::format("entry '{}': {}", printable(name), *why));
        }
        // Two entries of one name: which one a reader takes is up to the reader (libzip refuses them too).
        if (!seen.insert(name).second) return bad(fmt::format("two entries are named '{}'", printable(name)));
        names.emplace_back(name);
        at += 46 + rest;
    }
    return names;
}

}  // namespace

// One entry read in order, held to its declared size; libzip checks the CRC when the end is reached. Named
// (not in the anonymous namespace) because ZipReader::Stream holds one.
namespace zip_detail {

class EntryFile {
public:
    static Result<EntryFile> open(zip_t* za, const std::filesystem::path& archive, const ZipEntryInfo& entry) {
        zip_file_t* f = zip_fopen_index(za, entry.index, 0);
        if (f == nullptr) {
            return fail(ErrorCode::parse, fmt::format("{}: {}: cannot be read: {}", archive.string(),
                                                      printable(entry.name), zip_error_strerror(zip_get_error(za))));
        }
        return EntryFile(f, archive, entry);
    }
    EntryFile(EntryFile&& o) noexcept
        : f_(std::exchange(o.f_, nullptr)), archive_(o.archive_), entry_(o.entry_), done_(o.done_), ended_(o.ended_) {}
    EntryFile& operator=(EntryFile&&) = delete;
    EntryFile(const EntryFile&) = delete;
    EntryFile& operator=(const EntryFile&) = delete;
    ~EntryFile() {
        if (f_ != nullptr) zip_fclose(f_);
    }

    // Up to `n` bytes into `buf`; 0 once the whole entry was read and found sound.
    Result<std::size_t> next(char* buf, std::size_t n) {
        if (ended_) return std::size_t{0};
        zip_int64_t got = zip_fread(f_, buf, n);
        if (got < 0) {
            zip_error_t* e = zip_file_get_error(f_);
            if (zip_error_code_zip(e) == ZIP_ER_CRC) return damage("CRC mismatch: the entry was changed");
            return damage(fmt::format("damaged: {}", zip_error_strerror(e)));
        }
        if (got == 0) {
            if (done_ != entry_.size) {
                return damage(fmt::format("ends after {} of the {} bytes it declares", done_, entry_.size));
            }
            ended_ = true;
            return std::size_t{0};
        }
        if (static_cast<std::uint64_t>(got) > entry_.size - done_) {
            return damage(fmt::format("holds more than the {} bytes it declares", entry_.size));
        }
        done_ += static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
    }

private:
    EntryFile(zip_file_t* f, const std::filesystem::path& archive, const ZipEntryInfo& entry)
        : f_(f), archive_(archive), entry_(entry) {}
    std::unexpected<Error> damage(std::string_view what) const {
        return fail(ErrorCode::parse, fmt::format("{}: {}: {}", archive_.string(), printable(entry_.name), what));
    }
    zip_file_t* f_;
    const std::filesystem::path& archive_;  // ZipReader::Impl's, which outlives every read
    ZipEntryInfo entry_;
    std::uint64_t done_ = 0;
    bool ended_ = false;
};

}  // namespace zip_detail

using zip_detail::EntryFile;

// ---------------------------------------------------------------------------------------------
// Writing

struct ZipWriter::Impl {
    zip_t* za = nullptr;
    std::filesystem::path path;
    std::deque<std::string> buffers;  // the data of add(), which libzip reads only in finish()
    ~Impl() {
        if (za != nullptr) zip_discard(za);
    }
    std::unexpected<Error> failed(std::string_view what) const {
        return fail(ErrorCode::io,
                    fmt::format("{}: {}: {}", path.string(), what, zip_error_strerror(zip_get_error(za))));
    }
    Result<void> add_source(std::string_view name, zip_source_t* src) {
        if (src == nullptr) return failed(fmt::format("cannot add {}", name));
        std::string n(name);
        zip_int64_t index = zip_file_add(za, n.c_str(), src, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(src);
            return failed(fmt::format("cannot add {}", name));
        }
        auto i = static_cast<zip_uint64_t>(index);
        if (zip_set_file_compression(za, i, ZIP_CM_STORE, 0) != 0 ||
            zip_file_set_dostime(za, i, dos_time, dos_date, 0) != 0 ||
            zip_file_set_external_attributes(za, i, 0, ZIP_OPSYS_UNIX, regular_file_0644) != 0) {
            return failed(fmt::format("cannot set up {}", name));
        }
        return {};
    }
};

ZipWriter::ZipWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ZipWriter::ZipWriter(ZipWriter&&) noexcept = default;
ZipWriter& ZipWriter::operator=(ZipWriter&&) noexcept = default;
ZipWriter::~ZipWriter() = default;

Result<ZipWriter> ZipWriter::create(const std::filesystem::path& path) {
    int err = 0;
    zip_t* za = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (za == nullptr)
        return fail(ErrorCode::io, fmt::format("{}: cannot create: {}", path.string(), libzip_message(err)));
    auto impl = std::make_unique<Impl>();
    impl->za = za;
    impl->path = path;
    return ZipWriter(std::move(impl));
}

Result<void> ZipWriter::add(std::string_view name, std::string data) {
    auto& buf = impl_->buffers.emplace_back(std::move(data));
    return impl_->add_source(name, zip_source_buffer(impl_->za, buf.data(), buf.size(), 0));
}

Result<void> ZipWriter::add_file(std::string_view name, int fd, std::uint64_t size) {
    std::FILE* f = fd >= 0 ? ::fdopen(fd, "rb") : nullptr;
    if (f == nullptr) {
        if (fd >= 0) ::close(fd);
        return fail(ErrorCode::io, fmt::format("{}: cannot read the file to add", name));
    }
    // libzip takes a length of 0 to mean "to the end of the file".
    if (size == 0) {
        std::fclose(f);
        return add(name, {});
    }
    // The source owns the FILE from here on, and libzip closes it when the source is freed.
    zip_source_t* source = zip_source_filep(impl_->za, f, 0, static_cast<zip_int64_t>(size));
    if (source == nullptr) std::fclose(f);
    return impl_->add_source(name, source);
}

Result<void> ZipWriter::finish() {
    if (zip_close(impl_->za) != 0) {
        auto e = impl_->failed("cannot write the archive");
        return e;  // ~Impl discards what was not written
    }
    impl_->za = nullptr;
    impl_->buffers.clear();
    return {};
}

// ---------------------------------------------------------------------------------------------
// Reading

struct ZipReader::Impl {
    zip_t* za = nullptr;
    std::filesystem::path path;
    std::vector<ZipEntryInfo> entries;
    std::unordered_map<std::string, std::size_t> by_name;
    ~Impl() {
        if (za != nullptr) zip_discard(za);
    }
};

ZipReader::ZipReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ZipReader::ZipReader(ZipReader&&) noexcept = default;
ZipReader& ZipReader::operator=(ZipReader&&) noexcept = default;
ZipReader::~ZipReader() = default;

Result<ZipReader> ZipReader::open(const std::filesystem::path& path, const ZipLimits& limits) {
    auto bad = [&](std::string why) { return fail(ErrorCode::parse, fmt::format("{}: {}", path.string(), why)); };
    // O_NONBLOCK: opening a named pipe must not wait for a writer; it is refused as not a regular file.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.get() < 0)
        return fail(ErrorCode::io, fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return fail(ErrorCode::io, fmt::format("{}: not a regular file", path.string()));
    }
    ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
    const auto file_size = static_cast<std::uint64_t>(st.st_size);
    auto names = raw_directory_names(fd.get(), file_size, limits, bad);
    if (!names) return std::unexpected(names.error());

    int err = 0;
    zip_t* za = zip_fdopen(fd.get(), ZIP_CHECKCONS, &err);
    if (za == nullptr) return bad(fmt::format("not a readable ZIP archive: {}", libzip_message(err)));
    fd.release();  // libzip owns it now
    auto impl = std::make_unique<Impl>();
    impl->za = za;
    impl->path = path;

    const zip_int64_t n = zip_get_num_entries(za, 0);
    if (n < 0 || static_cast<std::uint64_t>(n) != names->size()) {
        return bad("its central directory is read two ways (entry counts differ)");
    }
    std::uint64_t total = 0;
    std::uint64_t compressed_total = 0;
    for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(n); ++i) {
        const std::string& name = (*names)[i];
        auto refuse = [&](std::string_view why) { return bad(fmt::format("entry '{}': {}", printable(name), why)); };
        const char* read_name = zip_get_name(za, i, ZIP_FL_ENC_RAW);
        if (read_name == nullptr || name != read_name) return refuse("its name is read two ways");
        zip_stat_t zs;
        zip_stat_init(&zs);
        constexpr zip_uint64_t needed =
            ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD;
        if (zip_stat_index(za, i, ZIP_FL_ENC_RAW, &zs) != 0 || (zs.valid & needed) != needed) {
            return refuse("its directory entry cannot be read");
        }
        if (zs.encryption_method != ZIP_EM_NONE) return refuse("encrypted");
        const bool stored = zs.comp_method == ZIP_CM_STORE;
        if (!stored && zs.comp_method != ZIP_CM_DEFLATE) {
            return refuse(fmt::format("compression method {} (only stored and deflate are read)", zs.comp_method));
        }
        zip_uint8_t opsys = 0;
        zip_uint32_t attributes = 0;
        if (zip_file_get_external_attributes(za, i, 0, &opsys, &attributes) != 0) {
            return refuse("its attributes cannot be read");
        }
        // Unix file type bits, which most tools honour whoever wrote the entry: a symbolic link (0120000), a
        // device or a pipe is refused.
        const std::uint32_t type = (attributes >> 16) & 0170000U;
        const bool directory = name.ends_with('/');
        if (type != 0 && type != 0100000U && !(directory && type == 0040000U)) {
            return refuse(fmt::format("not a regular file (Unix mode {:o})", attributes >> 16));
        }
        compressed_total += zs.comp_size;
        if (compressed_total > file_size) return refuse("entries overlap (their compressed bytes exceed the file)");
        if (directory) {
            if (zs.size != 0) return refuse("a directory entry with data");
            continue;
        }
        if (zs.size > limits.max_entry_bytes) {
            return refuse(
                fmt::format("declares {} bytes, more than the {} an entry may hold", zs.size, limits.max_entry_bytes));
        }
        if (stored && zs.comp_size != zs.size) return refuse("stored, but its two sizes differ");
        const bool bomb = zs.comp_size <= std::numeric_limits<std::uint64_t>::max() / limits.max_ratio &&
                          zs.size > zs.comp_size * limits.max_ratio;
        if (!stored && bomb) {
            return refuse(fmt::format("{} bytes inflate to {}, more than {} times as many (a ZIP bomb)", zs.comp_size,
                                      zs.size, limits.max_ratio));
        }
        total += zs.size;
        if (total > limits.max_total_bytes) {
            return refuse(fmt::format("the entries declare more than {} bytes in all", limits.max_total_bytes));
        }
        impl->by_name.emplace(name, impl->entries.size());
        impl->entries.push_back({name, i, zs.size, zs.comp_size, stored});
    }
    return ZipReader(std::move(impl));
}

const std::vector<ZipEntryInfo>& ZipReader::entries() const noexcept {
    return impl_->entries;
}

const ZipEntryInfo* ZipReader::find(std::string_view name) const {
    auto it = impl_->by_name.find(std::string(name));
    return it == impl_->by_name.end() ? nullptr : &impl_->entries[it->second];
}

const std::filesystem::path& ZipReader::path() const noexcept {
    return impl_->path;
}

Result<void> ZipReader::read(const ZipEntryInfo& entry,
                             const std::function<Result<void>(std::string_view)>& take) const {
    auto f = EntryFile::open(impl_->za, impl_->path, entry);
    if (!f) return std::unexpected(f.error());
    std::string buf(piece, '\0');
    for (;;) {
        auto got = f->next(buf.data(), buf.size());
        if (!got) return std::unexpected(got.error());
        if (*got == 0) return {};
        if (auto r = take(std::string_view(buf.data(), *got)); !r) return r;
    }
}

Result<std::string> ZipReader::read_all(const ZipEntryInfo& entry, std::uint64_t max_bytes) const {
    if (entry.size > max_bytes) {
        return fail(ErrorCode::parse, fmt::format("{}: {}: {} bytes, more than the {} it may have",
                                                  impl_->path.string(), printable(entry.name), entry.size, max_bytes));
    }
    std::string out;
    out.reserve(entry.size);
    auto r = read(entry, [&](std::string_view bytes) -> Result<void> {
        out.append(bytes);
        return {};
    });
    if (!r) return std::unexpected(r.error());
    return out;
}

// ---------------------------------------------------------------------------------------------
// Stream

struct ZipReader::Stream::State {
    EntryFile file;
    std::function<void(std::string_view)> seen;
    std::string buf;
    std::optional<Error> error;
};

ZipReader::Stream::Stream(std::unique_ptr<State> state) : s_(std::move(state)) {}
ZipReader::Stream::~Stream() = default;

ZipReader::Stream::int_type ZipReader::Stream::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (s_->error) return traits_type::eof();
    auto got = s_->file.next(s_->buf.data(), s_->buf.size());
    if (!got) {
        s_->error = got.error();
        return traits_type::eof();
    }
    if (*got == 0) return traits_type::eof();
    if (s_->seen) s_->seen(std::string_view(s_->buf.data(), *got));
    setg(s_->buf.data(), s_->buf.data(), s_->buf.data() + *got);
    return traits_type::to_int_type(*gptr());
}

Result<void> ZipReader::Stream::finish() {
    while (!s_->error && underflow() != traits_type::eof())
        setg(eback(), egptr(), egptr());
    if (s_->error) return std::unexpected(*s_->error);
    return {};
}

const std::optional<Error>& ZipReader::Stream::error() const noexcept {
    return s_->error;
}

Result<std::unique_ptr<ZipReader::Stream>> ZipReader::stream(const ZipEntryInfo& entry,
                                                             std::function<void(std::string_view)> seen) const {
    auto f = EntryFile::open(impl_->za, impl_->path, entry);
    if (!f) return std::unexpected(f.error());
    auto state = std::unique_ptr<Stream::State>(
        new Stream::State{std::move(*f), std::move(seen), std::string(piece, '\0'), std::nullopt});
    return std::unique_ptr<Stream>(new Stream(std::move(state)));
}

// ---------------------------------------------------------------------------------------------
// Slice

namespace {

class StoredSlice final : public ZipReader::Slice {
public:
    StoredSlice(zip_file_t* f, const std::filesystem::path& archive, const ZipEntryInfo& entry)
        : f_(f), archive_(archive), entry_(entry) {}
    StoredSlice(const StoredSlice&) = delete;
    StoredSlice& operator=(const StoredSlice&) = delete;
    ~StoredSlice() override { zip_fclose(f_); }

    Result<std::size_t> read_at(std::uint64_t offset, char* buf, std::size_t n) override {
        if (offset >= entry_.size) return std::size_t{0};
        n = static_cast<std::size_t>(std::min<std::uint64_t>(n, entry_.size - offset));
        if (offset != pos_) {
            if (zip_fseek(f_, static_cast<zip_int64_t>(offset), SEEK_SET) != 0) return damage("cannot seek");
            pos_ = offset;
        }
        zip_int64_t got = zip_fread(f_, buf, n);
        if (got < 0) return damage(zip_file_strerror(f_));
        if (got == 0 && n > 0) return damage("ends before the bytes it declares");
        pos_ += static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
    }
    [[nodiscard]] std::uint64_t size() const noexcept override { return entry_.size; }

private:
    std::unexpected<Error> damage(std::string_view what) const {
        return fail(ErrorCode::parse, fmt::format("{}: {}: {}", archive_.string(), printable(entry_.name), what));
    }
    zip_file_t* f_;
    const std::filesystem::path& archive_;
    ZipEntryInfo entry_;
    std::uint64_t pos_ = 0;
};

}  // namespace

Result<std::unique_ptr<ZipReader::Slice>> ZipReader::slice(const ZipEntryInfo& entry) const {
    if (!entry.stored) {
        return fail(ErrorCode::internal, fmt::format("{}: {}: compressed, not readable in place", impl_->path.string(),
                                                     printable(entry.name)));
    }
    // The raw bytes: for a stored entry they are the data, and libzip can seek in them.
    zip_file_t* f = zip_fopen_index(impl_->za, entry.index, ZIP_FL_COMPRESSED);
    if (f == nullptr) {
        return fail(ErrorCode::parse, fmt::format("{}: {}: cannot be read: {}", impl_->path.string(),
                                                  printable(entry.name), zip_error_strerror(zip_get_error(impl_->za))));
    }
    return std::unique_ptr<Slice>(new StoredSlice(f, impl_->path, entry));
}

}  // namespace provcheck
