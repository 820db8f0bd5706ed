"""Dump how Python supervisord reads config files, as JSON.

Run with Debian's /usr/bin/python3 (the interpreter that has the supervisor
package): oracle.py FILE... prints one JSON object mapping each FILE to its
dump, or to {"error": message} when supervisord refuses it; oracle.py
--ctl FILE... does the same for supervisorctl's reading. The dump has
the schema of dumpFile in dump_test.go; both sides normalise the same
things (absolute paths, empty strings as null) so that equal meaning gives
equal JSON.
"""
import json
import os
import re
import sys

from supervisor import options
from supervisor.datatypes import Automatic, RestartUnconditionally, RestartWhenExitUnexpected
from supervisor.events import EventTypes


class Refused(Exception):
    pass


def refuse(msg):
    raise Refused(str(msg))


def load(path):
    o = options.ServerOptions()
    o.usage = refuse
    o.realize(args=['-c', path])
    return o


def opt(v):
    """Empty and unset are the same to both loaders."""
    return v if v not in ('', None) else None


def logfile(v):
    if v is Automatic:
        return 'AUTO'
    if v is None:
        return None
    return os.path.abspath(v)


def channel(p, ch):
    g = lambda k: getattr(p, ch + k)
    return {
        'logfile': logfile(g('_logfile')),
        'maxbytes': g('_logfile_maxbytes'),
        'backups': g('_logfile_backups'),
        'capture_maxbytes': g('_capture_maxbytes'),
        'events_enabled': bool(g('_events_enabled')),
        'syslog': bool(g('_syslog')),
    }


def autorestart(v):
    if v is RestartUnconditionally:
        return 'true'
    if v is RestartWhenExitUnexpected:
        return 'unexpected'
    return 'false'


def process(p):
    return {
        'name': p.name,
        'command': p.command,
        'directory': opt(p.directory),
        'umask': p.umask,
        'priority': p.priority,
        'autostart': bool(p.autostart),
        'autorestart': autorestart(p.autorestart),
        'startsecs': p.startsecs,
        'startretries': p.startretries,
        'uid': p.uid,
        'stdout': channel(p, 'stdout'),
        'stderr': channel(p, 'stderr'),
        'stopsignal': int(p.stopsignal),
        'stopwaitsecs': p.stopwaitsecs,
        'stopasgroup': bool(p.stopasgroup),
        'killasgroup': bool(p.killasgroup),
        'exitcodes': list(p.exitcodes),
        'redirect_stderr': bool(p.redirect_stderr),
        'environment': [[k, v] for k, v in (p.environment or {}).items()],
        'serverurl': opt(p.serverurl),
    }


EVENT_NAMES = {getattr(EventTypes, n): n for n in dir(EventTypes) if not n.startswith('_')}


def group(g):
    kind = {'FastCGIGroupConfig': 'fcgi-program',
            'EventListenerPoolConfig': 'eventlistener'}.get(type(g).__name__, 'program')
    d = {'name': g.name, 'kind': kind, 'priority': g.priority,
         'processes': [process(p) for p in g.process_configs],
         'pool': None, 'socket': None}
    if kind == 'eventlistener':
        d['pool'] = {'buffer_size': g.buffer_size,
                     'events': sorted(EVENT_NAMES[e] for e in g.pool_events)}
    if kind == 'fcgi-program':
        s = g.socket_config
        owner = getattr(s, 'owner', None)
        d['socket'] = {'url': s.url, 'backlog': s.backlog or None,
                       'mode': getattr(s, 'mode', None),
                       'owner': list(owner) if owner else None}
    return d


def server(c):
    d = {'name': c['name'], 'username': opt(c['username']), 'password': opt(c['password'])}
    if 'file' in c:
        d.update(file=c['file'], chmod=c['chmod'], chown=list(c['chown']))
    else:
        d.update(host=c['host'], port=c['port'])
    return d


WARNINGS = [
    (r'No file matches via include "(.*)"', 'include-nomatch'),
    (r'For \[(.*)\], (\w+)=syslog but this is deprecated', 'syslog-deprecated'),
    (r'For \[(.*)\], AUTO logging used for (\w+) without rollover', 'auto-norollover'),
    (r'For \[(.*)\], redirect_stderr=true but stderr_logfile has also been set', 'redirect-stderr-file'),
]


def warnings(msgs):
    out = set()
    for m in msgs:
        for pattern, kind in WARNINGS:
            mo = re.match(pattern, m)
            if mo:
                out.add((kind,) + mo.groups())
    return [list(w) for w in sorted(out)]


def dump(o):
    s = o.configroot.supervisord
    return {
        'supervisord': {
            'logfile': o.logfile, 'logfile_maxbytes': o.logfile_maxbytes,
            'logfile_backups': o.logfile_backups, 'loglevel': o.loglevel,
            'pidfile': o.pidfile, 'umask': o.umask, 'nodaemon': bool(o.nodaemon),
            'silent': bool(o.silent), 'minfds': o.minfds, 'minprocs': o.minprocs,
            'nocleanup': bool(o.nocleanup), 'childlogdir': os.path.abspath(o.childlogdir),
            'user': o.user, 'uid': o.uid,
            'directory': os.path.abspath(o.directory) if o.directory else None,
            'strip_ansi': bool(o.strip_ansi), 'identifier': o.identifier,
            'environment': [[k, v] for k, v in s.environment.items()],
        },
        'inet_servers': [server(c) for c in o.server_configs if 'host' in c],
        'unix_servers': [server(c) for c in o.server_configs if 'file' in c],
        'serverurl': o.serverurl,
        'rpcinterfaces': [{'name': n, 'factory': '%s:%s' % (f.__module__, f.__name__),
                           'options': extras} for n, f, extras in o.rpcinterface_factories],
        'groups': [group(g) for g in o.process_group_configs],
        # The reference "includes" a matching directory by reading nothing.
        'included': [f for f in (re.match(r'Included extra file "(.*)" during parsing', m).group(1)
                                 for m in o.parse_infos if m.startswith('Included'))
                     if not os.path.isdir(f)],
        'warnings': warnings(o.parse_warnings),
    }


def load_ctl(path):
    o = options.ClientOptions()
    o.usage = refuse
    o.realize(args=['-c', path])
    return {'serverurl': o.serverurl, 'username': opt(o.username), 'password': opt(o.password),
            'prompt': o.prompt, 'history_file': opt(o.history_file)}


def main(paths):
    read = lambda path: dump(load(path))
    if paths and paths[0] == '--ctl':
        read, paths = load_ctl, paths[1:]
    out = {}
    for path in paths:
        try:
            out[path] = read(path)
        except Refused as e:
            out[path] = {'error': str(e)}
        except Exception as e:  # the reference crashing is a refusal too
            out[path] = {'error': '%s: %s' % (type(e).__name__, e)}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == '__main__':
    main(sys.argv[1:])
