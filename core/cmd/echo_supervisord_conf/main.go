// Echo_supervisord_conf prints a sample supervisord.conf with every section
// and option explained, as the reference's command of the same name does:
//
//	echo_supervisord_conf > /etc/supervisord.conf
package main

import (
	_ "embed"
	"io"
	"os"
)

//go:embed sample.conf
var sample string

func main() {
	if _, err := io.WriteString(os.Stdout, sample); err != nil {
		os.Exit(1)
	}
}
