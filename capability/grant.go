package capability

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/oauth2"
)

// Grant is what one connection was actually given on one provider: its
// scopes after implications and the capabilities they satisfy. A Grant is
// immutable and safe for concurrent use; a nil *Grant satisfies nothing.
type Grant struct {
	provider *Provider
	raw      []string
	scopes   ScopeSet
	source   string
}

// The sources a Grant names that are not one of the provider's.
const (
	sourceGiven       = "given"
	sourceAsRequested = "as requested"
)

// NewGrant expands scopes with the provider's implications. Expansion is
// harmless for providers that list implied scopes themselves, so it is done
// whether or not the provider compresses its granted list.
func NewGrant(p *Provider, scopes []string) *Grant {
	return newGrant(p, scopes, sourceGiven)
}

func newGrant(p *Provider, raw []string, source string) *Grant {
	return &Grant{
		provider: p,
		raw:      slices.Clone(raw),
		scopes:   NewScopeSet(p.Expand(raw)...),
		source:   source,
	}
}

// GrantFromToken reads the granted scopes from the token response fields the
// provider's spec lists (token sources only). A token without one means "as
// requested" (RFC 6749 section 5.1): requested is used, and AsRequested
// reports it.
//
// A field holds a delimited string, split on the source's separator, or a
// JSON array of strings. A field name with dots, such as
// "authed_user.scope", reads a nested object. A present but empty field
// means no scope was granted. A field of any other type is a *Error of
// KindDecode.
//
// Header, introspection and JWT sources need a call or a parsed token; they
// are skipped here, so a provider that lists only those gets a grant as
// requested. ReadGrant reads them all.
func GrantFromToken(p *Provider, tok *oauth2.Token, requested []string) (*Grant, error) {
	for _, src := range p.grantSources() {
		if src.From != FromToken {
			continue
		}
		scopes, found, err := fromToken(tok, src)
		if err != nil {
			return nil, decodeError(p, err)
		}
		if found {
			return newGrant(p, scopes, describeSource(src)), nil
		}
	}
	return newGrant(p, requested, sourceAsRequested), nil
}

func (p *Provider) grantSources() []ScopeSource {
	if p == nil {
		return nil
	}
	return p.spec.GrantedScopes.Sources
}

func fromToken(tok *oauth2.Token, src ScopeSource) ([]string, bool, error) {
	if src.Field == "" {
		return nil, false, nil
	}
	value := tokenField(tok, src.Field)
	if value == nil {
		return nil, false, nil
	}
	scopes, err := scopesFrom(value, src, "token field "+src.Field)
	return scopes, err == nil, err
}

func decodeError(p *Provider, err error) *Error {
	return &Error{
		Kind:     KindDecode,
		Provider: p.Name(),
		Message:  err.Error() + " (check granted_scopes in the provider spec)",
		Err:      err,
	}
}

// tokenField returns a token response field, following dots into nested
// objects when no field has the whole name.
func tokenField(tok *oauth2.Token, field string) any {
	if tok == nil {
		return nil
	}
	if v := tok.Extra(field); v != nil {
		return v
	}
	keys := strings.Split(field, ".")
	v := tok.Extra(keys[0])
	for _, key := range keys[1:] {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[key]
	}
	return v
}

// scopesFrom reads a scope list from a decoded JSON value; where names the
// value in errors, such as "token field scope".
func scopesFrom(value any, src ScopeSource, where string) ([]string, error) {
	switch v := value.(type) {
	case string:
		if src.Array && strings.HasPrefix(strings.TrimSpace(v), "[") {
			return ParseScopeArray([]byte(v), src.Separator)
		}
		return ParseScopes(v, src.Separator), nil
	case []string:
		return nonEmpty(v), nil
	case []any:
		list := make([]string, 0, len(v))
		for _, item := range v {
			s, ok := item.(string)
			if !ok {
				return nil, fmt.Errorf("%s holds a %s in its array, want strings",
					where, jsonType(item))
			}
			list = append(list, s)
		}
		return nonEmpty(list), nil
	}
	return nil, fmt.Errorf("%s holds a %s, want a string or an array of strings",
		where, jsonType(value))
}

