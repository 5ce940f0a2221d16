// `provcheck export --bundle` and `provcheck verify --bundle`: a bundle made from the seed workspace is read by
// an independent ZIP reader (python3's zipfile), verifies on its own, and names any change made to it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <sstream>

#include "record/bundle.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"
#include "support/warcio.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

struct Bundled {
    test::TempDir dir;
    std::map<std::string, std::string> env{{"XDG_CONFIG_HOME", (dir / "config").string()}};
    std::string bundle = (dir / "seed.wacz").string();

    Bundled() {
        auto bin = test::provcheck_binary();
        auto checked =
            test::run({bin, "check", test::source_path("fixtures/seed/article.html").string(), "--replay",
                       test::source_path("fixtures/seed/sources.warc").string(), "--source",
                       "NYT=https://www.nytimes.com/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html",
                       "--workspace", (dir / "ws").string(), "--quiet", "--fail-on", "none"},
                      env);
        REQUIRE(checked.exit_code == 0);
        auto exported = test::run({bin, "export", "--bundle", bundle, "--workspace", (dir / "ws").string()}, env);
        INFO(exported.err);
        REQUIRE(exported.exit_code == 0);
    }
    // verify --bundle on a machine with nothing else: no workspace, no key.
    test::RunResult verify(std::vector<std::string> extra = {}) {
        std::vector<std::string> argv{test::provcheck_binary(), "verify", "--bundle", bundle};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return test::run(argv, {{"XDG_CONFIG_HOME", (dir / "elsewhere").string()}});
    }
    test::RunResult python(const std::string& code) { return test::run({"/usr/bin/python3", "-c", code, bundle}); }
};

}  // namespace

TEST_CASE("a bundle is a WACZ-shaped ZIP that verifies offline", "[cli]") {
    Bundled b;
    auto listing = b.python(
        "import json,sys,zipfile\n"
        "z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None\n"
        "dp=json.loads(z.read('datapackage.json'))\n"
        "print(json.dumps({'names': z.namelist(), 'profile': dp['profile'], 'wacz': dp['wacz_version'],\n"
        "  'resources': [r['path'] for r in dp['resources']]}))\n");
    if (listing.exit_code != 0 && listing.err.find("No such file") != std::string::npos) {
        WARN("python3 is not available; skipping the independent ZIP reader");
    } else {
        INFO(listing.err);
        REQUIRE(listing.exit_code == 0);
        json l = json::parse(listing.out);
        CHECK(l["profile"] == "data-package");
        CHECK(l["wacz"] == "1.1.1");
        auto has = [&](std::string_view prefix) {
            for (const auto& n : l["names"]) {
                if (n.get<std::string>().starts_with(prefix)) return true;
            }
            return false;
        };
        CHECK(has("archive/"));
        CHECK(has("indexes/index.cdxj"));
        CHECK(has("pages/pages.jsonl"));
        CHECK(has("provcheck/records.jsonl"));
        CHECK(has("provcheck/keys/"));
        CHECK(l["resources"].size() + 2 == l["names"].size());  // all but the two manifests are listed
    }
    auto r = b.verify();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("trusting the bundle's own key") != std::string::npos);
    CHECK(r.out.find("10 records") != std::string::npos);
}

TEST_CASE("a bundle's WARC files are stored, and warcio reads them as they are", "[cli]") {
    Bundled b;
    auto out = b.dir / "extracted";
    auto extracted =
        test::run({"/usr/bin/python3", "-c",
                   "import os,sys,zipfile\n"
                   "z=zipfile.ZipFile(sys.argv[1]); os.makedirs(sys.argv[2])\n"
                   "for i in z.infolist():\n"
                   "  assert i.compress_type == zipfile.ZIP_STORED, i.filename\n"
                   "  if i.filename.startswith('archive/'):\n"
                   "    open(os.path.join(sys.argv[2], os.path.basename(i.filename)),'wb').write(z.read(i))\n",
                   b.bundle, out.string()});
    if (extracted.exit_code != 0 && extracted.err.find("No such file") != std::string::npos) {
        WARN("python3 is not available; skipping");
        return;
    }
    INFO(extracted.err);
    REQUIRE(extracted.exit_code == 0);
    auto summary = test::warcio_summary(out);
    if (!summary) return;
    CHECK((*summary)["files"].get<int>() >= 1);
    CHECK((*summary)["records"].get<int>() > 0);
    CHECK((*summary)["block_mismatch"].empty());
    CHECK((*summary)["payload_mismatch"].empty());
}

