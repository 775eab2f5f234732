package spec_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/internal/spec"
)

// scopeData names the published scope data each bundled provider is
// compared with. GitHub's data describes GitHub App permissions, while its
// spec models classic OAuth scopes, so it is not compared.
var scopeData = map[string]string{
	"hubspot":        "hubspot.json",
	"slack":          "slack.json",
	"googledrive":    "google-drive.json",
	"microsoftgraph": "microsoft-graph.json",
	"gmail":          "google-gmail.json",
	"googlesheets":   "google-sheets.json",
}

const sharedScopes = "../../../shared/data/scopes"

type dataFile struct {
	Operations []struct {
		Method        string     `json:"method"`
		Path          string     `json:"path"`
		AnyOf         [][]string `json:"scopes_any_of"`
		IntendedAnyOf [][]string `json:"scopes_any_of_intended"`
	} `json:"operations"`
}

type deviation struct {
	Provider string `yaml:"provider"`
	Method   string `yaml:"method"`
	Path     string `yaml:"path"`
	Reason   string `yaml:"reason"`
}

// TestCrossCheckPublishedScopes compares the requirement of every bundled
// operation that the published data also describes (same method and path)
// and fails on a difference that specs/crosscheck-deviations.yaml does not
// explain, or on an explanation that no longer applies.
func TestCrossCheckPublishedScopes(t *testing.T) {
	if _, err := os.Stat(sharedScopes); err != nil {
		t.Skipf("skipping: published scope data not found at %s (it lives in ../shared/data "+
			"beside the repository)", sharedScopes)
	}
	cat, diags := spec.LoadDir("../../specs")
	if cat == nil {
		t.Fatalf("bundled specs do not load:\n%v", diags)
	}
	deviations := readDeviations(t)
	used := map[string]bool{}
	compared := 0
	for _, p := range cat.Providers {
		file, ok := scopeData[p.Name]
		if !ok {
			continue
		}
		published := readData(t, filepath.Join(sharedScopes, file))
		n := 0
		for _, op := range p.Operations {
			want, ok := published[opKey(op.Method, op.Path)]
			if !ok {
				continue
			}
			n++
			got := normalize(op.Requirement)
			key := p.Name + " " + opKey(op.Method, op.Path)
			if got == want {
				continue
			}
			if _, ok := deviations[key]; ok {
				used[key] = true
				continue
			}
			t.Errorf("%s %s: spec requires %s, published data says %s (fix the spec, or list a "+
				"reviewed reason in specs/crosscheck-deviations.yaml)", p.Name, op.Name, got, want)
		}
		t.Logf("%s: compared %d operations with %s", p.Name, n, file)
		compared += n
	}
	for key := range deviations {
		if !used[key] {
			t.Errorf("deviation %q no longer differs from the data (remove it)", key)
		}
	}
	t.Logf("compared %d operations; accepted %d reviewed deviations", compared, len(used))
	if compared < 40 {
		t.Errorf("compared only %d operations, want at least 40", compared)
	}
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// opKey identifies an operation by method and path, ignoring the leading
// slash, the names of path parameters and letter case: the Microsoft Graph
// data writes paths in lower case (/me/sendmail), where Microsoft's
// documentation, which the spec follows, writes /me/sendMail.
func opKey(method, path string) string {
	path = pathParam.ReplaceAllString(strings.TrimPrefix(path, "/"), "{}")
	return strings.ToUpper(method) + " " + strings.ToLower(path)
}

// normalize writes a requirement with sorted scopes in each alternative and
// sorted, distinct alternatives, so that equal requirements compare equal.
func normalize(req model.Requirement) string {
	var alts []string
	for _, alt := range req {
		alt = slices.Clone(alt)
		alt = slices.DeleteFunc(alt, func(s string) bool { return s == "none" })
		slices.Sort(alt)
		alts = append(alts, "["+strings.Join(slices.Compact(alt), " ")+"]")
	}
	slices.Sort(alts)
	return strings.Join(slices.Compact(alts), " | ")
}

func readData(t *testing.T, path string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f dataFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]string{}
	for _, op := range f.Operations {
		anyOf := op.AnyOf
		if op.IntendedAnyOf != nil {
			anyOf = op.IntendedAnyOf
		}
		out[opKey(op.Method, op.Path)] = normalize(anyOf)
	}
	return out
}

func readDeviations(t *testing.T) map[string]deviation {
	t.Helper()
	raw, err := os.ReadFile("../../specs/crosscheck-deviations.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Deviations []deviation `yaml:"deviations"`
	}
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	out := map[string]deviation{}
	for _, d := range f.Deviations {
		key := fmt.Sprintf("%s %s", d.Provider, opKey(d.Method, d.Path))
		if strings.TrimSpace(d.Reason) == "" {
			t.Errorf("deviation %s has no reason", key)
		}
		out[key] = d
	}
	return out
}
