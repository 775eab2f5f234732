package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/capgen/capgen/specs"
)

// capgen runs the command line and returns its exit status and output.
func capgen(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// catalogue writes a vocabulary and provider files into a new directory.
func catalogue(t *testing.T, providers map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	vocab, err := os.ReadFile("../../specs/capabilities.yaml")
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "capabilities.yaml"), string(vocab))
	for name, data := range providers {
		write(t, filepath.Join(dir, "providers", name), data)
	}
	return dir
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

const goodSpec = `provider: acme
base_url: https://api.acme.example
scopes:
  contacts.read:
    description: Read contacts.
capabilities:
  contact.read:
    any_of: [[contacts.read]]
operations:
  ListContacts:
    summary: List contacts.
    method: GET
    path: /contacts
    capability: contact.read
    response: ContactPage
types:
  ContactPage:
    fields:
      results: "[]string"
`

const brokenSpec = `provider: acme
base_url: http://api.acme.example
scopes:
  contacts.read:
    descripton: Read contacts.
capabilities:
  contact.read:
    any_of: [[contacts.red]]
operations:
  ListContacts:
    method: GET
    path: /contacts/{id}
    capability: contact.write
`

func TestCheckBundledSpecsIsSilent(t *testing.T) {
	code, stdout, stderr := capgen(t, "check", "../../specs")
	if code != 0 || stdout != "" || stderr != "" {
		t.Errorf("check: exit %d, stdout %q, stderr %q; want 0 and no output", code, stdout, stderr)
	}
}

