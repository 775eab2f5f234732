package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fixtures holds the importer's test descriptions.
const fixtures = "../../internal/importer/testdata/"

// goldenFile compares got with testdata/name, or rewrites it with -update.
func goldenFile(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		write(t, path, got)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}

func TestImportGolden(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		golden string
	}{
		{"openapi 3", []string{"openapi", fixtures + "crm3.yaml"}, "import/crm3.golden.yaml"},
		{"openapi 2 with its misuse options", []string{"openapi", "-name", "chat",
			"-alternatives-in-one-requirement", "-no-scope", "none", "-scope-separator", ",",
			fixtures + "chat2.json"}, "import/chat2.golden.yaml"},
		{"discovery, flags after the file", []string{"discovery", fixtures +
			"contacts.discovery.json", "-map", "settings=user"}, "import/contacts.golden.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := capgen(t, append([]string{"import"}, tt.args...)...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			goldenFile(t, tt.golden, stdout)
		})
	}
}

func TestImportOutputPassesCheck(t *testing.T) {
	dir := catalogue(t, nil)
	out := filepath.Join(dir, "providers", "acmecrm.yaml")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := capgen(t, "import", "openapi", "-o", out, fixtures+"crm3.yaml")
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("import -o: exit %d, stdout %q, stderr %q; want 0 and silence", code, stdout,
			stderr)
	}
	if code, _, stderr := capgen(t, "check", dir); code != 0 || stderr != "" {
		t.Errorf("check of the draft: exit %d, stderr:\n%s", code, stderr)
	}

	before, _ := os.Stat(out)
	later := before.ModTime().Add(-10 * time.Second)
	if err := os.Chtimes(out, later, later); err != nil {
		t.Fatal(err)
	}
	capgen(t, "import", "openapi", "-o", out, fixtures+"crm3.yaml")
	if after, _ := os.Stat(out); !after.ModTime().Equal(later) {
		t.Errorf("a second import with the same result rewrote %s", out)
	}
}

func TestImportErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no format", nil, 2, "usage: capgen import"},
		{"unknown format", []string{"raml", "x.raml"}, 2, `unknown format "raml"`},
		{"no file", []string{"openapi"}, 2, "name exactly one description file"},
		{"two files", []string{"openapi", "a.yaml", "b.yaml"}, 2, "exactly one"},
		{"missing file", []string{"openapi", "nothing-here.yaml"}, 1,
			"nothing-here.yaml: cannot read the description: no such file"},
		{"wrong format", []string{"discovery", fixtures + "crm3.yaml"}, 1,
			"not a Discovery document"},
		{"misuse option on Discovery", []string{"discovery", "-alternatives-in-one-requirement",
			fixtures + "contacts.discovery.json"}, 1, "applies to OpenAPI documents only"},
		{"map to an unknown object", []string{"openapi", "-map", "widgets=gadget",
			fixtures + "crm3.yaml"}, 2, "no capability of the vocabulary acts on gadget"},
		{"malformed map", []string{"openapi", "-map", "widgets", fixtures + "crm3.yaml"}, 2,
			"want RESOURCE=OBJECT"},
		{"invalid name", []string{"openapi", "-name", "Acme", fixtures + "crm3.yaml"}, 1,
			"must be lower-case letters and digits"},
		{"missing vocabulary", []string{"openapi", "-capabilities", "none.yaml",
			fixtures + "crm3.yaml"}, 1, "cannot read the vocabulary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := capgen(t, append([]string{"import"}, tt.args...)...)
			if code != tt.code || stdout != "" || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit %d, no output and %q", code,
					stdout, stderr, tt.code, tt.want)
			}
		})
	}
}
