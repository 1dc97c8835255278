#!/usr/bin/env python3
"""serve-api.py: checks the JSON API of a running `fivewhys serve`.

Run by tests/serve.sh, which starts the server on a free loopback port:

    serve-api.py URL api        # the API, the drill of seed 004, hostile requests
    serve-api.py URL full N     # a server started with --max-sessions N
    serve-api.py URL client N   # a server started with --max-per-client N --idle 1

Prints "ok NAME" or "FAIL NAME" with what differed, one line per check, and
exits 1 when anything failed. Needs nothing but the standard library.
"""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse

URL = urllib.parse.urlsplit(sys.argv[1])
HOST, PORT = URL.hostname, URL.port
failed = 0

# The seed 004 home-loan ladder, one answer a rung.
SEED_004 = [
    "They need money.",
    "They wish to make a purchase.",
    "They want to progress in life.",
    "They want to provide for their family.",
    "They care for, love, and want the best for their family.",
]
# tests/cases/practice/model-trainee-open.questions, without the pitch after the end.
MODEL_TRAINEE = [
    "Why do you need a home loan?",
    "What would the money let you do?",
    "That sounds exciting. Why is buying a place important to you?",
    "So what I'm hearing is you want to settle down. What would that give you?",
]
CSP = ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'")


def check(name, condition, *details):
    global failed
    if condition:
        print(f"ok {name}")
    else:
        failed += 1
        print(f"FAIL {name}")
        for d in details:
            for line in str(d).splitlines():
                print(f"    {line}")
    return condition


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        try:
            self.json = json.loads(body.decode("utf-8"))
        except ValueError:
            self.json = None

    def header(self, name):
        return self.headers.get(name.lower())

    def error(self):
        return self.json.get("error") if isinstance(self.json, dict) else None

    def __str__(self):
        return f"{self.status} {self.body[:300]!r}"


