package metrics

import (
	"fmt"
	"io"
	"sync"
)

// Registry is the set of collectors that /metrics serves. The daemon
// makes one and injects it into [New] and [Handler]; the package keeps
// none of its own. It is safe for concurrent use.
//
// It stands where client_golang's prometheus.Registry stood. That
// registry works on the protobuf data model, and google.golang.org/protobuf
// alone was 2.3 MB of the daemon's resident memory (its code and
// descriptors, touched at start), for about twenty families of gauges and
// counters that a scrape computes from the snapshot. The text format
// they are served in is written here (expo.go); the tests read it back
// with client_golang's own parser and linter.
type Registry struct {
	mu    sync.Mutex
	cs    []collector
	names map[string]bool
}

// collector is what a Registry gathers from at each scrape.
type collector interface {
	// describe returns the descs of every family it may emit.
	describe() []*desc
	// collect adds this scrape's samples.
	collect(s *scrape)
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry { return &Registry{names: map[string]bool{}} }

// register adds c, unless a family of c is already registered.
func (r *Registry) register(c collector) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	ds := c.describe()
	for _, d := range ds {
		if r.names[d.name] {
			return fmt.Errorf("metrics: family %s is already registered", d.name)
		}
	}
	for _, d := range ds {
		r.names[d.name] = true
	}
	r.cs = append(r.cs, c)
	return nil
}

// Write gathers every collector and writes the exposition to w, in the
// text format.
func (r *Registry) Write(w io.Writer) error {
	r.mu.Lock()
	cs := append([]collector(nil), r.cs...)
	r.mu.Unlock()
	s := &scrape{fams: map[*desc]*family{}}
	for _, c := range cs {
		c.collect(s)
	}
	fams := make([]*family, 0, len(s.fams))
	for _, f := range s.fams {
		fams = append(fams, f)
	}
	return writeText(w, fams)
}

// scrape holds one gathering's samples by family.
type scrape struct {
	fams map[*desc]*family
}

// add records a sample of d with the given label values, in the order of
// d's labels. values is kept, not copied.
func (s *scrape) add(d *desc, v float64, values []string) {
	f := s.fams[d]
	if f == nil {
		f = &family{desc: d}
		s.fams[d] = f
	}
	f.samples = append(f.samples, sample{values: values, value: v})
}
