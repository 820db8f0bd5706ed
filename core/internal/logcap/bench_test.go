package logcap

import (
	"path/filepath"
	"testing"
)

// BenchmarkChannelWrite writes 200 MB in 128 KiB chunks, the size of the
// reference's reads, into a channel whose file rotates every 50 MB.
func BenchmarkChannelWrite(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts Options
	}{
		{"file", Options{}},
		{"file+strip+capture", Options{StripANSI: true, CaptureMaxBytes: 1 << 20}},
		{"ring-only", Options{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			const chunk, total = 128 << 10, 200 << 20
			opts := bc.opts
			if bc.name != "ring-only" {
				opts.Path = filepath.Join(b.TempDir(), "log")
				opts.File = FileOptions{MaxBytes: 50 << 20, Backups: 2}
			}
			c, err := NewChannel(nil, opts)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			p := make([]byte, chunk)
			for i := range p {
				p[i] = "0123456789abcdef\n"[i%17]
			}
			b.SetBytes(total)
			b.ReportAllocs()
			for b.Loop() {
				for range total / chunk {
					c.Write(p)
				}
			}
		})
	}
}
