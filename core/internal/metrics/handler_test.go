package metrics

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func scrapeOnce(h http.Handler, acceptEncoding string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "/metrics", nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestScrapeGzip: a scraper that accepts gzip (Prometheus does) gets the
// same exposition gzipped.
func TestScrapeGzip(t *testing.T) {
	t.Parallel()
	reg, _ := newCollector(t, testSource(), Options{Usage: fakeUsage{}})
	h := Handler(reg, nil)
	plain := scrapeOnce(h, "")
	zipped := scrapeOnce(h, "gzip, deflate")
	if got := zipped.Header().Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding = %q; want gzip", got)
	}
	if plain.Header().Get("Content-Encoding") != "" {
		t.Errorf("plain scrape has Content-Encoding %q", plain.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != plain.Body.String() || len(body) == 0 {
		t.Errorf("gunzipped scrape differs from the plain one:\n%s\nvs\n%s", body, plain.Body.String())
	}
	if got := zipped.Header().Get("Content-Type"); got != contentType {
		t.Errorf("Content-Type = %q; want %q", got, contentType)
	}
}

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	for header, want := range map[string]bool{
		"":                  false,
		"gzip":              true,
		"GZIP":              true,
		"deflate, gzip":     true,
		"gzip;q=0.5":        true,
		"gzip; q=0":         false,
		"gzip;q=0.000":      false,
		"gzip;q=0.":         false,
		"gzip ; Q=1":        true,
		"gzip;q=junk":       false,
		"br;q=1, gzip;q=0":  false,
		"identity":          false,
		"x-gzip2, identity": false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v; want %v", header, got, want)
		}
	}
}

// TestScrapeLimit: with 4 scrapes running, a fifth is answered 503 at
// once, and the 4 still finish.
func TestScrapeLimit(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		reg, _ := newCollector(t, testSource(), Options{Usage: blockingUsage{}, UsageTimeout: 5 * time.Second})
		h := Handler(reg, nil)
		var wg sync.WaitGroup
		codes := make([]int, maxInFlight)
		for i := range maxInFlight {
			wg.Go(func() { codes[i] = scrapeOnce(h, "").Code })
		}
		synctest.Wait()
		if got := scrapeOnce(h, "").Code; got != http.StatusServiceUnavailable {
			t.Errorf("fifth scrape = %d; want 503", got)
		}
		wg.Wait()
		for i, c := range codes {
			if c != http.StatusOK {
				t.Errorf("scrape %d = %d; want 200", i, c)
			}
		}
		if got := scrapeOnce(h, "").Code; got != http.StatusOK {
			t.Errorf("scrape after the others = %d; want 200", got)
		}
	})
}
