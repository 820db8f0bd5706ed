"""Writes output.golden from output.input with the reference's own rules.

For each chunk: repr(bytes), and the data of a PROCESS_LOG payload as
supervisor/events.py builds it (as_string, else 'Undecodable: %r').
Run by `go test -run TestOutputGolden -update`.
"""
import json
import sys


def data(b):
    try:
        return b.decode('utf8')
    except UnicodeDecodeError:
        return 'Undecodable: %r' % b


def main(path):
    cases = [line.strip() for line in open(path)]
    cases = [c for c in cases if c and not c.startswith('#')]
    cases.append('all256')
    for c in cases:
        if c == 'all256':
            b = bytes(range(256))
        elif c == '-':
            b = b''
        else:
            b = bytes.fromhex(c)
        print(json.dumps({'in': c, 'repr': repr(b), 'data': data(b)}))


main(sys.argv[1])
