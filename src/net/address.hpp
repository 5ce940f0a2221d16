// Classification of IP addresses for the connect-time safety check. Pure functions over address bytes
// or text: no sockets, no resolution.
//
// Why: every cited URL is attacker-chosen, so a link (or a redirect, or a DNS answer) must never make
// provcheck talk to the machine it runs on, the local network or a cloud metadata service.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace provcheck {

enum class AddressKind {
    global,           // ordinary public address
    loopback,         // 127/8, ::1
    private_network,  // RFC 1918: 10/8, 172.16/12, 192.168/16
    shared_cgnat,     // 100.64/10 (RFC 6598)
    unique_local,     // fc00::/7
    link_local,       // 169.254/16 (cloud metadata lives here), fe80::/10
    multicast,        // 224/4, ff00::/8
    unspecified,      // 0/8, ::
    reserved,         // documentation, benchmarking, 240/4, broadcast, deprecated IPv6 forms
};

[[nodiscard]] std::string_view to_string(AddressKind k) noexcept;

[[nodiscard]] AddressKind classify_ipv4(const std::array<std::uint8_t, 4>& a) noexcept;
// IPv4-mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96) addresses are classified by their IPv4 part.
[[nodiscard]] AddressKind classify_ipv6(const std::array<std::uint8_t, 16>& a) noexcept;
// Text form ("127.0.0.1", "::ffff:10.0.0.1", "[fe80::1]"); nullopt when `ip` is not an address literal.
[[nodiscard]] std::optional<AddressKind> classify_address(std::string_view ip);

// Whether a connection to an address of this kind may be made. `allow_private` (tests against a
// fixture server on loopback) admits loopback, RFC 1918, CGNAT and unique-local addresses; link-local,
// multicast, unspecified and reserved addresses are refused always, because nothing a source could
// legitimately serve lives there and 169.254.169.254 is the cloud metadata endpoint.
[[nodiscard]] bool address_allowed(AddressKind k, bool allow_private) noexcept;

}  // namespace provcheck
