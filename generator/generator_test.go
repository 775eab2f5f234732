package generator_test

import (
	"bytes"
	"flag"
	"go/format"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/capgen/capgen/generator"
	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/internal/spec"
)

var update = flag.Bool("update", false, "rewrite golden files")

// docExample extracts the complete example of docs/spec.md, so that the
// example the documentation shows is the one the golden files test.
func docExample(t testing.TB) spec.Source {
	t.Helper()
	doc, err := os.ReadFile("../docs/spec.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := bytes.Cut(doc, []byte("## One complete example"))
	if !ok {
		t.Fatal("docs/spec.md has no complete example")
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(after)
	if m == nil {
		t.Fatal("docs/spec.md: the complete example has no yaml block")
	}
	return spec.Source{Path: "docs/acme.yaml", Data: m[1]}
}

func vocabulary(t testing.TB) spec.Source {
	t.Helper()
	data, err := os.ReadFile("../specs/capabilities.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return spec.Source{Path: "specs/capabilities.yaml", Data: data}
}

func mustLoad(t testing.TB, vocab spec.Source, providers ...spec.Source) *model.Catalog {
	t.Helper()
	cat, diags := spec.Load(vocab, providers)
	if cat == nil {
		t.Fatalf("specs do not load:\n%v", diags)
	}
	return cat
}

func mustGenerate(t testing.TB, cat *model.Catalog) []generator.OutputFile {
	t.Helper()
	files, err := generator.Generate(cat)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGolden compares the package generated from the documentation's
// example with testdata/golden. Run with -update to rewrite it.
func TestGolden(t *testing.T) {
	files := mustGenerate(t, mustLoad(t, vocabulary(t), docExample(t)))
	golden := filepath.Join("testdata", "golden")
	if *update {
		os.RemoveAll(golden)
	}
	for _, f := range files {
		path := filepath.Join(golden, filepath.FromSlash(f.Path)+".golden")
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: no golden file (run go test -update): %v", f.Path, err)
			continue
		}
		if diff := cmp.Diff(string(want), string(f.Data)); diff != "" {
			t.Errorf("%s differs from its golden file (-want +got):\n%s", f.Path, diff)
		}
	}
	goldens, _ := filepath.Glob(filepath.Join(golden, "*", "*.golden"))
	if !*update && len(goldens) != len(files) {
		t.Errorf("%d golden files, %d generated files", len(goldens), len(files))
	}
}

// TestGeneratedFilesAreOrdinaryGo checks every file generated from the
// bundled specs: header first, then a blank line, then the source path, and
// gofmt leaves it unchanged.
func TestGeneratedFilesAreOrdinaryGo(t *testing.T) {
	cat, diags := spec.LoadDir("../specs")
	if cat == nil {
		t.Fatalf("bundled specs do not load:\n%v", diags)
	}
	for _, f := range mustGenerate(t, cat) {
		if !bytes.HasPrefix(f.Data, []byte(generator.Header+"\n\n// Source: ")) {
			t.Errorf("%s: does not start with the header, a blank line and the source", f.Path)
		}
		formatted, err := format.Source(f.Data)
		if err != nil {
			t.Errorf("%s: not valid Go: %v", f.Path, err)
		} else if !bytes.Equal(formatted, f.Data) {
			t.Errorf("%s: not gofmt clean", f.Path)
		}
		header, _, _ := strings.Cut(string(f.Data), "\npackage ")
		for i, line := range strings.Split(header, "\n") {
			if strings.Contains(line, "capgen v") || timestamp.MatchString(line) {
				t.Errorf("%s:%d: looks like a version or time stamp: %s", f.Path, i+1, line)
			}
		}
	}
}

var timestamp = regexp.MustCompile(`20\d\d-\d\d-\d\dT\d\d:`)

// TestDeterministic generates the bundled specs again with every unordered
// mapping shuffled and the files in a different order, and expects the same
// bytes.
func TestDeterministic(t *testing.T) {
	vocab, providers := bundledSources(t)
	want := mustGenerate(t, mustLoad(t, vocab, providers...))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 10 {
		shuffled := make([]spec.Source, len(providers))
		for j, src := range providers {
			shuffled[j] = spec.Source{Path: src.Path, Data: shuffleYAML(t, src.Data, rng)}
		}
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		vshuffled := spec.Source{Path: vocab.Path, Data: shuffleYAML(t, vocab.Data, rng)}
		got := mustGenerate(t, mustLoad(t, vshuffled, shuffled...))
		if diff := cmp.Diff(fileMap(want), fileMap(got)); diff != "" {
			t.Fatalf("run %d: output depends on input order (-want +got):\n%s", i, diff)
		}
	}
}

// fileMap keys files by path, with their content as text, which go-cmp
// compares and reports far faster than byte slices.
func fileMap(files []generator.OutputFile) map[string]string {
	m := make(map[string]string, len(files))
	for _, f := range files {
		m[f.Path] = string(f.Data)
	}
	return m
}

func bundledSources(t testing.TB) (spec.Source, []spec.Source) {
	t.Helper()
	paths, _ := filepath.Glob("../specs/providers/*.yaml")
	var providers []spec.Source
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		providers = append(providers, spec.Source{Path: strings.TrimPrefix(p, "../"), Data: data})
	}
	return vocabulary(t), providers
}

// orderedKeys are mappings whose order means something (struct fields and
// parameters keep their written order), so the shuffle leaves them alone.
var orderedKeys = map[string]bool{"fields": true, "params": true}

func shuffleYAML(t testing.TB, data []byte, rng *rand.Rand) []byte {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	expandAliases(&doc)
	shuffleNode(&doc, rng, false)
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// expandAliases replaces every alias with a copy of what it names, so that
// shuffling cannot move an alias before its anchor.
func expandAliases(n *yaml.Node) {
	for i, c := range n.Content {
		if c.Kind == yaml.AliasNode && c.Alias != nil {
			copied := *c.Alias
			copied.Anchor = ""
			n.Content[i] = &copied
		}
		expandAliases(n.Content[i])
	}
	n.Anchor = ""
}

func shuffleNode(n *yaml.Node, rng *rand.Rand, keep bool) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			shuffleNode(n.Content[i+1], rng, orderedKeys[n.Content[i].Value])
		}
		if !keep {
			pairs := len(n.Content) / 2
			rng.Shuffle(pairs, func(a, b int) {
				n.Content[2*a], n.Content[2*b] = n.Content[2*b], n.Content[2*a]
				n.Content[2*a+1], n.Content[2*b+1] = n.Content[2*b+1], n.Content[2*a+1]
			})
		}
		return
	}
	for _, c := range n.Content {
		shuffleNode(c, rng, false)
	}
}

