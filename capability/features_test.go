package capability_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"
)

func authProvider(auth capability.OAuth2, scopes ...capability.ScopeSpec) *capability.Provider {
	return capability.NewProvider(capability.ProviderSpec{
		Name:   "acme",
		Auth:   auth,
		Scopes: scopes,
		Capabilities: []capability.CapabilitySpec{
			{Name: "contact.read", Requirement: capability.Requirement{AnyOf: [][]string{{"c.read"}, {"c.all"}}}},
			{Name: "company.read", Requirement: capability.Requirement{AnyOf: [][]string{{"co.read"}}}},
		},
	})
}

// authURL renders a request's options into an authorization URL.
func authURL(t *testing.T, r capability.AuthRequest) url.Values {
	t.Helper()
	conf := &oauth2.Config{ClientID: "id", Endpoint: oauth2.Endpoint{AuthURL: "https://auth.example/authorize"}}
	u, err := url.Parse(conf.AuthCodeURL("state", r.Options...))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func TestNewAuthRequest(t *testing.T) {
	tests := []struct {
		name     string
		auth     capability.OAuth2
		scopes   []capability.ScopeSpec
		required []string
		optional []string
		want     map[string]string
		verifier bool
	}{
		{
			name: "space separated with fixed parameters and PKCE",
			auth: capability.OAuth2{ScopeSeparator: " ", PKCE: capability.PKCESupported,
				Params: []capability.Param{{Name: "access_type", Value: "offline"}}},
			required: []string{"b", "a"}, optional: []string{"c"},
			want:     map[string]string{"scope": "a b c", "access_type": "offline", "code_challenge_method": "S256"},
			verifier: true,
		},
		{
			name: "optional scopes in their own parameter",
			auth: capability.OAuth2{ScopeSeparator: " ", ExtraScopeParams: []capability.ExtraScopeParam{
				{Param: "optional_scope", Role: "optional", Separator: " "}}},
			required: []string{"a"}, optional: []string{"c", "b"},
			want: map[string]string{"scope": "a", "optional_scope": "b c"},
		},
		{
			name: "user scopes in the user parameter, comma separated",
			auth: capability.OAuth2{ScopeSeparator: ",", ExtraScopeParams: []capability.ExtraScopeParam{
				{Param: "user_scope", Role: "user", Separator: ","}}},
			scopes:   []capability.ScopeSpec{{Name: "search:read", User: true}},
			required: []string{"chat:write", "channels:read", "search:read"},
			want:     map[string]string{"scope": "channels:read,chat:write", "user_scope": "search:read"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := authProvider(tt.auth, tt.scopes...)
			r := p.NewAuthRequest(tt.required, tt.optional)
			q := authURL(t, r)
			for k, v := range tt.want {
				if got := q.Get(k); got != v {
					t.Errorf("%s = %q, want %q (url query %v)", k, got, v, q)
				}
			}
			if (r.Verifier != "") != tt.verifier {
				t.Errorf("Verifier = %q, want one: %v", r.Verifier, tt.verifier)
			}
			if tt.verifier && q.Get("code_challenge") != oauth2.S256ChallengeFromVerifier(r.Verifier) {
				t.Error("code_challenge does not match the verifier")
			}
			want := slices.Sorted(slices.Values(append(slices.Clone(tt.required), tt.optional...)))
			if !slices.Equal(r.Scopes, want) {
				t.Errorf("Scopes = %v, want %v", r.Scopes, want)
			}
		})
	}
}

func TestVerifyNamesFeatureCapabilityAndAlternatives(t *testing.T) {
	p := authProvider(capability.OAuth2{})
	g := capability.NewGrant(p, []string{"co.read"})
	sync := capability.FeatureSpec{Name: "contact_sync", Requires: []string{"company.read", "contact.read"}}
	err := g.Verify(sync)
	var e *capability.Error
	if !errors.As(err, &e) {
		t.Fatalf("Verify = %v, want a *capability.Error", err)
	}
	if e.Status != 403 || e.Feature != "contact_sync" || e.Capability != "contact.read" ||
		!slices.Equal(e.Missing, []string{"c.read"}) || len(e.Alternatives) != 2 {
		t.Errorf("got %+v", e)
	}
	if !strings.Contains(err.Error(), "feature contact_sync") {
		t.Errorf("Error() = %q, want it to name the feature", err)
	}
	optional := capability.FeatureSpec{Name: "enrich", Optional: []string{"contact.read"}}
	if err := g.Verify(optional); err != nil {
		t.Errorf("an unmet optional capability failed verification: %v", err)
	}
}

func TestLacking(t *testing.T) {
	p := authProvider(capability.OAuth2{}, capability.ScopeSpec{Name: "c.all", Implies: []string{"c.read"}})
	g := capability.NewGrant(p, []string{"c.all"})
	if got := g.Lacking([]string{"co.read", "c.read", "c.all"}); !slices.Equal(got, []string{"co.read"}) {
		t.Errorf("Lacking = %v, want [co.read]", got)
	}
}

func TestOptionalGet(t *testing.T) {
	o := capability.Optional[int]{Handle: 7, Available: true}
	if h, ok := o.Get(); h != 7 || !ok {
		t.Errorf("Get() = %d, %v", h, ok)
	}
}

func TestIncrementalAuthRequest(t *testing.T) {
	sync := capability.FeatureSpec{Name: "sync", Requires: []string{"contact.read"}, Scopes: []string{"c.read"}}
	enrich := capability.FeatureSpec{Name: "enrich", Requires: []string{"company.read"},
		Scopes: []string{"co.read"}, OptionalScopes: []string{"c.read"}}
	tests := []struct {
		name        string
		incremental bool
		granted     []string
		features    []capability.FeatureSpec
		want        []string
	}{
		{"incremental asks for the missing scopes only", true, []string{"c.read"},
			[]capability.FeatureSpec{sync, enrich}, []string{"co.read"}},
		{"otherwise it asks again for what is held", false, []string{"c.read"},
			[]capability.FeatureSpec{sync, enrich}, []string{"c.read", "co.read"}},
		{"nothing missing asks for nothing", false, []string{"c.read"},
			[]capability.FeatureSpec{sync}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := authProvider(capability.OAuth2{Incremental: tt.incremental})
			r := capability.NewGrant(p, tt.granted).IncrementalAuthRequest(tt.features...)
			if !slices.Equal(r.Scopes, tt.want) {
				t.Errorf("Scopes = %v, want %v", r.Scopes, tt.want)
			}
		})
	}
}

