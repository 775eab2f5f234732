package scope

import (
	"encoding/json"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

const graphCatalogue = "../../../shared/data/scopes/microsoft-graph.json"

// graphData is the part of the Graph scope catalogue the benchmark reads.
type graphData struct {
	Scopes     map[string]string `json:"scopes"`
	Operations []struct {
		Method      string     `json:"method"`
		Path        string     `json:"path"`
		ScopesAnyOf [][]string `json:"scopes_any_of"`
	} `json:"operations"`
}

func BenchmarkMinimalCoverGraph(b *testing.B) {
	data := loadGraph(b)
	imp := graphImplications(data.Scopes)
	reqs := graphCapabilities(data, 50)

	cover, err := imp.MinimalCover(reqs, nil)
	if err != nil {
		b.Fatalf("MinimalCover: %v", err)
	}
	for i, r := range reqs {
		if !imp.Satisfies(cover, r) {
			b.Fatalf("cover %v does not meet capability %d %v", cover, i, r)
		}
	}

	b.ReportAllocs()
	for b.Loop() {
		if _, err := imp.MinimalCover(reqs, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(cover)), "scopes")
}

func loadGraph(b *testing.B) graphData {
	raw, err := os.ReadFile(graphCatalogue)
	if errors.Is(err, fs.ErrNotExist) {
		b.Skipf("Graph scope catalogue %s is absent; check out the shared data "+
			"next to the repository to run this benchmark", graphCatalogue)
	}
	if err != nil {
		b.Fatal(err)
	}
	var data graphData
	if err := json.Unmarshal(raw, &data); err != nil {
		b.Fatalf("%s: %v", graphCatalogue, err)
	}
	return data
}

// graphImplications derives a hierarchy from Graph's naming, since the
// catalogue states none: X.ReadWrite.All implies X.Read.All and X.ReadWrite,
// X.ReadWrite implies X.Read, and X.Read.All implies X.Read, each only when
// both scopes are in the catalogue.
func graphImplications(catalogue map[string]string) Implications {
	rules := []struct{ from, to string }{
		{".ReadWrite.All", ".Read.All"},
		{".ReadWrite.All", ".ReadWrite"},
		{".ReadWrite", ".Read"},
		{".Read.All", ".Read"},
	}
	imp := Implications{}
	for s := range catalogue {
		for _, r := range rules {
			base, ok := strings.CutSuffix(s, r.from)
			if _, known := catalogue[base+r.to]; ok && known {
				imp[s] = append(imp[s], base+r.to)
			}
		}
	}
	return imp
}

// graphCapabilities picks n capabilities with a fixed seed, each the
// scopes_any_of of one random operation that lists at least one
// alternative, as a capability backed by a single endpoint would be.
func graphCapabilities(data graphData, n int) []Requirement {
	r := rand.New(rand.NewPCG(2026, 12))
	var reqs []Requirement
	for len(reqs) < n {
		op := data.Operations[r.IntN(len(data.Operations))]
		if len(op.ScopesAnyOf) > 0 {
			reqs = append(reqs, op.ScopesAnyOf)
		}
	}
	return reqs
}
