package manifest

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	m := twoProviders()
	data, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode of Encode's output: %v", err)
	}
	if diff := cmp.Diff(m, back); diff != "" {
		t.Errorf("round trip changed the manifest (-want +got):\n%s", diff)
	}
	again, _ := Encode(back)
	if !bytes.Equal(data, again) {
		t.Errorf("encoding the decoded manifest gives other bytes:\n%s\nthen\n%s", data, again)
	}
}

// TestEncodeIgnoresInsertionOrder encodes equal manifests whose maps were
// filled in different orders and wants the same bytes every time.
func TestEncodeIgnoresInsertionOrder(t *testing.T) {
	want, err := Encode(twoProviders())
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		got, err := Encode(shuffled(twoProviders()))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Fatalf("equal manifests encode differently (-want +got):\n%s", diff)
		}
	}
}

func TestDecodeRefusesOtherVersionsAndUnknownKeys(t *testing.T) {
	for _, data := range []string{
		`{"version": 2, "package": "app", "features": {}, "providers": {}}`,
		`{"version": 1, "package": "app", "features": {}, "providers": {}, "scopes": []}`,
		`not json`,
	} {
		if _, err := Decode([]byte(data)); err == nil {
			t.Errorf("Decode(%s) succeeded, want an error", data)
		}
	}
}

// shuffled returns m with every map rebuilt by inserting its keys in a
// random order.
func shuffled(m *Manifest) *Manifest {
	m.Features = reinsert(m.Features)
	m.Providers = reinsert(m.Providers)
	for name, p := range m.Providers {
		p.Scopes = reinsert(p.Scopes)
		p.Capabilities = reinsert(p.Capabilities)
		p.Authorization.Params = reinsert(p.Authorization.Params)
		m.Providers[name] = p
	}
	return m
}

func reinsert[V any](in map[string]V) map[string]V {
	if in == nil {
		return nil
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	rand.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	out := make(map[string]V, len(in))
	for _, k := range keys {
		out[k] = in[k]
	}
	return out
}
