// unique_ptr for OpenSSL objects: OsslPtr<TS_REQ, TS_REQ_free> frees with the function OpenSSL names for it.
#pragma once

#include <memory>

namespace provcheck::detail {

template <auto Free>
struct OsslFree {
    template <class T>
    void operator()(T* p) const noexcept {
        Free(p);
    }
};

template <class T, auto Free>
using OsslPtr = std::unique_ptr<T, OsslFree<Free>>;

}  // namespace provcheck::detail
