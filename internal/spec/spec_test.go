package spec_test

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/capgen/capgen/internal/spec"
)

var update = flag.Bool("update", false, "rewrite the expected output of golden tests")

// testVocabulary is the capability vocabulary of archives that bring none.
const testVocabulary = `capabilities:
  contact.read:
    description: Read contacts.
  contact.write:
    description: Write contacts.
  company.read:
    description: Read companies.
`

// TestBadSpecs loads each archive in testdata/bad and compares every
// diagnostic with the archive's "want" file. Run with -update to rewrite it.
func TestBadSpecs(t *testing.T) {
	archives, _ := filepath.Glob("testdata/bad/*.txtar")
	if len(archives) == 0 {
		t.Fatal("no archives in testdata/bad")
	}
	for _, path := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			vocab, providers, want := splitArchive(ar)
			cat, diags := spec.Load(vocab, providers)
			got := diagText(diags)
			if *update {
				writeWant(t, path, ar, got)
				return
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("diagnostics differ (-want +got):\n%s", diff)
			}
			if diags.HasErrors() && cat != nil {
				t.Error("Load returned a catalogue despite errors")
			}
		})
	}
}

func splitArchive(ar *txtar.Archive) (vocab spec.Source, providers []spec.Source, want string) {
	vocab = spec.Source{Path: "capabilities.yaml", Data: []byte(testVocabulary)}
	for _, f := range ar.Files {
		switch {
		case f.Name == "want":
			want = string(f.Data)
		case f.Name == "capabilities.yaml":
			vocab = spec.Source{Path: f.Name, Data: f.Data}
		default:
			providers = append(providers, spec.Source{Path: f.Name, Data: f.Data})
		}
	}
	return vocab, providers, want
}

func diagText(diags spec.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}

func writeWant(t *testing.T, path string, ar *txtar.Archive, got string) {
	t.Helper()
	ar.Files = slices.DeleteFunc(ar.Files, func(f txtar.File) bool { return f.Name == "want" })
	ar.Files = append(ar.Files, txtar.File{Name: "want", Data: []byte(got)})
	if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}
