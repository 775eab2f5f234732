package main

import (
	"fmt"
	"io"
	"time"

	"github.com/capgen/capgen/generator"
	"github.com/capgen/capgen/internal/textdiff"
)

func runGenerate(args []string, stdout, stderr io.Writer) int {
	var in inputFlags
	fs := newFlagSet("generate", "[FILE|DIR...]", stderr)
	in.register(fs)
	out := fs.String("o", defaultOutput, "output directory")
	check := fs.Bool("check", false, "write nothing; report stale or missing files and exit 1 if any")
	if fs.Parse(args) != nil {
		return 2
	}
	cat, ok := in.load(fs.Args(), stderr)
	if !ok {
		return 1
	}

	start := time.Now()
	files, err := generator.Generate(cat)
	if err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return 1
	}
	changes, err := generator.Plan(*out, files)
	if err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return 1
	}
	if in.verbose {
		fmt.Fprintf(stderr, "capgen: rendered %d files in %s\n", len(files), since(start))
	}

	if *check {
		return reportStale(*out, changes, stdout)
	}
	if err := generator.Apply(*out, changes); err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return 1
	}
	if in.verbose {
		fmt.Fprintf(stderr, "capgen: wrote %d of %d files in %s\n", len(changes), len(files), since(start))
	}
	return 0
}

// reportStale prints every change generate would make, with its diff.
func reportStale(dir string, changes []generator.Change, stdout io.Writer) int {
	for _, c := range changes {
		path := dir + "/" + c.Path
		fmt.Fprintf(stdout, "%s: %s\n", path, c.Kind)
		fmt.Fprint(stdout, textdiff.Unified(path, path+" (generated)", string(c.Old), string(c.New)))
	}
	if len(changes) > 0 {
		fmt.Fprintf(stdout, "%d generated files are out of date: run capgen generate\n", len(changes))
		return 1
	}
	return 0
}