func TestFeatureAuthRequestKeepsRequiredOutOfOptional(t *testing.T) {
	p := authProvider(capability.OAuth2{ExtraScopeParams: []capability.ExtraScopeParam{
		{Param: "optional_scope", Role: "optional", Separator: " "}}})
	a := capability.FeatureSpec{Name: "a", Scopes: []string{"x"}, OptionalScopes: []string{"y"}}
	b := capability.FeatureSpec{Name: "b", Scopes: []string{"y"}}
	q := authURL(t, p.FeatureAuthRequest(a, b))
	if q.Get("scope") != "x y" || q.Get("optional_scope") != "" {
		t.Errorf("scope = %q, optional_scope = %q; want y required by b", q.Get("scope"), q.Get("optional_scope"))
	}
}

func TestAuthRequestDefaultsNonceAndTokenParams(t *testing.T) {
	p := authProvider(capability.OAuth2{
		ScopeSeparator: " ", DefaultScopes: []string{"offline_access"}, Nonce: true,
		TokenParams: []capability.Param{{Name: "expiring", Value: "1"}},
	})
	r := p.NewAuthRequest([]string{"Mail.Read"}, nil)
	q := authURL(t, r)
	if q.Get("scope") != "Mail.Read offline_access" || q.Get("nonce") == "" {
		t.Errorf("scope = %q, nonce = %q", q.Get("scope"), q.Get("nonce"))
	}
	if !slices.Equal(r.Scopes, []string{"Mail.Read", "offline_access"}) || len(r.ExchangeOptions) != 1 {
		t.Errorf("Scopes = %v, %d exchange options", r.Scopes, len(r.ExchangeOptions))
	}
	empty := authProvider(capability.OAuth2{OmitEmpty: true}).NewAuthRequest(nil, nil)
	if _, ok := authURL(t, empty)["scope"]; ok {
		t.Error("an empty scope parameter was sent although the provider omits empty ones")
	}
}

