package ctl

import (
	"context"
	"slices"
	"strings"
)

// helpTexts are the reference's help_<command> texts, printed as they are
// by "help <command>" and after a usage error.
var helpTexts = map[string]string{
	"add":   "add <name> [...]\tActivates any updates in config for process/group",
	"avail": "avail\t\t\tDisplay all configured processes",
	"clear": "clear <name>\t\tClear a process' log files.\nclear <name> <name>\tClear multiple process' log files\nclear all\t\tClear all process' log files",
	"exit":  "exit\tExit the supervisor shell.",
	"fg":    "fg <process>\tConnect to a process in foreground mode\n\t\tCtrl-C to exit",
	"maintail": "maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)\n" +
		"maintail -100\tlast 100 *bytes* of supervisord main log file\n" +
		"maintail\tlast 1600 *bytes* of supervisor main log file\n",
	"open": "open <url>\tConnect to a remote supervisord process.\n\t\t(for UNIX domain socket, use unix:///socket/path)",
	"pid": "pid\t\t\tGet the PID of supervisord.\npid <name>\t\tGet the PID of a single child process by name.\n" +
		"pid all\t\t\tGet the PID of every child process, one per line.",
	"quit":   "quit\tExit the supervisor shell.",
	"reload": "reload \t\tRestart the remote supervisord.",
	"remove": "remove <name> [...]\tRemoves process/group from active config",
	"reread": "reread \t\t\tReload the daemon's configuration files without add/remove",
	"restart": "restart <name>\t\tRestart a process\nrestart <gname>:*\tRestart all processes in a group\n" +
		"restart <name> <name>\tRestart multiple processes or groups\nrestart all\t\tRestart all processes\n" +
		"Note: restart does not reread config files. For that, see reread and update.",
	"shutdown": "shutdown \tShut the remote supervisord down.",
	"signal": "signal <signal name> <name>\t\tSignal a process\nsignal <signal name> <gname>:*\t\tSignal all processes in a group\n" +
		"signal <signal name> <name> <name>\tSignal multiple processes or groups\nsignal <signal name> all\t\tSignal all processes",
	"start": "start <name>\t\tStart a process\nstart <gname>:*\t\tStart all processes in a group\n" +
		"start <name> <name>\tStart multiple processes or groups\nstart all\t\tStart all processes",
	"status": "status <name>\t\tGet status for a single process\nstatus <gname>:*\tGet status for all processes in a group\n" +
		"status <name> <name>\tGet status for multiple named processes\nstatus\t\t\tGet all process status info",
	"stop": "stop <name>\t\tStop a process\nstop <gname>:*\t\tStop all processes in a group\n" +
		"stop <name> <name>\tStop multiple processes or groups\nstop all\t\tStop all processes",
	"tail": "tail [-f] <name> [stdout|stderr] (default stdout)\nEx:\ntail -f <name>\t\tContinuous tail of named process stdout\n" +
		"\t\t\tCtrl-C to exit.\ntail -100 <name>\tlast 100 *bytes* of process stdout\ntail <name> stderr\tlast 1600 *bytes* of process stderr",
	"update": "update\t\t\tReload config and add/remove as necessary, and will restart affected programs\n" +
		"update all\t\tReload config and add/remove as necessary, and will restart affected programs\n" +
		"update <gname> [...]\tUpdate specific groups\n" +
		"update --only-changed [all|<gname> ...]\tRestart only the processes whose config changed (Lancer)",
	"version": "version\t\t\tShow the version of the remote supervisord process",
}

// helpHelp is what "help help" prints.
const helpHelp = "help\t\tPrint a list of available actions\nhelp <action>\tPrint help for <action>"

// topics returns the documented commands, sorted.
func topics() []string {
	names := make([]string, 0, len(helpTexts))
	for name := range helpTexts {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// help prints the command table, or the help of one command.
func (c *Controller) help(_ context.Context, arg string) (bool, error) {
	switch text, ok := helpTexts[arg]; {
	case arg == "help":
		c.println(helpHelp)
	case ok:
		c.println(text)
	case arg != "":
		c.printf("*** No help on %s", arg)
	default:
		header := "default commands (type help <topic>):"
		c.println("")
		c.println(header)
		c.println(strings.Repeat("=", len(header)))
		for _, row := range columnize(topics(), 79) {
			c.println(row)
		}
		c.println("")
	}
	return false, nil
}

// usage prints the help of name after a usage error.
func (c *Controller) usage(name string) { c.println(helpTexts[name]) }

// columnize lays words out in as few rows as fit width, filling columns
// top to bottom and padding each to its widest word plus two spaces, as
// Python's cmd.Cmd.columnize does (trailing padding included).
func columnize(words []string, width int) []string {
	if len(words) < 2 {
		return words
	}
	var rows int
	var widths []int
	for rows = 1; rows < len(words); rows++ {
		if widths = colWidths(words, rows, width); widths != nil {
			break
		}
	}
	if rows == len(words) {
		widths = []int{0}
	}
	cols := len(widths)
	out := make([]string, rows)
	for r := range rows {
		var texts []string
		for col := range cols {
			if i := r + rows*col; i < len(words) {
				texts = append(texts, words[i]+strings.Repeat(" ", max(0, widths[col]-len(words[i]))))
			}
		}
		out[r] = strings.Join(texts, "  ")
	}
	return out
}

// colWidths returns the column widths of words in rows rows, or nil if
// they do not fit width.
func colWidths(words []string, rows, width int) []int {
	cols := (len(words) + rows - 1) / rows
	widths := make([]int, cols)
	total := -2
	for col := range cols {
		for r := range rows {
			if i := r + rows*col; i < len(words) {
				widths[col] = max(widths[col], len(words[i]))
			}
		}
		total += widths[col] + 2
		if total > width {
			return nil
		}
	}
	return widths
}
