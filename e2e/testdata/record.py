"""An event listener written the way superlance's are, on
supervisor.childutils: it appends every event it receives to the file
named by its first argument, one JSON object per line, and acknowledges
it. Optional MODE NAME arguments misbehave on the events about process
NAME: "fail-alternate" rejects (FAIL) every other one of them, so each is
seen twice; "die-once" exits without answering the first one, once (a
file beside the record marks that it did)."""
import json
import os
import sys

from supervisor import childutils


def about(payload, name):
    return ("processname:%s " % name) in payload


def main():
    path = sys.argv[1]
    mode, name = (sys.argv[2], sys.argv[3]) if len(sys.argv) > 3 else ("", "")
    seen = 0
    with open(path, "a", encoding="utf-8") as out:
        while True:
            headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
            out.write(json.dumps({"header": headers, "payload": payload}) + "\n")
            out.flush()
            if name and about(payload, name):
                seen += 1
                if mode == "die-once" and not os.path.exists(path + ".died"):
                    open(path + ".died", "w").close()
                    sys.exit(1)
                if mode == "fail-alternate" and seen % 2 == 1:
                    childutils.listener.fail(sys.stdout)
                    continue
            childutils.listener.ok(sys.stdout)


if __name__ == "__main__":
    main()
