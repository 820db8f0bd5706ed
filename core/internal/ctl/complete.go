package ctl

import (
	"io"
	"slices"
	"strings"
)

// completionDelims end the word being completed: readline's delimiters
// less ":", "*" and "-", as the reference sets them, so that "group:*"
// and "my-prog" are one word.
const completionDelims = " \t\n`~!@#$%^&()=+[{]}\\|;'\",<>/?"

// completions returns what the word text may become in line (the text
// before the cursor), each with a trailing space, as the reference's
// complete does: command names first, then group names after add,
// remove and update, and process names after the commands that take them.
func (c *Controller) completions(line, text string) []string {
	words := strings.Fields(line)
	var cands []string
	switch {
	case len(words) == 0, len(words) == 1 && !strings.HasSuffix(line, " "):
		cands = vocabulary()
	case words[0] == "help":
		cands = vocabulary()
	case slices.Contains([]string{"add", "remove", "update"}, words[0]):
		cands = c.groupNames()
	case slices.Contains([]string{"clear", "fg", "pid", "restart", "signal", "start", "status", "stop", "tail"}, words[0]):
		cands = c.processNames(strings.Contains(text, ":"))
	}
	var out []string
	for _, s := range cands {
		if strings.HasPrefix(s, text) {
			out = append(out, s+" ")
		}
	}
	return out
}

// vocabulary is every command name, help first as in the reference.
func vocabulary() []string {
	return append([]string{"help"}, topics()...)
}

// processInfo returns the processes for completion, asked once between
// two commands (readline may complete many times for one Tab).
func (c *Controller) completeInfo() {
	if c.complete != nil {
		return
	}
	cl, err := c.api()
	if err != nil {
		return
	}
	c.complete, _ = cl.GetAllProcessInfo(c.ctx)
}

func (c *Controller) groupNames() []string {
	c.completeInfo()
	var groups []string
	for _, p := range c.complete {
		if !slices.Contains(groups, p.Group) {
			groups = append(groups, p.Group)
		}
	}
	return groups
}

// processNames lists "group:name" and "group:*" for processes in named
// groups (or for all when the word has a colon), else the bare name.
func (c *Controller) processNames(qualified bool) []string {
	c.completeInfo()
	var names []string
	for _, p := range c.complete {
		if !qualified && p.Name == p.Group {
			names = append(names, p.Name)
			continue
		}
		names = append(names, p.Group+":"+p.Name)
		if g := p.Group + ":*"; !slices.Contains(names, g) {
			names = append(names, g)
		}
	}
	return names
}

// completeLine completes the word before pos in line, for the terminal's
// Tab: one candidate replaces the word; several extend it to their common
// prefix, or are listed on w when that adds nothing.
func (c *Controller) completeLine(line string, pos int, w io.Writer) (string, int, bool) {
	start := strings.LastIndexAny(line[:pos], completionDelims) + 1
	text := line[start:pos]
	cands := c.completions(line[:pos], text)
	if len(cands) == 0 {
		return "", 0, false
	}
	fill := cands[0]
	if len(cands) > 1 {
		fill = commonPrefix(cands)
	}
	if fill == text {
		list := make([]string, len(cands))
		for i, s := range cands {
			list[i] = strings.TrimSuffix(s, " ")
		}
		_, _ = io.WriteString(w, strings.Join(columnize(list, 79), "\n")+"\n")
		return line, pos, true
	}
	return line[:start] + fill + line[pos:], start + len(fill), true
}

func commonPrefix(ss []string) string {
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
