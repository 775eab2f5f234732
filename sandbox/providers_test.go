package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"
	"github.com/capgen/capgen/generated/github"
	"github.com/capgen/capgen/generated/googledrive"
	"github.com/capgen/capgen/generated/hubspot"
	"github.com/capgen/capgen/generated/slack"
	"github.com/capgen/capgen/sandbox"
)

const (
	drive         = "https://www.googleapis.com/auth/drive"
	driveAppData  = "https://www.googleapis.com/auth/drive.appdata"
	driveFile     = "https://www.googleapis.com/auth/drive.file"
	driveReadOnly = "https://www.googleapis.com/auth/drive.readonly"
)

// apiCall calls one operation through a generated client whose grant claims
// the scopes in claimed, whatever the token really holds, so that the call
// reaches the simulator. It returns one decoded field of the answer.
type apiCall func(ctx context.Context, ts oauth2.TokenSource, base string,
	claimed []string) (any, error)

// providerCase is one operation of a bundled provider and what its failures
// must become once the runtime has classified the simulator's native shape.
type providerCase struct {
	provider string
	needs    []string // a token holding these may call the operation
	lacks    []string // a token holding only these may not
	call     apiCall
	field    any // the decoded field of a successful answer

	missing     []string // what the 403 names
	missingAny  bool
	missingHTTP int // the provider's own status for a missing scope
	expiredKind capability.Kind
}

var providerCases = []providerCase{
	{
		provider: "hubspot",
		needs:    []string{contactsRead},
		lacks:    []string{dealsRead},
		call: func(ctx context.Context, ts oauth2.TokenSource, base string, claimed []string) (any, error) {
			h, err := hubspot.NewClient(ts, capability.WithBaseURL(base)).Grant(claimed).ContactRead()
			if err != nil {
				return nil, err
			}
			c, err := h.GetContact(ctx, hubspot.GetContactParams{ContactID: "42"})
			if err != nil {
				return nil, err
			}
			return c.ID, nil
		},
		field:       "sample-id",
		missing:     []string{contactsRead},
		missingAny:  true,
		missingHTTP: http.StatusForbidden,
		expiredKind: capability.KindExpired,
	},
	{
		provider: "github",
		needs:    []string{"read:user"},
		lacks:    []string{"user:email"},
		call: func(ctx context.Context, ts oauth2.TokenSource, base string, claimed []string) (any, error) {
			h, err := github.NewClient(ts, capability.WithBaseURL(base)).Grant(claimed).UserRead()
			if err != nil {
				return nil, err
			}
			u, err := h.GetAuthenticatedUser(ctx)
			if err != nil {
				return nil, err
			}
			return u.Login, nil
		},
		field: "sample-login",
		// user implies read:user, so GitHub accepts either.
		missing:     []string{"read:user", "user"},
		missingAny:  true,
		missingHTTP: http.StatusForbidden,
		// GitHub has no expired rule: an expired token is a bad credential.
		expiredKind: capability.KindInvalidCredentials,
	},
	{
		provider: "slack",
		needs:    []string{"chat:write"},
		lacks:    []string{"channels:read"},
		call: func(ctx context.Context, ts oauth2.TokenSource, base string, claimed []string) (any, error) {
			h, err := slack.NewClient(ts, capability.WithBaseURL(base)).Grant(claimed).MessageWrite()
			if err != nil {
				return nil, err
			}
			r, err := h.PostMessage(ctx, &slack.PostMessageBody{Channel: "C1", Text: "hello"})
			if err != nil {
				return nil, err
			}
			return r.Ok, nil
		},
		field:       true,
		missing:     []string{"chat:write"},
		missingHTTP: http.StatusOK,
		expiredKind: capability.KindExpired,
	},
	{
		provider: "googledrive",
		needs:    []string{driveFile},
		lacks:    []string{driveReadOnly},
		call: func(ctx context.Context, ts oauth2.TokenSource, base string, claimed []string) (any, error) {
			h, err := googledrive.NewClient(ts, capability.WithBaseURL(base)).Grant(claimed).FileWrite()
			if err != nil {
				return nil, err
			}
			f, err := h.CreateFile(ctx, googledrive.CreateFileParams{},
				&googledrive.FileCreate{Name: "notes.txt"})
			if err != nil {
				return nil, err
			}
			return f.ID, nil
		},
		field:       "sample-id",
		missing:     []string{drive, driveAppData, driveFile},
		missingAny:  true,
		missingHTTP: http.StatusForbidden,
		expiredKind: capability.KindExpired,
	},
}

