package protocol_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/lancerhq/lancer/protocol"
)

// A listener is a Handler passed to Serve with its stdin and stdout. Here
// stdin holds one TICK_5 event; a real listener passes os.Stdin and
// os.Stdout and logs to os.Stderr.
func ExampleServe() {
	stdin := strings.NewReader("ver:3.0 server:supervisor serial:0 pool:ticker poolserial:0 eventname:TICK_5 len:15\nwhen:1795321115")
	var stdout bytes.Buffer
	h := protocol.HandlerFunc(func(ctx context.Context, ev protocol.Event) error {
		p, err := ev.Parse()
		if err != nil {
			fmt.Fprintln(os.Stderr, err) // stderr: stdout is the protocol channel
			return nil                   // acknowledge anyway, as superlance does
		}
		if tick, ok := p.(protocol.Tick); ok {
			fmt.Println("tick at", tick.When)
		}
		return nil
	})
	err := protocol.Serve(context.Background(), stdin, &stdout, h)
	fmt.Printf("%q %v\n", stdout.String(), err)
	// Output:
	// tick at 1795321115
	// "READY\nRESULT 2\nOKREADY\n" <nil>
}

func ExampleParsePayload() {
	p, err := protocol.ParsePayload(protocol.ProcessStateExited,
		"processname:web groupname:web from_state:RUNNING expected:0 pid:9202")
	if err != nil {
		fmt.Println(err)
		return
	}
	st := p.(protocol.ProcessState)
	fmt.Println(st.ProcessName, st.FromState, st.Expected, st.PID)
	// Output: web RUNNING false 9202
}

// The daemon side writes envelopes whose len counts code points, as
// Python supervisord does: "héllo" is 5 code points but 6 bytes.
func ExampleWriteEvent() {
	p := protocol.RemoteComm{Type: "t", Data: "héllo"}
	ev := protocol.Event{
		Header: protocol.Header{Ver: protocol.Version, Server: "supervisor", Serial: 7,
			Pool: "listener", PoolSerial: 3, EventName: p.EventType().String()},
		Payload: p.Format(),
	}
	var buf bytes.Buffer
	if err := protocol.WriteEvent(&buf, ev); err != nil {
		fmt.Println(err)
	}
	fmt.Printf("%q\n", buf.String())
	// Output: "ver:3.0 server:supervisor serial:7 pool:listener poolserial:3 eventname:REMOTE_COMMUNICATION len:12\ntype:t\nhéllo"
}

// The daemon reads a listener's stdout with a Reader: READY, then after
// each event a result.
func ExampleReader_ReadResult() {
	r := protocol.NewReader(strings.NewReader("READY\nRESULT 2\nOKREADY\nRESULTX 2\nOK"))
	fmt.Println(r.ReadReady())
	fmt.Println(r.ReadResult())
	fmt.Println(r.ReadReady())
	_, err := r.ReadResult()
	fmt.Println(err)
	// Output:
	// <nil>
	// OK <nil>
	// <nil>
	// read result: malformed result: got "RESULTX", want "RESULT "
}

// A pool subscribed to PROCESS_STATE receives every PROCESS_STATE_* event.
func ExampleEventType_IsA() {
	sub, ok := protocol.ParseEventType("PROCESS_STATE")
	fmt.Println(ok, sub.Abstract())
	for _, t := range []protocol.EventType{protocol.ProcessStateFatal, protocol.Tick60} {
		fmt.Println(t, t.IsA(sub), t.IsA(protocol.AnyEvent))
	}
	// Output:
	// true true
	// PROCESS_STATE_FATAL true true
	// TICK_60 false true
}

// A Listener answers with a custom result body.
func ExampleListener() {
	stdin := strings.NewReader("ver:3.0 server:s serial:0 pool:p poolserial:0 eventname:TICK_60 len:15\nwhen:1795321140")
	var stdout bytes.Buffer
	l := protocol.NewListener(stdin, &stdout)
	ctx := context.Background()
	for {
		ev, err := l.Next(ctx)
		if err != nil { // io.EOF: supervisord closed stdin
			break
		}
		fmt.Println("got", ev.Type())
		if err := l.Respond("SKIPPED"); err != nil {
			break
		}
	}
	fmt.Printf("%q\n", stdout.String())
	// Output:
	// got TICK_60
	// "READY\nRESULT 7\nSKIPPEDREADY\n"
}

func ExampleParseHeader() {
	h, err := protocol.ParseHeader("ver:3.0 server:mysuper serial:31 pool:allev poolserial:31 eventname:TICK_5 len:15")
	fmt.Println(h.Serial, h.Pool, h.Type(), h.Len, err)
	// Output: 31 allev TICK_5 15 <nil>
}

func ExampleSplitPayload() {
	tokens, data, err := protocol.SplitPayload("processname:web groupname:web pid:42 channel:stderr\noops\n")
	fmt.Println(tokens["processname"], tokens["channel"], fmt.Sprintf("%q", data), err)
	// Output: web stderr "oops\n" <nil>
}
