package capability

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
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
