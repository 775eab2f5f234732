package capability_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"
)

var (
	github  = capability.NewProvider(capability.GitHubSpec())
	hubspot = capability.NewProvider(capability.HubSpotSpec())
	slack   = capability.NewProvider(capability.SlackSpec())
	google  = capability.NewProvider(capability.GoogleSpec())
)

func TestNewGrantExpands(t *testing.T) {
	g := capability.NewGrant(github, []string{"repo", "admin:org"})
	want := []string{"admin:org", "public_repo", "read:org", "repo", "repo:status", "write:org"}
	if diff := cmp.Diff(want, g.Scopes().List()); diff != "" {
		t.Errorf("Scopes() (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"repo", "admin:org"}, g.Raw()); diff != "" {
		t.Errorf("Raw() (-want +got):\n%s", diff)
	}
	if g.AsRequested() {
		t.Error("AsRequested() = true for an explicit grant")
	}
	if g.Provider() != github {
		t.Error("Provider() is not the provider the grant was made for")
	}
	if !g.Has("org.read") || !g.Has("issue.read") {
		t.Error("a compressed grant of admin:org and repo does not satisfy org.read and issue.read")
	}
}

func TestGrantHasAndMissing(t *testing.T) {
	tests := []struct {
		name        string
		granted     []string
		capability  string
		has         bool
		wantMissing []string
	}{
		{"granted directly", []string{"crm.objects.contacts.read"}, "contact.read", true, nil},
		{"granted through an implication", []string{"crm.objects.contacts.write"},
			"contact.read", true, nil},
		{"granted through a legacy scope", []string{"contacts"}, "contact.write", true, nil},
		{"not granted", []string{"crm.objects.contacts.read"}, "contact.write", false,
			[]string{"crm.objects.contacts.write"}},
		{"nothing granted", nil, "contact.read", false, []string{"crm.objects.contacts.read"}},
		{"unknown capability", []string{"contacts"}, "deal.read", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := capability.NewGrant(hubspot, tt.granted)
			if got := g.Has(tt.capability); got != tt.has {
				t.Errorf("Has(%q) = %v, want %v", tt.capability, got, tt.has)
			}
			got := g.Missing(tt.capability)
			if diff := cmp.Diff(tt.wantMissing, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Missing(%q) (-want +got):\n%s", tt.capability, diff)
			}
		})
	}
}

func TestGrantFromToken(t *testing.T) {
	jsonToken := func(extra map[string]any) *oauth2.Token {
		return (&oauth2.Token{AccessToken: "at"}).WithExtra(extra)
	}
	formToken := func(values url.Values) *oauth2.Token {
		return (&oauth2.Token{AccessToken: "at"}).WithExtra(values)
	}
	requested := []string{"repo", "read:org"}
	tests := []struct {
		name        string
		provider    *capability.Provider
		tok         *oauth2.Token
		wantRaw     []string
		asRequested bool
	}{
		{"comma string", github, jsonToken(map[string]any{"scope": "repo,gist"}),
			[]string{"repo", "gist"}, false},
		{"form-encoded response", github, formToken(url.Values{"scope": {"repo, gist"}}),
			[]string{"repo", "gist"}, false},
		{"space string", google,
			jsonToken(map[string]any{"scope": "openid https://www.googleapis.com/auth/calendar"}),
			[]string{"openid", "https://www.googleapis.com/auth/calendar"}, false},
		{"JSON array", hubspot,
			jsonToken(map[string]any{"scopes": []any{"oauth", "crm.objects.contacts.read"}}),
			[]string{"oauth", "crm.objects.contacts.read"}, false},
		{"array given as a string", hubspot, jsonToken(map[string]any{"scopes": `["oauth"]`}),
			[]string{"oauth"}, false},
		{"nested field", slack, jsonToken(map[string]any{
			"authed_user": map[string]any{"scope": "users:read,chat:write"}}),
			[]string{"users:read", "chat:write"}, false},
		{"first source wins", slack, jsonToken(map[string]any{"scope": "chat:write",
			"authed_user": map[string]any{"scope": "users:read"}}),
			[]string{"chat:write"}, false},
		{"present but empty means nothing granted", github,
			jsonToken(map[string]any{"scope": ""}), nil, false},
		{"no field: as requested", github, jsonToken(map[string]any{"token_type": "bearer"}),
			requested, true},
		{"no extra at all: as requested", github, &oauth2.Token{AccessToken: "at"},
			requested, true},
		{"nil token: as requested", github, nil, requested, true},
		{"nil provider: as requested", nil, jsonToken(map[string]any{"scope": "repo"}),
			requested, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := capability.GrantFromToken(tt.provider, tt.tok, requested)
			if err != nil {
				t.Fatalf("GrantFromToken: %v", err)
			}
			if diff := cmp.Diff(tt.wantRaw, g.Raw(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Raw() (-want +got):\n%s", diff)
			}
			if g.AsRequested() != tt.asRequested {
				t.Errorf("AsRequested() = %v, want %v", g.AsRequested(), tt.asRequested)
			}
		})
	}
}

