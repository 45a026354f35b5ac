package seccomp

import (
	"fmt"
	"strings"
)

// FieldError is an invalid field of linux.seccomp.
type FieldError struct {
	Field   string // "linux.seccomp.syscalls[12].args[0].op"
	JSONPtr string // "/linux/seccomp/syscalls/12/args/0/op"
	Msg     string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// Code and Pointer feed vessel's JSON error log.
func (e *FieldError) Code() string    { return "invalid-seccomp" }
func (e *FieldError) Pointer() string { return e.JSONPtr }

func fieldErr(field, format string, args ...any) *FieldError {
	ptr := "/" + strings.NewReplacer(".", "/", "[", "/", "]", "").Replace(field)
	return &FieldError{Field: field, JSONPtr: ptr, Msg: fmt.Sprintf(format, args...)}
}
