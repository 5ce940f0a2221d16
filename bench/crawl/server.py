#!/usr/bin/env python3
"""A loopback web for the crawl benchmark: any path on any Host answers a 131-byte page after --delay-ms,
over HTTP/1.1 keep-alive. --body-bytes N makes every page N bytes long (HTML paragraphs, or with
--content-type other than text/html, bytes of that type), for the memory figures. Binds 127.0.0.1 only, prints its port on the first line of stdout, and serves
until stdin closes.

It measures what the client did, from the server's side: TCP connections accepted, requests answered,
and the most requests in flight at once to one Host. GET /__stats (any Host) answers those as JSON;
GET /__reset zeroes them. Neither is counted.
"""
import argparse
import asyncio
import json
import time
import sys

BODY = (b"<!doctype html><html><head><title>page</title></head><body><p>A page of the crawl benchmark."
        b"</p></body></html>\n")
BODY = BODY + b" " * (131 - len(BODY)) if len(BODY) < 131 else BODY[:131]


class Stats:
    def __init__(self):
        self.reset()

    def reset(self):
        self.connections = 0
        self.requests = 0
        self.in_flight = {}
        self.max_in_flight = {}
        self.first_arrival = None
        self.last_answer = None
        self.first_arrival_unix = None
        self.last_answer_unix = None

    def as_json(self):
        return json.dumps({
            "connections": self.connections,
            "requests": self.requests,
            "hosts": len(self.max_in_flight),
            "max_in_flight_per_host": max(self.max_in_flight.values(), default=0),
            # From the first request's arrival to the last answer's departure: the crawl itself, without the
            # client's start-up and wind-down.
            "span_s": (self.last_answer - self.first_arrival) if self.first_arrival is not None else 0.0,
            # The same two moments on the system's clock (seconds since the epoch), so that a client's start-up
            # (before the first arrival) and wind-down (after the last answer) can be told from its own times.
            "first_arrival_unix": self.first_arrival_unix,
            "last_answer_unix": self.last_answer_unix,
        }).encode()


def make_body(size, content_type):
    if size <= 0:
        return BODY
    if content_type.startswith("text/html"):
        para = b"<p>A paragraph of a long page of the crawl benchmark, one of many.</p>\n"
        head = b"<!doctype html><html><head><title>page</title></head><body>"
        tail = b"</body></html>\n"
        n = max(0, (size - len(head) - len(tail)) // len(para))
        body = head + para * n + tail
        return body + b" " * (size - len(body)) if len(body) < size else body[:size]
    # Other types: incompressible bytes, as an image or a PDF would be.
    import random
    return random.Random(7).randbytes(size)


async def handle(reader, writer, stats, delay, body, content_type):
    stats.connections += 1
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            target = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else "/"
            host = ""
            close = False
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                if name == "host":
                    host = value.strip().split(":")[0].lower()
                elif name == "connection" and value.strip().lower() == "close":
                    close = True
            if target in ("/__stats", "/__reset"):
                if target == "/__reset":
                    stats.reset()
                    stats.connections = 1  # this one
                body = stats.as_json()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                             % (len(body), body))
                await writer.drain()
                continue
            stats.requests += 1
            if stats.first_arrival is None:
                stats.first_arrival = asyncio.get_running_loop().time()
                stats.first_arrival_unix = time.time()
            now = stats.in_flight.get(host, 0) + 1
            stats.in_flight[host] = now
            stats.max_in_flight[host] = max(stats.max_in_flight.get(host, 0), now)
            await asyncio.sleep(delay)
            stats.in_flight[host] -= 1
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                         % (content_type, len(body)))
            writer.write(body)
            await writer.drain()
            stats.last_answer = asyncio.get_running_loop().time()
            stats.last_answer_unix = time.time()
            if close:
                break
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--delay-ms", type=int, default=50)
    ap.add_argument("--body-bytes", type=int, default=0)
    ap.add_argument("--content-type", default="text/html; charset=utf-8")
    args = ap.parse_args()
    stats = Stats()
    body = make_body(args.body_bytes, args.content_type)
    content_type = args.content_type.encode()
    server = await asyncio.start_server(lambda r, w: handle(r, w, stats, args.delay_ms / 1000.0, body, content_type),
                                        "127.0.0.1", 0, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    async with server:
        await stdin_closed


if __name__ == "__main__":
    asyncio.run(main())
