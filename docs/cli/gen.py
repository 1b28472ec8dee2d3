#!/usr/bin/env python3
"""Generate the help text, the man page and the command reference of `youth` from docs/cli/.

The files of docs/cli/ are the one description of the command-line tool (docs/cli/README.md
explains their format).  This script turns them into:

    gen.py DIR header OUT             the C header of the help strings (examples/youth/cli-doc.h)
    gen.py DIR man OUT VERSION        the man page youth.1, from DIR/youth.1.in
    gen.py DIR markdown FILE          rewrite the command reference region of FILE (docs/cli.md)
    gen.py DIR check-markdown FILE    exit 1 when that region differs from what would be written
    gen.py DIR help [COMMAND...]      print what `youth [COMMAND] --help` prints
    gen.py DIR help-files OUTDIR      the same for every command, in OUTDIR/person_add.help...
    gen.py DIR list                   print every command, one a line, in the order of the docs

Only the Python standard library is used, so a fresh Debian machine (python3) runs it.
"""

import os
import re
import sys

BLOCK_KEYS = ("help", "details")
RECORD_KEYS = ("command", "snippet", "program")
HEADER_KEYS = {
    "command": ("summary", "usage", "columns"),
    "snippet": ("reference",),
    "program": ("order",),
}
REGION_BEGIN = ("<!-- Command reference: generated from docs/cli/*.txt by docs/cli/gen.py. "
                "Edit those files, then run `make update-cli-md`; tests/cli/test_docs.sh fails "
                "while this region is stale. -->")
REGION_END = "<!-- End of the generated command reference. -->"


class DocError(Exception):
    """A file of docs/cli/ that cannot be read; the message names the file and line."""


class Record:
    """One `command:`, `snippet:` or `program:` record: header fields and verbatim blocks."""

    def __init__(self, kind, name, where):
        self.kind, self.name, self.where = kind, name, where
        self.fields = {}
        self.blocks = {}


def parse_file(path):
    """Split one file into records: header lines `key: value`, then verbatim blocks."""
    records = []
    rec = None
    block = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for no, line in enumerate(lines, 1):
        where = "%s:%d" % (path, no)
        m = re.match(r"([a-z]+):(?: (.*))?$", line)
        key = m.group(1) if m else None
        if key in RECORD_KEYS:
            rec = Record(key, (m.group(2) or "").strip(), where)
            records.append(rec)
            block = None
            continue
        if rec is not None and key in BLOCK_KEYS and not (m.group(2) or "").strip():
            if key in rec.blocks:
                raise DocError("%s: second %s: block" % (where, key))
            block = rec.blocks[key] = []
            continue
        if block is not None:
            block.append(line)
            continue
        if line.startswith("#") or not line.strip():
            continue
        if rec is None or key not in HEADER_KEYS[rec.kind]:
            raise DocError("%s: expected one of %s, got %r" % (
                where, ", ".join(HEADER_KEYS[rec.kind] if rec else RECORD_KEYS), line))
        value = (m.group(2) or "").strip()
        rec.fields[key] = (rec.fields[key] + " " + value) if key in rec.fields else value
    for rec in records:
        for key, lines in rec.blocks.items():
            while lines and not lines[-1].strip():
                lines.pop()
            rec.blocks[key] = "".join(l + "\n" for l in lines)
    return records


