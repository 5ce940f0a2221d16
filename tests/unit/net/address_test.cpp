#include <catch2/catch.hpp>

#include "net/address.hpp"

namespace provcheck {

TEST_CASE("IPv4 addresses are classified by range", "[unit]") {
    struct Row {
        const char* ip;
        AddressKind kind;
    };
    const Row rows[] = {
        {"8.8.8.8", AddressKind::global},
        {"151.101.1.164", AddressKind::global},
        {"127.0.0.1", AddressKind::loopback},
        {"127.255.255.254", AddressKind::loopback},
        {"10.0.0.1", AddressKind::private_network},
        {"172.16.0.1", AddressKind::private_network},
        {"172.31.255.255", AddressKind::private_network},
        {"172.32.0.1", AddressKind::global},
        {"172.15.255.255", AddressKind::global},
        {"192.168.1.1", AddressKind::private_network},
        {"100.64.0.1", AddressKind::shared_cgnat},
        {"100.127.255.255", AddressKind::shared_cgnat},
        {"100.128.0.1", AddressKind::global},
        {"169.254.169.254", AddressKind::link_local},
        {"224.0.0.1", AddressKind::multicast},
        {"239.255.255.250", AddressKind::multicast},
        {"0.0.0.0", AddressKind::unspecified},
        {"255.255.255.255", AddressKind::reserved},
        {"192.0.2.10", AddressKind::reserved},
        {"198.18.0.1", AddressKind::reserved},
    };
    for (const auto& row : rows) {
        INFO(row.ip);
        REQUIRE(classify_address(row.ip) == row.kind);
    }
}

TEST_CASE("IPv6 addresses are classified by range, mapped IPv4 by its IPv4 part", "[unit]") {
    struct Row {
        const char* ip;
        AddressKind kind;
    };
    const Row rows[] = {
        {"2606:4700::6810:85e5", AddressKind::global},
        {"::1", AddressKind::loopback},
        {"::", AddressKind::unspecified},
        {"fe80::1", AddressKind::link_local},
        {"febf::1", AddressKind::link_local},
        {"fec0::1", AddressKind::global},
        {"fc00::1", AddressKind::unique_local},
        {"fd12:3456::1", AddressKind::unique_local},
        {"ff02::1", AddressKind::multicast},
        {"::ffff:127.0.0.1", AddressKind::loopback},
        {"::ffff:169.254.169.254", AddressKind::link_local},
        {"::ffff:10.1.2.3", AddressKind::private_network},
        {"::ffff:8.8.8.8", AddressKind::global},
        {"64:ff9b::a9fe:a9fe", AddressKind::link_local},
        {"::127.0.0.1", AddressKind::reserved},
        {"2001:db8::1", AddressKind::reserved},
        {"[::1]", AddressKind::loopback},
        {"fe80::1%eth0", AddressKind::link_local},
    };
    for (const auto& row : rows) {
        INFO(row.ip);
        REQUIRE(classify_address(row.ip) == row.kind);
    }
}

TEST_CASE("Text that is not an address literal is not classified", "[unit]") {
    CHECK_FALSE(classify_address("example.org").has_value());
    CHECK_FALSE(classify_address("").has_value());
    CHECK_FALSE(classify_address("127.0.0.1.5").has_value());
    CHECK_FALSE(classify_address("::ffff:999.0.0.1").has_value());
}

TEST_CASE("Private ranges are allowed only on request; metadata and multicast never", "[unit]") {
    for (auto k :
         {AddressKind::loopback, AddressKind::private_network, AddressKind::shared_cgnat, AddressKind::unique_local}) {
        INFO(to_string(k));
        CHECK_FALSE(address_allowed(k, false));
        CHECK(address_allowed(k, true));
    }
    for (auto k : {AddressKind::link_local, AddressKind::multicast, AddressKind::unspecified, AddressKind::reserved}) {
        INFO(to_string(k));
        CHECK_FALSE(address_allowed(k, false));
        CHECK_FALSE(address_allowed(k, true));
    }
    CHECK(address_allowed(AddressKind::global, false));
}

}  // namespace provcheck
