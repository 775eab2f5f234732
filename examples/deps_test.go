package example

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestGeneratedCodeCompilesOnlyTheRuntime checks what a product compiles
// when it imports generated code: the standard library, golang.org/x/oauth2
// and capgen's runtime, nothing more (no OAuth2 server, no YAML parser, no
// code generator).
func TestGeneratedCodeCompilesOnlyTheRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: runs the go command")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}",
		"./integrations/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	modules := strings.Fields(string(out))
	slices.Sort(modules)
	modules = slices.Compact(modules)
	want := []string{"github.com/capgen/capgen", "github.com/capgen/capgen/examples", "golang.org/x/oauth2"}
	if !slices.Equal(modules, want) {
		t.Errorf("generated code depends on modules %v, want only %v", modules, want)
	}
	t.Logf("modules compiled by generated code: %v", modules)
}
