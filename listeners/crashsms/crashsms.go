package main

import (
	"fmt"

	"github.com/lancerhq/lancer/listeners/internal/batch"
	"github.com/lancerhq/lancer/protocol"
)

// kind is superlance's CrashSMS: crashmailbatch's events, shorter lines,
// no subject by default.
var kind = batch.Kind{
	Name:      "crashsms",
	Events:    []protocol.EventType{protocol.ProcessStateExited},
	AlertName: "ProcessCrashed",
	Message:   message,
}

// message is "[<group>:<name>](<pid>) exited unexpectedly <asctime>", or
// nothing for an expected exit.
func message(p protocol.ProcessState, asctime string) (string, bool) {
	if p.Expected {
		return "", false
	}
	return fmt.Sprintf("[%s:%s](%d) exited unexpectedly %s", p.GroupName, p.ProcessName, p.PID, asctime), true
}
