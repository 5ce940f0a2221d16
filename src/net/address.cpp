#include "net/address.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <string>

namespace provcheck {

std::string_view to_string(AddressKind k) noexcept {
    switch (k) {
        case AddressKind::global:
            return "global";
        case AddressKind::loopback:
            return "loopback";
        case AddressKind::private_network:
            return "private";
        case AddressKind::shared_cgnat:
            return "shared (CGNAT)";
        case AddressKind::unique_local:
            return "unique-local";
        case AddressKind::link_local:
            return "link-local";
        case AddressKind::multicast:
            return "multicast";
        case AddressKind::unspecified:
            return "unspecified";
        case AddressKind::reserved:
            return "reserved";
    }
    return "unknown";
}

AddressKind classify_ipv4(const std::array<std::uint8_t, 4>& a) noexcept {
    const auto b0 = a[0];
    const auto b1 = a[1];
    const auto b2 = a[2];
    if (b0 == 0) return AddressKind::unspecified;
    if (b0 == 127) return AddressKind::loopback;
    if (b0 == 10 || (b0 == 172 && (b1 & 0xF0) == 16) || (b0 == 192 && b1 == 168)) {
        return AddressKind::private_network;
    }
    if (b0 == 100 && (b1 & 0xC0) == 64) return AddressKind::shared_cgnat;
    if (b0 == 169 && b1 == 254) return AddressKind::link_local;
    if ((b0 & 0xF0) == 224) return AddressKind::multicast;
    if ((b0 & 0xF0) == 240) return AddressKind::reserved;  // includes 255.255.255.255
    if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) return AddressKind::reserved;
    if ((b0 == 198 && b1 == 51 && b2 == 100) || (b0 == 203 && b1 == 0 && b2 == 113)) return AddressKind::reserved;
    if (b0 == 198 && (b1 & 0xFE) == 18) return AddressKind::reserved;
    return AddressKind::global;
}

AddressKind classify_ipv6(const std::array<std::uint8_t, 16>& a) noexcept {
    auto zero_until = [&](std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            if (a[i] != 0) return false;
        }
        return true;
    };
    auto tail_v4 = [&] { return std::array<std::uint8_t, 4>{a[12], a[13], a[14], a[15]}; };
    if (zero_until(16)) return AddressKind::unspecified;
    if (zero_until(15) && a[15] == 1) return AddressKind::loopback;
    if (zero_until(10) && a[10] == 0xFF && a[11] == 0xFF) return classify_ipv4(tail_v4());
    // NAT64 well-known prefix 64:ff9b::/96 reaches the embedded IPv4 address.
    if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B) {
        bool middle_zero = true;
        for (std::size_t i = 4; i < 12; ++i)
            middle_zero = middle_zero && a[i] == 0;
        if (middle_zero) return classify_ipv4(tail_v4());
    }
    if (zero_until(12)) return AddressKind::reserved;  // deprecated IPv4-compatible form
    if (a[0] == 0xFF) return AddressKind::multicast;
    if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80) return AddressKind::link_local;
    if ((a[0] & 0xFE) == 0xFC) return AddressKind::unique_local;
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8) return AddressKind::reserved;
    return AddressKind::global;
}

std::optional<AddressKind> classify_address(std::string_view ip) {
    if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    // A zone index ("fe80::1%eth0") is not part of the address.
    if (auto pct = ip.find('%'); pct != std::string_view::npos) ip = ip.substr(0, pct);
    std::string text(ip);
    std::array<std::uint8_t, 4> v4{};
    if (inet_pton(AF_INET, text.c_str(), v4.data()) == 1) return classify_ipv4(v4);
    std::array<std::uint8_t, 16> v6{};
    if (inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) return classify_ipv6(v6);
    return std::nullopt;
}

bool address_allowed(AddressKind k, bool allow_private) noexcept {
    switch (k) {
        case AddressKind::global:
            return true;
        case AddressKind::loopback:
        case AddressKind::private_network:
        case AddressKind::shared_cgnat:
        case AddressKind::unique_local:
            return allow_private;
        case AddressKind::link_local:
        case AddressKind::multicast:
        case AddressKind::unspecified:
        case AddressKind::reserved:
            return false;
    }
    return false;
}

}  // namespace provcheck
