package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/internal/spec"
)

const (
	defaultSpecs  = "specs"
	defaultOutput = "generated"
)

func quote(s string) string { return strconv.Quote(s) }

// inputFlags are the flags shared by commands that read specs.
type inputFlags struct {
	capabilities string
	verbose      bool
}

func (in *inputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&in.capabilities, "capabilities", "",
		"the capability vocabulary (default: capabilities.yaml beside the providers/ directory)")
	fs.BoolVar(&in.verbose, "v", false, "print timings to stderr")
}

// newFlagSet returns a flag set that prints its errors and usage to stderr.
func newFlagSet(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: capgen %s [flags] %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// load reads the catalogue named by the arguments: nothing means specs/,
// a directory is a catalogue directory, a file is a provider spec (or the
// vocabulary when it is named capabilities.yaml).
func (in *inputFlags) load(args []string, stderr io.Writer) (*model.Catalog, bool) {
	start := time.Now()
	if len(args) == 0 {
		args = []string{defaultSpecs}
	}
	vocab, providers, err := in.resolve(args)
	if err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return nil, false
	}
	cat, diags := spec.LoadFiles(vocab, providers)
	printDiagnostics(diags, stderr)
	if in.verbose {
		fmt.Fprintf(stderr, "capgen: loaded %d spec files in %s\n", len(providers)+1, since(start))
	}
	return cat, cat != nil
}

func (in *inputFlags) resolve(args []string) (vocab string, providers []string, err error) {
	vocab = in.capabilities
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return "", nil, fmt.Errorf("%s: no such file or directory", a)
		}
		if st.IsDir() {
			found, _ := filepath.Glob(filepath.Join(a, "providers", "*.yaml"))
			providers = append(providers, found...)
			if vocab == "" {
				vocab = filepath.Join(a, "capabilities.yaml")
			}
			continue
		}
		if filepath.Base(a) == "capabilities.yaml" {
			vocab = a
			continue
		}
		providers = append(providers, a)
		if vocab == "" {
			vocab = filepath.Join(filepath.Dir(filepath.Dir(a)), "capabilities.yaml")
		}
	}
	return vocab, providers, nil
}

// printDiagnostics prints errors as file:line:col: message and warnings
// with the capgen: prefix of every warning.
func printDiagnostics(diags spec.Diagnostics, stderr io.Writer) {
	for _, d := range diags {
		if d.Warning {
			fmt.Fprintf(stderr, "capgen: %s\n", d)
		} else {
			fmt.Fprintln(stderr, d)
		}
	}
}

func since(t time.Time) time.Duration {
	return time.Since(t).Round(10 * time.Microsecond)
}
