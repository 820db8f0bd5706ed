package logcap_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/lancerhq/lancer/core/internal/logcap"
)

// A process's stdout with a rotating log file, capture mode and a
// follower, as the supervisor wires it.
func ExampleChannel() {
	dir, _ := os.MkdirTemp("", "logcap")
	defer os.RemoveAll(dir)
	c, err := logcap.NewChannel(nil, logcap.Options{
		Name:            "web",
		Path:            filepath.Join(dir, "web.log"),
		File:            logcap.FileOptions{MaxBytes: 50 << 20, Backups: 10},
		CaptureMaxBytes: 1 << 20,
		OnCapture:       func(_ int, msg []byte) { fmt.Printf("PROCESS_COMMUNICATION %q\n", msg) },
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	f := c.Follow(0)

	// The process's reader goroutine: one Write per read, Flush at EOF.
	c.Write([]byte("listening\n" + logcap.BeginTag + "hello"))
	c.Write([]byte(logcap.EndTag + "bye\n"))
	c.Flush()

	data, _ := c.Read(0, 0)
	fmt.Printf("log file: %q\n", data)
	data, _, _ = f.Next(context.Background())
	fmt.Printf("follower: %q\n", data)
	// Output:
	// PROCESS_COMMUNICATION "hello"
	// log file: "listening\nbye\n"
	// follower: "listening\nbye\n"
}

func ExampleTailWindow() {
	// tailProcessLog(name, 0, 5) on the 12-byte log "beforebefore".
	start, n, overflow := logcap.TailWindow(12, 0, 5)
	fmt.Println("beforebefore"[start:start+n], overflow)
	// Output: efore true
}