func TestSimulatorEnforcesScopesInTheProvidersShape(t *testing.T) {
	for _, pc := range providerCases {
		t.Run(pc.provider, func(t *testing.T) {
			t.Parallel()
			sb := sandbox.Start(t, pc.provider)
			ctx := context.Background()
			good, lacking := authorize(t, sb, pc.needs), authorize(t, sb, pc.lacks)

			got, err := pc.call(ctx, oauth2.StaticTokenSource(good), sb.BaseURL, pc.needs)
			if err != nil || got != pc.field {
				t.Fatalf("with %v: got %v, %v; want %v", pc.needs, got, err, pc.field)
			}

			_, err = pc.call(ctx, oauth2.StaticTokenSource(lacking), sb.BaseURL, pc.needs)
			e := wantError(t, err, http.StatusForbidden, capability.KindMissingScope)
			if !slices.Equal(e.Missing, pc.missing) || e.MissingAnyOf != pc.missingAny {
				t.Errorf("Missing = %v (any of: %v), want %v (any of: %v)",
					e.Missing, e.MissingAnyOf, pc.missing, pc.missingAny)
			}
			if e.HTTPStatus != pc.missingHTTP {
				t.Errorf("native status %d, want %d", e.HTTPStatus, pc.missingHTTP)
			}

			sb.Expire()
			_, err = pc.call(ctx, oauth2.StaticTokenSource(good), sb.BaseURL, pc.needs)
			wantError(t, err, http.StatusUnauthorized, pc.expiredKind)

			revoked := authorize(t, sb, pc.needs)
			if err := sb.Revoke(revoked.AccessToken); err != nil {
				t.Fatal(err)
			}
			_, err = pc.call(ctx, oauth2.StaticTokenSource(revoked), sb.BaseURL, pc.needs)
			wantError(t, err, http.StatusUnauthorized, capability.KindInvalidCredentials)

			wantOutcomes(t, sb.Calls(), "ok", "missing_scope", string(pc.expiredKind),
				"invalid_credentials")
		})
	}
}

func TestGrantFromTokenReadsTheReshapedScopes(t *testing.T) {
	for _, pc := range providerCases {
		t.Run(pc.provider, func(t *testing.T) {
			sb := sandbox.Start(t, pc.provider)
			tok := authorize(t, sb, append(slices.Clone(pc.needs), pc.lacks...))
			grant, err := capability.GrantFromToken(providerOf(pc.provider), tok, nil)
			if err != nil {
				t.Fatal(err)
			}
			if grant.AsRequested() {
				t.Fatal("the runtime found no granted scopes in the token response")
			}
			for _, s := range append(slices.Clone(pc.needs), pc.lacks...) {
				if !grant.Scopes().Has(s) {
					t.Errorf("grant %v lacks %s", grant.Raw(), s)
				}
			}
		})
	}
}

func providerOf(name string) *capability.Provider {
	switch name {
	case "hubspot":
		return hubspot.Provider()
	case "github":
		return github.Provider()
	case "slack":
		return slack.Provider()
	}
	return googledrive.Provider()
}

func authorize(t *testing.T, sb *sandbox.Sandbox, scopes []string) *oauth2.Token {
	t.Helper()
	tok, err := sb.Authorize(context.Background(), scopes...)
	if err != nil {
		t.Fatalf("authorize %v: %v", scopes, err)
	}
	return tok
}

func wantError(t *testing.T, err error, status int, kind capability.Kind) *capability.Error {
	t.Helper()
	var e *capability.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want a *capability.Error", err)
	}
	if e.Status != status || e.Kind != kind {
		t.Errorf("got %d %s (%v), want %d %s", e.Status, e.Kind, err, status, kind)
	}
	return e
}

func wantOutcomes(t *testing.T, calls []sandbox.Call, want ...string) {
	t.Helper()
	got := make([]string, len(calls))
	for i, c := range calls {
		got[i] = c.Outcome
	}
	if !slices.Equal(got, want) {
		t.Errorf("outcomes of the calls served = %v, want %v", got, want)
	}
	for _, c := range calls {
		if c.Operation == "" {
			t.Errorf("call %s %s matched no operation", c.Method, c.Path)
		}
	}
}

// TestWithdrawnScopeIsRefused: a scope taken back after the grant makes the
// provider refuse the calls that need it, with the scope named, while the
// token itself stays valid.
func TestWithdrawnScopeIsRefused(t *testing.T) {
	pc := providerCases[0]
	sb := sandbox.Start(t, pc.provider)
	tok := authorize(t, sb, pc.needs)
	ctx := context.Background()
	if _, err := pc.call(ctx, oauth2.StaticTokenSource(tok), sb.BaseURL, pc.needs); err != nil {
		t.Fatalf("before the withdrawal: %v", err)
	}
	sb.Withdraw(pc.needs...)
	_, err := pc.call(ctx, oauth2.StaticTokenSource(tok), sb.BaseURL, pc.needs)
	e := wantError(t, err, http.StatusForbidden, capability.KindMissingScope)
	if e != nil && len(e.Missing) == 0 {
		t.Errorf("the 403 names no missing scope: %v", err)
	}
}
