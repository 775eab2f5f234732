// Package specs embeds capgen's bundled catalogue: the capability
// vocabulary and the provider specs, so that a consumer's capgen.yaml can
// name a bundled provider without a copy of its spec.
package specs

import (
	"embed"
	"io/fs"
	"path"
	"strings"
)

//go:embed capabilities.yaml providers/*.yaml
var files embed.FS

// Path is the import path the bundled files are reported under, so that a
// diagnostic or a generated file names where a spec came from.
const Path = "github.com/capgen/capgen/specs"

// Vocabulary returns capabilities.yaml.
func Vocabulary() []byte {
	data, _ := files.ReadFile("capabilities.yaml")
	return data
}

// Provider returns the bundled spec of the named provider.
func Provider(name string) ([]byte, bool) {
	data, err := files.ReadFile(path.Join("providers", name+".yaml"))
	return data, err == nil
}

// Providers returns the names of the bundled providers, sorted.
func Providers() []string {
	entries, _ := fs.ReadDir(files, "providers")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return names
}
