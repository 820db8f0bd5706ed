package e2e

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"testing"
	"time"

	"github.com/lancerhq/lancer/protocol"
)

// childutilsListener is a Python listener written the way every superlance
// listener is: childutils.listener.wait, then ok. It echoes what it read as
// JSON lines on stderr.
const childutilsListener = `
import json, sys
from supervisor import childutils
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    sys.stderr.write(json.dumps({"headers": headers, "payload": payload}) + "\n")
    sys.stderr.flush()
    childutils.listener.ok(sys.stdout)
`

// TestChildutilsListenerReadsOurEvents plays the daemon's side of the
// protocol with protocol.WriteEvent/ReadResult against Python's own
// childutils listener: multi-byte payloads must keep both ends in step.
func TestChildutilsListenerReadsOurEvents(t *testing.T) {
	requireOracle(t)
	cmd := exec.CommandContext(t.Context(), oraclePython, "-c", childutilsListener)
	cmd.Env = []string{"PYTHONIOENCODING=utf-8", "LC_ALL=C.UTF-8"}
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); _ = cmd.Wait() }()
	out, echoes := bufio.NewReader(stdout), bufio.NewScanner(stderr)

	payloads := []protocol.Payload{
		protocol.ProcessCommunication{Type: protocol.ProcessCommunicationStdout, ProcessName: "comm", GroupName: "comm", PID: 42, Data: commText},
		protocol.ProcessLog{Type: protocol.ProcessLogStderr, ProcessName: "w", GroupName: "w", PID: 7, Channel: "stderr", Data: "€uro\nzweite Zeile ü\n"},
		protocol.Tick{Type: protocol.Tick5, When: 1795321115},
		protocol.ProcessGroup{Type: protocol.ProcessGroupAdded, GroupName: "grüppe"},
	}
	for i, p := range payloads {
		timer := time.AfterFunc(10*time.Second, func() { _ = cmd.Process.Kill() })
		if err := protocol.ReadReady(out); err != nil {
			t.Fatalf("event %d: read READY: %v", i, err)
		}
		ev := protocol.Event{Header: protocol.Header{Ver: "3.0", Server: "lancer", Serial: int64(i), Pool: "py", PoolSerial: int64(i), EventName: string(p.EventType())}, Payload: p.Format()}
		if err := protocol.WriteEvent(stdin, ev); err != nil {
			t.Fatalf("event %d: write: %v", i, err)
		}
		if body, err := protocol.ReadResult(out); err != nil || body != "OK" {
			t.Fatalf("event %d: result = %q, %v; want OK", i, body, err)
		}
		checkEcho(t, echoes, ev)
		timer.Stop()
	}
}

func checkEcho(t *testing.T, echoes *bufio.Scanner, ev protocol.Event) {
	t.Helper()
	if !echoes.Scan() {
		t.Fatalf("childutils listener echoed nothing for %s: %v", ev.Header.EventName, echoes.Err())
	}
	var got struct {
		Headers map[string]string
		Payload string
	}
	if err := json.Unmarshal(echoes.Bytes(), &got); err != nil {
		t.Fatalf("echo %q: %v", echoes.Text(), err)
	}
	if got.Payload != ev.Payload || got.Headers["eventname"] != ev.Header.EventName {
		t.Errorf("childutils read %q (%s); want %q (%s)", got.Payload, got.Headers["eventname"], ev.Payload, ev.Header.EventName)
	}
}
