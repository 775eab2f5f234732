package capability_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/capgen/capgen/capability"
)

func TestParseScopes(t *testing.T) {
	tests := []struct {
		name, list, sep string
		want            []string
	}{
		{"space separated", "a b  c", " ", []string{"a", "b", "c"}},
		{"empty separator splits on whitespace", "a\tb\nc", "", []string{"a", "b", "c"}},
		{"comma separated", "repo,gist", ",", []string{"repo", "gist"}},
		{"comma and space trimmed", "repo, user ,  gist", ",", []string{"repo", "user", "gist"}},
		{"empty items dropped", ",a,,b,", ",", []string{"a", "b"}},
		{"blank items dropped", "a, ,b", ",", []string{"a", "b"}},
		{"multi-character separator", "a::b", "::", []string{"a", "b"}},
		{"duplicates kept in order", "b,a,b", ",", []string{"b", "a", "b"}},
		{"empty list", "", ",", nil},
		{"only whitespace", "  \t ", " ", nil},
		{"comma list with space separator stays whole", "a,b", " ", []string{"a,b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := capability.ParseScopes(tt.list, tt.sep)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ParseScopes(%q, %q) (-want +got):\n%s", tt.list, tt.sep, diff)
			}
		})
	}
}

func TestParseScopeArray(t *testing.T) {
	tests := []struct {
		name, raw, sep string
		want           []string
		wantErr        bool
	}{
		{"array of strings", `["oauth","crm.objects.contacts.read"]`, "",
			[]string{"oauth", "crm.objects.contacts.read"}, false},
		{"array drops empty strings", `["a",""," b "]`, "", []string{"a", "b"}, false},
		{"string split on separator", `"repo,gist"`, ",", []string{"repo", "gist"}, false},
		{"string split on whitespace", `" a  b "`, " ", []string{"a", "b"}, false},
		{"surrounding whitespace", " [\"a\"] \n", "", []string{"a"}, false},
		{"null is empty", `null`, "", nil, false},
		{"empty array", `[]`, "", nil, false},
		{"array of numbers", `[1,2]`, "", nil, true},
		{"object", `{"scope":"a"}`, "", nil, true},
		{"number", `42`, "", nil, true},
		{"nothing", ``, "", nil, true},
		{"broken JSON", `["a"`, "", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := capability.ParseScopeArray([]byte(tt.raw), tt.sep)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseScopeArray(%q) error = %v, want error %v", tt.raw, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ParseScopeArray(%q) (-want +got):\n%s", tt.raw, diff)
			}
		})
	}
}

func TestScopeSet(t *testing.T) {
	s := capability.NewScopeSet("b", "a", "", "b", "c")
	if diff := cmp.Diff([]string{"a", "b", "c"}, s.List()); diff != "" {
		t.Errorf("List() (-want +got):\n%s", diff)
	}
	if s.Len() != 3 {
		t.Errorf("Len() = %d, want 3", s.Len())
	}
	for _, scope := range []string{"a", "b", "c"} {
		if !s.Has(scope) {
			t.Errorf("Has(%q) = false, want true", scope)
		}
	}
	for _, scope := range []string{"", "d", "A"} {
		if s.Has(scope) {
			t.Errorf("Has(%q) = true, want false", scope)
		}
	}

	list := s.List()
	list[0] = "changed"
	if !s.Has("a") || s.Has("changed") {
		t.Error("changing List's result changed the set")
	}

	var zero capability.ScopeSet
	if zero.Len() != 0 || zero.Has("a") || len(zero.List()) != 0 {
		t.Error("the zero ScopeSet is not empty")
	}
}

func TestRequirement(t *testing.T) {
	req := func(alts ...[]string) capability.Requirement {
		return capability.Requirement{AnyOf: alts}
	}
	tests := []struct {
		name        string
		req         capability.Requirement
		have        []string
		satisfied   bool
		wantMissing []string
	}{
		{"one scope held", req([]string{"a"}), []string{"a"}, true, nil},
		{"one scope lacking", req([]string{"a"}), []string{"b"}, false, []string{"a"}},
		{"all of an alternative needed", req([]string{"a", "b"}), []string{"a"}, false,
			[]string{"b"}},
		{"second alternative met", req([]string{"a"}, []string{"b"}), []string{"b"}, true, nil},
		{"fewest missing wins", req([]string{"a", "b", "c"}, []string{"d", "e"}), []string{"x"},
			false, []string{"d", "e"}},
		{"tie goes to the first declared", req([]string{"x"}, []string{"y"}), nil, false,
			[]string{"x"}},
		{"missing is sorted", req([]string{"z", "m", "a"}), nil, false, []string{"a", "m", "z"}},
		{"empty alternative needs nothing", req([]string{"a"}, []string{}), nil, true, nil},
		{"no alternatives is never satisfied", req(), []string{"a"}, false, nil},
		{"duplicate scope named once", req([]string{"a", "a"}), nil, false, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := capability.NewScopeSet(tt.have...)
			if got := tt.req.SatisfiedBy(set); got != tt.satisfied {
				t.Errorf("SatisfiedBy(%v) = %v, want %v", tt.have, got, tt.satisfied)
			}
			got := tt.req.Missing(set)
			if diff := cmp.Diff(tt.wantMissing, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Missing(%v) (-want +got):\n%s", tt.have, diff)
			}
		})
	}
}
