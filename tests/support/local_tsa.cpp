#include "support/local_tsa.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/run.hpp"

namespace provcheck::test {

namespace {

void write(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
}

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void openssl(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"/usr/bin/env", "openssl"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run(argv);
    if (r.exit_code != 0) throw std::runtime_error("openssl " + args.front() + " failed: " + r.err);
}

}  // namespace

LocalTsa::LocalTsa(const std::string& name, int lifetime_seconds) {
    auto at = [this](const char* file) { return (dir_ / file).string(); };
    openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", at("ca.key"),
             "-out", at("ca.pem"), "-subj", "/CN=" + name + " CA", "-days", "3650", "-addext",
             "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"});
    openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", at("tsa.key"), "-out",
             at("tsa.csr"), "-subj", "/CN=" + name});
    write(at("ext.cnf"),
          "extendedKeyUsage=critical,timeStamping\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n");
    if (lifetime_seconds <= 0) {
        openssl({"x509", "-req", "-in", at("tsa.csr"), "-CA", at("ca.pem"), "-CAkey", at("ca.key"), "-CAcreateserial",
                 "-out", at("tsa.pem"), "-days", "3650", "-extfile", at("ext.cnf")});
    } else {
        auto r = run({"/usr/bin/python3", "-c",
                      "import sys,datetime\n"
                      "from cryptography import x509\n"
                      "from cryptography.x509.oid import ExtendedKeyUsageOID\n"
                      "from cryptography.hazmat.primitives import hashes, serialization\n"
                      "d=sys.argv[1]; now=datetime.datetime.now(datetime.timezone.utc)\n"
                      "ca=x509.load_pem_x509_certificate(open(d+'/ca.pem','rb').read())\n"
                      "cakey=serialization.load_pem_private_key(open(d+'/ca.key','rb').read(), None)\n"
                      "csr=x509.load_pem_x509_csr(open(d+'/tsa.csr','rb').read())\n"
                      "c=(x509.CertificateBuilder().subject_name(csr.subject).issuer_name(ca.subject)\n"
                      "  .public_key(csr.public_key()).serial_number(x509.random_serial_number())\n"
                      "  .not_valid_before(now-datetime.timedelta(hours=1))\n"
                      "  .not_valid_after(now+datetime.timedelta(seconds=int(sys.argv[2])))\n"
                      "  .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)\n"
                      "  .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=False)\n"
                      "  .add_extension(x509.KeyUsage(True,False,False,False,False,False,False,False,False), "
                      "critical=True)\n"
                      "  .sign(cakey, hashes.SHA256()))\n"
                      "open(d+'/tsa.pem','wb').write(c.public_bytes(serialization.Encoding.PEM))\n",
                      dir_.path().string(), std::to_string(lifetime_seconds)});
        if (r.exit_code != 0) throw std::runtime_error("issuing a short-lived TSA certificate failed: " + r.err);
    }
    write(at("ts.cnf"), "[ tsa ]\ndefault_tsa = tsa_config\n[ tsa_config ]\nserial = " + at("serial") +
                            "\nsigner_cert = " + at("tsa.pem") + "\ncerts = " + at("tsa.pem") +
                            "\nsigner_key = " + at("tsa.key") +
                            "\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\n"
                            "accuracy = secs:1\ness_cert_id_alg = sha256\n");
    write(at("serial"), "01\n");
}

std::string LocalTsa::reply(const std::string& request) {
    std::lock_guard lock(mutex_);
    ++requests_;
    write(dir_ / "req.tsq", request);
    std::filesystem::remove(dir_ / "resp.tsr");
    auto r = run({"/usr/bin/env", "openssl", "ts", "-reply", "-config", (dir_ / "ts.cnf").string(), "-queryfile",
                  (dir_ / "req.tsq").string(), "-out", (dir_ / "resp.tsr").string()});
    if (r.exit_code != 0) return {};
    return read(dir_ / "resp.tsr");
}

std::string LocalTsa::mount(FixtureServer& server) {
    Route route;
    route.host = "127.0.0.1";
    route.path = "/tsa";
    route.handler = [this](const httplib::Request& req, httplib::Response& res) {
        if (req.method != "POST" || req.get_header_value("Content-Type") != "application/timestamp-query") {
            res.status = 400;
            return;
        }
        std::string answer = reply(req.body);
        if (answer.empty()) {
            res.status = 500;
            return;
        }
        res.status = 200;
        res.set_content(answer, "application/timestamp-reply");
    };
    server.add_route(std::move(route));
    return "http://127.0.0.1:" + std::to_string(server.port()) + "/tsa";
}

bool LocalTsa::openssl_verifies(const std::string& token, const std::string& data,
                                const std::filesystem::path& ca) const {
    TempDir scratch;
    write(scratch / "token.der", token);
    write(scratch / "data", data);
    auto r = run({"/usr/bin/env", "openssl", "ts", "-verify", "-data", (scratch / "data").string(), "-in",
                  (scratch / "token.der").string(), "-token_in", "-CAfile", ca.string()});
    return r.exit_code == 0 && (r.out + r.err).find("Verification: OK") != std::string::npos;
}

int LocalTsa::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

}  // namespace provcheck::test
