package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/capgen/capgen/sandbox"
)

const (
	contactsRead  = "crm.objects.contacts.read"
	contactsWrite = "crm.objects.contacts.write"
	dealsRead     = "crm.objects.deals.read"
)

func TestCodeFlowGrantsTheConsentedSubset(t *testing.T) {
	sb := sandbox.Start(t, "hubspot", sandbox.WithConsent(sandbox.Deny(contactsWrite)))

	tok, err := sb.Authorize(context.Background(), contactsRead, contactsWrite, dealsRead)
	if err != nil {
		t.Fatal(err)
	}
	// HubSpot reports granted scopes as a "scopes" array, not RFC 6749's "scope".
	got := stringList(t, tok.Extra("scopes"))
	if want := []string{contactsRead, dealsRead}; !slices.Equal(got, want) {
		t.Errorf("token scopes = %v, want %v", got, want)
	}
	if tok.Extra("scope") != nil {
		t.Errorf("token response has scope %v; HubSpot's spec reads scopes only", tok.Extra("scope"))
	}
	if tok.RefreshToken == "" {
		t.Error("no refresh token")
	}
}

func TestSlackScopesTravelCommaSeparated(t *testing.T) {
	sb := sandbox.Start(t, "slack", sandbox.WithConsent(sandbox.GrantOnly("chat:write",
		"channels:read")))

	tok, err := sb.Authorize(context.Background(), "chat:write", "channels:read", "users:read")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tok.Extra("scope"), "chat:write,channels:read"; got != want {
		t.Errorf("token scope = %q, want %q", got, want)
	}
}

func TestDenyAllRedirectsWithAccessDenied(t *testing.T) {
	sb := sandbox.Start(t, "github", sandbox.WithConsent(sandbox.DenyAll()))

	_, err := sb.Authorize(context.Background(), "repo")
	var ae *sandbox.AuthorizeError
	if !errors.As(err, &ae) || ae.Code != "access_denied" {
		t.Fatalf("err = %v, want an *AuthorizeError with code access_denied", err)
	}
}

func TestConsentChangesApplyToLaterRequests(t *testing.T) {
	sb := sandbox.Start(t, "github")
	ctx := context.Background()
	if _, err := sb.Authorize(ctx, "repo"); err != nil {
		t.Fatalf("GrantAll: %v", err)
	}
	sb.Consent(sandbox.DenyAll())
	if _, err := sb.Authorize(ctx, "repo"); err == nil {
		t.Fatal("DenyAll: authorization succeeded")
	}
}

func TestRefreshRotatesTheRefreshToken(t *testing.T) {
	sb := sandbox.Start(t, "googledrive")
	ctx := context.Background()
	first, err := sb.Authorize(ctx, "https://www.googleapis.com/auth/drive.file")
	if err != nil {
		t.Fatal(err)
	}
	expired := *first
	expired.Expiry = time.Now().Add(-time.Hour)
	second, err := sb.Config().TokenSource(ctx, &expired).Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if second.RefreshToken == "" || second.RefreshToken == first.RefreshToken {
		t.Error("refresh did not rotate the refresh token")
	}
	if second.AccessToken == first.AccessToken {
		t.Error("refresh returned the same access token")
	}
	if active, _ := introspect(t, sb, first.RefreshToken); active {
		t.Error("the old refresh token is still active after rotation")
	}
	if _, err := sb.Config().TokenSource(ctx, &expired).Token(); err == nil {
		t.Error("the old refresh token was accepted again")
	}
}

func TestIntrospectionSaysInactiveAfterRevoke(t *testing.T) {
	tests := []struct {
		name   string
		revoke func(*sandbox.Sandbox, *oauth2.Token) error
	}{
		{"RFC 7009 endpoint", revokeOverHTTP},
		{"Revoke", func(sb *sandbox.Sandbox, tok *oauth2.Token) error {
			return sb.Revoke(tok.AccessToken)
		}},
		{"RevokeAll", func(sb *sandbox.Sandbox, _ *oauth2.Token) error { return sb.RevokeAll() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := sandbox.Start(t, "hubspot")
			tok, err := sb.Authorize(context.Background(), contactsRead)
			if err != nil {
				t.Fatal(err)
			}
			active, scopes := introspect(t, sb, tok.AccessToken)
			if !active || !slices.Contains(scopes, contactsRead) {
				t.Fatalf("before revocation: active %v, scopes %v", active, scopes)
			}
			if err := tt.revoke(sb, tok); err != nil {
				t.Fatal(err)
			}
			for _, token := range []string{tok.AccessToken, tok.RefreshToken} {
				if active, _ := introspect(t, sb, token); active {
					t.Error("a token of the revoked grant is still active")
				}
			}
		})
	}
}

func TestExpireEndsAccessTokensButNotRefreshTokens(t *testing.T) {
	sb := sandbox.Start(t, "hubspot")
	ctx := context.Background()
	tok, err := sb.Authorize(ctx, contactsRead)
	if err != nil {
		t.Fatal(err)
	}
	sb.Expire()
	if active, _ := introspect(t, sb, tok.AccessToken); active {
		t.Error("access token still active after Expire")
	}
	stale := *tok
	stale.Expiry = time.Now().Add(-time.Hour)
	fresh, err := sb.Config().TokenSource(ctx, &stale).Token()
	if err != nil {
		t.Fatalf("refresh after Expire: %v", err)
	}
	if active, _ := introspect(t, sb, fresh.AccessToken); !active {
		t.Error("refreshed access token is not active")
	}
}