class Docs:
    """Every record of DIR, checked: the commands in the order of the program's `order`."""

    def __init__(self, d):
        self.dir = d
        self.snippets = {}
        for rec in parse_file(os.path.join(d, "snippets.txt")):
            self.snippets[rec.name] = rec
        progs = parse_file(os.path.join(d, "youth.txt"))
        if len(progs) != 1 or progs[0].kind != "program":
            raise DocError("%s/youth.txt: expected one program: record" % d)
        self.program = progs[0]
        self.commands = []
        seen = set()
        order = self.program.fields.get("order", "").split()
        listed = sorted(f[:-4] for f in os.listdir(d) if f.endswith(".txt")
                        and f not in ("youth.txt", "snippets.txt"))
        if sorted(order) != listed:
            raise DocError("%s/youth.txt: order: lists %s, the folder holds %s" % (
                d, " ".join(sorted(order)), " ".join(listed)))
        for name in order:
            for rec in parse_file(os.path.join(d, name + ".txt")):
                if rec.kind != "command":
                    raise DocError("%s: only command: records here" % rec.where)
                if rec.name != name and not rec.name.startswith(name + " "):
                    raise DocError("%s: command %r does not belong in %s.txt" % (
                        rec.where, rec.name, name))
                if rec.name in seen:
                    raise DocError("%s: command %r described twice" % (rec.where, rec.name))
                seen.add(rec.name)
                for key in ("summary", "usage"):
                    if key not in rec.fields:
                        raise DocError("%s: %s: missing" % (rec.where, key))
                if "help" not in rec.blocks:
                    raise DocError("%s: help: missing" % rec.where)
                self.commands.append(rec)
        self.names = [c.name for c in self.commands]

    def expand(self, rec, text, keep=lambda snippet: True):
        """Replace each line `@NAME` by the text of snippet NAME."""
        out = []
        for line in text.split("\n"):
            if line.startswith("@") and line != "@commands":
                snip = self.snippets.get(line[1:])
                if snip is None:
                    raise DocError("%s: unknown snippet %s" % (rec.where, line))
                if keep(snip):
                    out.append(snip.blocks["help"][:-1])
            else:
                out.append(line)
        return "\n".join(out)

    def help(self, rec):
        return self.expand(rec, rec.blocks["help"])

    def usage_line(self, rec):
        usage = rec.fields["usage"]
        return "usage: youth [-r FILE] %s%s\n" % (rec.name, " " + usage if usage else "")

    def main_help(self):
        """The text of `youth --help` before and after the list of commands."""
        head, sep, tail = self.program.blocks["help"].partition("@commands\n")
        if not sep:
            raise DocError("%s: the help of the program has no @commands line" %
                           self.program.where)
        return "usage: youth [-r FILE] COMMAND [ARGS]\n\n" + head, tail

    def parents(self):
        """Commands that dispatch to subcommands of their own ("group member")."""
        return {n for n in self.names if any(o.startswith(n + " ") for o in self.names)}


def split_help(docs, rec):
    """(description, [(option spec, help)]) of a command, without the global options."""
    text = docs.expand(rec, rec.blocks["help"], lambda s: s.fields.get("reference") != "no")
    desc, sep, opts = text.partition("Options:\n")
    options = []
    for line in opts.split("\n") if sep else []:
        if not line.strip():
            continue
        m = re.match(r" +(-\S.*?)(?: {2,}(\S.*))?$", line)
        if m:
            options.append([m.group(1), m.group(2) or ""])
        elif options and line.startswith("      "):
            options[-1][1] += " " + line.strip()
        else:
            raise DocError("%s: cannot read the option line %r" % (rec.where, line))
    return desc.rstrip("\n"), options


# ---- C header -------------------------------------------------------------------------------

def c_string(text, indent="\t"):
    if not text:
        return indent + '""'
    parts = []
    for line in text.splitlines(True):
        s = line.replace("\\", "\\\\").replace('"', '\\"').replace("?", "\\?")
        parts.append('%s"%s"' % (indent, s.replace("\n", "\\n")))
    return " \\\n".join(parts)


OPTION_SPEC = re.compile(r"(?:-([A-Za-z]), )?--([a-z][a-z0-9-]*)( \S+)?$")


def command_options(docs, rec):
    """[(long name, short letter or "", takes a value)] of every option the help of @p rec
    describes, the common ones included: the table the tool parses the command line with, so
    that an option is described once, here."""
    text = docs.help(rec)
    head, sep, opts = text.partition("Options:\n")
    out = []
    for line in opts.split("\n") if sep else []:
        m = re.match(r" +(-\S.*?)(?: {2,}\S.*)?$", line)
        if not m or line.startswith("        "):
            continue
        spec = OPTION_SPEC.match(m.group(1))
        if not spec:
            raise DocError("%s: cannot read the option %r" % (rec.where, m.group(1)))
        name = spec.group(2)
        if any(o[0] == name for o in out):
            raise DocError("%s: option --%s described twice" % (rec.where, name))
        out.append((name, spec.group(1) or "", spec.group(3) is not None))
    return out


COLUMN_TYPES = {"str": "OUT_STR", "int": "OUT_INT", "bool": "OUT_BOOL"}
COLUMN_WHERE = {"": "OUT_EVERYWHERE", "table": "OUT_IN_TABLE", "machine": "OUT_IN_MACHINE"}


