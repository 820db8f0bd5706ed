package main

import (
	"fmt"

	"github.com/lancerhq/lancer/listeners/internal/batch"
	"github.com/lancerhq/lancer/protocol"
)

// kind is superlance's CrashMailBatch: unexpected exits only.
var kind = batch.Kind{
	Name:           "crashmailbatch",
	Events:         []protocol.EventType{protocol.ProcessStateExited},
	DefaultSubject: "Crash alert from supervisord",
	AlertName:      "ProcessCrashed",
	Message:        message,
}

// message is "<asctime> -- Process <group>:<name> (pid <pid>) died
// unexpectedly", or nothing for an expected exit.
func message(p protocol.ProcessState, asctime string) (string, bool) {
	if p.Expected {
		return "", false
	}
	return fmt.Sprintf("%s -- Process %s:%s (pid %d) died unexpectedly", asctime, p.GroupName, p.ProcessName, p.PID), true
}
