package metrics

import (
	"bytes"
	"compress/gzip"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	// contentType is the text format's, as client_golang's handler
	// answers a scraper that does not ask for protobuf.
	contentType = "text/plain; version=0.0.4; charset=utf-8"
	// maxInFlight scrapes run at once; more are answered 503.
	maxInFlight = 4
	// scrapeTimeout bounds one scrape; past it the answer is 503.
	scrapeTimeout = 10 * time.Second
)

// Handler serves the exposition of reg for /metrics, gzipped when the
// scraper accepts it (Prometheus does): at most 4 scrapes run at once and
// a scrape that takes over 10s gets 503, as client_golang's handler was
// configured to do. A failed write (the scraper went away) is logged.
func Handler(reg *Registry, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	log := logger.With("component", "metrics")
	inFlight := make(chan struct{}, maxInFlight)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case inFlight <- struct{}{}:
			defer func() { <-inFlight }()
		default:
			http.Error(w, "Limit of concurrent requests reached (4), try again later.", http.StatusServiceUnavailable)
			return
		}
		body, encoding, err := render(reg, r)
		if err != nil {
			log.Warn("scrape error", "err", err)
			http.Error(w, "An error has occurred while serving metrics: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Add("Vary", "Accept-Encoding")
		if encoding != "" {
			w.Header().Set("Content-Encoding", encoding)
		}
		if _, err := w.Write(body); err != nil {
			log.Debug("scrape not delivered", "err", err)
		}
	})
	return http.TimeoutHandler(h, scrapeTimeout, "Exceeded configured timeout of 10s.\n")
}

// render writes the exposition, gzipped when r accepts gzip, and returns
// it with its Content-Encoding ("" when plain).
func render(reg *Registry, r *http.Request) ([]byte, string, error) {
	var buf bytes.Buffer
	if !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		err := reg.Write(&buf)
		return buf.Bytes(), "", err
	}
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err := reg.Write(zw); err != nil {
		return nil, "", err
	}
	if err := zw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "gzip", nil
}

// acceptsGzip reports whether an Accept-Encoding header value lists gzip
// with a quality above 0.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		for param := range strings.SplitSeq(params, ";") {
			name, value, _ := strings.Cut(param, "=")
			if strings.EqualFold(strings.TrimSpace(name), "q") {
				q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
				return err == nil && q > 0
			}
		}
		return true
	}
	return false
}
