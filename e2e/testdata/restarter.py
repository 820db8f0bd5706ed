"""A superlance-style listener: on the first TICK_5 it restarts program
'victim' through supervisord's XML-RPC API, reached with
childutils.getRPCInterface from its own environment, and writes the old
and new pids to the file named by its first argument."""
import os
import sys

from supervisor import childutils


def main():
    path = sys.argv[1]
    done = False
    while True:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        if headers["eventname"] == "TICK_5" and not done:
            rpc = childutils.getRPCInterface(os.environ)
            old = rpc.supervisor.getProcessInfo("victim")["pid"]
            rpc.supervisor.stopProcess("victim")
            rpc.supervisor.startProcess("victim")
            new = rpc.supervisor.getProcessInfo("victim")["pid"]
            with open(path, "w") as out:
                out.write("%d %d\n" % (old, new))
            done = True
        childutils.listener.ok(sys.stdout)


if __name__ == "__main__":
    main()
