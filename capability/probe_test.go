package capability_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"
)

// probeSpec has one capability per probe outcome. Its API answers each
// probe path with the status in probeReplies.
func probeSpec() capability.ProviderSpec {
	req := func(scopes ...string) capability.Requirement {
		return capability.Requirement{AnyOf: [][]string{scopes}}
	}
	op := func(name, path, capName string, probe bool) capability.OperationSpec {
		return capability.OperationSpec{Name: name, Method: "GET", Path: path,
			Capability: capName, Probe: probe}
	}
	return capability.ProviderSpec{
		Name: "acme", BaseURL: "http://acme.invalid",
		Scopes: []capability.ScopeSpec{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"},
			{Name: "e"}, {Name: "f"}, {Name: "g"}, {Name: "g.admin"}},
		Capabilities: []capability.CapabilitySpec{
			{Name: "a.read", Requirement: req("a")}, {Name: "b.read", Requirement: req("b")},
			{Name: "c.read", Requirement: req("c")}, {Name: "d.read", Requirement: req("d")},
			{Name: "e.read", Requirement: req("e")}, {Name: "f.read", Requirement: req("f")},
			{Name: "g.read", Requirement: req("g")},
		},
		Operations: []capability.OperationSpec{
			op("ListA", "/a", "a.read", false), op("ProbeA", "/a/probe", "a.read", true),
			op("ProbeA2", "/a/second", "a.read", true),
			op("ProbeB", "/b", "b.read", true), op("ProbeC", "/c", "c.read", true),
			op("ProbeD", "/d", "d.read", true), op("ProbeE", "/e/{id}", "e.read", true),
			op("ListF", "/f", "f.read", false),
			{Name: "ProbeG", Path: "/g", Capability: "g.read", Probe: true,
				Requirement: req("g", "g.admin")},
		},
		Errors: []capability.ErrorRule{
			{Kind: capability.KindForbidden, Status: []int{403}},
			{Kind: capability.KindExpired, Status: []int{401}},
		},
	}
}

func TestProbe(t *testing.T) {
	replies := map[string]int{"/a/probe": 200, "/b": 403, "/d": 401}
	var mu sync.Mutex
	var called []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		called = append(called, r.URL.Path)
		mu.Unlock()
		w.WriteHeader(replies[r.URL.Path])
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	p := capability.NewProvider(probeSpec())
	client := capability.NewClient(p, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "t"}),
		capability.WithBaseURL(srv.URL))
	grant := capability.NewGrant(p, []string{"a", "b", "d", "e", "f", "g"})

	got := grant.Probe(context.Background(), client)
	want := []capability.ProbeResult{
		{Capability: "a.read", Operation: "ProbeA", Outcome: capability.ProbeWorking},
		{Capability: "b.read", Operation: "ProbeB", Outcome: capability.ProbeRefused},
		{Capability: "c.read", Operation: "ProbeC", Outcome: capability.ProbeMissingScopes,
			Missing: []string{"c"}},
		{Capability: "d.read", Operation: "ProbeD", Outcome: capability.ProbeFailed},
		{Capability: "e.read", Operation: "ProbeE", Outcome: capability.ProbeSkipped},
		{Capability: "g.read", Operation: "ProbeG", Outcome: capability.ProbeMissingScopes,
			Missing: []string{"g.admin"}},
	}
	opts := cmpopts.IgnoreFields(capability.ProbeResult{}, "Err", "Reason")
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("Probe (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/a/probe", "/b", "/d"}, called); diff != "" {
		t.Errorf("paths called (-want +got):\n%s", diff)
	}
	checkProbeDetails(t, got)
}

func checkProbeDetails(t *testing.T, results []capability.ProbeResult) {
	t.Helper()
	for _, r := range results {
		e, isErr := errors.AsType[*capability.Error](r.Err)
		switch r.Outcome {
		case capability.ProbeRefused:
			if !isErr || e.Kind != capability.KindForbidden {
				t.Errorf("%s: Err = %v, want the provider's 403", r.Capability, r.Err)
			}
		case capability.ProbeFailed:
			if !isErr || e.Kind != capability.KindExpired {
				t.Errorf("%s: Err = %v, want the provider's 401", r.Capability, r.Err)
			}
		case capability.ProbeSkipped:
			if r.Reason == "" || r.Err != nil {
				t.Errorf("%s: skipped with reason %q and error %v", r.Capability, r.Reason, r.Err)
			}
		default:
			if r.Err != nil {
				t.Errorf("%s: %s with error %v", r.Capability, r.Outcome, r.Err)
			}
		}
	}
}

func TestProbeWithoutAGrantOrClient(t *testing.T) {
	p := capability.NewProvider(probeSpec())
	var nilGrant *capability.Grant
	if got := nilGrant.Probe(context.Background(), nil); got != nil {
		t.Errorf("nil grant: Probe = %v, want nil", got)
	}
	for _, r := range capability.NewGrant(p, []string{"a"}).Probe(context.Background(), nil) {
		if r.Outcome == capability.ProbeWorking || r.Outcome == capability.ProbeRefused {
			t.Errorf("%s: %s without a client", r.Capability, r.Outcome)
		}
	}
}