func TestUnknownScopeIsRefused(t *testing.T) {
	sb := sandbox.Start(t, "hubspot")
	_, err := sb.Authorize(context.Background(), "crm.objects.nothing.read")
	var ae *sandbox.AuthorizeError
	if !errors.As(err, &ae) || ae.Code != "invalid_scope" {
		t.Fatalf("err = %v, want an *AuthorizeError with code invalid_scope", err)
	}
}

// introspect asks the RFC 7662 endpoint about a token, as a resource server
// would.
func introspect(t *testing.T, sb *sandbox.Sandbox, token string) (bool, []string) {
	t.Helper()
	resp := postForm(t, sb, sb.IntrospectURL, url.Values{"token": {token}})
	defer resp.Body.Close()
	var body struct {
		Active bool            `json:"active"`
		Scope  string          `json:"scope"`
		Scopes json.RawMessage `json:"scopes"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("introspection answer: %v", err)
	}
	return body.Active, strings.Fields(body.Scope)
}

func revokeOverHTTP(sb *sandbox.Sandbox, tok *oauth2.Token) error {
	req, err := http.NewRequest(http.MethodPost, sb.RevokeURL,
		strings.NewReader(url.Values{"token": {tok.RefreshToken}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(sb.ClientID, sb.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errors.New("revocation answered " + resp.Status)
	}
	return nil
}

func postForm(t *testing.T, sb *sandbox.Sandbox, target string, form url.Values) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(sb.ClientID, sb.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func stringList(t *testing.T, v any) []string {
	t.Helper()
	items, ok := v.([]any)
	if !ok {
		t.Fatalf("scopes = %#v, want a JSON array", v)
	}
	out := make([]string, len(items))
	for i, item := range items {
		out[i], _ = item.(string)
	}
	return out
}

// TestConfigDrivesAFlowByHand runs the code flow with Config alone, as an
// application under test would, with scopes in the provider's parameters.
func TestConfigDrivesAFlowByHand(t *testing.T) {
	tests := []struct {
		provider string
		params   map[string]string
		field    string
		want     any
	}{
		{"github", map[string]string{"scope": "read:user,user:email"}, "scope",
			"read:user,user:email"},
		{"slack", map[string]string{"scope": "chat:write", "user_scope": "users:read"}, "scope",
			"chat:write,users:read"},
		{"hubspot", map[string]string{"scope": contactsRead, "optional_scope": dealsRead},
			"scopes", []any{contactsRead, dealsRead}},
	}
	for _, tt := range tests {
		t.Run(tt.provider, func(t *testing.T) {
			sb := sandbox.Start(t, tt.provider)
			conf := sb.Config()
			verifier := oauth2.GenerateVerifier()
			opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
			for k, v := range tt.params {
				opts = append(opts, oauth2.SetAuthURLParam(k, v))
			}
			code := codeOf(t, sb, conf.AuthCodeURL("state-1234", opts...))
			tok, err := conf.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatal(err)
			}
			if got := tok.Extra(tt.field); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("token %s = %#v, want %#v", tt.field, got, tt.want)
			}
		})
	}
}

func TestExchangeWithTheWrongVerifierFails(t *testing.T) {
	sb := sandbox.Start(t, "hubspot")
	conf := sb.Config(contactsRead)
	code := codeOf(t, sb, conf.AuthCodeURL("state-1234",
		oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	_, err := conf.Exchange(context.Background(), code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
	if err == nil {
		t.Error("a code was exchanged with the wrong PKCE verifier")
	}
}

func TestOptionsReachTheClient(t *testing.T) {
	const redirect = "http://127.0.0.1:9999/done"
	sb := sandbox.Start(t, "googledrive", sandbox.WithRedirectURL(redirect),
		sandbox.WithAccessTokenLifespan(time.Minute))
	if sb.RedirectURL != redirect || sb.Config().RedirectURL != redirect {
		t.Errorf("redirect URL %q, config %q; want %q", sb.RedirectURL, sb.Config().RedirectURL,
			redirect)
	}
	tok := authorize(t, sb, []string{driveFile})
	if left := time.Until(tok.Expiry); left > time.Minute || left < 30*time.Second {
		t.Errorf("access token lives %v, want about a minute", left)
	}
}

func TestIntrospectionReportsScopesWhereTheSpecSays(t *testing.T) {
	sb := sandbox.Start(t, "hubspot")
	tok := authorize(t, sb, []string{contactsRead})
	resp := postForm(t, sb, sb.IntrospectURL, url.Values{"token": {tok.AccessToken}})
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if got := stringList(t, body["scopes"]); !slices.Equal(got, []string{contactsRead}) {
		t.Errorf("introspection scopes = %v, want [%s]", got, contactsRead)
	}
	if body["scope"] != contactsRead {
		t.Errorf("introspection scope = %v, want RFC 7662's field kept", body["scope"])
	}
}

// codeOf sends an authorization request and returns the code of the
// redirect, which it does not follow.
func codeOf(t *testing.T, sb *sandbox.Sandbox, authURL string) string {
	t.Helper()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := noRedirect.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil || !strings.HasPrefix(loc.String(), sb.RedirectURL) {
		t.Fatalf("answer %s does not redirect to the redirect URL (%v)", resp.Status, err)
	}
	if loc.Query().Get("state") != "state-1234" || loc.Query().Get("code") == "" {
		t.Fatalf("redirect has error %q, want a code and the state", loc.Query().Get("error"))
	}
	return loc.Query().Get("code")
}
