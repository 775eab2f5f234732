package manifest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const (
	hs            = "hubspot"
	contactsRead  = "crm.objects.contacts.read"
	contactsWrite = "crm.objects.contacts.write"
	dealsRead     = "crm.objects.deals.read"
	ownersRead    = "crm.objects.owners.read"
)

// sample returns a fresh manifest of one product on HubSpot; each call
// returns new maps, so that a test case may edit its copy.
func sample() *Manifest {
	return &Manifest{
		Version: Version,
		Package: "app",
		Features: map[string]Feature{
			"contact_sync": {Requires: names("contact.read", "contact.write"),
				Optional: names("owner.read"), Providers: names("hubspot")},
		},
		Providers: map[string]Provider{"hubspot": hubspot()},
	}
}

func hubspot() Provider {
	return Provider{
		Title:  "HubSpot",
		Source: "specs/providers/hubspot.yaml",
		Authorization: Authorization{
			AuthorizeURL:       "https://app.hubspot.com/oauth/authorize",
			TokenURL:           "https://api.hubapi.com/oauth/v1/token",
			ScopeParam:         "scope",
			ScopeSeparator:     " ",
			OptionalScopeParam: "optional_scope",
			PKCE:               "supported",
		},
		Required: names(contactsRead, contactsWrite),
		Optional: names(ownersRead),
		Scopes: map[string]Scope{
			contactsRead:  reason(true, "contact.read"),
			contactsWrite: reason(true, "contact.write"),
			ownersRead:    reason(false, "owner.read"),
		},
		Capabilities: map[string]Capability{
			"contact.read":  need(true, contactsRead),
			"contact.write": need(true, contactsWrite),
			"owner.read":    need(false, ownersRead),
		},
	}
}

// names spells a list of names briefly.
func names(n ...string) []string { return n }

func reason(required bool, capability string, features ...string) Scope {
	if len(features) == 0 {
		features = names("contact_sync")
	}
	return Scope{Required: required, Capabilities: names(capability), Features: features}
}

func need(required bool, scopes ...string) Capability {
	return Capability{Required: required, Scopes: scopes, Features: names("contact_sync")}
}

// edit applies f to the HubSpot provider of m.
func edit(m *Manifest, f func(p *Provider)) {
	p := m.Providers["hubspot"]
	f(&p)
	m.Providers["hubspot"] = p
}