TEST_CASE("a pinned key that did not sign the bundle fails it", "[cli]") {
    Bundled b;
    auto other = test::run({test::provcheck_binary(), "keygen", "--out", (b.dir / "other.pem").string()});
    REQUIRE(other.exit_code == 0);
    auto r = b.verify({"--trust", (b.dir / "other.pem.pub").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.out.find("not signed by a trusted key") != std::string::npos);
}

TEST_CASE("a record changed inside a well-formed bundle is named", "[cli]") {
    Bundled b;
    // Rewrite the ZIP with one verdict changed, every CRC valid: only the digests and signatures can tell.
    auto rewritten = b.python(
        "import sys,zipfile,shutil\n"
        "src=sys.argv[1]; tmp=src+'.new'\n"
        "with zipfile.ZipFile(src) as z, zipfile.ZipFile(tmp,'w') as out:\n"
        "  for i in z.infolist():\n"
        "    data=z.read(i.filename)\n"
        "    if i.filename=='provcheck/records.jsonl':\n"
        "      data=data.replace(b'\"verdict\":\"altered\"', b'\"verdict\":\"verbatim\"', 1)\n"
        "      data=data.replace(b'\"envelope\":\"{\\\\\"payload\\\\\":\\\\\"ey', "
        "b'\"envelope\":\"{\\\\\"payload\\\\\":\\\\\"fy', 1)\n"
        "    out.writestr(i, data)\n"
        "shutil.move(tmp, src)\n");
    if (rewritten.exit_code != 0 && rewritten.err.find("No such file") != std::string::npos) {
        WARN("python3 is not available; skipping");
        return;
    }
    INFO(rewritten.err);
    REQUIRE(rewritten.exit_code == 0);
    auto r = b.verify();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find("FAIL bundle: provcheck/records.jsonl does not hash to its datapackage.json digest") !=
          std::string::npos);
    CHECK(r.out.find(") envelope:") != std::string::npos);
}

TEST_CASE("a damaged or foreign bundle is a clear error", "[cli]") {
    test::TempDir dir;
    auto not_zip = dir / "x.wacz";
    {
        std::FILE* f = std::fopen(not_zip.c_str(), "wb");
        std::fputs("this is not a zip file at all, just text", f);
        std::fclose(f);
    }
    auto r = test::run({test::provcheck_binary(), "verify", "--bundle", not_zip.string()});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("x.wacz") != std::string::npos);
    auto missing = test::run({test::provcheck_binary(), "verify", "--bundle", (dir / "none.wacz").string()});
    CHECK(missing.exit_code == 1);
    Bundled b;
    {
        // One byte of a stored WARC member flipped: the ZIP's own CRC catches it.
        std::FILE* f = std::fopen(b.bundle.c_str(), "r+b");
        std::fseek(f, 200, SEEK_SET);
        int c = std::fgetc(f);
        std::fseek(f, 200, SEEK_SET);
        std::fputc(c ^ 0x01, f);
        std::fclose(f);
    }
    auto flipped = b.verify();
    CHECK(flipped.exit_code == 1);
    CHECK(flipped.err.find("CRC mismatch") != std::string::npos);
    auto empty_ws = test::run({test::provcheck_binary(), "export", "--bundle", (dir / "e.wacz").string(), "--workspace",
                               (dir / "nows").string()});
    CHECK(empty_ws.exit_code == 3);
}

