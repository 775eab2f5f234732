package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/internal/spec"
	"github.com/capgen/capgen/specs"
)

// isSpecPath reports whether the argument names a file rather than a bundled
// provider: bundled names are plain words.
func isSpecPath(arg string) bool {
	return strings.ContainsAny(arg, `/\`) || strings.HasSuffix(arg, ".yaml") ||
		strings.HasSuffix(arg, ".yml")
}

// loadProvider resolves a bundled provider name or a spec file against the
// vocabulary file, or the bundled vocabulary when vocabulary is "".
func loadProvider(arg, vocabulary string) (*model.Provider, error) {
	src, err := providerSource(arg)
	if err != nil {
		return nil, err
	}
	vocab := spec.Source{Path: specs.Path + "/capabilities.yaml", Data: specs.Vocabulary()}
	if vocabulary != "" {
		data, err := os.ReadFile(vocabulary)
		if err != nil {
			return nil, fmt.Errorf("sandbox: read vocabulary: %w", err)
		}
		vocab = spec.Source{Path: filepath.ToSlash(vocabulary), Data: data}
	}
	cat, diags := spec.Load(vocab, []spec.Source{src})
	if diags.HasErrors() {
		return nil, fmt.Errorf("sandbox: invalid spec (fix these and retry):\n%s", diags.Errors())
	}
	return cat.Providers[0], nil
}

func providerSource(arg string) (spec.Source, error) {
	if isSpecPath(arg) {
		data, err := os.ReadFile(arg)
		if err != nil {
			return spec.Source{}, fmt.Errorf("sandbox: read spec: %w", err)
		}
		return spec.Source{Path: filepath.ToSlash(arg), Data: data}, nil
	}
	data, ok := specs.Provider(arg)
	if !ok {
		return spec.Source{}, fmt.Errorf("sandbox: no bundled provider %q (bundled: %s; or give a spec "+
			"file path)", arg, strings.Join(specs.Providers(), ", "))
	}
	return spec.Source{Path: specs.Path + "/providers/" + arg + ".yaml", Data: data}, nil
}
