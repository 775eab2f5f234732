package spec_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/capgen/capgen/internal/spec"
	"github.com/capgen/capgen/specs"
)

func parseConfig(t *testing.T, yaml string) (string, []string, []string) {
	t.Helper()
	cfg, _, diags := spec.ParseConfig(spec.Source{Path: "capgen.yaml", Data: []byte(yaml)})
	var lines []string
	for _, d := range diags {
		lines = append(lines, d.String())
	}
	var providers []string
	if cfg != nil {
		for _, f := range cfg.Features {
			providers = append(providers, f.Name+":"+strings.Join(f.Providers, ","))
		}
	}
	pkg := ""
	if cfg != nil {
		pkg = cfg.Package
	}
	return pkg, providers, lines
}

func TestConfigResolvesFeatureProviders(t *testing.T) {
	pkg, providers, diags := parseConfig(t, `package: integrations
output: ./integrations
providers: [hubspot, github, slack]
features:
  contact_sync:
    requires: [contact.read]
    optional: [company.read]
  issue_triage:
    requires: [issue.read, issue.write]
  who:
    requires: [user.read]
    providers: [slack]
`)
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", strings.Join(diags, "\n"))
	}
	want := []string{"contact_sync:hubspot", "issue_triage:github", "who:slack"}
	if pkg != "integrations" || !slices.Equal(providers, want) {
		t.Errorf("package %q, features %v; want integrations, %v", pkg, providers, want)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown provider and capability", `package: integrations
output: ./out
providers: [hubspt]
features:
  sync:
    requires: [contact.raed]
`, []string{
			`capgen.yaml:3:13: unknown provider "hubspt" (did you mean "hubspot"?) (bundled: ` +
				strings.Join(specs.Providers(), ", ") + `; or give the path of a spec file)`,
			`capgen.yaml:6:16: capability "contact.raed" is not in the vocabulary (did you mean "contact.read"?)`,
		}},
		{"capability a listed provider cannot satisfy", `package: integrations
output: ./out
providers: [hubspot, github]
features:
  sync:
    requires: [contact.read, issue.read]
  triage:
    requires: [issue.write]
    providers: [hubspot]
  nothing:
    requires: [file.read]
  typo:
    requires: [contact.raed]
    optional: [contact.raed]
`, []string{
			"capgen.yaml:3:13: feature sync requires issue.read, which provider hubspot cannot satisfy " +
				"(its spec has no requirement for it); list the feature's providers explicitly or drop the capability",
			"capgen.yaml:3:22: feature sync requires contact.read, which provider github cannot satisfy " +
				"(its spec has no requirement for it); list the feature's providers explicitly or drop the capability",
			"capgen.yaml:9:17: feature triage requires issue.write, which provider hubspot cannot satisfy " +
				"(its spec has no requirement for it); list the feature's providers explicitly or drop the capability",
			"capgen.yaml:10:3: no listed provider offers the capabilities feature nothing requires (file.read)",
			`capgen.yaml:13:16: capability "contact.raed" is not in the vocabulary (did you mean "contact.read"?)`,
			`capgen.yaml:14:16: capability "contact.raed" is not in the vocabulary (did you mean "contact.read"?)`,
		}},
		{"duplicates and names", `package: My-Integrations
output: ./out
providers: [hubspot, hubspot]
features:
  sync:
    requires: [contact.read, contact.read]
  sync:
    requires: [contact.read]
  contact_read:
    requires: [contact.read]
`, []string{
			`capgen.yaml:1:10: package "My-Integrations" must be a lower-case Go package name`,
			"capgen.yaml:3:22: provider hubspot is listed twice",
			"capgen.yaml:6:30: feature sync lists capability contact.read twice",
			`capgen.yaml:7:3: "sync" is declared twice (first at line 5)`,
			"capgen.yaml:9:3: feature contact_read becomes Go name ContactRead, which in package hubspot is " +
				"already the handle of capability contact.read (rename the feature)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, got := parseConfig(t, tt.yaml)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConfigReadsSpecFilesRelativeToItself(t *testing.T) {
	dir := t.TempDir()
	doc, err := os.ReadFile("../../docs/spec.md")
	if err != nil {
		t.Fatal(err)
	}
	m := yamlBlock.FindAllSubmatch(doc, -1)
	if err := os.MkdirAll(filepath.Join(dir, "specs"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "specs", "acme.yaml"), m[len(m)-1][1], 0o644)
	os.WriteFile(filepath.Join(dir, "capgen.yaml"), []byte(`package: app
output: ./gen
providers: [specs/acme.yaml, hubspot]
features:
  crm:
    requires: [contact.write]
    providers: [acme]
`), 0o644)
	cfg, cat, diags := spec.LoadConfig(filepath.Join(dir, "capgen.yaml"))
	if cfg == nil {
		t.Fatalf("config does not load:\n%v", diags)
	}
	if len(cat.Providers) != 2 || cfg.Features[0].Providers[0] != "acme" {
		t.Errorf("providers %d, feature providers %v", len(cat.Providers), cfg.Features[0].Providers)
	}
}
