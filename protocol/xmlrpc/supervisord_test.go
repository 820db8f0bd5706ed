package xmlrpc

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// The files in testdata/supervisord are responses of a real supervisord
// 4.2.5 (Debian package), captured with curl over its unix socket from a
// throwaway instance running one program, "ansi", that printed
// "\033[31mred\033[0m café <&>\r\n" and slept.

func decodeFile(t *testing.T, name string, dst any) error {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "supervisord", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := DecodeResponse(f, Limits{})
	if err != nil {
		return err
	}
	if err := Unmarshal(v, dst); err != nil {
		t.Fatalf("Unmarshal(%s) = %v", name, err)
	}
	return nil
}

func TestDecodeSupervisordResponses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		dst  any // pointer to a zero value of the result type
		want any // the value dst must point to afterwards
	}{
		{"state.response.xml", new(State), &State{Code: 1, Name: "RUNNING"}},
		{"tail.response.xml", new(Tail), &Tail{Data: "<&>\n", Offset: 24, Overflow: true}},
		{"read_log_ansi.response.xml", new(string), ptr("\uFFFD[31mred\uFFFD[0m café <&>\n")},
		{"method_signature.response.xml", new([]string), &[]string{"array", "string", "int", "int"}},
		{"reload_config.response.xml", new([][][]string), &[][][]string{{{}, {}, {}}}},
		{"stop_all.response.xml", new([]Result), &[]Result{{Name: "ansi", Group: "ansi", Status: 80, Description: "OK"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			if err := decodeFile(t, tt.file, tt.dst); err != nil {
				t.Fatalf("DecodeResponse = %v", err)
			}
			if !reflect.DeepEqual(tt.dst, tt.want) {
				t.Errorf("decoded %+v; want %+v", tt.dst, tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestDecodeSupervisordProcessInfo(t *testing.T) {
	t.Parallel()
	var infos []ProcessInfo
	if err := decodeFile(t, "all_process_info.response.xml", &infos); err != nil {
		t.Fatal(err)
	}
	want := ProcessInfo{
		Name: "ansi", Group: "ansi", Start: 1795324229, Now: 1795324251,
		State: 20, StateName: "RUNNING", Logfile: "/tmp/svx/ansi.log",
		StdoutLogfile: "/tmp/svx/ansi.log", StderrLogfile: "/tmp/ansi-stderr---svx-kmop7p4y.log",
		PID: 6452, Description: "pid 6452, uptime 0:00:22",
	}
	if len(infos) != 1 || infos[0] != want {
		t.Errorf("GetAllProcessInfo = %+v; want [%+v]", infos, want)
	}
	if got := infos[0].Namespec(); got != "ansi" {
		t.Errorf("Namespec() = %q; want %q", got, "ansi")
	}
	if got := infos[0].StartTime().Unix(); got != 1795324229 || !infos[0].StopTime().IsZero() {
		t.Errorf("StartTime() = %d, StopTime() = %v; want 1795324229 and zero", got, infos[0].StopTime())
	}
}

func TestDecodeSupervisordConfigInfo(t *testing.T) {
	t.Parallel()
	var infos []ConfigInfo
	if err := decodeFile(t, "all_config_info.response.xml", &infos); err != nil {
		t.Fatal(err)
	}
	if len(infos) != 1 {
		t.Fatalf("got %d config infos; want 1", len(infos))
	}
	c := infos[0]
	if c.Name != "ansi" || c.Directory != "none" || c.UID.Valid || !c.Autostart || !c.InUse ||
		!slices.Equal(c.ExitCodes, []int{0}) || c.GroupPrio != 999 || c.StopSignal != 15 ||
		c.StdoutLogfileMaxBytes != 50<<20 || c.StderrLogfile != "auto" || c.ServerURL != "none" {
		t.Errorf("config info = %+v", c)
	}
}

func TestDecodeSupervisordFault(t *testing.T) {
	t.Parallel()
	err := decodeFile(t, "fault_bad_name.response.xml", new(any))
	if !errors.Is(err, ErrBadName) {
		t.Fatalf("DecodeResponse error = %v; want ErrBadName", err)
	}
	var f *Fault
	if !errors.As(err, &f) || f.String != "BAD_NAME: nosuch" {
		t.Errorf("fault = %+v; want BAD_NAME: nosuch", f)
	}
}

func TestDecodeSupervisordMulticall(t *testing.T) {
	t.Parallel()
	var vs []Value
	if err := decodeFile(t, "multicall.response.xml", &vs); err != nil {
		t.Fatal(err)
	}
	rs := MulticallResults(vs)
	if len(rs) != 3 {
		t.Fatalf("got %d results; want 3", len(rs))
	}
	var st State
	if err := rs[0].Decode(&st); err != nil || st != (State{1, "RUNNING"}) {
		t.Errorf("result 0 = %+v, %v; want RUNNING", st, err)
	}
	if err := rs[1].Err(); !errors.Is(err, ErrUnknownMethod) {
		t.Errorf("result 1 error = %v; want ErrUnknownMethod", err)
	}
	var info ProcessInfo
	if err := rs[2].Decode(&info); err != nil || info.PID != 14205 {
		t.Errorf("result 2 = %+v, %v; want pid 14205", info, err)
	}
}

func TestDecodeSupervisordListMethods(t *testing.T) {
	t.Parallel()
	var names []string
	if err := decodeFile(t, "list_methods.response.xml", &names); err != nil {
		t.Fatal(err)
	}
	if len(names) != 41 || !slices.IsSorted(names) || !slices.Contains(names, "system.multicall") {
		t.Errorf("listMethods = %d names %v; want 41 sorted with system.multicall", len(names), names)
	}
}
