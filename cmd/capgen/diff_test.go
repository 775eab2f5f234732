package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/capgen/capgen/internal/manifest"
)

const (
	contacts = "crm.objects.contacts.read"
	deals    = "crm.objects.deals.read"
	// dealsAdded is how diff reports that deals became required.
	dealsAdded = "hubspot: required scope added: " + deals + " (features: deal_sync)"
)

// scopeManifest returns a manifest that asks HubSpot for the required
// scopes given, each for the feature that the features table names.
func scopeManifest(required ...string) *manifest.Manifest {
	features := map[string]string{contacts: "contact_sync", deals: "deal_sync"}
	p := manifest.Provider{Title: "HubSpot", Required: required,
		Scopes: map[string]manifest.Scope{}}
	for _, s := range required {
		p.Scopes[s] = manifest.Scope{Required: true, Features: []string{features[s]}}
	}
	return &manifest.Manifest{Version: manifest.Version, Package: "app",
		Providers: map[string]manifest.Provider{"hubspot": p}}
}

// writeManifest encodes m into path and returns path.
func writeManifest(t *testing.T, path string, m *manifest.Manifest) string {
	t.Helper()
	data, err := manifest.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	write(t, path, string(data))
	return path
}

// outcome is what one run of the command line gave.
type outcome struct {
	code           int
	stdout, stderr string
}

func (o outcome) String() string {
	return fmt.Sprintf("exit %d, stdout %q, stderr %q", o.code, o.stdout, o.stderr)
}

// diff runs capgen diff with args.
func diff(t *testing.T, args ...string) outcome {
	t.Helper()
	code, stdout, stderr := capgen(t, append([]string{"diff"}, args...)...)
	return outcome{code, stdout, stderr}
}

// manifestPair writes an old and a new manifest into a new directory.
func manifestPair(t *testing.T, from, to *manifest.Manifest) (fromPath, toPath string) {
	dir := t.TempDir()
	return writeManifest(t, filepath.Join(dir, "old.json"), from),
		writeManifest(t, filepath.Join(dir, "new.json"), to)
}

func TestDiffWithoutChanges(t *testing.T) {
	from, to := manifestPair(t, scopeManifest(contacts), scopeManifest(contacts))
	got := diff(t, "-fail-on", "reconsent", from, to)
	if got != (outcome{0, "no changes\n", ""}) {
		t.Errorf("diff of equal manifests: %v; want 0 and \"no changes\"", got)
	}
}

func TestDiffFailsOnReconsent(t *testing.T) {
	from, to := manifestPair(t, scopeManifest(contacts), scopeManifest(contacts, deals))
	want := dealsAdded + " — existing connections must re-consent\n"

	got := diff(t, "-fail-on", "reconsent", from, to)
	if got.code != 1 || got.stdout != want || !strings.HasPrefix(got.stderr, "capgen: ") {
		t.Errorf("diff -fail-on reconsent: %v; want 1, %q and a reason", got, want)
	}
	if got := diff(t, from, to); got != (outcome{0, want, ""}) {
		t.Errorf("diff without -fail-on: %v; want 0 and %q", got, want)
	}
}

func TestDiffRemovedScopeIsNarrower(t *testing.T) {
	from, to := manifestPair(t, scopeManifest(contacts, deals), scopeManifest(contacts))
	want := "hubspot: required scope removed: crm.objects.deals.read (narrower)\n"
	if got := diff(t, "-fail-on", "reconsent", from, to); got != (outcome{0, want, ""}) {
		t.Errorf("diff after removing a scope: %v; want 0 and %q", got, want)
	}
}

func TestDiffMarkdown(t *testing.T) {
	from, to := manifestPair(t, scopeManifest(contacts), scopeManifest(contacts, deals))
	got := diff(t, "-format", "markdown", from, to)
	if got.code != 0 || got.stderr != "" {
		t.Fatalf("diff -format markdown: %v; want 0", got)
	}
	for _, want := range []string{
		"## Scope manifest changes\n",
		"> [!WARNING]\n> Existing connections to hubspot must re-consent",
		"| required scope added (**re-consent**) | `crm.objects.deals.read` " +
			"| features: deal_sync |",
	} {
		if !strings.Contains(got.stdout, want) {
			t.Errorf("markdown lacks %q:\n%s", want, got.stdout)
		}
	}
}

func TestDiffUsageErrors(t *testing.T) {
	m, _ := manifestPair(t, scopeManifest(), scopeManifest())
	for _, args := range [][]string{
		{},
		{m},
		{m, m, m},
		{"-format", "html", m, m},
		{"-fail-on", "anything", m, m},
		{"-rev", "HEAD", m, m},
		{"-rev", "--output=x", m},
	} {
		got := diff(t, args...)
		usage := strings.Contains(got.stderr, "usage: capgen diff")
		if got.code != 2 || got.stdout != "" || !usage {
			t.Errorf("diff %q: %v; want 2 and usage", args, got)
		}
	}
}

