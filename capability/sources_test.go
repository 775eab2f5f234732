package capability_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"
)

// jwt builds an unsigned-looking JWT carrying claims; the runtime never
// checks signatures.
func jwt(claims map[string]any) string {
	payload, _ := json.Marshal(claims)
	return "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(payload) + ".c2ln"
}

// introspected is what an introspection endpoint was sent.
type introspected struct {
	Method, EscapedPath, Query, Form string
	Basic, Authorization             string
}

// introspectionServer answers every request with reply.
func introspectionServer(t *testing.T, reply string) (*httptest.Server,
	*atomic.Pointer[introspected]) {
	t.Helper()
	var last atomic.Pointer[introspected]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		user, pass, ok := r.BasicAuth()
		seen := introspected{Method: r.Method, EscapedPath: r.URL.EscapedPath(),
			Query: r.URL.RawQuery, Form: r.PostForm.Encode()}
		if ok {
			seen.Basic = user + ":" + pass
		} else {
			seen.Authorization = r.Header.Get("Authorization")
		}
		last.Store(&seen)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, reply)
	}))
	t.Cleanup(srv.Close)
	return srv, &last
}

// introspecting is the GitHub fixture reading its grant from an
// introspection endpoint at url, with src's other fields.
func introspecting(url string, src capability.ScopeSource) *capability.Provider {
	spec := capability.GitHubSpec()
	src.From, src.URL = capability.FromIntrospection, url
	spec.GrantedScopes.Sources = []capability.ScopeSource{src}
	return capability.NewProvider(spec)
}

func TestReadGrantIntrospection(t *testing.T) {
	const token = "at+/x y"
	tests := []struct {
		name     string
		src      capability.ScopeSource // URL "" is the server's root
		path     string                 // appended to the server's URL
		body     bool                   // client_secret_post
		reply    string
		want     introspected
		wantRaw  []string
		wantFrom string
	}{
		{"RFC 7662 with Basic client authentication", capability.ScopeSource{Separator: " "}, "",
			false, `{"active":true,"scope":"repo read:org","client_id":"c"}`,
			introspected{Method: "POST", EscapedPath: "/",
				Form:  "token=at%2B%2Fx+y&token_type_hint=access_token",
				Basic: "client-id:cs%2Fsecret"},
			[]string{"repo", "read:org"}, "introspection field scope"},
		{"RFC 7662 with credentials in the form", capability.ScopeSource{Param: "access_token"},
			"/introspect", true, `{"active":true,"scope":"repo"}`,
			introspected{Method: "POST", EscapedPath: "/introspect",
				Form: "access_token=at%2B%2Fx+y&client_id=client-id&client_secret=cs%2Fsecret" +
					"&token_type_hint=access_token"},
			[]string{"repo"}, "introspection field scope"},
		{"GET with the token in the path", capability.ScopeSource{Method: "GET",
			Field: "scopes", Array: true}, "/oauth/v1/access-tokens/{token}", false,
			`{"token":"x","scopes":["repo","gist"],"hub_id":62515}`,
			introspected{Method: "GET", EscapedPath: "/oauth/v1/access-tokens/at+%2Fx%20y"},
			[]string{"repo", "gist"}, "introspection field scopes"},
		{"GET with the token in a query parameter", capability.ScopeSource{Method: "get",
			Param: "access_token"}, "/tokeninfo?v=3", false, `{"scope":"repo gist"}`,
			introspected{Method: "GET", EscapedPath: "/tokeninfo",
				Query: "v=3&access_token=at%2B%2Fx+y"},
			[]string{"repo", "gist"}, "introspection field scope"},
		{"GET with the token as a Bearer header and a path into an array",
			capability.ScopeSource{Method: "GET", Field: "access_scopes.*.handle"},
			"/access_scopes.json", false,
			`{"access_scopes":[{"handle":"repo"},{"handle":"gist"}]}`,
			introspected{Method: "GET", EscapedPath: "/access_scopes.json",
				Authorization: "Bearer " + token},
			[]string{"repo", "gist"}, "introspection field access_scopes.*.handle"},
		{"a response without the field does not answer", capability.ScopeSource{}, "", false,
			`{"active":true}`,
			introspected{Method: "POST", EscapedPath: "/",
				Form:  "token=at%2B%2Fx+y&token_type_hint=access_token",
				Basic: "client-id:cs%2Fsecret"},
			[]string{"requested"}, "as requested"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, last := introspectionServer(t, tt.reply)
			spec := capability.GitHubSpec()
			if tt.body {
				spec.Auth.ClientAuth = capability.ClientAuthBody
			}
			tt.src.From, tt.src.URL = capability.FromIntrospection, srv.URL+tt.path
			if tt.path == "" {
				tt.src.URL += "/"
			}
			spec.GrantedScopes.Sources = []capability.ScopeSource{tt.src}
			g, err := capability.ReadGrant(context.Background(), capability.NewProvider(spec),
				&oauth2.Token{AccessToken: token}, capability.GrantOptions{
					Requested: []string{"requested"},
					ClientID:  "client-id", ClientSecret: "cs/secret"})
			if err != nil {
				t.Fatalf("ReadGrant: %v", err)
			}
			if diff := cmp.Diff(tt.want, *last.Load()); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRaw, g.Raw()); diff != "" || g.Source() != tt.wantFrom {
				t.Errorf("Source() = %q, want %q; Raw() (-want +got):\n%s",
					g.Source(), tt.wantFrom, diff)
			}
		})
	}
}

