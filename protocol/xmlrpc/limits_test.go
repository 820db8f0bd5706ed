package xmlrpc

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// repeatReader yields s n times without holding the whole body in memory.
type repeatReader struct {
	s    string
	n    int
	off  int   // offset in the current copy of s
	read int64 // bytes returned so far
}

func (r *repeatReader) Read(p []byte) (int, error) {
	total := 0
	for len(p) > 0 && r.n > 0 {
		c := copy(p, r.s[r.off:])
		p, r.off, total = p[c:], r.off+c, total+c
		if r.off == len(r.s) {
			r.off, r.n = 0, r.n-1
		}
	}
	r.read += int64(total)
	if total == 0 {
		return 0, io.EOF
	}
	return total, nil
}

func nestedArrays(depth int) string {
	return response(strings.Repeat("<value><array><data>", depth) + "<value>x</value>" +
		strings.Repeat("</data></array></value>", depth))
}

func TestLimitDepth(t *testing.T) {
	t.Parallel()
	_, err := DecodeResponse(strings.NewReader(nestedArrays(100)), Limits{MaxDepth: 64})
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "nesting deeper than 64") {
		t.Errorf("100 nested arrays with MaxDepth 64: error = %v; want ErrLimit", err)
	}
	if _, err := DecodeResponse(strings.NewReader(nestedArrays(64)), Limits{}); err != nil {
		t.Errorf("64 nested arrays with default limits: error = %v; want nil", err)
	}
	deepStruct := response(strings.Repeat("<value><struct><member><name>a</name>", 65) + "<value/>" +
		strings.Repeat("</member></struct></value>", 65))
	if _, err := DecodeResponse(strings.NewReader(deepStruct), Limits{}); !errors.Is(err, ErrLimit) {
		t.Errorf("65 nested structs: error = %v; want ErrLimit", err)
	}
}

func TestLimitBytes(t *testing.T) {
	t.Parallel()
	body := response("<value>" + strings.Repeat("a", 1000) + "</value>")
	if _, err := DecodeResponse(strings.NewReader(body), Limits{MaxBytes: int64(len(body))}); err != nil {
		t.Errorf("body of exactly MaxBytes: error = %v; want nil", err)
	}
	_, err := DecodeResponse(strings.NewReader(body), Limits{MaxBytes: int64(len(body)) - 1})
	if !errors.Is(err, ErrLimit) {
		t.Errorf("body over MaxBytes: error = %v; want ErrLimit", err)
	}
	huge := &repeatReader{s: "a", n: 1 << 30}
	r := io.MultiReader(strings.NewReader("<methodResponse><params><param><value>"), huge)
	if _, err := DecodeResponse(r, Limits{MaxBytes: 1 << 20}); !errors.Is(err, ErrLimit) {
		t.Errorf("1 GiB body: error = %v; want ErrLimit", err)
	}
	if huge.read > 2<<20 {
		t.Errorf("read %d bytes of a body over a 1 MiB limit", huge.read)
	}
}

func TestLimitItems(t *testing.T) {
	items := &repeatReader{s: "<value><int>1</int></value>", n: 1_000_000}
	r := io.MultiReader(strings.NewReader("<methodResponse><params><param><value><array><data>"), items,
		strings.NewReader("</data></array></value></param></params></methodResponse>"))
	heap := heapGrowth(t, func() {
		_, err := DecodeResponse(r, Limits{MaxBytes: 1 << 30, MaxItems: 100_000})
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "more than 100000 values") {
			t.Errorf("1e6-element array: error = %v; want ErrLimit at 100000 values", err)
		}
	})
	if items.n < 800_000 {
		t.Errorf("decoder read %d of 1e6 items; want it to stop at the limit", 1_000_000-items.n)
	}
	t.Logf("peak heap growth %d MiB", heap>>20)
	if heap > 32<<20 {
		t.Errorf("decoding up to the item limit grew the heap by %d MiB; want < 32", heap>>20)
	}
	small := response("<value><array><data><value/><value/><value/></data></array></value>")
	if _, err := DecodeResponse(strings.NewReader(small), Limits{MaxItems: 3}); !errors.Is(err, ErrLimit) {
		t.Errorf("4 values with MaxItems 3: error = %v; want ErrLimit", err)
	}
}

// heapGrowth returns how far the live heap grew above its level before f,
// sampled while f runs.
func heapGrowth(t *testing.T, f func()) uint64 {
	t.Helper()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		var max uint64
		var m runtime.MemStats
		for {
			select {
			case <-done:
				peak <- max
				return
			case <-tick.C:
			}
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > before.HeapAlloc && m.HeapAlloc-before.HeapAlloc > max {
				max = m.HeapAlloc - before.HeapAlloc
			}
		}
	}()
	f()
	close(done)
	return <-peak
}

func TestLimitTagLength(t *testing.T) {
	t.Parallel()
	attrs := &repeatReader{s: "a='' ", n: 2_000_000}
	r := io.MultiReader(strings.NewReader("<methodResponse "), attrs, strings.NewReader("/>"))
	_, err := DecodeResponse(r, Limits{})
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "tag longer than") {
		t.Errorf("start tag with 2e6 attributes: error = %v; want ErrLimit", err)
	}
	if attrs.read > 64<<10 {
		t.Errorf("read %d bytes of an over-long tag; want to stop near 4 KiB", attrs.read)
	}
}

func TestLongTextIsNotATag(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x>y<z ", 2000)
	esc := strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(long)
	tests := []struct{ name, value, want string }{
		{"text", "<value>" + esc + "</value>", long},
		{"CDATA", "<value><![CDATA[" + long + "]]></value>", long},
		{"comment", "<value><!--" + long + "-->a</value>", "a"},
		{"quoted > in PI", "<?pi a='>" + strings.Repeat(" ", 100) + "'?><value>a</value>", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := DecodeResponse(strings.NewReader(response(tt.value)), Limits{})
			if s, _ := v.AsString(); err != nil || s != tt.want {
				t.Errorf("DecodeResponse = %.40q, %v; want %.40q", s, err, tt.want)
			}
		})
	}
}

// TestBillionLaughs checks that entity definitions are never expanded:
// encoding/xml does not process DTDs, and the decoder refuses them.
func TestBillionLaughs(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">`)
	b.WriteString(`<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">`)
	for i := 2; i <= 9; i++ {
		b.WriteString(`<!ENTITY lol` + string(rune('0'+i)) + ` "` +
			strings.Repeat(`&lol`+string(rune('0'+i-1))+`;`, 10) + `">`)
	}
	b.WriteString(`]>`)
	for _, body := range []string{
		b.String() + response("<value>&lol9;</value>"),
		response("<value>&lol9;</value>"),
	} {
		_, err := DecodeResponse(strings.NewReader(body), Limits{})
		if err == nil || !strings.Contains(err.Error(), "DOCTYPE") && !strings.Contains(err.Error(), "invalid character entity &lol9;") {
			t.Errorf("DecodeResponse(billion laughs) error = %v; want DOCTYPE or entity refused", err)
		}
	}
}
