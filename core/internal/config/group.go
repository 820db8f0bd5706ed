package config

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/lancerhq/lancer/protocol"
)

// defaultResultHandler is the only [eventlistener:x] result_handler we
// run: the option names a Python function.
const defaultResultHandler = "supervisor.dispatchers:default_handler"

// groups reads the process groups, in the reference's order: [group:x]
// sections first (their programs then form no group of their own),
// then the remaining [program:x], the [eventlistener:x] and the remaining
// [fcgi-program:x] sections; then sorts them by (priority, name).
func (ld *loader) groups() {
	var groups []Group
	grouped := make(map[string]bool)
	kinds := []struct {
		prefix string
		read   func(sec string) (Group, bool)
	}{
		{"group:", func(sec string) (Group, bool) { return ld.heterogeneous(sec, grouped) }},
		{"program:", ld.programGroup},
		{"eventlistener:", ld.listenerPool},
		{"fcgi-program:", ld.fcgiGroup},
	}
	for _, k := range kinds {
		for _, sec := range ld.st.sections() {
			if strings.HasPrefix(sec, k.prefix) && !grouped[sec] {
				if g, ok := k.read(sec); ok {
					groups = append(groups, g)
				}
			}
		}
	}
	slices.SortStableFunc(groups, func(a, b Group) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), strings.Compare(a.Name, b.Name))
	})
	ld.checkUnique(groups)
	ld.file.Groups = groups
}

// groupName reads the name after the colon of sec and the group-level
// names its options may use.
func (ld *loader) groupName(sec string) (string, names, bool) {
	_, after, _ := strings.Cut(sec, ":")
	name, err := parseName(after)
	if err != nil {
		ld.pb.fail(ld.sectionPos(sec), sec, "", err)
		return "", names{}, false
	}
	return name, names{local: map[string]any{"here": ld.here}, env: ld.env}, true
}

// heterogeneous reads a [group:x] section and the programs it lists.
func (ld *loader) heterogeneous(sec string, grouped map[string]bool) (Group, bool) {
	name, nm, ok := ld.groupName(sec)
	if !ok {
		return Group{}, false
	}
	g := Group{Name: name, Kind: KindProgram, Section: sec}
	g.Priority = value(ld, sec, "priority", "999", nm, parseInt)
	text, at, _ := ld.text(sec, "programs", "", nm)
	programs := parseList(text)
	if len(programs) == 0 {
		ld.pb.warn(at, sec, "programs", "the group lists no programs")
	}
	for _, prog := range programs {
		target, ok := ld.groupMember(sec, prog, at)
		if !ok {
			// Neither section forms a group of its own either, so that
			// an ambiguous name is reported once.
			grouped["program:"+prog], grouped["fcgi-program:"+prog] = true, true
			continue
		}
		grouped[target] = true
		g.Processes = append(g.Processes, ld.processes(target, name)...)
	}
	return g, true
}

// groupMember finds the section of a program a [group:x] lists.
func (ld *loader) groupMember(sec, prog string, at pos) (string, bool) {
	ps, fs := "program:"+prog, "fcgi-program:"+prog
	hasP, hasF := ld.st.has(ps), ld.st.has(fs)
	switch {
	case !hasP && !hasF:
		ld.pb.fail(at, sec, "programs", fmt.Errorf("%q names neither a [%s] nor a [%s] section", prog, ps, fs))
		return "", false
	case hasP && hasF:
		ld.pb.fail(at, sec, "programs", fmt.Errorf("%q is ambiguous: both [%s] and [%s] exist", prog, ps, fs))
		return "", false
	case hasF:
		ld.pb.warn(at, sec, "programs", fmt.Sprintf("[%s] runs as a plain program in a group, without its socket (as in the reference)", fs))
		return fs, true
	}
	return ps, true
}

