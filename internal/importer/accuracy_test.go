package importer

import (
	"encoding/json"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/capgen/capgen/internal/spec"
)

// sharedData is ../shared/data seen from the repository root.
const sharedData = "../../../shared/data"

// scopeData is the shape of the files in ../shared/data/scopes.
type scopeData struct {
	Operations []struct {
		ID       string     `json:"id"`
		Method   string     `json:"method"`
		Path     string     `json:"path"`
		AnyOf    [][]string `json:"scopes_any_of"`
		Intended [][]string `json:"scopes_any_of_intended"`
	} `json:"operations"`
}

// TestAccuracy imports the raw descriptions of ../shared/data and compares
// every operation's requirement with the scope data extracted from the same
// descriptions. Requirements are compared as sets of alternatives, each a
// set of scopes; Slack's scope "none" stands for no scope.
func TestAccuracy(t *testing.T) {
	tests := []struct {
		name, raw, scopes string
		discovery         bool
		opts              Options
		// intended compares with scopes_any_of_intended where present.
		intended bool
		// fullPath: the data's paths start below the host, not the base URL.
		fullPath bool
	}{
		{name: "slack literal", raw: "slack_web_openapi_v2.json", scopes: "slack.json"},
		{name: "slack intended", raw: "slack_web_openapi_v2.json", scopes: "slack.json",
			opts: Options{AlternativesInOneRequirement: true, NoScope: "none"}, intended: true},
		{name: "drive", raw: "drive.v3.json", scopes: "google-drive.json", discovery: true,
			fullPath: true},
		{name: "gmail", raw: "gmail.v1.json", scopes: "google-gmail.json", discovery: true,
			fullPath: true},
		{name: "sheets", raw: "sheets.v4.json", scopes: "google-sheets.json", discovery: true,
			fullPath: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := readShared(t, "raw", tt.raw)
			var data scopeData
			if err := json.Unmarshal(readShared(t, "scopes", tt.scopes), &data); err != nil {
				t.Fatal(err)
			}
			want := map[string][][]string{}
			for _, op := range data.Operations {
				req := op.AnyOf
				if tt.intended && op.Intended != nil {
					req = op.Intended
				}
				want[op.Method+" "+op.Path] = comparable(req)
			}

			opts := tt.opts
			opts.Vocabulary, opts.Source = vocabularyNames(t), tt.raw
			read := OpenAPI
			if tt.discovery {
				read = Discovery
			}
			d, err := read(raw, opts)
			if err != nil {
				t.Fatal(err)
			}
			agree := compareWithData(t, d, want, tt.fullPath)
			field := "scopes_any_of"
			if tt.intended {
				field = "scopes_any_of_intended, else scopes_any_of"
			}
			t.Logf("%s (%s): %d of %d operations agree with %s, %s (%d operations in the data)",
				tt.raw, tt.name, agree, len(d.Operations), tt.scopes, field, len(data.Operations))
			checkLive(t, d, tt.raw)
		})
	}
}

func readShared(t *testing.T, dir, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedData, dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s/%s/%s is absent: the accuracy test needs the shared scope data "+
			"beside the repository (../shared/data)", sharedData, dir, name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// compareWithData reports every operation whose requirement differs from the
// data's, and every operation of the data the draft lacks; it returns how
// many agree.
func compareWithData(t *testing.T, d *Draft, want map[string][][]string, fullPath bool) int {
	t.Helper()
	prefix := ""
	if u, err := url.Parse(d.BaseURL); fullPath && err == nil && u.Path != "" {
		prefix = strings.TrimPrefix(u.Path, "/") + "/"
	}
	agree := 0
	seen := map[string]bool{}
	for _, op := range d.Operations {
		path := op.Path
		if fullPath {
			path = prefix + strings.TrimPrefix(op.Path, "/")
		}
		key := op.Method + " " + path
		seen[key] = true
		expected, ok := want[key]
		switch got := comparable(op.Accepts); {
		case !ok:
			t.Errorf("%s (%s) is not in the scope data", op.Name, key)
		case !sameRequirement(got, expected):
			t.Errorf("%s (%s): requirement %q, data says %q", op.Name, key, got, expected)
		default:
			agree++
		}
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("%s is in the scope data but not in the draft", key)
		}
	}
	return agree
}

// checkLive validates the draft as capgen check would and compares the
// requirement of every operation written as YAML with what was read.
func checkLive(t *testing.T, d *Draft, name string) {
	t.Helper()
	cat, diags := spec.Load(vocabularySource(), []spec.Source{{Path: name + ".yaml", Data: d.YAML}})
	if cat == nil {
		t.Fatalf("the draft of %s does not pass validation:\n%s", name, diags)
	}
	for _, w := range diags {
		t.Logf("warning: %s", w)
	}
	read := map[string]Operation{}
	for _, op := range d.Operations {
		read[op.Name] = op
	}
	live := 0
	for _, op := range cat.Providers[0].Operations {
		live++
		if got := normalize(op.Requirement); !sameRequirement(got, read[op.Name].Accepts) {
			t.Errorf("%s: the spec's requirement %q differs from the one read, %q", op.Name, got,
				read[op.Name].Accepts)
		}
	}
	t.Logf("%s: the draft passes validation; %d operations written live, %d commented out "+
		"under TODO(decide)", name, live, len(d.Operations)-live)
}

// comparable normalizes a requirement for comparison: scope "none" means no
// scope, and an empty list of alternatives means that no scope is needed.
func comparable(req [][]string) [][]string {
	if len(req) == 0 {
		return [][]string{{}}
	}
	var out [][]string
	for _, alt := range req {
		out = append(out, slices.DeleteFunc(slices.Clone(alt), func(s string) bool {
			return s == "none"
		}))
	}
	return normalize(out)
}
