package configs

import "strings"

// Problem is one invalid field of config.json.
type Problem struct {
	// Code is stable and machine-readable ("invalid-namespace").
	Code string
	// Pointer is the JSON pointer of the field ("/linux/namespaces/2/type").
	Pointer string
	// Field is the human spelling ("linux.namespaces[2].type").
	Field string
	Msg   string
}

func (p Problem) Error() string {
	if p.Field == "" {
		return p.Msg
	}
	return p.Field + ": " + p.Msg
}

// Error carries every problem found; it prints the first as one line.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		return "invalid configuration"
	}
	return e.Problems[0].Error()
}

// Code is the first problem's code, for the JSON log.
func (e *Error) Code() string {
	if len(e.Problems) == 0 {
		return ""
	}
	return e.Problems[0].Code
}

// Pointer is the first problem's JSON pointer, for the JSON log.
func (e *Error) Pointer() string {
	if len(e.Problems) == 0 {
		return ""
	}
	return e.Problems[0].Pointer
}

// problems collects problems while validating.
type problems struct{ list []Problem }

// add records a problem at field (dotted, with [i] indexes); the JSON
// pointer is derived from it.
func (p *problems) add(code, field, msg string) {
	p.list = append(p.list, Problem{Code: code, Field: field, Pointer: pointerOf(field), Msg: msg})
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &Error{Problems: p.list}
}

// pointerOf turns "linux.namespaces[2].type" into "/linux/namespaces/2/type".
func pointerOf(field string) string {
	if field == "" {
		return ""
	}
	var b strings.Builder
	for _, part := range strings.Split(field, ".") {
		name, rest, _ := strings.Cut(part, "[")
		b.WriteString("/" + escapePointer(name))
		for rest != "" {
			var idx string
			idx, rest, _ = strings.Cut(rest, "]")
			b.WriteString("/" + escapePointer(idx))
			rest = strings.TrimPrefix(rest, "[")
		}
	}
	return b.String()
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