def command_columns(rec):
    """[(name, type, where)] of the `columns:` of @p rec: the output columns of a command that
    prints rows, each `NAME[:TYPE[:WHERE]]` (TYPE str, int or bool; WHERE table or machine, for
    a column only the table or only csv and json show; both by default)."""
    out = []
    for word in rec.fields.get("columns", "").split():
        name, _, rest = word.partition(":")
        typ, _, where = rest.partition(":")
        typ = typ or "str"
        if not name or typ not in COLUMN_TYPES or where not in COLUMN_WHERE:
            raise DocError("%s: cannot read the column %r (NAME[:str|int|bool[:table|machine]])"
                           % (rec.where, word))
        if any(c[0] == name for c in out):
            raise DocError("%s: column %s listed twice" % (rec.where, name))
        out.append((name, typ, where))
    return out


def columns_text(cols):
    """The columns of a command for the reader, in the order each format shows them."""
    table = [n for n, _, w in cols if w != "machine"]
    machine = [n for n, _, w in cols if w != "table"]
    if table == machine:
        return "Columns: %s." % ", ".join(table)
    return "Columns of the table: %s. Of csv and json: %s." % (", ".join(table),
                                                              ", ".join(machine))


def c_options(opts):
    """A compound literal of cli_opt (examples/youth/cli.h) for a command's options."""
    rows = ", ".join('{"%s", %s, %d}' % (n, "'%s'" % l if l else "0", int(a))
                     for n, l, a in opts)
    return "(const cli_opt[]){%s}, %d" % (rows, len(opts))


def gen_header(docs):
    out = ["/*",
           " * cli-doc.h - the help text of every `youth` command.",
           " *",
           " * Generated by docs/cli/gen.py from the files of docs/cli/, which also give the man",
           " * page and the command reference of docs/cli.md: edit those files, not this one.",
           " * CLI_DOC_<command> expands to the synopsis, summary, help and option fields of",
           " * cli_command: the options a command accepts are the ones its help describes.",
           " */",
           "#ifndef YOUTH_CLI_DOC_H",
           "#define YOUTH_CLI_DOC_H",
           ""]
    head, tail = docs.main_help()
    out.append("#define CLI_DOC_MAIN_HEAD \\\n%s" % c_string(head))
    out.append("#define CLI_DOC_MAIN_TAIL \\\n%s" % c_string(tail))
    most = 0
    for rec in docs.commands:
        ident = re.sub(r"[^A-Za-z0-9]", "_", rec.name)
        opts = command_options(docs, rec)
        most = max(most, len(opts))
        out.append("#define CLI_DOC_%s \\\n%s, \\\n%s, \\\n%s, \\\n\t%s" % (
            ident, c_string(rec.fields["usage"]), c_string(rec.fields["summary"]),
            c_string(docs.help(rec)), c_options(opts)))
    out.append("/* The output columns of the commands that list rows (their `columns:`): the")
    out.append(" * initialisers of an out_column array (examples/youth/output.h). */")
    for rec in docs.commands:
        cols = command_columns(rec)
        if cols:
            out.append("#define CLI_COLUMNS_%s \\\n%s" % (
                re.sub(r"[^A-Za-z0-9]", "_", rec.name), ", \\\n".join(
                    '\t{"%s", %s, %s}' % (n, COLUMN_TYPES[t], COLUMN_WHERE[w])
                    for n, t, w in cols)))
    out.append("/* The most options a command has. */")
    out.append("#define CLI_DOC_MAX_OPTS %d" % most)
    # The command table of main.c and its functions: `group name` runs cmd_group_name.
    table = [rec.name for rec in docs.commands if rec.name.count(" ") < 2]
    funcs = ["cmd_" + re.sub(r"[^A-Za-z0-9]", "_", name) for name in table]
    out.append("/* The function of every command of the table: cmd_<group>_<name>. */")
    out.append("#define CLI_DOC_PROTOTYPES \\\n" + " \\\n".join(
        "\tint %s(struct cli_ctx *, const struct cli_command *, int, char **);" % f
        for f in funcs))
    out.append("/* The rows of the command table, in the order of the docs. */")
    rows = []
    for name, f in zip(table, funcs):
        group, _, word = name.rpartition(" ")
        rows.append('\t{%s, "%s", %s, CLI_DOC_%s}' % ('"%s"' % group if group else "NULL", word,
                                                   f, f[len("cmd_"):]))
    out.append("#define CLI_DOC_COMMANDS \\\n" + ", \\\n".join(rows))
    out += ["", "#endif", ""]
    return "\n".join(out)


# ---- man page ------------------------------------------------------------------------------

