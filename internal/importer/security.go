package importer

import (
	"net/url"
	"slices"
	"strings"
)

// readSecuritySchemes declares the scopes of every OAuth 2.0 scheme and
// takes the authorization and token URLs from the first scheme, by name,
// that has an authorization code flow.
func (r *openapiReader) readSecuritySchemes() {
	defs := r.doc.Components.SecuritySchemes
	if r.v2() {
		defs = r.doc.SecurityDefinitions
	}
	r.schemes = map[string]bool{}
	var oauth []string
	for _, name := range sortedKeys(defs) {
		s := defs[name]
		switch {
		case s == nil:
		case s.Type == "oauth2":
			r.schemes[name] = true
			oauth = append(oauth, name)
			r.declareScopes(s)
			if r.a.auth == nil {
				r.a.auth = r.authURLs(name, s)
			}
		case s.Type == "openIdConnect":
			r.schemes[name] = true
		}
	}
	if r.opts.NoScope != "" {
		delete(r.a.scopes, r.opts.NoScope)
	}
	r.noteAuth(oauth)
}

func (r *openapiReader) noteAuth(oauth []string) {
	switch {
	case r.a.auth == nil:
		r.note("auth: the description has no OAuth 2.0 authorization code flow with " +
			"https authorization and token URLs; add auth.oauth2 from the provider's documentation")
	case len(oauth) > 1:
		r.note("auth: the URLs come from the first of the OAuth 2.0 schemes %s",
			strings.Join(oauth, ", "))
	}
}

// declareScopes adds the scopes of every flow of s; a description already
// read is kept.
func (r *openapiReader) declareScopes(s *securityScheme) {
	lists := []map[string]string{s.Scopes}
	for _, flow := range sortedKeys(s.Flows) {
		if f := s.Flows[flow]; f != nil {
			lists = append(lists, f.Scopes)
		}
	}
	for _, list := range lists {
		for name, desc := range list {
			if r.a.scopes[name] == "" {
				r.a.scopes[name] = desc
			}
		}
	}
}

// authURLs returns the URLs of the authorization code flow of s: flow
// accessCode in 2.0, flows.authorizationCode in 3.x.
func (r *openapiReader) authURLs(name string, s *securityScheme) *oauth2URLs {
	authorize, token := s.AuthorizationURL, s.TokenURL
	if !r.v2() {
		f := s.Flows["authorizationCode"]
		if f == nil {
			return nil
		}
		authorize, token = f.AuthorizationURL, f.TokenURL
	} else if s.Flow != "accessCode" {
		return nil
	}
	urls := &oauth2URLs{authorize: r.absolute(authorize), token: r.absolute(token)}
	if !isHTTPS(urls.authorize) || !isHTTPS(urls.token) {
		r.note("auth: scheme %s has authorization URL %q and token URL %q; capgen needs "+
			"absolute https URLs", name, authorize, token)
		return nil
	}
	return urls
}

// absolute resolves a URL relative to the base URL, which OpenAPI 3.x
// allows for OAuth 2.0 endpoints.
func (r *openapiReader) absolute(raw string) string {
	base, err := url.Parse(r.a.baseURL + "/")
	ref, err2 := url.Parse(raw)
	if raw == "" || err != nil || err2 != nil {
		return raw
	}
	return base.ResolveReference(ref).String()
}

// accepts reads an operation's security requirement objects: each object
// is an alternative whose scopes are all needed, unless the options read
// its scopes as alternatives. Objects that name no scope-bearing scheme
// are left out; without any alternative, the operation needs no scope.
func (r *openapiReader) accepts(reqs []map[string][]string) [][]string {
	var out [][]string
	for _, obj := range reqs {
		out = append(out, r.alternatives(obj)...)
	}
	if len(out) == 0 {
		return [][]string{{}}
	}
	return normalize(out)
}

func (r *openapiReader) alternatives(obj map[string][]string) [][]string {
	if len(obj) == 0 {
		return [][]string{{}}
	}
	var scopes []string
	bearing := false
	for _, name := range sortedKeys(obj) {
		if r.schemes[name] {
			bearing = true
			scopes = append(scopes, obj[name]...)
		}
	}
	if !bearing {
		return nil
	}
	if !r.opts.AlternativesInOneRequirement || len(scopes) == 0 {
		return [][]string{slices.DeleteFunc(scopes, r.isNoScope)}
	}
	var out [][]string
	for _, s := range scopes {
		if r.isNoScope(s) {
			out = append(out, []string{})
		} else {
			out = append(out, []string{s})
		}
	}
	return out
}

func (r *openapiReader) isNoScope(s string) bool {
	return r.opts.NoScope != "" && s == r.opts.NoScope
}