TEST_CASE("a bundle's index and page list are what web-archive players look up", "[cli]") {
    Bundled b;
    // Read by python3's zipfile and gzip: every CDXJ line, every page, and the archive's bytes searched for the
    // checker's own directories (the article was given by its absolute path).
    auto read = b.python(
        "import gzip,json,sys,zipfile\n"
        "z=zipfile.ZipFile(sys.argv[1])\n"
        "lines=z.read('indexes/index.cdxj').decode().splitlines()\n"
        "index=[]\n"
        "for l in lines:\n"
        "  key,ts,j=l.split(' ',2); index.append({'key':key,'ts':ts,'fields':json.loads(j)})\n"
        "pages=[json.loads(l) for l in z.read('pages/pages.jsonl').decode().splitlines()]\n"
        "dp=json.loads(z.read('datapackage.json'))\n"
        "blob=b''\n"
        "for n in z.namelist():\n"
        "  d=z.read(n); blob+=gzip.decompress(d) if n.endswith('.gz') else d\n"
        "print(json.dumps({'index':index,'sorted':lines==sorted(lines),'pages':pages,\n"
        "  'dp':{k:dp.get(k) for k in ('description','modified','created')},'blob':blob.decode('latin-1')}))\n");
    if (read.exit_code != 0 && read.err.find("No such file") != std::string::npos) {
        WARN("python3 is not available; skipping");
        return;
    }
    INFO(read.err);
    REQUIRE(read.exit_code == 0);
    json r = json::parse(read.out);
    CHECK(r["sorted"] == true);
    REQUIRE(r["index"].size() > 5);
    std::set<std::string> indexed_urls;
    for (const auto& line : r["index"]) {
        const std::string key = line["key"];
        INFO(key);
        std::string lower = key;
        for (auto& c : lower)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        CHECK(key == lower);
        CHECK(key == cdxj_key(line["fields"]["url"].get<std::string>()));
        CHECK(line["ts"].get<std::string>().size() == 14);
        CHECK(line["fields"].contains("mime"));
        CHECK(line["fields"].contains("status"));
        indexed_urls.insert(line["fields"]["url"].get<std::string>());
    }
    // The article, a local file, is archived under its name as given (relative to the working directory).
    CHECK(std::any_of(indexed_urls.begin(), indexed_urls.end(),
                      [](const std::string& u) { return u.starts_with("file:///") && u.ends_with("article.html"); }));
    CHECK(indexed_urls.contains("https://www.nytimes.com/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html"));

    // The page list: a header, the article and the source its claims were decided against, each under the URL
    // it was archived under, which the index holds.
    const json& pages = r["pages"];
    REQUIRE(pages.size() >= 3);
    CHECK(pages[0]["format"] == "json-pages-1.0");
    int articles = 0;
    int sources = 0;
    for (std::size_t i = 1; i < pages.size(); ++i) {
        const json& p = pages[i];
        INFO(p.dump());
        CHECK(indexed_urls.contains(p["url"].get<std::string>()));
        CHECK_FALSE(p["ts"].get<std::string>().empty());
        CHECK_FALSE(p["id"].get<std::string>().empty());
        if (p["role"] == "article") {
            ++articles;
            CHECK(p["title"].get<std::string>().find("Doha") != std::string::npos);
            CHECK(p["canonical_url"].get<std::string>().find("palestinechronicle.com") != std::string::npos);
        } else {
            CHECK(p["role"] == "source");
            ++sources;
        }
    }
    CHECK(articles == 1);
    CHECK(sources >= 1);
    CHECK_FALSE(r["dp"]["description"].get<std::string>().empty());
    CHECK(r["dp"]["modified"] == r["dp"]["created"]);

    // Nothing in the bundle names the checker's own directories.
    const std::string blob = r["blob"];
    CHECK(blob.find(test::source_path("fixtures").string()) == std::string::npos);
    CHECK(blob.find(b.dir.path().string()) == std::string::npos);
}

TEST_CASE("a bundle must be named .wacz", "[cli]") {
    Bundled b;
    for (const char* name : {"x.zip", "x", "x.wacz.tmp"}) {
        auto r = test::run({test::provcheck_binary(), "export", "--bundle", (b.dir / name).string(), "--workspace",
                            (b.dir / "ws").string()},
                           b.env);
        INFO(name << ": " << r.err);
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("must end in .wacz") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(b.dir / name));
    }
    auto upper = test::run({test::provcheck_binary(), "export", "--bundle", (b.dir / "X.WACZ").string(), "--workspace",
                            (b.dir / "ws").string()},
                           b.env);
    CHECK(upper.exit_code == 0);
}

