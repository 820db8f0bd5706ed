"""Split command lines and environment values as supervisord does.

Run with /usr/bin/python3: reads a JSON list of texts on stdin and prints,
for each, {"argv": shlex.split(text)} (the spawn-time split) and
{"env": [[k, v]...]} (datatypes.dict_of_key_value_pairs), with null for
either when Python raises.
"""
import json
import shlex
import sys

from supervisor.datatypes import dict_of_key_value_pairs

out = []
for text in json.load(sys.stdin):
    d = {}
    try:
        d['argv'] = shlex.split(text)
    except ValueError:
        d['argv'] = None
    try:
        d['env'] = [[k, v] for k, v in dict_of_key_value_pairs(text).items()]
    except ValueError:
        d['env'] = None
    out.append(d)
json.dump(out, sys.stdout)
