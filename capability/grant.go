package capability

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/oauth2"
)

// Grant is what one connection was actually given on one provider: its
// scopes after implications and the capabilities they satisfy. A Grant is
// immutable and safe for concurrent use; a nil *Grant satisfies nothing.
type Grant struct {
	provider    *Provider
	raw         []string
	scopes      ScopeSet
	asRequested bool
}

// NewGrant expands scopes with the provider's implications. Expansion is
// harmless for providers that list implied scopes themselves, so it is done
// whether or not the provider compresses its granted list.
func NewGrant(p *Provider, scopes []string) *Grant {
	return newGrant(p, scopes, false)
}

func newGrant(p *Provider, raw []string, asRequested bool) *Grant {
	return &Grant{
		provider:    p,
		raw:         slices.Clone(raw),
		scopes:      NewScopeSet(p.Expand(raw)...),
		asRequested: asRequested,
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
// requested.
func GrantFromToken(p *Provider, tok *oauth2.Token, requested []string) (*Grant, error) {
	var sources []ScopeSource
	if p != nil {
		sources = p.spec.GrantedScopes.Sources
	}
	for _, src := range sources {
		if src.From != FromToken || src.Field == "" {
			continue
		}
		value := tokenField(tok, src.Field)
		if value == nil {
			continue
		}
		scopes, err := scopesFrom(value, src)
		if err != nil {
			return nil, &Error{
				Kind:     KindDecode,
				Provider: p.Name(),
				Message:  err.Error() + " (check granted_scopes in the provider spec)",
				Err:      err,
			}
		}
		return newGrant(p, scopes, false), nil
	}
	return newGrant(p, requested, true), nil
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

func scopesFrom(value any, src ScopeSource) ([]string, error) {
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
				return nil, fmt.Errorf("token field %s holds a %T in its array, "+
					"want strings", src.Field, item)
			}
			list = append(list, s)
		}
		return nonEmpty(list), nil
	}
	return nil, fmt.Errorf("token field %s holds a %T, want a string or an array of strings",
		src.Field, value)
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
func (g *Grant) AsRequested() bool { return g != nil && g.asRequested }

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
