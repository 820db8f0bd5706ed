"""Runs pieces of Python supervisor 4.2.5 for logcap's differential tests.

Reads one JSON request from stdin and writes one JSON answer to stdout;
bytes travel as latin-1 strings.
"""
import json
import os
import re
import sys

from supervisor import loggers
from supervisor.dispatchers import stripEscapes
from supervisor.options import readFile, tailFile


def strip(inputs):
    return [stripEscapes(s.encode('latin-1')).decode('latin-1') for s in inputs]


def read(path, cases):
    out = []
    for offset, length in cases:
        try:
            out.append(readFile(path, offset, length).decode('latin-1'))
        except ValueError as e:
            out.append('ERR ' + e.args[0])
    return out


def tail(path, cases):
    return [[d, o, v] for d, o, v in (tailFile(path, a, b) for a, b in cases)]


def rotate(path, maxbytes, backups, writes):
    h = loggers.RotatingFileHandler(path, 'ab', maxbytes, backups)
    h.setFormat('%(message)s')
    for w in writes:
        h.emit(loggers.LogRecord(loggers.LevelsByName.INFO, w.encode('latin-1')))
    h.close()
    d = os.path.dirname(path)
    return {n: open(os.path.join(d, n), 'rb').read().decode('latin-1')
            for n in sorted(os.listdir(d))}


def clean(identifier, names):
    fnre = re.compile(r'.+?---%s-\S+\.log\.{0,1}\d{0,4}' % identifier)
    return [n for n in names if fnre.match(n)]


req = json.load(sys.stdin)
op = req.pop('op')
json.dump(globals()[op](**req), sys.stdout)