TEST_CASE("a bundle is signed for web-archive players with the archive key of the signing key", "[cli]") {
    Bundled b;
    // datapackage-digest.json as the bundle holds it, checked by WebCrypto as ReplayWeb.page checks it.
    auto read_digest = [&](const std::string& bundle) {
        const auto out = b.dir / "digest.json";
        auto r =
            test::run({"/usr/bin/python3", "-c",
                       "import sys,zipfile\n"
                       "open(sys.argv[2],'wb').write(zipfile.ZipFile(sys.argv[1]).read('datapackage-digest.json'))\n",
                       bundle, out.string()});
        REQUIRE(r.exit_code == 0);
        return out;
    };
    auto webcrypto = [&](const std::filesystem::path& digest) -> std::optional<json> {
        auto r = test::run(
            {"/usr/bin/env", "node", test::source_path("tests/node/wacz-signature.mjs").string(), digest.string()});
        if (r.exit_code == 127 || r.err.find("No such file") != std::string::npos) {
            WARN("node is not available: the WebCrypto check is skipped");
            return std::nullopt;
        }
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return json::parse(r.out);
    };
    if (auto w = webcrypto(read_digest(b.bundle))) {
        CHECK((*w)["signed"] == true);
        CHECK((*w)["valid"] == true);
        CHECK((*w)["same_hash"] == true);
    }
    auto v = b.verify();
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
    // The archive key is the one `provcheck key show` names for the signing key.
    auto shown = test::run({test::provcheck_binary(), "key", "show"}, b.env);
    REQUIRE(shown.exit_code == 0);
    const auto at = shown.out.find("archive key  ");
    REQUIRE(at != std::string::npos);
    const std::string fingerprint = shown.out.substr(at + 13, shown.out.find(' ', at + 13) - at - 13);
    CHECK(fingerprint.starts_with("sha256:"));
    CHECK(v.out.find("the archive is signed for web-archive players by archive key " + fingerprint +
                     ", endorsed by signing key ") != std::string::npos);

    // Someone else's P-384 key over a changed package: players would show it signed, verify names it.
    const auto resigned = (b.dir / "resigned.wacz").string();
    auto forge = b.python(
        "import base64,json,sys,zipfile,hashlib\n"
        "from cryptography.hazmat.primitives.asymmetric import ec\n"
        "from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature\n"
        "from cryptography.hazmat.primitives import hashes, serialization\n"
        "src=sys.argv[1]; dst=src.replace('seed.wacz','resigned.wacz')\n"
        "k=ec.generate_private_key(ec.SECP384R1())\n"
        "with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst,'w') as out:\n"
        "  dp=z.read('datapackage.json').replace(b'provcheck records', b'provcheck recordz')\n"
        "  h='sha256:'+hashlib.sha256(dp).hexdigest()\n"
        "  r,s=decode_dss_signature(k.sign(h.encode(), ec.ECDSA(hashes.SHA256())))\n"
        "  for i in z.infolist():\n"
        "    data=z.read(i.filename)\n"
        "    if i.filename=='datapackage.json': data=dp\n"
        "    if i.filename=='datapackage-digest.json':\n"
        "      d=json.loads(data); d['hash']=h; sd=d['signedData']; sd['hash']=h\n"
        "      sd['signature']=base64.b64encode(r.to_bytes(48,'big')+s.to_bytes(48,'big')).decode()\n"
        "      sd['publicKey']=base64.b64encode(k.public_key().public_bytes(serialization.Encoding.DER,"
        "serialization.PublicFormat.SubjectPublicKeyInfo)).decode()\n"
        "      data=json.dumps(d).encode()\n"
        "    out.writestr(i, data)\n");
    INFO(forge.err);
    REQUIRE(forge.exit_code == 0);
    if (auto w = webcrypto(read_digest(resigned))) CHECK((*w)["valid"] == true);  // a player is fooled
    auto re = test::run({test::provcheck_binary(), "verify", "--bundle", resigned}, b.env);
    INFO(re.out << re.err);
    CHECK(re.exit_code == 2);
    CHECK(re.out.find("the endorsement of its archive key by key") != std::string::npos);

    // A signature over another hash (datapackage.json changed and its digest recomputed, signedData kept) fails.
    auto forged = b.python(
        "import json,sys,zipfile,shutil,hashlib\n"
        "src=sys.argv[1]; tmp=src+'.new'\n"
        "with zipfile.ZipFile(src) as z, zipfile.ZipFile(tmp,'w') as out:\n"
        "  dp=z.read('datapackage.json').replace(b'provcheck records', b'provcheck recordz')\n"
        "  for i in z.infolist():\n"
        "    data=z.read(i.filename)\n"
        "    if i.filename=='datapackage.json': data=dp\n"
        "    if i.filename=='datapackage-digest.json':\n"
        "      d=json.loads(data); d['hash']='sha256:'+hashlib.sha256(dp).hexdigest(); data=json.dumps(d).encode()\n"
        "    out.writestr(i, data)\n"
        "shutil.move(tmp, src)\n");
    REQUIRE(forged.exit_code == 0);
    auto f = b.verify();
    INFO(f.out << f.err);
    CHECK(f.exit_code == 2);
    CHECK(f.out.find("datapackage-digest.json: signedData: it signs sha256:") != std::string::npos);
    if (auto w = webcrypto(read_digest(b.bundle))) CHECK((*w)["same_hash"] == false);

    // --unsigned leaves the signature out, and verify says so.
    const auto plain = (b.dir / "plain.wacz").string();
    auto exported = test::run(
        {test::provcheck_binary(), "export", "--bundle", plain, "--unsigned", "--workspace", (b.dir / "ws").string()},
        b.env);
    REQUIRE(exported.exit_code == 0);
    if (auto w = webcrypto(read_digest(plain))) CHECK((*w)["signed"] == false);
    auto u = test::run({test::provcheck_binary(), "verify", "--bundle", plain}, b.env);
    CHECK(u.exit_code == 0);
    CHECK(u.out.find("carries no signature for web-archive players") != std::string::npos);
}

