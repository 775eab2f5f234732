package generator_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/capgen/capgen/generator"
)

// consumerModule creates a temporary Go module that uses capgen from this
// repository and holds the package generated from the documentation's
// example as example.com/consumer/acme.
func consumerModule(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping: builds a temporary module with the go command")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := "module example.com/consumer\n\ngo 1.26\n\n" +
		"require (\n\tgithub.com/capgen/capgen v0.0.0\n\tgolang.org/x/oauth2 v0.38.0\n)\n\n" +
		"replace github.com/capgen/capgen => " + root + "\n"
	writeFile(t, filepath.Join(dir, "go.mod"), gomod)
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "go.sum"), string(sum))

	files := mustGenerate(t, mustLoad(t, vocabulary(t), docExample(t)))
	changes, err := generator.Plan(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	if err := generator.Apply(dir, changes); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// goCmd runs the go command in dir, offline from any workspace.
func goCmd(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestGeneratedClientAgainstHTTPServer builds the generated package in a
// temporary module and runs testdata/consumer/client_test.go against an
// httptest server: typed calls, handles minted from grants, one error shape.
func TestGeneratedClientAgainstHTTPServer(t *testing.T) {
	dir := consumerModule(t)
	src, err := os.ReadFile("testdata/consumer/client_test.go")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "client_test.go"), string(src))
	writeFile(t, filepath.Join(dir, "doc.go"), "// Package consumer uses a generated client.\npackage consumer\n")
	if out, err := goCmd(t, dir, "vet", "./..."); err != nil {
		t.Fatalf("go vet of the generated package failed:\n%s", out)
	}
	if out, err := goCmd(t, dir, "test", "-count=1", "./..."); err != nil {
		t.Fatalf("the generated client failed its test:\n%s", out)
	}
}

// TestCompileFailures proves the properties the type system must enforce by
// compiling snippets against the generated package and reading the
// compiler's message. The first snippet must compile, so that a broken
// harness cannot pass the others.
func TestCompileFailures(t *testing.T) {
	dir := consumerModule(t)
	snippets := []struct {
		name, body, want string
	}{
		{
			name: "read handle calls a read operation",
			body: `h, _ := (&acme.Grant{}).ContactRead()
	_, _ = h.ListContacts(ctx, acme.ListContactsParams{})`,
			want: "",
		},
		{
			name: "read handle calls a write operation",
			body: `h, _ := (&acme.Grant{}).ContactRead()
	_, _ = h.CreateContact(ctx, &acme.ContactInput{})`,
			want: "h.CreateContact undefined (type acme.ContactRead has no field or method CreateContact)",
		},
		{
			name: "write handle calls an operation of another capability",
			body: `h, _ := (&acme.Grant{}).ContactWrite()
	_, _ = h.ListCompanies(ctx)`,
			want: "h.ListCompanies undefined (type acme.ContactWrite has no field or method ListCompanies)",
		},
		{
			name: "operation called as a package function",
			body: `_, _ = acme.ListContacts(ctx, acme.ListContactsParams{})`,
			want: "undefined: acme.ListContacts",
		},
		{
			name: "operation called on the client",
			body: `c := acme.NewClient(nil)
	_, _ = c.ListContacts(ctx, acme.ListContactsParams{})`,
			want: "c.ListContacts undefined (type *acme.Client has no field or method ListContacts)",
		},
		{
			name: "operation called on the grant",
			body: `var g acme.Grant
	_, _ = g.ListContacts(ctx, acme.ListContactsParams{})`,
			want: "g.ListContacts undefined (type acme.Grant has no field or method ListContacts)",
		},
		{
			name: "handle forged from the runtime's zero handle",
			body: `var raw capability.Handle
	h := acme.ContactRead{h: raw}
	_, _ = h.ListContacts(ctx, acme.ListContactsParams{})`,
			want: "cannot refer to unexported field h in struct literal of type acme.ContactRead",
		},
	}
	for i, s := range snippets {
		t.Run(s.name, func(t *testing.T) {
			pkg := filepath.Join(dir, "snippets", string(rune('a'+i)))
			writeFile(t, filepath.Join(pkg, "main.go"), snippetSource(s.body))
			out, err := goCmd(t, dir, "build", "-o", os.DevNull, "./"+filepath.ToSlash(mustRel(t, dir, pkg)))
			switch {
			case s.want == "" && err != nil:
				t.Fatalf("the control snippet does not compile:\n%s", out)
			case s.want == "":
			case err == nil:
				t.Fatalf("compiled, want the compiler to say %q", s.want)
			case !strings.Contains(out, s.want):
				t.Errorf("compiler said:\n%s\nwant it to say %q", out, s.want)
			}
		})
	}
}

func snippetSource(body string) string {
	return `package main

import (
	"context"

	"github.com/capgen/capgen/capability"

	"example.com/consumer/acme"
)

var _ capability.Handle

func main() {
	ctx := context.Background()
	` + body + `
}
`
}

func mustRel(t *testing.T, base, path string) string {
	t.Helper()
	rel, err := filepath.Rel(base, path)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}