func TestReadGrantSources(t *testing.T) {
	token := func(access string, extra map[string]any) *oauth2.Token {
		return (&oauth2.Token{AccessToken: access}).WithExtra(extra)
	}
	jwtSource := func(claim, sep string) capability.ScopeSource {
		return capability.ScopeSource{From: capability.FromJWT, Claim: claim, Separator: sep}
	}
	tokenSource := capability.ScopeSource{From: capability.FromToken, Field: "scope",
		Separator: ","}
	tests := []struct {
		name     string
		sources  []capability.ScopeSource
		tok      *oauth2.Token
		wantRaw  []string
		wantFrom string
	}{
		{"token field first", []capability.ScopeSource{tokenSource, jwtSource("scp", " ")},
			token(jwt(map[string]any{"scp": "gist"}), map[string]any{"scope": "repo"}),
			[]string{"repo"}, "token field scope"},
		{"JWT claim when the token response has no field",
			[]capability.ScopeSource{tokenSource, jwtSource("scp", " ")},
			token(jwt(map[string]any{"scp": "repo read:org"}), nil),
			[]string{"repo", "read:org"}, "JWT claim scp"},
		{"JWT array claim", []capability.ScopeSource{jwtSource("scope", "")},
			token(jwt(map[string]any{"scope": []string{"repo", "gist"}}), nil),
			[]string{"repo", "gist"}, "JWT claim scope"},
		{"JWT nested claim", []capability.ScopeSource{jwtSource("access.scopes", ",")},
			token(jwt(map[string]any{"access": map[string]any{"scopes": "repo,gist"}}), nil),
			[]string{"repo", "gist"}, "JWT claim access.scopes"},
		{"JWT with base64 padding",
			[]capability.ScopeSource{jwtSource("scope", " ")},
			token(padded(jwt(map[string]any{"scope": "repo"})), nil),
			[]string{"repo"}, "JWT claim scope"},
		{"opaque token: next source", []capability.ScopeSource{jwtSource("scp", " ")},
			token("gho_opaque", nil), []string{"requested"}, "as requested"},
		{"encrypted JWT: next source", []capability.ScopeSource{jwtSource("scp", " ")},
			token("a.b.c.d.e", nil), []string{"requested"}, "as requested"},
		{"JWT without the claim: next source",
			[]capability.ScopeSource{jwtSource("scp", " "), jwtSource("roles", "")},
			token(jwt(map[string]any{"roles": []string{"repo"}}), nil),
			[]string{"repo"}, "JWT claim roles"},
		{"no sources", nil, token("x", nil), []string{"requested"}, "as requested"},
		{"nil token", []capability.ScopeSource{tokenSource, jwtSource("scp", " ")}, nil,
			[]string{"requested"}, "as requested"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := capability.GitHubSpec()
			spec.GrantedScopes.Sources = tt.sources
			g, err := capability.ReadGrant(context.Background(), capability.NewProvider(spec),
				tt.tok, capability.GrantOptions{Requested: []string{"requested"}})
			if err != nil {
				t.Fatalf("ReadGrant: %v", err)
			}
			if diff := cmp.Diff(tt.wantRaw, g.Raw()); diff != "" {
				t.Errorf("Raw() (-want +got):\n%s", diff)
			}
			if g.Source() != tt.wantFrom || g.AsRequested() != (tt.wantFrom == "as requested") {
				t.Errorf("Source() = %q, AsRequested() = %v; want %q", g.Source(),
					g.AsRequested(), tt.wantFrom)
			}
		})
	}
}