// BenchmarkGenerate renders the bundled catalogue in memory.
func BenchmarkGenerate(b *testing.B) {
	vocab, providers := bundledSources(b)
	cat := mustLoad(b, vocab, providers...)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := generator.Generate(cat); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadAndGenerate is the whole job of capgen generate short of
// writing: parse, validate and render the bundled catalogue.
func BenchmarkLoadAndGenerate(b *testing.B) {
	vocab, providers := bundledSources(b)
	b.ReportAllocs()
	for b.Loop() {
		cat, _ := spec.Load(vocab, providers)
		if _, err := generator.Generate(cat); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOptionalBooleanInRequestIsAPointer: a request must be able to send
// false, which a plain bool with omitzero would leave out; responses keep
// plain bools.
func TestOptionalBooleanInRequestIsAPointer(t *testing.T) {
	provider := spec.Source{Path: "specs/providers/acme.yaml", Data: []byte(`provider: acme
base_url: https://api.acme.example
scopes:
  w: {description: Write.}
capabilities:
  contact.write: {any_of: [[w]]}
operations:
  UpdateContact:
    method: PATCH
    path: /contact
    capability: contact.write
    request: ContactChange
    response: Contact
types:
  ContactChange:
    fields:
      subscribed: boolean
      archived: {type: boolean, required: true}
  Contact:
    fields:
      subscribed: boolean
`)}
	files := mustGenerate(t, mustLoad(t, vocabulary(t), provider))
	types := string(fileMap(files)["acme/types.go"])
	for _, want := range []string{
		"Subscribed *bool `json:\"subscribed,omitzero\"`",
		"Archived   bool  `json:\"archived\"`",
		"Subscribed bool `json:\"subscribed,omitzero\"`",
	} {
		if !strings.Contains(types, want) {
			t.Errorf("types.go lacks %q:\n%s", want, types)
		}
	}
}
