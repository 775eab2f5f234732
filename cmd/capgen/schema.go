package main

import (
	"fmt"
	"io"

	"github.com/capgen/capgen/internal/spec"
)

// runSchema prints the JSON Schema of provider spec files, which editors use
// to complete and check specs as they are written.
func runSchema(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("schema", "", stderr)
	if fs.Parse(args) != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "capgen: schema takes no arguments")
		return 2
	}
	schema, err := spec.Schema()
	if err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return 1
	}
	stdout.Write(schema)
	return 0
}
