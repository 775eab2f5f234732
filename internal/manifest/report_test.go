package manifest

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/NAME.golden, or rewrites that file
// when the test runs with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no golden file (run go test -update): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from its golden file (-want +got):\n%s", name, diff)
	}
}

// twoProviders is sample with a Slack provider whose scopes show the
// report's other cases: deprecated scopes, a user scope parameter and a
// fixed authorization parameter.
func twoProviders() *Manifest {
	m := sample()
	m.Features["notify"] = Feature{Requires: []string{"message.write"},
		Optional: []string{"file.read"}, Providers: []string{"slack"}}
	m.Providers["slack"] = Provider{
		Title:  "Slack",
		Source: "specs/providers/slack.yaml",
		Authorization: Authorization{
			AuthorizeURL:   "https://slack.com/oauth/v2/authorize",
			TokenURL:       "https://slack.com/api/oauth.v2.access",
			ScopeParam:     "scope",
			ScopeSeparator: ",",
			Params:         map[string]string{"team": "T0|1"},
			UserScopeParam: "user_scope",
			PKCE:           "unsupported",
		},
		Required: []string{"chat:write", "bot"},
		Optional: []string{"files:read"},
		Scopes: map[string]Scope{
			"bot": {Required: true, Capabilities: []string{"message.write"},
				Features: []string{"notify"}, Deprecated: true,
				ReplacedBy: []string{"chat:write", "channels:read"}},
			"chat:write": {Required: true, Capabilities: []string{"message.write"},
				Features: []string{"notify"}},
			"files:read": {Capabilities: []string{"file.read"}, Features: []string{"notify"},
				Deprecated: true},
		},
		Capabilities: map[string]Capability{
			"message.write": {Required: true, Scopes: []string{"chat:write", "bot"},
				Features: []string{"notify"}},
			"file.read": {Scopes: []string{"files:read"}, Features: []string{"notify"}},
		},
	}
	return m
}

// TestMarkdownGolden compares the report of a two-provider manifest with
// testdata/manifest.md.golden. Run with -update to rewrite it.
func TestMarkdownGolden(t *testing.T) {
	got, err := Markdown(twoProviders())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "manifest.md", got)
}

func TestMarkdownOfAnEmptyManifest(t *testing.T) {
	got, err := Markdown(&Manifest{Version: Version})
	if err != nil {
		t.Fatal(err)
	}
	want := "# Scope manifest\n\nNo providers.\n\n## Features\n\nNo features.\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("report of an empty manifest (-want +got):\n%s", diff)
	}
}

func TestMarkdownIsDeterministic(t *testing.T) {
	first, err := Markdown(twoProviders())
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, _ := Markdown(shuffled(twoProviders()))
		if diff := cmp.Diff(string(first), string(again)); diff != "" {
			t.Fatalf("two reports of one manifest differ (-first +again):\n%s", diff)
		}
	}
}

func TestCodeSpan(t *testing.T) {
	tests := []struct{ in, want string }{
		{"repo", "`repo`"},
		{"", ""},
		{"a|b", "`a\\|b`"},
		{"a`b", "`` a`b ``"},
		{" x ", "`  x  `"},
		{" ", "` `"},
		{"two\nlines", "`two lines`"},
	}
	for _, tt := range tests {
		if got := codeSpan(tt.in); got != tt.want {
			t.Errorf("codeSpan(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