TEST_CASE("ReplayWeb.page opens a bundle: the article and every source render, and it shows the archive signed",
          "[cli]") {
    Bundled b;
    const test::RunResult install = test::run({"/bin/sh", test::source_path("tests/node/install.sh").string()});
    if (install.exit_code == 77) {
        WARN("node/npm not available: the ReplayWeb.page check is skipped");
        return;
    }
    REQUIRE(install.exit_code == 0);
    if (!std::filesystem::exists("/usr/bin/chromium")) {
        WARN("chromium is not installed: the ReplayWeb.page check is skipped");
        return;
    }
    // Every page the bundle lists, opened from the page list as a reader would.
    auto listed = b.python(
        "import json,sys,zipfile\n"
        "for l in zipfile.ZipFile(sys.argv[1]).read('pages/pages.jsonl').decode().splitlines():\n"
        "  d=json.loads(l)\n"
        "  if 'url' in d: print(d['role'], d['url'])\n");
    REQUIRE(listed.exit_code == 0);
    std::vector<std::string> argv{"/usr/bin/env", "node", test::source_path("tests/node/rwp-check.mjs").string(),
                                  b.bundle};
    std::string article;
    std::string nyt;
    std::istringstream lines(listed.out);
    for (std::string role, url; lines >> role >> url;) {
        argv.push_back(url);
        if (role == "article") article = url;
        if (url.find("nytimes.com") != std::string::npos) nyt = url;
    }
    REQUIRE(argv.size() >= 6);  // the article, the NYT page and the two posts' oEmbed answers
    REQUIRE(article.starts_with("file:///"));
    REQUIRE_FALSE(nyt.empty());
    auto r = test::run(argv);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    json report = json::parse(r.out);
    CHECK(report["loaded"] == true);
    CHECK(report["errors"].empty());
    for (const auto& p : report["pages"]) {
        INFO(p.dump());
        CHECK(p["ok"] == true);
        if (p["url"] == article)
            CHECK(p["text"].get<std::string>().find("Washington resorts to Doha") != std::string::npos);
        if (p["url"] == nyt) CHECK(p["text"].get<std::string>().find("Facing Risky Options") != std::string::npos);
    }
    // The archive information: ReplayWeb.page checked the signature and names the key `key show` prints.
    bool signature_checked = false;
    for (const auto& e : report["archiveInfo"]["verificationEntries"]) {
        if (e["id"] == "signature") signature_checked = e["matched"] == true;
    }
    CHECK(signature_checked);
    auto shown = test::run({test::provcheck_binary(), "key", "show"}, b.env);
    const auto at = shown.out.find("publicKey    ");
    REQUIRE(at != std::string::npos);
    const std::string public_key = shown.out.substr(at + 13, shown.out.find('\n', at) - at - 13);
    bool key_shown = false;
    for (const auto& f : report["archiveInfo"]["fields"]) {
        if (f.get<std::string>() == "Observer Public Key: " + public_key) key_shown = true;
    }
    CHECK(key_shown);
}