def roff_text(text):
    """Escape running text for roff; `code` becomes bold, *words* italic."""
    def plain(s):
        s = s.replace("\\", "\\e").replace("-", "\\-").replace("\\->", "\\(->")
        return "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in s)
    out = []
    for i, part in enumerate(re.split(r"(`[^`]+`|\*[^*\s][^*]*\*)", text)):
        if i % 2 == 0:
            out.append(plain(part))
        elif part.startswith("`"):
            out.append("\\fB%s\\fP" % plain(part[1:-1]))
        else:
            out.append("\\fI%s\\fP" % plain(part[1:-1]))
    lines = "".join(out).split("\n")
    return "\n".join(("\\&" + l) if l[:1] in (".", "'") else l for l in lines)


def roff_words(spec, italic_words=("options", "override", "field")):
    """A synopsis or option spec: -x bold, METAVARS italic, literal words bold."""
    out = []
    for tok in re.split(r"(\s+|[\[\]()|,]|\.\.\.)", spec):
        if not tok:
            continue
        if tok.isspace() or tok in ("[", "]", "(", ")", "|", ",", "..."):
            out.append(roff_text(tok))
        elif tok.startswith("-") or not (re.match(r"[A-Z]", tok) or tok in italic_words):
            out.append("\\fB%s\\fP" % roff_text(tok))
        else:
            out.append("\\fI%s\\fP" % roff_text(tok))
    return "".join(out)


def roff_paragraphs(text):
    """Blank lines separate paragraphs; lines indented by 4 spaces are shown as typed (the
    `[exit N]` line of an example is for the docs runner only)."""
    out = []
    code = False
    for line in text.split("\n"):
        if line.startswith("    ") and EXIT_LINE.match(line[4:]):
            continue
        if line.startswith("    "):
            if not code:
                out += [".PP", ".RS", ".nf"]
                code = True
            out.append(roff_text(line[4:]))
            continue
        if code:
            out += [".fi", ".RE"]
            code = False
        if not line.strip():
            if out and out[-1] != ".PP":
                out.append(".PP")
        else:
            out.append(roff_text(line))
    if code:
        out += [".fi", ".RE"]
    while out and out[-1] == ".PP":
        out.pop()
    return out


def gen_man(docs, version):
    with open(os.path.join(docs.dir, "youth.1.in"), encoding="utf-8") as f:
        template = f.read()
    synopsis = []
    commands = []
    parents = docs.parents()
    for rec in docs.commands:
        usage = rec.fields["usage"]
        line = "\\fByouth %s\\fP" % roff_text(rec.name)
        if usage:
            line += " " + roff_words(usage)
        if rec.name not in parents:
            synopsis += [line, ".br"]
        desc, options = split_help(docs, rec)
        commands.append(".SS %s" % roff_text("youth " + rec.name))
        if usage:
            commands += [line, ".PP"]
        commands += roff_paragraphs(desc)
        for spec, text in options:
            commands += [".TP", roff_words(spec), roff_text(text) if text else ""]
        if "columns" in rec.fields:
            commands += [".PP", roff_text(columns_text(command_columns(rec)))]
        if "details" in rec.blocks:
            commands += [".PP"] + roff_paragraphs(rec.blocks["details"].rstrip("\n"))
    if synopsis:
        synopsis.pop()
    page = template.replace("@VERSION@", version)
    page = page.replace("@SYNOPSIS@\n", "\n".join(synopsis) + "\n")
    page = page.replace("@COMMANDS@\n", "\n".join(l for l in commands if l != "") + "\n")
    m = re.search(r"@[A-Z]+@", page)
    if m:
        raise DocError("youth.1.in: unknown placeholder %s" % m.group(0))
    return page


# ---- markdown ------------------------------------------------------------------------------

# The end of an example that fails: `[exit 1]` after its output.
EXIT_LINE = re.compile(r"\[exit (\d+)\]$")


