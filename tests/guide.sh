#!/bin/sh
# guide.sh: runs the examples of the rule author's guide, doc/rules.md, so
# that the guide cannot drift from the program.
#
# An example is a fenced ```xml block (one rule file) preceded, on the lines
# right before its fence, by one or more markers, HTML comments that Markdown
# does not show:
#
#   <!-- fivewhys-test: check -->
#       `fivewhys check` of the block (after rules/motivations.xml) is clean:
#       exit 0, no error, no warning.
#   <!-- fivewhys-test: error="TEXT" -->
#       `fivewhys check` of the block exits 1 and prints TEXT (a fixed
#       string; one marker per message to expect). In any value, \" is a
#       quote and \\ a backslash.
#   <!-- fivewhys-test: ask need="TEXT" answers="A1 | A2 | ..." rungs="ID ..."
#        status="reached|stalled|ended" motivation="ID|null" -->
#       `fivewhys ask --json` on the block, with those answers (separated by
#       " | "), climbs exactly those rungs and ends so. rungs, status and
#       motivation may each be left out; the rest must be on one line.
#
# A marker that no ```xml block follows is an error, so a marker cannot go
# stale unnoticed. Arguments select examples by name (guide-LINE, the line of
# the block's fence).
. "$(dirname "$0")/lib.sh"

# Not exec: the shell's exit trap removes $FW_TMP.
FW_TMP=$FW_TMP FW_TIMEOUT=$FW_TIMEOUT python3 - "$@" <<'EOF'
import json
import os
import re
import subprocess
import sys

top = os.environ["TOP_SRCDIR"]
program = os.environ["FIVEWHYS"]
tmp = os.environ["FW_TMP"]
timeout = int(os.environ["FW_TIMEOUT"])
guide = os.path.join(top, "doc", "rules.md")
motivations = os.path.join(top, "rules", "motivations.xml")
selected = sys.argv[1:]

MARKER = re.compile(r"^\s*<!--\s*fivewhys-test:\s*(.*?)\s*-->\s*$")
ATTR = re.compile(r'([a-z]+)="((?:[^"\\]|\\.)*)"')


def attributes(body):
    """key="value" pairs; in a value, \\" is a quote and \\\\ a backslash."""
    return {k: re.sub(r'\\(.)', r'\1', v) for k, v in ATTR.findall(body)}

passed = failed = 0


def report(name, problems):
    global passed, failed
    if problems:
        failed += 1
        print(f"FAIL {name}")
        for p in problems:
            for line in str(p).splitlines():
                print("    " + line)
    else:
        passed += 1
        print(f"ok {name}")


def run(args):
    try:
        return subprocess.run([program] + args, capture_output=True, timeout=timeout, cwd=tmp)
    except subprocess.TimeoutExpired:
        return None


def examples():
    """(fence line, [(marker line, kind, attrs)], xml text) for each marked block."""
    with open(guide, encoding="utf-8") as f:
        lines = f.read().split("\n")
    found = []
    pending = []
    i = 0
    while i < len(lines):
        m = MARKER.match(lines[i])
        if m:
            body = m.group(1)
            kind = body.split()[0] if body and not body.startswith(("error=",)) else "error"
            pending.append((i + 1, kind, attributes(body)))
            i += 1
            continue
        if pending and lines[i].strip() == "```xml":
            start = i + 1
            j = start
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            found.append((start, pending, "\n".join(lines[start:j]) + "\n"))
            pending = []
            i = j + 1
            continue
        if pending and lines[i].strip():
            for line, kind, _ in pending:
                report(f"guide-marker-{line}", [f"doc/rules.md:{line}: the marker is not followed by a ```xml block"])
            pending = []
        i += 1
    for line, kind, _ in pending:
        report(f"guide-marker-{line}", [f"doc/rules.md:{line}: the marker is not followed by a ```xml block"])
    return found


blocks = examples()
if not blocks:
    report("guide-has-examples", ["doc/rules.md has no example marked fivewhys-test"])

for fence, markers, xml in blocks:
    name = f"guide-{fence}"
    if selected and not any(s in name for s in selected):
        continue
    path = os.path.join(tmp, f"example-{fence}.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(xml)
    for line, kind, attrs in markers:
        test = f"{name}-{kind}" + (f"-{line}" if kind != "check" else "")
        problems = []
        if kind == "check":
            r = run(["check", motivations, os.path.basename(path)])
            if r is None:
                problems.append("timed out")
            else:
                err = r.stderr.decode("utf-8", "replace")
                if r.returncode != 0 or "0 errors, 0 warnings" not in err:
                    problems.append(f"doc/rules.md:{fence}: the example does not check clean (exit {r.returncode}):\n{err}")
        elif kind == "error":
            want = attrs.get("error", "")
            r = run(["check", motivations, os.path.basename(path)])
            if r is None:
                problems.append("timed out")
            else:
                err = r.stderr.decode("utf-8", "replace")
                if r.returncode != 1:
                    problems.append(f"check exits {r.returncode}, expected 1")
                if want not in err:
                    problems.append(f"doc/rules.md:{line}: check does not say \"{want}\"; it says:\n{err}")
        elif kind == "ask":
            answers = [a.strip() for a in attrs.get("answers", "").split(" | ")] if attrs.get("answers") else []
            answer_file = os.path.join(tmp, "answers")
            with open(answer_file, "w", encoding="utf-8") as f:
                f.write("".join(a + "\n" for a in answers))
            r = run(["ask", "-r", motivations, "-r", path, "--need", attrs.get("need", ""), "--answers", answer_file, "--json"])
            if r is None:
                problems.append("timed out")
            elif r.returncode != 0:
                problems.append(f"ask exits {r.returncode}: {r.stderr.decode('utf-8', 'replace')}")
            else:
                session = json.loads(r.stdout)
                got = {
                    "rungs": " ".join(s["rung"] for s in session["steps"] if s["rung"]),
                    "status": session["status"],
                    "motivation": session["motivation"] or "null",
                }
                for key in ("rungs", "status", "motivation"):
                    if key in attrs and attrs[key] != got[key]:
                        problems.append(f"doc/rules.md:{line}: {key} is '{got[key]}', the guide says '{attrs[key]}'")
                if problems:
                    for s in session["steps"]:
                        problems.append(f"  {s['kind']} {s['rung']} <- {s['answer']}")
        else:
            problems.append(f"doc/rules.md:{line}: unknown marker '{kind}' (check, error=, ask)")
        report(test, problems)

print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)
EOF
exit $?