// programGroup reads a [program:x] that no [group:x] lists.
func (ld *loader) programGroup(sec string) (Group, bool) {
	name, nm, ok := ld.groupName(sec)
	if !ok {
		return Group{}, false
	}
	g := Group{Name: name, Kind: KindProgram, Section: sec}
	g.Priority = value(ld, sec, "priority", "999", nm, parseInt)
	g.Processes = ld.processes(sec, name)
	return g, true
}

// listenerPool reads an [eventlistener:x] section.
func (ld *loader) listenerPool(sec string) (Group, bool) {
	name, nm, ok := ld.groupName(sec)
	if !ok {
		return Group{}, false
	}
	// Listeners start first and stop last by default.
	g := Group{Name: name, Kind: KindEventListener, Section: sec, Pool: &Pool{}}
	g.Priority = value(ld, sec, "priority", "-1", nm, parseInt)
	g.Pool.BufferSize = value(ld, sec, "buffer_size", "10", nm, func(t string) (int, error) {
		n, err := parseInt(t)
		if err == nil && n < 1 {
			err = fmt.Errorf("%d is too small (want 1 or more)", n)
		}
		return n, err
	})
	if h, at, ok := ld.text(sec, "result_handler", defaultResultHandler, nm); ok && h != defaultResultHandler {
		ld.pb.fail(at, sec, "result_handler", fmt.Errorf("%q names Python code, which lancer cannot run (only %s is supported: RESULT OK acknowledges, FAIL re-sends)", h, defaultResultHandler))
	}
	g.Pool.Events = ld.events(sec, nm)
	if value(ld, sec, "redirect_stderr", "false", nm, parseBool) {
		_, at := ld.raw(sec, "redirect_stderr", "")
		ld.pb.fail(at, sec, "redirect_stderr", errors.New("true is not allowed: a listener's stdout carries the event protocol, and stderr output would corrupt it"))
	}
	g.Processes = ld.processes(sec, name)
	return g, true
}

// events reads a pool's events: event type names, in any case.
func (ld *loader) events(sec string, nm names) []protocol.EventType {
	text, at, ok := ld.text(sec, "events", "", nm)
	if !ok {
		return nil
	}
	if !ld.has(sec, "events") || text == "" {
		ld.pb.fail(ld.sectionPos(sec), sec, "events", errors.New("missing (want the event types to listen to, such as PROCESS_STATE or TICK_60)"))
		return nil
	}
	var events []protocol.EventType
	for _, name := range parseList(text) {
		t, ok := protocol.ParseEventType(strings.ToUpper(name))
		if !ok {
			ld.pb.fail(at, sec, "events", fmt.Errorf("unknown event type %q (want one of %s)", name, eventTypeList()))
			continue
		}
		if !slices.Contains(events, t) {
			events = append(events, t)
		}
	}
	return events
}

