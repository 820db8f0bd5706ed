package process

import (
	"slices"
	"testing"
)

func TestSpawnSpecEnviron(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		base, env []string
		want      []string
	}{
		{"both nil: the daemon's own", nil, nil, nil},
		{"base only", []string{"A=1"}, nil, []string{"A=1"}},
		{"env only", nil, []string{"B=2"}, []string{"B=2"}},
		{"replaced in place, new appended", []string{"A=1", "B=2", "AB=3"}, []string{"B=x", "C=y"},
			[]string{"A=1", "B=x", "AB=3", "C=y"}},
		{"later entry wins", []string{"A=1"}, []string{"A=2", "A=3"}, []string{"A=3"}},
		{"empty value and a value with =", []string{"A=1"}, []string{"A=", "Q=a=b"}, []string{"A=", "Q=a=b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := slices.Clone(tt.base)
			got := SpawnSpec{BaseEnv: base, Env: tt.env}.Environ()
			if !slices.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("Environ() = %q; want %q", got, tt.want)
			}
			if !slices.Equal(base, tt.base) {
				t.Errorf("Environ() changed BaseEnv to %q", base)
			}
		})
	}
}
