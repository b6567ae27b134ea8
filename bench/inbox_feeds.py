#!/usr/bin/env python3
"""The inbox benchmark's news: FEEDS feeds of ITEMS items each (RSS 2.0), served on
127.0.0.1 by HOSTS servers (one port each, standing for one host each), with `ETag`s: a
feed asked again with its `If-None-Match` answers 304. The items are reports of
FEEDS * ITEMS / 5 synthetic stories, each told by five feeds in different words, so the
clustering has real work; the true stories are written to TRUTH (TSV: story, url).

    inbox_feeds.py FEEDS ITEMS HOSTS OPML_OUT TRUTH_OUT   (runs until killed)

It prints `ready` once every server listens; the OPML lists every feed.
"""
import hashlib
import random
import sys
import threading
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

feeds, per_feed, hosts = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
opml_out, truth_out = sys.argv[4], sys.argv[5]
rng = random.Random(7)
syllables = ["ka", "lo", "mi", "ra", "to", "shi", "ne", "vo", "du", "pe", "an", "sel", "mor", "tin", "gra", "bel"]
vocab = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(6000)})
filler = ["report", "update", "latest", "analysis", "breaking", "officials", "say", "amid", "after", "week"]
now = datetime.now(timezone.utc)

stories = feeds * per_feed // 5
reports = []  # (story, headline, summary, date)
for s in range(stories):
    words = rng.sample(vocab, 10)
    start = now - timedelta(hours=rng.uniform(1, 120))
    for _ in range(5):
        head = rng.sample(words[:7], 5) + rng.sample(filler, 1)
        rng.shuffle(head)
        body = rng.sample(words, 6) + rng.sample(filler, 3)
        rng.shuffle(body)
        reports.append((s, " ".join(head).capitalize(), " ".join(body).capitalize() + ".",
                        start + timedelta(hours=rng.uniform(0, 20))))
rng.shuffle(reports)

ports = [None] * hosts
bodies = {}  # (host, path) -> (etag, bytes)
truth = []


def build():
    for f in range(feeds):
        host = f % hosts
        items = reports[f * per_feed:(f + 1) * per_feed]
        base = f"http://127.0.0.1:{ports[host]}"
        xml = [f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Outlet {f}</title><link>{base}/</link>']
        for n, (story, head, summary, date) in enumerate(items):
            url = f"{base}/f{f}/story-{n}"
            truth.append(f"{story}\t{url}")
            xml.append(f"<item><title>{escape(head)}</title><link>{url}</link><description>{escape(summary)}</description><pubDate>{format_datetime(date)}</pubDate></item>")
        xml.append("</channel></rss>")
        data = "".join(xml).encode()
        bodies[(host, f"/f{f}.xml")] = ('"' + hashlib.sha1(data).hexdigest()[:16] + '"', data)


def handler(host):
    class Feed(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            found = bodies.get((host, self.path))
            if not found:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag, data = found
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass
    return Feed


servers = []
for h in range(hosts):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(h))
    ports[h] = server.server_address[1]
    servers.append(server)
build()
with open(opml_out, "w", encoding="utf-8") as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>bench</title></head><body>\n')
    for f in range(feeds):
        out.write(f'<outline type="rss" text="Outlet {f}" xmlUrl="http://127.0.0.1:{ports[f % hosts]}/f{f}.xml"/>\n')
    out.write("</body></opml>\n")
with open(truth_out, "w", encoding="utf-8") as out:
    out.write("\n".join(truth) + "\n")
for server in servers:
    threading.Thread(target=server.serve_forever, daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