def md_example(lines):
    """The lines of one shown-as-typed paragraph (indent removed) as fenced blocks.

    A paragraph with `$ COMMAND` lines is an example that docs/cli.md runs: the commands (a
    line ending in a backslash goes on in the next) become a ```sh block, the lines after a
    command up to the next command its expected output (a ```text block), and `[exit N]`
    after the output says the last command exits with N.  A paragraph without commands is
    shown only (a ```text block that follows no runnable block).
    """
    if not any(l.startswith("$ ") for l in lines):
        return ["```text"] + lines + ["```"]
    out = []
    cmds, expected, status = [], [], None
    cont = False

    def flush():
        if not cmds:
            return
        out.extend(["```sh" + (" status=%s" % status if status else "")] + cmds + ["```", ""])
        if expected:
            out.extend(["```text"] + expected + ["```", ""])

    for line in lines:
        m = EXIT_LINE.match(line)
        if cont:
            cmds.append(line)
            cont = line.endswith("\\")
        elif line.startswith("$ "):
            if expected or status:
                flush()
                cmds, expected, status = [], [], None
            cmds.append(line[2:])
            cont = line.endswith("\\")
        elif m:
            status = m.group(1)
        else:
            expected.append(line)
    flush()
    return out[:-1]


def md_details(text):
    """Details for docs/cli.md: paragraphs as written, examples as fenced blocks (md_example)."""
    out, shown = [], []
    for line in text.split("\n") + [""]:
        if line.startswith("    "):
            shown.append(line[4:])
            continue
        if shown and line.strip():
            raise DocError("details: a line shown as typed must end its paragraph: %r" % line)
        if shown:
            out.extend(md_example(shown))
            shown = []
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out)

def md_text(text):
    """Help text as Markdown: a line that Markdown would read as a list or heading is escaped."""
    out = []
    for line in text.split("\n"):
        if re.match(r"([-+*#>]|\d+\.)( |$)|[-=]+$", line):
            line = "\\" + line
        out.append(line)
    return "\n".join(out)


def gen_markdown(docs):
    out = [REGION_BEGIN, ""]
    if "details" in docs.program.blocks:
        out += [md_details(docs.program.blocks["details"]), ""]
    for rec in docs.commands:
        desc, options = split_help(docs, rec)
        out += ["### youth %s" % rec.name, "",
                "```text", docs.usage_line(rec)[len("usage: "):].rstrip("\n"), "```", "",
                md_text(desc), ""]
        if options:
            for spec, text in options:
                out.append("- `%s`%s" % (spec, ": " + text if text else ""))
            out.append("")
        if "columns" in rec.fields:
            out += [columns_text(command_columns(rec)), ""]
        if "details" in rec.blocks:
            out += [md_details(rec.blocks["details"]), ""]
    out.append(REGION_END)
    return "\n".join(out) + "\n"


def replace_region(text, region):
    begin = text.find(REGION_BEGIN)
    end = text.find(REGION_END)
    if begin < 0 or end < begin:
        raise DocError("the markers of the command reference region are missing")
    return text[:begin] + region + text[end + len(REGION_END) + 1:]


# ---- help text, as the tool prints it ------------------------------------------------------

def help_texts(docs):
    """{command: what `youth COMMAND --help` prints}; "" is the program, `youth --help`."""
    head, tail = docs.main_help()
    listed = "".join("  %-22s  %s\n" % (rec.name, rec.fields["summary"])
                     for rec in docs.commands if rec.name.count(" ") < 2)
    texts = {"": head + listed + tail}
    for rec in docs.commands:
        texts[rec.name] = docs.usage_line(rec) + "\n" + docs.help(rec)
    return texts


# ---- main ----------------------------------------------------------------------------------

def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    docs = Docs(argv[1])
    mode, args = argv[2], argv[3:]
    if mode == "header" and len(args) == 1:
        write(args[0], gen_header(docs))
    elif mode == "man" and len(args) == 2:
        write(args[0], gen_man(docs, args[1]))
    elif mode in ("markdown", "check-markdown") and len(args) == 1:
        with open(args[0], encoding="utf-8") as f:
            old = f.read()
        new = replace_region(old, gen_markdown(docs))
        if mode == "markdown":
            if new != old:
                write(args[0], new)
        elif new != old:
            sys.stderr.write("%s: the command reference is stale: run `make update-cli-md`\n"
                             % args[0])
            return 1
    elif mode == "help":
        texts = help_texts(docs)
        name = " ".join(args)
        if name not in texts:
            sys.stderr.write("gen.py: no command %r\n" % name)
            return 1
        sys.stdout.write(texts[name])
    elif mode == "help-files" and len(args) == 1:
        for name, text in help_texts(docs).items():
            write(os.path.join(args[0], (name or "youth").replace(" ", "_") + ".help"), text)
    elif mode == "list" and not args:
        sys.stdout.write("".join(n + "\n" for n in docs.names))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except DocError as e:
        sys.stderr.write("gen.py: %s\n" % e)
        sys.exit(1)
