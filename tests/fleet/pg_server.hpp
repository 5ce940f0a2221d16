// A PostgreSQL server of the test's own (scripts/pg-server.sh): a fresh cluster in a temporary directory,
// listening on a Unix socket there only, stopped and removed when the object dies. Each fresh_database() is an
// empty database on it, so tests sharing one server never see each other's rows.
#pragma once

#include <libpq-fe.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace provcheck::test {

class PgServer {
public:
    PgServer() {
        // PostgreSQL runs as the postgres user when the tests run as root: it must reach the directory.
        ::chmod(dir_.path().c_str(), 0711);
        auto r = run({"/bin/bash", source_path("scripts/pg-server.sh").string(), "start", (dir_ / "pg").string()});
        if (r.exit_code != 0) throw std::runtime_error("cannot start PostgreSQL: " + r.err);
        started_ = true;
        socket_dir_ = (dir_ / "pg").string();
    }
    ~PgServer() {
        if (started_) (void)run({"/bin/bash", source_path("scripts/pg-server.sh").string(), "stop", socket_dir_});
    }
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;

    [[nodiscard]] std::string url(const std::string& database) const {
        return fmt::format("postgresql:///{}?host={}&user=provcheck", database, socket_dir_);
    }

    // A new, empty database; its store URL.
    [[nodiscard]] std::string fresh_database() {
        const std::string name = fmt::format("t{}", next_.fetch_add(1));
        PGconn* c = PQconnectdb(url("postgres").c_str());
        if (PQstatus(c) != CONNECTION_OK) {
            const std::string msg = PQerrorMessage(c);
            PQfinish(c);
            throw std::runtime_error("cannot connect to the test server: " + msg);
        }
        PGresult* r = PQexec(c, fmt::format("CREATE DATABASE {}", name).c_str());
        const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        const std::string msg = PQresultErrorMessage(r);
        PQclear(r);
        PQfinish(c);
        if (!ok) throw std::runtime_error("CREATE DATABASE: " + msg);
        return url(name);
    }

    // Runs one SQL statement on `store_url` (a test's own view of the rows); returns the first column of every row.
    [[nodiscard]] static std::vector<std::string> query(const std::string& store_url, const std::string& sql) {
        PGconn* c = PQconnectdb(store_url.c_str());
        PGresult* r = PQexec(c, sql.c_str());
        std::vector<std::string> out;
        const auto status = PQresultStatus(r);
        if (status == PGRES_TUPLES_OK) {
            for (int i = 0; i < PQntuples(r); ++i)
                out.emplace_back(PQgetvalue(r, i, 0));
        }
        const std::string msg = PQresultErrorMessage(r);
        PQclear(r);
        PQfinish(c);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw std::runtime_error(sql + ": " + msg);
        return out;
    }

private:
    TempDir dir_;
    std::string socket_dir_;
    bool started_ = false;
    std::atomic<int> next_{1};
};

// The one server of the test program, started when first asked for and stopped at exit; every test takes a
// fresh database on it.
inline PgServer& pg() {
    static PgServer server;
    return server;
}

}  // namespace provcheck::test
