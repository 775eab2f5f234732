package capability_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/capgen/capgen/capability"
)

func scopes(specs ...capability.ScopeSpec) capability.ProviderSpec {
	return capability.ProviderSpec{Name: "test", Scopes: specs}
}

func TestExpand(t *testing.T) {
	chain := scopes(
		capability.ScopeSpec{Name: "admin:org", Implies: []string{"write:org"}},
		capability.ScopeSpec{Name: "write:org", Implies: []string{"read:org"}},
		capability.ScopeSpec{Name: "read:org"},
	)
	cycle := scopes(
		capability.ScopeSpec{Name: "a", Implies: []string{"b"}},
		capability.ScopeSpec{Name: "b", Implies: []string{"c"}},
		capability.ScopeSpec{Name: "c", Implies: []string{"a"}},
		capability.ScopeSpec{Name: "self", Implies: []string{"self"}},
	)
	undeclared := scopes(capability.ScopeSpec{Name: "x", Implies: []string{"ghost", ""}})
	tests := []struct {
		name  string
		spec  capability.ProviderSpec
		input []string
		want  []string
	}{
		{"direct implication", chain, []string{"write:org"}, []string{"read:org", "write:org"}},
		{"transitive implication", chain, []string{"admin:org"},
			[]string{"admin:org", "read:org", "write:org"}},
		{"scope without implications", chain, []string{"read:org"}, []string{"read:org"}},
		{"sorted without duplicates", chain, []string{"read:org", "admin:org", "read:org"},
			[]string{"admin:org", "read:org", "write:org"}},
		{"cycle ends", cycle, []string{"b"}, []string{"a", "b", "c"}},
		{"scope implying itself", cycle, []string{"self"}, []string{"self"}},
		{"undeclared scope kept", chain, []string{"gist"}, []string{"gist"}},
		{"undeclared implied scope kept", undeclared, []string{"x"}, []string{"ghost", "x"}},
		{"empty names dropped", chain, []string{"", "read:org"}, []string{"read:org"}},
		{"nothing in, nothing out", chain, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := capability.NewProvider(tt.spec).Expand(tt.input)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Expand(%v) (-want +got):\n%s", tt.input, diff)
			}
		})
	}
}

func TestProviderAccessorsCopy(t *testing.T) {
	spec := capability.HubSpotSpec()
	p := capability.NewProvider(spec)

	spec.Scopes[1].Implies[0] = "changed after NewProvider"
	spec.Capabilities[0].Requirement.AnyOf[0][0] = "changed after NewProvider"
	if got := p.Expand([]string{"crm.objects.contacts.write"}); !cmp.Equal(got,
		[]string{"crm.objects.contacts.read", "crm.objects.contacts.write"}) {
		t.Errorf("changing the spec after NewProvider changed Expand: %v", got)
	}

	c, ok := p.Capability("contact.read")
	if !ok {
		t.Fatal(`Capability("contact.read") not found`)
	}
	c.Requirement.AnyOf[0][0] = "changed by caller"
	p.Operations()[0].Requirement.AnyOf[0][0] = "changed by caller"
	p.ErrorRules()[1].Body[0].Values[0] = "changed by caller"
	p.Scopes()[1].Implies[0] = "changed by caller"

	fresh := capability.NewProvider(capability.HubSpotSpec())
	opts := cmp.Options{cmpopts.EquateEmpty()}
	if diff := cmp.Diff(fresh.Capabilities(), p.Capabilities(), opts); diff != "" {
		t.Errorf("capabilities changed through an accessor (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(fresh.Operations(), p.Operations(), opts); diff != "" {
		t.Errorf("operations changed through an accessor (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(fresh.ErrorRules(), p.ErrorRules(), opts); diff != "" {
		t.Errorf("error rules changed through an accessor (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(fresh.Scopes(), p.Scopes(), opts); diff != "" {
		t.Errorf("scopes changed through an accessor (-want +got):\n%s", diff)
	}
}

func TestProviderLookups(t *testing.T) {
	p := capability.NewProvider(capability.HubSpotSpec())
	if p.Name() != "hubspot" || p.Title() != "HubSpot" || p.BaseURL() != "https://api.hubapi.com" {
		t.Errorf("Name, Title, BaseURL = %q, %q, %q", p.Name(), p.Title(), p.BaseURL())
	}
	op, ok := p.Operation("GetContact")
	if !ok || op.Path != "/crm/v3/objects/contacts/{contactId}" {
		t.Errorf(`Operation("GetContact") = %+v, %v`, op, ok)
	}
	if s, ok := p.Scope("contacts"); !ok || !s.Deprecated {
		t.Errorf(`Scope("contacts") = %+v, %v; want the deprecated scope`, s, ok)
	}
	if _, ok := p.Operation("NoSuchOp"); ok {
		t.Error(`Operation("NoSuchOp") found`)
	}
	if _, ok := p.Capability("no.such"); ok {
		t.Error(`Capability("no.such") found`)
	}
	if got := p.GrantedScopes().Sources[0].Field; got != "scopes" {
		t.Errorf("GrantedScopes().Sources[0].Field = %q, want scopes", got)
	}
}

func TestNilProvider(t *testing.T) {
	var p *capability.Provider
	if p.Name() != "" || p.Scopes() != nil || p.Operations() != nil || p.ErrorRules() != nil {
		t.Error("a nil provider is not empty")
	}
	if _, ok := p.Capability("contact.read"); ok {
		t.Error("a nil provider has a capability")
	}
	if got := p.Expand([]string{"b", "a"}); !cmp.Equal(got, []string{"a", "b"}) {
		t.Errorf("nil provider Expand = %v, want [a b]", got)
	}
}
