#!/bin/sh
# ask-cases.sh: runs every transcript of tests/cases/ask through the real
# `fivewhys ask --json` and checks the ladder it climbed. The format is in
# tests/cases/ask/README. Arguments select cases by name; --gaps runs the
# cases of tests/cases/ask/gaps instead (answers the rules do not handle
# yet: they are expected to fail, and one that passes is ready to move up).
. "$(dirname "$0")/lib.sh"

# Not exec: the shell's exit trap removes $FW_TMP.
FW_TMP=$FW_TMP FW_TIMEOUT=$FW_TIMEOUT python3 - "$@" <<'EOF'
import glob
import json
import os
import re
import subprocess
import sys

top = os.environ["TOP_SRCDIR"]
program = os.environ["FIVEWHYS"]
tmp = os.environ["FW_TMP"]
timeout = int(os.environ["FW_TIMEOUT"])

args = sys.argv[1:]
folder = os.path.join(top, "tests", "cases", "ask")
if "--gaps" in args:
    args.remove("--gaps")
    folder = os.path.join(folder, "gaps")

KEYS = {"need", "answer", "rules", "ruleset", "max-misses", "rungs", "kinds", "depth", "motivation", "status"}


def unescape(text):
    """\\xHH is that byte, \\\\ a backslash; the rest is UTF-8."""
    out = bytearray()
    i = 0
    raw = text.encode("utf-8")
    while i < len(raw):
        if raw[i:i + 2] == b"\\x" and re.fullmatch(rb"[0-9a-fA-F]{2}", raw[i + 2:i + 4] or b""):
            out.append(int(raw[i + 2:i + 4], 16))
            i += 4
        elif raw[i:i + 2] == b"\\\\":
            out.append(0x5C)
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)


def parse(path):
    case = {"answer": []}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition(":")
            if not sep or key not in KEYS:
                raise ValueError(f"{os.path.basename(path)}:{number}: expected 'key: value' with a key of {sorted(KEYS)}")
            value = value[1:] if value.startswith(" ") else value
            if key == "answer":
                case["answer"].append(unescape(value))
            elif key in case:
                raise ValueError(f"{os.path.basename(path)}:{number}: '{key}' given twice")
            else:
                case[key] = value.strip()
    for key in ("need", "status"):
        if key not in case:
            raise ValueError(f"{os.path.basename(path)}: no '{key}:' line")
    return case


def check(case):
    """Runs the case; returns a list of problems (empty when it passes)."""
    problems = []
    answers = os.path.join(tmp, "answers")
    with open(answers, "wb") as f:
        for a in case["answer"]:
            f.write(a + b"\n")
    rules = case.get("rules", "rules/motivations.xml rules/home-loan.xml").split()
    command = [program, "ask", "--need", case["need"], "--answers", answers, "--json"]
    for r in rules:
        command += ["-r", os.path.join(top, r)]
    if "max-misses" in case:
        command += ["--max-misses", case["max-misses"]]
    try:
        run = subprocess.run(command, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [f"timed out after {timeout}s"]
    except OSError as e:
        return [f"cannot run {program}: {e}"]
    if run.returncode != 0:
        problems.append(f"exit status {run.returncode}, expected 0")
    if run.stderr:
        problems.append("stderr: " + run.stderr.decode("utf-8", "replace").strip())
    try:
        session = json.loads(run.stdout)
    except ValueError as e:
        return problems + [f"stdout is not JSON ({e}): {run.stdout[:500]!r}"]

    for key in ("need", "depth", "motivation", "status", "steps"):
        if key not in session:
            problems.append(f"the session has no '{key}'")
    if problems:
        return problems
    steps = session["steps"]
    got = {
        "ruleset": session["need"],
        "rungs": " ".join(s["rung"] for s in steps if s.get("rung")),
        "kinds": " ".join(s.get("kind", "?") for s in steps),
        "depth": str(session["depth"]),
        "motivation": session["motivation"] if session["motivation"] is not None else "null",
        "status": session["status"],
    }
    want = dict(case)
    want.setdefault("ruleset", "home-loan")
    for key in ("ruleset", "rungs", "kinds", "depth", "motivation", "status"):
        if key in want and want[key] != got[key]:
            problems.append(f"{key}: got '{got[key]}', expected '{want[key]}'")

    # What every session must hold, whatever the case asserts.
    if len(steps) > len(case["answer"]):
        problems.append(f"{len(steps)} steps for {len(case['answer'])} answers")
    previous = None
    for i, step in enumerate(steps):
        question = step.get("question")
        if question == previous:
            problems.append(f"step {i + 1} asks \"{question}\" again")
        previous = question
        if step.get("rung") is not None:
            evidence = step.get("evidence") or {}
            quoted = step["answer"].encode("utf-8")[evidence.get("start", 0):evidence.get("end", 0)]
            if quoted.decode("utf-8", "replace") != evidence.get("text"):
                problems.append(f"step {i + 1}: evidence \"{evidence.get('text')}\" is not bytes "
                                f"{evidence.get('start')}-{evidence.get('end')} of the answer")
    if session["status"] == "reached" and session["motivation"] is None:
        problems.append("reached without a motivation")
    if session["status"] != "reached" and session["motivation"] is not None:
        problems.append(f"motivation '{session['motivation']}' without reaching it")
    if problems:
        problems.append("steps:")
        for s in steps:
            problems.append(f"  {s.get('kind')} {s.get('rung')} \"{(s.get('evidence') or {}).get('text', '')}\" <- {s['answer']}")
    return problems


passed = failed = 0
paths = sorted(glob.glob(os.path.join(folder, "*.test")))
for path in paths:
    name = os.path.basename(path)[:-len(".test")]
    if args and not any(a in name for a in args):
        continue
    try:
        problems = check(parse(path))
    except ValueError as e:
        problems = [str(e)]
    if problems:
        failed += 1
        print(f"FAIL {name}")
        for p in problems:
            print("    " + p)
    else:
        passed += 1
        print(f"ok {name}")
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)
EOF
exit $?
