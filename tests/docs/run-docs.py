#!/usr/bin/env python3
"""Run the examples of a Markdown page of libyouth's documentation, in the page's order.

Usage: run-docs.py [-v] PAGE.md

The conventions a page follows are documented in docs/README.md ("Examples that run").  In short:
```sh blocks run in one bash session per page, ```python blocks in one interpreter per page,
```c blocks are compiled against the build tree; a ```text block right after a runnable block
is its expected output (a line `...` stands for any lines); ```sh norun (any language) is shown
and not run; ```yaml file=NAME (any language) is written to NAME before the next block runs.

Every page runs in a fresh temporary directory holding examples/data (the sample gazetteer,
census and rules) and examples/sample.registry (a copy of the sample registry); the build tree's
`youth` is first on PATH and its Python package first on PYTHONPATH.

The build tree and the interpreters come from the environment `make check` gives its tests
(YOUTH_TOP_SRCDIR, YOUTH_TOP_BUILDDIR, YOUTH_PY_STAGE, YOUTH_PYTHON, YOUTH_CC,
YOUTH_SANITIZE_FLAGS); by hand, from the build directory:
    YOUTH_TOP_SRCDIR=.. YOUTH_TOP_BUILDDIR=. python3 ../tests/docs/run-docs.py ../docs/cli.md

Standard library only.  Exit status: 0 every block passed, 1 a block failed, 2 usage or setup.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

RUNNABLE = ("sh", "python", "c")
# A backtick fence's info string holds no backtick (CommonMark), so ```` ```sh ```` is inline code.
FENCE = re.compile(r"^( *)(`{3,})([^`]*)$")
# How long one block may take: a page's examples are small; a hang must not stall `make check`.
BLOCK_TIMEOUT = 300


class Block:
    """One fenced block: its language, its words after the language (norun, file=, status=)
    and its text with the fence's indentation removed."""

    def __init__(self, lang, attrs, text, line):
        self.lang = lang
        self.attrs = attrs
        self.text = text
        self.line = line
        self.expected = None  # the ```text block that follows, if any

    def attr(self, name):
        for a in self.attrs:
            if a == name:
                return True
            if a.startswith(name + "="):
                return a[len(name) + 1:]
        return None


