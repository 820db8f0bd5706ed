"""Expand texts with Python's %-formatting, as supervisord does.

Run with /usr/bin/python3: reads {"names": {...}, "texts": [...]} as JSON
on stdin and prints, for each text, its expansion or null when Python
raises.
"""
import json
import sys

req = json.load(sys.stdin)
out = []
for text in req['texts']:
    try:
        out.append(text % req['names'])
    except Exception:
        out.append(None)
json.dump(out, sys.stdout)
