package capability

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

// GrantOptions is what ReadGrant needs besides the token.
type GrantOptions struct {
	// Requested are the scopes the authorization asked for. They become the
	// grant when no source answers, as RFC 6749 section 5.1 allows.
	Requested []string

	// ClientID and ClientSecret authenticate the client to an RFC 7662
	// introspection endpoint, as the provider's ClientAuth says.
	ClientID     string
	ClientSecret string

	// HTTPClient calls the introspection endpoint. When it is nil,
	// Client's base HTTP client is used, or else http.DefaultClient.
	HTTPClient *http.Client

	// Client is the connection's client. A header source answers with the
	// scopes the client saw on its last response that carried the header.
	Client *Client
}

// ReadGrant reads what a connection was granted from the sources the
// provider's spec lists, in order; the first that answers wins. A token
// field answers when it is present; a JWT claim when the access token is a
// JWT holding the claim; an introspection endpoint when its response holds
// the field; a header when opts.Client has seen it. When none answers, the
// grant is as requested (see Grant.Source). Granted lists are always
// expanded with the provider's implications.
//
// A source that fails ends the search with a *Error, since falling back to
// the requested scopes could claim more than was granted: KindDecode for a
// value that is not a scope list, KindInvalidCredentials (401) when the
// introspection endpoint says the token is not active, KindRequest when the
// endpoint cannot be reached or refuses the client.
//
// A JWT is decoded without checking its signature. That suits a token the
// client received from the provider's token endpoint over TLS, and no other:
// the claim says what the provider will accept, not who may be trusted.
func ReadGrant(ctx context.Context, p *Provider, tok *oauth2.Token,
	opts GrantOptions) (*Grant, error) {
	for _, src := range p.grantSources() {
		scopes, found, err := readSource(ctx, p, tok, src, opts)
		if err != nil {
			return nil, err
		}
		if found {
			return newGrant(p, scopes, describeSource(src)), nil
		}
	}
	return newGrant(p, opts.Requested, sourceAsRequested), nil
}

func readSource(ctx context.Context, p *Provider, tok *oauth2.Token, src ScopeSource,
	opts GrantOptions) ([]string, bool, error) {
	var (
		scopes []string
		found  bool
		err    error
	)
	switch src.From {
	case FromToken:
		scopes, found, err = fromToken(tok, src)
	case FromJWT:
		scopes, found, err = fromJWT(tok, src)
	case FromHeader:
		scopes, found = opts.Client.observedFor(src)
	case FromIntrospection:
		return introspect(ctx, p, tok, src, opts)
	}
	if err != nil {
		return nil, false, decodeError(p, err)
	}
	return scopes, found, nil
}

func describeSource(src ScopeSource) string {
	switch src.From {
	case FromToken:
		return "token field " + src.Field
	case FromHeader:
		return "header " + src.Header
	case FromIntrospection:
		return "introspection field " + orDefault(src.Field, "scope")
	case FromJWT:
		return "JWT claim " + src.Claim
	}
	return string(src.From)
}

// fromJWT reads a claim of a JWT access token. A token that is not a JWT,
// or one without the claim, does not answer.
func fromJWT(tok *oauth2.Token, src ScopeSource) ([]string, bool, error) {
	if tok == nil || src.Claim == "" {
		return nil, false, nil
	}
	claims, ok := jwtClaims(tok.AccessToken)
	if !ok {
		return nil, false, nil
	}
	value := dotted(claims, src.Claim)
	if value == nil {
		return nil, false, nil
	}
	scopes, err := scopesFrom(value, src, "JWT claim "+src.Claim)
	return scopes, err == nil, err
}

// jwtClaims decodes the claims of a signed JWT (three base64url parts)
// without verifying the signature. An encrypted JWT, with five parts, cannot
// be read and is reported as not a JWT.
func jwtClaims(token string) (map[string]any, bool) {
	header, rest, ok := strings.Cut(token, ".")
	payload, signature, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 || header == "" || strings.Contains(signature, ".") {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(payload, "="))
	if err != nil {
		return nil, false
	}
	var claims map[string]any
	if json.Unmarshal(raw, &claims) != nil || claims == nil {
		return nil, false
	}
	return claims, true
}

// dotted follows a dotted path into nested objects; a key that holds the
// whole path wins, as in a token response.
func dotted(doc map[string]any, path string) any {
	if v, ok := doc[path]; ok {
		return v
	}
	keys := strings.Split(path, ".")
	var v any = doc
	for _, key := range keys {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[key]
	}
	return v
}

// secretsCleaner removes the given secrets from a text.
func secretsCleaner(secrets ...string) func(string) string {
	return func(text string) string {
		for _, s := range secrets {
			if len(s) >= 4 {
				text = strings.ReplaceAll(text, s, "[redacted]")
			}
		}
		return text
	}
}
