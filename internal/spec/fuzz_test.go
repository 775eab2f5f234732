package spec_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/capgen/capgen/generator"
	"github.com/capgen/capgen/internal/spec"
)

var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// FuzzLoad feeds arbitrary bytes to the loader as a provider spec. Loading
// must never panic, and a spec the loader accepts must render.
func FuzzLoad(f *testing.F) {
	// The documentation's example exercises every key; the bundled specs are
	// left out because minimizing inputs of their size stalls the fuzzer.
	if doc, err := os.ReadFile("../../docs/spec.md"); err == nil {
		if m := yamlBlock.FindAllSubmatch(doc, -1); m != nil {
			f.Add(m[len(m)-1][1])
		}
	}
	archives, _ := filepath.Glob("testdata/bad/*.txtar")
	for _, a := range archives {
		if ar, err := txtar.ParseFile(a); err == nil {
			for _, file := range ar.Files {
				f.Add(file.Data)
			}
		}
	}
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("provider: acme\nscopes: {a: {implies: [b]}, b: {implies: [a]}}\n"))

	vocab := spec.Source{Path: "capabilities.yaml", Data: []byte(testVocabulary)}
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, diags := spec.Load(vocab, []spec.Source{{Path: "p.yaml", Data: data}})
		if cat == nil {
			if !diags.HasErrors() {
				t.Fatal("no catalogue and no error")
			}
			return
		}
		if _, err := generator.Generate(cat); err != nil {
			t.Fatalf("a spec the loader accepted does not render: %v", err)
		}
	})
}
