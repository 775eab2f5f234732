package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/capgen/capgen/internal/importer"
	"github.com/capgen/capgen/internal/spec"
	"github.com/capgen/capgen/specs"
)

// importFlags are the flags of capgen import.
type importFlags struct {
	output       string
	name         string
	baseURL      string
	separator    string
	alternatives bool
	noScope      string
	resources    resourceMap
	capabilities string
}

func (f *importFlags) register(fs *flag.FlagSet) {
	f.resources = resourceMap{}
	fs.StringVar(&f.output, "o", "", "write the draft to `FILE` instead of standard output")
	fs.StringVar(&f.name, "name", "", "provider `name` (default: derived from the title)")
	fs.StringVar(&f.baseURL, "base-url", "", "use `URL` as base_url instead of the "+
		"description's; operation paths stay as the description gives them")
	fs.StringVar(&f.separator, "scope-separator", " ", "the provider's scope `separator`")
	fs.BoolVar(&f.alternatives, "alternatives-in-one-requirement", false,
		"OpenAPI: read the scopes of one security requirement object as alternatives, any one "+
			"of which suffices (Slack writes them so); by default they are all needed")
	fs.StringVar(&f.noScope, "no-scope", "",
		"read `SCOPE` as needing no scope (Slack declares a scope named none)")
	fs.Var(f.resources, "map", "suggest OBJECT.read and OBJECT.write for the operations "+
		"of RESOURCE, given as `RESOURCE=OBJECT` (repeatable)")
	fs.StringVar(&f.capabilities, "capabilities", "",
		"the capability vocabulary `FILE` (default: the bundled one)")
}

// resourceMap collects -map RESOURCE=OBJECT flags.
type resourceMap map[string]string

// String returns nothing: the flag's default is an empty map.
func (m resourceMap) String() string { return "" }

// Set adds one RESOURCE=OBJECT.
func (m resourceMap) Set(v string) error {
	resource, object, ok := strings.Cut(v, "=")
	if !ok || resource == "" || object == "" {
		return errors.New("want RESOURCE=OBJECT, such as messages=mail")
	}
	m[resource] = object
	return nil
}

// runImport drafts a provider spec from an OpenAPI or Discovery description.
func runImport(args []string, stdout, stderr io.Writer) int {
	var f importFlags
	fs := newFlagSet("import", "openapi|discovery FILE", stderr)
	f.register(fs)
	format, file, ok := parseImportArgs(fs, args, stderr)
	if !ok {
		return 2
	}
	vocab, names, ok := loadVocabulary(f.capabilities, stderr)
	if !ok {
		return 1
	}
	if err := checkResources(f.resources, names); err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return 2
	}
	draft, err := f.draft(format, file, names)
	if err != nil {
		fmt.Fprintf(stderr, "capgen: %s: %v\n", file, err)
		return 1
	}
	if !checkDraft(draft, vocab, f.outputName(), stderr) {
		return 1
	}
	return f.write(draft.YAML, stdout, stderr)
}

// parseImportArgs reads the format and the file; flags may come before,
// between or after them.
func parseImportArgs(fs *flag.FlagSet, args []string, stderr io.Writer) (format, file string,
	ok bool) {
	var positional []string
	for {
		if fs.Parse(args) != nil {
			return "", "", false
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(positional) == 0:
		fs.Usage()
		return "", "", false
	case positional[0] != "openapi" && positional[0] != "discovery":
		fmt.Fprintf(stderr, "capgen: import: unknown format %s (want openapi or discovery)\n",
			quote(positional[0]))
		return "", "", false
	case len(positional) != 2:
		fmt.Fprintln(stderr, "capgen: import: name exactly one description file")
		fs.Usage()
		return "", "", false
	}
	return positional[0], positional[1], true
}

// loadVocabulary returns the vocabulary file and its capability names.
func loadVocabulary(path string, stderr io.Writer) (spec.Source, []string, bool) {
	src := spec.Source{Path: specs.Path + "/capabilities.yaml", Data: specs.Vocabulary()}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "capgen: %s: cannot read the vocabulary (check -capabilities)\n",
				path)
			return src, nil, false
		}
		src = spec.Source{Path: filepath.ToSlash(path), Data: data}
	}
	cat, diags := spec.Load(src, nil)
	printDiagnostics(diags, stderr)
	if cat == nil {
		return src, nil, false
	}
	var names []string
	for _, v := range cat.Vocabulary {
		names = append(names, v.Name)
	}
	return src, names, true
}

// checkResources reports a -map whose object no capability acts on.
func checkResources(resources resourceMap, capabilities []string) error {
	var objects []string
	for _, c := range capabilities {
		object, _, _ := strings.Cut(c, ".")
		objects = append(objects, object)
	}
	slices.Sort(objects)
	objects = slices.Compact(objects)
	for _, resource := range slices.Sorted(maps.Keys(resources)) {
		if object := resources[resource]; !slices.Contains(objects, object) {
			return fmt.Errorf("-map %s=%s: no capability of the vocabulary acts on %s (objects: %s)",
				resource, object, object, strings.Join(objects, ", "))
		}
	}
	return nil
}

func (f *importFlags) draft(format, file string, vocabulary []string) (*importer.Draft, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, errors.New("cannot read the description: " + describeReadError(err))
	}
	opts := importer.Options{Name: f.name, BaseURL: f.baseURL, ScopeSeparator: f.separator,
		AlternativesInOneRequirement: f.alternatives, NoScope: f.noScope,
		Resources: f.resources, Vocabulary: vocabulary, Source: filepath.Base(file)}
	if format == "discovery" {
		return importer.Discovery(data, opts)
	}
	return importer.OpenAPI(data, opts)
}

func describeReadError(err error) string {
	if errors.Is(err, os.ErrNotExist) {
		return "no such file"
	}
	return err.Error()
}

func (f *importFlags) outputName() string {
	if f.output != "" {
		return filepath.ToSlash(f.output)
	}
	return "draft.yaml"
}

// checkDraft validates the draft as capgen check would; a draft that fails
// is not written.
func checkDraft(d *importer.Draft, vocab spec.Source, name string, stderr io.Writer) bool {
	cat, diags := spec.Load(vocab, []spec.Source{{Path: name, Data: d.YAML}})
	printDiagnostics(diags, stderr)
	if cat == nil {
		fmt.Fprintln(stderr, "capgen: import: the draft does not pass check, so nothing was "+
			"written; the problems above come from the description or from the importer")
		return false
	}
	return true
}

// write puts the draft on stdout, or into -o when its content changed.
func (f *importFlags) write(data []byte, stdout, stderr io.Writer) int {
	if f.output == "" {
		stdout.Write(data)
		return 0
	}
	if old, err := os.ReadFile(f.output); err == nil && bytes.Equal(old, data) {
		return 0
	}
	if err := os.WriteFile(f.output, data, 0o644); err != nil {
		fmt.Fprintf(stderr, "capgen: %v\n", err)
		return 1
	}
	return 0
}
