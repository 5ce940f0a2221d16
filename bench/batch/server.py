#!/usr/bin/env python3
"""A loopback news web for the batch benchmark. Every page is made from its path, so nothing is stored:

  http://news.example.com/article/N.html   an article of --quotes quotations and --links links: each quotation
                                           in its own paragraph, attributed to a named official, most of them
                                           beside a link to the source that holds them (one word changed in
                                           every fifth); the other links go to related pages
  http://srcK.example.com/doc/N.html       the source of article N on host K: its quotations among filler
  http://srcK.example.com/page/N-J.html    a related page: a few paragraphs

Hosts are told apart by the Host header (the client connects every name to 127.0.0.1). Each answer waits
--delay-ms. Binds 127.0.0.1 only, prints its port on the first line of stdout, serves until stdin closes.
"""
import argparse
import random
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORDS = ("water authority reservoir levels summer rationing farmers council budget schools hospital staff "
         "report minister inquiry figures rise fall percent month year region city officials plan review "
         "contract road bridge rail service delays funding families housing rents prices energy").split()
NAMES = ["Amara Osei", "Daniel Brooks", "Priya Nair", "Tomas Lindqvist", "Grace Mwangi", "Lucas Moreau"]


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def quotations(n, count):
    rng = random.Random(n)
    return [f"{sentence(rng, rng.randint(10, 18))} in case {n}-{i}" for i in range(count)]


def page(title, paras):
    body = "".join(f"<p>{p}</p>\n" for p in paras)
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title></head><body>"
            f"<article><h1>{title}</h1>\n{body}</article></body></html>\n").encode()


def article(n, quotes, links, hosts):
    rng = random.Random(n * 7 + 1)
    qs = quotations(n, quotes)
    host = n % hosts
    paras = [f"{sentence(rng, 25)}." for _ in range(3)]
    related = max(0, links - 1)
    for i, q in enumerate(qs):
        printed = q
        if i % 5 == 4:  # one word changed: the check must say altered
            w = printed.split()
            w[2] = "never"
            printed = " ".join(w)
        who = NAMES[i % len(NAMES)]
        link = (f' (<a href="http://src{host}.example.com/doc/{n}.html">the report</a>)' if i % 2 == 0 else "")
        paras.append(f"“{printed},” {who} said{link}.")
        paras.append(f"{sentence(rng, 30)}.")
    for j in range(related):
        paras.append(f'{sentence(rng, 12)}, <a href="http://src{(host + j) % hosts}.example.com/page/{n}-{j}.html">'
                     f"read more</a>.")
    return page(f"Article {n}", paras)


def source(n, quotes):
    rng = random.Random(n * 13 + 5)
    paras = []
    for i, q in enumerate(quotations(n, quotes)):
        paras.append(f"{sentence(rng, 20)}.")
        paras.append(f"{NAMES[i % len(NAMES)]} said: {q}.")
    return page(f"Report {n}", paras)


def related(key):
    rng = random.Random(key)
    return page("Related", [f"{sentence(rng, 20)}." for _ in range(4)])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--delay-ms", type=int, default=20)
    ap.add_argument("--quotes", type=int, default=20)
    ap.add_argument("--links", type=int, default=30)
    ap.add_argument("--hosts", type=int, default=10)
    a = ap.parse_args()
    delay = a.delay_ms / 1000

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            path = self.path.split("?")[0]
            body = None
            try:
                if path.startswith("/article/") and path.endswith(".html"):
                    body = article(int(path[9:-5]), a.quotes, a.links, a.hosts)
                elif path.startswith("/doc/") and path.endswith(".html"):
                    body = source(int(path[5:-5]), a.quotes)
                elif path.startswith("/page/") and path.endswith(".html"):
                    body = related(path[6:-5])
            except ValueError:
                body = None
            threading.Event().wait(delay)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    # socketserver's listen backlog is 5: a burst of connections beyond it waits out a 1 s SYN retransmit, which
    # measures the kernel, not the client.
    ThreadingHTTPServer.request_queue_size = 1024
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