func TestGrantFromTokenIgnoresOtherSources(t *testing.T) {
	spec := capability.GitHubSpec()
	spec.GrantedScopes.Sources = []capability.ScopeSource{
		{From: capability.FromHeader, Header: "X-OAuth-Scopes"},
		{From: capability.FromJWT, Claim: "scope"},
		{From: capability.FromIntrospection, URL: "https://example.test", Field: "scope"},
	}
	tok := (&oauth2.Token{}).WithExtra(map[string]any{"scope": "repo"})
	g, err := capability.GrantFromToken(capability.NewProvider(spec), tok, []string{"gist"})
	if err != nil {
		t.Fatal(err)
	}
	if !g.AsRequested() || !cmp.Equal(g.Raw(), []string{"gist"}) {
		t.Errorf("got raw %v, as requested %v; want [gist] as requested", g.Raw(), g.AsRequested())
	}
}

func TestGrantFromTokenMalformed(t *testing.T) {
	tests := []struct {
		name  string
		value any
	}{
		{"number", 42.0},
		{"object", map[string]any{"a": "b"}},
		{"array with a number", []any{"repo", 1.0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := (&oauth2.Token{}).WithExtra(map[string]any{"scope": tt.value})
			g, err := capability.GrantFromToken(github, tok, []string{"repo"})
			var e *capability.Error
			if !errors.As(err, &e) || e.Kind != capability.KindDecode {
				t.Fatalf("GrantFromToken = %v, %v; want a *Error of KindDecode", g, err)
			}
			if !strings.Contains(e.Error(), "scope") {
				t.Errorf("error %q does not name the field", e)
			}
		})
	}
}

func TestHandleMinting(t *testing.T) {
	client := capability.NewClient(hubspot, oauth2.StaticTokenSource(&oauth2.Token{}))
	grant := capability.NewGrant(hubspot, []string{"crm.objects.contacts.read"})

	h, err := grant.Handle(client, "contact.read")
	if err != nil {
		t.Fatalf("Handle(contact.read): %v", err)
	}
	if !h.Valid() || h.Capability() != "contact.read" {
		t.Errorf("handle Valid() = %v, Capability() = %q", h.Valid(), h.Capability())
	}

	h, err = grant.Handle(client, "contact.write")
	if h.Valid() {
		t.Error("a handle was minted for a capability the grant lacks")
	}
	var e *capability.Error
	if !errors.As(err, &e) {
		t.Fatalf("Handle(contact.write) error = %v, want a *capability.Error", err)
	}
	want := &capability.Error{
		Status:     403,
		Kind:       capability.KindMissingScope,
		Provider:   "hubspot",
		Capability: "contact.write",
		Missing:    []string{"crm.objects.contacts.write"},
	}
	ignore := cmpopts.IgnoreFields(capability.Error{}, "Message")
	if diff := cmp.Diff(want, e, ignore); diff != "" {
		t.Errorf("Handle(contact.write) error (-want +got):\n%s", diff)
	}
	if !errors.Is(err, capability.ErrForbidden) || errors.Is(err, capability.ErrUnauthorized) {
		t.Error("a missing-scope error must match ErrForbidden and only it")
	}
	wantText := "hubspot: contact.write: 403 missing scope: missing crm.objects.contacts.write"
	if err.Error() != wantText {
		t.Errorf("Error() = %q, want %q", err.Error(), wantText)
	}
}

func TestHandleMintingRefusals(t *testing.T) {
	client := capability.NewClient(hubspot, nil)
	grant := capability.NewGrant(hubspot, []string{"contacts"})
	var nilGrant *capability.Grant
	tests := []struct {
		name       string
		grant      *capability.Grant
		client     *capability.Client
		capability string
	}{
		{"nil grant", nilGrant, client, "contact.read"},
		{"nil client", grant, nil, "contact.read"},
		{"grant without provider", capability.NewGrant(nil, []string{"contacts"}), client,
			"contact.read"},
		{"client without provider", grant, capability.NewClient(nil, nil), "contact.read"},
		{"client for another provider", grant, capability.NewClient(slack, nil), "contact.read"},
		{"unknown capability", grant, client, "deal.read"},
		{"empty capability", grant, client, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := tt.grant.Handle(tt.client, tt.capability)
			if h.Valid() {
				t.Error("a handle was minted")
			}
			if !errors.Is(err, capability.ErrNoHandle) {
				t.Errorf("error = %v, want one matching ErrNoHandle", err)
			}
		})
	}
}
