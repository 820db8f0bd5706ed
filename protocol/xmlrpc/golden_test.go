package xmlrpc

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goldenCases encode in Go the values testdata/golden/gen.py encodes with
// Python's xmlrpc.client. The golden files are Python's output, not ours,
// so there is no -update flag: to change them, edit gen.py and run it
// (python3 gen.py in testdata/golden, Python 3.11).
var goldenCases = map[string]func(*bytes.Buffer) error{
	"call_no_params.xml": func(b *bytes.Buffer) error {
		return EncodeRequest(b, "system.listMethods")
	},
	"call_start_process.xml": func(b *bytes.Buffer) error {
		return EncodeRequest(b, "supervisor.startProcess", "web:web_00", true)
	},
	"call_scalars.xml": func(b *bytes.Buffer) error {
		return EncodeRequest(b, "supervisor.test", 1, true, false, `a<b>&"'c`, 1.5,
			[]byte("hello\x00"), time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	},
	"call_ints.xml": func(b *bytes.Buffer) error {
		return EncodeRequest(b, "t.ints", 0, -1, math.MaxInt32, math.MinInt32)
	},
	"call_doubles.xml": func(b *bytes.Buffer) error {
		return EncodeRequest(b, "t.doubles", 1e20, 0.1, math.Copysign(0, -1), math.Inf(1),
			math.Inf(-1), math.NaN(), 1e-07, 123456789012.0, 1e16, 1e15, 0.0001, 1e-05,
			5e-324, 1.7976931348623157e308, 100.0)
	},
	"call_strings.xml": func(b *bytes.Buffer) error {
		return EncodeRequest(b, "t.strings", "", "  ", "tab\there", "line\nbreak", "]]>",
			"café 日本 🎉", "\u2028")
	},
	"call_base64.xml": func(b *bytes.Buffer) error {
		all := make([]byte, 256)
		for i := range all {
			all[i] = byte(i)
		}
		return EncodeRequest(b, "t.base64", []byte{}, all)
	},
	"call_nil.xml": func(b *bytes.Buffer) error {
		return EncodeRequest(b, "t.nil", Nil())
	},
	"call_nested.xml": func(b *bytes.Buffer) error {
		return EncodeRequest(b, "t.nested", []any{}, map[string]any{},
			[]any{[]any{1, []int{2}}, map[string]any{"a": map[string][]int{"b": nil}}},
			map[string]string{"k&<>": "v"})
	},
	"call_multicall.xml": func(b *bytes.Buffer) error {
		return EncodeRequest(b, "system.multicall", []Call{
			{Method: "supervisor.getPID"},
			{Method: "supervisor.stopProcess", Params: []any{"web", false}},
		})
	},
	"response_string.xml": func(b *bytes.Buffer) error { return EncodeResponse(b, "4.2.5") },
	"response_true.xml":   func(b *bytes.Buffer) error { return EncodeResponse(b, true) },
	"response_process_info.xml": func(b *bytes.Buffer) error {
		return EncodeResponse(b, ProcessInfo{
			Name: "web_00", Group: "web", Start: 1700000000, Now: 1700000020,
			State: 20, StateName: "RUNNING", Logfile: "/var/log/web.log",
			StdoutLogfile: "/var/log/web.log", PID: 8366,
			Description: "pid 8366, uptime 0:00:20",
		})
	},
	"response_results.xml": func(b *bytes.Buffer) error {
		return EncodeResponse(b, []Result{
			{Name: "web_00", Group: "web", Status: FaultSuccess, Description: "OK"},
			{Name: "db", Group: "db", Status: FaultAlreadyStarted, Description: "ALREADY_STARTED: db"},
		})
	},
	"response_tail.xml": func(b *bytes.Buffer) error {
		return EncodeResponse(b, Tail{Data: "efore", Offset: 12, Overflow: true})
	},
	"fault_bad_name.xml": func(b *bytes.Buffer) error {
		return EncodeFault(b, NewFault(FaultBadName, "foo"))
	},
}

func readGolden(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEncodeMatchesPython(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.xml"))
	if len(files) != len(goldenCases) {
		t.Errorf("%d golden files, %d cases: keep gen.py and goldenCases in step", len(files), len(goldenCases))
	}
	for name, encode := range goldenCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got bytes.Buffer
			if err := encode(&got); err != nil {
				t.Fatalf("encode: %v", err)
			}
			if want := readGolden(t, name); !bytes.Equal(got.Bytes(), want) {
				t.Errorf("encoding differs from Python's\ngot:\n%s\nwant:\n%s", got.Bytes(), want)
			}
		})
	}
}

// TestGoldenRoundTrip decodes each Python body and encodes the result
// again, which must reproduce Python's bytes exactly.
func TestGoldenRoundTrip(t *testing.T) {
	t.Parallel()
	for name := range goldenCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := readGolden(t, name)
			var got bytes.Buffer
			switch {
			case strings.HasPrefix(name, "call_"):
				method, params, err := DecodeRequest(bytes.NewReader(want), Limits{})
				if err != nil {
					t.Fatalf("DecodeRequest: %v", err)
				}
				err = EncodeRequest(&got, method, valuesToAny(params)...)
				if err != nil {
					t.Fatalf("EncodeRequest: %v", err)
				}
			default:
				v, err := DecodeResponse(bytes.NewReader(want), Limits{})
				if f, ok := err.(*Fault); ok {
					err = EncodeFault(&got, f)
				} else if err == nil {
					err = EncodeResponse(&got, v)
				}
				if err != nil {
					t.Fatalf("decode/encode: %v", err)
				}
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("round trip differs\ngot:\n%s\nwant:\n%s", got.Bytes(), want)
			}
		})
	}
}

func valuesToAny(vs []Value) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}
