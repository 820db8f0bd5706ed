package rpc

import (
	"math"
	"syscall"
	"testing"
	"time"

	"github.com/lancerhq/lancer/protocol/xmlrpc"
)

func TestPyInt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   xmlrpc.Value
		want int
		ok   bool
	}{
		{xmlrpc.Int(-5), -5, true},
		{xmlrpc.Bool(true), 1, true},
		{xmlrpc.Double(-1.9), -1, true},
		{xmlrpc.Double(math.NaN()), 0, false},
		{xmlrpc.Double(math.Inf(1)), 0, false},
		{xmlrpc.String(" +12 "), 12, true},
		{xmlrpc.String("1_000"), 1000, true},
		{xmlrpc.String("-0"), 0, true},
		{xmlrpc.Base64([]byte("7")), 7, true},
		{xmlrpc.String("1__0"), 0, false},
		{xmlrpc.String("_1"), 0, false},
		{xmlrpc.String("1_"), 0, false},
		{xmlrpc.String("+-1"), 0, false},
		{xmlrpc.String("1.5"), 0, false},
		{xmlrpc.String(""), 0, false},
		{xmlrpc.String("99999999999999999999"), 0, false},
		{xmlrpc.Array(), 0, false},
		{xmlrpc.Nil(), 0, false},
	}
	for _, tt := range tests {
		if got, ok := pyInt(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("pyInt(%v) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestTruth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   xmlrpc.Value
		want bool
	}{
		{xmlrpc.Bool(false), false}, {xmlrpc.Bool(true), true},
		{xmlrpc.Int(0), false}, {xmlrpc.Int(2), true},
		{xmlrpc.Double(0), false}, {xmlrpc.Double(0.1), true},
		{xmlrpc.String(""), false}, {xmlrpc.String("false"), true},
		{xmlrpc.Base64(nil), false}, {xmlrpc.Base64([]byte{0xff}), true},
		{xmlrpc.Array(), false}, {xmlrpc.Array(xmlrpc.Int(0)), true},
		{xmlrpc.Struct(), false}, {xmlrpc.Struct(xmlrpc.Member{Name: "a", Value: xmlrpc.Int(0)}), true},
		{xmlrpc.DateTime(time.Time{}), true},
		{xmlrpc.Nil(), false},
	}
	for _, tt := range tests {
		if got := truth(tt.in); got != tt.want {
			t.Errorf("truth(%v) = %v; want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseSignal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   xmlrpc.Value
		want syscall.Signal
		ok   bool
	}{
		{xmlrpc.String("HUP"), syscall.SIGHUP, true},
		{xmlrpc.String("sigterm"), syscall.SIGTERM, true},
		{xmlrpc.String(" Kill\n"), syscall.SIGKILL, true},
		{xmlrpc.String("IOT"), syscall.SIGABRT, true},
		{xmlrpc.String("POLL"), syscall.SIGIO, true},
		{xmlrpc.String("rtmax"), 64, true},
		{xmlrpc.String("SIG_DFL"), 0, true},
		{xmlrpc.String("_ign"), 1, true},
		{xmlrpc.String("10"), syscall.SIGUSR1, true},
		{xmlrpc.Int(0), 0, true},
		{xmlrpc.Int(31), 31, true},
		{xmlrpc.Int(34), 34, true},
		{xmlrpc.Double(2.7), syscall.SIGINT, true},
		{xmlrpc.Bool(false), 0, true},
		{xmlrpc.Int(32), 32, false},
		{xmlrpc.Int(-1), -1, false},
		{xmlrpc.Int(65), 65, false},
		{xmlrpc.String("SIGSIGHUP"), 0, false},
		{xmlrpc.String("BOGUS"), 0, false},
		{xmlrpc.Array(), 0, false},
	}
	for _, tt := range tests {
		if got, ok := parseSignal(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("parseSignal(%v) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestPyStr checks the Python renderings of parameters in fault details
// and events, as Python 3 prints them.
func TestPyStr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   xmlrpc.Value
		want string
	}{
		{xmlrpc.String("it's"), "it's"},
		{xmlrpc.Int(-3), "-3"},
		{xmlrpc.Bool(false), "False"},
		{xmlrpc.Double(1), "1.0"},
		{xmlrpc.Double(-0.0001), "-0.0001"},
		{xmlrpc.Double(1e-5), "1e-05"},
		{xmlrpc.Double(1e16), "1e+16"},
		{xmlrpc.Double(123456789012345678), "1.2345678901234568e+17"},
		{xmlrpc.Double(math.Inf(-1)), "-inf"},
		{xmlrpc.Double(math.NaN()), "nan"},
		{xmlrpc.DateTime(time.Date(2000, 1, 2, 3, 4, 5, 0, time.UTC)), "2000-01-02 03:04:05"},
		{xmlrpc.Base64([]byte("raw")), "raw"},
		{xmlrpc.Nil(), "None"},
		{xmlrpc.Array(xmlrpc.String("it's"), xmlrpc.String(`a"b`), xmlrpc.String(`'"`), xmlrpc.String("\x01\t\\"), xmlrpc.String("é")),
			`["it's", 'a"b', '\'"', '\x01\t\\', 'é']`},
		{xmlrpc.Struct(xmlrpc.Member{Name: "k", Value: xmlrpc.Array(xmlrpc.Int(1), xmlrpc.Bool(true))}), "{'k': [1, True]}"},
	}
	for _, tt := range tests {
		if got := pyStr(tt.in); got != tt.want {
			t.Errorf("pyStr(%v) = %s; want %s", tt.in, got, tt.want)
		}
	}
}
