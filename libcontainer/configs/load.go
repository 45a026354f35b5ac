package configs

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// MaxConfigSize bounds config.json: a hostile bundle must not make vessel
// read (and hold) an unbounded file.
const MaxConfigSize = 64 << 20

// LoadSpec reads <bundle>/config.json. Errors say what is wrong in one line,
// with line and column for malformed JSON.
func LoadSpec(bundle string) (*specs.Spec, error) {
	info, err := os.Stat(bundle)
	if err != nil {
		return nil, single("not-found", "", fmt.Sprintf("bundle %s: %v", bundle, unwrapPathError(err)))
	}
	if !info.IsDir() {
		return nil, single("not-found", "", fmt.Sprintf("bundle %s: not a directory", bundle))
	}
	path := filepath.Join(bundle, "config.json")
	// A fifo or device as config.json must not block or have effects.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, single("not-found", "", fmt.Sprintf("config.json: not found in bundle %s", bundle))
	}
	if err != nil {
		return nil, single("not-found", "", fmt.Sprintf("config.json: %v", unwrapPathError(err)))
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil, single("bad-json", "", "config.json: not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxConfigSize+1))
	if err != nil {
		return nil, single("bad-json", "", fmt.Sprintf("config.json: %v", err))
	}
	if len(data) > MaxConfigSize {
		return nil, single("too-large", "", "config.json: larger than 64 MiB")
	}
	return ParseSpec(data)
}

// ParseSpec decodes config.json's content.
func ParseSpec(data []byte) (*specs.Spec, error) {
	spec := &specs.Spec{}
	if err := json.Unmarshal(data, spec); err != nil {
		return nil, jsonProblem(data, err)
	}
	return spec, nil
}

func jsonProblem(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := position(data, se.Offset)
		return single("bad-json", "", fmt.Sprintf("config.json: line %d, column %d: %v", line, col, se))
	case errors.As(err, &te):
		line, col := position(data, te.Offset)
		field := te.Field
		msg := fmt.Sprintf("config.json: line %d, column %d: %s: cannot use %s as %s", line, col, field, te.Value, te.Type)
		return &Error{Problems: []Problem{{Code: "bad-json", Field: "", Pointer: pointerOf(field), Msg: msg}}}
	}
	return single("bad-json", "", "config.json: "+err.Error())
}

// position turns a decoder offset (bytes read, the offending one included)
// into a 1-based line and column.
func position(data []byte, offset int64) (int, int) {
	end := int(offset) - 1
	if end < 0 {
		end = 0
	}
	if end > len(data) {
		end = len(data)
	}
	line, col := 1, 1
	for _, b := range data[:end] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

func single(code, field, msg string) error {
	return &Error{Problems: []Problem{{Code: code, Field: field, Pointer: pointerOf(field), Msg: msg}}}
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
