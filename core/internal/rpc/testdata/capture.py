#!/usr/bin/python3
"""Capture the golden XML-RPC exchanges in golden/ from Python supervisord.

Run from this directory (core/internal/rpc/testdata):

    python3 capture.py

It starts /usr/bin/supervisord 4.2.5 on golden.conf with TZ=UTC in a
temporary directory, waits until every program has settled, sends each
case's request as Python's xmlrpc.client sends it and writes
golden/<case>.request.xml and golden/<case>.response.xml.

With DAEMON=/path/to/supervisord and OUT=dir in the environment it runs
another daemon (such as ours) the same way and writes to dir instead, so
that `diff -r golden dir` compares the two.

Responses are normalised so that a fake supervisor can reproduce them:
the clock is set to NOW (2000-01-01 00:00:00 UTC, where testing/synctest
starts), running processes started 20 s before it, others 100 s before
and stopped 50 s before, pids are fixed per process, AUTO log names lose
their random part. The normalised value is re-encoded with
xmlrpc.client.dumps, as supervisord encodes its responses; every raw
response is first checked to re-encode to exactly its own bytes, so the
goldens keep supervisord's byte layout. Descriptions are recomputed by
supervisord's own _interpretProcessInfo from the normalised fields.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client

from supervisor.rpcinterface import SupervisorNamespaceRPCInterface

NOW = 946684800  # 2000-01-01T00:00:00Z
DAEMON_PID = 4242
PIDS = {'sleeper': 4001, 'echoer': 4002, 'stubborn': 4003}
AUTO = re.compile(r'---lancer-golden-[A-Za-z0-9_]+\.log')  # ours: digits

SIGNATURE_NAMES = None  # filled from system.listMethods

# (case, method, params); cases whose name starts with "shutdown_" run
# after supervisor.shutdown, while stubborn holds the shutdown up.
CASES = [
    ('get_state', 'supervisor.getState', ()),
    ('api_version', 'supervisor.getAPIVersion', ()),
    ('version_alias', 'supervisor.getVersion', ()),
    ('supervisor_version', 'supervisor.getSupervisorVersion', ()),
    ('identification', 'supervisor.getIdentification', ()),
    ('pid', 'supervisor.getPID', ()),
    ('list_methods', 'system.listMethods', ()),
    ('signatures', 'system.multicall', 'SIGNATURES'),
    ('all_process_info', 'supervisor.getAllProcessInfo', ()),
    ('process_info_running', 'supervisor.getProcessInfo', ('grp:echoer',)),
    ('process_info_fatal', 'supervisor.getProcessInfo', ('missing',)),
    ('process_info_exited', 'supervisor.getProcessInfo', ('failing',)),
    ('process_info_numprocs', 'supervisor.getProcessInfo', ('multi:multi_01',)),
    ('all_config_info', 'supervisor.getAllConfigInfo', ()),
    ('fault_bad_name', 'supervisor.getProcessInfo', ('nosuch',)),
    ('fault_bad_name_group', 'supervisor.getProcessInfo', ('multi',)),
    ('fault_bad_name_group_star', 'supervisor.getProcessInfo', ('multi:*',)),
    ('fault_unknown_method', 'supervisor.nosuch', ()),
    ('fault_unknown_namespace', 'nosuch.getState', ()),
    ('fault_three_parts', 'supervisor.getState.x', ()),
    ('fault_underscore', 'supervisor._update', ('x',)),
    ('fault_too_many_params', 'supervisor.getState', (1,)),
    ('fault_too_few_params', 'supervisor.getProcessInfo', ()),
    ('fault_no_file_command', 'supervisor.startProcess', ('missing',)),
    ('fault_already_started', 'supervisor.startProcess', ('sleeper',)),
    ('fault_start_bad_name', 'supervisor.startProcess', ('nosuch:*',)),
    ('fault_not_running', 'supervisor.stopProcess', ('multi:multi_00',)),
    ('fault_signal_not_running', 'supervisor.signalProcess', ('grp:stopped', 'HUP')),
    ('fault_bad_signal', 'supervisor.signalProcess', ('sleeper', 'BOGUS')),
    ('fault_bad_signal_number', 'supervisor.signalProcess', ('sleeper', 99)),
    ('fault_bad_arguments', 'supervisor.readLog', (-5, 5)),
    ('fault_no_file_read', 'supervisor.readProcessStderrLog', ('sleeper', 0, 0)),
    ('fault_read_group', 'supervisor.readProcessStdoutLog', ('grp:*', 0, 4)),
    ('fault_stdin_type', 'supervisor.sendProcessStdin', ('nosuch', 5)),
    ('fault_stdin_not_running', 'supervisor.sendProcessStdin', ('grp:stopped', 'x')),
    ('fault_already_added', 'supervisor.addProcessGroup', ('grp',)),
    ('fault_add_bad_name', 'supervisor.addProcessGroup', ('nosuch',)),
    ('fault_still_running', 'supervisor.removeProcessGroup', ('grp',)),
    ('fault_remove_bad_name', 'supervisor.removeProcessGroup', ('nosuch',)),
    ('fault_group_form', 'supervisor.signalProcessGroup', ('grp:echoer', 'HUP')),
    ('fault_signature_unsupported', 'system.methodSignature', ('nosuch',)),
    ('fault_help_unsupported', 'system.methodHelp', (1,)),
    ('signal_group_bad_signal', 'supervisor.signalProcessGroup', ('grp', 'BOGUS')),
    ('signal_all_bad_signal', 'supervisor.signalAllProcesses', ('BOGUS',)),
    ('signal_group', 'supervisor.signalProcessGroup', ('grp', '0')),
    ('signal_process', 'supervisor.signalProcess', ('grp:echoer', 'sig_dfl')),
    ('stop_group_none_running', 'supervisor.stopProcessGroup', ('multi',)),
    ('start_group_all_running', 'supervisor.startProcessGroup', ('sleeper',)),
    ('read_log_utf8', 'supervisor.readProcessStdoutLog', ('grp:echoer', 0, 0)),
    ('read_log_alias', 'supervisor.readProcessLog', ('grp:echoer', -4, 0)),
    ('tail_log', 'supervisor.tailProcessStdoutLog', ('grp:echoer', 0, 4)),
    ('tail_log_no_file', 'supervisor.tailProcessStderrLog', ('sleeper', 0, 4)),
    ('reload_config', 'supervisor.reloadConfig', ()),
    ('multicall', 'system.multicall', ([
        {'methodName': 'supervisor.getPID'},
        {'methodName': 'x.y'},
        {'methodName': 'supervisor.getProcessInfo', 'params': ['nosuch']},
        {},
        {'methodName': 'system.multicall', 'params': [[]]},
        {'methodName': 'supervisor.getState', 'params': []},
        {'methodName': 'supervisor.getPID', 'params': [1]},
    ],)),
    ('remote_comm', 'supervisor.sendRemoteCommEvent', ('type', 'data')),
    ('shutdown', 'supervisor.shutdown', ()),
    ('shutdown_get_state', 'supervisor.getState', ()),
    ('shutdown_process_info', 'supervisor.getProcessInfo', ('nosuch',)),
    ('shutdown_remote_comm', 'supervisor.sendRemoteCommEvent', ('type', 'data')),
    ('shutdown_list_methods', 'system.listMethods', ()),
    ('shutdown_multicall', 'system.multicall', ([
        {'methodName': 'supervisor.getState'},
        {'methodName': 'system.listMethods'},
    ],)),
]


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__('localhost')
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(self.path)


def post(sock, body):
    c = UnixConnection(sock)
    c.request('POST', '/RPC2', body, {'Content-Type': 'text/xml'})
    r = c.getresponse()
    data = r.read()
    c.close()
    if r.status != 200:
        sys.exit('HTTP %d for %r' % (r.status, body))
    return data


def call(sock, method, params=()):
    return xmlrpc.client.loads(post(sock, xmlrpc.client.dumps(params, method)))[0][0]


def wait_settled(sock):
    want = {'sleeper': 'RUNNING', 'echoer': 'RUNNING', 'stubborn': 'RUNNING',
            'missing': 'FATAL', 'quick': 'EXITED', 'failing': 'EXITED'}
    for _ in range(200):
        try:
            infos = call(sock, 'supervisor.getAllProcessInfo')
            got = {i['name']: i['statename'] for i in infos}
            if all(got.get(k) == v for k, v in want.items()):
                return [i['pid'] for i in infos if i['pid']]
        except (OSError, xmlrpc.client.Fault):
            pass
        time.sleep(0.1)
    sys.exit('supervisord did not settle')


def norm_info(info):
    running = info['statename'] in ('RUNNING', 'STARTING', 'STOPPING')
    if info['start']:
        info['start'] = NOW - (20 if running else 100)
    if info['stop']:
        info['stop'] = NOW - 50
    info['now'] = NOW
    if info['pid']:
        info['pid'] = PIDS[info['name']]
    desc = info.pop('description')
    info['description'] = SupervisorNamespaceRPCInterface._interpretProcessInfo(None, info)
    assert running or desc == info['description'] or info['stop'], desc


def norm(v, method):
    if method == 'supervisor.getPID' and isinstance(v, int) and not isinstance(v, bool):
        return DAEMON_PID  # a result, not the faultCode of a fault struct
    if isinstance(v, str):
        return AUTO.sub('---lancer-golden-XXXXXXXX.log', v)
    if isinstance(v, list):
        return [norm(x, method) for x in v]
    if isinstance(v, dict):
        if 'faultCode' in v:
            return v
        v = {k: norm(x, method) for k, x in v.items()}
        if method in ('supervisor.getProcessInfo', 'supervisor.getAllProcessInfo') and 'pid' in v:
            norm_info(v)
        return v
    return v


def response(sock, method, params):
    raw = post(sock, xmlrpc.client.dumps(params, method))
    try:
        value = xmlrpc.client.loads(raw)[0][0]
    except xmlrpc.client.Fault as f:
        assert xmlrpc.client.dumps(f).encode() == raw, raw
        return raw
    assert xmlrpc.client.dumps((value,), methodresponse=True).encode() == raw, raw
    if method == 'system.multicall':
        value = [norm(r, c.get('methodName')) for r, c in zip(value, params[0])]
    else:
        value = norm(value, method)
    return xmlrpc.client.dumps((value,), methodresponse=True).encode()


def capture(sock):
    names = call(sock, 'system.listMethods')
    out = os.environ.get('OUT', 'golden')
    os.makedirs(out, exist_ok=True)
    for case, method, params in CASES:
        if params == 'SIGNATURES':
            params = ([{'methodName': 'system.methodSignature', 'params': [n]} for n in names],)
        if case == 'shutdown_get_state':
            time.sleep(1)  # let the loop see the SHUTDOWN mood
        with open('%s/%s.request.xml' % (out, case), 'wb') as f:
            f.write(xmlrpc.client.dumps(params, method).encode())
        with open('%s/%s.response.xml' % (out, case), 'wb') as f:
            f.write(response(sock, method, params))


def main():
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, TZ='UTC', GOLDEN_DIR=d)
        sock = os.path.join(d, 'supervisor.sock')
        daemon = os.environ.get('DAEMON', '/usr/bin/supervisord')
        p = subprocess.Popen([daemon, '-c', 'golden.conf'], env=env,
                             stdout=subprocess.DEVNULL, start_new_session=True)
        children = []
        try:
            children = wait_settled(sock)
            capture(sock)
        finally:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            for pid in children:  # each in its own process group
                os.kill(pid, signal.SIGKILL)
            for f in os.listdir('/tmp'):
                if f.startswith('lancer-golden-') or '---lancer-golden-' in f:
                    os.remove(os.path.join('/tmp', f))


if __name__ == '__main__':
    main()