func TestCheckReportsEveryProblemSorted(t *testing.T) {
	dir := catalogue(t, map[string]string{"acme.yaml": brokenSpec, "zeta.yaml": brokenSpec})
	code, stdout, stderr := capgen(t, "check", dir)
	if code != 1 || stdout != "" {
		t.Fatalf("check: exit %d, stdout %q; want 1 and diagnostics on stderr", code, stdout)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) < 8 {
		t.Errorf("got %d diagnostics, want every problem of both files:\n%s", len(lines), stderr)
	}
	if !slices.IsSortedFunc(lines, compareDiagnostics) {
		t.Errorf("diagnostics are not sorted:\n%s", stderr)
	}
	acme := filepath.Join(dir, "providers", "acme.yaml")
	for _, want := range []string{
		acme + ":2:11: base_url: \"http://api.acme.example\" must be an absolute https URL",
		acme + ":5:5: unknown key \"descripton\" (did you mean \"description\"?)",
		acme + ":13:17: operation ListContacts: capability contact.write has no requirement",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// compareDiagnostics orders file:line:col: message lines by file, then
// numerically by line and column.
func compareDiagnostics(a, b string) int {
	fa, la, ca := splitPos(a)
	fb, lb, cb := splitPos(b)
	if c := strings.Compare(fa, fb); c != 0 {
		return c
	}
	if la != lb {
		return la - lb
	}
	return ca - cb
}

func splitPos(line string) (file string, l, c int) {
	parts := strings.SplitN(line, ":", 4)
	if len(parts) < 4 {
		return line, 0, 0
	}
	return parts[0], atoi(parts[1]), atoi(parts[2])
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func TestGenerateWritesNothingWhenAnythingFails(t *testing.T) {
	dir := catalogue(t, map[string]string{"good.yaml": strings.Replace(goodSpec, "acme", "good", 1),
		"acme.yaml": brokenSpec})
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := capgen(t, "generate", "-o", out, dir)
	if code != 1 || stderr == "" {
		t.Fatalf("generate: exit %d, stderr %q; want 1 and diagnostics", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("generate wrote %s although a spec failed", out)
	}
}

func TestGenerateThenCheckIsClean(t *testing.T) {
	dir := catalogue(t, map[string]string{"acme.yaml": goodSpec})
	out := t.TempDir()
	if code, stdout, stderr := capgen(t, "generate", "-o", out, dir); code != 0 || stdout+stderr != "" {
		t.Fatalf("generate: exit %d, output %q; want 0 and silence", code, stdout+stderr)
	}
	if code, stdout, _ := capgen(t, "generate", "-check", "-o", out, dir); code != 0 || stdout != "" {
		t.Errorf("generate -check after generate: exit %d, stdout %q; want 0 and silence", code, stdout)
	}
}

func TestGenerateCheckReportsStaleAndMissingFiles(t *testing.T) {
	dir := catalogue(t, map[string]string{"acme.yaml": goodSpec})
	out := t.TempDir()
	capgen(t, "generate", "-o", out, dir)
	types := filepath.Join(out, "acme", "types.go")
	data, _ := os.ReadFile(types)
	write(t, types, strings.Replace(string(data), "Results", "Items", 1))
	os.Remove(filepath.Join(out, "acme", "contact_read.go"))

	code, stdout, _ := capgen(t, "generate", "-check", "-o", out, dir)
	if code != 1 {
		t.Errorf("generate -check on stale output: exit %d, want 1", code)
	}
	for _, want := range []string{"acme/types.go: stale", "-\tItems ", "+\tResults ",
		"acme/contact_read.go: missing", "2 generated files are out of date"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	after, _ := os.ReadFile(types)
	if !bytes.Contains(after, []byte("Items")) {
		t.Error("generate -check rewrote a file")
	}
}

func TestGenerateRewritesOnlyChangedFiles(t *testing.T) {
	dir := catalogue(t, map[string]string{"acme.yaml": goodSpec})
	out := t.TempDir()
	capgen(t, "generate", "-o", out, dir)
	provider := filepath.Join(out, "acme", "provider.go")
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(provider, old, old)

	capgen(t, "generate", "-o", out, dir)
	st, err := os.Stat(provider)
	if err != nil {
		t.Fatal(err)
	}
	if !st.ModTime().Equal(old) {
		t.Errorf("an unchanged file was rewritten (mtime %v, want %v)", st.ModTime(), old)
	}
}

func TestGenerateNeverOverwritesAHandWrittenFile(t *testing.T) {
	dir := catalogue(t, map[string]string{"acme.yaml": goodSpec})
	out := t.TempDir()
	mine := filepath.Join(out, "acme", "types.go")
	write(t, mine, "package acme\n\n// Mine.\n")
	code, _, stderr := capgen(t, "generate", "-o", out, dir)
	if code != 1 || !strings.Contains(stderr, "refusing to overwrite acme/types.go") {
		t.Errorf("generate over a hand-written file: exit %d, stderr %q", code, stderr)
	}
	if data, _ := os.ReadFile(mine); string(data) != "package acme\n\n// Mine.\n" {
		t.Error("the hand-written file was changed")
	}
	if _, err := os.Stat(filepath.Join(out, "acme", "provider.go")); err == nil {
		t.Error("generate wrote other files although it refused one")
	}
}

func TestGenerateRemovesObsoleteGeneratedFiles(t *testing.T) {
	dir := catalogue(t, map[string]string{"acme.yaml": goodSpec})
	out := t.TempDir()
	capgen(t, "generate", "-o", out, dir)
	stale := filepath.Join(out, "acme", "contact_write.go")
	write(t, stale, "// Code generated by capgen. DO NOT EDIT.\n\npackage acme\n")
	kept := filepath.Join(out, "acme", "extra.go")
	write(t, kept, "package acme\n")

	capgen(t, "generate", "-o", out, dir)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("an obsolete generated file was kept")
	}
	if _, err := os.Stat(kept); err != nil {
		t.Error("a hand-written file was removed")
	}
}

func TestVerbosePrintsTimings(t *testing.T) {
	dir := catalogue(t, map[string]string{"acme.yaml": goodSpec})
	code, stdout, stderr := capgen(t, "generate", "-v", "-o", t.TempDir(), dir)
	if code != 0 || stdout != "" || !strings.Contains(stderr, "capgen: rendered 3 files in") {
		t.Errorf("generate -v: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestExplain(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"hubspot"}, []string{"hubspot (HubSpot)", "contact.read", "ContactRead",
			"crm.objects.contacts.read"}},
		{[]string{"github", "issue.write"}, []string{"handle: Grant.IssueWrite()", "repo",
			"CreateIssue"}},
		{[]string{"slack", "PostMessage"}, []string{"POST https://slack.com/api/chat.postMessage",
			"capability:", "message.write", "provider accepts:"}},
	}
	for _, tt := range tests {
		args := append([]string{"explain", "-specs", "../../specs"}, tt.args...)
		code, stdout, stderr := capgen(t, args...)
		if code != 0 {
			t.Errorf("explain %v: exit %d, stderr %q", tt.args, code, stderr)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("explain %v: output lacks %q:\n%s", tt.args, w, stdout)
			}
		}
	}
	if code, _, stderr := capgen(t, "explain", "-specs", "../../specs", "nope"); code != 1 ||
		!strings.Contains(stderr, "have: "+strings.Join(specs.Providers(), ", ")) {
		t.Errorf("explain of an unknown provider: exit %d, stderr %q", code, stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"check", "-nope"}, {"explain"}} {
		if code, _, stderr := capgen(t, args...); code != 2 || stderr == "" {
			t.Errorf("capgen %v: exit %d, stderr %q; want 2 and usage", args, code, stderr)
		}
	}
}

// TestBundledGeneratedCodeIsCurrent fails when generated/ differs from what
// the bundled specs produce: run capgen generate and commit the result.
func TestBundledGeneratedCodeIsCurrent(t *testing.T) {
	root, _ := filepath.Abs("../..")
	t.Chdir(root)
	if code, stdout, stderr := capgen(t, "generate", "-check"); code != 0 {
		t.Errorf("generated/ is stale (run go run ./cmd/capgen generate):\n%s%s", stdout, stderr)
	}
}

// TestReadmeSpecIsValid checks the spec snippet of the README's quickstart.
func TestReadmeSpecIsValid(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(string(readme), "## Quickstart")
	_, block, ok := strings.Cut(after, "```yaml\n")
	block, _, _ = strings.Cut(block, "```")
	if !ok {
		t.Fatal("README's quickstart has no yaml block")
	}
	dir := catalogue(t, map[string]string{"hubspot.yaml": block})
	if code, _, stderr := capgen(t, "check", dir); code != 0 {
		t.Errorf("the README's spec does not check:\n%s", stderr)
	}
}

func TestSandboxExplainsHowToInstall(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	code, _, stderr := capgen(t, "sandbox")
	if code != 1 || !strings.Contains(stderr, "go install github.com/capgen/capgen/sandbox/cmd/capgen-sandbox") {
		t.Errorf("capgen sandbox without capgen-sandbox: exit %d, stderr %q", code, stderr)
	}
}
