package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const exampleConfig = `package: integrations
output: ./integrations
providers: [hubspot, github]
features:
  contact_sync:
    requires: [contact.read]
    optional: [company.read]
  issue_triage:
    requires: [issue.read, issue.write]
`

const dealFeature = `  deal_sync:
    requires: [deal.read]
`

// generateConsumer writes config into dir, generates, and returns the path
// of a copy of the manifest it produced.
func generateConsumer(t *testing.T, dir, config, copyName string) string {
	t.Helper()
	write(t, filepath.Join(dir, "capgen.yaml"), config)
	if code, stdout, stderr := capgen(t, "generate", "-config", filepath.Join(dir, "capgen.yaml")); code != 0 {
		t.Fatalf("generate -config: exit %d\n%s%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "integrations", "capgen.manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(t.TempDir(), copyName)
	write(t, saved, string(data))
	return saved
}

// TestAddingAFeatureForcesReconsent is the reviewer's workflow: a feature
// that needs a new scope makes diff -fail-on reconsent fail and name the
// feature and the scope; taking it out again is a narrowing.
func TestAddingAFeatureForcesReconsent(t *testing.T) {
	dir := t.TempDir()
	before := generateConsumer(t, dir, exampleConfig, "before.json")
	after := generateConsumer(t, dir, exampleConfig+dealFeature, "after.json")

	code, stdout, _ := capgen(t, "diff", "-fail-on", "reconsent", before, after)
	if code != 1 {
		t.Errorf("diff -fail-on reconsent after adding deal_sync: exit %d, want 1\n%s", code, stdout)
	}
	for _, want := range []string{"crm.objects.deals.read", "deal_sync", "re-consent"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("diff output lacks %q:\n%s", want, stdout)
		}
	}

	code, stdout, _ = capgen(t, "diff", "-fail-on", "reconsent", after, before)
	if code != 0 || !strings.Contains(stdout, "crm.objects.deals.read") ||
		!strings.Contains(stdout, "narrower") {
		t.Errorf("diff after removing deal_sync: exit %d, want 0 and a narrowing:\n%s", code, stdout)
	}
}

func TestConsumerGenerationIsSilentAndStable(t *testing.T) {
	dir := t.TempDir()
	generateConsumer(t, dir, exampleConfig, "m.json")
	code, stdout, stderr := capgen(t, "generate", "-check", "-config", filepath.Join(dir, "capgen.yaml"))
	if code != 0 || stdout+stderr != "" {
		t.Errorf("generate -check right after generate: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, f := range []string{"manifest.go", "capgen.manifest.md", "hubspot/features.go",
		"github/issue_write.go"} {
		if _, err := os.Stat(filepath.Join(dir, "integrations", filepath.FromSlash(f))); err != nil {
			t.Errorf("%s was not generated", f)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "integrations", "hubspot", "deal_read.go")); err == nil {
		t.Error("a handle for an undeclared capability was generated")
	}
}

func TestConsumerConfigErrorsWriteNothing(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "capgen.yaml"), strings.Replace(exampleConfig, "[contact.read]",
		"[contact.raed]", 1))
	code, _, stderr := capgen(t, "generate", "-config", filepath.Join(dir, "capgen.yaml"))
	if code != 1 || !strings.Contains(stderr, `capability "contact.raed" is not in the vocabulary`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "integrations")); err == nil {
		t.Error("output was written although the config has errors")
	}
}

// TestExampleIsCurrent fails when examples/integrations differs from what
// examples/capgen.yaml produces: run go generate ./... in examples/.
func TestExampleIsCurrent(t *testing.T) {
	code, stdout, stderr := capgen(t, "generate", "-check", "-config", "../../examples/capgen.yaml")
	if code != 0 {
		t.Errorf("examples/integrations is stale (run go generate ./... in examples):\n%s%s", stdout, stderr)
	}
}

func TestCheckConfig(t *testing.T) {
	if code, _, stderr := capgen(t, "check", "-config", "../../examples/capgen.yaml"); code != 0 {
		t.Errorf("check -config of the example: exit %d\n%s", code, stderr)
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "capgen.yaml"), strings.Replace(exampleConfig, "hubspot, github", "hubspt, github", 1))
	code, _, stderr := capgen(t, "check", "-config", filepath.Join(dir, "capgen.yaml"))
	if code != 1 || !strings.Contains(stderr, `capgen.yaml:3:13: unknown provider "hubspt"`) {
		t.Errorf("check -config of a broken config: exit %d, stderr %q", code, stderr)
	}
}