// padded adds the base64 padding some issuers leave on the payload.
func padded(token string) string {
	parts := strings.Split(token, ".")
	for len(parts[1])%4 != 0 {
		parts[1] += "="
	}
	return strings.Join(parts, ".")
}

func TestReadGrantExpandsCompressedLists(t *testing.T) {
	tok := (&oauth2.Token{}).WithExtra(map[string]any{"scope": "repo,admin:org"})
	g, err := capability.ReadGrant(context.Background(), github, tok, capability.GrantOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"admin:org", "public_repo", "read:org", "repo", "repo:status", "write:org"}
	if diff := cmp.Diff(want, g.Scopes().List()); diff != "" {
		t.Errorf("Scopes() (-want +got):\n%s", diff)
	}
}

func TestReadGrantFailures(t *testing.T) {
	spec := capability.GitHubSpec()
	spec.GrantedScopes.Sources = []capability.ScopeSource{
		{From: capability.FromJWT, Claim: "scp"},
		{From: capability.FromIntrospection, URL: "http://127.0.0.1:1/introspect"},
	}
	p := capability.NewProvider(spec)
	tests := []struct {
		name string
		ctx  context.Context
		tok  *oauth2.Token
		kind capability.Kind
	}{
		{"claim of the wrong type", context.Background(),
			&oauth2.Token{AccessToken: jwt(map[string]any{"scp": 42})}, capability.KindDecode},
		{"endpoint unreachable", context.Background(), &oauth2.Token{AccessToken: "opaque"},
			capability.KindRequest},
		{"nil context", nil, &oauth2.Token{AccessToken: "opaque"}, capability.KindRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := capability.ReadGrant(tt.ctx, p, tt.tok,
				capability.GrantOptions{Requested: []string{"repo"}})
			e, ok := errors.AsType[*capability.Error](err)
			if !ok || e.Kind != tt.kind || g != nil {
				t.Errorf("ReadGrant = %v, %v; want no grant and a *Error of %s", g, err, tt.kind)
			}
		})
	}
}

