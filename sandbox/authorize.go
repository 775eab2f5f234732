package sandbox

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// AuthorizeError is an authorization request the server refused, such as
// error=access_denied under DenyAll.
type AuthorizeError struct {
	Code        string // the RFC 6749 error code
	Description string
}

// Error reads like "sandbox: authorization refused: access_denied: ...".
func (e *AuthorizeError) Error() string {
	msg := "sandbox: authorization refused: " + e.Code
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg
}

// Authorize runs the authorization code flow with PKCE (S256) headlessly:
// it sends the authorization request with the scopes joined by the
// provider's separator, reads the code from the redirect to RedirectURL
// instead of following it, checks the state and exchanges the code. The
// consent script decides what is granted; a refusal is an *AuthorizeError.
func (sb *Sandbox) Authorize(ctx context.Context, scopes ...string) (*oauth2.Token, error) {
	conf := sb.Config()
	verifier := oauth2.GenerateVerifier()
	state := rand.Text()
	auth := sb.auth.auth
	opts := []oauth2.AuthCodeOption{
		oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam(auth.ScopeParam, strings.Join(scopes, auth.ScopeSeparator)),
	}
	for _, p := range auth.Params {
		opts = append(opts, oauth2.SetAuthURLParam(p.Name, p.Value))
	}

	code, err := sb.followToCallback(ctx, conf.AuthCodeURL(state, opts...), state)
	if err != nil {
		return nil, err
	}
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("sandbox: exchange the code: %w", err)
	}
	return tok, nil
}

// followToCallback sends the authorization request and returns the code of
// the redirect to RedirectURL, which it does not follow.
func (sb *Sandbox) followToCallback(ctx context.Context, authURL, state string) (string, error) {
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return "", err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("sandbox: authorization request: %w", err)
	}
	resp.Body.Close()

	loc, err := resp.Location()
	if err != nil {
		return "", fmt.Errorf("sandbox: authorization request answered %s without a redirect",
			resp.Status)
	}
	return sb.codeFrom(loc, state)
}

// codeFrom reads the code of a redirect to the client. Errors leave the
// code and the URL out: both are secrets.
func (sb *Sandbox) codeFrom(loc *url.URL, state string) (string, error) {
	if !strings.HasPrefix(loc.String(), strings.TrimSuffix(sb.RedirectURL, "/")) {
		return "", errors.New("sandbox: the authorization server redirected elsewhere than " +
			"the redirect URL")
	}
	q := loc.Query()
	if code := q.Get("error"); code != "" {
		return "", &AuthorizeError{Code: code, Description: q.Get("error_description")}
	}
	if q.Get("state") != state {
		return "", errors.New("sandbox: the redirect's state does not match the request's")
	}
	if q.Get("code") == "" {
		return "", errors.New("sandbox: the authorization server redirected without a code")
	}
	return q.Get("code"), nil
}
