package mainlog

import (
	"fmt"
	"log/slog"
	"strings"
)

// The reference's seven levels as slog levels. slog's own Debug, Info,
// Warn and Error are supervisord's DEBG, INFO, WARN and ERRO; CRIT lies
// above them and TRAC and BLAT below, spaced as slog spaces its levels.
const (
	LevelBlather  slog.Level = -8
	LevelTrace    slog.Level = -6
	LevelDebug               = slog.LevelDebug
	LevelInfo                = slog.LevelInfo
	LevelWarn                = slog.LevelWarn
	LevelError               = slog.LevelError
	LevelCritical slog.Level = 12
)

// levels lists each level with its line name, config name and the
// reference's number, most severe first.
var levels = []struct {
	level      slog.Level
	name, word string
	number     int
}{
	{LevelCritical, "CRIT", "critical", 50},
	{LevelError, "ERRO", "error", 40},
	{LevelWarn, "WARN", "warn", 30},
	{LevelInfo, "INFO", "info", 20},
	{LevelDebug, "DEBG", "debug", 10},
	{LevelTrace, "TRAC", "trace", 5},
	{LevelBlather, "BLAT", "blather", 3},
}

// LevelName returns the four letters a line shows for l: CRIT, ERRO,
// WARN, INFO, DEBG, TRAC or BLAT. A level between two of the seven takes
// the name of the one below it, as slog names LevelInfo+2 "INFO+2" after
// Info.
func LevelName(l slog.Level) string {
	for _, lv := range levels {
		if l >= lv.level {
			return lv.name
		}
	}
	return "BLAT"
}

// ParseLevel parses a loglevel value of the config or of -e: critical,
// error, warn, info, debug, trace or blather, in any case. "warning" is
// not one, as in the reference.
func ParseLevel(s string) (slog.Level, error) {
	for _, lv := range levels {
		if strings.ToLower(s) == lv.word {
			return lv.level, nil
		}
	}
	return 0, fmt.Errorf("bad logging level name '%s'", s)
}

// LevelOf converts a level numbered as the reference numbers them (50
// critical … 3 blather, as config.LogLevel holds it) to a slog level. A
// number between two of the seven maps to the one below it.
func LevelOf(number int) slog.Level {
	for _, lv := range levels {
		if number >= lv.number {
			return lv.level
		}
	}
	return LevelBlather
}
