package capability

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"
)

// maxIntrospection bounds how much of an introspection response is read;
// real ones are well under a kilobyte.
const maxIntrospection = 1 << 20

// introspect asks the provider's introspection endpoint about the access
// token.
func introspect(ctx context.Context, p *Provider, tok *oauth2.Token, src ScopeSource,
	opts GrantOptions) ([]string, bool, error) {
	if tok == nil || tok.AccessToken == "" || src.URL == "" {
		return nil, false, nil
	}
	clean := secretsCleaner(tok.AccessToken, tok.RefreshToken, opts.ClientSecret)
	fail := func(msg string, status int, cause error) ([]string, bool, error) {
		return nil, false, &Error{Kind: KindRequest, Provider: p.Name(),
			Operation: "introspection", HTTPStatus: status, Message: msg, Err: cause}
	}
	if ctx == nil {
		return fail("nil context: pass context.Background()", 0, nil)
	}
	req, err := introspectionRequest(ctx, p, tok.AccessToken, src, opts)
	if err != nil { // not wrapped: its text may repeat the URL, token included
		return fail("cannot build the introspection request; check granted_scopes url", 0, nil)
	}
	body, status, err := fetch(introspectionClient(opts), req)
	switch {
	case err != nil:
		return fail("calling the introspection endpoint failed: "+clean(err.Error()), 0, err)
	case status < 200 || status > 299:
		return fail(fmt.Sprintf("the introspection endpoint answered %d: %s; "+
			"check the client credentials and granted_scopes url", status,
			excerpt(body, clean)), status, nil)
	}
	return introspectionScopes(p, body, src)
}

func introspectionRequest(ctx context.Context, p *Provider, token string, src ScopeSource,
	opts GrantOptions) (*http.Request, error) {
	if strings.EqualFold(src.Method, http.MethodGet) {
		return getIntrospection(ctx, token, src)
	}
	form := url.Values{orDefault(src.Param, "token"): {token},
		"token_type_hint": {"access_token"}}
	basic := opts.ClientID != "" && p.Auth().ClientAuth != ClientAuthBody
	if opts.ClientID != "" && !basic {
		form.Set("client_id", opts.ClientID)
		form.Set("client_secret", opts.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, src.URL,
		strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if basic {
		// RFC 6749 section 2.3.1 form-encodes both before Basic encoding.
		req.SetBasicAuth(url.QueryEscape(opts.ClientID), url.QueryEscape(opts.ClientSecret))
	}
	return req, nil
}

func getIntrospection(ctx context.Context, token string, src ScopeSource) (*http.Request, error) {
	target := src.URL
	inPath := strings.Contains(target, "{token}")
	if inPath {
		target = strings.ReplaceAll(target, "{token}", url.PathEscape(token))
	} else if src.Param != "" {
		target += separatorFor(target) + url.Values{src.Param: {token}}.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if !inPath && src.Param == "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req, nil
}

func introspectionClient(opts GrantOptions) *http.Client {
	switch {
	case opts.HTTPClient != nil:
		return opts.HTTPClient
	case opts.Client != nil && opts.Client.http != nil:
		return opts.Client.http
	}
	return http.DefaultClient
}

// fetch sends req and reads a bounded body. A *url.Error is unwrapped,
// because its text repeats the URL, which may hold the token.
func fetch(hc *http.Client, req *http.Request) ([]byte, int, error) {
	resp, err := hc.Do(req)
	if err != nil {
		if urlErr, ok := errors.AsType[*url.Error](err); ok && urlErr.Err != nil {
			err = urlErr.Err
		}
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxIntrospection))
	return body, resp.StatusCode, err
}

// introspectionScopes reads the field of an introspection response. RFC
// 7662's "active": false means the token is no longer valid.
func introspectionScopes(p *Provider, body []byte, src ScopeSource) ([]string, bool, error) {
	r := &response{body: body}
	doc, ok := r.document()
	obj, isObject := doc.(map[string]any)
	if !ok || !isObject {
		err := errors.New("the introspection response is not a JSON object")
		return nil, false, decodeError(p, err)
	}
	if active, ok := obj["active"].(bool); ok && !active {
		return nil, false, &Error{
			Kind: KindInvalidCredentials, Status: statusOf(KindInvalidCredentials, 0),
			Provider: p.Name(), Operation: "introspection",
			Message: "the token is not active; refresh it or authorize the connection again",
		}
	}
	field := orDefault(src.Field, "scope")
	values := slices.DeleteFunc(r.values(splitPath(field)), func(v any) bool { return v == nil })
	if len(values) == 0 {
		return nil, false, nil
	}
	var scopes []string
	for _, v := range values {
		list, err := scopesFrom(v, src, "introspection field "+field)
		if err != nil {
			return nil, false, decodeError(p, err)
		}
		scopes = append(scopes, list...)
	}
	return scopes, true, nil
}