def parse(path):
    """The fenced blocks of a page, in order; a ```text block right after a runnable one (only
    blank lines between) becomes its expected output instead of a block of its own."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks = []
    i = 0
    last_end = None  # index of the line after the previous block's closing fence
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, ticks, info = len(m.group(1)), m.group(2), m.group(3).split()
        start = i
        body = []
        i += 1
        while i < len(lines):
            line = lines[i]
            if line.strip() == ticks and line.startswith(" " * indent):
                break
            body.append(line[indent:] if line[:indent].strip() == "" else line)
            i += 1
        else:
            raise SystemExit(f"{path}:{start + 1}: fence not closed")
        i += 1
        lang = info[0] if info else ""
        blk = Block(lang, info[1:], "\n".join(body) + ("\n" if body else ""), start + 1)
        gap = lines[last_end:start] if last_end is not None else None
        last_end = i
        if (lang == "text" and blocks and blocks[-1].lang in RUNNABLE
                and blocks[-1].expected is None and not blocks[-1].attr("norun")
                and gap is not None and all(g.strip() == "" for g in gap)):
            blocks[-1].expected = blk
            continue
        blocks.append(blk)
    return blocks


def line_matches(pattern, line):
    """An expected line against an actual one: equal, where `...` inside the line stands for
    any text (a UUID, a time); trailing spaces are ignored."""
    pattern, line = pattern.rstrip(), line.rstrip()
    if "..." not in pattern:
        return pattern == line
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("...")), line,
                        re.S) is not None


def matches(expected, actual):
    """Line by line (line_matches), where an expected line `...` alone matches any lines (none
    included).  Trailing blank lines are ignored on both sides."""
    exp = expected.rstrip("\n").split("\n") if expected.strip() else []
    act = actual.rstrip("\n").split("\n") if actual.strip() else []
    memo = {}

    def at(i, j):
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(exp):
            r = j == len(act)
        elif exp[i] == "...":
            r = any(at(i + 1, k) for k in range(j, len(act) + 1))
        else:
            r = j < len(act) and line_matches(exp[i], act[j]) and at(i + 1, j + 1)
        memo[key] = r
        return r

    return at(0, 0)


# --- sh: one bash session per page ------------------------------------------------------------
# Each block runs in its own bash process (so that `set -e` can stop a block without ending the
# session); the variables, exports, functions and working directory a block leaves behind are
# saved by an EXIT trap and restored before the next block.
SH_SAVE = r"""
__docs_save() {
	__docs_rc=$?
	{
		for __v in $(compgen -v); do
			case $__v in
			BASH*|EUID|UID|PPID|SHELLOPTS|FUNCNAME|GROUPS|RANDOM|SECONDS|LINENO|HISTCMD|\
_|PIPESTATUS|OPTIND|OPTARG|SRANDOM|EPOCHSECONDS|EPOCHREALTIME|COLUMNS|LINES|__*) ;;
			*) declare -p "$__v" 2>/dev/null ;;
			esac
		done
		for __f in $(compgen -A function); do
			case $__f in __*) ;; *) declare -f "$__f" ;; esac
		done
		printf 'cd %q\n' "$PWD"
	} >"$__DOCS_STATE" 2>/dev/null
	exit $__docs_rc
}
"""


class ShellSession:
    def __init__(self, workdir, env, python_preload=""):
        self.workdir = workdir
        self.env = env
        # A sanitizer build: python3 run from a block needs the ASan runtime first too.
        self.prelude = ""
        if python_preload:
            self.prelude = ("python3() { LD_PRELOAD=%s ASAN_OPTIONS=detect_leaks=0 "
                            "command python3 \"$@\"; }\n" % shlex.quote(python_preload))
        self.state = os.path.join(workdir, ".docs-sh-state")
        with open(self.state, "w") as f:
            f.write(f"cd {shlex.quote(workdir)}\n")

    def run(self, blk):
        status = blk.attr("status")
        script = os.path.join(os.path.dirname(self.workdir), "block.sh")
        with open(script, "w", encoding="utf-8") as f:
            f.write(SH_SAVE)
            f.write(f'. "$__DOCS_STATE" 2>/dev/null\ntrap __docs_save EXIT\n')
            f.write(self.prelude)
            f.write("set -e\n" if status is None else "")
            f.write(blk.text)
        env = dict(self.env, __DOCS_STATE=self.state)
        p = subprocess.run(["bash", script], cwd=self.workdir, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=BLOCK_TIMEOUT)
        out = p.stdout.decode("utf-8", "replace")
        want = 0 if status is None else int(status)
        if p.returncode != want:
            return out, f"exit status {p.returncode}, expected {want}"
        return out, None


# --- python: one interpreter per page ---------------------------------------------------------
# The child reads one JSON request a line on stdin ({"code", "name"}), runs the code in the one
# namespace of the page with its file descriptors 1 and 2 sent to a file (so that what C prints
# is caught too), and answers one JSON line on the descriptor it was given.
PY_CHILD = r"""
import json, os, sys, traceback
answer = os.fdopen(int(sys.argv[1]), "w")
ns = {"__name__": "__main__"}
for req in sys.stdin:
    req = json.loads(req)
    sys.stdout.flush(); sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(req["out"], "wb") as out:
        os.dup2(out.fileno(), 1); os.dup2(out.fileno(), 2)
        error = None
        try:
            exec(compile(req["code"], req["name"], "exec"), ns)
        except BaseException:
            error = traceback.format_exc()
        sys.stdout.flush(); sys.stderr.flush()
        os.dup2(saved[0], 1); os.dup2(saved[1], 2)
        os.close(saved[0]); os.close(saved[1])
    answer.write(json.dumps({"error": error}) + "\n"); answer.flush()
