package main

import (
	"fmt"
	"io"

	"github.com/capgen/capgen/internal/spec"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	var in inputFlags
	fs := newFlagSet("check", "[-config capgen.yaml | FILE|DIR...]", stderr)
	in.register(fs)
	config := fs.String("config", "", "a consumer's capgen.yaml: check it and the specs it names")
	if fs.Parse(args) != nil {
		return 2
	}
	if *config != "" {
		if fs.NArg() > 0 {
			fmt.Fprintln(stderr, "capgen: check takes either -config or spec files, not both")
			return 2
		}
		cfg, _, diags := spec.LoadConfig(*config)
		printDiagnostics(diags, stderr)
		if cfg == nil {
			return 1
		}
		return 0
	}
	if _, ok := in.load(fs.Args(), stderr); !ok {
		return 1
	}
	return 0
}