// jsonType names the JSON type of a decoded value, never the value itself,
// which could be anything a server sent.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64, json.Number:
		return "number"
	case string:
		return "string"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// Provider returns the provider the grant is for.
func (g *Grant) Provider() *Provider {
	if g == nil {
		return nil
	}
	return g.provider
}

// Scopes returns the granted scopes with everything they imply.
func (g *Grant) Scopes() ScopeSet {
	if g == nil {
		return ScopeSet{}
	}
	return g.scopes
}

// Raw returns the scopes as the provider reported them, or as requested when
// AsRequested is true.
func (g *Grant) Raw() []string {
	if g == nil {
		return nil
	}
	return slices.Clone(g.raw)
}

// AsRequested reports whether the provider did not say which scopes it
// granted, so the grant assumes the requested ones.
func (g *Grant) AsRequested() bool { return g != nil && g.source == sourceAsRequested }

// Source says where the grant's scopes came from: "token field scope",
// "header X-OAuth-Scopes", "introspection field scope" or "JWT claim scp"
// for a provider's source, "as requested" when no source answered, and
// "given" for NewGrant. It is meant for logs and support, not for parsing.
func (g *Grant) Source() string {
	if g == nil {
		return ""
	}
	return g.source
}

// Has reports whether the grant satisfies capability. An unknown capability
// is never satisfied. Has does not allocate.
func (g *Grant) Has(capability string) bool {
	if g == nil {
		return false
	}
	c, ok := g.provider.capability(capability)
	return ok && c.Requirement.SatisfiedBy(g.scopes)
}

// Missing returns the scopes the grant lacks for capability, as
// Requirement.Missing counts them. It returns nil when the capability is
// satisfied or unknown.
func (g *Grant) Missing(capability string) []string {
	if g == nil {
		return nil
	}
	c, ok := g.provider.capability(capability)
	if !ok {
		return nil
	}
	return c.Requirement.Missing(g.scopes)
}

// Handle mints the handle for a capability, or returns a *Error with status
// 403, KindMissingScope and the missing scopes when the grant does not
// satisfy the capability's requirement. Calls made through the handle go
// through client. A nil grant or client, a client for another provider or a
// capability the provider does not offer gives a *Error of KindNoHandle.
func (g *Grant) Handle(client *Client, capability string) (Handle, error) {
	if err := g.checkMint(client, capability); err != nil {
		return Handle{}, err
	}
	if !g.Has(capability) {
		return Handle{}, &Error{
			Status:     statusOf(KindMissingScope, 0),
			Kind:       KindMissingScope,
			Provider:   g.provider.Name(),
			Capability: capability,
			Missing:    g.Missing(capability),
			Message:    "the grant does not satisfy the capability; ask for its scopes again",
		}
	}
	return Handle{client: client, grant: g, capability: capability}, nil
}

func (g *Grant) checkMint(client *Client, capability string) error {
	noHandle := func(msg string) error {
		return &Error{
			Kind:       KindNoHandle,
			Provider:   g.Provider().Name(),
			Capability: capability,
			Message:    msg,
		}
	}
	switch {
	case g == nil || g.provider == nil:
		return noHandle("no grant: build one with NewGrant or GrantFromToken")
	case client == nil || client.provider == nil:
		return noHandle("no client: build one with NewClient for the grant's provider")
	case client.provider != g.provider && client.provider.Name() != g.provider.Name():
		return noHandle(fmt.Sprintf("the client calls %s, but the grant is for %s",
			client.provider.Name(), g.provider.Name()))
	}
	if _, ok := g.provider.capability(capability); !ok {
		return noHandle(fmt.Sprintf("provider %s has no capability %q; "+
			"declare it in the provider spec and regenerate", g.provider.Name(), capability))
	}
	return nil
}
