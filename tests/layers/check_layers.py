#!/usr/bin/env python3
"""The layer rule of include/twolayer: a header never includes one from a higher layer, and the
headers' includes form no cycle.

Layers, lowest first (one number each; headers of one layer may include each other):
    format < core < arch < kernels < model < train, teacher, analysis, io < experiment
The umbrella header twolayer.hpp sits on top of everything and reaches every header (directly or
through the headers it includes, conditional includes counted).

    check_layers.py INCLUDE_DIR     check include/twolayer; exit 1 and one line per violation
    check_layers.py --self-test     check that the checker finds a planted violation and cycle
"""
import os
import re
import sys
import tempfile

RANK = {"format": 0, "core": 1, "arch": 2, "kernels": 3, "model": 4,
        "train": 5, "teacher": 5, "analysis": 5, "io": 5, "experiment": 6}
TOP = 7  # twolayer.hpp
INCLUDE = re.compile(r'^\s*#\s*include\s*"twolayer/([^"]+)"', re.M)


def layer_of(rel):
    """Layer rank of a header path relative to include/twolayer; None for an unknown folder."""
    head = rel.split("/")[0]
    if "/" not in rel:
        return TOP if rel == "twolayer.hpp" else None
    return RANK.get(head)


def read_headers(root):
    """{relative path: [included relative paths]} for every .hpp under root/twolayer."""
    base = os.path.join(root, "twolayer")
    graph = {}
    for dirpath, _, files in os.walk(base):
        for f in files:
            if not f.endswith(".hpp"):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, base).replace(os.sep, "/")
            # Comments may name headers; only real directives count.
            text = open(path, encoding="utf-8").read()
            graph[rel] = INCLUDE.findall(text)
    return graph


def find_cycle(graph):
    """One include cycle as a list of headers, or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt in graph and state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def violations(root):
    """Every broken rule, one message each."""
    graph = read_headers(root)
    out = []
    for rel in sorted(graph):
        mine = layer_of(rel)
        if mine is None:
            out.append(f"{rel}: folder not in the layer table (tests/layers/check_layers.py)")
            continue
        for inc in graph[rel]:
            if inc not in graph:
                out.append(f"{rel}: includes twolayer/{inc}, which does not exist")
                continue
            theirs = layer_of(inc)
            if theirs is not None and theirs > mine:
                out.append(f"{rel} (layer {rel.split('/')[0]}) includes twolayer/{inc} "
                           f"from the higher layer {inc.split('/')[0]}")
    if "twolayer.hpp" in graph:
        reach, todo = set(), ["twolayer.hpp"]
        while todo:
            h = todo.pop()
            if h in reach or h not in graph:
                continue
            reach.add(h)
            todo.extend(graph[h])
        for rel in sorted(set(graph) - reach):
            out.append(f"{rel}: not reached from twolayer.hpp (the umbrella must bring the whole library)")
    cycle = find_cycle(graph)
    if cycle:
        out.append("include cycle: " + " -> ".join(cycle))
    return out, len(graph)


def self_test():
    """The checker must catch a planted upward include and a planted cycle, and pass a clean tree."""
    def tree(files):
        root = tempfile.mkdtemp()
        for rel, text in files.items():
            path = os.path.join(root, "twolayer", rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "w").write(text)
        return root
    clean = tree({"format/a.hpp": "", "kernels/k.hpp": '#include "twolayer/format/a.hpp"\n'})
    upward = tree({"format/a.hpp": '#include "twolayer/kernels/k.hpp"\n', "kernels/k.hpp": ""})
    cycle = tree({"arch/a.hpp": '#include "twolayer/arch/b.hpp"\n', "arch/b.hpp": '#include "twolayer/arch/a.hpp"\n'})
    ok = (not violations(clean)[0] and any("higher layer" in v for v in violations(upward)[0])
          and any("include cycle" in v for v in violations(cycle)[0]))
    print("check_layers self-test:", "1 passed, 0 failed" if ok else "0 passed, 1 failed")
    return 0 if ok else 1


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    found, count = violations(sys.argv[1])
    for v in found:
        print(v)
    print(f"check_layers: {count} headers, {len(found)} violations")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
