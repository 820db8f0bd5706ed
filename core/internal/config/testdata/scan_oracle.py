"""Read INI texts with supervisord's parser and dump what it holds.

Run with /usr/bin/python3: reads a JSON list of texts on stdin, prints a
JSON list with, for each text, {"error": true} or its sections (in order,
[DEFAULT] first) as lists of [option, value] pairs in order.
"""
import json
import os
import sys
import tempfile

from supervisor.options import UnhosedConfigParser

out = []
fd, path = tempfile.mkstemp(suffix='.conf')
os.close(fd)
for text in json.load(sys.stdin):
    # Through a file, as supervisord reads one: open() splits lines at
    # \n, \r\n and \r alike.
    with open(path, 'w', newline='') as f:
        f.write(text)
    p = UnhosedConfigParser()
    try:
        with open(path) as f:
            p.read_file(f)
    except Exception:
        out.append({'error': True})
        continue
    sections = [['DEFAULT', [[k, v] for k, v in p._defaults.items()]]]
    for name in p.sections():
        sections.append([name, [[k, v] for k, v in p._sections[name].items()]])
    out.append({'sections': sections})
os.remove(path)
json.dump(out, sys.stdout)
