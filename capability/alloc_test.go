package capability

import (
	"context"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// The checks made on every call must not allocate, so that holding a handle
// costs nothing measurable; nor must recording the scope header or getting
// a token that is still valid.
func TestChecksDoNotAllocate(t *testing.T) {
	p := NewProvider(HubSpotSpec())
	grant := NewGrant(p, []string{"crm.objects.contacts.write"})
	client := NewClient(p, nil)
	read, err := grant.Handle(client, "contact.read")
	if err != nil {
		t.Fatal(err)
	}
	write, err := grant.Handle(client, "contact.write")
	if err != nil {
		t.Fatal(err)
	}
	set := grant.Scopes()
	const scope = "crm.objects.contacts.read"
	req := Requirement{AnyOf: [][]string{{"nope", scope}, {scope}}}

	observing := NewClient(NewProvider(GitHubSpec()), nil)
	scopeHeader := http.Header{"X-Oauth-Scopes": {"repo, read:org"}, "Etag": {"x"}}
	observing.observe(scopeHeader)
	tok := &oauth2.Token{AccessToken: "t", RefreshToken: "r", Expiry: time.Now().Add(time.Hour)}
	refreshing := NewClient(p, NewRefreshingSource(context.Background(), nil, tok))
	ctx := context.Background()

	checks := map[string]func(){
		"Handle.authorize": func() { _, _ = read.authorize("GetContact") },
		"Handle.authorize, capability's requirement": func() {
			_, _ = write.authorize("ArchiveContact")
		},
		"Requirement.SatisfiedBy":          func() { _ = req.SatisfiedBy(set) },
		"Grant.Has":                        func() { _ = grant.Has("contact.read") },
		"ScopeSet.Has":                     func() { _ = set.Has("crm.objects.contacts.read") },
		"Client.observe, header unchanged": func() { observing.observe(scopeHeader) },
		"Client.observe, no header":        func() { observing.observe(http.Header{}) },
		"getting a valid token from a RefreshingSource": func() {
			_, _, _ = refreshing.tokens.token(ctx)
		},
	}
	for name, check := range checks {
		if allocs := testing.AllocsPerRun(100, check); allocs != 0 {
			t.Errorf("%s allocates %v times per call, want 0", name, allocs)
		}
	}
}

func BenchmarkAuthorize(b *testing.B) {
	p := NewProvider(HubSpotSpec())
	h, err := NewGrant(p, []string{"contacts"}).Handle(NewClient(p, nil), "contact.read")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.authorize("GetContact"); err != nil {
			b.Fatal(err)
		}
	}
}

// A table whose operation asks for more than its capability is invalid, but
// the handle must still refuse to call it rather than trust the capability.
func TestAuthorizeChecksTheOperation(t *testing.T) {
	spec := HubSpotSpec()
	spec.Operations[0].Requirement = Requirement{AnyOf: [][]string{{"sales-email-read"}}}
	p := NewProvider(spec)
	h, err := NewGrant(p, []string{"contacts"}).Handle(NewClient(p, nil), "contact.read")
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.authorize("GetContact")
	e, ok := err.(*Error)
	if !ok || e.Status != 403 || len(e.Missing) != 1 || e.Missing[0] != "sales-email-read" {
		t.Errorf("authorize = %v, want a 403 naming sales-email-read", err)
	}
}
