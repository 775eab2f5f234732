// Package spec reads capgen's YAML spec files into the resolved model. It
// keeps the line and column of every value, checks everything it can, and
// reports every problem of a run as a sorted list of diagnostics.
package spec

import (
	"bytes"
	"cmp"
	"os"
	"path/filepath"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/capgen/capgen/internal/model"
)

// Source is one spec file's path and content.
type Source struct {
	Path string
	Data []byte
}

// LoadDir loads a catalogue directory: dir/capabilities.yaml and every
// dir/providers/*.yaml.
func LoadDir(dir string) (*model.Catalog, Diagnostics) {
	providers, err := filepath.Glob(filepath.Join(dir, "providers", "*.yaml"))
	if err != nil {
		return nil, Diagnostics{{Pos: Pos{File: dir}, Message: err.Error()}}
	}
	return LoadFiles(filepath.Join(dir, "capabilities.yaml"), providers)
}

// LoadFiles loads a vocabulary file and provider files from disk.
func LoadFiles(vocabulary string, providers []string) (*model.Catalog, Diagnostics) {
	var diags Diagnostics
	read := func(path string) Source {
		data, err := os.ReadFile(path)
		if err != nil {
			diags = append(diags, Diagnostic{Pos: Pos{File: filepath.ToSlash(path), Line: 1, Col: 1},
				Message: "cannot read file: " + describeReadError(err)})
		}
		return Source{Path: filepath.ToSlash(path), Data: data}
	}
	vocab := read(vocabulary)
	var srcs []Source
	for _, p := range providers {
		srcs = append(srcs, read(p))
	}
	if diags.HasErrors() {
		return nil, diags.Sort()
	}
	return Load(vocab, srcs)
}

func describeReadError(err error) string {
	if os.IsNotExist(err) {
		return "no such file"
	}
	return err.Error()
}

// Load parses and validates a vocabulary and provider specs. The catalogue is
// nil when any diagnostic is an error; warnings come with a catalogue. The
// result does not depend on the order of providers.
func Load(vocabulary Source, providers []Source) (*model.Catalog, Diagnostics) {
	var diags Diagnostics
	vocab, vdiags := parseVocabulary(vocabulary)
	diags = append(diags, vdiags...)

	cat := &model.Catalog{Vocabulary: vocab.entries()}
	seen := map[string]Pos{}
	for _, src := range providers {
		p, at, pdiags := parseProvider(src, vocab)
		diags = append(diags, pdiags...)
		if p == nil {
			continue
		}
		if first, dup := seen[p.Name]; dup {
			diags = append(diags, Diagnostic{Pos: at,
				Message: "provider " + p.Name + " is already declared in " + first.File})
			continue
		}
		seen[p.Name] = at
		cat.Providers = append(cat.Providers, p)
	}
	slices.SortFunc(cat.Providers, func(a, b *model.Provider) int { return cmp.Compare(a.Name, b.Name) })
	if diags.HasErrors() {
		return nil, diags.Sort()
	}
	return cat, diags.Sort()
}

// parseNode decodes one file's YAML into a syntax struct.
func parseNode(src Source, into any) Diagnostics {
	d := &decoder{file: src.Path}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(src.Data)).Decode(&doc); err != nil {
		return Diagnostics{yamlError(src.Path, err)}
	}
	d.decode(&doc, reflectValue(into))
	return d.diags
}