def request(method, path, body=None, headers=None, json_body=True):
    """One request on a new connection. @body: an object sent as JSON, or
    bytes sent as they are."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    hdrs = dict(headers or {})
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        if json_body:
            hdrs.setdefault("Content-Type", "application/json")
    conn.request(method, path, body=data, headers=hdrs)
    resp = conn.getresponse()
    reply = Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    conn.close()
    return reply


def raw_request(text, body_bytes=0):
    """Sends @text (the head of a request, perhaps with a small body), then
    @body_bytes bytes of body, and returns the status code of the answer and
    the whole answer."""
    with socket.create_connection((HOST, PORT), timeout=30) as s:
        s.sendall(text.encode("latin-1"))
        chunk = b"a" * (1 << 20)
        sent = 0
        try:
            while sent < body_bytes:
                s.sendall(chunk[: min(len(chunk), body_bytes - sent)])
                sent += min(len(chunk), body_bytes - sent)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        while True:
            try:
                data = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not data:
                break
            answer += data
            if b"\r\n\r\n" in answer:
                head, _, rest = answer.partition(b"\r\n\r\n")
                m = re.search(rb"content-length:\s*(\d+)", head, re.I)
                if m and len(rest) >= int(m.group(1)):
                    break
    m = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    return (int(m.group(1)) if m else 0), answer


def rss():
    """The server's resident memory in bytes, when tests/serve.sh told its
    process id; else None. None under AddressSanitizer too, whose quarantine
    keeps freed memory resident."""
    pid = os.environ.get("SERVE_PID")
    try:
        with open(f"/proc/{pid}/maps") as f:
            if "libasan" in f.read():
                return None
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, TypeError, ValueError):
        return None
    return None


def new_drill(need="home-loan"):
    return request("POST", "/api/sessions", {"mode": "drill", "need": need})


def alive(name):
    r = request("GET", "/api/needs")
    check(f"{name}: the server keeps serving", r.status == 200 and r.json and len(r.json["needs"]) > 0, r)


def api():
    # ---- the page -------------------------------------------------------
    r = request("GET", "/")
    check("page: GET / is the page", r.status == 200 and r.header("content-type").startswith("text/html")
          and b"<title>" in r.body, r)
    csp = r.header("content-security-policy") or ""
    check("page: strict Content-Security-Policy", all(d in csp for d in CSP) and "unsafe" not in csp, csp)
    check("page: X-Content-Type-Options nosniff", r.header("x-content-type-options") == "nosniff", r.headers)
    check("page: no inline script, style or event handler",
          not re.search(rb"<script(?![^>]*\bsrc=)", r.body) and not re.search(rb"\sstyle=|\son[a-z]+=|<style", r.body),
          r.body[:500])
    check("page: no external assets", not re.search(rb"(src|href)=\"(https?:)?//", r.body), r.body[:500])
    js = request("GET", "/app.js")
    check("page: app.js served as JavaScript", js.status == 200 and js.header("content-type").startswith("text/javascript"), js)
    check("page: app.js never uses innerHTML or eval",
          not re.search(rb"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(", js.body))
    css = request("GET", "/style.css")
    check("page: style.css served as CSS", css.status == 200 and css.header("content-type").startswith("text/css"), css)
    check("page: an API error carries the headers too",
          all(d in (request("GET", "/api/nothing").header("content-security-policy") or "") for d in CSP))

    # ---- lists ---------------------------------------------------------------
    r = request("GET", "/api/needs")
    ids = [n["id"] for n in (r.json or {}).get("needs", [])]
    check("needs: listed with ids and titles", r.status == 200 and "home-loan" in ids
          and all(n.get("title") for n in r.json["needs"]), r)
    r = request("GET", "/api/personas")
    ids = [p["id"] for p in (r.json or {}).get("personas", [])]
    check("personas: listed", r.status == 200 and "home-loan-priya" in ids and "home-loan-dave" in ids, r)
    check("personas: no hidden ladder in the list", b"rung" not in r.body and b"ladder" not in r.body, r)

    # ---- the drill of seed 004 ------------------------------------------------
    r = new_drill()
    check("drill: created with 201 and a Location", r.status == 201 and r.header("location") == f"/api/sessions/{r.json['id']}", r)
    sid = r.json["id"]
    check("drill: the id is 128 random bits in hex", re.fullmatch(r"[0-9a-f]{32}", sid) is not None, sid)
    check("drill: ids differ", new_drill().json["id"] != sid)
    check("drill: asks the need's question first", r.json["status"] == "asking"
          and r.json["question"] == "Why do you need a home loan?" and r.json["depth"] == 0, r)
    depths = []
    for answer in SEED_004:
        r = request("POST", f"/api/sessions/{sid}/answers", {"answer": answer})
        if r.status != 200:
            break
        depths.append(r.json["depth"])
    check("drill: each answer takes a rung", depths == [1, 2, 3, 4, 5], depths, r)
    r = request("GET", f"/api/sessions/{sid}")
    s = r.json or {}
    check("drill: read back", r.status == 200 and s.get("id") == sid, r)
    check("drill: reaches depth 5 and the motivation family",
          s.get("status") == "reached" and s.get("depth") == 5 and (s.get("motivation") or {}).get("id") == "family", r)
    check("drill: the ladder, rung by rung, with levels",
          [(x["id"], x["level"]) for x in s.get("ladder", [])]
          == [("money", "function"), ("purchase", "function"), ("progress", "benefit"), ("provide", "benefit"),
              ("love", "motivation")], s.get("ladder"))
    m = s.get("motivation") or {}
    check("drill: the motivation's description and framing advice", m.get("description") and m.get("framing"), m)
    check("drill: no question once over", s.get("question") is None, s.get("question"))
    r = request("POST", f"/api/sessions/{sid}/answers", {"answer": "One more thing."})
    check("drill: an answer after the end gets 409", r.status == 409 and r.error(), r)

    r = request("GET", f"/api/sessions/{sid}/transcript")
    check("drill: the transcript downloads as JSON", r.status == 200 and "attachment" in (r.header("content-disposition") or "")
          and r.header("content-type").startswith("application/json"), r)
    fivewhys = os.environ.get("FIVEWHYS")
    if fivewhys:
        rules = os.path.join(os.environ["TOP_SRCDIR"], "rules")
        ask = subprocess.run([fivewhys, "ask", "--json", "--need", "home-loan", "-r", rules],
                             input="\n".join(SEED_004) + "\n", capture_output=True, text=True, timeout=60)
        check("drill: the transcript is what `ask --json` prints", r.json == json.loads(ask.stdout or "null"),
              r.body[:400], ask.stdout[:400], ask.stderr)

    r = new_drill("we're looking at a mortgage")
    check("drill: a need in words finds its ruleset", r.status == 201 and r.json["need"]["id"] == "home-loan", r)
    sid2 = r.json["id"]
    r = request("POST", f"/api/sessions/{sid2}/answers", {"answer": "the weather is nice"})
    check("drill: an answer that matches nothing is asked again in other words",
          r.status == 200 and r.json["steps"][0]["kind"] == "no-match" and r.json["question"] != r.json["steps"][0]["question"]
          and r.json["status"] == "asking", r)
    xss = "<script>alert(1)</script>"
    r = request("POST", f"/api/sessions/{sid2}/answers", {"answer": xss})
    check("drill: markup in an answer comes back as a JSON string, served as JSON",
          r.status == 200 and r.json["steps"][1]["answer"] == xss and r.header("content-type").startswith("application/json")
          and r.header("x-content-type-options") == "nosniff", r)
    r = request("POST", f"/api/sessions/{sid2}/end", {})
    check("drill: end stops the session", r.status == 200 and r.json["status"] == "ended", r)
    r = request("DELETE", f"/api/sessions/{sid2}")
    check("drill: DELETE drops a session", r.status == 204 and request("GET", f"/api/sessions/{sid2}").status == 404, r)

    # ---- practice ----------------------------------------------------------------
    r = request("POST", "/api/sessions", {"mode": "practice", "persona": "home-loan-priya", "seed": 42})
    check("practice: created", r.status == 201 and r.json["mode"] == "practice" and r.json["opening"], r)
    pid = r.json["id"]
    check("practice: the hidden ladder stays hidden", r.json["ladder"] == [] and r.json["scorecard"] is None
          and r.json["ladder_length"] == 5, r)
    t = request("GET", f"/api/sessions/{pid}/transcript")
    check("practice: a transcript mid-call keeps the ladder hidden", t.status == 200 and "ladder" not in t.json, t)
    for q in MODEL_TRAINEE:
        r = request("POST", f"/api/sessions/{pid}/questions", {"question": q})
    s = r.json or {}
    check("practice: the model trainee reaches the motivation",
          s.get("status") == "reached" and s.get("depth") == 5 and (s.get("motivation") or {}).get("id") == "family", r)
    sc = s.get("scorecard") or {}
    check("practice: the scorecard", sc.get("depth") == 5 and sc.get("turns") == 4 and sc.get("first_pitch") is None
          and sc.get("questions", {}).get("open-probe") == 4 and sc.get("motivation_surfaced") is True
          and len(sc.get("advice", [])) >= 2, sc)
    check("practice: questions classified per turn", [x["class"] for x in s.get("turns", [])] == ["open-probe"] * 4, s.get("turns"))
    r = request("POST", f"/api/sessions/{pid}/answers", {"answer": "x"})
    check("practice: answers are for drills (400)", r.status == 400 and r.error(), r)
    r = request("POST", "/api/sessions", {"mode": "practice", "persona": "nobody"})
    check("practice: an unknown persona is 400", r.status == 400 and "nobody" in (r.error() or ""), r)
    r = request("POST", "/api/sessions", {"mode": "practice", "persona": "home-loan-priya", "seed": -1})
    check("practice: a negative seed is 400", r.status == 400, r)

    # ---- hostile requests ----------------------------------------------------------
    r = request("POST", "/api/sessions", b'{"mode": "drill", "need": ')
    check("hostile: bad JSON is 400 with a JSON error", r.status == 400 and "not JSON" in (r.error() or ""), r)
    r = request("POST", "/api/sessions", b"[1, 2]")
    check("hostile: JSON that is not an object is 400", r.status == 400 and r.error(), r)
    r = request("POST", "/api/sessions", b"[" * 4000)
    check("hostile: deeply nested JSON is 400", r.status == 400 and r.error(), r)
    r = request("POST", "/api/sessions", b'{"need": "\xff\xfe"}')
    check("hostile: a body that is not UTF-8 is 400", r.status == 400 and r.error(), r)
    r = request("POST", "/api/sessions", b"", json_body=True)
    check("hostile: an empty body is 400", r.status == 400 and r.error(), r)
    r = request("POST", "/api/sessions", {"need": 5})
    check("hostile: a need that is not a string is 400", r.status == 400 and r.error(), r)
    r = request("POST", "/api/sessions", {"need": "a spaceship"})
    check("hostile: an unknown need is 400", r.status == 400 and r.error(), r)
    r = request("POST", "/api/sessions", {"mode": "drill", "need": "home-loan"}, headers={"Content-Type": "text/plain"})
    check("hostile: a body that is not application/json is 415", r.status == 415 and r.error(), r)
    sid3 = new_drill().json["id"]
    r = request("POST", f"/api/sessions/{sid3}/answers", {"answer": "x" * 3000})
    check("hostile: an overlong answer is 400", r.status == 400 and "too long" in (r.error() or ""), r)
    r = request("POST", f"/api/sessions/{sid3}/answers", {"answer": "   "})
    check("hostile: an empty answer is 400", r.status == 400 and r.error(), r)
    r = request("POST", f"/api/sessions/{sid3}/answers", {"reply": "x"})
    check("hostile: an answer under the wrong name is 400", r.status == 400 and r.error(), r)
    r = request("POST", "/api/sessions", b'{"need": "' + b"a" * 17000 + b'"}')
    check("hostile: an oversized body is 413", r.status == 413 and r.error(), r)
    head = f"POST /api/sessions HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nContent-Type: application/json\r\n"
    code, answer = raw_request(head + "Expect: 100-continue\r\nContent-Length: 1000000000\r\n\r\n")
    check("hostile: a 1 GB body announced with Expect: 100-continue is refused before it is sent (413)",
          code == 413, answer[:300])
    rss_before = rss()
    code, answer = raw_request(head + f"Content-Length: {64 << 20}\r\n\r\n", body_bytes=64 << 20)
    rss_after = rss()
    check("hostile: a 64 MiB body sent anyway gets 413 and none of it is kept",
          code == 413 and (rss_before is None or rss_after is None or rss_after - rss_before < 16 << 20),
          answer[:300], f"resident memory {rss_before} -> {rss_after}")
    code, answer = raw_request(head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
    check("hostile: a chunked body is refused (411)", code == 411, answer[:300])
    r = request("GET", "/api/sessions/0123456789abcdef0123456789abcdef")
    check("hostile: an unknown session is 404", r.status == 404 and r.error(), r)
    r = request("GET", "/api/sessions/../../etc/passwd")
    check("hostile: a path that climbs is refused", r.status in (400, 404), r)
    r = request("POST", f"/api/sessions/{sid3.upper()}/answers", {"answer": "They need money."})
    check("hostile: a session id is exact", r.status == 404, r)
    r = request("GET", f"/api/sessions/{sid3}/nothing")
    check("hostile: an unknown action is 404", r.status == 404 and r.error(), r)
    r = request("DELETE", "/api/needs")
    check("hostile: a wrong method is 405 with Allow", r.status == 405 and "GET" in (r.header("allow") or "") and r.error(), r)
    r = request("GET", "/api/sessions")
    check("hostile: sessions cannot be listed (405)", r.status == 405 and r.header("allow") == "POST", r)
    r = request("GET", f"/api/sessions/{sid3}/answers")
    check("hostile: GET on answers is 405", r.status == 405, r)
    r = request("POST", "/index.html", {"x": 1})
    check("hostile: POST to the page is 405", r.status == 405, r)
    r = request("OPTIONS", "/api/sessions")
    check("hostile: no CORS preflight is granted", r.status == 405 and "access-control-allow-origin" not in r.headers, r)
    r = request("GET", "/api/needs", headers={"Host": "attacker.example"})
    check("hostile: a foreign Host on loopback is refused (421)", r.status == 421 and r.error(), r)
    r = request("GET", "/nothing-here")
    check("hostile: an unknown page is 404 JSON", r.status == 404 and r.error(), r)
    alive("hostile")
    r = request("GET", f"/api/sessions/{sid}")
    check("hostile: earlier sessions are still there", r.status == 200 and r.json["depth"] == 5, r)


def full(limit):
    codes = [new_drill().status for _ in range(limit + 3)]
    check(f"limits: {limit} sessions, then 503", codes == [201] * limit + [503] * 3, codes)
    r = new_drill()
    check("limits: 503 says so in JSON, with Retry-After", r.status == 503 and r.error() and r.header("retry-after"), r)
    alive("limits")


def client(limit):
    ids = []
    for _ in range(limit):
        r = new_drill()
        ids.append(r.json["id"] if r.status == 201 else None)
    r = new_drill()
    check(f"limits: {limit} sessions per client, then 429", None not in ids and r.status == 429 and r.error()
          and r.header("retry-after"), ids, r)
    time.sleep(2.5)
    r = request("GET", f"/api/sessions/{ids[0]}")
    check("limits: an idle session expires (404)", r.status == 404, r)
    r = new_drill()
    check("limits: expired sessions make room again", r.status == 201, r)
    alive("limits")


mode = sys.argv[2]
if mode == "api":
    api()
elif mode == "full":
    full(int(sys.argv[3]))
elif mode == "client":
    client(int(sys.argv[3]))
sys.exit(1 if failed else 0)