func TestEndpointFillsPlaceholders(t *testing.T) {
	p := authProvider(capability.OAuth2{
		AuthorizeURL:        "https://login.example/{tenant}/authorize",
		TokenURL:            "https://{shop}.example/token",
		PlaceholderDefaults: []capability.Param{{Name: "tenant", Value: "common"}},
		ClientAuth:          capability.ClientAuthBasic,
	})
	e, err := p.Endpoint(map[string]string{"shop": "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if e.AuthURL != "https://login.example/common/authorize" || e.TokenURL != "https://acme.example/token" ||
		e.AuthStyle != oauth2.AuthStyleInHeader {
		t.Errorf("Endpoint = %+v", e)
	}
	if _, err := p.Endpoint(nil); err == nil || !strings.Contains(err.Error(), "shop") {
		t.Errorf("Endpoint without shop: %v, want an error naming it", err)
	}
}

func TestTokenHeader(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	p := capability.NewProvider(capability.ProviderSpec{
		Name: "shop",
		Auth: capability.OAuth2{TokenHeader: "X-Shopify-Access-Token"},
		Capabilities: []capability.CapabilitySpec{{Name: "order.read",
			Requirement: capability.Requirement{AnyOf: [][]string{{"read_orders"}}}}},
		Operations: []capability.OperationSpec{{Name: "ListOrders", Method: "GET", Path: "/orders.json",
			Capability: "order.read"}},
	})
	c := capability.NewClient(p, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "shpat_1"}),
		capability.WithBaseURL(srv.URL))
	h, err := capability.NewGrant(p, []string{"read_orders"}).Handle(c, "order.read")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Call(context.Background(), "ListOrders", capability.Request{}, nil); err != nil {
		t.Fatal(err)
	}
	if got.Get("X-Shopify-Access-Token") != "shpat_1" || got.Get("Authorization") != "" {
		t.Errorf("headers %v; want the bare token in X-Shopify-Access-Token only", got)
	}
}

func TestBaseURLPlaceholders(t *testing.T) {
	spec := capability.ProviderSpec{
		Name:    "shop",
		BaseURL: "https://{shop}.example/admin/{version}",
		Auth:    capability.OAuth2{PlaceholderDefaults: []capability.Param{{Name: "version", Value: "2026-10"}}},
		Capabilities: []capability.CapabilitySpec{{Name: "order.read",
			Requirement: capability.Requirement{AnyOf: [][]string{{"read_orders"}}}}},
		Operations: []capability.OperationSpec{{Name: "ListOrders", Method: "GET", Path: "/orders.json",
			Capability: "order.read"}},
	}
	p := capability.NewProvider(spec)
	var seen string
	transport := roundTrip(func(r *http.Request) (*http.Response, error) {
		seen = r.URL.String()
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{}`)),
			Header: http.Header{}, Request: r}, nil
	})
	call := func(opts ...capability.Option) error {
		opts = append(opts, capability.WithHTTPClient(&http.Client{Transport: transport}))
		c := capability.NewClient(p, nil, opts...)
		h, err := capability.NewGrant(p, []string{"read_orders"}).Handle(c, "order.read")
		if err != nil {
			return err
		}
		return h.Call(context.Background(), "ListOrders", capability.Request{}, nil)
	}
	if err := call(capability.WithPlaceholders(map[string]string{"shop": "acme"})); err != nil {
		t.Fatal(err)
	}
	if seen != "https://acme.example/admin/2026-10/orders.json" {
		t.Errorf("called %s", seen)
	}
	seen = ""
	err := call()
	if err == nil || !strings.Contains(err.Error(), "{shop}") || seen != "" {
		t.Errorf("call with {shop} unfilled: %v (sent to %q); want a refusal before sending", err, seen)
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
