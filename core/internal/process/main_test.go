package process

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"

	"github.com/lancerhq/lancer/internal/testproc"
)

func TestMain(m *testing.M) {
	testproc.Main(m, map[string]testproc.Func{
		"spawn-shim": func(args []string, _, stderr io.Writer) int { return RunShim(args, stderr) },
		"env-cwd":    helperEnvCwd,
		"umask":      helperUmask,
		"echo-stdin": helperEchoStdin,
	})
}

// env-cwd VAR: print $VAR and the working directory, one per line.
func helperEnvCwd(args []string, stdout, _ io.Writer) int {
	wd, err := os.Getwd()
	if err != nil || len(args) != 1 {
		return 2
	}
	fmt.Fprintf(stdout, "%s\n%s\n", os.Getenv(args[0]), wd)
	return 0
}

// umask: print the umask in octal.
func helperUmask(_ []string, stdout, _ io.Writer) int {
	m := syscall.Umask(0)
	fmt.Fprintf(stdout, "%03o\n", m)
	return 0
}

// echo-stdin: copy one line from stdin to stdout.
func helperEchoStdin(_ []string, stdout, _ io.Writer) int {
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil {
		return 3
	}
	fmt.Fprint(stdout, line)
	return 0
}