"""


class PythonSession:
    def __init__(self, workdir, env, python, page):
        self.workdir = workdir
        self.page = page
        self.out = os.path.join(os.path.dirname(workdir), "python.out")
        r, w = os.pipe()
        self.proc = subprocess.Popen([python, "-c", PY_CHILD, str(w)], cwd=workdir, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     pass_fds=(w,), text=True)
        os.close(w)
        self.answers = os.fdopen(r)

    def run(self, blk):
        req = {"code": blk.text, "name": f"{self.page}:{blk.line}", "out": self.out}
        try:
            self.proc.stdin.write(json.dumps(req) + "\n")
            self.proc.stdin.flush()
            line = self.answers.readline()
        except BrokenPipeError:
            line = ""
        out = ""
        if os.path.exists(self.out):
            with open(self.out, "rb") as f:
                out = f.read().decode("utf-8", "replace")
        if not line:
            return out, "the Python interpreter ended"
        error = json.loads(line)["error"]
        return out, error

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=BLOCK_TIMEOUT)


# --- c: programs compiled against the build tree ----------------------------------------------
C_MAIN = re.compile(r"^\s*int\s+main\s*\(", re.M)
C_HEADERS = "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <youth.h>\n"


def c_fragment_program(fragments):
    """One program of a page's fragments: their #include lines first, then their other lines,
    in order, as the body of main."""
    includes, body = [], []
    for blk in fragments:
        body.append(f"#line {blk.line + 1} \"{blk.page}\"")
        for line in blk.text.split("\n"):
            if line.startswith("#include"):
                includes.append(line)
                body.append("")
            else:
                body.append(line)
    return (C_HEADERS + "\n".join(includes) + "\n\nint main(void)\n{\n" + "\n".join(body)
            + "\n\treturn 0;\n}\n")


class CBuilder:
    def __init__(self, workdir, env, src, build, cc, sanitize):
        self.workdir = workdir
        self.env = env
        self.src = src
        self.build = build
        self.cc = cc
        self.sanitize = sanitize
        self.n = 0

    def run(self, program):
        self.n += 1
        tag = f"docs-example-{self.n}"
        cfile = os.path.join(self.workdir, tag + ".c")
        with open(cfile, "w", encoding="utf-8") as f:
            f.write(program)
        libtool = os.path.join(self.build, "libtool")
        cmd = ([libtool, "--quiet", "--mode=link"] + shlex.split(self.cc)
               + ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter", "-Wno-unused-variable"]
               + shlex.split(self.sanitize)
               + ["-I" + os.path.join(self.src, "include"),
                  "-I" + os.path.join(self.build, "include"),
                  "-o", tag, cfile, os.path.join(self.build, "libyouth", "libyouth.la")])
        p = subprocess.run(cmd, cwd=self.workdir, env=self.env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=BLOCK_TIMEOUT)
        if p.returncode != 0:
            return p.stdout.decode("utf-8", "replace"), "does not compile:\n" + program
        p = subprocess.run([libtool, "--mode=execute", "./" + tag], cwd=self.workdir,
                           env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=BLOCK_TIMEOUT)
        for name in (cfile, os.path.join(self.workdir, tag)):
            if os.path.exists(name):
                os.remove(name)
        shutil.rmtree(os.path.join(self.workdir, ".libs"), ignore_errors=True)
        out = p.stdout.decode("utf-8", "replace")
        if p.returncode != 0:
            return out, f"exit status {p.returncode}"
        return out, None


def python_env(env, cc, sanitize):
    """The interpreter's environment: a sanitizer build of libyouth needs the ASan runtime
    loaded first (as tests/python/run-pytest.sh does), without leak checks (CPython keeps its
    objects to the end by design)."""
    env = dict(env, PYTHONDONTWRITEBYTECODE="1")
    if "address" in sanitize:
        asan = subprocess.run(shlex.split(cc) + ["-print-file-name=libasan.so"],
                              stdout=subprocess.PIPE, text=True).stdout.strip()
        env["LD_PRELOAD"] = asan + (":" + env["LD_PRELOAD"] if env.get("LD_PRELOAD") else "")
        env["ASAN_OPTIONS"] = "detect_leaks=0" + (":" + env["ASAN_OPTIONS"]
                                                  if env.get("ASAN_OPTIONS") else "")
    return env


def indent(text):
    return "".join("#   " + line + "\n" for line in text.rstrip("\n").split("\n"))


def setup_workdir(top, src, build):
    work = os.path.join(top, "page")
    os.makedirs(os.path.join(work, "examples"))
    os.symlink(os.path.join(src, "examples", "data"), os.path.join(work, "examples", "data"))
    # The example programs of the build tree (examples/describe, examples/embed), as built.
    for prog in ("describe", "embed"):
        path = os.path.join(build, "examples", prog)
        if os.path.exists(path):
            os.symlink(path, os.path.join(work, "examples", prog))
    sample = os.path.join(build, "examples", "sample.registry")
    if os.path.exists(sample):
        shutil.copyfile(sample, os.path.join(work, "examples", "sample.registry"))
    return work


def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    if len(args) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    page = args[0]
    src = os.path.abspath(os.environ.get("YOUTH_TOP_SRCDIR", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..")))
    build = os.path.abspath(os.environ.get("YOUTH_TOP_BUILDDIR", "."))
    python = os.environ.get("YOUTH_PYTHON") or sys.executable
    stage = os.environ.get("YOUTH_PY_STAGE", os.path.join(build, "bindings", "python", "stage"))
    cc = os.environ.get("YOUTH_CC", "cc")
    sanitize = os.environ.get("YOUTH_SANITIZE_FLAGS", "")
    name = os.path.relpath(os.path.abspath(page), src)

    blocks = parse(page)
    for b in blocks:
        b.page = os.path.abspath(page)

    top = tempfile.mkdtemp(prefix="youth-docs.")
    env = dict(os.environ)
    for var in ("YOUTH_REGISTRY", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(var, None)
    env["PATH"] = os.path.join(build, "examples", "youth") + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = stage + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    # The staged module finds libyouth.so relative to where it is installed, not in the build
    # tree (bindings/python/local.mk): the loader is told, as for the Python tests.
    libs = os.path.join(build, "libyouth", ".libs")
    env["LD_LIBRARY_PATH"] = libs + (os.pathsep + env["LD_LIBRARY_PATH"]
                                     if env.get("LD_LIBRARY_PATH") else "")
    env["LC_ALL"] = "C.UTF-8"
    env["HOME"] = top
    env["TMPDIR"] = top
    failures = 0
    n = 0
    py = None
    try:
        work = setup_workdir(top, src, build)
        sh = ShellSession(work, env, python_env(env, cc, sanitize).get("LD_PRELOAD", "")
                          if "address" in sanitize else "")
        cbuild = CBuilder(work, env, src, build, cc, sanitize)
        fragments = [b for b in blocks if b.lang == "c" and not b.attr("norun")
                     and not C_MAIN.search(b.text)]
        for b in blocks:
            where = f"{name}:{b.line}"
            target = b.attr("file")
            if target:
                path = os.path.join(work, target)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(b.text)
                continue
            if b.lang not in RUNNABLE or b.attr("norun"):
                continue
            if b.lang == "python" and os.environ.get("YOUTH_DOCS_NO_PYTHON"):
                n += 1
                print(f"ok {n} - {where} python # SKIP built without the Python bindings")
                continue
            if b.lang == "c" and b in fragments and b is not fragments[-1]:
                continue  # the page's fragments run together, at the last one
            n += 1
            if b.lang == "sh":
                out, error = sh.run(b)
                expected = b.expected.text if b.expected else None
            elif b.lang == "python":
                if py is None:
                    py = PythonSession(work, python_env(env, cc, sanitize), python, name)
                out, error = py.run(b)
                expected = b.expected.text if b.expected else None
            else:
                if b in fragments:
                    out, error = cbuild.run(c_fragment_program(fragments))
                    exp = [f.expected.text for f in fragments if f.expected]
                    expected = "".join(exp) if exp else None
                    where += f" (the page's {len(fragments)} C fragments, as one program)"
                else:
                    out, error = cbuild.run(b.text)
                    expected = b.expected.text if b.expected else None
            if error is None and expected is not None and not matches(expected, out):
                error = "output differs from the text block that follows it:\n" \
                    + "expected:\n" + indent(expected) + "got:"
            if error is None:
                print(f"ok {n} - {where} {b.lang}")
                if verbose and out:
                    print(indent(out), end="")
            else:
                failures += 1
                print(f"not ok {n} - {where} {b.lang}")
                print(indent(error), end="")
                print("# output:")
                print(indent(out) if out else "#   (none)\n", end="")
    except subprocess.TimeoutExpired as e:
        failures += 1
        print(f"not ok - {name}: a block ran longer than {e.timeout} s")
    finally:
        if py is not None:
            try:
                py.close()
            except Exception:
                py.proc.kill()
        shutil.rmtree(top, ignore_errors=True)
    print(f"1..{n}")
    print(f"# {name}: {n} blocks run, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