func eventTypeList() string {
	var s []string
	for _, t := range protocol.EventTypes() {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}

// fcgiGroup reads an [fcgi-program:x] section that no [group:x] lists.
func (ld *loader) fcgiGroup(sec string) (Group, bool) {
	name, nm, ok := ld.groupName(sec)
	if !ok {
		return Group{}, false
	}
	g := Group{Name: name, Kind: KindFCGIProgram, Section: sec}
	g.Priority = value(ld, sec, "priority", "999", nm, parseInt)
	g.Socket = ld.socket(sec, name, nm)
	g.Processes = ld.processes(sec, name)
	return g, g.Socket != nil
}

// checkUnique refuses two groups of one name and two processes of one name
// in a group; the reference keeps only one of them, silently.
func (ld *loader) checkUnique(groups []Group) {
	seen := make(map[string]string)
	for _, g := range groups {
		if other, dup := seen[g.Name]; dup {
			first, second := other, g.Section
			if ld.before(second, first) {
				first, second = second, first
			}
			ld.pb.fail(ld.sectionPos(second), second, "", fmt.Errorf("group name %q is taken by [%s] already", g.Name, first))
		}
		seen[g.Name] = g.Section
		procs := make(map[string]bool)
		for _, p := range g.Processes {
			if procs[p.Name] {
				ld.pb.fail(ld.sectionPos(g.Section), g.Section, "", fmt.Errorf("two processes are named %q", p.Name))
			}
			procs[p.Name] = true
		}
	}
}

var tcpSocket = regexp.MustCompile(`^tcp://([^\s:]+):([0-9]+)$`)

// socket reads the socket options of an [fcgi-program:x] section.
func (ld *loader) socket(sec, program string, nm names) *Socket {
	s := &Socket{UID: -1, GID: -1}
	user, hasUser := [2]int{-1, -1}, ld.has(sec, "user")
	if hasUser {
		user = value(ld, sec, "user", "", nm, parseUser)
	}
	if ld.has(sec, "socket_backlog") {
		s.Backlog = value(ld, sec, "socket_backlog", "1", nm, parseBacklog)
	}
	hasOwner, hasMode := ld.has(sec, "socket_owner"), ld.has(sec, "socket_mode")
	if hasOwner {
		owner := value(ld, sec, "socket_owner", "", nm, parseOwner)
		s.UID, s.GID = owner[0], owner[1]
	}
	s.Mode = os.FileMode(value(ld, sec, "socket_mode", "0700", nm, parseOctal))
	sockNames := names{local: map[string]any{"here": ld.here, "program_name": program}, env: ld.env}
	text, at, ok := ld.text(sec, "socket", "", sockNames)
	if !ok {
		return nil
	}
	if text == "" {
		ld.pb.fail(ld.sectionPos(sec), sec, "socket", errors.New("missing (want tcp://host:port or unix:///absolute/path)"))
		return nil
	}
	if err := ld.socketAddress(s, text, hasOwner || hasMode); err != nil {
		ld.pb.fail(at, sec, "socket", err)
		return nil
	}
	// The reference hands a unix socket to the program's user when that is
	// not supervisord's own.
	if s.Network == "unix" && !hasOwner && hasUser && user[0] != os.Getuid() {
		s.UID, s.GID = user[0], user[1]
	}
	return s
}

func parseBacklog(text string) (int, error) {
	n, err := parseInt(text)
	if err == nil && (n < 1 || n > 65535) {
		err = fmt.Errorf("%d is out of range (want 1 to 65535)", n)
	}
	return n, err
}

// socketAddress parses tcp://host:port or unix:///absolute/path into s.
func (ld *loader) socketAddress(s *Socket, text string, ownerOrMode bool) error {
	if path, ok := strings.CutPrefix(text, "unix://"); ok {
		if !strings.HasPrefix(path, "/") {
			return fmt.Errorf("unix socket path %q is not absolute", path)
		}
		s.Network, s.Address = "unix", ld.abs(path)
		s.URL = "unix://" + s.Address
		return nil
	}
	if ownerOrMode {
		return errors.New("socket_owner and socket_mode only apply to a unix:// socket")
	}
	m := tcpSocket.FindStringSubmatch(text)
	if m == nil {
		return fmt.Errorf("invalid socket %q (want tcp://host:port or unix:///absolute/path)", text)
	}
	port, err := pyInt(m[2], 10)
	if err != nil || port < 1 || port > 65535 {
		return fmt.Errorf("invalid port in %q (want 1 to 65535)", text)
	}
	host := strings.ToLower(m[1])
	s.Network, s.Address = "tcp", fmt.Sprintf("%s:%d", host, port)
	s.URL = "tcp://" + s.Address
	s.Mode = 0
	return nil
}

// before reports whether section a was opened before section b.
func (ld *loader) before(a, b string) bool {
	pa, pb := ld.sectionPos(a), ld.sectionPos(b)
	if fa, fb := ld.pb.fileOrder(pa.file), ld.pb.fileOrder(pb.file); fa != fb {
		return fa < fb
	}
	return pa.line < pb.line
}
