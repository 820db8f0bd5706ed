package main

import (
	"fmt"

	"github.com/lancerhq/lancer/listeners/internal/batch"
	"github.com/lancerhq/lancer/protocol"
)

// kind is superlance's FatalMailBatch.
var kind = batch.Kind{
	Name:           "fatalmailbatch",
	Events:         []protocol.EventType{protocol.ProcessStateFatal},
	DefaultSubject: "Fatal start alert from supervisord",
	AlertName:      "ProcessFatal",
	Message:        message,
}

// message is "<asctime> -- Process <group>:<name> failed to start too
// many times".
func message(p protocol.ProcessState, asctime string) (string, bool) {
	return fmt.Sprintf("%s -- Process %s:%s failed to start too many times", asctime, p.GroupName, p.ProcessName), true
}