func addDealSync(p *Provider) {
	p.Required = append(p.Required, dealsRead)
	p.Scopes[dealsRead] = reason(true, "deal.read", "deal_sync")
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *Provider)
		want []Change
	}{
		{"nothing changed", func(p *Provider) {}, nil},
		{"required scope added forces re-consent", addDealSync, []Change{
			{Provider: hs, Kind: RequiredAdded, Name: dealsRead,
				Features: names("deal_sync"), Reconsent: true},
		}},
		{"required scope removed is narrower", func(p *Provider) {
			p.Required = names(contactsRead)
			delete(p.Scopes, contactsWrite)
		}, []Change{{Provider: hs, Kind: RequiredRemoved, Name: contactsWrite}}},
		{"optional scope added", func(p *Provider) {
			p.Optional = append(p.Optional, dealsRead)
			p.Scopes[dealsRead] = reason(false, "deal.read", "deal_sync")
		}, []Change{
			{Provider: hs, Kind: OptionalAdded, Name: dealsRead,
				Features: names("deal_sync")},
		}},
		{"optional scope removed", func(p *Provider) {
			p.Optional = nil
			delete(p.Scopes, ownersRead)
		}, []Change{{Provider: hs, Kind: OptionalRemoved, Name: ownersRead}}},
		{"optional scope becoming required forces re-consent", func(p *Provider) {
			p.Required, p.Optional = append(p.Required, ownersRead), nil
		}, []Change{
			{Provider: hs, Kind: RequiredAdded, Name: ownersRead,
				Features: names("contact_sync"), Reconsent: true},
			{Provider: hs, Kind: OptionalRemoved, Name: ownersRead},
		}},
		{"deprecated scope newly requested", func(p *Provider) {
			p.Optional = append(p.Optional, "contacts")
			p.Scopes["contacts"] = Scope{Capabilities: names("contact.read"),
				Features: names("legacy"), Deprecated: true,
				ReplacedBy: names(contactsRead)}
		}, []Change{
			{Provider: hs, Kind: OptionalAdded, Name: "contacts",
				Features: names("legacy")},
			{Provider: hs, Kind: DeprecatedRequested, Name: "contacts",
				Features: names("legacy"), ReplacedBy: names(contactsRead)},
		}},
		{"requested scope became deprecated", func(p *Provider) {
			s := p.Scopes[contactsWrite]
			s.Deprecated = true
			p.Scopes[contactsWrite] = s
		}, []Change{
			{Provider: hs, Kind: DeprecatedRequested, Name: contactsWrite,
				Features: names("contact_sync")},
		}},
		{"capability satisfied by different scopes", func(p *Provider) {
			p.Capabilities["contact.read"] = need(true, contactsWrite)
		}, []Change{
			{Provider: hs, Kind: CapabilityChanged, Name: "contact.read",
				Before: names(contactsRead), After: names(contactsWrite),
				Features: names("contact_sync")},
		}},
		{"capabilities added and removed", func(p *Provider) {
			delete(p.Capabilities, "owner.read")
			p.Capabilities["deal.read"] = need(false)
		}, []Change{
			{Provider: hs, Kind: CapabilityAdded, Name: "deal.read",
				Features: names("contact_sync")},
			{Provider: hs, Kind: CapabilityRemoved, Name: "owner.read",
				Before: names(ownersRead), Features: names("contact_sync")},
		}},
		{"authorization settings", func(p *Provider) {
			p.Authorization.AuthorizeURL = "https://app-eu1.hubspot.com/oauth/authorize"
			p.Authorization.PKCE = ""
			p.Authorization.Params = map[string]string{"prompt": "consent"}
		}, []Change{
			{Provider: hs, Kind: AuthorizationChanged, Name: "authorize_url",
				Before: names("https://app.hubspot.com/oauth/authorize"),
				After:  names("https://app-eu1.hubspot.com/oauth/authorize")},
			{Provider: hs, Kind: AuthorizationChanged, Name: "params.prompt",
				After: names("consent")},
			{Provider: hs, Kind: AuthorizationChanged, Name: "pkce",
				Before: names("supported")},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after := sample()
			edit(after, tt.edit)
			got := Compare(sample(), after)
			if diff := cmp.Diff(tt.want, got.Changes, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Compare (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompareDeprecatedScopeStillRequestedIsNoChange(t *testing.T) {
	deprecate := func(p *Provider) {
		s := p.Scopes[contactsWrite]
		s.Deprecated, s.ReplacedBy = true, names("crm.objects.contacts.all")
		p.Scopes[contactsWrite] = s
	}
	before, after := sample(), sample()
	edit(before, deprecate)
	edit(after, deprecate)
	if d := Compare(before, after); !d.Empty() {
		t.Errorf("a scope deprecated in both manifests was reported:\n%s", d.Text())
	}
}

func TestCompareProviders(t *testing.T) {
	slack := Provider{
		Required: names("chat:write"),
		Optional: names("files:read"),
		Scopes: map[string]Scope{
			"chat:write": {Required: true, Features: names("notify")},
			"files:read": {Features: names("notify"), Deprecated: true},
		},
		Capabilities: map[string]Capability{
			"message.write": {Scopes: names("chat:write")},
		},
	}
	before := sample()
	after := sample()
	after.Providers["slack"] = slack
	want := []Change{
		{Provider: "slack", Kind: ProviderAdded, After: names("chat:write")},
		{Provider: "slack", Kind: RequiredAdded, Name: "chat:write",
			Features: names("notify")},
		{Provider: "slack", Kind: OptionalAdded, Name: "files:read",
			Features: names("notify")},
		{Provider: "slack", Kind: DeprecatedRequested, Name: "files:read",
			Features: names("notify")},
	}
	added := Compare(before, after)
	if diff := cmp.Diff(want, added.Changes, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("provider added (-want +got):\n%s", diff)
	}
	if added.Reconsent() {
		t.Error("a provider added asks existing connections to re-consent; it has none")
	}

	removed := Compare(after, before)
	want = []Change{
		{Provider: "slack", Kind: ProviderRemoved, Before: names("chat:write")},
	}
	if diff := cmp.Diff(want, removed.Changes, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("provider removed (-want +got):\n%s", diff)
	}
}

func TestCompareWithNothingAddsEverything(t *testing.T) {
	d := Compare(nil, sample())
	if len(d.Changes) == 0 || d.Changes[0].Kind != ProviderAdded || d.Reconsent() {
		t.Errorf("Compare(nil, m) = %v; want hubspot added, no re-consent", d.Changes)
	}
	d = Compare(sample(), nil)
	if len(d.Changes) != 1 || d.Changes[0].Kind != ProviderRemoved {
		t.Errorf("Compare(m, nil) = %v; want hubspot removed", d.Changes)
	}
}

// TestCompareOrder checks that changes sort by provider, then kind in
// declaration order, then name, whatever order they were found in.
func TestCompareOrder(t *testing.T) {
	before, after := sample(), sample()
	before.Providers["asana"] = Provider{Required: names("default")}
	edit(after, func(p *Provider) {
		p.Required = names(contactsRead, dealsRead, "crm.lists.read")
		p.Authorization.PKCE = "required"
		p.Capabilities["deal.read"] = need(true, dealsRead)
	})
	after.Providers["zendesk"] = Provider{Required: names("read")}
	var got []string
	for _, c := range Compare(before, after).Changes {
		got = append(got, c.Provider+" "+c.Kind.String()+" "+c.Name)
	}
	want := names(
		"asana provider removed ",
		"hubspot required scope added crm.lists.read",
		"hubspot required scope added "+dealsRead,
		"hubspot required scope removed "+contactsWrite,
		"hubspot capability added deal.read",
		"hubspot authorization changed pkce",
		"zendesk provider added ",
		"zendesk required scope added read",
	)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestDiffReconsentAndEmpty(t *testing.T) {
	tests := []struct {
		name             string
		edit             func(p *Provider)
		empty, reconsent bool
	}{
		{"no change", func(p *Provider) {}, true, false},
		{"required scope added", addDealSync, false, true},
		{"required scope removed", func(p *Provider) { p.Required = p.Required[:1] },
			false, false},
		{"optional scope added", func(p *Provider) {
			p.Optional = append(p.Optional, dealsRead)
		}, false, false},
		{"authorization changed", func(p *Provider) { p.Authorization.PKCE = "required" },
			false, false},
	}
	for _, tt := range tests {
		after := sample()
		edit(after, tt.edit)
		d := Compare(sample(), after)
		if d.Empty() != tt.empty || d.Reconsent() != tt.reconsent {
			t.Errorf("%s: Empty() = %t, Reconsent() = %t; want %t, %t", tt.name,
				d.Empty(), d.Reconsent(), tt.empty, tt.reconsent)
		}
	}
}

func TestChangeString(t *testing.T) {
	tests := []struct {
		change Change
		want   string
	}{
		{Change{Provider: hs, Kind: RequiredAdded, Name: dealsRead,
			Features: names("deal_sync"), Reconsent: true},
			"hubspot: required scope added: crm.objects.deals.read " +
				"(features: deal_sync) — existing connections must re-consent"},
		{Change{Provider: hs, Kind: RequiredRemoved, Name: contactsWrite},
			"hubspot: required scope removed: crm.objects.contacts.write (narrower)"},
		{Change{Provider: "slack", Kind: ProviderAdded, After: names("chat:write", "im:read")},
			"slack: provider added (required: chat:write, im:read; " +
				"new connections only)"},
		{Change{Provider: "slack", Kind: ProviderRemoved}, "slack: provider removed"},
		{Change{Provider: "slack", Kind: DeprecatedRequested, Name: "files:read"},
			"slack: deprecated scope requested: files:read (no replacement)"},
		{Change{Provider: "slack", Kind: DeprecatedRequested, Name: "bot",
			ReplacedBy: names("chat:write"), Features: names("notify")},
			"slack: deprecated scope requested: bot " +
				"(replaced by chat:write; features: notify)"},
		{Change{Provider: hs, Kind: CapabilityChanged, Name: "deal.read",
			Before: names("a"), After: names("b", "c")},
			"hubspot: capability satisfied by different scopes: deal.read " +
				"(now: b, c; was: a)"},
		{Change{Provider: hs, Kind: CapabilityAdded, Name: "ping"},
			"hubspot: capability added: ping (scopes: none)"},
		{Change{Provider: hs, Kind: AuthorizationChanged, Name: "scope_separator",
			Before: names(" "), After: names(",")},
			`hubspot: authorization changed: scope_separator (now ","; was " ")`},
		{Change{Provider: hs, Kind: AuthorizationChanged, Name: "params.prompt",
			After: names("consent")},
			`hubspot: authorization changed: params.prompt (now "consent"; was unset)`},
	}
	for _, tt := range tests {
		if got := tt.change.String(); got != tt.want {
			t.Errorf("String() of %s:\ngot  %s\nwant %s", tt.change.Kind, got, tt.want)
		}
	}
}

func TestDiffText(t *testing.T) {
	if got := (Diff{}).Text(); got != "no changes\n" {
		t.Errorf("empty diff: Text() = %q, want %q", got, "no changes\n")
	}
	after := sample()
	edit(after, addDealSync)
	edit(after, func(p *Provider) { p.Optional = nil })
	want := "hubspot: required scope added: crm.objects.deals.read " +
		"(features: deal_sync) — existing connections must re-consent\n" +
		"hubspot: optional scope removed: crm.objects.owners.read\n"
	if got := Compare(sample(), after).Text(); got != want {
		t.Errorf("Text():\ngot\n%swant\n%s", got, want)
	}
}

func TestDiffMarkdown(t *testing.T) {
	empty, err := (Diff{}).Markdown()
	if err != nil {
		t.Fatal(err)
	}
	if want := "## Scope manifest changes\n\nNo changes.\n"; string(empty) != want {
		t.Errorf("empty diff: Markdown() = %q, want %q", empty, want)
	}

	before, after := sample(), sample()
	edit(after, addDealSync)
	edit(after, func(p *Provider) {
		p.Required = p.Required[1:]
		p.Authorization.Params = map[string]string{"prompt": "a|b"}
	})
	after.Providers["slack"] = Provider{Required: names("chat:write")}
	got, err := Compare(before, after).Markdown()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "diff.md", got)
}