func TestObservedScopes(t *testing.T) {
	tests := []struct {
		name     string
		call     call
		header   http.Header
		want     []string
		wantFrom string
	}{
		{"GitHub X-OAuth-Scopes", githubIssues,
			http.Header{"X-Oauth-Scopes": {"repo, user"}}, []string{"repo", "user"},
			"header X-OAuth-Scopes"},
		{"GitHub token without scopes", githubIssues, http.Header{"X-Oauth-Scopes": {""}},
			nil, "header X-OAuth-Scopes"},
		{"Slack x-oauth-scopes", slackPost,
			http.Header{"x-oauth-scopes": {"chat:write,users:read"}},
			[]string{"chat:write", "users:read"}, "header x-oauth-scopes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, client, grant := observingClient(t, tt.call, tt.header)
			if _, ok := client.ObservedScopes(); ok || grant.Update(client) != grant {
				t.Fatal("a client that made no call reports observed scopes")
			}
			h, err := grant.Handle(client, tt.call.capability)
			if err != nil {
				t.Fatal(err)
			}
			if err := h.Call(context.Background(), tt.call.op,
				capability.Request{PathParams: tt.call.params}, nil); err != nil {
				t.Fatal(err)
			}

			got, ok := client.ObservedScopes()
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); !ok || diff != "" {
				t.Errorf("ObservedScopes() = %v, %v; (-want +got):\n%s", got, ok, diff)
			}
			updated := grant.Update(client)
			if diff := cmp.Diff(tt.want, updated.Raw(), cmpopts.EquateEmpty()); diff != "" ||
				updated.Source() != tt.wantFrom {
				t.Errorf("Update: source %q, want %q; Raw() (-want +got):\n%s",
					updated.Source(), tt.wantFrom, diff)
			}
			g, err := capability.ReadGrant(context.Background(), p, nil,
				capability.GrantOptions{Client: client})
			if err != nil || g.Source() != tt.wantFrom {
				t.Errorf("ReadGrant with the client = %v, %v; want the header's grant", g, err)
			}
		})
	}
}

// observingClient connects to a server that sends header with every
// response, through a copy of c's provider whose only granted-scope source
// is its scope header.
func observingClient(t *testing.T, c call, header http.Header) (*capability.Provider,
	*capability.Client, *capability.Grant) {
	t.Helper()
	withHeader := func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[http.CanonicalHeaderKey(k)] = v
		}
		io.WriteString(w, capability.SlackOK)
	}
	srv := httptest.NewServer(http.HandlerFunc(withHeader))
	t.Cleanup(srv.Close)
	p := capability.NewProvider(observingSpec(c.provider))
	client := capability.NewClient(p, oauth2.StaticTokenSource(
		&oauth2.Token{AccessToken: testToken}), capability.WithBaseURL(srv.URL))
	return p, client, capability.NewGrant(p, c.granted)
}

func observingSpec(p *capability.Provider) capability.ProviderSpec {
	var spec capability.ProviderSpec
	var header string
	switch p.Name() {
	case "github":
		spec, header = capability.GitHubSpec(), "X-OAuth-Scopes"
	default:
		spec, header = capability.SlackSpec(), "x-oauth-scopes"
	}
	spec.GrantedScopes.Sources = []capability.ScopeSource{
		{From: capability.FromHeader, Header: header, Separator: ","}}
	return spec
}

func TestUpdateReflectsRevocation(t *testing.T) {
	var scopes atomic.Pointer[string]
	scopes.Store(new("repo, read:org"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-OAuth-Scopes", *scopes.Load())
		io.WriteString(w, `[]`)
	}))
	defer srv.Close()
	client := capability.NewClient(github, oauth2.StaticTokenSource(
		&oauth2.Token{AccessToken: testToken}), capability.WithBaseURL(srv.URL))
	grant := capability.NewGrant(github, []string{"repo", "read:org"})
	h, err := grant.Handle(client, "issue.read")
	if err != nil {
		t.Fatal(err)
	}
	req := capability.Request{PathParams: []string{"owner", "o", "repo", "r"}}
	if err := h.Call(context.Background(), "ListIssues", req, nil); err != nil {
		t.Fatal(err)
	}
	scopes.Store(new("read:org"))
	if err := h.Call(context.Background(), "ListIssues", req, nil); err != nil {
		t.Fatal(err)
	}
	updated := grant.Update(client)
	if updated.Has("issue.read") || !updated.Has("org.read") || !grant.Has("issue.read") {
		t.Errorf("updated grant %v; want issue.read gone from it only", updated.Raw())
	}
}
