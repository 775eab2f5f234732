package scope

import (
	"slices"
	"testing"
)

var github = Implications{
	"repo":      {"repo:status", "public_repo"},
	"user":      {"read:user", "user:email"},
	"admin:org": {"write:org"},
	"write:org": {"read:org"},
}

func TestClosure(t *testing.T) {
	got := github.Closure([]string{"admin:org", "repo"})
	want := []string{"admin:org", "public_repo", "read:org", "repo", "repo:status", "write:org"}
	if !slices.Equal(got, want) {
		t.Errorf("Closure = %v, want %v", got, want)
	}
}

func TestSatisfies(t *testing.T) {
	tests := []struct {
		name   string
		scopes []string
		anyOf  [][]string
		want   bool
	}{
		{"implied scope", []string{"repo"}, [][]string{{"public_repo"}}, true},
		{"second alternative", []string{"read:org"}, [][]string{{"repo"}, {"read:org"}}, true},
		{"all of one alternative", []string{"repo"}, [][]string{{"repo", "user:email"}}, false},
		{"empty alternative needs nothing", nil, [][]string{{}}, true},
		{"no alternative is never met", []string{"repo"}, nil, false},
	}
	for _, tt := range tests {
		if got := github.Satisfies(tt.scopes, tt.anyOf); got != tt.want {
			t.Errorf("%s: Satisfies(%v, %v) = %v, want %v", tt.name, tt.scopes, tt.anyOf, got, tt.want)
		}
	}
}

func TestEntails(t *testing.T) {
	capability := [][]string{{"repo"}, {"read:org"}}
	if failing := github.Entails(capability, [][]string{{"public_repo"}, {"read:org"}}); failing != nil {
		t.Errorf("Entails reported %v, want every alternative to satisfy the operation", failing)
	}
	failing := github.Entails(capability, [][]string{{"repo:status"}})
	if !slices.EqualFunc(failing, [][]string{{"read:org"}}, slices.Equal) {
		t.Errorf("Entails = %v, want [[read:org]]", failing)
	}
}

func TestCycle(t *testing.T) {
	if c := github.Cycle(); c != nil {
		t.Errorf("Cycle() = %v on an acyclic tree", c)
	}
	cyclic := Implications{"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d2"}}
	if c := cyclic.Cycle(); !slices.Equal(c, []string{"a", "b", "c", "a"}) {
		t.Errorf("Cycle() = %v, want [a b c a]", c)
	}
}
