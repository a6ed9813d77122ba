#!/usr/bin/env python3
"""Prints the README's environment-variable table from config.example.yml: every ${VAR:-default}
with the setting it fills (YAML path) and its default. ReadmeConfigTest checks the README lists
every variable the example config reads; run this and paste when you add one."""
import re, sys, pathlib
root = pathlib.Path(__file__).resolve().parent.parent
rows, path = [], []
for line in (root / "config.example.yml").read_text().splitlines():
    if not line.strip() or line.lstrip().startswith("#"):
        continue
    m = re.match(r"^(\s*)(- )?([A-Za-z_][\w.-]*):", line)
    if m:
        depth = len(m.group(1)) // 2
        if m.group(2):  # "- key:" opens a list item: its fields sit one level deeper
            path = path[:depth] + ["[]", m.group(3)]
        else:
            path = path[:depth] + [m.group(3)]
    for var, default in re.findall(r"\$\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?\}", line):
        if var == "VAR":
            continue
        shown = "(required)" if default is None or (default == "" and ":-" not in line) else (f"`{default}`" if default else "empty")
        rows.append((var, ".".join(path).replace(".[]", "[]"), shown))
seen = set()
print("| variable | setting | default |")
print("|---|---|---|")
for var, setting, default in rows:
    if var in seen:
        continue
    seen.add(var)
    print(f"| `{var}` | `{setting}` | {default} |")
