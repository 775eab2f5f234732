package model

import (
	"slices"
	"testing"
)

func TestRestrictKeepsOnlyWhatDeclaredCapabilitiesReach(t *testing.T) {
	named := func(n string) *TypeRef { return &TypeRef{Kind: Named, Name: n} }
	p := &Provider{
		Scopes:       []Scope{{Name: "r"}, {Name: "w"}},
		Capabilities: []Capability{{Name: "contact.read"}, {Name: "contact.write"}},
		Operations: []Operation{
			{Name: "List", Capability: "contact.read", Response: &TypeRef{Kind: List, Elem: named("Contact")}},
			{Name: "Create", Capability: "contact.write", Request: named("Input")},
		},
		Types: []Type{
			{Name: "Contact", Fields: []Field{{JSONName: "owner", Type: *named("Owner")}}},
			{Name: "Input"},
			{Name: "Owner", Fields: []Field{{JSONName: "boss", Type: *named("Owner")}}},
		},
	}
	got := p.Restrict([]string{"contact.read"})
	if len(got.Capabilities) != 1 || len(got.Operations) != 1 || got.Operations[0].Name != "List" {
		t.Errorf("kept %v and %v, want contact.read and List only", got.Capabilities, got.Operations)
	}
	var types []string
	for _, ty := range got.Types {
		types = append(types, ty.Name)
	}
	if !slices.Equal(types, []string{"Contact", "Owner"}) {
		t.Errorf("types = %v, want [Contact Owner]", types)
	}
	if len(got.Scopes) != 2 || len(p.Capabilities) != 2 {
		t.Error("Restrict dropped scopes or changed the original")
	}
}
