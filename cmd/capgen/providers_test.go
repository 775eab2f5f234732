package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestProvidersPageIsCurrent generates the bundled catalogue in a copy of
// specs/ and compares the catalogue page it writes with docs/providers.md.
func TestProvidersPageIsCurrent(t *testing.T) {
	committed, err := os.ReadFile("../../" + providersPage)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copySpecs(t, "../../specs", filepath.Join(dir, defaultSpecs))
	t.Chdir(dir)
	if code, _, stderr := capgen(t, "generate"); code != 0 {
		t.Fatalf("capgen generate: exit %d:\n%s", code, stderr)
	}
	got, err := os.ReadFile(providersPage)
	if err != nil {
		t.Fatalf("capgen generate on the default specs/ wrote no %s: %v", providersPage, err)
	}
	if string(got) != string(committed) {
		t.Errorf("%s is stale: run go run ./cmd/capgen generate", providersPage)
	}
}

// TestProvidersPageOnlyForDefaultSpecs checks that generating named specs
// leaves the catalogue page alone.
func TestProvidersPageOnlyForDefaultSpecs(t *testing.T) {
	dir := t.TempDir()
	copySpecs(t, "../../specs", filepath.Join(dir, defaultSpecs))
	t.Chdir(dir)
	if code, _, stderr := capgen(t, "generate", defaultSpecs); code != 0 {
		t.Fatalf("capgen generate specs: exit %d:\n%s", code, stderr)
	}
	if _, err := os.Stat(providersPage); !os.IsNotExist(err) {
		t.Errorf("capgen generate specs wrote %s (err %v); only the default run should",
			providersPage, err)
	}
}

// copySpecs copies a catalogue directory: the vocabulary and the provider
// specs, which is all that generate reads.
func copySpecs(t *testing.T, from, to string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(from, "providers", "*.yaml"))
	files = append(files, filepath.Join(from, "capabilities.yaml"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(from, f)
		write(t, filepath.Join(to, rel), string(data))
	}
}
