package capability

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/oauth2"
)

func FuzzParseScopes(f *testing.F) {
	for _, seed := range [][2]string{
		{"repo, gist", ","}, {"a b\tc", " "}, {"", ""}, {",,", ","}, {"a::b", "::"},
		{"x", "x"}, {"\u00a0a\u2003b", " "},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, list, sep string) {
		for _, scope := range ParseScopes(list, sep) {
			if scope == "" || scope != strings.TrimSpace(scope) {
				t.Errorf("ParseScopes(%q, %q) gave item %q", list, sep, scope)
			}
			if (sep == "" || sep == " ") && strings.ContainsFunc(scope, isSpace) {
				t.Errorf("ParseScopes(%q, %q) gave item %q with whitespace", list, sep, scope)
			}
		}
		if got, err := ParseScopeArray([]byte(list), sep); err == nil && slices.Contains(got, "") {
			t.Errorf("ParseScopeArray(%q) gave an empty item", list)
		}
	})
}

// FuzzScopeSources feeds arbitrary text to the readers of the header, JWT
// and introspection sources, which read what servers send.
func FuzzScopeSources(f *testing.F) {
	seeds := []struct{ text, path, sep string }{
		{"repo, user", "scope", ","},
		{`{"scp":"a b","roles":["x"]}`, "scp", " "},
		{`{"active":true,"scope":"a b"}`, "scope", ""},
		{`{"access_scopes":[{"handle":"a"},{"handle":null},7]}`, "access_scopes.*.handle", ""},
		{`{"scopes":"[\"a\",\"\"]"}`, "scopes", ","},
		{`{"a":{"b":[1,"c"]}}`, "a.b", ""},
		{"eyJhbGciOiJub25lIn0.eyJzY29wZSI6InJlcG8ifQ.", "scope", " "},
	}
	for _, s := range seeds {
		f.Add(s.text, s.path, s.sep, true)
	}
	p := NewProvider(GitHubSpec())
	f.Fuzz(func(t *testing.T, text, path, sep string, array bool) {
		src := ScopeSource{Field: path, Claim: path, Separator: sep, Array: array}
		c := NewClient(p, nil)
		c.observe(http.Header{"X-Oauth-Scopes": {text, sep}})
		observed, _ := c.ObservedScopes()
		checkScopes(t, "header", observed)

		payload := base64.RawURLEncoding.EncodeToString([]byte(text))
		for _, token := range []string{text, "e30." + payload + ".sig", "e30." + payload} {
			scopes, _, _ := fromJWT(&oauth2.Token{AccessToken: token}, src)
			checkScopes(t, "JWT", scopes)
		}
		scopes, _, _ := introspectionScopes(p, []byte(text), src)
		checkScopes(t, "introspection", scopes)
	})
}

func checkScopes(t *testing.T, source string, scopes []string) {
	t.Helper()
	for _, s := range scopes {
		if s == "" || s != strings.TrimSpace(s) {
			t.Errorf("%s source gave item %q", source, s)
		}
	}
}

func isSpace(r rune) bool { return strings.TrimSpace(string(r)) == "" }

// FuzzClassify feeds arbitrary responses, and an arbitrary extra rule, to
// the classifier of every fixture provider.
func FuzzClassify(f *testing.F) {
	seeds := []struct {
		status      int
		header, raw string
	}{
		{200, "", SlackMissingScope}, {200, "", SlackInvalidAuth},
		{403, "repo, user", GitHubNotAccepted},
		{403, GoogleAuthenticate, GoogleInsufficient}, {403, "", HubSpotMissingScopes},
		{401, "", HubSpotExpired}, {429, "Tue, 10 Mar 2026 12:01:30 GMT", "{}"},
		{500, "", "<html>"}, {200, "", `[[[[[]]]]]`}, {403, "", `{"errors":[null,1,"x",{}]}`},
	}
	for _, s := range seeds {
		f.Add(s.status, s.header, []byte(s.raw),
			"errors.*.context.requiredGranularScopes", `scope="([^"]+)"`)
	}
	specs := []ProviderSpec{SlackSpec(), GitHubSpec(), GoogleSpec(), HubSpotSpec()}
	f.Fuzz(func(t *testing.T, status int, header string, body []byte, path, pattern string) {
		h := http.Header{}
		for _, name := range []string{"Retry-After", "X-Accepted-OAuth-Scopes", "WWW-Authenticate",
			"X-RateLimit-Remaining"} {
			h.Set(name, header)
		}
		extra := ErrorRule{Kind: KindMissingScope, RetryAfter: "Retry-After",
			Body:    []Predicate{{Path: path, Test: TestMatches, Values: []string{pattern}}},
			Missing: &MissingScopes{Body: path, Header: "WWW-Authenticate", Pattern: pattern}}
		for _, spec := range specs {
			spec.Errors = append(spec.Errors, extra)
			e := NewProvider(spec).classify(&response{status: status, header: h, body: body})
			checkClassified(t, status, e)
		}
	})
}

func checkClassified(t *testing.T, status int, e *Error) {
	t.Helper()
	if e == nil {
		if status < 200 || status > 299 {
			t.Errorf("status %d classified as a success", status)
		}
		return
	}
	if !slices.IsSorted(e.Missing) || slices.Contains(e.Missing, "") {
		t.Errorf("Missing %q is not sorted or holds an empty name", e.Missing)
	}
	if utf8.RuneCountInString(e.Message) > maxExcerpt+1 || !utf8.ValidString(e.Message) {
		t.Errorf("Message %q is too long or not UTF-8", e.Message)
	}
	if e.RetryAfter < 0 {
		t.Errorf("RetryAfter %v is negative", e.RetryAfter)
	}
	_ = e.Error()
}
