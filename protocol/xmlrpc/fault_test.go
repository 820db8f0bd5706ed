package xmlrpc

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestFaultNames(t *testing.T) {
	t.Parallel()
	// supervisor/xmlrpc.py class Faults, 4.2.5.
	want := map[string]int{
		"UNKNOWN_METHOD": 1, "INCORRECT_PARAMETERS": 2, "BAD_ARGUMENTS": 3,
		"SIGNATURE_UNSUPPORTED": 4, "SHUTDOWN_STATE": 6, "BAD_NAME": 10,
		"BAD_SIGNAL": 11, "NO_FILE": 20, "NOT_EXECUTABLE": 21, "FAILED": 30,
		"ABNORMAL_TERMINATION": 40, "SPAWN_ERROR": 50, "ALREADY_STARTED": 60,
		"NOT_RUNNING": 70, "SUCCESS": 80, "ALREADY_ADDED": 90,
		"STILL_RUNNING": 91, "CANT_REREAD": 92,
	}
	if len(faultNames) != len(want) {
		t.Errorf("%d fault names; want %d", len(faultNames), len(want))
	}
	for name, code := range want {
		if got := FaultName(code); got != name {
			t.Errorf("FaultName(%d) = %q; want %q", code, got, name)
		}
		if got, ok := FaultCode(name); !ok || got != code {
			t.Errorf("FaultCode(%q) = %d, %v; want %d", name, got, ok, code)
		}
	}
	if got := FaultName(999); got != "UNKNOWN" {
		t.Errorf("FaultName(999) = %q; want UNKNOWN", got)
	}
	if _, ok := FaultCode("NOPE"); ok {
		t.Error(`FaultCode("NOPE") reported a code`)
	}
}

func TestFaultSentinels(t *testing.T) {
	t.Parallel()
	sentinels := []*Fault{
		ErrUnknownMethod, ErrIncorrectParameters, ErrBadArguments, ErrSignatureUnsupported,
		ErrShutdownState, ErrBadName, ErrBadSignal, ErrNoFile, ErrNotExecutable, ErrFailed,
		ErrAbnormalTermination, ErrSpawnError, ErrAlreadyStarted, ErrNotRunning,
		ErrAlreadyAdded, ErrStillRunning, ErrCantReread,
	}
	for _, s := range sentinels {
		if s.String != FaultName(s.Code) {
			t.Errorf("sentinel %d has String %q; want %q", s.Code, s.String, FaultName(s.Code))
		}
		// A fault as it comes off the wire, wrapped as Client.Call wraps it.
		var b bytes.Buffer
		if err := EncodeFault(&b, NewFault(s.Code, "detail")); err != nil {
			t.Fatal(err)
		}
		_, err := DecodeResponse(&b, Limits{})
		err = fmt.Errorf("call x.y: %w", err)
		if !errors.Is(err, s) {
			t.Errorf("errors.Is(decoded fault %d, sentinel) = false", s.Code)
		}
		if errors.Is(err, ErrBadName) != (s.Code == FaultBadName) {
			t.Errorf("errors.Is(decoded fault %d, ErrBadName) is wrong", s.Code)
		}
	}
}

func TestFaultError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		f    *Fault
		want string
	}{
		{NewFault(FaultBadName, "foo"), "fault 10: BAD_NAME: foo"},
		{NewFault(FaultShutdownState, ""), "fault 6: SHUTDOWN_STATE"},
		{NewFault(230, "x"), "fault 230: UNKNOWN: x"},
		{&Fault{Code: 5}, "fault 5"},
	}
	for _, tt := range tests {
		if got := tt.f.Error(); got != tt.want {
			t.Errorf("Error() = %q; want %q", got, tt.want)
		}
	}
	if ErrBadName.Is(errors.New("fault 10")) || ErrBadName.Is((*Fault)(nil)) {
		t.Error("Is matched a non-fault or a nil fault")
	}
}

func TestFaultValue(t *testing.T) {
	t.Parallel()
	v, err := Marshal([]any{NewFault(FaultFailed, "x"), 1})
	if err != nil {
		t.Fatal(err)
	}
	var got []*Fault
	err = Unmarshal(v, &got)
	if err == nil {
		t.Fatal("Unmarshal of an int into *Fault succeeded")
	}
	var f Fault
	elems, _ := v.AsArray()
	if err := Unmarshal(elems[0], &f); err != nil || f != (Fault{30, "FAILED: x"}) {
		t.Errorf("Unmarshal(fault struct) = %+v, %v", f, err)
	}
}

func TestResultErr(t *testing.T) {
	t.Parallel()
	if err := (Result{Status: FaultSuccess, Description: "OK"}).Err(); err != nil {
		t.Errorf("Err() of a success = %v", err)
	}
	err := Result{Name: "web", Group: "g", Status: FaultAlreadyStarted, Description: "ALREADY_STARTED: g:web"}.Err()
	if !errors.Is(err, ErrAlreadyStarted) {
		t.Errorf("Err() = %v; want ErrAlreadyStarted", err)
	}
	if got := (Result{Name: "web", Group: "g"}).Namespec(); got != "g:web" {
		t.Errorf("Namespec() = %q; want g:web", got)
	}
}
