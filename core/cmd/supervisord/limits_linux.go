package main

import (
	"fmt"
	"syscall"

	"github.com/lancerhq/lancer/core/internal/config"
)

const (
	rlimitNproc  = 6          // RLIMIT_NPROC on Linux
	rlimInfinity = ^uint64(0) // RLIM_INFINITY
)

// raiseLimits raises the soft limits of open files and processes to
// minfds and minprocs (and the hard ones too when root), or explains why
// it cannot, as the reference does before it starts anything.
func raiseLimits(sv *config.Supervisord) error {
	if err := raise(syscall.RLIMIT_NOFILE, uint64(sv.Minfds), "file descriptors", "minfds"); err != nil {
		return err
	}
	return raise(rlimitNproc, uint64(sv.Minprocs), "available process slots", "minprocs")
}

func raise(resource int, want uint64, what, option string) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(resource, &lim); err != nil {
		return fmt.Errorf("get limit of %s: %w", what, err)
	}
	if lim.Cur == rlimInfinity || lim.Cur >= want {
		return nil
	}
	next := lim
	next.Cur = want
	if next.Max != rlimInfinity && next.Max < want {
		next.Max = want // only root may raise the hard limit
	}
	if err := syscall.Setrlimit(resource, &next); err != nil {
		return fmt.Errorf("the minimum number of %s required to run this process is %d as per the %q command-line argument or config file setting; the current environment will only allow %d (%w)", what, want, option, lim.Cur, err)
	}
	return nil
}
