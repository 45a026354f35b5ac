package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"
)

// logger writes runc-style log lines: text ("time=... level=... msg=...")
// or JSON objects with level, msg and time, one per line. containerd's shim
// reads the last error line of --log; podman parses the file as one object
// on failure, so a failure writes exactly one line when nothing else did.
type logger struct {
	out   io.Writer
	json  bool
	debug bool
	toLog bool // out is the --log file, not stderr
}

var log = &logger{out: os.Stderr}

func setupLogging(ctx *cli.Context) error {
	switch f := ctx.String("log-format"); f {
	case "text", "":
	case "json":
		log.json = true
	default:
		return fmt.Errorf("--log-format: unknown format %q (want text or json)", f)
	}
	log.debug = ctx.Bool("debug")
	if path := ctx.String("log"); path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND|os.O_SYNC, 0o644)
		if err != nil {
			return fmt.Errorf("--log: %w", err)
		}
		log.out, log.toLog = f, true
	}
	if ctx.Bool("systemd-cgroup") {
		return errors.New("--systemd-cgroup: the systemd cgroup driver is not supported")
	}
	return nil
}

// entry writes one line. extra holds machine-readable fields (code, path).
func (l *logger) entry(level, msg string, extra map[string]string) {
	now := time.Now().UTC().Format(time.RFC3339Nano)
	if l.json {
		obj := map[string]string{"level": level, "msg": msg, "time": now}
		for k, v := range extra {
			obj[k] = v
		}
		data, _ := json.Marshal(obj)
		l.out.Write(append(data, '\n'))
		return
	}
	line := fmt.Sprintf("time=%q level=%s msg=%s", now, level, strconv.Quote(msg))
	for _, k := range []string{"code", "path"} {
		if v := extra[k]; v != "" {
			line += fmt.Sprintf(" %s=%q", k, v)
		}
	}
	fmt.Fprintln(l.out, line)
}

func debugf(format string, args ...any) {
	if log.debug {
		log.entry("debug", fmt.Sprintf(format, args...), nil)
	}
}

// warnf reports a problem that does not fail the command. With a JSON log
// only --debug lets it into the file (see logger).
func warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if log.toLog && (!log.json || log.debug) {
		log.entry("warning", msg, nil)
	}
	if !log.toLog || log.json {
		fmt.Fprintln(os.Stderr, "vessel: warning: "+msg)
	}
}

// exitCode makes the process exit with a status and no message (run and
// exec pass on the container's status this way).
type exitCode int

func (e exitCode) Error() string { return "exit status " + strconv.Itoa(int(e)) }

// fatal prints err as one line on stderr and, with --log, one error entry
// carrying its code and the JSON pointer of the config field at fault.
func fatal(err error) {
	var code exitCode
	if errors.As(err, &code) {
		os.Exit(int(code))
	}
	if log.toLog {
		log.entry("error", err.Error(), errorFields(err))
	}
	fmt.Fprintln(os.Stderr, "vessel: "+err.Error())
	os.Exit(1)
}

func errorFields(err error) map[string]string {
	fields := map[string]string{"code": "runtime-error"}
	var c interface{ Code() string }
	if errors.As(err, &c) && c.Code() != "" {
		fields["code"] = c.Code()
	}
	var p interface{ Pointer() string }
	if errors.As(err, &p) && p.Pointer() != "" {
		fields["path"] = p.Pointer()
	}
	return fields
}
