#!/usr/bin/python3
"""Writes the golden XML-RPC bodies in this directory with Python's
xmlrpc.client, the library supervisord and supervisorctl encode with.

Run from this directory with the system Python (3.11, supervisor 4.2.5):

    python3 gen.py

golden_test.go encodes the same values in Go and compares the bytes; keep
the case names in step with goldenCases there.
"""
import datetime
import xmlrpc.client as x


def call(method, *params, allow_none=False):
    return x.dumps(params, method, allow_none=allow_none)


def response(value):
    return x.dumps((value,), methodresponse=True)


process_info = {  # key order of supervisord 4.2.5's getProcessInfo
    'name': 'web_00', 'group': 'web', 'start': 1700000000, 'stop': 0,
    'now': 1700000020, 'state': 20, 'statename': 'RUNNING', 'spawnerr': '',
    'exitstatus': 0, 'logfile': '/var/log/web.log',
    'stdout_logfile': '/var/log/web.log', 'stderr_logfile': '',
    'pid': 8366, 'description': 'pid 8366, uptime 0:00:20',
}

cases = {
    'call_no_params.xml': call('system.listMethods'),
    'call_start_process.xml': call('supervisor.startProcess', 'web:web_00', True),
    'call_scalars.xml': call('supervisor.test', 1, True, False, 'a<b>&"\'c', 1.5,
                             x.Binary(b'hello\x00'),
                             datetime.datetime(2024, 1, 2, 3, 4, 5)),
    'call_ints.xml': call('t.ints', 0, -1, 2147483647, -2147483648),
    'call_doubles.xml': call('t.doubles', 1e20, 0.1, -0.0, float('inf'),
                             float('-inf'), float('nan'), 1e-07, 123456789012.0,
                             1e16, 1e15, 0.0001, 1e-05, 5e-324,
                             1.7976931348623157e308, 100.0),
    'call_strings.xml': call('t.strings', '', '  ', 'tab\there', 'line\nbreak',
                             ']]>', 'caf\u00e9 \u65e5\u672c \U0001F389', '\u2028'),
    'call_base64.xml': call('t.base64', x.Binary(b''), x.Binary(bytes(range(256)))),
    'call_nil.xml': call('t.nil', None, allow_none=True),
    'call_nested.xml': call('t.nested', [], {}, [[1, [2]], {'a': {'b': []}}],
                            {'k&<>': 'v'}),
    'call_multicall.xml': call('system.multicall', [
        {'methodName': 'supervisor.getPID', 'params': []},
        {'methodName': 'supervisor.stopProcess', 'params': ['web', False]},
    ]),
    'response_string.xml': response('4.2.5'),
    'response_true.xml': response(True),
    'response_process_info.xml': response(process_info),
    'response_results.xml': response([
        {'name': 'web_00', 'group': 'web', 'status': 80, 'description': 'OK'},
        {'name': 'db', 'group': 'db', 'status': 60,
         'description': 'ALREADY_STARTED: db'},
    ]),
    'response_tail.xml': response(['efore', 12, True]),
    'fault_bad_name.xml': x.dumps(x.Fault(10, 'BAD_NAME: foo'), methodresponse=True),
}

for name, body in cases.items():
    with open(name, 'w', encoding='utf-8', newline='') as f:
        f.write(body)
