package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/capgen/capgen/generator"
	"github.com/capgen/capgen/internal/manifest"
	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/internal/spec"
	"github.com/capgen/capgen/internal/textdiff"
	"github.com/capgen/capgen/specs"
)

func runGenerate(args []string, stdout, stderr io.Writer) int {
	var in inputFlags
	fs := newFlagSet("generate", "[-config capgen.yaml | FILE|DIR...]", stderr)
	in.register(fs)
	out := fs.String("o", "", "output directory (default generated/, or the config's output)")
	check := fs.Bool("check", false, "write nothing; report stale or missing files and exit 1 if any")
	config := fs.String("config", "", "a consumer's capgen.yaml: generate only its features' capabilities")
	if fs.Parse(args) != nil {
		return 2
	}
	if *config != "" && fs.NArg() > 0 {
		fmt.Fprintln(stderr, "capgen: generate takes either -config or spec files, not both")
		return 2
	}

	start := time.Now()
	var files []generator.OutputFile
	var dir string
	var ok bool
	if *config != "" {
		files, dir, ok = renderConsumer(*config, *out, in.verbose, stderr)
	} else {
		files, dir, ok = renderCatalogue(&in, fs.Args(), *out, stderr)
	}
	if !ok {
		return 1
	}
	if in.verbose {
		fmt.Fprintf(stderr, "capgen: rendered %d files in %s\n", len(files), since(start))
	}
	return writeOrCheck(dir, files, *check, in.verbose, stdout, stderr)
}

// renderCatalogue renders every provider of the named specs.
func renderCatalogue(in *inputFlags, args []string, out string, stderr io.Writer) (
	[]generator.OutputFile, string, bool) {
	cat, ok := in.load(args, stderr)
	if !ok {
		return nil, "", false
	}
	files, err := generator.Generate(cat)
	if err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return nil, "", false
	}
	if out == "" && len(args) == 0 && in.capabilities == "" {
		return withProvidersPage(cat, files, stderr)
	}
	if out == "" {
		out = defaultOutput
	}
	return files, out, true
}

// renderConsumer renders a consumer's output directory from its capgen.yaml.
func renderConsumer(config, out string, verbose bool, stderr io.Writer) (
	[]generator.OutputFile, string, bool) {
	start := time.Now()
	cfg, cat, diags := spec.LoadConfig(config)
	printDiagnostics(diags, stderr)
	if cfg == nil {
		return nil, "", false
	}
	if verbose {
		fmt.Fprintf(stderr, "capgen: loaded %s and %d specs in %s\n",
			config, len(cat.Providers), since(start))
	}
	if out == "" {
		out = cfg.Output
		if !filepath.IsAbs(out) {
			out = filepath.Join(filepath.Dir(config), out)
		}
	}
	relativeSources(cfg, cat, out)
	m, err := manifest.Build(cfg, cat)
	if err != nil {
		fmt.Fprintf(stderr, "capgen: %s: %v\n", config, err)
		return nil, "", false
	}
	files, err := generator.GenerateConsumer(generator.Consumer{Config: cfg, Catalog: cat, Manifest: m})
	if err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return nil, "", false
	}
	return files, out, true
}

// relativeSources names the config and the spec files it read relative to
// the output directory, so that generated files are the same whichever
// directory capgen runs in. Bundled specs keep their import path.
func relativeSources(cfg *model.Config, cat *model.Catalog, out string) {
	rel := func(path string) string {
		if r, err := filepath.Rel(out, filepath.FromSlash(path)); err == nil {
			return filepath.ToSlash(r)
		}
		return path
	}
	cfg.Source = rel(cfg.Source)
	for _, p := range cat.Providers {
		if !strings.HasPrefix(p.Source, specs.Path+"/") {
			p.Source = rel(p.Source)
		}
	}
}

// writeOrCheck writes the files that changed, or with check reports them.
func writeOrCheck(dir string, files []generator.OutputFile, check, verbose bool,
	stdout, stderr io.Writer) int {
	start := time.Now()
	changes, err := generator.Plan(dir, files)
	if err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return 1
	}
	if check {
		return reportStale(dir, changes, stdout)
	}
	if err := generator.Apply(dir, changes); err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return 1
	}
	if verbose {
		fmt.Fprintf(stderr, "capgen: wrote %d of %d files in %s\n", len(changes), len(files), since(start))
	}
	return 0
}

// reportStale prints every change generate would make, with its diff.
func reportStale(dir string, changes []generator.Change, stdout io.Writer) int {
	for _, c := range changes {
		path := filepath.ToSlash(filepath.Join(dir, c.Path))
		fmt.Fprintf(stdout, "%s: %s\n", path, c.Kind)
		fmt.Fprint(stdout, textdiff.Unified(path, path+" (generated)", string(c.Old), string(c.New)))
	}
	if len(changes) > 0 {
		fmt.Fprintf(stdout, "%d generated files are out of date: run capgen generate\n", len(changes))
		return 1
	}
	return 0
}