func TestDiffUnreadableManifests(t *testing.T) {
	good, bad := manifestPair(t, scopeManifest(), scopeManifest())
	write(t, bad, `{"version": 1, "providers": []}`)
	missing := filepath.Join(t.TempDir(), "absent.json")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{good, bad}, bad + ": not a capgen manifest"},
		{[]string{missing, good}, missing + ": no such file"},
	}
	for _, tt := range tests {
		got := diff(t, tt.args...)
		explained := strings.HasPrefix(got.stderr, "capgen: "+tt.want)
		if got.code != 1 || got.stdout != "" || !explained {
			t.Errorf("diff %q: %v; want 1 and %q", tt.args, got, tt.want)
		}
	}
}

// consumerConfig is a capgen.yaml whose output directory is integrations.
const consumerConfig = `package: integrations
output: ./integrations
providers: [hubspot]
features:
  contact_sync:
    requires: [contact.read]
`

// TestDiffRevision compares with a manifest committed to a temporary git
// repository, from inside and from outside that repository.
func TestDiffRevision(t *testing.T) {
	repo := gitRepo(t)
	app := filepath.Join(repo, "app")
	path := filepath.Join(app, "integrations", manifest.FileName)
	writeManifest(t, path, scopeManifest(contacts))
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-q", "-m", "manifest")
	writeManifest(t, path, scopeManifest(contacts, deals))

	got := diff(t, "-rev", "HEAD", "-fail-on", "reconsent", path)
	if got.code != 1 || !strings.HasPrefix(got.stdout, dealsAdded) {
		t.Errorf("diff -rev HEAD %s: %v; want 1 and %q", path, got, dealsAdded)
	}

	untracked := writeManifest(t, filepath.Join(app, "other.json"), scopeManifest(contacts))
	got = diff(t, "-rev", "HEAD", "-fail-on", "reconsent", untracked)
	if got.code != 0 || !strings.HasPrefix(got.stdout, "hubspot: provider added") {
		t.Errorf("diff -rev of a file absent at the revision: %v; "+
			"want 0 and the provider added", got)
	}

	got = diff(t, "-rev", "no-such-branch", path)
	if got.code != 1 || !strings.Contains(got.stderr, "no such revision") {
		t.Errorf("diff -rev of an unknown revision: %v; want 1 and no such revision", got)
	}
}

// TestDiffRevisionDefaultManifest checks where diff -rev looks without a
// MANIFEST: in the output directory of ./capgen.yaml, else in ".".
func TestDiffRevisionDefaultManifest(t *testing.T) {
	repo := gitRepo(t)
	app := filepath.Join(repo, "app")
	inOutput := filepath.Join(app, "integrations", manifest.FileName)
	inApp := filepath.Join(app, manifest.FileName)
	writeManifest(t, inOutput, scopeManifest(contacts))
	writeManifest(t, inApp, scopeManifest(contacts, deals))
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-q", "-m", "manifests")
	writeManifest(t, inOutput, scopeManifest(contacts, deals))
	writeManifest(t, inApp, scopeManifest(contacts))
	t.Chdir(app)

	narrower := "hubspot: required scope removed: crm.objects.deals.read (narrower)\n"
	if got := diff(t, "-rev", "HEAD"); got != (outcome{0, narrower, ""}) {
		t.Errorf("diff -rev HEAD without capgen.yaml: %v; want 0 and %q", got, narrower)
	}
	write(t, filepath.Join(app, defaultConfig), consumerConfig)
	got := diff(t, "-rev", "HEAD")
	if got.code != 0 || !strings.HasPrefix(got.stdout, dealsAdded) {
		t.Errorf("diff -rev HEAD beside capgen.yaml: %v; want 0 and %q", got, dealsAdded)
	}
	write(t, filepath.Join(app, defaultConfig), "package: integrations\n")
	got = diff(t, "-rev", "HEAD")
	if got.code != 1 || !strings.Contains(got.stderr, "capgen.yaml:1:1: missing required key") {
		t.Errorf("diff -rev HEAD beside a broken capgen.yaml: %v; want 1 and its errors", got)
	}
}

func TestDiffRevisionOutsideARepository(t *testing.T) {
	repo := gitRepo(t)
	outside := writeManifest(t, filepath.Join(filepath.Dir(repo), "outside", "m.json"),
		scopeManifest())
	got := diff(t, "-rev", "HEAD", outside)
	if got.code != 1 || !strings.Contains(got.stderr, "not in a git repository") {
		t.Errorf("diff -rev outside a repository: %v; want 1 and a reason", got)
	}
}

// gitRepo returns a new, empty git repository in a temporary directory,
// with git isolated from the user's and the system's configuration.
func gitRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: skipping diff -rev")
	}
	root := t.TempDir()
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CEILING_DIRECTORIES", root)
	t.Setenv("GIT_AUTHOR_NAME", "capgen test")
	t.Setenv("GIT_AUTHOR_EMAIL", "test@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "capgen test")
	t.Setenv("GIT_COMMITTER_EMAIL", "test@example.com")
	repo := filepath.Join(root, "repo")
	gitRun(t, root, "init", "-q", repo)
	return repo
}

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
