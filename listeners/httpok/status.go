package main

import (
	"fmt"
	"strconv"
	"strings"
)

// statusSet is the acceptable HTTP status codes: superlance's -c codes
// and Lancer's --status ranges. It is a pflag.Value for --status. The
// zero statusSet accepts nothing; parseArgs puts in superlance's default
// 200 when neither option is given.
type statusSet struct {
	codes  []int
	ranges []statusRange
}

// statusRange is an inclusive range of status codes.
type statusRange struct{ lo, hi int }

// accepts reports whether code is acceptable. Code 0, no response at
// all, never is.
func (s *statusSet) accepts(code int) bool {
	if code == 0 {
		return false
	}
	for _, c := range s.codes {
		if c == code {
			return true
		}
	}
	for _, r := range s.ranges {
		if r.lo <= code && code <= r.hi {
			return true
		}
	}
	return false
}

func (s *statusSet) empty() bool { return len(s.codes) == 0 && len(s.ranges) == 0 }

// Set adds a --status value.
func (s *statusSet) Set(v string) error {
	r, err := parseStatusRange(v)
	if err != nil {
		return err
	}
	s.ranges = append(s.ranges, r)
	return nil
}

func (s *statusSet) String() string {
	var parts []string
	for _, c := range s.codes {
		parts = append(parts, strconv.Itoa(c))
	}
	for _, r := range s.ranges {
		parts = append(parts, fmt.Sprintf("%d-%d", r.lo, r.hi))
	}
	return strings.Join(parts, ",")
}

func (s *statusSet) Type() string { return "RANGE" }

// parseStatusRange reads "N" or "N-M", HTTP status codes from 100 to 999
// with N <= M.
func parseStatusRange(v string) (statusRange, error) {
	lo, hi, isRange := strings.Cut(v, "-")
	if !isRange {
		hi = lo
	}
	l, errL := parseStatusCode(lo)
	h, errH := parseStatusCode(hi)
	if errL != nil || errH != nil || l > h {
		return statusRange{}, fmt.Errorf("status range %q: want a code (204) or a range of codes from 100 to 999 (200-299)", v)
	}
	return statusRange{l, h}, nil
}

func parseStatusCode(s string) (int, error) {
	if len(s) != 3 {
		return 0, fmt.Errorf("status code %q: not 3 digits", s)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 100 {
		return 0, fmt.Errorf("status code %q: not 100 to 999", s)
	}
	return n, nil
}
