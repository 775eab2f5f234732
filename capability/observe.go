package capability

import (
	"net/http"
	"strings"
)

// scopeHeader is a header source prepared for reading every response.
type scopeHeader struct {
	key string // canonical, so that reading it does not allocate
	src ScopeSource
}

func compileScopeHeaders(sources []ScopeSource) []scopeHeader {
	var out []scopeHeader
	for _, src := range sources {
		if src.From == FromHeader && src.Header != "" {
			out = append(out, scopeHeader{http.CanonicalHeaderKey(src.Header), src})
		}
	}
	return out
}

// observed is the value of a provider's scope header on the last response
// that carried it.
type observed struct {
	header *scopeHeader
	value  string
}

// observe records the scope header of a response. It allocates only when
// the header's value changes, which is rare, so it costs nothing on most
// calls.
func (c *Client) observe(h http.Header) {
	if c.provider == nil {
		return
	}
	for i := range c.provider.scopeHeaders {
		sh := &c.provider.scopeHeaders[i]
		values, ok := h[sh.key]
		if !ok {
			continue
		}
		value := ""
		if len(values) > 0 {
			value = values[0]
		}
		if len(values) > 1 {
			value = strings.Join(values, orDefault(sh.src.Separator, ","))
		}
		if last := c.observed.Load(); last == nil || last.header != sh || last.value != value {
			c.observed.Store(&observed{header: sh, value: value})
		}
		return
	}
}

func (o *observed) scopes() []string {
	return ParseScopes(o.value, orDefault(o.header.src.Separator, ","))
}

// ObservedScopes returns the scopes the provider named in its scope header
// (GitHub's X-OAuth-Scopes, Slack's x-oauth-scopes) on the last response
// that carried one, as listed, and whether any response did. They describe
// the token as the provider sees it now, after revocations and re-consent.
// A header source's separator defaults to a comma.
func (c *Client) ObservedScopes() ([]string, bool) {
	if c == nil {
		return nil, false
	}
	last := c.observed.Load()
	if last == nil {
		return nil, false
	}
	return last.scopes(), true
}

// observedFor answers for a header source, if the client saw its header.
func (c *Client) observedFor(src ScopeSource) ([]string, bool) {
	if c == nil {
		return nil, false
	}
	last := c.observed.Load()
	if last == nil || !strings.EqualFold(last.header.src.Header, src.Header) {
		return nil, false
	}
	return last.scopes(), true
}

// Update returns the grant as the client last saw it in the provider's
// scope header, or g itself when the client has not seen the header or
// calls another provider. Grants are immutable: handles minted from g keep
// g's scopes, and a call they make that the provider now refuses fails with
// the provider's 403. Mint handles from the updated grant to act on it.
func (g *Grant) Update(c *Client) *Grant {
	if g == nil || c == nil || c.provider == nil || c.provider.Name() != g.provider.Name() {
		return g
	}
	last := c.observed.Load()
	if last == nil {
		return g
	}
	return newGrant(g.provider, last.scopes(), describeSource(last.header.src))
}
