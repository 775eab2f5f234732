package sandbox

import "slices"

// Consent is the scripted answer of the sandbox's user to an authorization
// request, standing in for a login and consent page. The zero Consent grants
// every requested scope.
type Consent struct {
	denyAll bool
	deny    []string
	only    []string
	limited bool
}

// GrantAll grants every scope a request asks for.
func GrantAll() Consent { return Consent{} }

// DenyAll refuses the request: the client is redirected with
// error=access_denied.
func DenyAll() Consent { return Consent{denyAll: true} }

// Deny grants the requested scopes except the named ones, as a user who
// unticks some boxes on a granular consent page.
func Deny(scopes ...string) Consent { return Consent{deny: slices.Clone(scopes)} }

// GrantOnly grants the requested scopes that are among the named ones and
// refuses the others.
func GrantOnly(scopes ...string) Consent {
	return Consent{only: slices.Clone(scopes), limited: true}
}

// decide returns the scopes granted out of those requested, in request
// order, and false when the whole request is refused.
func (c Consent) decide(requested []string) ([]string, bool) {
	if c.denyAll {
		return nil, false
	}
	var granted []string
	for _, s := range requested {
		if slices.Contains(c.deny, s) || (c.limited && !slices.Contains(c.only, s)) {
			continue
		}
		granted = append(granted, s)
	}
	return granted, true
}
